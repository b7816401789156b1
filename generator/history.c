/*
 * Version history from git. One walk over the commits reachable from the
 * commit built, children before parents and newest first among those
 * ready (git log --topo-order --date-order). Each non-merge commit's
 * content/ tree is compared with its parent's; renames are paired by
 * libgit2's similarity detection and followed backward, so a file keeps
 * its history under its earlier names. Records are parsed on both sides
 * of each change (each version once) and compared field by field; while
 * git log runs, the versions it names are parsed ahead on a worker
 * thread (recqueue.h).
 *
 * libgit2 1.5 cannot walk a shallow clone: the commits named in
 * .git/shallow are read here as having no parents, and what they hold is
 * marked incomplete.
 */
#define _DEFAULT_SOURCE	/* realpath */

/* Fewer commits than this for each git process: one process lists all. */
#define LOG_SPLIT_MIN	200
/* How log_splits() weighs commits: see commit_weight(). */
#define LOG_WEIGH_SAMPLES	64
#define LOG_WEIGH_MAX		(64 << 10)
#define LOG_COMMIT_WEIGHT	4096
/*
 * libgit2 1.5 keeps no object larger than this in the cache of the bases
 * of deltas of a pack (GIT_PACK_CACHE_SIZE_LIMIT, fixed when it is
 * built): a larger tree is rebuilt from its chain of deltas at each read.
 */
#define PACK_CACHE_MAX	(1 << 20)
/* Pack files: the size of a window mapped, and of all mapped at once. */
#define PACK_WINDOW	(16 << 20)
#define PACK_MAPPED	(64 << 20)

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "date.h"
#include "diag.h"
#include "gitlib.h"
#include "gitlog.h"
#include "gitsrc.h"
#include "histcache.h"
#include "history.h"
#include "recdiff.h"
#include "record.h"
#include "rawobj.h"
#include "recqueue.h"
#include "sig.h"
#include "treediff.h"
#include "util.h"

/* Commits of the graph, in the order they are found. */
struct node {
	git_oid		 id;
	size_t		*parents;
	size_t		 parentsz;
	unsigned	 children;	/* not yet walked */
	long long	 ctime;		/* committer time */
	bool		 boundary;	/* parents unknown (shallow) */
	bool		 missing;	/* the object is not there */
};

/* An open-addressing table from object ids to indexes. */
struct oidmap {
	const git_oid	**keys;
	size_t		 *vals;
	size_t		  cap, len;
};

/* The blobs of the records at HEAD (heads_load()). */
struct hist_heads {
	git_oid		*ids;
	size_t		 idsz;
	struct oidmap	 map;
};

/* An open-addressing table from paths to file indexes (with removal). */
struct pathmap {
	char		**keys;		/* NULL: free; &tomb: removed */
	size_t		 *vals;
	size_t		  cap, used;
};

/*
 * A version of a record, parsed once. Whether it parses depends on its path
 * too (its id must be its file's name), so the versions of one blob at
 * other paths (a rename that kept the bytes) follow it in a chain.
 */
struct parsed {
	git_oid		 id;
	char		*path;
	struct record	*rec;		/* NULL: does not parse */
	bool		 own;		/* parsed here, not the queue's */
	size_t		 next;		/* the blob at another path; SIZE_MAX: none */
};

/*
 * A commit that mended a record whose version before it did not parse:
 * its changes are those from the version that parses that the broken one
 * was made from, which the walk, going back in time, has yet to meet.
 * It follows the versions back by their blobs, not by the order of the
 * walk, which on a merge takes other branches' commits in between.
 */
struct mend {
	size_t		 file;		/* index in h->files */
	size_t		 rev;		/* index in the file's revs */
	const struct record *rec;	/* the mended version, while the walk runs */
	git_oid		 id;		/* and its blob */
	char		*path;		/* and path */
	git_oid		 wait;		/* the version, not parsing, it was made from */
};

struct walk {
	struct history	*h;
	struct diag	*dg;
	const struct config *cfg;
	struct node	*nodes;
	size_t		 nodesz;
	struct oidmap	 nodemap;
	git_oid		*shallow;
	size_t		 shallowsz;
	git_oid		*ignore;
	size_t		 ignoresz;
	struct pathmap	 paths;		/* name at this point of the walk */
	struct pathmap	 ever;		/* every name the walk has known */
	bool		*top;		/* by file: took a name never known */
	struct parsed	**parsed;
	size_t		 parsedsz;
	struct oidmap	 parsedmap;
	git_mailmap	*mailmap;
	char		*failed;	/* why collect() failed */
	size_t		*heap;		/* nodes ready to walk */
	size_t		 heapsz;
	struct gitlog	*log;		/* git log's changes, or NULL */
	char		**changed;	/* paths the working tree changed */
	size_t		 changedsz;
	bool		 damaged;	/* a version could not be read */
	struct mend	*mend;		/* waiting for a version that parses */
	size_t		 mendsz;
	struct treediff	*td;		/* merges' own changes; NULL till one */
};

static char tomb[1];
static int git_inits;

/* ---- small tables ---- */

static size_t
oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static void
oidmap_grow(struct oidmap *m)
{
	struct oidmap n = { NULL, NULL, m->cap == 0 ? 64 : m->cap * 2, 0 };
	size_t i, j;

	n.keys = xcalloc(n.cap, sizeof(*n.keys));
	n.vals = xcalloc(n.cap, sizeof(*n.vals));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		for (j = oid_hash(m->keys[i]) & (n.cap - 1); n.keys[j] != NULL;
		    j = (j + 1) & (n.cap - 1))
			continue;
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
		n.len++;
	}
	free(m->keys);
	free(m->vals);
	*m = n;
}

/* Finds id; returns true and sets *val, or false. */
static bool
oidmap_get(const struct oidmap *m, const git_oid *id, size_t *val)
{
	size_t j;

	if (m->cap == 0)
		return false;
	for (j = oid_hash(id) & (m->cap - 1); m->keys[j] != NULL;
	    j = (j + 1) & (m->cap - 1))
		if (git_oid_equal(m->keys[j], id)) {
			*val = m->vals[j];
			return true;
		}
	return false;
}

/* Adds a key that is not there; the key must outlive the table. */
static void
oidmap_put(struct oidmap *m, const git_oid *id, size_t val)
{
	size_t j;

	if ((m->len + 1) * 2 > m->cap)
		oidmap_grow(m);
	for (j = oid_hash(id) & (m->cap - 1); m->keys[j] != NULL;
	    j = (j + 1) & (m->cap - 1))
		continue;
	m->keys[j] = id;
	m->vals[j] = val;
	m->len++;
}

static void
oidmap_release(struct oidmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* Is blob id a record's at HEAD (heads_load())? */
static bool
is_head(const struct history *h, const git_oid *id)
{
	size_t i;

	return h->heads != NULL && oidmap_get(&h->heads->map, id, &i);
}

static void pathmap_set(struct pathmap *, const char *, size_t);

static void
pathmap_grow(struct pathmap *m)
{
	struct pathmap old = *m;
	size_t i;

	m->cap = old.cap == 0 ? 64 : old.cap * 2;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	m->used = 0;
	for (i = 0; i < old.cap; i++)
		if (old.keys[i] != NULL && old.keys[i] != tomb) {
			pathmap_set(m, old.keys[i], old.vals[i]);
			free(old.keys[i]);
		}
	free(old.keys);
	free(old.vals);
}

static size_t
pathmap_slot(const struct pathmap *m, const char *key, bool *found)
{
	size_t j, free_slot = SIZE_MAX;

	*found = false;
	for (j = str_hash(key) & (m->cap - 1); m->keys[j] != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		if (m->keys[j] == tomb) {
			if (free_slot == SIZE_MAX)
				free_slot = j;
		} else if (strcmp(m->keys[j], key) == 0) {
			*found = true;
			return j;
		}
	}
	return free_slot != SIZE_MAX ? free_slot : j;
}

static bool
pathmap_get(const struct pathmap *m, const char *key, size_t *val)
{
	bool found;
	size_t j;

	if (m->cap == 0)
		return false;
	j = pathmap_slot(m, key, &found);
	if (found)
		*val = m->vals[j];
	return found;
}

static void
pathmap_set(struct pathmap *m, const char *key, size_t val)
{
	bool found;
	size_t j;

	if ((m->used + 1) * 2 > m->cap)
		pathmap_grow(m);
	j = pathmap_slot(m, key, &found);
	if (!found) {
		if (m->keys[j] == NULL)
			m->used++;
		m->keys[j] = xstrdup(key);
	}
	m->vals[j] = val;
}

static void
pathmap_del(struct pathmap *m, const char *key)
{
	bool found;
	size_t j;

	if (m->cap == 0)
		return;
	j = pathmap_slot(m, key, &found);
	if (found) {
		free(m->keys[j]);
		m->keys[j] = tomb;
	}
}

static void
pathmap_release(struct pathmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->keys[i] != tomb)
			free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- time zones ---- */

/*
 * Conversions in a named zone go through the C library with TZ set for
 * the moment, then put back, so that the build never depends on the
 * machine's zone.
 */
struct tzsave {
	char	*old;
	bool	 had;
};

static void
tz_push(struct tzsave *sv, const char *tz)
{
	const char *old = getenv("TZ");

	sv->had = old != NULL;
	sv->old = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
}

static void
tz_pop(struct tzsave *sv)
{
	if (sv->had)
		setenv("TZ", sv->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(sv->old);
}

/* 0001-01-02 and 9999-12-30 UTC: a day inside years 1 to 9999 in any zone. */
#define TIME_MIN	(-62135596800LL + 86400)
#define TIME_MAX	(253402300799LL - 86400)

static long long
time_clamp(long long t)
{
	return t < TIME_MIN ? TIME_MIN : t > TIME_MAX ? TIME_MAX : t;
}

static int
date_in(struct date *out, long long t)
{
	time_t tt = (time_t)time_clamp(t);
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL) {
		/* Not in this zone's tables: the epoch, never no date. */
		*out = (struct date){ 1970, 1, 1 };
		return -1;
	}
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return 0;
}

int
hist_date_in(struct date *out, long long t, const char *tz)
{
	struct tzsave sv;
	int rc;

	tz_push(&sv, tz);
	rc = date_in(out, t);
	tz_pop(&sv);
	return rc;
}

int
hist_day_end(long long *out, const struct date *d, const char *tz)
{
	struct tzsave sv;
	struct date next;
	struct tm tm;
	time_t t;

	/* The first second of the next day, less one. */
	date_add_days(&next, d, 1);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = next.y - 1900;
	tm.tm_mon = next.m - 1;
	tm.tm_mday = next.d;
	tm.tm_isdst = -1;
	tz_push(&sv, tz);
	t = mktime(&tm);
	tz_pop(&sv);
	if (t == (time_t)-1)
		return -1;
	*out = (long long)t - 1;
	return 0;
}

/* ---- the repository ---- */

static int
git_fail(struct diag *dg, const char *what)
{
	const git_error *e = git_error_last();

	return diag_error(dg, NULL, "%s: %s", what,
	    e != NULL && e->message != NULL ? e->message : "unknown git error");
}

/* As git_fail(), naming the commit that cannot be read. */
static int
commit_fail(struct diag *dg, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	const git_error *e = git_error_last();

	return diag_error(dg, NULL, "cannot read commit %s: %s",
	    git_oid_tostr(hex, sizeof(hex), id),
	    e != NULL && e->message != NULL ? e->message : "unknown git error");
}

static void
lib_init(void)
{
	static const int levels[] = {
		GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
		GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL
	};
	size_t i;

	if (git_inits++ > 0)
		return;
	git_libgit2_init();
	/* Builds must not depend on the machine or on who owns the clone. */
	for (i = 0; i < NELEM(levels); i++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "");
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	/*
	 * Keep trees of any size in the object cache: a large folder's tree
	 * is rebuilt from its delta chain at every lookup otherwise (the
	 * default keeps trees up to 4 KiB).
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
	    (size_t)64 << 20);
	/*
	 * Map pack files in windows of 16 MiB, at most 64 MiB at once
	 * (defaults: 1 GiB and 8 GiB). The walk reads versions from all
	 * over the pack; with the defaults every page of it that was read
	 * stayed mapped, and counted in the build's memory, to the end.
	 * Smaller windows were unmapped and mapped again all the time,
	 * and each unmapping interrupts every processor that runs a
	 * thread of the build (to flush its TLB).
	 */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)PACK_WINDOW);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
	    (size_t)PACK_MAPPED);
}

static void
lib_shutdown(void)
{
	if (git_inits > 0 && --git_inits == 0)
		git_libgit2_shutdown();
}

static void
set_head(struct history *h, const git_commit *c)
{
	git_oid_tostr(h->head, sizeof(h->head), git_commit_id(c));
	memcpy(h->head_short, h->head, HIST_SHORT);
	h->head_short[HIST_SHORT] = '\0';
	h->head_time = (long long)git_commit_time(c);
}

/*
 * A .git/shallow that is there but not a file (a FIFO, a folder, a
 * dangling symlink) is a damaged repository: git would wait on a FIFO
 * forever, and read_shallow() cannot say where the clone stops.
 */
static int
shallow_check(struct history *h, struct diag *dg)
{
	char *path = path_join(git_repository_commondir(h->repo), "shallow");
	const char *why = NULL;
	struct stat st;
	int rc = 0;

	if (lstat(path, &st) == -1) {
		if (errno != ENOENT)
			why = strerror(errno);
	} else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	if (why != NULL)
		rc = diag_error(dg, NULL, "%s: %s; the repository is damaged",
		    path, why);
	free(path);
	return rc;
}

/*
 * A partial clone (git clone --filter=...) lacks old versions of files,
 * or old trees: their changes cannot be drawn, and a missing version
 * must not be shown as an unparseable one. docket fetches nothing.
 */
static int
partial_check(struct history *h, struct diag *dg)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	git_buf v = GIT_BUF_INIT;
	bool partial = false;
	int yes, rc = 0;

	if (git_repository_config_snapshot(&cfg, h->repo) < 0)
		return 0;
	/* Older git sets the extension; newer, a remote's promisor. */
	if (git_config_get_string_buf(&v, cfg, "extensions.partialclone") == 0)
		partial = true;
	/* (Not a glob iterator: libgit2's regex leaks pcre2's memory.) */
	else if (git_config_iterator_new(&it, cfg) == 0)
		while (!partial && git_config_next(&e, it) == 0)
			partial = str_startswith(e->name, "remote.") &&
			    str_endswith(e->name, ".promisor") &&
			    git_config_parse_bool(&yes, e->value) == 0 && yes;
	if (partial)
		rc = diag_error(dg, NULL, "the repository is a partial clone "
		    "(made with --filter): the history needs every version "
		    "of every file; clone it without --filter "
		    "(actions/checkout: no 'filter'), or build with "
		    "--no-history");
	git_config_iterator_free(it);
	git_buf_dispose(&v);
	git_config_free(cfg);
	return rc;
}

/* Is there, at path, something other than a file, a folder or nothing? */
static bool
not_file(const char *path)
{
	struct stat st;

	/* (Through a link, as libgit2 opens it.) */
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode);
}

/*
 * Below the folder in b, the first file that is no file: of every name
 * (all), or named .gitignore or .gitattributes. Returns true with its
 * path left in b. Links to folders are not followed, as git does not
 * follow them, nor are other repositories' .git folders looked in.
 */
static bool
blocker_below(struct buf *b, bool all)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	size_t len = b->len;
	bool found = false, dir;

	if ((d = opendir(b->ptr)) == NULL)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (!all && strcmp(de->d_name, ".git") == 0))
			continue;
		buf_truncate(b, len);
		buf_printf(b, "/%s", de->d_name);
		dir = de->d_type == DT_DIR || (de->d_type == DT_UNKNOWN &&
		    lstat(b->ptr, &st) == 0 && S_ISDIR(st.st_mode));
		if (dir)
			found = blocker_below(b, all);
		else if (de->d_type != DT_REG && (all ||
		    strcmp(de->d_name, ".gitignore") == 0 ||
		    strcmp(de->d_name, ".gitattributes") == 0))
			found = not_file(b->ptr);
	}
	closedir(d);
	if (!found)
		buf_truncate(b, len);
	return found;
}

