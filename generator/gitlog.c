/*
 * The changes of each commit, listed ahead of the walk by threads that
 * compare trees (treediff.h) or by `git log --raw` in child processes,
 * and the pairing of renames shared with the libgit2 walk.
 *
 * git is run with no system or global configuration, on the git folder
 * itself, with every option that shapes its output given: what the
 * repository's own configuration says cannot change what is read. Any
 * failure (no git, an old git, a repository git refuses) only makes the
 * caller fall back to libgit2, for the commits git did not list.
 *
 * Each process's output is read and parsed as it comes by a thread of its
 * own. A commit is listed once git has begun the next one, or once the
 * process has ended well (a process that fails may have cut its last
 * commit short), and goes into a table by id, guarded by a mutex; the
 * walk waits on a condition variable for a commit not listed yet. A
 * thread comparing trees lists each commit into the same table as soon
 * as it is compared.
 */
#define _DEFAULT_SOURCE
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "gitlib.h"
#include "gitlog.h"
#include "rawobj.h"
#include "treediff.h"
#include "util.h"

/* renew_repo() after so many commits listed, while trees are this small. */
#define RENEW_EVERY	32
#define RENEW_TREE_MAX	(128 << 10)

extern char **environ;

struct glcommit {
	git_oid		 id;
	struct gl_delta	*deltas;	/* NULL once taken */
	size_t		 deltasz;
	bool		 paired;	/* gitlog_pair() has run on them */
	bool		 used;		/* the table's slot holds a commit */
};

/*
 * One git process, or one thread comparing trees itself, listing one
 * range of the commits.
 */
struct glproc {
	struct gitlog	*g;
	pid_t		 pid;		/* git's; -1 for a thread */
	int		 fd;
	pthread_t	 reader;
	bool		 reading;	/* the reader is to be joined */
	/* For a thread: the range, as for git. */
	git_oid		 tip;
	git_oid		*not;
	size_t		 notsz;
	/* The reader's own: */
	git_repository	*repo;		/* for gitlog_pair(); NULL: none */
	struct buf	 out;		/* what git wrote, not parsed yet */
	struct glcommit	 cur;		/* the commit git is listing */
	bool		 has_cur;
	bool		 bad;		/* the output is not as expected */
	/* Under g->lock: */
	bool		 exited;	/* git has ended (maybe not reaped) */
	bool		 failed;	/* once the reader has ended */
	bool		 stop;		/* the thread is to stop */
};

struct gitlog {
	pthread_mutex_t	 lock;
	pthread_cond_t	 listed;	/* a commit listed, or a reader ended */
	size_t		 running;	/* readers not ended */
	size_t		 waiting;	/* callers waiting on listed */
	struct glcommit	*table;		/* by id, open addressing */
	size_t		 tablesz;	/* 0 or a power of 2 */
	size_t		 commitsz;
	/* Set before the readers start: */
	char		*gitdir;
	struct glproc	*procs;
	size_t		 procsz;
	bool		 native;	/* threads, not git */
	char		*folder;
	size_t		 folderlen;
	struct gitlog_hook hook;	/* seen == NULL: none */
};

/*
 * Reads ":oldmode newmode oldid newid status": the ids and the status.
 * Returns 0, or -1 when the entry is not one.
 */
static int
raw_ids(const char *raw, git_oid *old_id, git_oid *new_id, char *status)
{
	const char *p = raw + 1;

	/*
	 * Skip the two modes. A folder's is never listed (-r), but for a
	 * name with a slash in it, which git fsck refuses.
	 */
	if (strncmp(p, "040000 ", 7) == 0 ||
	    (p = strchr(p, ' ')) == NULL || strncmp(p + 1, "040000 ", 7) == 0 ||
	    (p = strchr(p + 1, ' ')) == NULL)
		return -1;
	p++;
	if (strlen(p) < 2 * GIT_OID_HEXSZ + 3 ||
	    git_oid_fromstrn(old_id, p, GIT_OID_HEXSZ) < 0 ||
	    git_oid_fromstrn(new_id, p + GIT_OID_HEXSZ + 1,
	    GIT_OID_HEXSZ) < 0)
		return -1;
	*status = p[2 * GIT_OID_HEXSZ + 2];
	return 0;
}

/* The slot of id in a table of sz slots, or the free one it would take. */
static struct glcommit *
table_slot(struct glcommit *t, size_t sz, const git_oid *id)
{
	uint64_t h;
	size_t i;

	memcpy(&h, id->id, sizeof(h));
	i = (size_t)h & (sz - 1);
	while (t[i].used && !git_oid_equal(&t[i].id, id))
		i = (i + 1) & (sz - 1);
	return &t[i];
}

/*
 * Adds a commit to the table, under the lock. A commit listed twice
 * keeps its first list.
 */
static void
table_add(struct gitlog *g, const struct glcommit *c)
{
	struct glcommit *old = g->table, *s;
	size_t oldsz = g->tablesz, i;

	if (2 * (g->commitsz + 1) > g->tablesz) {
		g->tablesz = oldsz == 0 ? 256 : 2 * oldsz;
		g->table = xcalloc(g->tablesz, sizeof(*g->table));
		for (i = 0; i < oldsz; i++)
			if (old[i].used)
				*table_slot(g->table, g->tablesz,
				    &old[i].id) = old[i];
		free(old);
	}
	s = table_slot(g->table, g->tablesz, &c->id);
	if (s->used) {
		gitlog_deltas_free(c->deltas, c->deltasz);
		return;
	}
	*s = *c;
	s->used = true;
	g->commitsz++;
}

/*
 * Lists the commit git was listing: its deltas are all read. They are
 * paired here, on the reader's thread while git goes on, not by the walk.
 */
