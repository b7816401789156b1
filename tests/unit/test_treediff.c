/*
 * Unit tests: trees compared over their bytes, against `git diff-tree -r
 * --raw`. Trees are written byte by byte (so that they may hold what git
 * no longer writes, such as mode 100664), most of them a few changes from
 * the one before, and every pair of neighbours is compared both ways.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp, popen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "treediff.h"
#include "unit.h"
#include "util.h"

#define TREES		160
#define NAMES		12

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Names that sort close together, a folder's as if it ended in '/'. */
static const char *const names[NAMES] = {
	"a", "a.b", "a-b", "a0", "ab", "b", "c.md", "notes", "notes.md",
	"z", "\xc3\xa9t\xc3\xa9", "a b"
};

struct node {
	unsigned	 mode;		/* 0: no entry */
	git_oid		 id;		/* a file's */
	struct node	*kids;		/* a folder's: NAMES + bulk */
};

/* Entries "p000.md"... in some folders: long runs of equal bytes. */
static unsigned bulk = 300;

static git_oid blobs[4];

static size_t
kid_count(void)
{
	return NAMES + bulk;
}

static const char *
kid_name(size_t i, char *tmp)
{
	if (i < NAMES)
		return names[i];
	snprintf(tmp, 16, "p%03zu.md", i - NAMES);
	return tmp;
}

static void
node_free(struct node *n)
{
	size_t i;

	if (n->kids == NULL)
		return;
	for (i = 0; i < kid_count(); i++)
		node_free(&n->kids[i]);
	free(n->kids);
	n->kids = NULL;
}

/* A random file or folder (depth: how deep folders may still go). */
static void
node_random(struct node *n, int depth)
{
	static const unsigned modes[] = {
		0100644, 0100644, 0100644, 0100755, 0100664, 0120000, 0160000
	};
	size_t i;

	node_free(n);
	memset(n, 0, sizeof(*n));
	if (depth > 0 && rnd(4) == 0) {
		n->mode = 040000;
		n->kids = xcalloc(kid_count(), sizeof(*n->kids));
		/* Only the short names nest: a few folders in all. */
		for (i = 0; i < kid_count(); i++)
			if (rnd(i < NAMES ? 2 : 8) == 0)
				node_random(&n->kids[i], i < NAMES ?
				    depth - 1 : 0);
		return;
	}
	n->mode = modes[rnd(NELEM(modes))];
	if (n->mode == 0160000)
		memset(n->id.id, 0x40 + (int)rnd(4), GIT_OID_RAWSZ);
	else
		n->id = blobs[rnd(NELEM(blobs))];
}

/* A few changes somewhere below folder n. */
static void
node_mutate(struct node *n, int depth)
{
	size_t i = rnd((unsigned)kid_count());
	struct node *k = &n->kids[i];

	if (k->mode == 040000 && rnd(3) != 0) {
		node_mutate(k, depth - 1);
		return;
	}
	if (i >= NAMES)
		depth = 1;	/* (node_random() below gives a file) */
	switch (rnd(4)) {
	case 0:			/* removed */
		node_free(k);
		memset(k, 0, sizeof(*k));
		break;
	case 1:			/* its mode only */
		if (k->mode != 0 && k->mode != 040000 && k->mode != 0160000)
			k->mode = k->mode == 0100644 ? 0100755 : 0100644;
		else
			node_random(k, depth - 1);
		break;
	default:		/* anything */
		node_random(k, depth - 1);
		break;
	}
}

struct sortent {
	const char	*name;
	struct node	*n;
};

static int
sortent_cmp(const void *a, const void *b)
{
	const struct sortent *x = a, *y = b;
	char kx[64], ky[64];

	snprintf(kx, sizeof(kx), "%s%s", x->name, x->n->mode == 040000 ?
	    "/" : "");
	snprintf(ky, sizeof(ky), "%s%s", y->name, y->n->mode == 040000 ?
	    "/" : "");
	return strcmp(kx, ky);
}