/*
 * The first file of the repository found from dir upward that libgit2
 * reads and that is no file (a FIFO, on which it would wait for ever,
 * as git does): its configuration, HEAD, index, refs, packed-refs,
 * alternates, info/exclude and info/attributes. Its path, or NULL;
 * caller frees.
 */
static char *
gitdir_blocker(const char *dir)
{
	static const char *const ingit[] = {
		"HEAD", "index",	/* of the worktree; the others shared */
		"config", "packed-refs", "objects/info/alternates",
		"info/exclude", "info/attributes"
	};
	git_buf gd = GIT_BUF_INIT;
	struct buf b = BUF_INIT;
	char *path, *common;
	size_t i;

	if (git_repository_discover(&gd, dir, 0, NULL) < 0) {
		git_error_clear();
		return NULL;
	}
	/* A worktree's shared files are in the folder commondir names. */
	path = path_join(gd.ptr, "commondir");
	if (file_read_nofollow(&b, path) == 0) {
		while (b.len > 0 && (b.ptr[b.len - 1] == '\n' ||
		    b.ptr[b.len - 1] == '\r'))
			buf_truncate(&b, b.len - 1);
		common = b.ptr[0] == '/' ? xstrdup(b.ptr) :
		    path_join(gd.ptr, b.ptr);
	} else
		common = xstrdup(gd.ptr);
	free(path);
	path = NULL;
	for (i = 0; path == NULL && i < NELEM(ingit); i++) {
		path = path_join(i < 2 ? gd.ptr : common, ingit[i]);
		if (!not_file(path)) {
			free(path);
			path = NULL;
		}
	}
	if (path == NULL) {
		path = path_join(common, "refs");
		buf_truncate(&b, 0);
		buf_puts(&b, path);
		free(path);
		path = blocker_below(&b, true) ? buf_detach(&b) : NULL;
	}
	free(common);
	buf_release(&b);
	git_buf_dispose(&gd);
	return path;
}

/*
 * The first .git upward from dir when it is a file ("gitdir: ..."), as
 * in a submodule or a worktree: libgit2 found no repository, so the
 * folder it names cannot be opened, and git would stop there. NULL when
 * there is none (a .git folder that is no repository is passed, as
 * libgit2 passes it). Caller frees.
 */
static char *
broken_gitfile(const char *dir)
{
	char real[PATH_MAX], *p, *slash;
	struct stat st, top;

	if (realpath(dir, real) == NULL || stat(real, &top) == -1)
		return NULL;
	for (;;) {
		p = xasprintf("%s/.git", strcmp(real, "/") == 0 ? "" : real);
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
		if ((slash = strrchr(real, '/')) == NULL || strcmp(real, "/") == 0)
			return NULL;
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
		/* libgit2 does not look past the file system either. */
		if (stat(real, &st) == -1 || st.st_dev != top.st_dev)
			return NULL;
	}
}

int
hist_open(struct history **out, struct diag *dg, const char *dir)
{
	struct history *h = xcalloc(1, sizeof(*h));
	char real[PATH_MAX], wd[PATH_MAX];
	git_object *obj = NULL, *head = NULL;
	git_oid id;
	const char *w;
	char *gitfile;
	size_t n;
	int e;

	*out = h;
	lib_init();
	h->prefix = xstrdup("");
	if ((gitfile = gitdir_blocker(dir)) != NULL) {
		h->damaged = true;
		diag_error(dg, NULL, "%s: not a regular file; the repository "
		    "is damaged", gitfile);
		free(gitfile);
		return -1;
	}
	e = git_repository_open_ext(&h->repo, dir, 0, NULL);
	if (e == GIT_ENOTFOUND) {
		h->repo = NULL;
		if ((gitfile = broken_gitfile(dir)) != NULL) {
			h->damaged = true;
			diag_error(dg, NULL, "'%s' names a git folder that "
			    "cannot be opened (a submodule or worktree whose "
			    "repository was moved?)", gitfile);
			free(gitfile);
			return -1;
		}
		return 0;
	}
	if (e < 0) {
		h->damaged = true;
		return git_fail(dg, "cannot open the git repository");
	}
	rawobj_guard(h->repo, NULL);
	if ((w = git_repository_workdir(h->repo)) == NULL)
		return diag_error(dg, NULL,
		    "the git repository of '%s' has no working tree", dir);
	if (realpath(dir, real) == NULL || realpath(w, wd) == NULL)
		return diag_error(dg, NULL, "cannot resolve '%s': %s", dir,
		    strerror(errno));
	n = strlen(wd);
	if (strncmp(real, wd, n) != 0 || (real[n] != '/' && real[n] != '\0'))
		return diag_error(dg, NULL,
		    "'%s' is not inside its repository's working tree", dir);
	free(h->prefix);
	h->prefix = real[n] == '\0' ? xstrdup("") :
	    xasprintf("%s/", real + n + 1);
	if (shallow_check(h, dg) == -1 || partial_check(h, dg) == -1) {
		h->damaged = true;
		return -1;
	}
	if (git_repository_head_unborn(h->repo) == 1)
		return 0;
	/*
	 * (Not git_revparse_single(): on an object whose bytes do not hash
	 * to its id, libgit2 1.5's leaks memory there.)
	 */
	if (git_reference_name_to_id(&id, h->repo, "HEAD") < 0 ||
	    git_object_lookup(&obj, h->repo, &id, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&head, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		h->damaged = true;
		return git_fail(dg, "cannot read HEAD");
	}
	set_head(h, (git_commit *)head);
	git_object_free(head);
	git_object_free(obj);
	return 0;
}

/* Reads the commit ids of .git/shallow: where a shallow clone stops. */
static int
read_shallow(struct walk *w)
{
	struct buf b = BUF_INIT;
	char *path;

	path = path_join(git_repository_commondir(w->h->repo), "shallow");
	if (file_read(&b, path) == -1) {
		free(path);
		return 0;
	}
	free(path);
	hist_shallow_parse(&b, &w->shallow, &w->shallowsz);
	buf_release(&b);
	return 0;
}

void
hist_shallow_parse(struct buf *b, git_oid **ids, size_t *idsz)
{
	char *line, *save = NULL;
	git_oid id;

	for (line = strtok_r(b->ptr, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < GIT_OID_HEXSZ ||
		    git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) < 0)
			continue;
		*ids = xreallocarray(*ids, *idsz + 1, sizeof(git_oid));
		(*ids)[(*idsz)++] = id;
	}
}

static bool
oid_in(const git_oid *v, size_t n, const git_oid *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (git_oid_equal(&v[i], id))
			return true;
	return false;
}

static size_t
node_get(struct walk *w, const git_oid *id, bool *added)
{
	size_t i;

	*added = false;
	if (oidmap_get(&w->nodemap, id, &i))
		return i;
	/* Keys point into nodes: rebuild the table when they move. */
	if (w->nodesz % 1024 == 0) {
		w->nodes = xreallocarray(w->nodes, w->nodesz + 1024,
		    sizeof(*w->nodes));
		oidmap_release(&w->nodemap);
		for (i = 0; i < w->nodesz; i++)
			oidmap_put(&w->nodemap, &w->nodes[i].id, i);
	}
	i = w->nodesz++;
	memset(&w->nodes[i], 0, sizeof(w->nodes[i]));
	git_oid_cpy(&w->nodes[i].id, id);
	oidmap_put(&w->nodemap, &w->nodes[i].id, i);
	*added = true;
	return i;
}

/*
 * Finds every commit reachable from `start`, with its parents. A shallow
 * clone's commits named in .git/shallow are its boundary: their parents
 * are not looked for. A commit that is not there, or cannot be read,
 * fails it, with libgit2's message in w->failed (this may run on another
 * thread than the diagnostics): git itself stops at a missing parent.
 */
static int
collect(struct walk *w, const git_oid *start)
{
	const git_error *err;
	git_commit *c;
	char hex[GIT_OID_HEXSZ + 1];
	size_t next = 0, i, p;
	unsigned k, np;
	bool added;
	int e;

	node_get(w, start, &added);
	while (next < w->nodesz) {
		i = next++;
		e = git_commit_lookup(&c, w->h->repo, &w->nodes[i].id);
		if (e == GIT_ENOTFOUND && i > 0) {
			w->failed = xasprintf("%s: it is not in the repository, "
			    "and no .git/shallow says the history stops before "
			    "it; 'git fsck' lists the missing objects",
			    git_oid_tostr(hex, sizeof(hex), &w->nodes[i].id));
			return -1;
		}
		if (e == GIT_ENOTFOUND) {
			w->nodes[i].missing = true;
			continue;
		}
		if (e < 0) {
			err = git_error_last();
			w->failed = xasprintf("%s: %s", git_oid_tostr(hex,
			    sizeof(hex), &w->nodes[i].id), err != NULL &&
			    err->message != NULL ? err->message :
			    "unknown git error");
			return -1;
		}
		w->nodes[i].ctime = (long long)git_commit_time(c);
		if (oid_in(w->shallow, w->shallowsz, &w->nodes[i].id)) {
			w->nodes[i].boundary = true;
			git_commit_free(c);
			continue;
		}
		np = git_commit_parentcount(c);
		w->nodes[i].parents = xcalloc(np + 1, sizeof(size_t));
		for (k = 0; k < np; k++) {
			p = node_get(w, git_commit_parent_id(c, k), &added);
			w->nodes[i].parents[w->nodes[i].parentsz++] = p;
			w->nodes[p].children++;
		}
		git_commit_free(c);
	}
	return 0;
}

/*
 * The commits and their parents, found by collect() on a thread of its
 * own from when git is started: the build reads its content meanwhile,
 * and makes no libgit2 call on h->repo until graph_take() (the other
 * threads have handles of their own). Found after the content, it held
 * up the walk by 3 to 8 ms at N = 1,000.
 */
struct hist_graph {
	struct walk	 w;		/* its nodes and shallow list only */
	git_oid		 start;
	int		 rc;
	bool		 thread;
	pthread_t	 tid;
};

static void *
graph_main(void *arg)
{
	struct hist_graph *g = arg;

	g->rc = read_shallow(&g->w) == -1 ? -1 : collect(&g->w, &g->start);
	return NULL;
}

static void
graph_start(struct history *h)
{
	struct hist_graph *g;

	if (h->graph != NULL || h->walked || h->as_of || h->head[0] == '\0')
		return;
	g = h->graph = xcalloc(1, sizeof(*g));
	g->w.h = h;
	git_oid_fromstr(&g->start, h->head);
	g->thread = pthread_create(&g->tid, NULL, graph_main, g) == 0;
	if (!g->thread)
		graph_main(g);
}

static void
graph_free(struct hist_graph *g)
{
	size_t i;

	if (g == NULL)
		return;
	if (g->thread)
		pthread_join(g->tid, NULL);
	for (i = 0; i < g->w.nodesz; i++)
		free(g->w.nodes[i].parents);
	free(g->w.nodes);
	oidmap_release(&g->w.nodemap);
	free(g->w.shallow);
	free(g->w.failed);
	free(g);
}

/*
 * Gives w the commits reachable from `start`: those the thread found, or
 * found now.
 */
static int
graph_take(struct walk *w, const git_oid *start)
{
	struct history *h = w->h;
	struct hist_graph *g = h->graph;
	int rc;

	if (g == NULL || !git_oid_equal(&g->start, start)) {
		graph_free(g);
		h->graph = NULL;
		return read_shallow(w) == -1 ? -1 : collect(w, start);
	}
	if (g->thread)
		pthread_join(g->tid, NULL);
	g->thread = false;
	rc = g->rc;
	w->nodes = g->w.nodes;
	w->nodesz = g->w.nodesz;
	w->nodemap = g->w.nodemap;
	w->shallow = g->w.shallow;
	w->shallowsz = g->w.shallowsz;
	w->failed = g->w.failed;
	free(g);
	h->graph = NULL;
	return rc;
}

/* The ready heap: newest committer time first, then the order found. */
static bool
heap_before(const struct walk *w, size_t a, size_t b)
{
	if (w->nodes[a].ctime != w->nodes[b].ctime)
		return w->nodes[a].ctime > w->nodes[b].ctime;
	return a < b;
}

static void
heap_push(struct walk *w, size_t n)
{
	size_t i = w->heapsz++, up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!heap_before(w, n, w->heap[up]))
			break;
		w->heap[i] = w->heap[up];
		i = up;
	}
	w->heap[i] = n;
}

static size_t
heap_pop(struct walk *w)
{
	size_t top = w->heap[0], last = w->heap[--w->heapsz], i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= w->heapsz)
			break;
		if (c + 1 < w->heapsz && heap_before(w, w->heap[c + 1], w->heap[c]))
			c++;
		if (!heap_before(w, w->heap[c], last))
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->heapsz > 0)
		w->heap[i] = last;
	return top;
}

char *
hist_gitdir(const char *dir)
{
	git_repository *repo = NULL;
	char *out = NULL;

	lib_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) == 0 &&
	    git_repository_workdir(repo) != NULL)
		out = xstrdup(git_repository_path(repo));
	git_repository_free(repo);
	lib_shutdown();
	return out;
}

/* ---- files ---- */

static size_t
file_new(struct walk *w, const char *path)
{
	struct history *h = w->h;
	struct hist_file *f;
	size_t i, seen;

	h->files = xreallocarray(h->files, h->filesz + 1, sizeof(*h->files));
	i = h->filesz++;
	f = &h->files[i];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	w->top = xreallocarray(w->top, h->filesz, sizeof(*w->top));
	w->top[i] = !pathmap_get(&w->ever, path, &seen);
	pathmap_set(&w->ever, path, 0);
	pathmap_set(&w->paths, path, i);
	return i;
}

/* The file known by `path` at this point of the walk, made when new. */
static size_t
file_at(struct walk *w, const char *path)
{
	size_t i;

	if (pathmap_get(&w->paths, path, &i))
		return i;
	return file_new(w, path);
}

/*
 * Is a path below content/ ("vendors/<id>.xml") a record's? A file
 * whose name is no id ("Acme Corp.xml") never made a page: an old
 * commit's is passed over, as a build of that commit would refuse it,
 * rather than linked from the change lists to a page that is not there.
 */
static bool
is_record_old(const char *rel)
{
	char id[256];
	const char *base;
	size_t n;

	if (!str_startswith(rel, "vendors/"))
		return false;
	base = rel + 8;
	n = strlen(base);
	if (strchr(base, '/') != NULL || !str_endswith(base, ".xml") ||
	    n <= 4 || n - 4 >= sizeof(id))
		return false;
	memcpy(id, base, n - 4);
	id[n - 4] = '\0';
	return id_valid(id);
}

/* Is "content/vendors/<id>.xml" a record's path? */
static bool
is_record_path(const char *path)
{
	return str_startswith(path, "content/") && is_record_old(path + 8);
}

/*
 * Is the entry at path (in the site folder) in the tree of commit c, or
 * of its first parent, a submodule's commit rather than a file?
 */
static bool
is_gitlink(const struct history *h, git_commit *c, bool parent,
    const char *path)
{
	git_commit *pc = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	char *full = xasprintf("%s%s", h->prefix, path);
	bool yes = false;

	if ((!parent || git_commit_parent(&pc, c, 0) == 0) &&
	    git_commit_tree(&t, parent ? pc : c) == 0 &&
	    git_tree_entry_bypath(&e, t, full) == 0)
		yes = git_tree_entry_filemode(e) == GIT_FILEMODE_COMMIT;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(pc);
	free(full);
	return yes;
}

/*
 * A version that did not parse, the one at path before (old) or after
 * commit c changed it: one that is there but cannot be read (a damaged
 * object), or that is not there at all, is an error, not shown as
 * "revised (unparseable)". A submodule's commit at that path is no
 * version to read, and is shown so.
 */
