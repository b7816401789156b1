/*
 * Trees compared over their bytes (see treediff.h).
 *
 * A tree object is a sorted run of entries, each "MODE NAME\0" and a
 * 20-byte id, MODE in octal ASCII. Entries are compared as git's
 * tree-diff.c compares them: by name, a folder's name as if it ended in
 * '/', with modes made canonical (an old 100664 is 100644). Two entries
 * of the same name and canonical mode and id are the same file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rawobj.h"
#include "treediff.h"
#include "util.h"

#define TREE_SLOTS	16	/* trees kept, at least (more while in use) */
#define TREE_DEPTH	256	/* folders inside one another, at most */
#define TREE_VISITS	(1u << 20)	/* folders compared in one run, at most */
#define MODE_FMT	0170000
#define MODE_DIR	0040000
#define MODE_FILE	0100000
#define MODE_LINK	0120000
#define MODE_GITLINK	0160000

struct tslot {
	git_oid		 id;
	struct rawobj	 obj;
	unsigned	 refs;		/* in use by a comparison */
	uint64_t	 used;		/* when last asked for */
	bool		 full;
};

struct treediff {
	git_repository	*repo;
	struct tslot	*slots;
	size_t		 slotsz;
	uint64_t	 clock;
	size_t		 largest;	/* the largest tree read */
	struct buf	 path;		/* of the folders being compared */
	unsigned	 depth;
	unsigned	 visits;
	treediff_fn	 fn;
	void		*arg;
};

struct tent {
	const char	*name;
	size_t		 namelen;
	unsigned	 mode;		/* canonical */
	const git_oid	*id;
	size_t		 len;		/* bytes of the entry in the tree */
};

static const git_oid zero_id;

struct treediff *
treediff_new(git_repository *repo)
{
	struct treediff *td = xcalloc(1, sizeof(*td));

	td->repo = repo;
	buf_init(&td->path);
	return td;
}

void
treediff_set_repo(struct treediff *td, git_repository *repo)
{
	size_t i;

	for (i = 0; i < td->slotsz; i++)
		if (td->slots[i].full) {
			rawobj_free(&td->slots[i].obj);
			td->slots[i].full = false;
		}
	td->repo = repo;
}

size_t
treediff_largest(const struct treediff *td)
{
	return td->largest;
}

void
treediff_free(struct treediff *td)
{
	size_t i;

	if (td == NULL)
		return;
	for (i = 0; i < td->slotsz; i++)
		if (td->slots[i].full)
			rawobj_free(&td->slots[i].obj);
	free(td->slots);
	buf_release(&td->path);
	free(td);
}

/*
 * The slot of tree `id`, read if it is not kept, with one more user.
 * Returns its index, or -1 when it cannot be read.
 */
static long
tree_get(struct treediff *td, const git_oid *id)
{
	struct tslot *s;
	size_t i, v = SIZE_MAX;

	for (i = 0; i < td->slotsz; i++) {
		s = &td->slots[i];
		if (s->full && git_oid_equal(&s->id, id)) {
			s->refs++;
			s->used = ++td->clock;
			return (long)i;
		}
		if (s->refs == 0 && (v == SIZE_MAX || !s->full ||
		    (td->slots[v].full && s->used < td->slots[v].used)))
			v = i;
	}
	if (v == SIZE_MAX || (td->slotsz < TREE_SLOTS && td->slots[v].full)) {
		td->slots = xreallocarray(td->slots, td->slotsz + 1,
		    sizeof(*td->slots));
		v = td->slotsz++;
		memset(&td->slots[v], 0, sizeof(td->slots[v]));
	}
	s = &td->slots[v];
	if (s->full)
		rawobj_free(&s->obj);
	s->full = false;
	if (rawobj_read(&s->obj, td->repo, id, GIT_OBJECT_TREE) == -1) {
		rawobj_free(&s->obj);
		return -1;
	}
	git_oid_cpy(&s->id, id);
	s->full = true;
	if (s->obj.size > td->largest)
		td->largest = s->obj.size;
	s->refs = 1;
	s->used = ++td->clock;
	return (long)v;
}

static void
tree_put(struct treediff *td, long i)
{
	if (i >= 0)
		td->slots[i].refs--;
}

static unsigned
canon_mode(unsigned mode)
{
	switch (mode & MODE_FMT) {
	case MODE_FILE:
		return (mode & 0100) ? 0100755 : 0100644;
	case MODE_LINK:
		return MODE_LINK;
	case MODE_DIR:
		return MODE_DIR;
	default:
		return MODE_GITLINK;
	}
}

static bool
tent_is_dir(const struct tent *e)
{
	return e->mode == MODE_DIR;
}

/*
 * Reads the entry at p, before end. Returns 1, 0 at the end, or -1 when
 * the bytes are not an entry.
 */