static void
proc_list(struct glproc *gp)
{
	struct gitlog *g = gp->g;

	if (!gp->has_cur)
		return;
	gitlog_sort(gp->cur.deltas, gp->cur.deltasz);
	if (gp->repo != NULL) {
		gitlog_pair(gp->repo, gp->cur.deltas, &gp->cur.deltasz);
		gp->cur.paired = true;
	}
	pthread_mutex_lock(&g->lock);
	table_add(g, &gp->cur);
	if (g->waiting > 0)
		pthread_cond_broadcast(&g->listed);
	pthread_mutex_unlock(&g->lock);
	memset(&gp->cur, 0, sizeof(gp->cur));
	gp->has_cur = false;
}

static void
delta_push(struct gl_delta **v, size_t *n, const struct gl_delta *d)
{
	*v = xreallocarray(*v, *n + 1, sizeof(*d));
	(*v)[(*n)++] = *d;
}

int
gitlog_delta_add(struct gl_delta **v, size_t *n, char st, const char *path,
    const git_oid *old_id, const git_oid *new_id)
{
	struct gl_delta d;

	memset(&d, 0, sizeof(d));
	git_oid_cpy(&d.old_id, old_id);
	git_oid_cpy(&d.new_id, new_id);
	switch (st) {
	case 'A':
		d.status = 'A';
		d.new_path = xstrdup(path);
		break;
	case 'D':
		d.status = 'D';
		d.old_path = xstrdup(path);
		break;
	case 'M':
		d.status = 'M';
		d.old_path = xstrdup(path);
		d.new_path = xstrdup(path);
		break;
	case 'T': {
		struct gl_delta a = d;
		d.status = 'D';
		d.old_path = xstrdup(path);
		memset(&d.new_id, 0, sizeof(d.new_id));
		delta_push(v, n, &d);
		a.status = 'A';
		a.new_path = xstrdup(path);
		memset(&a.old_id, 0, sizeof(a.old_id));
		d = a;
		break;
	}
	default:
		return -1;
	}
	delta_push(v, n, &d);
	return 0;
}

/*
 * Keeps one change below the folder, at `path` below it, and tells the
 * hook of it (gitlog_delta_add()).
 */
static int
entry_add(struct gitlog *g, struct glcommit *c, char st, const char *path,
    const git_oid *old_id, const git_oid *new_id)
{
	if (g->hook.seen != NULL)
		g->hook.seen(g->hook.arg, path, old_id, new_id);
	return gitlog_delta_add(&c->deltas, &c->deltasz, st, path, old_id,
	    new_id);
}

/*
 * Reads one raw entry, ":oldmode newmode oldid newid status", and its
 * path, keeping it when the path is below the folder. Returns 0, or -1
 * when the entry is not one.
 */
static int
parse_entry(struct gitlog *g, struct glcommit *c, const char *raw,
    const char *path)
{
	git_oid old_id, new_id;
	char st;

	if (raw_ids(raw, &old_id, &new_id, &st) == -1)
		return -1;
	if (strncmp(path, g->folder, g->folderlen) != 0)
		return 0;
	return entry_add(g, c, st, path + g->folderlen, &old_id, &new_id);
}

/*
 * Parses what git has written in full since the last call, listing each
 * commit once the next one begins, and keeps the rest for the next call.
 * Tokens end in NUL: "\n"* and a commit's hash, or ":raw" and its path.
 * Sets gp->bad when the output is not as expected.
 */
static void
proc_scan(struct glproc *gp)
{
	char *p = gp->out.ptr, *end = gp->out.ptr + gp->out.len;
	char *tok, *tokend, *path, *pathend;
	git_oid id;

	while (!gp->bad &&
	    (tokend = memchr(p, '\0', (size_t)(end - p))) != NULL) {
		tok = p;
		while (*tok == '\n')
			tok++;
		if (*tok == ':') {
			path = tokend + 1;
			if ((pathend = memchr(path, '\0',
			    (size_t)(end - path))) == NULL)
				break;	/* its path is still to come */
			if (!gp->has_cur ||
			    parse_entry(gp->g, &gp->cur, tok, path) == -1)
				gp->bad = true;
			p = pathend + 1;
			continue;
		}
		p = tokend + 1;
		if (*tok == '\0')
			continue;
		if (tokend - tok != GIT_OID_HEXSZ ||
		    git_oid_fromstrn(&id, tok, GIT_OID_HEXSZ) < 0) {
			gp->bad = true;
			break;
		}
		proc_list(gp);
		git_oid_cpy(&gp->cur.id, &id);
		gp->has_cur = true;
	}
	memmove(gp->out.ptr, p, (size_t)(end - p));
	buf_truncate(&gp->out, (size_t)(end - p));
}

/* Drops the commit being listed, not listed in full. */
static void
cur_drop(struct glproc *gp)
{
	gitlog_deltas_free(gp->cur.deltas, gp->cur.deltasz);
	memset(&gp->cur, 0, sizeof(gp->cur));
	gp->has_cur = false;
}

/*
 * What a reader does last: drops the commit not listed in full, and
 * tells that it has ended, and how.
 */
static void
reader_end(struct glproc *gp, bool ok)
{
	struct gitlog *g = gp->g;

	cur_drop(gp);
	buf_release(&gp->out);
	git_repository_free(gp->repo);
	gp->repo = NULL;
	pthread_mutex_lock(&g->lock);
	gp->failed = !ok;
	g->running--;
	pthread_cond_broadcast(&g->listed);
	pthread_mutex_unlock(&g->lock);
}

/*
 * Ends a reader of git's output once git has ended, well or not: the last
 * commit is listed when git ended well and wrote no half token.
 */