static void
blob_check(struct walk *w, const git_oid *id, const char *path,
    git_commit *c, bool old)
{
	struct rawobj b;
	git_odb *odb = NULL;
	git_object_t type;
	char hex[GIT_OID_HEXSZ + 1], chex[GIT_OID_HEXSZ + 1];
	const git_error *e;
	size_t len;

	memset(&b, 0, sizeof(b));
	if (git_repository_odb(&odb, w->h->repo) < 0) {
		git_fail(w->dg, "cannot read the object database");
		w->damaged = true;
	} else if (!git_odb_exists(odb, id)) {
		if (!is_gitlink(w->h, c, old, path)) {
			diag_error(w->dg, NULL, "cannot read version %s of "
			    "'%s', changed in commit %s: it is not in the "
			    "repository; 'git fsck' lists the missing objects",
			    git_oid_tostr(hex, sizeof(hex), id), path,
			    git_oid_tostr(chex, sizeof(chex),
			    git_commit_id(c)));
			w->damaged = true;
		}
	} else if (git_odb_read_header(&len, &type, odb, id) < 0 ||
	    (type == GIT_OBJECT_BLOB &&
	    rawobj_read(&b, w->h->repo, id, GIT_OBJECT_BLOB) == -1)) {
		e = git_error_last();
		diag_error(w->dg, NULL, "cannot read version %s of '%s': %s",
		    git_oid_tostr(hex, sizeof(hex), id), path,
		    e != NULL && e->message != NULL ? e->message :
		    "unknown git error");
		w->damaged = true;
	}
	rawobj_free(&b);
	git_odb_free(odb);
}

/*
 * Parses a version of a record once; NULL when it does not parse. The
 * worker may have parsed it already, as the record at the same path.
 */
static const struct record *
parse_blob(struct walk *w, const git_oid *id, const char *path, git_commit *c,
    bool old)
{
	struct parsed *p;
	size_t i, last = SIZE_MAX;

	if (oidmap_get(&w->parsedmap, id, &i))
		for (; i != SIZE_MAX; last = i, i = w->parsed[i]->next)
			if (strcmp(w->parsed[i]->path, path) == 0)
				return w->parsed[i]->rec;
	p = xcalloc(1, sizeof(*p));
	git_oid_cpy(&p->id, id);
	p->path = xstrdup(path);
	p->next = SIZE_MAX;
	/* A version at HEAD: the build may have read it from the work tree. */
	if (is_head(w->h, id))
		p->rec = (struct record *)w->h->current(w->h->current_arg,
		    path, id);
	if (p->rec == NULL && (w->h->rq == NULL ||
	    !recqueue_take(w->h->rq, id, path, &p->rec))) {
		p->rec = recqueue_parse(w->h->repo, id, path);
		p->own = true;
	}
	if (p->rec == NULL)
		blob_check(w, id, path, c, old);
	w->parsed = xreallocarray(w->parsed, w->parsedsz + 1, sizeof(*w->parsed));
	w->parsed[w->parsedsz] = p;
	if (last != SIZE_MAX)
		w->parsed[last]->next = w->parsedsz++;
	else
		oidmap_put(&w->parsedmap, &p->id, w->parsedsz++);
	return p->rec;
}

char *
hist_to_utf8(const char *enc, const char *text)
{
	iconv_t cd;
	struct buf b = BUF_INIT;
	char out[256], *in = (char *)text, *op;
	size_t inleft = strlen(text), outleft;
	bool ok = true;

	if (enc == NULL || strcasecmp(enc, "UTF-8") == 0 ||
	    strcasecmp(enc, "UTF8") == 0)
		return NULL;
	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1)
		return NULL;
	while (ok && inleft > 0) {
		op = out;
		outleft = sizeof(out);
		if (iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1 &&
		    errno != E2BIG)
			ok = false;
		buf_put(&b, out, (size_t)(op - out));
	}
	op = out;
	outleft = sizeof(out);
	if (ok && iconv(cd, NULL, NULL, &op, &outleft) != (size_t)-1)
		buf_put(&b, out, (size_t)(op - out));
	iconv_close(cd);
	if (!ok) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static size_t
commit_add(struct walk *w, git_commit *c)
{
	struct history *h = w->h;
	struct hist_commit *hc;
	const git_signature *a = git_commit_author(c);
	const char *name, *mapped, *subj, *enc;
	char *conv;

	h->commits = xreallocarray(h->commits, h->commitsz + 1,
	    sizeof(*h->commits));
	hc = &h->commits[h->commitsz];
	memset(hc, 0, sizeof(*hc));
	git_oid_tostr(hc->id, sizeof(hc->id), git_commit_id(c));
	memcpy(hc->short_id, hc->id, HIST_SHORT);
	enc = git_commit_message_encoding(c);
	subj = git_commit_summary(c);
	if (subj == NULL)
		subj = "";
	conv = hist_to_utf8(enc, subj);
	hc->subject = text_clean(conv != NULL ? conv : subj, HIST_TEXT_MAX);
	free(conv);
	hc->time = (long long)a->when.time;
	if (w->cfg->hist_authors) {
		/* The header names the encoding of the names too. */
		conv = hist_to_utf8(enc, a->name);
		name = conv != NULL ? conv : a->name;
		if (w->mailmap != NULL && (mapped = hist_mailmap_name(
		    w->mailmap, name, a->email)) != NULL)
			name = mapped;
		hc->author = text_clean(name, HIST_TEXT_MAX);
		free(conv);
	}
	if (h->repo_url != NULL)
		hc->url = xasprintf("%s/commit/%s", h->repo_url, hc->id);
	return h->commitsz++;
}

static void
rev_add(struct walk *w, size_t fi, size_t ci, const char *path)
{
	struct hist_file *f = &w->h->files[fi];
	struct hist_rev *r;

	f->revs = xreallocarray(f->revs, f->revsz + 1, sizeof(*f->revs));
	r = &f->revs[f->revsz++];
	memset(r, 0, sizeof(*r));
	r->commit = ci;
	r->path = xstrdup(path);
}

/*
 * Sets *out to the entry of the site's content folder, or of the folder
 * `below` it ("/vendors"), in commit c: a tree's; NULL when there is
 * none. Returns 0, or -1 when a tree on the way cannot be read (libgit2
 * tells why).
 */
static int
folder_entry(const struct history *h, git_commit *c, const char *below,
    git_tree_entry **out)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	char *path;
	int rc;

	*out = NULL;
	if (git_commit_tree(&root, c) < 0)
		return -1;
	path = xasprintf("%scontent%s", h->prefix, below);
	rc = git_tree_entry_bypath(&e, root, path);
	if (rc == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		*out = e;
	else
		git_tree_entry_free(e);
	git_tree_free(root);
	free(path);
	return rc == 0 || rc == GIT_ENOTFOUND ? 0 : -1;
}

/*
 * When content/ is a symbolic link in commit c, the text of the link,
 * cleaned for a message (caller frees); else NULL. The history is read
 * from a content/ folder only: through a link, nothing in it is found.
 */
static char *
content_link(const struct history *h, git_commit *c)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *path, *target = NULL, *raw;

	if (git_commit_tree(&root, c) < 0)
		return NULL;
	path = xasprintf("%scontent", h->prefix);
	if (git_tree_entry_bypath(&e, root, path) == 0 &&
	    git_tree_entry_filemode(e) == GIT_FILEMODE_LINK &&
	    git_blob_lookup(&blob, h->repo, git_tree_entry_id(e)) == 0) {
		raw = xstrndup(git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob) > 4096 ? 4096 :
		    (size_t)git_blob_rawsize(blob));
		target = text_clean(raw, 200);
		free(raw);
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(root);
	free(path);
	return target;
}

/*
 * Sets *out to the tree of that folder (`below` "": content/ itself), or
 * NULL when there is none. Returns 0, or -1 when a tree cannot be read.
 */
static int
folder_tree(const struct history *h, git_commit *c, const char *below,
    git_tree **out)
{
	git_tree_entry *e;
	int rc;

	*out = NULL;
	if ((rc = folder_entry(h, c, below, &e)) == 0 && e != NULL &&
	    git_tree_lookup(out, h->repo, git_tree_entry_id(e)) < 0)
		rc = -1;
	git_tree_entry_free(e);
	return rc;
}

static int
mark_incomplete(const char *root, const git_tree_entry *e, void *arg)
{
	struct walk *w = arg;
	char *path;
	size_t i;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	path = xasprintf("content/%s%s", root, git_tree_entry_name(e));
	i = file_at(w, path);	/* may move w->h->files */
	w->h->files[i].incomplete = true;
	free(path);
	return 0;
}

/* A revision's field changes, from version o to version n. */
static void
rev_changes(const struct history *h, struct hist_rev *r,
    const struct recver *o, const struct recver *n)
{
	recdiff_free(r->changes, r->changesz);
	r->changes = NULL;
	r->changesz = 0;
	recdiff(&r->changes, &r->changesz, o, n, h->date_format);
	r->substantive = r->changesz > 0;
	/*
	 * A draft version is not published, nor are its changes; nor is
	 * removing one, which readers never saw.
	 */
	if (!h->drafts && ((n->rec != NULL && n->rec->draft) ||
	    (n->rec == NULL && !n->bad && o->rec != NULL && o->rec->draft)))
		r->substantive = false;
}

/* Notes a version of file fi that does not parse, made from version o. */
static void
link_add(struct hist_file *f, const git_oid *id, const struct recver *o,
    const git_oid *oid, const char *opath)
{
	struct hist_link *l;

	f->links = xreallocarray(f->links, f->linksz + 1, sizeof(*f->links));
	l = &f->links[f->linksz++];
	l->id = xstrdup(git_oid_tostr_s(id));
	l->prev = l->prev_path = NULL;
	if (o->rec != NULL || o->bad) {
		l->prev = xstrdup(git_oid_tostr_s(oid));
		l->prev_path = xstrdup(opath);
	}
}

static void
mend_drop(struct walk *w, size_t i)
{
	free(w->mend[i].path);
	w->mend[i] = w->mend[--w->mendsz];
}

/*
 * Mend i is compared with `good`, the version that parses that the one
 * before it was made from.
 */
static void
mend_done(struct walk *w, size_t i, const struct record *good)
{
	struct mend *m = &w->mend[i];
	struct recver o = { good, false }, n = { m->rec, false };

	rev_changes(w->h, &w->h->files[m->file].revs[m->rev], &o, &n);
	mend_drop(w, i);
}

/*
 * Delta d of file fi, from version o (d->old_id) to a version that does
 * not parse: a mend that waits for that version is done when o parses,
 * waits for o when it does not, and stays as it is (revised, unparseable)
 * when there was none.
 */
static void
mend_follow(struct walk *w, size_t fi, const struct gl_delta *d,
    const struct recver *o)
{
	size_t i = 0;

	while (i < w->mendsz) {
		if (w->mend[i].file != fi ||
		    !git_oid_equal(&w->mend[i].wait, &d->new_id)) {
			i++;
			continue;
		}
		if (o->rec != NULL)
			mend_done(w, i, o->rec);
		else if (o->bad)
			git_oid_cpy(&w->mend[i++].wait, &d->old_id);
		else
			mend_drop(w, i);
	}
}

static void
mend_wait(struct walk *w, size_t fi, size_t rev, const struct record *rec,
    const struct gl_delta *d, const char *path)
{
	struct mend *m;

	w->mend = xreallocarray(w->mend, w->mendsz + 1, sizeof(*w->mend));
	m = &w->mend[w->mendsz++];
	m->file = fi;
	m->rev = rev;
	m->rec = rec;
	git_oid_cpy(&m->id, &d->new_id);
	m->path = xstrdup(path);
	git_oid_cpy(&m->wait, &d->old_id);
}

/*
 * Records one change to a record, in commit c: its field changes. In a
 * commit that .git-blame-ignore-revs lists, which is no change of its
 * own, only how a version that does not parse was made.
 */
static void
record_rev(struct walk *w, size_t fi, const struct gl_delta *d, git_commit *c,
    bool ignored)
{
	struct hist_file *f = &w->h->files[fi];
	struct recver o = { NULL, false }, n = { NULL, false };
	char *op = NULL, *np = NULL;

	if (d->old_path != NULL) {
		op = xasprintf("content/%s", d->old_path);
		if (is_record_path(op)) {
			o.rec = parse_blob(w, &d->old_id, op, c, true);
			o.bad = o.rec == NULL;
		}
	}
	if (d->new_path != NULL) {
		np = xasprintf("content/%s", d->new_path);
		if (is_record_path(np)) {
			n.rec = parse_blob(w, &d->new_id, np, c, false);
			n.bad = n.rec == NULL;
		}
	}
	if (n.bad) {
		link_add(f, &d->new_id, &o, &d->old_id, op);
		mend_follow(w, fi, d, &o);
	}
	if (ignored)
		goto out;
	f->record = true;
	rev_changes(w->h, &f->revs[f->revsz - 1], &o, &n);
	if (o.bad && n.rec != NULL)
		mend_wait(w, fi, f->revsz - 1, n.rec, d, np);
	if (f->name == NULL && (n.rec != NULL || o.rec != NULL))
		f->name = xstrdup(n.rec != NULL ? n.rec->name : o.rec->name);
out:
	free(op);
	free(np);
}

/*
 * The changes below content/ from the parent tree pt to ct with libgit2,
 * as deltas in path order, renames not yet paired. Returns 0 or -1.
 */
static int
diff_trees(struct walk *w, git_tree *pt, git_tree *ct, struct gl_delta **out,
    size_t *outsz)
{
	git_diff *diff = NULL;
	git_diff_options dopts;
	const git_diff_delta *gd;
	struct gl_delta *v = NULL, *d;
	size_t i, n, k = 0;

	*out = NULL;
	*outsz = 0;
	if ((ct == NULL && pt == NULL) || (ct != NULL && pt != NULL &&
	    git_oid_equal(git_tree_id(ct), git_tree_id(pt))))
		return 0;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, w->h->repo, pt, ct, &dopts) < 0)
		return git_fail(w->dg, "cannot compare commits");
	n = git_diff_num_deltas(diff);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		gd = git_diff_get_delta(diff, i);
		d = &v[k];
		switch (gd->status) {
		case GIT_DELTA_ADDED:
			d->status = 'A';
			break;
		case GIT_DELTA_DELETED:
			d->status = 'D';
			break;
		case GIT_DELTA_MODIFIED:
			d->status = 'M';
			break;
		default:
			continue;
		}
		if (d->status != 'A') {
			d->old_path = xstrdup(gd->old_file.path);
			git_oid_cpy(&d->old_id, &gd->old_file.id);
		}
		if (d->status != 'D') {
			d->new_path = xstrdup(gd->new_file.path);
			git_oid_cpy(&d->new_id, &gd->new_file.id);
		}
		k++;
	}
	git_diff_free(diff);
	gitlog_sort(v, k);
	*out = v;
	*outsz = k;
	return 0;
}

/*
 * A path whose type changed (a file that became a symbolic link or a
 * submodule, or the other way) is listed as its deletion and addition,
 * next to each other (gitlog_sort()): when pairing left both, they are
 * one change of that file, not two. Updates *np.
 */
static void
join_typechanges(struct gl_delta *d, size_t *np)
{
	size_t i, k, n = *np;

	for (i = 0, k = 0; i < n; i++) {
		if (i + 1 < n && d[i].status == 'D' && d[i + 1].status == 'A' &&
		    strcmp(d[i].old_path, d[i + 1].new_path) == 0) {
			d[i + 1].status = 'M';
			d[i + 1].old_path = d[i].old_path;
			d[i + 1].old_id = d[i].old_id;
			continue;
		}
		d[k++] = d[i];
	}
	*np = k;
}

/*
 * A record's file and a page's are not one file followed through a
 * rename: a rename of one into the other (vendors/acme.xml to acme.md,
 * or to vendors/Acme.xml, which is no record) is taken as the removal
 * of the one and the addition of the other. Returns the new count of
 * the deltas in *dp, which may have moved.
 */