static int
tent_read(struct tent *e, const char *p, const char *end)
{
	const char *q = p, *nul;
	unsigned mode = 0;

	if (p == end)
		return 0;
	/* Most entries are files of mode 100644: read at a glance. */
	if (end - p > 7 && memcmp(p, "100644 ", 7) == 0) {
		mode = 0100644;
		q = p + 7;
	} else {
		while (q < end && *q >= '0' && *q <= '7' && q - p < 10)
			mode = mode * 8 + (unsigned)(*q++ - '0');
		if (q == p || q == end || *q != ' ')
			return -1;
		q++;
	}
	if ((nul = memchr(q, '\0', (size_t)(end - q))) == NULL || nul == q ||
	    end - nul < 1 + GIT_OID_RAWSZ)
		return -1;
	e->mode = canon_mode(mode);
	e->name = q;
	e->namelen = (size_t)(nul - q);
	e->id = (const git_oid *)(nul + 1);
	e->len = (size_t)(nul + 1 + GIT_OID_RAWSZ - p);
	return 1;
}

static bool
has_slash(const struct tent *e)
{
	return memchr(e->name, '/', e->namelen) != NULL;
}

/* git's order: by name, a folder's as if it ended in '/'. */
static int
tent_cmp(const struct tent *a, const struct tent *b)
{
	size_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
	unsigned char ca, cb;
	int c;

	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	ca = a->namelen > n ? (unsigned char)a->name[n] :
	    tent_is_dir(a) ? '/' : 0;
	cb = b->namelen > n ? (unsigned char)b->name[n] :
	    tent_is_dir(b) ? '/' : 0;
	return (int)ca - (int)cb;
}

