/*
 * The history cache on disk. An entry is one file:
 *
 *	"docket history cache\n"
 *	u32 key length, the key
 *	20 bytes: the commit
 *	u64 payload length, u64 payload hash (FNV-1a)
 *	the payload: the walk (see put_entry())
 *
 * numbers in the machine's byte order (the key names the machine's
 * program, so an entry never travels to another kind of machine and is
 * used). Strings are a u32 length (UINT32_MAX: none) and their bytes.
 */
#define _DEFAULT_SOURCE	/* dirent d_type */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "history.h"
#include "histcache.h"
#include "recdiff.h"
#include "util.h"

#define MAGIC		"docket history cache\n"
#define KEEP		3		/* entries kept for one key */
#define STALE		(7L * 86400)	/* other keys' entries: removed after */
#define NONE		UINT32_MAX

char *
histcache_dir(const char *dir)
{
	const char *x;

	if (dir != NULL)
		return xstrdup(dir);
	if ((x = getenv("XDG_CACHE_HOME")) != NULL && x[0] == '/')
		return path_join(x, "docket");
	if ((x = getenv("HOME")) != NULL && x[0] == '/')
		return xasprintf("%s/.cache/docket", x);
	return NULL;
}

bool
histcache_self(uint64_t *out)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	uint64_t h = HASH64_INIT;

	if ((f = fopen("/proc/self/exe", "rb")) == NULL)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		h = hash64(h, chunk, n);
	if (ferror(f)) {
		fclose(f);
		return false;
	}
	fclose(f);
	*out = h;
	return true;
}

/* "history-<hash of key>-": the start of the names of a key's entries. */
static char *
key_prefix(const char *key)
{
	return xasprintf("history-%016llx-", (unsigned long long)
	    hash64(HASH64_INIT, key, strlen(key)));
}

static char *
entry_path(const char *dir, const char *key, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	char *pre = key_prefix(key), *p;

	git_oid_tostr(hex, sizeof(hex), id);
	p = xasprintf("%s/%s%s", dir, pre, hex);
	free(pre);
	return p;
}

/* ---- listing ---- */

struct found {
	git_oid		 id;
	char		*name;
	struct timespec	 mtime;
};

static int
found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	/* Newest first. */
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec > y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec > y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The entries of a key, newest first; with `others`, removes the stale
 * entries of other keys on the way.
 */
static size_t
list(const char *dir, const char *key, struct found **out, bool others)
{
	char *pre = key_prefix(key), *path;
	size_t pl = strlen(pre), n = 0;
	struct found *v = NULL;
	struct dirent *de;
	struct stat st;
	DIR *d;
	git_oid id;

	*out = NULL;
	if ((d = opendir(dir)) == NULL) {
		free(pre);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "history-", 8) != 0)
			continue;
		path = path_join(dir, de->d_name);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (strncmp(de->d_name, pre, pl) != 0) {
			if (others && time(NULL) - st.st_mtime > STALE)
				unlink(path);
			free(path);
			continue;
		}
		free(path);
		if (strlen(de->d_name + pl) != GIT_OID_HEXSZ ||
		    git_oid_fromstr(&id, de->d_name + pl) < 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		git_oid_cpy(&v[n].id, &id);
		v[n].name = xstrdup(de->d_name);
		v[n].mtime = st.st_mtim;
		n++;
	}
	closedir(d);
	free(pre);
	if (n > 1)
		qsort(v, n, sizeof(*v), found_cmp);
	*out = v;
	return n;
}

size_t
histcache_list(const char *dir, const char *key, git_oid **out)
{
	struct found *v;
	size_t i, n = list(dir, key, &v, false);

	*out = xcalloc(n + 1, sizeof(git_oid));
	for (i = 0; i < n; i++) {
		git_oid_cpy(&(*out)[i], &v[i].id);
		free(v[i].name);
	}
	free(v);
	return n;
}

/* ---- writing ---- */

static void
put_u32(struct buf *b, uint32_t v)
{
	buf_put(b, &v, sizeof(v));
}

static void
put_u64(struct buf *b, uint64_t v)
{
	buf_put(b, &v, sizeof(v));
}

static void
put_str(struct buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(b, NONE);
		return;
	}
	n = strlen(s);
	put_u32(b, (uint32_t)n);
	buf_put(b, s, n);
}