static void
proc_done(struct glproc *gp, bool exited_well)
{
	size_t i;

	/* What is left may only be the newlines between tokens. */
	for (i = 0; i < gp->out.len && gp->out.ptr[i] == '\n'; i++)
		;
	if (!gp->bad && i == gp->out.len && exited_well) {
		proc_list(gp);
		reader_end(gp, true);
	} else
		reader_end(gp, false);
}

/* Reads git's output as it comes, then waits for git. */
static void *
reader_main(void *arg)
{
	struct glproc *gp = arg;
	struct gitlog *g = gp->g;
	char chunk[65536];
	siginfo_t si;
	ssize_t n;
	int status = -1;

	if (git_repository_open_ext(&gp->repo, g->gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		gp->repo = NULL;	/* the walk pairs */
	else
		rawobj_guard(gp->repo, NULL);
	for (;;) {
		n = read(gp->fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (gp->bad)
			continue;	/* until git has gone */
		buf_put(&gp->out, chunk, (size_t)n);
		proc_scan(gp);
		/* Not reaped yet: gp->pid is still git's. */
		if (gp->bad)
			kill(gp->pid, SIGTERM);
	}
	if (n < 0) {
		gp->bad = true;
		kill(gp->pid, SIGTERM);
	}
	/* Ended; gitlog_free() may signal it until it is reaped. */
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)gp->pid, &si, WEXITED | WNOWAIT) == -1 &&
	    errno == EINTR)
		;
	pthread_mutex_lock(&g->lock);
	gp->exited = true;
	pthread_mutex_unlock(&g->lock);
	while (waitpid(gp->pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	proc_done(gp, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
	return NULL;
}

/*
 * The changes of one commit to the thread's list, told by treediff_run()
 * with paths below the folder.
 */
static void
tree_seen(void *arg, char st, const char *path, const git_oid *old_id,
    const git_oid *new_id)
{
	struct glproc *gp = arg;

	if (entry_add(gp->g, &gp->cur, st, path, old_id, new_id) == -1)
		gp->bad = true;
}

/*
 * Reads repo's packs through a backend of its own, first: libgit2 shares
 * an open pack, and its cache of delta bases (up to 16 MiB, filled with
 * trees as they are compared), between every handle that opened it by
 * the same path. Named otherwise ("objects/./pack"), the packs this
 * thread opens, and their caches, are freed with its handle.
 */
static void
own_packs(git_repository *repo)
{
	git_odb *odb = NULL;
	git_odb_backend *be = NULL;
	char *dir = xasprintf("%sobjects/.", git_repository_commondir(repo));

	if (git_repository_odb(&odb, repo) == 0 &&
	    git_odb_backend_pack(&be, dir) == 0 &&
	    git_odb_add_backend(odb, be, 3) < 0)
		be->free(be);
	git_odb_free(odb);
	free(dir);
}

/*
 * Opens the thread's repository handle again, which empties libgit2's
 * cache of delta bases (own_packs()). Reading newest first, the bases
 * that serve are the last few; the cache fills to its 16 MiB all the
 * same, which is much of a small register's build. Rebuilding a tree
 * from its chain of deltas after that is cheap while trees are small;
 * RENEW_TREE_MAX says how small. Returns 0, or -1 when it cannot be
 * opened.
 */
static int
renew_repo(struct glproc *gp, struct treediff *td)
{
	git_repository *repo;

	treediff_set_repo(td, NULL);
	if (git_repository_open_ext(&repo, gp->g->gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		repo = NULL;
	else
		rawobj_guard(repo, gp->repo);	/* its loose objects */
	git_repository_free(gp->repo);
	if ((gp->repo = repo) == NULL)
		return -1;
	own_packs(gp->repo);
	treediff_set_repo(td, gp->repo);
	return 0;
}

/*
 * Lists commit `id`, whose tree is `tree`, with what changed below the
 * folder since the tree `ptree` of its one parent (NULL: none, a root
 * commit). Returns 0, or -1 when the trees cannot be compared.
 */
static int
list_commit(struct glproc *gp, struct treediff *td, const git_oid *id,
    const git_oid *tree, const git_oid *ptree)
{
	struct gitlog *g = gp->g;
	git_oid ct, pt;
	bool hc, hp = false;

	if (treediff_folder(td, tree, g->folder, &ct, &hc) == -1 ||
	    (ptree != NULL &&
	    treediff_folder(td, ptree, g->folder, &pt, &hp) == -1))
		return -1;
	git_oid_cpy(&gp->cur.id, id);
	gp->has_cur = true;
	if (treediff_run(td, hp ? &pt : NULL, hc ? &ct : NULL, tree_seen,
	    gp) == -1 || gp->bad)
		return -1;
	proc_list(gp);
	return 0;
}

static bool
stop_asked(struct glproc *gp)
{
	bool stop;

	pthread_mutex_lock(&gp->g->lock);
	stop = gp->stop;
	pthread_mutex_unlock(&gp->g->lock);
	return stop;
}

/* A commit found by list_all(). */
struct rcommit {
	git_oid		 id;
	git_oid		 tree;
	long long	 time;		/* the committer's */
	size_t		 parent;	/* the first one's index in parents */
	size_t		 parentsz;
	bool		 read;		/* its bytes could be read */
	bool		 hidden;	/* reachable from a commit not to list */
	bool		 queued;	/* in the heap */
	bool		 taken;		/* taken from the heap */
};

struct rcommits {
	struct rcommit	*v;
	size_t		 n;
	size_t		*slots;		/* by id: index + 1, 0 free */
	size_t		 slotsz;	/* a power of 2 */
	git_oid		*parents;
	size_t		 parentsz;
	size_t		*heap;		/* to list, newest first */
	size_t		 heapsz;
	size_t		 live;		/* in the heap and not hidden */
};

/*
 * Parses the bytes of a commit ("tree <hex>", "parent <hex>" lines, then
 * the committer's "... <email> TIME ZONE" line) into c and rs->parents.
 * Returns 0, or -1 when they are not a commit's.
 */
static int
rcommit_parse(struct rcommits *rs, struct rcommit *c, const char *p,
    size_t len)
{
	const char *end = p + len, *nl, *t;

	if (len < 46 || memcmp(p, "tree ", 5) != 0 || p[45] != '\n' ||
	    git_oid_fromstrn(&c->tree, p + 5, GIT_OID_HEXSZ) < 0)
		return -1;
	p += 46;
	c->parent = rs->parentsz;
	while (end - p >= 48 && memcmp(p, "parent ", 7) == 0 &&
	    p[47] == '\n') {
		rs->parents = xreallocarray(rs->parents, rs->parentsz + 1,
		    sizeof(*rs->parents));
		if (git_oid_fromstrn(&rs->parents[rs->parentsz], p + 7,
		    GIT_OID_HEXSZ) < 0)
			return -1;
		rs->parentsz++;
		p += 48;
	}
	c->parentsz = rs->parentsz - c->parent;
	c->time = 0;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    nl == p)
			break;	/* the headers end at an empty line */
		if ((size_t)(nl - p) > 10 && memcmp(p, "committer ", 10) == 0) {
			for (t = nl; t > p && t[-1] != '>'; t--)
				;
			while (t < nl && *t == ' ')
				t++;
			while (t < nl && *t >= '0' && *t <= '9' &&
			    c->time < 1000000000000000LL)
				c->time = c->time * 10 + (*t++ - '0');
			break;
		}
	}
	return 0;
}

/*
 * The index of commit id, found before or read now (when it cannot be,
 * it is there with `read` false).
 */
static size_t
rcommit_get(struct rcommits *rs, git_repository *repo, const git_oid *id)
{
	struct rawobj raw;
	struct rcommit *c;
	size_t i, k, *old = rs->slots, oldsz = rs->slotsz;
	uint64_t h;

	if (2 * (rs->n + 1) > rs->slotsz) {
		rs->slotsz = oldsz == 0 ? 256 : 2 * oldsz;
		rs->slots = xcalloc(rs->slotsz, sizeof(*rs->slots));
		for (i = 0; i < oldsz; i++)
			if (old[i] != 0) {
				memcpy(&h, rs->v[old[i] - 1].id.id, sizeof(h));
				for (k = (size_t)h & (rs->slotsz - 1);
				    rs->slots[k] != 0;
				    k = (k + 1) & (rs->slotsz - 1))
					;
				rs->slots[k] = old[i];
			}
		free(old);
	}
	memcpy(&h, id->id, sizeof(h));
	for (k = (size_t)h & (rs->slotsz - 1); rs->slots[k] != 0;
	    k = (k + 1) & (rs->slotsz - 1))
		if (git_oid_equal(&rs->v[rs->slots[k] - 1].id, id))
			return rs->slots[k] - 1;
	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof(*rs->v));
	c = &rs->v[rs->n];
	memset(c, 0, sizeof(*c));
	git_oid_cpy(&c->id, id);
	if (rawobj_read(&raw, repo, id, GIT_OBJECT_COMMIT) == 0)
		c->read = rcommit_parse(rs, c, raw.data, raw.size) == 0;
	if (!c->read)
		c->parentsz = 0;
	rawobj_free(&raw);
	rs->slots[k] = ++rs->n;
	return rs->n - 1;
}

static bool
heap_newer(const struct rcommits *rs, size_t a, size_t b)
{
	const struct rcommit *x = &rs->v[rs->heap[a]], *y = &rs->v[rs->heap[b]];

	return x->time != y->time ? x->time > y->time :
	    rs->heap[a] < rs->heap[b];
}

static void
heap_push(struct rcommits *rs, size_t ci)
{
	size_t i = rs->heapsz, up, t;

	rs->v[ci].queued = true;
	rs->live += !rs->v[ci].hidden;
	rs->heap = xreallocarray(rs->heap, rs->heapsz + 1, sizeof(*rs->heap));
	rs->heap[rs->heapsz++] = ci;
	while (i > 0 && heap_newer(rs, i, up = (i - 1) / 2)) {
		t = rs->heap[i], rs->heap[i] = rs->heap[up], rs->heap[up] = t;
		i = up;
	}
}

static size_t
heap_pop(struct rcommits *rs)
{
	size_t top = rs->heap[0], i = 0, l, m, t;

	rs->heap[0] = rs->heap[--rs->heapsz];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < rs->heapsz && heap_newer(rs, l, m))
			m = l;
		if (l + 1 < rs->heapsz && heap_newer(rs, l + 1, m))
			m = l + 1;
		if (m == i)
			break;
		t = rs->heap[i], rs->heap[i] = rs->heap[m], rs->heap[m] = t;
		i = m;
	}
	rs->v[top].queued = false;
	rs->v[top].taken = true;
	rs->live -= !rs->v[top].hidden;
	return top;
}