static size_t
unpair_kinds(struct gl_delta **dp, size_t n)
{
	struct gl_delta *d = *dp;
	size_t i, k = n;

	for (i = 0; i < n; i++)
		if (d[i].status == 'R' && is_record_old(d[i].old_path) !=
		    is_record_old(d[i].new_path))
			k++;
	if (k == n)
		return n;
	d = xreallocarray(d, k, sizeof(*d));
	for (i = 0, k = n; i < n; i++) {
		if (d[i].status != 'R' || is_record_old(d[i].old_path) ==
		    is_record_old(d[i].new_path))
			continue;
		d[k] = d[i];
		d[k].status = 'D';
		d[k].new_path = NULL;
		memset(&d[k].new_id, 0, sizeof(d[k].new_id));
		d[i].status = 'A';
		d[i].old_path = NULL;
		memset(&d[i].old_id, 0, sizeof(d[i].old_id));
		k++;
	}
	*dp = d;
	return k;
}

/*
 * A queue of nodes in the order git walks commits: a binary heap, the
 * one committed last on top, and at a tie the one queued first (seq:
 * when each was queued; 0, never).
 */
struct datequeue {
	const struct node *nodes;
	size_t		*heap, *seq;
	size_t		 n, next;
};

/* Is a to be taken after b? */
static bool
dq_after(const struct datequeue *q, size_t a, size_t b)
{
	if (q->nodes[a].ctime != q->nodes[b].ctime)
		return q->nodes[a].ctime < q->nodes[b].ctime;
	return q->seq[a] > q->seq[b];
}

static void
dq_swap(struct datequeue *q, size_t i, size_t j)
{
	size_t t = q->heap[i];

	q->heap[i] = q->heap[j];
	q->heap[j] = t;
}

/* Queues node i, unless it was once. */
static void
dq_push(struct datequeue *q, size_t i)
{
	size_t j;

	if (q->seq[i] != 0)
		return;
	q->seq[i] = q->next++;
	q->heap[q->n] = i;
	for (j = q->n++; j > 0 && dq_after(q, q->heap[(j - 1) / 2],
	    q->heap[j]); j = (j - 1) / 2)
		dq_swap(q, j, (j - 1) / 2);
}

static size_t
dq_pop(struct datequeue *q)
{
	size_t top = q->heap[0], j, k;

	q->heap[0] = q->heap[--q->n];
	for (j = 0; (k = 2 * j + 1) < q->n; j = k) {
		if (k + 1 < q->n && dq_after(q, q->heap[k], q->heap[k + 1]))
			k++;
		if (!dq_after(q, q->heap[j], q->heap[k]))
			break;
		dq_swap(q, j, k);
	}
	return top;
}

/*
 * The merge base of nodes a and b, as git finds one: walking back from
 * both, latest committer date first, the first commit reached from
 * both. SIZE_MAX: none; *cut then says whether the walk met the edge of
 * a shallow clone, beyond which the base may be.
 */
static size_t
merge_base_of(const struct walk *w, size_t a, size_t b, bool *cut)
{
	struct datequeue q = { w->nodes, NULL, NULL, 0, 1 };
	unsigned char *side = xcalloc(w->nodesz, 1);
	const struct node *nd;
	size_t i, k, p, best = SIZE_MAX;

	*cut = false;
	q.heap = xreallocarray(NULL, w->nodesz, sizeof(*q.heap));
	q.seq = xcalloc(w->nodesz, sizeof(*q.seq));
	side[a] |= 1;
	dq_push(&q, a);
	side[b] |= 2;
	dq_push(&q, b);
	while (q.n > 0) {
		nd = &w->nodes[i = dq_pop(&q)];
		q.seq[i] = 0;	/* queued again when it is reached anew */
		if (side[i] == 3) {
			best = i;
			break;
		}
		if (nd->boundary || nd->missing)
			*cut = true;
		for (k = 0; k < nd->parentsz; k++) {
			p = nd->parents[k];
			if ((side[p] | side[i]) == side[p])
				continue;
			side[p] |= side[i];
			dq_push(&q, p);
		}
	}
	free(q.heap);
	free(q.seq);
	free(side);
	return best;
}

/* What one treediff_run() told of, as deltas (gitlog_delta_add()). */
struct tdlist {
	struct gl_delta	*v;
	size_t		 n;
};

static void
tdlist_seen(void *arg, char st, const char *path, const git_oid *old_id,
    const git_oid *new_id)
{
	struct tdlist *l = arg;

	(void)gitlog_delta_add(&l->v, &l->n, st, path, old_id, new_id);
}

/* Deltas by path (a type change's two after each other). */
static int
tdelta_cmp(const void *a, const void *b)
{
	const struct gl_delta *x = a, *y = b;

	return strcmp(x->new_path != NULL ? x->new_path : x->old_path,
	    y->new_path != NULL ? y->new_path : y->old_path);
}

/* A blob's bytes as an input of git_merge_file(); false: unreadable. */
static bool
merge_input(git_repository *repo, const git_oid *id, const char *path,
    git_blob **blob, git_merge_file_input *in)
{
	git_merge_file_input_init(in, GIT_MERGE_FILE_INPUT_VERSION);
	if (git_blob_lookup(blob, repo, id) < 0) {
		git_error_clear();
		return false;
	}
	in->ptr = git_blob_rawcontent(*blob);
	in->size = (size_t)git_blob_rawsize(*blob);
	in->path = path;
	in->mode = GIT_FILEMODE_BLOB;
	return true;
}

/* The merge base of a merge, looked up once (merged_by_git()). */
struct mergebase {
	bool		 looked;
	bool		 unknown;	/* beyond a shallow clone's edge */
	git_tree	*tree;		/* NULL: none (unrelated histories) */
};

/*
 * Would git, merging the two parents of merge node ni, have made the
 * version `result` of the file at `path` (below content/) by itself
 * from the parents' versions `ours` and `theirs`: a three-way merge from
 * their merge base's version, without a conflict? Then the merge did
 * not change the file: both branches did, in other places of it.
 * Without a merge base (unrelated histories, merged with
 * --allow-unrelated-histories), the base is empty, as for git. Where the
 * base is beyond a shallow clone's edge, yes: a merge is not a change of
 * its own unless it is one for sure.
 */
static bool
merged_by_git(struct walk *w, size_t ni, struct mergebase *mb,
    const char *path, const git_oid *ours, const git_oid *theirs,
    const git_oid *result)
{
	git_repository *repo = w->h->repo;
	const struct node *nd = &w->nodes[ni];
	git_blob *bb = NULL, *ob = NULL, *tb = NULL;
	git_merge_file_input bi, oi, ti;
	git_merge_file_result res;
	git_tree_entry *e = NULL;
	git_commit *bc = NULL;
	git_oid h;
	char *full;
	bool yes = true, has_base = false, cut;
	size_t b;

	if (!mb->looked) {
		mb->looked = true;
		b = merge_base_of(w, nd->parents[0], nd->parents[1], &cut);
		if (b == SIZE_MAX)
			mb->unknown = cut;
		else if (git_commit_lookup(&bc, repo, &w->nodes[b].id) < 0 ||
		    git_commit_tree(&mb->tree, bc) < 0)
			mb->unknown = true;
		git_commit_free(bc);
		git_error_clear();
	}
	if (mb->unknown)
		return true;
	full = xasprintf("%scontent/%s", w->h->prefix, path);
	if (mb->tree != NULL && git_tree_entry_bypath(&e, mb->tree, full) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		has_base = merge_input(repo, git_tree_entry_id(e), path, &bb,
		    &bi);
	git_error_clear();
	memset(&res, 0, sizeof(res));
	if (merge_input(repo, ours, path, &ob, &oi) &&
	    merge_input(repo, theirs, path, &tb, &ti) &&
	    git_merge_file(&res, has_base ? &bi : NULL, &oi, &ti, NULL) == 0)
		yes = res.automergeable && git_odb_hash(&h, res.ptr, res.len,
		    GIT_OBJECT_BLOB) == 0 && git_oid_equal(&h, result);
	git_merge_file_result_free(&res);
	git_error_clear();
	git_blob_free(bb);
	git_blob_free(ob);
	git_blob_free(tb);
	git_tree_entry_free(e);
	free(full);
	return yes;
}

/*
 * The changes below content/ of merge c of its own: the files it holds
 * in a version that none of its parents holds (git's combined diff) and
 * that git's merge would not have made by itself: added or removed in
 * the merge, or edited there, as when a conflict is resolved; not a file
 * both branches edited in other places of it, which git merged. Each
 * is a change from the first parent that holds the file, an addition
 * where none does. What a merge brings from a parent is told by that
 * parent's commits. Returns 0, or -1 when a tree cannot be read.
 */
static int
merge_deltas(struct walk *w, size_t ni, git_commit *c, struct gl_delta **out,
    size_t *outsz)
{
	struct tdlist first = { NULL, 0 }, other = { NULL, 0 };
	struct gl_delta *d, *o;
	char *folder = xasprintf("%scontent/", w->h->prefix);
	unsigned pk, np = git_commit_parentcount(c);
	git_oid ct, *pt = xcalloc(np, sizeof(*pt));
	bool hc, *hp = xcalloc(np, sizeof(*hp));
	git_commit *pc;
	struct mergebase mb = { false, false, NULL };
	size_t j, k, keep;
	int rc = -1, e;

	*out = NULL;
	*outsz = 0;
	if (w->td == NULL)
		w->td = treediff_new(w->h->repo);
	if (treediff_folder(w->td, git_commit_tree_id(c), folder, &ct, &hc) < 0)
		goto bad_tree;
	for (pk = 0; pk < np; pk++) {
		if (git_commit_parent(&pc, c, pk) < 0) {
			commit_fail(w->dg, git_commit_parent_id(c, pk));
			goto out;
		}
		e = treediff_folder(w->td, git_commit_tree_id(pc), folder,
		    &pt[pk], &hp[pk]);
		git_commit_free(pc);
		if (e < 0)
			goto bad_tree;
		/* The folder as a parent has it (most merges): no change. */
		if (hp[pk] == hc && (!hc || git_oid_equal(&pt[pk], &ct))) {
			rc = 0;
			goto out;
		}
	}
	for (pk = 0; pk < np; pk++) {
		if (treediff_run(w->td, hp[pk] ? &pt[pk] : NULL,
		    hc ? &ct : NULL, tdlist_seen, pk == 0 ? &first : &other) < 0)
			goto bad_tree;
		if (pk == 0 && first.n == 0)
			break;
		if (pk == 0)
			continue;
		/* Keeps of first what this parent does not hold either. */
		if (other.n > 1)
			qsort(other.v, other.n, sizeof(*other.v), tdelta_cmp);
		for (j = 0, keep = 0; j < first.n; j++) {
			d = &first.v[j];
			o = other.n == 0 ? NULL : bsearch(d, other.v, other.n,
			    sizeof(*other.v), tdelta_cmp);
			if (o == NULL) {
				free(d->old_path);
				free(d->new_path);
				continue;
			}
			if (d->status == 'A' && o->status == 'M') {
				/* Edited from this parent's version. */
				d->status = 'M';
				d->old_path = xstrdup(d->new_path);
				git_oid_cpy(&d->old_id, &o->old_id);
			} else if (np == 2 && d->status == 'M' &&
			    o->status == 'M' && merged_by_git(w, ni, &mb,
			    d->new_path, &d->old_id, &o->old_id,
			    &d->new_id)) {
				free(d->old_path);
				free(d->new_path);
				continue;
			}
			first.v[keep++] = *d;
		}
		first.n = keep;
		/*
		 * A type changed from the first parent (a deletion and an
		 * addition) but a file edited from this one: the edit only.
		 */
		for (j = 0, keep = 0; j < first.n; j++) {
			d = &first.v[j];
			for (k = 0; d->status == 'D' && k < first.n; k++)
				if (first.v[k].status == 'M' && strcmp(
				    first.v[k].new_path, d->old_path) == 0)
					break;
			if (d->status == 'D' && k < first.n) {
				free(d->old_path);
				continue;
			}
			first.v[keep++] = *d;
		}
		first.n = keep;
		gitlog_deltas_free(other.v, other.n);
		other = (struct tdlist){ NULL, 0 };
		if (first.n == 0)
			break;
	}
	gitlog_sort(first.v, first.n);
	*out = first.v;
	*outsz = first.n;
	first = (struct tdlist){ NULL, 0 };
	rc = 0;
	goto out;
bad_tree:
	git_fail(w->dg, "cannot read a tree");
out:
	git_tree_free(mb.tree);
	gitlog_deltas_free(first.v, first.n);
	gitlog_deltas_free(other.v, other.n);
	free(folder);
	free(pt);
	free(hp);
	return rc;
}

/*
 * Compares one commit with its parent: the changes listed by git log
 * when it ran, else a libgit2 diff; renames paired the same way on both
 * paths. A merge has only the changes of its own (merge_deltas()).
 */
static int
walk_commit(struct walk *w, size_t ni)
{
	struct node *nd = &w->nodes[ni];
	git_commit *c = NULL, *pc = NULL;
	git_tree *ct = NULL, *pt = NULL;
	struct gl_delta *deltas = NULL, *d;
	size_t i, n = 0, fi, ci = SIZE_MAX;
	bool listed, ignored;
	char *path = NULL;
	bool paired = false;
	int rc = -1;

	if (git_commit_lookup(&c, w->h->repo, &nd->id) < 0)
		return commit_fail(w->dg, &nd->id);
	/*
	 * A shallow clone's boundary may be a merge (a pull request's,
	 * fetched with a depth of 1): what it holds is older than the clone
	 * knows all the same.
	 */
	if (nd->boundary || (git_commit_parentcount(c) == 1 &&
	    nd->parentsz == 1 && w->nodes[nd->parents[0]].missing)) {
		/* What the boundary holds is older than the clone knows. */
		w->h->shallow = true;
		if (folder_tree(w->h, c, "", &ct) == -1) {
			git_fail(w->dg, "cannot read a tree");
			goto out;
		}
		if (ct != NULL)
			git_tree_walk(ct, GIT_TREEWALK_PRE, mark_incomplete, w);
		rc = 0;
		goto out;
	}
	if (git_commit_parentcount(c) > 1) {
		/* Merges bring their parents' changes; some have their own. */
		if (merge_deltas(w, ni, c, &deltas, &n) == -1)
			goto out;
	} else if (w->log == NULL ||
	    !gitlog_get(w->log, &nd->id, &deltas, &n, &paired)) {
		if (w->log != NULL)
			w->h->log_missed++;
		if (folder_tree(w->h, c, "", &ct) == -1) {
			git_fail(w->dg, "cannot read a tree");
			goto out;
		}
		if (nd->parentsz == 1) {
			if (git_commit_parent(&pc, c, 0) < 0) {
				commit_fail(w->dg, git_commit_parent_id(c, 0));
				goto out;
			}
			if (folder_tree(w->h, pc, "", &pt) == -1) {
				git_fail(w->dg, "cannot read a tree");
				goto out;
			}
		}
		if (diff_trees(w, pt, ct, &deltas, &n) == -1)
			goto out;
	}
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (!paired)
		gitlog_pair(w->h->repo, deltas, &n);
	join_typechanges(deltas, &n);
	n = unpair_kinds(&deltas, n);
	listed = oid_in(w->ignore, w->ignoresz, &nd->id);
	for (i = 0; i < n; i++) {
		d = &deltas[i];
		/*
		 * .git-blame-ignore-revs lists reformats: a file added,
		 * removed or renamed there is a change all the same.
		 */
		ignored = listed && d->status != 'A' && d->status != 'D' &&
		    d->status != 'R';
		free(path);
		path = xasprintf("content/%s", d->new_path != NULL ?
		    d->new_path : d->old_path);
		fi = file_at(w, path);
		if (!ignored) {
			if (ci == SIZE_MAX)
				ci = commit_add(w, c);
			rev_add(w, fi, ci, path);
		}
		if (is_record_path(path) || (d->old_path != NULL &&
		    is_record_old(d->old_path)))
			record_rev(w, fi, d, c, ignored);
		if (d->status == 'R') {
			/* Older commits know the file by its old name. */
			struct hist_file *f = &w->h->files[fi];
			char *old = xasprintf("content/%s", d->old_path);
			pathmap_del(&w->paths, path);
			pathmap_set(&w->paths, old, fi);
			pathmap_set(&w->ever, old, 0);
			f->old_paths = xreallocarray(f->old_paths,
			    f->old_pathsz + 1, sizeof(char *));
			f->old_paths[f->old_pathsz++] = old;
		}
	}
	rc = w->damaged ? -1 : 0;
out:
	free(path);
	gitlog_deltas_free(deltas, n);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(pc);
	git_commit_free(c);
	return rc;
}

/* Is the email a line of .mailmap replaces, its last before '#', "<>"? */
static bool
mailmap_empty_email(const char *line, const char *end)
{
	const char *hash = memchr(line, '#', (size_t)(end - line)), *lt, *gt;
	const char *last = NULL;

	if (hash != NULL)
		end = hash;
	for (; (lt = memchr(line, '<', (size_t)(end - line))) != NULL &&
	    (gt = memchr(lt, '>', (size_t)(end - lt))) != NULL; line = gt + 1)
		last = lt;
	return last != NULL && last[1] == '>';
}

/* ASCII letters in lower case, as git's strcasecmp() compares them. */
static void
ascii_lower(char *p, size_t n)
{
	for (; n > 0; p++, n--)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
}

/*
 * Puts the line of .mailmap from line to end (its newline) into b, with
 * what git matches without regard to case in lower case: the emails,
 * and the name to replace between them ("Proper <p@x> Old Name <o@x>").
 */
static void
mailmap_line(struct buf *b, const char *line, const char *end)
{
	size_t at = b->len, i, gt = 0;
	bool in = false, named = false;

	buf_put(b, line, (size_t)(end - line));
	for (i = at; i < b->len; i++) {
		if (b->ptr[i] == '#' && !in)
			break;
		if (b->ptr[i] == '<') {
			/* The name between the first '>' and the next '<'. */
			if (gt != 0 && !named && !in) {
				ascii_lower(b->ptr + gt, i - gt);
				named = true;
			}
			in = true;
		} else if (b->ptr[i] == '>' && in) {
			in = false;
			if (gt == 0)
				gt = i + 1;
		} else if (in)
			ascii_lower(b->ptr + i, 1);
	}
}

git_mailmap *
hist_mailmap_parse(const char *text, size_t len)
{
	struct buf b = BUF_INIT;
	const char *line, *nl, *nul, *end = text + len;
	git_mailmap *mm = NULL;

	for (line = text; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end - 1;
		/*
		 * libgit2 1.5 refuses the whole file for one line whose
		 * email to replace is empty ("Name <a@b> <>": commits
		 * without an email), which git applies: such lines are
		 * left out, the others kept. It refuses it for a NUL too,
		 * where git reads the line up to it.
		 */
		if ((nul = memchr(line, '\0', (size_t)(nl + 1 - line))) != NULL) {
			if (!mailmap_empty_email(line, nul))
				mailmap_line(&b, line, nul);
			buf_putc(&b, '\n');
		} else if (!mailmap_empty_email(line, nl + 1))
			mailmap_line(&b, line, nl + 1);
	}
	if (git_mailmap_from_buffer(&mm, b.ptr, b.len) < 0)
		mm = NULL;
	buf_release(&b);
	return mm;
}

const char *
hist_mailmap_name(const struct git_mailmap *mm, const char *name,
    const char *email)
{
	char *lname = xstrdup(name), *lemail = xstrdup(email);
	const char *rname = NULL, *remail;

	ascii_lower(lname, strlen(lname));
	ascii_lower(lemail, strlen(lemail));
	if (git_mailmap_resolve(&rname, &remail, mm, lname, lemail) < 0 ||
	    rname == lname)
		rname = NULL;
	free(lname);
	free(lemail);
	return rname;
}

/*
 * Appends the bytes of a file at the top of the repository: of the work
 * tree, or under --as-of of the commit built, which is read instead of
 * the working tree. A file only, not a link. Returns 0, or -1 when there
 * is no such file.
 */
static int
top_bytes(struct history *h, const git_oid *start, const char *name,
    struct buf *b)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *path;
	int rc = -1;

	if (h->as_of) {
		if (git_commit_lookup(&c, h->repo, start) == 0 &&
		    git_commit_tree(&t, c) == 0 &&
		    git_tree_entry_bypath(&e, t, name) == 0 &&
		    (git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB ||
		    git_tree_entry_filemode(e) ==
		    GIT_FILEMODE_BLOB_EXECUTABLE) &&
		    git_blob_lookup(&blob, h->repo, git_tree_entry_id(e)) == 0) {
			buf_put(b, git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob));
			rc = 0;
		}
		git_error_clear();
	} else if (git_repository_workdir(h->repo) != NULL) {
		path = path_join(git_repository_workdir(h->repo), name);
		rc = file_read_nofollow(b, path);
		free(path);
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* The bytes of .git-blame-ignore-revs, of the commit built under --as-of. */
static void
ignore_bytes(struct history *h, const git_oid *start, struct buf *b)
{
	top_bytes(h, start, ".git-blame-ignore-revs", b);
}

/*
 * The .mailmap at the top of the work tree (of the commit built under
 * --as-of), or NULL. Only that file, and not through a symbolic link:
 * neither it nor the mailmap.file or mailmap.blob the repository's
 * configuration may name may lead out of the repository.
 */
static git_mailmap *
read_mailmap(struct history *h, const git_oid *start)
{
	struct buf b = BUF_INIT;
	git_mailmap *mm = NULL;

	if (top_bytes(h, start, ".mailmap", &b) == 0)
		mm = hist_mailmap_parse(b.ptr, b.len);
	buf_release(&b);
	return mm;
}

/* Reads .git-blame-ignore-revs, of the commit built under --as-of. */
static int
read_ignore(struct walk *w, const git_oid *start)
{
	struct history *h = w->h;
	struct buf b = BUF_INIT, shown = BUF_INIT;
	const char *p;
	int rc;

	ignore_bytes(h, start, &b);
	/* Its name in diagnostics, from the site folder. */
	for (p = h->prefix; *p != '\0'; p++)
		if (*p == '/')
			BUF_PUTSL(&shown, "../");
	BUF_PUTSL(&shown, ".git-blame-ignore-revs");
	rc = hist_ignore_parse(w->dg, shown.ptr, &b, &w->ignore, &w->ignoresz);
	buf_release(&b);
	buf_release(&shown);
	return rc;
}

int
hist_ignore_parse(struct diag *dg, const char *shown, struct buf *b,
    git_oid **ids, size_t *idsz)
{
	char *line, *end, *hash, *start;
	struct pos pos;
	unsigned ln = 0;
	git_oid id;
	int rc = 0;

	for (line = b->ptr; line < b->ptr + b->len; line = end + 1) {
		ln++;
		if ((end = memchr(line, '\n', (size_t)(b->ptr + b->len -
		    line))) == NULL)
			end = b->ptr + b->len;
		*end = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		for (start = line; *line == ' ' || *line == '\t'; line++)
			;
		hash = line + strlen(line);
		while (hash > line && (hash[-1] == ' ' || hash[-1] == '\t' ||
		    hash[-1] == '\r'))
			*--hash = '\0';
		if (*line == '\0')
			continue;
		if (strlen(line) != GIT_OID_HEXSZ ||
		    git_oid_fromstr(&id, line) < 0) {
			/* The repository's bytes: shown without controls. */
			char *text = text_clean(line, 80);
			pos = (struct pos){ shown, ln,
			    (unsigned)(line - start) + 1 };
			if (diag_warning(dg, &pos,
			    "'%s' is not a full commit hash; line ignored",
			    text) == -1)
				rc = -1;
			free(text);
			continue;
		}
		*ids = xreallocarray(*ids, *idsz + 1, sizeof(git_oid));
		(*ids)[(*idsz)++] = id;
	}
	return rc;
}

/*
 * The working tree's status, read on a thread of its own with a
 * repository handle of its own, from when git is started until the walk
 * needs it: read after the walk, it took 8 ms of 150 at N = 1,000 with
 * the other processor idle for half of them.
 */
struct hist_status {
	struct history	*h;
	git_repository	*repo;		/* its own handle; NULL: h->repo */
	git_status_list	*list;
	char		*blocker;	/* a file git would wait on, or NULL */
	char		**hidden;	/* files git is told not to look at */
	size_t		 hiddensz;
	char		*error;		/* libgit2's message, or NULL */
	bool		 thread;
	pthread_t	 tid;
};

/*
 * Is the working tree's file at path (from the repository's root) other
 * than the index entry's version? A file that is no longer there, or is
 * no file or link, is; a FIFO is not read.
 */
static bool
hidden_differs(git_repository *repo, const git_index_entry *ie)
{
	struct stat st;
	git_oid id;
	char *full, link[PATH_MAX];
	ssize_t n;
	bool differs = true;

	full = path_join(git_repository_workdir(repo), ie->path);
	if (lstat(full, &st) == -1)
		;
	else if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(full, link, sizeof(link))) >= 0 &&
		    git_odb_hash(&id, link, (size_t)n, GIT_OBJECT_BLOB) == 0)
			differs = !git_oid_equal(&id, &ie->id);
	} else if (S_ISREG(st.st_mode) &&
	    git_repository_hashfile(&id, repo, ie->path, GIT_OBJECT_BLOB,
	    NULL) == 0)
		differs = !git_oid_equal(&id, &ie->id);
	free(full);
	return differs;
}