static void
put_entry(struct buf *b, const struct hc_entry *e)
{
	const struct hist_commit *c;
	const struct hist_file *f;
	const struct hist_rev *r;
	const struct hist_change *ch;
	size_t i, j, k;

	put_u32(b, e->shallow);
	put_str(b, e->root_id);
	put_u64(b, e->ordersz);
	for (i = 0; i < e->ordersz; i++)
		buf_put(b, e->order[i].id, GIT_OID_RAWSZ);
	put_u64(b, e->namesz);
	for (i = 0; i < e->namesz; i++) {
		put_str(b, e->names[i]);
		put_u64(b, e->name_file[i] == SIZE_MAX ? UINT64_MAX :
		    e->name_file[i]);
	}
	put_u64(b, e->commitsz);
	for (i = 0; i < e->commitsz; i++) {
		c = &e->commits[i];
		put_str(b, c->id);
		put_str(b, c->subject);
		put_str(b, c->author);
		put_u64(b, (uint64_t)c->time);
	}
	put_u64(b, e->filesz);
	for (i = 0; i < e->filesz; i++) {
		f = &e->files[i];
		put_str(b, f->path);
		put_str(b, f->name);
		put_u32(b, (uint32_t)(f->record | f->incomplete << 1 |
		    e->top[i] << 2));
		put_u64(b, f->old_pathsz);
		for (j = 0; j < f->old_pathsz; j++)
			put_str(b, f->old_paths[j]);
		put_u64(b, f->linksz);
		for (j = 0; j < f->linksz; j++) {
			put_str(b, f->links[j].id);
			put_str(b, f->links[j].prev);
			put_str(b, f->links[j].prev_path);
		}
		put_u64(b, f->revsz);
		for (j = 0; j < f->revsz; j++) {
			r = &f->revs[j];
			put_u64(b, r->commit);
			put_str(b, r->path);
			put_u32(b, r->substantive);
			put_u64(b, r->changesz);
			for (k = 0; k < r->changesz; k++) {
				ch = &r->changes[k];
				put_str(b, ch->field);
				put_str(b, ch->text);
				put_str(b, ch->before);
				put_str(b, ch->after);
			}
		}
	}
}

/* Keeps the KEEP newest entries of a key and no stale ones of others. */
static void
prune(const char *dir, const char *key)
{
	struct found *v;
	size_t i, n = list(dir, key, &v, true);
	char *path;

	for (i = 0; i < n; i++) {
		if (i >= KEEP) {
			path = path_join(dir, v[i].name);
			unlink(path);
			free(path);
		}
		free(v[i].name);
	}
	free(v);
}

int
histcache_save(const char *dir, const char *key, const git_oid *id,
    const struct hc_entry *e)
{
	struct buf b = BUF_INIT;
	char *path = NULL, *tmp = NULL;
	uint64_t len, sum;
	size_t at, start;
	int rc = -1;

	buf_put(&b, MAGIC, sizeof(MAGIC) - 1);
	put_u32(&b, (uint32_t)strlen(key));
	buf_put(&b, key, strlen(key));
	buf_put(&b, id->id, GIT_OID_RAWSZ);
	/* The payload's length and checksum, filled in once it is there. */
	at = b.len;
	put_u64(&b, 0);
	put_u64(&b, 0);
	start = b.len;
	put_entry(&b, e);
	len = b.len - start;
	sum = hash64(HASH64_INIT, b.ptr + start, b.len - start);
	memcpy(b.ptr + at, &len, sizeof(len));
	memcpy(b.ptr + at + sizeof(len), &sum, sizeof(sum));
	if (mkdir_p(dir) == -1)
		goto out;
	path = entry_path(dir, key, id);
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	if (file_write(tmp, b.ptr, b.len) == -1 || rename(tmp, path) == -1) {
		unlink(tmp);
		goto out;
	}
	prune(dir, key);
	rc = 0;
out:
	buf_release(&b);
	free(path);
	free(tmp);
	return rc;
}

/* ---- reading ---- */

struct rd {
	const unsigned char *p, *end;
	bool		 bad;
};