/*
 * Marks commit ci as reachable from a commit not to list, and the
 * parents of those already taken from the heap, as git marks them.
 */
static void
hide(struct rcommits *rs, git_repository *repo, size_t ci)
{
	size_t *stack = NULL, n = 0, i, pi, before;

	stack = xreallocarray(stack, n + 1, sizeof(*stack));
	stack[n++] = ci;
	while (n > 0) {
		ci = stack[--n];
		if (rs->v[ci].hidden)
			continue;
		rs->v[ci].hidden = true;
		if (rs->v[ci].queued)
			rs->live--;
		if (!rs->v[ci].taken)
			continue;
		for (i = 0; i < rs->v[ci].parentsz; i++) {
			/* (rcommit_get() may move rs->v and rs->parents.) */
			before = rs->n;
			pi = rcommit_get(rs, repo,
			    &rs->parents[rs->v[ci].parent + i]);
			if (rs->n > before) {
				rs->v[pi].hidden = true;
				if (rs->v[pi].read)
					heap_push(rs, pi);
				continue;
			}
			stack = xreallocarray(stack, n + 1, sizeof(*stack));
			stack[n++] = pi;
		}
	}
	free(stack);
}

/*
 * The commits reachable from the tip and from none of gp->not, newest
 * first by committer time, from their bytes read without libgit2's hash
 * check (the walk reads each commit it uses through libgit2, checked: a
 * damaged one stops the build there). A commit is taken from the heap
 * once, so a damaged one naming a child as its parent is no loop; the
 * walk ends when every commit left is one not to list. A commit listed
 * that was not to be (committer times out of order) only costs time: the
 * walk never asks for it. Returns 0 or -1.
 */