/*
 * The files under spec that the index marks assume-unchanged or
 * skip-worktree (a sparse checkout) and that differ in the working tree:
 * git's status takes them for unchanged, but the build reads the working
 * tree's, so they are uncommitted changes as any other.
 */
static void
hidden_changes(struct hist_status *j, const char *spec)
{
	git_repository *repo = j->repo != NULL ? j->repo : j->h->repo;
	git_index *idx = NULL;
	const git_index_entry *ie;
	size_t i, n, sl = strlen(spec);

	if (git_repository_index(&idx, repo) < 0) {
		git_error_clear();
		return;
	}
	n = git_index_entrycount(idx);
	for (i = 0; i < n; i++) {
		ie = git_index_get_byindex(idx, i);
		if (!(ie->flags & GIT_INDEX_ENTRY_VALID) &&
		    !(ie->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE))
			continue;
		if (strncmp(ie->path, spec, sl) != 0 || ie->path[sl] != '/' ||
		    GIT_INDEX_ENTRY_STAGE(ie) != 0 ||
		    !hidden_differs(repo, ie))
			continue;
		j->hidden = xreallocarray(j->hidden, j->hiddensz + 1,
		    sizeof(char *));
		j->hidden[j->hiddensz++] = xstrdup(ie->path);
	}
	git_index_free(idx);
}

/*
 * What git reads to tell the working tree's status besides its files and
 * the repository's (gitdir_blocker()): the .gitignore and .gitattributes
 * of the folders it looks in, the site's content/ and those above it.
 * One that is no file (a FIFO) would make libgit2 wait on it for ever,
 * as git itself does. Returns the full path of the first such, or NULL;
 * caller frees.
 */
static char *
status_blocker(git_repository *repo, const char *prefix)
{
	static const char *const top[] = { ".gitignore", ".gitattributes" };
	struct buf b = BUF_INIT;
	const char *p = prefix, *slash;
	size_t i, len;

	buf_puts(&b, git_repository_workdir(repo));
	buf_truncate(&b, b.len - 1);	/* its '/' */
	for (;;) {
		len = b.len;
		for (i = 0; i < NELEM(top); i++) {
			buf_truncate(&b, len);
			buf_printf(&b, "/%s", top[i]);
			if (not_file(b.ptr))
				return buf_detach(&b);
		}
		buf_truncate(&b, len);
		if ((slash = strchr(p, '/')) == NULL)
			break;
		buf_putc(&b, '/');
		buf_put(&b, p, (size_t)(slash - p));
		p = slash + 1;
	}
	BUF_PUTSL(&b, "/content");
	if (blocker_below(&b, false))
		return buf_detach(&b);
	buf_release(&b);
	return NULL;
}

static void *
status_main(void *arg)
{
	struct hist_status *j = arg;	/* no handle of its own: main thread */
	const git_error *e;
	git_status_options so;
	char *spec = xasprintf("%scontent", j->h->prefix);
	char *specs[1] = { spec };

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	    GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	    GIT_STATUS_OPT_INCLUDE_IGNORED |
	    GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	so.pathspec.strings = specs;
	so.pathspec.count = 1;
	if ((j->blocker = status_blocker(j->repo != NULL ? j->repo :
	    j->h->repo, j->h->prefix)) != NULL)
		;	/* git would wait on it for ever */
	else if (git_status_list_new(&j->list, j->repo != NULL ? j->repo :
	    j->h->repo, &so) < 0) {
		/* (libgit2 keeps the last error by thread.) */
		e = git_error_last();
		j->error = xstrdup(e != NULL && e->message != NULL ?
		    e->message : "unknown git error");
	} else
		hidden_changes(j, spec);
	free(spec);
	return NULL;
}

/*
 * Starts reading the status on a thread, with a handle of its own on the
 * same repository and working tree; when none can be had, status_end()
 * reads it.
 */