static void
get(struct rd *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t
get_u32(struct rd *r)
{
	uint32_t v;

	get(r, &v, sizeof(v));
	return v;
}

static uint64_t
get_u64(struct rd *r)
{
	uint64_t v;

	get(r, &v, sizeof(v));
	return v;
}

/* A count of items of at least `min` bytes each, that the rest can hold. */
static size_t
get_count(struct rd *r, size_t min)
{
	uint64_t v = get_u64(r);

	if (r->bad || v > (uint64_t)(r->end - r->p) / min) {
		r->bad = true;
		return 0;
	}
	return (size_t)v;
}

static char *
get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (r->bad || n == NONE)
		return NULL;
	if ((size_t)(r->end - r->p) < n || memchr(r->p, '\0', n) != NULL) {
		r->bad = true;
		return NULL;
	}
	s = xstrndup((const char *)r->p, n);
	r->p += n;
	return s;
}

/* Is s a blob or commit id in hex? */
static bool
is_oid(const char *s)
{
	git_oid id;

	return s != NULL && strlen(s) == GIT_OID_HEXSZ &&
	    git_oid_fromstr(&id, s) == 0;
}

static void
get_entry(struct rd *r, struct hc_entry *e)
{
	struct hist_commit *c;
	struct hist_file *f;
	struct hist_link *l;
	struct hist_rev *rv;
	struct hist_change *ch;
	char *s;
	size_t i, j, k;
	uint32_t fl;
	git_oid id;

	e->shallow = get_u32(r) != 0;
	e->root_id = get_str(r);
	e->ordersz = get_count(r, GIT_OID_RAWSZ);
	e->order = xcalloc(e->ordersz + 1, sizeof(git_oid));
	for (i = 0; i < e->ordersz; i++)
		get(r, e->order[i].id, GIT_OID_RAWSZ);
	e->namesz = get_count(r, 12);
	e->names = xcalloc(e->namesz + 1, sizeof(char *));
	e->name_file = xcalloc(e->namesz + 1, sizeof(size_t));
	for (i = 0; i < e->namesz && !r->bad; i++) {
		uint64_t v;
		if ((e->names[i] = get_str(r)) == NULL)
			r->bad = true;
		v = get_u64(r);
		e->name_file[i] = v == UINT64_MAX ? SIZE_MAX : (size_t)v;
	}
	e->commitsz = get_count(r, 20);
	e->commits = xcalloc(e->commitsz + 1, sizeof(*e->commits));
	for (i = 0; i < e->commitsz && !r->bad; i++) {
		c = &e->commits[i];
		s = get_str(r);
		if (s == NULL || strlen(s) != GIT_OID_HEXSZ ||
		    git_oid_fromstr(&id, s) < 0)
			r->bad = true;
		else {
			memcpy(c->id, s, sizeof(c->id));
			memcpy(c->short_id, s, HIST_SHORT);
		}
		free(s);
		c->subject = get_str(r);
		if (c->subject == NULL)
			r->bad = true;
		c->author = get_str(r);
		c->time = (long long)get_u64(r);
	}
	e->filesz = get_count(r, 24);
	e->files = xcalloc(e->filesz + 1, sizeof(*e->files));
	e->top = xcalloc(e->filesz + 1, sizeof(bool));
	for (i = 0; i < e->filesz && !r->bad; i++) {
		f = &e->files[i];
		f->path = get_str(r);
		/* The walk keeps only files of content/, and reads past it. */
		if (f->path == NULL || strncmp(f->path, "content/", 8) != 0)
			r->bad = true;
		f->name = get_str(r);
		fl = get_u32(r);
		f->record = fl & 1;
		f->incomplete = fl & 2;
		e->top[i] = fl & 4;
		f->old_pathsz = get_count(r, 4);
		f->old_paths = xcalloc(f->old_pathsz + 1, sizeof(char *));
		for (j = 0; j < f->old_pathsz; j++)
			if ((f->old_paths[j] = get_str(r)) == NULL)
				r->bad = true;
		f->linksz = get_count(r, 12);
		f->links = xcalloc(f->linksz + 1, sizeof(*f->links));
		for (j = 0; j < f->linksz && !r->bad; j++) {
			l = &f->links[j];
			l->id = get_str(r);
			l->prev = get_str(r);
			l->prev_path = get_str(r);
			if (!is_oid(l->id) || (l->prev != NULL &&
			    !is_oid(l->prev)) ||
			    (l->prev == NULL) != (l->prev_path == NULL) ||
			    (l->prev_path != NULL &&
			    strncmp(l->prev_path, "content/", 8) != 0))
				r->bad = true;
		}
		f->revsz = get_count(r, 24);
		f->revs = xcalloc(f->revsz + 1, sizeof(*f->revs));
		for (j = 0; j < f->revsz && !r->bad; j++) {
			rv = &f->revs[j];
			rv->commit = (size_t)get_u64(r);
			if (rv->commit >= e->commitsz)
				r->bad = true;
			if ((rv->path = get_str(r)) == NULL)
				r->bad = true;
			rv->substantive = get_u32(r) != 0;
			rv->changesz = get_count(r, 16);
			rv->changes = xcalloc(rv->changesz + 1, sizeof(*rv->changes));
			for (k = 0; k < rv->changesz; k++) {
				ch = &rv->changes[k];
				ch->field = get_str(r);
				ch->text = get_str(r);
				ch->before = get_str(r);
				ch->after = get_str(r);
				if (ch->field == NULL || ch->text == NULL)
					r->bad = true;
			}
		}
	}
	for (i = 0; i < e->namesz; i++)
		if (e->name_file[i] != SIZE_MAX && e->name_file[i] >= e->filesz)
			r->bad = true;
	if (r->p != r->end)
		r->bad = true;
}