static int
list_all(struct glproc *gp, struct treediff *td)
{
	struct rcommits rs;
	struct rcommit *c;
	size_t ci, pi, i, before, listed = 0;
	bool fresh;
	int rc = -1;

	memset(&rs, 0, sizeof(rs));
	for (i = 0; i < gp->notsz; i++) {
		ci = rcommit_get(&rs, gp->repo, &gp->not[i]);
		hide(&rs, gp->repo, ci);
		if (rs.v[ci].read && !rs.v[ci].queued)
			heap_push(&rs, ci);
	}
	ci = rcommit_get(&rs, gp->repo, &gp->tip);
	if (!rs.v[ci].read)
		goto out;
	if (!rs.v[ci].queued)
		heap_push(&rs, ci);
	while (rs.live > 0 && !stop_asked(gp)) {
		ci = heap_pop(&rs);
		pi = SIZE_MAX;
		for (i = 0; i < rs.v[ci].parentsz; i++) {
			/* (rcommit_get() may move rs.v and rs.parents.) */
			before = rs.n;
			pi = rcommit_get(&rs, gp->repo,
			    &rs.parents[rs.v[ci].parent + i]);
			fresh = rs.n > before;
			if (rs.v[ci].hidden)
				hide(&rs, gp->repo, pi);
			if (fresh && rs.v[pi].read)
				heap_push(&rs, pi);
		}
		c = &rs.v[ci];
		/* As --no-merges; not a shallow clone's last commit. */
		if (c->hidden || c->parentsz > 1 ||
		    (c->parentsz == 1 && !rs.v[pi].read))
			continue;
		/* A commit that cannot be compared is left to the walk. */
		if (list_commit(gp, td, &c->id, &c->tree, c->parentsz == 1 ?
		    &rs.v[pi].tree : NULL) == -1) {
			cur_drop(gp);
			gp->bad = false;
		}
		if (++listed % RENEW_EVERY == 0 &&
		    treediff_largest(td) <= RENEW_TREE_MAX &&
		    renew_repo(gp, td) == -1)
			goto out;
	}
	rc = 0;
out:
	free(rs.v);
	free(rs.slots);
	free(rs.parents);
	free(rs.heap);
	return rc;
}

/*
 * A thread that lists the commits of its range as git log would,
 * comparing each non-merge commit's tree of the folder with its
 * parent's (treediff.h). A commit it cannot compare is not listed, and
 * the walk compares it with libgit2; when the commits themselves cannot
 * be read, the thread stops, and the walk reads the rest likewise.
 */
static void *
native_main(void *arg)
{
	struct glproc *gp = arg;
	struct gitlog *g = gp->g;
	struct treediff *td = NULL;
	bool ok = false;

	if (git_repository_open_ext(&gp->repo, g->gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		gp->repo = NULL;
		goto out;
	}
	rawobj_guard(gp->repo, NULL);
	own_packs(gp->repo);
	td = treediff_new(gp->repo);
	ok = list_all(gp, td) == 0;
out:
	treediff_free(td);
	reader_end(gp, ok);
	return NULL;
}

/* The environment of the child: ours, without git's own variables. */
static const char **
child_env(void)
{
	const char **env;
	size_t n = 0, i, k = 0;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 9, sizeof(char *));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "GIT_", 4) != 0)
			env[k++] = environ[i];
	/*
	 * git reads; it never fetches (a partial clone's missing objects),
	 * whatever the repository's configuration says: no transport is
	 * allowed, not even one its remote names ("ext::" runs a command).
	 */
	env[k++] = "GIT_ALLOW_PROTOCOL=";
	env[k++] = "GIT_NO_LAZY_FETCH=1";
	env[k++] = "GIT_TERMINAL_PROMPT=0";
	env[k++] = "GIT_NO_REPLACE_OBJECTS=1";
	env[k++] = "GIT_GRAFT_FILE=/dev/null";
	env[k++] = "GIT_CONFIG_NOSYSTEM=1";
	env[k++] = "GIT_CONFIG_GLOBAL=/dev/null";
	env[k++] = "LC_ALL=C";
	env[k] = NULL;
	return env;
}

/*
 * Starts `git log` on the commits reachable from tip and from none of
 * the `notsz` commits of `not`, its output read by a thread of gp.
 * Returns 0, or -1 when git or the thread cannot be started.
 */