static void
status_start(struct history *h)
{
	struct hist_status *j;
	git_repository *repo = NULL;
	const char *w;

	if (h->status != NULL || h->as_of)
		return;
	j = h->status = xcalloc(1, sizeof(*j));
	j->h = h;
	if (git_repository_open_ext(&repo, git_repository_path(h->repo),
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return;
	rawobj_guard(repo, h->repo);
	if ((w = git_repository_workdir(repo)) == NULL ||
	    strcmp(w, git_repository_workdir(h->repo)) != 0) {
		git_repository_free(repo);
		return;
	}
	j->repo = repo;
	j->thread = pthread_create(&j->tid, NULL, status_main, j) == 0;
}

/* Waits for the status thread, if any, and frees what it read. */
static void
status_free(struct hist_status *j)
{
	size_t i;

	if (j == NULL)
		return;
	if (j->thread)
		pthread_join(j->tid, NULL);
	git_status_list_free(j->list);
	free(j->blocker);
	for (i = 0; i < j->hiddensz; i++)
		free(j->hidden[i]);
	free(j->hidden);
	free(j->error);
	git_repository_free(j->repo);
	free(j);
}

/*
 * Is rel, a path from the site folder that git ignores (a folder's ends
 * in '/'), one the build does not read: a hidden name outside
 * content/static/?
 */
static bool
ignored_unread(const char *rel)
{
	const char *p;

	if (str_startswith(rel, "content/static/"))
		return false;
	for (p = rel; (p = strchr(p, '/')) != NULL; )
		if (*++p == '.')
			return true;
	return false;
}

/*
 * Lists the files that differ from HEAD in the working tree, for
 * finish() to mark: as the thread read them, or read now.
 */
static int
status_end(struct walk *w)
{
	struct history *h = w->h;
	struct hist_status *j = h->status;
	const git_status_entry *e;
	const char *path;
	size_t i, k, n, pl = strlen(h->prefix);
	int rc = 0;

	if (j == NULL) {
		j = h->status = xcalloc(1, sizeof(*j));
		j->h = h;
	}
	if (j->thread) {
		pthread_join(j->tid, NULL);
		j->thread = false;
	} else
		status_main(j);
	if (j->blocker != NULL) {
		rc = diag_error(w->dg, NULL, "%s: not a regular file, which "
		    "git reads for the working tree's status (and would wait "
		    "on for ever): remove it", j->blocker);
		goto out;
	}
	if (j->error != NULL) {
		rc = diag_error(w->dg, NULL, "cannot read the working tree's "
		    "status: %s", j->error);
		goto out;
	}
	n = git_status_list_entrycount(j->list);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(j->list, i);
		if (e->status == GIT_STATUS_CURRENT)
			continue;
		path = e->index_to_workdir != NULL ?
		    e->index_to_workdir->new_file.path :
		    e->head_to_index->new_file.path;
		if (strncmp(path, h->prefix, pl) != 0 ||
		    !str_startswith(path + pl, "content/"))
			continue;
		if (e->status & GIT_STATUS_IGNORED) {
			/*
			 * Built all the same, and in no commit: uncommitted
			 * as an untracked file is. Not hidden ones (an
			 * editor's), which the build passes over outside
			 * content/static/; a folder (its files unlisted)
			 * makes the tree uncommitted, no file of its own.
			 */
			if (ignored_unread(path + pl))
				continue;
			h->dirty = true;
			if (str_endswith(path, "/"))
				continue;
		}
		w->changed = xreallocarray(w->changed, w->changedsz + 1,
		    sizeof(*w->changed));
		w->changed[w->changedsz++] = xstrdup(path + pl);
		h->dirty = true;
	}
	for (i = 0; i < j->hiddensz; i++) {
		path = j->hidden[i] + pl;
		for (k = 0; k < w->changedsz; k++)
			if (strcmp(w->changed[k], path) == 0)
				break;
		if (k < w->changedsz)
			continue;	/* also changed in the index */
		w->changed = xreallocarray(w->changed, w->changedsz + 1,
		    sizeof(*w->changed));
		w->changed[w->changedsz++] = xstrdup(path);
		h->dirty = true;
	}
out:
	status_free(j);
	h->status = NULL;
	return rc;
}

/*
 * Of two files that had the same name (one removed, another made there
 * later), the one changed last comes first: the one there now. Files the
 * walk never saw changed come last.
 */
static int
newer_first(const struct hist_file *x, const struct hist_file *y)
{
	if (x->revsz == 0 || y->revsz == 0)
		return (x->revsz == 0) - (y->revsz == 0);
	if (x->revs[0].commit != y->revs[0].commit)
		return x->revs[0].commit < y->revs[0].commit ? -1 : 1;
	return 0;
}

static int
file_cmp(const void *a, const void *b)
{
	const struct hist_file *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c != 0 ? c : newer_first(x, y);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct hist_entry *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return 0;
}

/* Adds a path of a tree (its files only) to a pathmap. */
static int
collect_built(const char *root, const git_tree_entry *e, void *arg)
{
	char *path;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return 0;
	path = xasprintf("%s%s", root, git_tree_entry_name(e));
	pathmap_set(arg, path, 0);
	free(path);
	return 0;
}

/*
 * Marks the files the working tree changed, found by the names they have
 * in the commit built (not by the walk's, which are those of its oldest
 * commit, before any rename): of files that had the same name, the one
 * changed last, as hist_file() finds it. A path no file had is a new one.
 */
static void
mark_changed(struct walk *w)
{
	struct history *h = w->h;
	struct pathmap now = { NULL, NULL, 0, 0 };
	size_t i, k;

	if (w->changedsz == 0)
		return;
	for (i = 0; i < h->filesz; i++)
		if (!pathmap_get(&now, h->files[i].path, &k) ||
		    newer_first(&h->files[i], &h->files[k]) < 0)
			pathmap_set(&now, h->files[i].path, i);
	for (i = 0; i < w->changedsz; i++) {
		if (!pathmap_get(&now, w->changed[i], &k))
			k = file_new(w, w->changed[i]);
		h->files[k].uncommitted = true;
	}
	pathmap_release(&now);
}

/* A commit's place in the change lists: its year, then the walk's order. */
struct commit_rank {
	int		 year;
	size_t		 commit;
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct commit_rank *x = a, *y = b;

	if (x->year != y->year)
		return x->year > y->year ? -1 : 1;
	return x->commit < y->commit ? -1 : x->commit > y->commit;
}

/*
 * The place of each commit in the change lists: the walk's order (newest
 * first), but a later year always before an earlier one, so that each
 * year's changes are together, as changes/<year>/ lists them. Author
 * dates need not follow the walk: a rebased or cherry-picked commit keeps
 * the date it was first written.
 */
static size_t *
commit_ranks(const struct history *h)
{
	struct commit_rank *by = xcalloc(h->commitsz + 1, sizeof(*by));
	size_t *rank = xcalloc(h->commitsz + 1, sizeof(*rank)), i;

	for (i = 0; i < h->commitsz; i++)
		by[i] = (struct commit_rank){ h->commits[i].date.y, i };
	qsort(by, h->commitsz, sizeof(*by), rank_cmp);
	for (i = 0; i < h->commitsz; i++)
		rank[by[i].commit] = i;
	free(by);
	return rank;
}

/* Sorts the files and lists every substantive record change, newest first. */
static void
finish(struct walk *w, git_tree *start)
{
	struct history *h = w->h;
	struct hist_file *f;
	struct pathmap built = { NULL, NULL, 0, 0 };
	struct hist_entry *byc = NULL;
	size_t *counts, *rank, i, j, k, total = 0;

	/*
	 * The files of the commit built, read in one walk: looking each up
	 * by path would read a large folder's tree once per file.
	 */
	if (start != NULL)
		git_tree_walk(start, GIT_TREEWALK_PRE, collect_built, &built);
	mark_changed(w);
	if (h->filesz > 1)
		qsort(h->files, h->filesz, sizeof(*h->files), file_cmp);
	for (i = 0; i < h->filesz; i++) {
		f = &h->files[i];
		f->removed = !pathmap_get(&built, f->path + 8, &k);
		if (f->uncommitted && f->revsz == 0)
			f->removed = false;	/* new, not yet committed */
		if (is_record_path(f->path)) {
			f->record = true;
			f->vendor = xstrndup(f->path + 16, strlen(f->path) - 20);
		}
	}
	/* Bucket the record changes by commit, newest commit first. */
	counts = xcalloc(h->commitsz + 1, sizeof(size_t));
	rank = commit_ranks(h);
	for (i = 0; i < h->filesz; i++)
		for (j = 0; j < h->files[i].revsz; j++)
			if (h->files[i].record && h->files[i].revs[j].substantive) {
				counts[rank[h->files[i].revs[j].commit]]++;
				total++;
			}
	h->entries = xcalloc(total + 1, sizeof(*h->entries));
	byc = h->entries;
	for (i = 0, k = 0; i <= h->commitsz; i++) {
		size_t c = counts[i];
		counts[i] = k;
		k += c;
	}
	for (i = 0; i < h->filesz; i++)
		for (j = 0; j < h->files[i].revsz; j++)
			if (h->files[i].record && h->files[i].revs[j].substantive)
				byc[counts[rank[h->files[i].revs[j].commit]]++] =
				    (struct hist_entry){ i, j };
	h->entrysz = total;
	/* Within a commit, by file (records are sorted by id). */
	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total && h->files[byc[j].file].revs[byc[j].rev].commit ==
		    h->files[byc[i].file].revs[byc[i].rev].commit; j++)
			continue;
		qsort(byc + i, j - i, sizeof(*byc), entry_cmp);
	}
	free(rank);
	free(counts);
	pathmap_release(&built);
}

/* ---- the cache ---- */

/* Adds a line "what <hash of a file's bytes>" to a key. */
static void
key_file(struct buf *k, const char *what, const char *path)
{
	struct buf b = BUF_INIT;

	if (path != NULL && file_read_nofollow(&b, path) == 0)
		buf_printf(k, "%s %016llx\n", what, (unsigned long long)
		    hash64(HASH64_INIT, b.ptr, b.len));
	else
		buf_printf(k, "%s none\n", what);
	buf_release(&b);
}

/*
 * The key of the cache: docket itself (its version and the bytes of the
 * program, so that any other build of docket misses) and everything the
 * walk reads besides the commits. NULL when the program cannot be read.
 */
static char *
cache_key(struct history *h, const struct config *cfg)
{
	struct buf k = BUF_INIT, b = BUF_INIT;
	uint64_t self;
	git_oid start;
	char *path;

	if (!histcache_self(&self))
		return NULL;
	buf_printf(&k, "docket history cache 2\ndocket %s %016llx\n",
	    DOCKET_VERSION, (unsigned long long)self);
	buf_printf(&k, "prefix %s\nauthors %d\ndrafts %d\ndate-format ",
	    h->prefix, cfg->hist_authors, h->drafts);
	buf_puts(&k, cfg->date_format);
	BUF_PUTSL(&k, "\n");
	git_oid_fromstr(&start, h->head);
	ignore_bytes(h, &start, &b);
	buf_printf(&k, "ignore-revs %016llx\n", (unsigned long long)
	    hash64(HASH64_INIT, b.ptr, b.len));
	buf_release(&b);
	path = path_join(git_repository_commondir(h->repo), "shallow");
	key_file(&k, "shallow", path);
	free(path);
	if (cfg->hist_authors) {
		if (top_bytes(h, &start, ".mailmap", &b) == 0)
			buf_printf(&k, "mailmap %016llx\n", (unsigned long long)
			    hash64(HASH64_INIT, b.ptr, b.len));
		else
			BUF_PUTSL(&k, "mailmap none\n");
		buf_release(&b);
	}
	return buf_detach(&k);
}

void
hist_cache(struct history *h, struct diag *dg, const char *dir)
{
	free(h->cache_dir);
	h->cache_dir = histcache_dir(dir);
	if (dir != NULL && (mkdir_p(dir) == -1 ||
	    access(dir, W_OK | X_OK) == -1))
		diag_warning(dg, NULL, "cannot keep the history cache in '%s': "
		    "%s; every build reads the whole history", dir,
		    strerror(errno));
}

/*
 * git log lists a change below content/ (on the thread that reads it):
 * the versions of a record it names are parsed ahead, each at the path
 * record_rev() will give.
 */
static void
log_seen(void *arg, const char *rel, const git_oid *old_id,
    const git_oid *new_id)
{
	const struct history *h = arg;
	char *path;

	if (!is_record_old(rel))
		return;
	path = xasprintf("content/%s", rel);
	/* Not the versions at HEAD, which the build has read (heads_load()). */
	if (!git_oid_is_zero(old_id) && !is_head(h, old_id))
		recqueue_add(h->rq, old_id, path);
	if (!git_oid_is_zero(new_id) && !is_head(h, new_id))
		recqueue_add(h->rq, new_id, path);
	free(path);
}

/*
 * The blobs of the records at HEAD, when the build can give the records
 * it read from the work tree (h->current): the walk asks it for those
 * versions, and the worker does not parse them ahead.
 */
static void
heads_load(struct history *h)
{
	struct hist_heads *hh;
	git_oid id;
	git_commit *c = NULL;
	git_tree *dir = NULL;
	const git_tree_entry *te;
	size_t i, n, k;

	if (h->current == NULL || h->heads != NULL ||
	    git_oid_fromstr(&id, h->head) < 0)
		return;
	hh = h->heads = xcalloc(1, sizeof(*h->heads));
	if (git_commit_lookup(&c, h->repo, &id) == 0 &&
	    folder_tree(h, c, "/vendors", &dir) == 0 && dir != NULL) {
		n = git_tree_entrycount(dir);
		hh->ids = xcalloc(n + 1, sizeof(*hh->ids));
		for (i = 0; i < n; i++) {
			te = git_tree_entry_byindex(dir, i);
			if (git_tree_entry_type(te) == GIT_OBJECT_BLOB &&
			    str_endswith(git_tree_entry_name(te), ".xml"))
				git_oid_cpy(&hh->ids[hh->idsz++],
				    git_tree_entry_id(te));
		}
		/* (The keys must not move once in the table.) */
		for (i = 0; i < hh->idsz; i++)
			if (!oidmap_get(&hh->map, &hh->ids[i], &k))
				oidmap_put(&hh->map, &hh->ids[i], i);
	}
	git_tree_free(dir);
	git_commit_free(c);
}

/*
 * What git reads to list a commit's changes grows with the trees of the
 * folder: a commit weighs the size in bytes of the content folder's tree
 * and of the trees right below it, as the pack's headers give them (no
 * large tree is rebuilt from its deltas), plus LOG_COMMIT_WEIGHT for the
 * commit itself.
 */
static uint64_t
commit_weight(struct history *h, git_odb *odb, const git_oid *id)
{
	git_commit *c = NULL;
	git_tree *folder = NULL;
	git_tree_entry *e = NULL;
	const git_tree_entry *te;
	git_object_t type;
	size_t len, i, n;
	uint64_t w = LOG_COMMIT_WEIGHT;

	if (git_commit_lookup(&c, h->repo, id) < 0 ||
	    folder_entry(h, c, "", &e) == -1 || e == NULL ||
	    git_odb_read_header(&len, &type, odb, git_tree_entry_id(e)) < 0)
		goto out;
	w += len;
	/* A large folder is weighed as it is, not read. */
	if (len > LOG_WEIGH_MAX ||
	    git_tree_lookup(&folder, h->repo, git_tree_entry_id(e)) < 0)
		goto out;
	n = git_tree_entrycount(folder);
	for (i = 0; i < n; i++) {
		te = git_tree_entry_byindex(folder, i);
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE &&
		    git_odb_read_header(&len, &type, odb,
		    git_tree_entry_id(te)) == 0)
			w += len;
	}
out:
	git_tree_free(folder);
	git_tree_entry_free(e);
	git_commit_free(c);
	return w;
}

/*
 * Sets *id to the first parent named by the bytes of a commit object
 * ("tree <hex>\n" then "parent <hex>\n" lines). Returns false when it
 * names none.
 */
static bool
first_parent(git_oid *id, const char *p, size_t len)
{
	const char *end = p + len, *nl;

	if ((nl = memchr(p, '\n', len)) == NULL)
		return false;
	p = nl + 1;
	return (size_t)(end - p) > 7 + GIT_OID_HEXSZ &&
	    memcmp(p, "parent ", 7) == 0 && p[7 + GIT_OID_HEXSZ] == '\n' &&
	    git_oid_fromstrn(id, p + 7, GIT_OID_HEXSZ) == 0;
}

/*
 * Where to split the commits to list between `procs` git processes: on
 * the first-parent line from HEAD down to the cache's base (or the
 * root). Each process then lists the commits between two splits, merged
 * branches included, and gets as much of what git reads as the others
 * (at least LOG_SPLIT_MIN commits): the commits are weighed by
 * commit_weight() at LOG_WEIGH_SAMPLES places along the line, and in
 * proportion between them. Returns the number of splits (none for a
 * short history) in *out (caller frees).
 */
static size_t
log_splits(struct history *h, unsigned procs, char ***out)
{
	git_oid *line = NULL, id, base, mark;
	struct rawobj c;
	git_odb *odb = NULL;
	uint64_t *cum = NULL, total, wa, wb, sw[LOG_WEIGH_SAMPLES];
	size_t n = 0, k = 0, i, j, s, sa, sb, samples, at[LOG_WEIGH_SAMPLES];
	size_t lap = 1, steps = 0;
	bool more;

	*out = NULL;
	if (git_oid_fromstr(&id, h->head) < 0)
		return 0;
	if (h->log_based)
		git_oid_fromstr(&base, h->log_base);
	git_oid_cpy(&mark, &id);
	while (!h->log_based || !git_oid_equal(&id, &base)) {
		/* A shallow clone's last commit has no parent to read. */
		if (rawobj_read(&c, h->repo, &id, GIT_OBJECT_COMMIT) == -1) {
			rawobj_free(&c);
			break;
		}
		line = xreallocarray(line, n + 1, sizeof(*line));
		git_oid_cpy(&line[n++], &id);
		more = first_parent(&id, c.data, c.size);
		rawobj_free(&c);
		/* Unchecked, a damaged commit can name itself (rawobj.h). */
		if (!more || git_oid_equal(&id, &mark))
			break;
		if (++steps == lap) {
			git_oid_cpy(&mark, &id);
			lap *= 2;
			steps = 0;
		}
	}
	if (procs > n / LOG_SPLIT_MIN)
		procs = (unsigned)(n / LOG_SPLIT_MIN);
	if (procs < 2 || git_repository_odb(&odb, h->repo) < 0)
		goto out;

	/* line[0] is HEAD; cum[i] weighs line[0] to line[i - 1]. */
	samples = n < LOG_WEIGH_SAMPLES ? n : LOG_WEIGH_SAMPLES;
	for (j = 0; j < samples; j++) {
		at[j] = j * (n - 1) / (samples - 1);
		sw[j] = commit_weight(h, odb, &line[at[j]]);
	}
	cum = xcalloc(n + 1, sizeof(*cum));
	for (i = 0, j = 0; i < n; i++) {
		while (j + 1 < samples && at[j + 1] < i)
			j++;
		sa = at[j], wa = sw[j];
		sb = j + 1 < samples ? at[j + 1] : sa;
		wb = j + 1 < samples ? sw[j + 1] : wa;
		cum[i + 1] = cum[i] + (sb == sa ? wa :
		    (wa * (sb - i) + wb * (i - sa)) / (sb - sa));
	}
	total = cum[n];

	/* Split k: the first place where the newer commits weigh k / procs. */
	*out = xcalloc(procs, sizeof(**out));
	for (s = 0, i = 1; i < procs; i++) {
		size_t lo = s + LOG_SPLIT_MIN, hi = n - (procs - i) * LOG_SPLIT_MIN;

		s = lo;
		while (s < hi && cum[s] < total / procs * i)
			s++;
		(*out)[k++] = xstrdup(git_oid_tostr_s(&line[s]));
	}
out:
	git_odb_free(odb);
	free(cum);
	free(line);
	return k;
}