/*
 * Reads an entry's header and then, only when it is of this key and
 * commit and gives the length of the rest of the file, the payload: a
 * large file that is not an entry is never read whole, and one too large
 * to hold is a miss. Returns the payload (free it), or NULL.
 */
static unsigned char *
read_entry(const char *path, const char *key, const git_oid *id,
    size_t *lenp)
{
	size_t hl = sizeof(MAGIC) - 1 + 4 + strlen(key) + GIT_OID_RAWSZ + 16;
	unsigned char *head = xmalloc(hl), *pay = NULL;
	struct stat st;
	struct rd r = { head, head + hl, false };
	uint64_t len, sum;
	uint32_t kl;
	git_oid got;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		goto fail;
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < hl || fread(head, 1, hl, f) != hl ||
	    memcmp(head, MAGIC, sizeof(MAGIC) - 1) != 0)
		goto fail;
	r.p += sizeof(MAGIC) - 1;
	kl = get_u32(&r);
	if (kl != strlen(key) || memcmp(r.p, key, kl) != 0)
		goto fail;
	r.p += kl;
	get(&r, got.id, GIT_OID_RAWSZ);
	len = get_u64(&r);
	sum = get_u64(&r);
	if (!git_oid_equal(&got, id) || len != (uint64_t)st.st_size - hl ||
	    len >= SIZE_MAX || (pay = malloc((size_t)len + 1)) == NULL ||
	    fread(pay, 1, (size_t)len, f) != (size_t)len ||
	    hash64(HASH64_INIT, pay, (size_t)len) != sum)
		goto fail;
	fclose(f);
	free(head);
	*lenp = (size_t)len;
	return pay;
fail:
	if (f != NULL)
		fclose(f);
	free(head);
	free(pay);
	return NULL;
}

int
histcache_load(const char *dir, const char *key, const git_oid *id,
    struct hc_entry *e)
{
	char *path = entry_path(dir, key, id);
	unsigned char *pay;
	struct rd r;
	size_t len;
	int rc = -1;

	memset(e, 0, sizeof(*e));
	if ((pay = read_entry(path, key, id, &len)) == NULL)
		goto out;
	r = (struct rd){ pay, pay + len, false };
	get_entry(&r, e);
	if (r.bad) {
		histcache_release(e);
		goto out;
	}
	rc = 0;
out:
	free(pay);
	free(path);
	return rc;
}

void
histcache_release(struct hc_entry *e)
{
	size_t i;

	hist_commits_free(e->commits, e->commitsz);
	hist_files_free(e->files, e->filesz);
	for (i = 0; i < e->namesz; i++)
		free(e->names[i]);
	free(e->names);
	free(e->name_file);
	free(e->top);
	free(e->order);
	free(e->root_id);
	memset(e, 0, sizeof(*e));
}