/* How many bytes a and b have the same from their starts, up to n. */
static size_t
same_bytes(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (n - i >= 256 && memcmp(a + i, b + i, 256) == 0)
		i += 256;
	while (n - i >= 16 && memcmp(a + i, b + i, 16) == 0)
		i += 16;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static int	compare(struct treediff *, const git_oid *, const git_oid *);

/*
 * The path of entry e: td->path, the folders being compared, with its
 * name and a NUL put after them; *keep is td->path's length before.
 */
static const char *
entry_path(struct treediff *td, const struct tent *e, size_t *keep)
{
	*keep = td->path.len;
	buf_put(&td->path, e->name, e->namelen);
	buf_putc(&td->path, '\0');
	return td->path.ptr;
}

/*
 * Tells of entry e, there on one side only: `st` 'A' or 'D' for a file,
 * every file below it for a folder.
 */
static int
one_side(struct treediff *td, const struct tent *e, char st)
{
	const char *path;
	size_t keep;
	int rc = 0;

	path = entry_path(td, e, &keep);
	if (tent_is_dir(e)) {
		td->path.ptr[td->path.len - 1] = '/';
		rc = st == 'A' ? compare(td, NULL, e->id) :
		    compare(td, e->id, NULL);
	} else if (st == 'A')
		td->fn(td->arg, 'A', path, &zero_id, e->id);
	else
		td->fn(td->arg, 'D', path, e->id, &zero_id);
	buf_truncate(&td->path, keep);
	return rc;
}

/* Tells of two entries of the same name. */
static int
both_sides(struct treediff *td, const struct tent *x, const struct tent *y)
{
	const char *path;
	size_t keep;
	int rc = 0;

	if (x->mode == y->mode && git_oid_equal(x->id, y->id))
		return 0;
	path = entry_path(td, x, &keep);
	if (tent_is_dir(x)) {
		/* Both are folders: tent_cmp() tells a folder from a file. */
		td->path.ptr[td->path.len - 1] = '/';
		rc = compare(td, x->id, y->id);
	} else if ((x->mode & MODE_FMT) != (y->mode & MODE_FMT))
		td->fn(td->arg, 'T', path, x->id, y->id);
	else
		td->fn(td->arg, 'M', path, x->id, y->id);
	buf_truncate(&td->path, keep);
	return rc;
}

/*
 * Compares two trees (NULL: empty) in the folder td->path, as git's
 * tree-diff.c walks them, with a run of equal bytes skipped at once.
 */
static int
compare(struct treediff *td, const git_oid *old_id, const git_oid *new_id)
{
	long si = -1, sj = -1;
	const char *a = "", *ae, *b = "", *be;
	struct tent x, y;
	size_t n, same;
	int hx, hy, c, rc = -1;

	if (old_id != NULL && new_id != NULL && git_oid_equal(old_id, new_id))
		return 0;
	/* Only a damaged tree can name itself: git's objects form no loop. */
	if (td->depth >= TREE_DEPTH || td->visits >= TREE_VISITS)
		return -1;
	td->visits++;
	td->depth++;
	if (old_id != NULL) {
		if ((si = tree_get(td, old_id)) == -1)
			goto out;
		a = td->slots[si].obj.data;
	}
	ae = a + (old_id != NULL ? td->slots[si].obj.size : 0);
	if (new_id != NULL) {
		if ((sj = tree_get(td, new_id)) == -1)
			goto out;
		b = td->slots[sj].obj.data;
	}
	be = b + (new_id != NULL ? td->slots[sj].obj.size : 0);

	hx = tent_read(&x, a, ae);
	hy = tent_read(&y, b, be);
	while (hx > 0 || hy > 0) {
		if (hx > 0 && hy > 0 && x.len == y.len &&
		    memcmp(a, b, x.len) == 0) {
			/*
			 * The same bytes from here are the same entries:
			 * only one side's need reading, to find where the
			 * last one that is whole on both sides ends.
			 */
			n = (size_t)(ae - a) < (size_t)(be - b) ?
			    (size_t)(ae - a) : (size_t)(be - b);
			same = same_bytes(a, b, n);
			while (hx > 0 && x.len <= same) {
				a += x.len;
				b += x.len;
				same -= x.len;
				hx = tent_read(&x, a, ae);
			}
			hy = tent_read(&y, b, be);
			continue;
		}
		/*
		 * A name with a slash (git fsck refuses it) would pass for a
		 * path in a folder: the walk compares that commit itself.
		 */
		if (hx < 0 || hy < 0 || (hx > 0 && has_slash(&x)) ||
		    (hy > 0 && has_slash(&y)))
			goto out;
		c = hx == 0 ? 1 : hy == 0 ? -1 : tent_cmp(&x, &y);
		if (c < 0) {
			if (one_side(td, &x, 'D') == -1)
				goto out;
		} else if (c > 0) {
			if (one_side(td, &y, 'A') == -1)
				goto out;
		} else if (both_sides(td, &x, &y) == -1)
			goto out;
		if (c <= 0) {
			a += x.len;
			hx = tent_read(&x, a, ae);
		}
		if (c >= 0) {
			b += y.len;
			hy = tent_read(&y, b, be);
		}
	}
	rc = hx < 0 || hy < 0 ? -1 : 0;
out:
	tree_put(td, si);
	tree_put(td, sj);
	td->depth--;
	return rc;
}

int
treediff_run(struct treediff *td, const git_oid *old_tree,
    const git_oid *new_tree, treediff_fn fn, void *arg)
{
	td->fn = fn;
	td->arg = arg;
	td->depth = 0;
	td->visits = 0;
	buf_truncate(&td->path, 0);
	return compare(td, old_tree, new_tree);
}

int
treediff_folder(struct treediff *td, const git_oid *root, const char *folder,
    git_oid *out, bool *found)
{
	const char *p = folder, *slash, *at, *end;
	struct tent e;
	git_oid id;
	size_t len;
	long si;
	int r;

	*found = false;
	git_oid_cpy(&id, root);
	while (*p != '\0') {
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if ((si = tree_get(td, &id)) == -1)
			return -1;
		at = td->slots[si].obj.data;
		end = at + td->slots[si].obj.size;
		while ((r = tent_read(&e, at, end)) > 0 &&
		    !(e.namelen == len && memcmp(e.name, p, len) == 0 &&
		    tent_is_dir(&e)))
			at += e.len;
		if (r > 0)
			git_oid_cpy(&id, e.id);
		tree_put(td, si);
		if (r <= 0)
			return r;	/* 0: not there */
		p += len;
		if (*p == '/')
			p++;
	}
	git_oid_cpy(out, &id);
	*found = true;
	return 0;
}

static int
fits(struct treediff *td, git_odb *odb, const git_oid *id, size_t limit)
{
	git_object_t type;
	struct tent e;
	const char *at, *end;
	size_t len;
	long si;
	int r, rc = 1;

	if (td->depth >= TREE_DEPTH || td->visits >= TREE_VISITS)
		return -1;
	if (git_odb_read_header(&len, &type, odb, id) < 0)
		return -1;
	if (len > limit)
		return 0;
	if ((si = tree_get(td, id)) == -1)
		return -1;
	td->depth++;
	td->visits++;
	at = td->slots[si].obj.data;
	end = at + td->slots[si].obj.size;
	while (rc == 1 && (r = tent_read(&e, at, end)) > 0) {
		if (tent_is_dir(&e))
			rc = fits(td, odb, e.id, limit);
		at += e.len;
	}
	if (rc == 1 && r < 0)
		rc = -1;
	td->depth--;
	tree_put(td, si);
	return rc;
}

int
treediff_fits(struct treediff *td, const git_oid *tree, size_t limit)
{
	git_odb *odb;
	int rc;

	if (git_repository_odb(&odb, td->repo) < 0)
		return -1;
	td->depth = 0;
	td->visits = 0;
	rc = fits(td, odb, tree, limit);
	git_odb_free(odb);
	return rc;
}