/* Writes folder n as a tree object; its id into *out. */
static void
node_write(git_odb *odb, struct node *n, git_oid *out)
{
	struct sortent *v = xcalloc(kid_count(), sizeof(*v));
	char (*tmp)[16] = xcalloc(kid_count(), sizeof(*tmp));
	struct buf b = BUF_INIT;
	size_t i, k = 0;

	for (i = 0; i < kid_count(); i++)
		if (n->kids[i].mode != 0) {
			if (n->kids[i].mode == 040000)
				node_write(odb, &n->kids[i], &n->kids[i].id);
			v[k].name = kid_name(i, tmp[i]);
			v[k++].n = &n->kids[i];
		}
	qsort(v, k, sizeof(*v), sortent_cmp);
	for (i = 0; i < k; i++) {
		buf_printf(&b, "%o %s", v[i].n->mode, v[i].name);
		buf_putc(&b, '\0');
		buf_put(&b, v[i].n->id.id, GIT_OID_RAWSZ);
	}
	CHECK_INT(git_odb_write(out, odb, b.ptr, b.len, GIT_OBJECT_TREE), 0);
	buf_release(&b);
	free(tmp);
	free(v);
}

static void
told(void *arg, char st, const char *path, const git_oid *o,
    const git_oid *n)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	buf_printf(arg, "%c %s %s %s\n", st, git_oid_tostr(a, sizeof(a), o),
	    git_oid_tostr(b, sizeof(b), n), path);
}

/* What git diff-tree lists from tree a to b, in the same form. */
static void
git_lists(struct buf *out, const char *dir, const git_oid *a,
    const git_oid *b)
{
	char ha[GIT_OID_HEXSZ + 1], hb[GIT_OID_HEXSZ + 1], chunk[4096];
	struct buf raw = BUF_INIT;
	char *cmd, *p, *end, *path;
	FILE *f;
	size_t n;

	cmd = xasprintf("cd '%s' && GIT_CONFIG_NOSYSTEM=1 "
	    "GIT_CONFIG_GLOBAL=/dev/null git diff-tree -r --raw -z "
	    "--no-renames --no-abbrev %s %s", dir,
	    git_oid_tostr(ha, sizeof(ha), a), git_oid_tostr(hb, sizeof(hb), b));
	f = popen(cmd, "r");
	CHECK(f != NULL);
	while (f != NULL && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&raw, chunk, n);
	CHECK(f != NULL && pclose(f) == 0);
	/* ":100644 100644 OLD NEW M\0path\0" */
	p = raw.ptr;
	end = raw.ptr + raw.len;
	while (p < end && *p == ':') {
		p = strchr(p, ' ') + 1;
		p = strchr(p, ' ') + 1;
		path = p + strlen(p) + 1;
		buf_printf(out, "%c %.40s %.40s %s\n", p[82], p, p + 41, path);
		p = path + strlen(path) + 1;
	}
	CHECK(p == end);
	buf_release(&raw);
	free(cmd);
}

/* An empty repository in a new folder; NULL when none could be made. */
struct scratch {
	char		 tmpl[32];
	char		*dir;
	git_repository	*repo;
	git_odb		*odb;
};