static int
proc_start(struct glproc *gp, const char *gitdir, const char *tip,
    const char *const *not, size_t notsz)
{
	static const char *const opts[] = {
		"git", NULL, "-c", "safe.directory=*", "-c", "color.ui=never",
		"-c", "core.quotePath=false", "log", "--no-renames", "--raw",
		"-z", "--no-abbrev", "--root", "--no-merges", "--no-relative",
		"--no-show-signature", "--no-ext-diff", "--no-textconv",
		"--ignore-submodules=none",
		"--no-mailmap", "--format=%H"
	};
	struct gitlog *g = gp->g;
	posix_spawn_file_actions_t fa;
	const char **argv, **env;
	char **own;
	size_t i, n = 0;
	int p[2], rc = 0, status;

	argv = xcalloc(NELEM(opts) + notsz + 3, sizeof(*argv));
	own = xcalloc(notsz + 2, sizeof(*own));
	for (i = 0; i < NELEM(opts); i++)
		argv[n++] = opts[i];
	argv[1] = own[0] = xasprintf("--git-dir=%s", gitdir);
	argv[n++] = tip;
	for (i = 0; i < notsz; i++)
		argv[n++] = own[i + 1] = xasprintf("^%s", not[i]);
	argv[n++] = "--";
	argv[n] = NULL;
	gp->out = (struct buf)BUF_INIT;
	gp->pid = -1;
	gp->fd = -1;
	if (pipe(p) == -1)
		rc = -1;
	if (rc == 0) {
		env = child_env();
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, p[1], 1);
		posix_spawn_file_actions_addclose(&fa, p[0]);
		posix_spawn_file_actions_addclose(&fa, p[1]);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY,
		    0);
		if (posix_spawnp(&gp->pid, "git", &fa, NULL,
		    (char *const *)argv, (char *const *)env) != 0)
			gp->pid = -1;
		posix_spawn_file_actions_destroy(&fa);
		free(env);
		close(p[1]);
		if (gp->pid == -1) {
			close(p[0]);
			rc = -1;
		}
	}
	if (rc == 0) {
		gp->fd = p[0];
		fcntl(p[0], F_SETFD, FD_CLOEXEC);
		pthread_mutex_lock(&g->lock);
		g->running++;
		pthread_mutex_unlock(&g->lock);
		if (pthread_create(&gp->reader, NULL, reader_main, gp) == 0)
			gp->reading = true;
		else {
			pthread_mutex_lock(&g->lock);
			g->running--;
			pthread_mutex_unlock(&g->lock);
			kill(gp->pid, SIGTERM);
			close(gp->fd);
			while (waitpid(gp->pid, &status, 0) == -1 &&
			    errno == EINTR)
				;
			rc = -1;
		}
	}
	for (i = 0; i < notsz + 2; i++)
		free(own[i]);
	free(own);
	free(argv);
	return rc;
}

/*
 * Starts a thread listing the commits reachable from tip and from none of
 * the `notsz` commits of `not`. Returns 0, or -1 when it cannot start.
 */
static int
thread_start(struct glproc *gp, const char *tip, const char *const *not,
    size_t notsz)
{
	struct gitlog *g = gp->g;
	size_t i;

	gp->pid = -1;
	gp->fd = -1;
	gp->out = (struct buf)BUF_INIT;
	if (git_oid_fromstr(&gp->tip, tip) < 0)
		return -1;
	gp->not = xcalloc(notsz + 1, sizeof(*gp->not));
	for (i = 0; i < notsz; i++)
		if (git_oid_fromstr(&gp->not[gp->notsz++], not[i]) < 0)
			return -1;
	pthread_mutex_lock(&g->lock);
	g->running++;
	pthread_mutex_unlock(&g->lock);
	if (pthread_create(&gp->reader, NULL, native_main, gp) != 0) {
		pthread_mutex_lock(&g->lock);
		g->running--;
		pthread_mutex_unlock(&g->lock);
		return -1;
	}
	gp->reading = true;
	return 0;
}

/* Stops a git process or thread (if still running) and joins its reader. */
static void
proc_end(struct glproc *gp, bool kill_it)
{
	struct gitlog *g = gp->g;

	if (!gp->reading)
		return;
	if (kill_it) {
		pthread_mutex_lock(&g->lock);
		gp->stop = true;
		if (gp->pid != -1 && !gp->exited)
			kill(gp->pid, SIGTERM);
		pthread_mutex_unlock(&g->lock);
	}
	pthread_join(gp->reader, NULL);
	gp->reading = false;
	if (gp->fd != -1)
		close(gp->fd);
}

struct gitlog *
gitlog_start(const char *gitdir, const char *head, const char *exclude,
    const char *const *splits, size_t splitsz, const char *folder,
    bool native, const struct gitlog_hook *hook)
{
	struct gitlog *g = xcalloc(1, sizeof(*g));
	const char *not[2];
	size_t i, n;

	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->listed, NULL);
	g->gitdir = xstrdup(gitdir);
	g->folder = xstrdup(folder);
	g->folderlen = strlen(folder);
	if (hook != NULL)
		g->hook = *hook;
	g->native = native;
	g->procsz = splitsz + 1;
	g->procs = xcalloc(g->procsz, sizeof(*g->procs));
	for (i = 0; i < g->procsz; i++) {
		g->procs[i].g = g;
		g->procs[i].pid = -1;
		g->procs[i].fd = -1;
	}
	/*
	 * Process i lists the commits reachable from splits[i - 1] (head
	 * for the first) and not from splits[i] (none for the last) nor
	 * from exclude: together every commit once.
	 */
	for (i = 0; i < g->procsz; i++) {
		n = 0;
		if (i < splitsz)
			not[n++] = splits[i];
		if (exclude != NULL)
			not[n++] = exclude;
		if ((native ? thread_start(&g->procs[i], i == 0 ? head :
		    splits[i - 1], not, n) : proc_start(&g->procs[i], gitdir,
		    i == 0 ? head : splits[i - 1], not, n)) == -1) {
			gitlog_free(g);
			return NULL;
		}
	}
	return g;
}