/*
 * Whether the content folder's tree in the commit built, and every tree
 * below it, can stay in libgit2's cache of delta bases (PACK_CACHE_MAX),
 * as the object stores give their sizes.
 */
static bool
trees_fit(struct history *h)
{
	struct treediff *td = treediff_new(h->repo);
	git_commit *c = NULL;
	char *folder = xasprintf("%scontent/", h->prefix);
	git_oid id, tree;
	bool found = false, fit = false;

	if (git_oid_fromstr(&id, h->head) == 0 &&
	    git_commit_lookup(&c, h->repo, &id) == 0 &&
	    treediff_folder(td, git_commit_tree_id(c), folder, &tree,
	    &found) == 0)
		fit = !found || treediff_fits(td, &tree, PACK_CACHE_MAX) == 1;
	git_commit_free(c);
	treediff_free(td);
	free(folder);
	return fit;
}

/*
 * Starts listing each commit's changes ahead of the walk: with threads
 * comparing trees, unless a tree of the folder is too large for
 * libgit2's cache (trees_fit()) and git can be run. The environment's
 * DOCKET_HISTORY_LISTER chooses one way: "trees", "git", or "none" (the
 * walk compares each commit with libgit2), to compare them.
 */
static void
start_log(struct history *h)
{
	char *folder = xasprintf("%scontent/", h->prefix);
	struct gitlog_hook hook = { log_seen, NULL };
	const char *how = getenv("DOCKET_HISTORY_LISTER");
	char **splits = NULL;
	size_t splitsz = 0, i;
	bool native;

	if (how == NULL || (strcmp(how, "trees") != 0 &&
	    strcmp(how, "git") != 0 && strcmp(how, "none") != 0))
		how = "";
	heads_load(h);
	if (strcmp(how, "none") == 0)
		goto out;	/* the walk compares each commit itself */
	if (h->rq == NULL)
		h->rq = recqueue_start(git_repository_path(h->repo));
	hook.arg = h;
	native = strcmp(how, "trees") == 0 || (how[0] == '\0' && trees_fit(h));
	if (h->log_procs > 1 && !native)
		splitsz = log_splits(h, h->log_procs, &splits);
	h->log = gitlog_start(git_repository_path(h->repo), h->head,
	    h->log_based ? h->log_base : NULL, (const char *const *)splits,
	    splitsz, folder, native, h->rq != NULL ? &hook : NULL);
	/* Without git, the thread compares trees of any size. */
	if (h->log == NULL && how[0] == '\0' && !native)
		h->log = gitlog_start(git_repository_path(h->repo), h->head,
		    h->log_based ? h->log_base : NULL,
		    (const char *const *)splits, splitsz, folder, true,
		    h->rq != NULL ? &hook : NULL);
	/* Without a lister, the walk reads the changes and parses by itself. */
	if (h->log == NULL) {
		recqueue_free(h->rq);
		h->rq = NULL;
	}
	for (i = 0; i < splitsz; i++)
		free(splits[i]);
	free(splits);
out:
	free(folder);
}

/* Stops git log and the worker: git's reader tells the worker no more. */
static void
stop_log(struct history *h)
{
	gitlog_free(h->log);
	h->log = NULL;
	if (h->rq != NULL)
		recqueue_counts(h->rq, &h->ahead, &h->ahead_used);
	recqueue_free(h->rq);
	h->rq = NULL;
}

void
hist_prefetch(struct history *h, const struct config *cfg)
{
	git_oid *ids;
	git_odb *odb = NULL;
	size_t i, n;

	if (h->repo == NULL || h->head[0] == '\0' || h->log != NULL)
		return;
	if (h->cache_dir != NULL && h->cache_key == NULL)
		h->cache_key = cache_key(h, cfg);
	/*
	 * git lists what the newest entry of the cache does not hold: the
	 * newest of a commit of this repository (registers built on one
	 * machine share the cache folder).
	 */
	h->log_based = false;
	if (h->cache_key != NULL) {
		n = histcache_list(h->cache_dir, h->cache_key, &ids);
		if (n > 0 && git_repository_odb(&odb, h->repo) == 0)
			for (i = 0; i < n && !h->log_based; i++)
				if (git_odb_exists(odb, &ids[i])) {
					h->log_based = true;
					git_oid_tostr(h->log_base,
					    sizeof(h->log_base), &ids[i]);
				}
		git_odb_free(odb);
		free(ids);
	}
	start_log(h);
	status_start(h);
	graph_start(h);
}

/* The order of the walk: children before parents, newest first. */
static size_t *
walk_order(struct walk *w, size_t *n)
{
	size_t *order = xcalloc(w->nodesz + 1, sizeof(size_t)), k = 0, i, ni;

	w->heap = xcalloc(w->nodesz + 1, sizeof(size_t));
	heap_push(w, 0);
	while (w->heapsz > 0) {
		ni = heap_pop(w);
		order[k++] = ni;
		for (i = 0; i < w->nodes[ni].parentsz; i++)
			if (--w->nodes[w->nodes[ni].parents[i]].children == 0)
				heap_push(w, w->nodes[ni].parents[i]);
	}
	*n = k;
	return order;
}

/*
 * Finds an entry of the cache whose walk is the end of this one: its
 * commit is walked at some position and, from there, this walk takes
 * the same commits in the same order (so rewritten history, or a merge
 * of older work, misses). Returns the position, or n.
 */
static size_t
cache_find(struct walk *w, const size_t *order, size_t n,
    struct hc_entry *e)
{
	struct history *h = w->h;
	git_oid *ids;
	size_t idn, i, j, ni, pos = n, *where;
	bool ok;

	idn = histcache_list(h->cache_dir, h->cache_key, &ids);
	where = xcalloc(w->nodesz + 1, sizeof(size_t));
	for (i = 0; i < w->nodesz; i++)
		where[i] = SIZE_MAX;
	for (i = 0; i < n; i++)
		where[order[i]] = i;
	for (i = 0; i < idn && pos == n; i++) {
		if (!oidmap_get(&w->nodemap, &ids[i], &ni) ||
		    where[ni] == SIZE_MAX ||
		    histcache_load(h->cache_dir, h->cache_key, &ids[i], e) == -1)
			continue;
		ok = e->ordersz == n - where[ni];
		for (j = 0; ok && j < e->ordersz; j++)
			ok = git_oid_equal(&e->order[j],
			    &w->nodes[order[where[ni] + j]].id);
		if (ok)
			pos = where[ni];
		else
			histcache_release(e);
	}
	free(where);
	free(ids);
	return pos;
}

/*
 * File gi of the commits just walked goes on with file cf of the cache:
 * a mend of gi that waits for a version follows it back through the
 * cache's links, as the walk would have through its commits. The records
 * the walk parsed are gone with the worker: the versions are read again
 * (a mend is rare).
 */
static void
mend_cached(struct walk *w, size_t gi, const struct hist_file *cf)
{
	struct record *good, *rec;
	const struct hist_link *l;
	char wait[GIT_OID_HEXSZ + 1];
	git_oid id;
	size_t i = 0, j;

	while (i < w->mendsz) {
		if (w->mend[i].file != gi) {
			i++;
			continue;
		}
		git_oid_tostr(wait, sizeof(wait), &w->mend[i].wait);
		good = NULL;
		for (j = 0; j < cf->linksz; j++) {
			l = &cf->links[j];
			if (strcmp(l->id, wait) != 0)
				continue;
			if (l->prev == NULL || git_oid_fromstr(&id, l->prev) < 0)
				break;
			if ((good = recqueue_parse(w->h->repo, &id,
			    l->prev_path)) != NULL)
				break;
			memcpy(wait, l->prev, sizeof(wait));
		}
		rec = good == NULL ? NULL :
		    recqueue_parse(w->h->repo, &w->mend[i].id, w->mend[i].path);
		if (rec != NULL) {
			w->mend[i].rec = rec;
			mend_done(w, i, good);
		} else
			mend_drop(w, i);
		record_free(good);
		record_free(rec);
	}
}

/*
 * Puts the cached walk after the commits just walked, as one walk would
 * have read it: a file the cache found first under a name that the new
 * commits know is that file, and the names at the end are the cache's.
 */
static void
cache_merge(struct walk *w, struct hc_entry *e)
{
	struct history *h = w->h;
	struct hist_file *cf, *g;
	size_t m = h->commitsz, i, j, gi, k, *map;

	h->commits = xreallocarray(h->commits, m + e->commitsz + 1,
	    sizeof(*h->commits));
	for (i = 0; i < e->commitsz; i++) {
		h->commits[m + i] = e->commits[i];
		if (h->repo_url != NULL)
			h->commits[m + i].url = xasprintf("%s/commit/%s",
			    h->repo_url, e->commits[i].id);
	}
	h->commitsz += e->commitsz;
	e->commitsz = 0;
	map = xcalloc(e->filesz + 1, sizeof(size_t));
	for (i = 0; i < e->filesz; i++) {
		cf = &e->files[i];
		for (j = 0; j < cf->revsz; j++)
			cf->revs[j].commit += m;
		if (e->top[i] && pathmap_get(&w->paths, cf->path, &gi)) {
			g = &h->files[gi];
			g->revs = xreallocarray(g->revs, g->revsz + cf->revsz + 1,
			    sizeof(*g->revs));
			memcpy(g->revs + g->revsz, cf->revs,
			    cf->revsz * sizeof(*cf->revs));
			g->revsz += cf->revsz;
			g->old_paths = xreallocarray(g->old_paths,
			    g->old_pathsz + cf->old_pathsz + 1, sizeof(char *));
			memcpy(g->old_paths + g->old_pathsz, cf->old_paths,
			    cf->old_pathsz * sizeof(char *));
			g->old_pathsz += cf->old_pathsz;
			if (g->name == NULL) {
				g->name = cf->name;
				cf->name = NULL;
			}
			mend_cached(w, gi, cf);
			g->links = xreallocarray(g->links,
			    g->linksz + cf->linksz + 1, sizeof(*g->links));
			if (cf->linksz > 0)
				memcpy(g->links + g->linksz, cf->links,
				    cf->linksz * sizeof(*cf->links));
			g->linksz += cf->linksz;
			g->record |= cf->record;
			g->incomplete |= cf->incomplete;
			free(cf->revs);
			free(cf->old_paths);
			free(cf->path);
			free(cf->name);
			free(cf->links);
			map[i] = gi;
		} else {
			h->files = xreallocarray(h->files, h->filesz + 1,
			    sizeof(*h->files));
			w->top = xreallocarray(w->top, h->filesz + 1,
			    sizeof(*w->top));
			w->top[h->filesz] = e->top[i] &&
			    !pathmap_get(&w->ever, cf->path, &k);
			h->files[h->filesz] = *cf;
			map[i] = h->filesz++;
		}
		memset(cf, 0, sizeof(*cf));
	}
	e->filesz = 0;
	for (i = 0; i < e->namesz; i++) {
		if (e->name_file[i] == SIZE_MAX)
			pathmap_del(&w->paths, e->names[i]);
		else
			pathmap_set(&w->paths, e->names[i], map[e->name_file[i]]);
		pathmap_set(&w->ever, e->names[i], 0);
	}
	h->shallow |= e->shallow;
	if (e->root_id != NULL) {
		free(h->root_id);
		h->root_id = e->root_id;
		e->root_id = NULL;
	}
	free(map);
}

/*
 * The walk of the commit built, written to the cache on a thread of its
 * own while the build goes on: serializing it took 3 to 4 ms of 150 at
 * N = 1,000, with the other processor idle, before finish() and the
 * values the pages are made of, which take as long on one processor.
 * The thread has copies of the files and of w->top, which finish()
 * changes, and the names the walk knew, whose strings it keeps; the
 * rest it reads (the commits' ids, subjects, authors and times, the
 * files' names and revisions) stays as it is until hist_free(). The
 * build waits for it with hist_cache_wait(). Meanwhile the time zone is
 * set (tz_push(): setenv()), so the thread reads no environment and
 * converts no time.
 */
struct hist_cachejob {
	struct hc_entry	 e;
	struct pathmap	 names;		/* owns the strings of e.names */
	const char	*dir;
	const char	*key;
	git_oid		 start;
	bool		 thread;
	pthread_t	 tid;
};

static void *
cache_main(void *arg)
{
	struct hist_cachejob *j = arg;

	histcache_save(j->dir, j->key, &j->start, &j->e);
	return NULL;
}

static void
cache_save_start(struct walk *w, const size_t *order, size_t n,
    const git_oid *start)
{
	struct history *h = w->h;
	struct hist_cachejob *j;
	struct hc_entry e;
	size_t i, v;

	memset(&e, 0, sizeof(e));
	e.commits = h->commits;
	e.commitsz = h->commitsz;
	e.files = xcalloc(h->filesz + 1, sizeof(*e.files));
	if (h->filesz > 0)
		memcpy(e.files, h->files, h->filesz * sizeof(*e.files));
	e.filesz = h->filesz;
	e.top = xcalloc(h->filesz + 1, sizeof(*e.top));
	if (h->filesz > 0)
		memcpy(e.top, w->top, h->filesz * sizeof(*e.top));
	e.root_id = h->root_id;
	e.shallow = h->shallow;
	e.order = xcalloc(n + 1, sizeof(git_oid));
	for (i = 0; i < n; i++)
		git_oid_cpy(&e.order[i], &w->nodes[order[i]].id);
	e.ordersz = n;
	e.names = xcalloc(w->ever.cap + 1, sizeof(char *));
	e.name_file = xcalloc(w->ever.cap + 1, sizeof(size_t));
	for (i = 0; i < w->ever.cap; i++) {
		if (w->ever.keys[i] == NULL || w->ever.keys[i] == tomb)
			continue;
		e.names[e.namesz] = w->ever.keys[i];
		e.name_file[e.namesz++] = pathmap_get(&w->paths,
		    w->ever.keys[i], &v) ? v : SIZE_MAX;
	}
	j = h->cachejob = xcalloc(1, sizeof(*j));
	j->e = e;
	j->dir = h->cache_dir;
	j->key = h->cache_key;
	git_oid_cpy(&j->start, start);
	j->thread = pthread_create(&j->tid, NULL, cache_main, j) == 0;
	if (!j->thread)
		cache_main(j);
}

void
hist_cache_wait(struct history *h)
{
	struct hist_cachejob *j;

	if (h == NULL || (j = h->cachejob) == NULL)
		return;
	if (j->thread)
		pthread_join(j->tid, NULL);
	free(j->e.files);
	free(j->e.top);
	free(j->e.order);
	free(j->e.names);
	free(j->e.name_file);
	pathmap_release(&j->names);
	free(j);
	h->cachejob = NULL;
}