static int
scratch_make(struct scratch *sc)
{
	char *cmd;

	memset(sc, 0, sizeof(*sc));
	strcpy(sc->tmpl, "/tmp/docket-unit-XXXXXX");
	if ((sc->dir = mkdtemp(sc->tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return -1;
	}
	cmd = xasprintf("cd '%s' && git init -q . >/dev/null 2>&1", sc->dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	git_libgit2_init();
	CHECK_INT(git_repository_open(&sc->repo, sc->dir), 0);
	CHECK_INT(git_repository_odb(&sc->odb, sc->repo), 0);
	return sc->odb != NULL ? 0 : -1;
}

static void
scratch_release(struct scratch *sc)
{
	char *cmd;

	git_odb_free(sc->odb);
	git_repository_free(sc->repo);
	git_libgit2_shutdown();
	cmd = xasprintf("rm -rf '%s'", sc->dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
}

void
test_treediff__as_git_diff_tree(void)
{
	struct scratch sc;
	struct treediff *td;
	struct node root;
	git_oid *ids;
	struct buf got = BUF_INIT, want = BUF_INIT;
	size_t i, j, mismatches = 0, changes = 0;

	if (scratch_make(&sc) == -1)
		return;
	ids = xcalloc(TREES, sizeof(*ids));
	for (i = 0; i < NELEM(blobs); i++) {
		char text[16];
		snprintf(text, sizeof(text), "text %zu\n", i);
		CHECK_INT(git_odb_write(&blobs[i], sc.odb, text, strlen(text),
		    GIT_OBJECT_BLOB), 0);
	}
	memset(&root, 0, sizeof(root));
	root.mode = 040000;
	root.kids = xcalloc(kid_count(), sizeof(*root.kids));
	for (i = 0; i < TREES; i++) {
		if (i % 40 == 0) {
			/* Now and then a tree unlike the one before. */
			node_random(&root, 3);
			while (root.mode != 040000)
				node_random(&root, 3);
		} else
			for (j = 0, rng += i; j < 1 + rnd(4); j++)
				node_mutate(&root, 3);
		node_write(sc.odb, &root, &ids[i]);
	}
	td = treediff_new(sc.repo);
	for (i = 0; i + 1 < TREES; i++) {
		for (j = 0; j < 2; j++) {
			const git_oid *a = &ids[i + j], *b = &ids[i + 1 - j];

			buf_truncate(&got, 0);
			buf_truncate(&want, 0);
			CHECK_INT(treediff_run(td, a, b, told, &got), 0);
			git_lists(&want, sc.dir, a, b);
			changes += want.len > 0;
			if (got.len != want.len ||
			    memcmp(got.ptr, want.ptr, got.len) != 0) {
				if (mismatches++ == 0)
					fprintf(stderr, "treediff: tree %zu to "
					    "%zu:\n%.*s-- git:\n%.*s", i + j,
					    i + 1 - j, (int)got.len, got.ptr,
					    (int)want.len, want.ptr);
			}
		}
	}
	CHECK_INT(mismatches, 0);
	/* The pairs are not all the same. */
	CHECK(changes > TREES);
	/* An empty side: every file added. */
	buf_truncate(&got, 0);
	CHECK_INT(treediff_run(td, NULL, &ids[0], told, &got), 0);
	CHECK(got.len > 0 && got.ptr[0] == 'A');
	treediff_free(td);
	node_free(&root);
	buf_release(&got);
	buf_release(&want);
	free(ids);
	scratch_release(&sc);
}

/* Writes a tree of one entry, "MODE NAME" and id. */
static void
one_entry(git_odb *odb, git_oid *out, const char *mode, const char *name,
    const git_oid *id)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s %s", mode, name);
	buf_putc(&b, '\0');
	buf_put(&b, id->id, GIT_OID_RAWSZ);
	CHECK_INT(git_odb_write(out, odb, b.ptr, b.len, GIT_OBJECT_TREE), 0);
	buf_release(&b);
}

/*
 * What git fsck refuses: a name with a slash is not compared (the walk
 * reads that commit with libgit2); a mode with leading zeros is read as
 * git reads it.
 */
void
test_treediff__odd_entries(void)
{
	struct scratch sc;
	struct treediff *td;
	struct buf got = BUF_INIT, want = BUF_INIT;
	git_oid b0, b1, plain, slash, zeros;

	if (scratch_make(&sc) == -1)
		return;
	CHECK_INT(git_odb_write(&b0, sc.odb, "a\n", 2, GIT_OBJECT_BLOB), 0);
	CHECK_INT(git_odb_write(&b1, sc.odb, "b\n", 2, GIT_OBJECT_BLOB), 0);
	one_entry(sc.odb, &plain, "100644", "vendors", &b0);
	one_entry(sc.odb, &slash, "100644", "vendors/a.xml", &b1);
	one_entry(sc.odb, &zeros, "00100644", "vendors", &b1);
	td = treediff_new(sc.repo);
	CHECK_INT(treediff_run(td, &plain, &slash, told, &got), -1);
	CHECK_INT(treediff_run(td, &slash, &plain, told, &got), -1);
	buf_truncate(&got, 0);
	CHECK_INT(treediff_run(td, &plain, &zeros, told, &got), 0);
	git_lists(&want, sc.dir, &plain, &zeros);
	CHECK(want.len > 0);
	CHECK(got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0);
	treediff_free(td);
	buf_release(&got);
	buf_release(&want);
	scratch_release(&sc);
}