struct gitlog *
gitlog_parse(const char *folder, const char *out, size_t len, size_t chunk,
    bool exited_well)
{
	struct gitlog *g = xcalloc(1, sizeof(*g));
	struct glproc *gp;
	size_t i, n;

	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->listed, NULL);
	g->gitdir = xstrdup("");
	g->folder = xstrdup(folder);
	g->folderlen = strlen(folder);
	g->procsz = 1;
	g->procs = gp = xcalloc(1, sizeof(*gp));
	gp->g = g;
	gp->pid = -1;
	gp->fd = -1;
	g->running = 1;
	/* As reader_main() reads it. */
	for (i = 0; i < len && !gp->bad; i += n) {
		n = chunk > 0 && chunk < len - i ? chunk : len - i;
		buf_put(&gp->out, out + i, n);
		proc_scan(gp);
	}
	proc_done(gp, exited_well);
	return g;
}

int
gitlog_finish(struct gitlog *g)
{
	size_t i;
	int rc = 0;

	pthread_mutex_lock(&g->lock);
	while (g->running > 0) {
		g->waiting++;
		pthread_cond_wait(&g->listed, &g->lock);
		g->waiting--;
	}
	for (i = 0; i < g->procsz; i++)
		if (g->procs[i].failed)
			rc = -1;
	pthread_mutex_unlock(&g->lock);
	return rc;
}

bool
gitlog_get(struct gitlog *g, const git_oid *id, struct gl_delta **out,
    size_t *outsz, bool *paired)
{
	struct glcommit *c;
	bool found = false;

	pthread_mutex_lock(&g->lock);
	for (;;) {
		if (g->tablesz > 0 && (c = table_slot(g->table, g->tablesz,
		    id))->used) {
			*out = c->deltas;
			*outsz = c->deltasz;
			*paired = c->paired;
			c->deltas = NULL;
			c->deltasz = 0;
			found = true;
			break;
		}
		if (g->running == 0)
			break;
		g->waiting++;
		pthread_cond_wait(&g->listed, &g->lock);
		g->waiting--;
	}
	pthread_mutex_unlock(&g->lock);
	return found;
}

size_t
gitlog_procs(const struct gitlog *g)
{
	return g->procsz;
}

bool
gitlog_native(const struct gitlog *g)
{
	return g->native;
}

void
gitlog_free(struct gitlog *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->procsz; i++) {
		proc_end(&g->procs[i], true);
		free(g->procs[i].not);
	}
	free(g->procs);
	for (i = 0; i < g->tablesz; i++)
		if (g->table[i].used)
			gitlog_deltas_free(g->table[i].deltas,
			    g->table[i].deltasz);
	free(g->table);
	free(g->gitdir);
	free(g->folder);
	pthread_cond_destroy(&g->listed);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void
gitlog_deltas_free(struct gl_delta *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].old_path);
		free(d[i].new_path);
	}
	free(d);
}

static const char *
delta_path(const struct gl_delta *d)
{
	return d->new_path != NULL ? d->new_path : d->old_path;
}

static int
delta_cmp(const void *a, const void *b)
{
	const struct gl_delta *x = a, *y = b;
	int c = strcmp(delta_path(x), delta_path(y));

	if (c != 0)
		return c;
	/* A deletion before an addition of the same path. */
	return (x->status != 'D') - (y->status != 'D');
}

void
gitlog_sort(struct gl_delta *d, size_t n)
{
	if (n > 1)
		qsort(d, n, sizeof(*d), delta_cmp);
}

/* ---- renames ---- */

#define RENAME_LIMIT	100	/* inexact: at most this many on each side */
#define RENAME_SCORE	50	/* percent alike, at least */

/* A file's chunks: lines, cut at 64 bytes, as hashes with their sizes. */
struct chunks {
	uint64_t	*hash;		/* FNV-1a << 8 | length, sorted */
	size_t		 n;
	size_t		 size;		/* bytes in all */
	bool		 ok;
};

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Reads a blob's chunks; c->ok is false when it cannot be read. */
static void
chunks_load(struct chunks *c, git_repository *repo, const git_oid *id)
{
	struct rawobj blob;
	const unsigned char *p, *end, *s;
	uint64_t h;

	memset(c, 0, sizeof(*c));
	if (rawobj_read(&blob, repo, id, GIT_OBJECT_BLOB) == -1) {
		rawobj_free(&blob);
		return;
	}
	p = (const unsigned char *)blob.data;
	c->size = blob.size;
	end = p + c->size;
	c->hash = xcalloc(c->size + 1, sizeof(*c->hash));
	while (p < end) {
		s = p;
		h = 1469598103934665603ULL;	/* FNV-1a */
		while (p < end && p - s < 64) {
			h = (h ^ *p) * 1099511628211ULL;
			if (*p++ == '\n')
				break;
		}
		/* The low byte holds the length, so equal hashes are equal sizes. */
		c->hash[c->n++] = (h << 8) | (uint64_t)(p - s);
	}
	qsort(c->hash, c->n, sizeof(*c->hash), u64_cmp);
	c->ok = true;
	rawobj_free(&blob);
}