/*
 * The web view of a repository that commit links lead into: repo_url
 * without the slashes and ".git" a clone URL ends with, so that
 * "https://github.com/o/r.git" gives ".../o/r/commit/<id>".
 */
static char *
web_view(const char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n >= 4 && strncasecmp(url + n - 4, ".git", 4) == 0)
		n -= 4;
	while (n > 0 && url[n - 1] == '/')
		n--;
	return xstrndup(url, n);
}

int
hist_walk(struct history *h, struct diag *dg, const struct config *cfg)
{
	struct walk w;
	git_oid start;
	git_commit *c = NULL;
	git_tree *st = NULL;
	struct tzsave sv;
	struct hc_entry ce;
	char baseid[41] = "", *link;
	size_t i, k, ni, *order = NULL, ordersz = 0, base;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	memset(&ce, 0, sizeof(ce));
	w.h = h;
	w.dg = dg;
	w.cfg = cfg;
	free(h->date_format);
	h->date_format = xstrdup(cfg->date_format);
	free(h->repo_url);
	h->repo_url = cfg->repo_url != NULL ? web_view(cfg->repo_url) : NULL;
	h->dir_urls = cfg->base_url != NULL;
	h->limit = cfg->hist_limit;
	if (h->repo == NULL)
		return 0;
	h->walked = true;
	if (h->head[0] == '\0') {
		/* No commit yet: everything is uncommitted. */
		rc = status_end(&w);
		goto done;
	}
	git_oid_fromstr(&start, h->head);
	if (graph_take(&w, &start) == -1) {
		diag_error(dg, NULL, "cannot read commit %s", w.failed != NULL ?
		    w.failed : "(unknown): unknown git error");
		goto done;
	}
	if (read_ignore(&w, &start) == -1)
		goto done;
	hist_prefetch(h, cfg);
	if (cfg->hist_authors)
		w.mailmap = read_mailmap(h, &start);
	order = walk_order(&w, &ordersz);
	base = ordersz;
	if (h->cache_key != NULL)
		base = cache_find(&w, order, ordersz, &ce);
	/* git log must list the commits to walk, no fewer. */
	if (base < ordersz)
		git_oid_tostr(baseid, sizeof(baseid), &w.nodes[order[base]].id);
	if (h->log != NULL && (base < ordersz ? !h->log_based ||
	    strcmp(h->log_base, baseid) != 0 : h->log_based)) {
		gitlog_free(h->log);
		h->log_based = base < ordersz;
		memcpy(h->log_base, baseid, sizeof(baseid));
		start_log(h);
	}
	/* Each commit is walked as soon as git has listed it. */
	if (h->log != NULL) {
		w.log = h->log;
		h->log_used = gitlog_procs(h->log);
		h->log_native = gitlog_native(h->log);
	}
	for (k = 0; k < base; k++) {
		ni = order[k];
		/* A signal stops the build: git is stopped below. */
		if (sig_caught() != 0)
			goto done;
		if (!w.nodes[ni].missing && walk_commit(&w, ni) == -1)
			goto done;
		if (w.nodes[ni].parentsz == 0 && !w.nodes[ni].missing) {
			free(h->root_id);
			h->root_id = xstrdup(git_oid_tostr_s(&w.nodes[ni].id));
		}
	}
	/*
	 * Before the time zone is set below, with no other thread running
	 * but the cache's (see struct hist_cachejob). The records the
	 * worker parsed go with it: nothing reads them now.
	 */
	stop_log(h);
	h->cache_walked = base;
	status_start(h);	/* (begun by hist_prefetch(), as a rule) */
	if (base < ordersz) {
		h->cache_reused = ordersz - base;
		cache_merge(&w, &ce);
	}
	/*
	 * A commit's time is what its maker wrote: one outside the years 1
	 * to 9999, which HTML and Atom dates cannot hold, is taken at the
	 * nearer end; here, before the cache's thread reads the times.
	 */
	for (i = 0; i < h->commitsz; i++)
		h->commits[i].time = time_clamp(h->commits[i].time);
	/* (An entry of the commit built is there already when base is 0.) */
	if (h->cache_key != NULL && base != 0)
		cache_save_start(&w, order, ordersz, &start);
	if (!h->as_of && status_end(&w) == -1)
		goto done;
	/* Dates, all in one setting of the zone. */
	tz_push(&sv, cfg->hist_timezone);
	for (i = 0; i < h->commitsz; i++)
		date_in(&h->commits[i].date, h->commits[i].time);
	h->head_time = time_clamp(h->head_time);
	date_in(&h->head_date, h->head_time);
	tz_pop(&sv);
	if (git_commit_lookup(&c, h->repo, &start) < 0 ||
	    folder_tree(h, c, "", &st) == -1) {
		git_fail(dg, "cannot read the commit built");
		goto done;
	}
	if (st == NULL && (link = content_link(h, c)) != NULL) {
		diag_warning(dg, NULL, "content/ is a symbolic link in the "
		    "repository (to '%s'): docket reads history from a "
		    "content/ folder only, so every page says \"Uncommitted "
		    "changes\"; replace the link with the folder (git rm "
		    "content, then git mv the folder to content)", link);
		free(link);
	}
	/* Under --strict an error, and the build goes on to tell the rest. */
	if (h->shallow)
		diag_warning(dg, NULL, "this is a shallow clone: history before "
		    "its first commit is missing, and pages say \"history "
		    "incomplete\"; clone with the full history "
		    "(actions/checkout: fetch-depth: 0)");
	rc = 0;
done:
	if (rc == 0 || h->files != NULL)
		finish(&w, st);
	git_tree_free(st);
	git_commit_free(c);
	for (i = 0; i < w.nodesz; i++)
		free(w.nodes[i].parents);
	free(w.nodes);
	oidmap_release(&w.nodemap);
	for (i = 0; i < w.changedsz; i++)
		free(w.changed[i]);
	free(w.changed);
	free(w.shallow);
	free(w.failed);
	free(w.ignore);
	pathmap_release(&w.paths);
	if (h->cachejob != NULL)
		h->cachejob->names = w.ever;	/* its strings, for the thread */
	else
		pathmap_release(&w.ever);
	free(w.top);
	for (i = 0; i < w.mendsz; i++)
		free(w.mend[i].path);
	free(w.mend);
	histcache_release(&ce);
	free(order);
	for (i = 0; i < w.parsedsz; i++) {
		if (w.parsed[i]->own)
			record_free(w.parsed[i]->rec);
		free(w.parsed[i]->path);
		free(w.parsed[i]);
	}
	free(w.parsed);
	oidmap_release(&w.parsedmap);
	treediff_free(w.td);
	git_mailmap_free(w.mailmap);
	free(w.heap);
	stop_log(h);
	return rc;
}

/* Is s "YYYY-MM-DD"? */
static bool
looks_like_date(const char *s)
{
	struct date d;

	return date_parse(&d, s);
}

/* What to add to a revision not found: a shallow clone lacks some. */
static const char *
shallow_hint(const struct history *h)
{
	return git_repository_is_shallow(h->repo) == 1 ? " (this is a "
	    "shallow clone, without the older commits: 'git fetch "
	    "--unshallow' fetches them)" : "";
}

/*
 * Does rev name a branch or tag whose object is not in the repository?
 * That is a damaged repository (exit 1), not an unknown revision: says
 * so and returns -1; else 0.
 */
static int
ref_missing(struct history *h, struct diag *dg, const char *rev)
{
	git_reference *ref = NULL, *res = NULL;
	const git_oid *id;
	git_object *o = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = 0;

	if (git_reference_dwim(&ref, h->repo, rev) < 0)
		return 0;
	if (git_reference_resolve(&res, ref) == 0 &&
	    (id = git_reference_target(res)) != NULL &&
	    git_object_lookup(&o, h->repo, id, GIT_OBJECT_ANY) ==
	    GIT_ENOTFOUND) {
		h->damaged = true;
		rc = diag_error(dg, NULL, "--as-of: '%s' names %s, which is not "
		    "in the repository; 'git fsck' lists the missing objects",
		    rev, git_oid_tostr(hex, sizeof(hex), id));
	}
	git_object_free(o);
	git_reference_free(res);
	git_reference_free(ref);
	return rc;
}

/* Does s begin as a date is written, "NNNN-NN-NN"? */
static bool
date_prefix(const char *s)
{
	size_t i;

	/* (A shorter s fails at its NUL, which is neither.) */
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Is s written as a date is, "NNNN-NN-NN", whether or not it is one? */
static bool
date_shaped(const char *s)
{
	return date_prefix(s) && s[10] == '\0';
}

/* Is s a date followed by a time or a zone ("2020-01-01T10:00+01:00")? */
static bool
date_timed(const char *s)
{
	if (!date_prefix(s))
		return false;
	return s[10] == 'T' || s[10] == 't' || s[10] == ' ' ||
	    s[10] == 'Z' || ((s[10] == '+' || s[10] == '-') &&
	    isdigit((unsigned char)s[11]));
}

/*
 * The commit that --as-of a day builds, found as `git rev-list -n 1
 * --before` finds it: walking back from HEAD (node 0), the commit with
 * the latest committer date first, the first one committed by end. Where
 * a clock was wrong, an older commit dated later than its children is
 * passed over for them. SIZE_MAX: none.
 */
static size_t
as_of_pick(const struct walk *w, long long end)
{
	struct datequeue q = { w->nodes, NULL, NULL, 0, 1 };
	const struct node *nd;
	size_t i, k, best = SIZE_MAX;

	if (w->nodesz == 0)
		return SIZE_MAX;
	q.heap = xreallocarray(NULL, w->nodesz, sizeof(*q.heap));
	q.seq = xcalloc(w->nodesz, sizeof(*q.seq));
	dq_push(&q, 0);
	while (q.n > 0) {
		nd = &w->nodes[i = dq_pop(&q)];
		if (nd->missing)
			continue;
		if (nd->ctime <= end) {
			best = i;
			break;
		}
		for (k = 0; k < nd->parentsz; k++)
			dq_push(&q, nd->parents[k]);
	}
	free(q.heap);
	free(q.seq);
	return best;
}

int
hist_as_of(struct history *h, struct diag *dg, const char *rev,
    const char *tz)
{
	git_object *obj = NULL;
	struct walk w;
	struct date d;
	long long end;
	size_t i, best = SIZE_MAX;
	git_oid start;
	git_commit *c = NULL;
	int rc = -1;

	if (h->repo == NULL)
		return diag_error(dg, NULL, "--as-of needs a git repository, "
		    "and there is none from the site folder up");
	if (h->head[0] == '\0')
		return diag_error(dg, NULL, "--as-of: the repository has no commits");
	free(h->as_of_rev);
	h->as_of_rev = xstrdup(rev);
	h->as_of = true;
	if (!looks_like_date(rev)) {
		/*
		 * Not a search of commit messages: libgit2 1.5 leaks a
		 * match block of pcre2 (with its frames, some 20 KiB) for
		 * each commit whose message does not match.
		 */
		if (str_startswith(rev, ":/") || strstr(rev, "^{/") != NULL)
			return diag_error(dg, NULL, "--as-of: '%s' is a search "
			    "of commit messages, which --as-of does not take: "
			    "give the commit's hash ('git log --grep' finds "
			    "it), a tag or a date", rev);
		/*
		 * Before git_revparse_single(), which in libgit2 1.5 leaks
		 * the reference when its object is missing.
		 */
		if (ref_missing(h, dg, rev) == -1)
			return -1;
		if (git_revparse_single(&obj, h->repo, rev) < 0) {
			if (date_shaped(rev))
				return diag_error(dg, NULL, "--as-of: '%s' is "
				    "not a date of the calendar (YYYY-MM-DD, "
				    "years 1 to 9999)", rev);
			if (date_timed(rev))
				return diag_error(dg, NULL, "--as-of: '%s' has "
				    "a time or a zone: --as-of takes a day "
				    "(YYYY-MM-DD), up to its end in %s "
				    "(history.timezone)", rev, tz);
			return diag_error(dg, NULL, "--as-of: unknown revision "
			    "'%s'%s", rev, shallow_hint(h));
		}
		if (git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0) {
			/* A tag: what it names in the end. */
			git_object *named = NULL;
			git_object_t t = git_object_peel(&named, obj,
			    GIT_OBJECT_ANY) == 0 ? git_object_type(named) :
			    git_object_type(obj);
			rc = diag_error(dg, NULL, "--as-of: '%s' names a %s, not "
			    "a commit", rev, git_object_type2string(t));
			git_object_free(named);
			git_object_free(obj);
			return rc;
		}
		set_head(h, c);
		git_commit_free(c);
		git_object_free(obj);
		return 0;
	}
	/* The commit of that day: as_of_pick(). */
	date_parse(&d, rev);
	if (hist_day_end(&end, &d, tz) == -1)
		return diag_error(dg, NULL, "--as-of: cannot place '%s' in %s",
		    rev, tz);
	memset(&w, 0, sizeof(w));
	w.h = h;
	w.dg = dg;
	git_oid_fromstr(&start, h->head);
	read_shallow(&w);
	collect(&w, &start);
	best = as_of_pick(&w, end);
	if (best == SIZE_MAX)
		diag_error(dg, NULL, "--as-of: no commit on or before %s%s", rev,
		    shallow_hint(h));
	else if (git_commit_lookup(&c, h->repo, &w.nodes[best].id) < 0)
		commit_fail(dg, &w.nodes[best].id);
	else {
		set_head(h, c);
		git_commit_free(c);
		rc = 0;
	}
	for (i = 0; i < w.nodesz; i++)
		free(w.nodes[i].parents);
	free(w.nodes);
	free(w.shallow);
	oidmap_release(&w.nodemap);
	return rc;
}

struct source_tree *
hist_source(struct history *h)
{
	git_oid id;

	git_oid_fromstr(&id, h->head);
	return gitsrc_new(h->repo, &id, h->prefix);
}

const struct hist_file *
hist_file(const struct history *h, const char *path)
{
	size_t lo = 0, hi, mid;
	int c;

	if (h == NULL)
		return NULL;
	/* The first of the files with that name: the one there now. */
	hi = h->filesz;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(path, h->files[mid].path);
		if (c <= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < h->filesz && strcmp(path, h->files[lo].path) == 0 ?
	    &h->files[lo] : NULL;
}

size_t
hist_last(const struct hist_file *f)
{
	size_t i;

	if (!f->record)
		return 0;
	for (i = 0; i < f->revsz; i++)
		if (f->revs[i].substantive)
			return i;
	return f->revsz;
}

void
hist_commits_free(struct hist_commit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].subject);
		free(v[i].author);
		free(v[i].url);
	}
	free(v);
}

void
hist_files_free(struct hist_file *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct hist_file *f = &v[i];
		for (j = 0; j < f->revsz; j++) {
			free(f->revs[j].path);
			recdiff_free(f->revs[j].changes, f->revs[j].changesz);
		}
		free(f->revs);
		for (j = 0; j < f->old_pathsz; j++)
			free(f->old_paths[j]);
		free(f->old_paths);
		free(f->path);
		free(f->vendor);
		free(f->name);
		for (j = 0; j < f->linksz; j++) {
			free(f->links[j].id);
			free(f->links[j].prev);
			free(f->links[j].prev_path);
		}
		free(f->links);
	}
	free(v);
}

void
hist_free(struct history *h)
{
	if (h == NULL)
		return;
	status_free(h->status);
	graph_free(h->graph);
	hist_cache_wait(h);
	stop_log(h);
	hist_commits_free(h->commits, h->commitsz);
	hist_files_free(h->files, h->filesz);
	free(h->entries);
	free(h->prefix);
	free(h->as_of_rev);
	free(h->root_id);
	free(h->date_format);
	free(h->repo_url);
	free(h->cache_dir);
	free(h->cache_key);
	if (h->heads != NULL) {
		oidmap_release(&h->heads->map);
		free(h->heads->ids);
		free(h->heads);
	}
	git_repository_free(h->repo);
	free(h);
	lib_shutdown();
}