/* How alike two files are, in percent of the larger one's bytes. */
static unsigned
chunks_score(const struct chunks *a, const struct chunks *b)
{
	size_t i = 0, j = 0, common = 0, big;

	if (!a->ok || !b->ok || a->size == 0 || b->size == 0)
		return 0;
	while (i < a->n && j < b->n) {
		if (a->hash[i] == b->hash[j]) {
			common += (size_t)(a->hash[i] & 0xff);
			i++, j++;
		} else if (a->hash[i] < b->hash[j])
			i++;
		else
			j++;
	}
	big = a->size > b->size ? a->size : b->size;
	return (unsigned)((common * 100) / big);
}

struct candidate {
	unsigned	 score;
	size_t		 add, del;	/* indexes in the deltas */
};

static int
candidate_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->add != y->add)
		return x->add < y->add ? -1 : 1;
	return x->del < y->del ? -1 : x->del > y->del;
}

/* Makes the addition d[a] a rename from the deletion d[del]. */
static void
pair(struct gl_delta *d, size_t a, size_t del)
{
	d[a].status = 'R';
	d[a].old_path = d[del].old_path;
	d[a].old_id = d[del].old_id;
	d[del].old_path = NULL;
	d[del].status = 0;	/* dropped below */
}

/* A deletion, by the contents it removed, then by its place. */
struct del_key {
	const git_oid	*id;
	size_t		 at;	/* index in the deltas */
};

static int
del_key_cmp(const void *a, const void *b)
{
	const struct del_key *x = a, *y = b;
	int c = git_oid_cmp(x->id, y->id);

	if (c != 0)
		return c;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Pairs each addition (in path order) with the first deletion in path
 * order of the same contents not yet paired. The deletions are sorted by
 * contents once, and each run of the same contents is taken from its
 * start on: a commit that moves a folder of n files costs n log n, not
 * n * n (100,000 files took 4.6 s).
 */
static void
pair_same(struct gl_delta *d, const size_t *adds, size_t nadd,
    const size_t *dels, size_t ndel)
{
	struct del_key *keys, want;
	size_t *taken, i, lo, hi, mid;

	keys = xcalloc(ndel + 1, sizeof(*keys));
	taken = xcalloc(ndel + 1, sizeof(*taken));	/* by run start */
	for (i = 0; i < ndel; i++)
		keys[i] = (struct del_key){ &d[dels[i]].old_id, dels[i] };
	qsort(keys, ndel, sizeof(*keys), del_key_cmp);
	for (i = 0; i < nadd; i++) {
		if (git_oid_is_zero(&d[adds[i]].new_id))
			continue;
		/* The start of the run of that contents. */
		want.id = &d[adds[i]].new_id;
		want.at = 0;
		for (lo = 0, hi = ndel; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (del_key_cmp(&keys[mid], &want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		mid = lo + taken[lo];
		if (mid < ndel && git_oid_equal(keys[mid].id, want.id)) {
			taken[lo]++;
			pair(d, adds[i], keys[mid].at);
		}
	}
	free(keys);
	free(taken);
}

void
gitlog_pair(git_repository *repo, struct gl_delta *d, size_t *np)
{
	size_t n = *np, i, j, k, nadd = 0, ndel = 0, nc = 0;
	size_t *adds, *dels;
	struct chunks *ca, *cd;
	struct candidate *cand;
	bool *used;

	adds = xcalloc(n + 1, sizeof(size_t));
	dels = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++)
		if (d[i].status == 'A')
			adds[nadd++] = i;
		else if (d[i].status == 'D')
			dels[ndel++] = i;
	if (nadd == 0 || ndel == 0)
		goto out;
	pair_same(d, adds, nadd, dels, ndel);
	/* What is left, by likeness, when there are not too many. */
	k = 0;
	for (i = 0; i < nadd; i++)
		if (d[adds[i]].status == 'A')
			adds[k++] = adds[i];
	nadd = k;
	k = 0;
	for (j = 0; j < ndel; j++)
		if (d[dels[j]].status == 'D')
			dels[k++] = dels[j];
	ndel = k;
	if (nadd == 0 || ndel == 0 || nadd > RENAME_LIMIT ||
	    ndel > RENAME_LIMIT)
		goto out;
	ca = xcalloc(nadd, sizeof(*ca));
	cd = xcalloc(ndel, sizeof(*cd));
	cand = xcalloc(nadd * ndel, sizeof(*cand));
	for (i = 0; i < nadd; i++)
		chunks_load(&ca[i], repo, &d[adds[i]].new_id);
	for (j = 0; j < ndel; j++)
		chunks_load(&cd[j], repo, &d[dels[j]].old_id);
	for (i = 0; i < nadd; i++)
		for (j = 0; j < ndel; j++) {
			unsigned s = chunks_score(&ca[i], &cd[j]);
			if (s >= RENAME_SCORE)
				cand[nc++] = (struct candidate){ s, adds[i], dels[j] };
		}
	qsort(cand, nc, sizeof(*cand), candidate_cmp);
	used = xcalloc(n, sizeof(bool));
	for (k = 0; k < nc; k++) {
		if (used[cand[k].add] || used[cand[k].del])
			continue;
		used[cand[k].add] = used[cand[k].del] = true;
		pair(d, cand[k].add, cand[k].del);
	}
	free(used);
	for (i = 0; i < nadd; i++)
		free(ca[i].hash);
	for (j = 0; j < ndel; j++)
		free(cd[j].hash);
	free(ca);
	free(cd);
	free(cand);
out:
	/* Drop the deletions that became renames. */
	for (i = 0, k = 0; i < n; i++) {
		if (d[i].status == 0) {
			free(d[i].old_path);
			free(d[i].new_path);
			continue;
		}
		d[k++] = d[i];
	}
	*np = k;
	free(adds);
	free(dels);
}
