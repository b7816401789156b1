/*
 * Fuzz target: the files of a commit as `docket build --as-of` reads them
 * (gitsrc.h): tree entries turned into the files and folders of a site,
 * with their names, modes, symbolic links and submodules, however deep.
 *
 * The input is objects cut at each "\n===\n"; each object's first byte
 * says what it is ('t' a tree, anything else a blob) and the rest is its
 * content. A tree is written as git writes it, "<mode> <name>\0", but
 * with one byte for the id of the object named: byte b names the object
 * b of the input, or one that is not there (a damaged repository) when
 * there are fewer. Object 0 is the root. An object store of the target's
 * own serves them, with no hash check, so trees may lead back into
 * themselves.
 *
 * The root is read twice: as a commit's whole tree, and as the folder
 * "site/" of a commit whose tree also holds a file and a folder beside
 * it that no path of the site may read. Every folder reached is listed
 * and every name in it looked at, as a build scans content/. The rules:
 * a folder lists, a file reads (unless its object cannot be read), and
 * nothing else does either; an object that cannot be read says why
 * (source_why()); names come sorted; and nothing outside "site/" is
 * ever read through it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "buf.h"
#include "fuzz.h"
#include "gitsrc.h"
#include "source.h"
#include "util.h"

#define MAX_OBJECTS	64
#define WALK_DEPTH	12
#define WALK_FOLDERS	300

struct object {
	git_object_t	 type;
	struct buf	 data;
};

static struct object objects[MAX_OBJECTS];
static size_t nobjects;
static struct buf outer_root, commit_whole, commit_site;
static bool secret_read;	/* the file beside "site/" was read */

static void
object_id(git_oid *out, unsigned char which, unsigned char kind)
{
	memset(out, 0, sizeof(*out));
	out->id[0] = which;
	out->id[1] = kind;
}

/* The object an id names, or NULL: what the object store holds. */
static bool
object_find(const git_oid *id, const char **data, size_t *len,
    git_object_t *type)
{
	static const char blob[] = "outside the site";
	unsigned char which = id->id[0], kind = id->id[1];
	size_t i;

	for (i = 2; i < sizeof(id->id); i++)
		if (id->id[i] != 0)
			return false;
	switch (kind) {
	case 'o':
		if (which >= nobjects)
			return false;
		*data = objects[which].data.ptr;
		*len = objects[which].data.len;
		*type = objects[which].type;
		return true;
	case 's':	/* beside the site folder */
		if (which == 0) {
			secret_read = true;
			*data = blob;
			*len = sizeof(blob) - 1;
			*type = GIT_OBJECT_BLOB;
		} else if (which == 1) {
			*data = outer_root.ptr;
			*len = outer_root.len;
			*type = GIT_OBJECT_TREE;
		} else
			return false;
		return true;
	case 'c':
		*data = which == 0 ? commit_whole.ptr : commit_site.ptr;
		*len = which == 0 ? commit_whole.len : commit_site.len;
		*type = GIT_OBJECT_COMMIT;
		return which < 2;
	}
	return false;
}

static int
fuzz_read(void **out, size_t *len, git_object_t *type, git_odb_backend *be,
    const git_oid *id)
{
	const char *data;

	if (!object_find(id, &data, len, type))
		return GIT_ENOTFOUND;
	if ((*out = git_odb_backend_data_alloc(be, *len + 1)) == NULL)
		return -1;
	if (*len > 0)
		memcpy(*out, data, *len);
	return 0;
}

static int
fuzz_read_header(size_t *len, git_object_t *type, git_odb_backend *be,
    const git_oid *id)
{
	const char *data;

	bool was = secret_read;
	int rc;

	(void)be;
	rc = object_find(id, &data, len, type) ? 0 : GIT_ENOTFOUND;
	secret_read = was;
	return rc;
}

static int
fuzz_exists(git_odb_backend *be, const git_oid *id)
{
	const char *data;
	size_t len;
	git_object_t type;

	bool was = secret_read;
	int rc;

	(void)be;
	rc = object_find(id, &data, &len, &type);
	secret_read = was;
	return rc;
}

static void
fuzz_free(git_odb_backend *be)
{
	(void)be;
}

static git_repository *
fuzz_repo(void)
{
	static git_repository *repo;
	static git_odb_backend be;
	git_odb *odb;

	if (repo != NULL)
		return repo;
	git_libgit2_init();
	/* Ids here are no hashes: a damaged repository's can be anything. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Every object read comes to fuzz_read(), which sees the secret. */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	be.version = GIT_ODB_BACKEND_VERSION;
	be.read = fuzz_read;
	be.read_header = fuzz_read_header;
	be.exists = fuzz_exists;
	be.free = fuzz_free;
	if (git_odb_new(&odb) < 0 || git_odb_add_backend(odb, &be, 1) < 0 ||
	    git_repository_wrap_odb(&repo, odb) < 0)
		abort();
	git_odb_free(odb);
	return repo;
}

/* A tree as the input writes it, with each one-byte id made whole. */
static void
tree_put(struct buf *out, const char *p, size_t len)
{
	const char *end = p + len, *nul;
	git_oid id;

	while (p < end) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL ||
		    nul + 1 == end) {
			buf_put(out, p, (size_t)(end - p));
			return;
		}
		buf_put(out, p, (size_t)(nul + 1 - p));
		object_id(&id, (unsigned char)nul[1], 'o');
		buf_put(out, id.id, sizeof(id.id));
		p = nul + 2;
	}
}

static void
entry_put(struct buf *out, const char *mode, const char *name,
    unsigned char which, unsigned char kind)
{
	git_oid id;

	buf_printf(out, "%s %s", mode, name);
	buf_putc(out, '\0');
	object_id(&id, which, kind);
	buf_put(out, id.id, sizeof(id.id));
}

static void
commit_put(struct buf *out, unsigned char which, unsigned char kind)
{
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];

	object_id(&id, which, kind);
	git_oid_tostr(hex, sizeof(hex), &id);
	buf_printf(out, "tree %s\nauthor A <a@example.org> 1600000000 +0000\n"
	    "committer A <a@example.org> 1600000000 +0000\n\nfuzz\n", hex);
}

static const char *
find(const char *p, const char *end, const char *s, size_t n)
{
	for (; (size_t)(end - p) >= n; p++)
		if (memcmp(p, s, n) == 0)
			return p;
	return NULL;
}

static void
objects_load(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n===\n";
	const char *p = (const char *)data, *end = p + size, *cut;
	size_t len;

	nobjects = 0;
	while (nobjects < MAX_OBJECTS) {
		cut = find(p, end, sep, sizeof(sep) - 1);
		len = cut != NULL ? (size_t)(cut - p) : (size_t)(end - p);
		buf_truncate(&objects[nobjects].data, 0);
		if (len > 0 && *p == 't') {
			objects[nobjects].type = GIT_OBJECT_TREE;
			tree_put(&objects[nobjects].data, p + 1, len - 1);
		} else {
			objects[nobjects].type = GIT_OBJECT_BLOB;
			if (len > 0)
				buf_put(&objects[nobjects].data, p + 1, len - 1);
		}
		nobjects++;
		if (cut == NULL)
			break;
		p = cut + sizeof(sep) - 1;
	}
}

struct walk {
	struct source_tree	*src;
	bool			 site;	/* below "site/": never the secret */
	unsigned		 folders;
};

static void
check_file(struct walk *w, const char *rel)
{
	struct buf b = BUF_INIT;

	/* An object that cannot be read says why. */
	if (source_read(w->src, rel, &b) == -1 && (errno == EIO ?
	    source_why(w->src) == NULL : errno != EFBIG))
		abort();
	buf_release(&b);
	if (source_copy(w->src, rel, "/dev/null") == -1 && errno != EIO &&
	    errno != EFBIG)
		abort();
}

static void
walk(struct walk *w, const char *rel, unsigned depth)
{
	char **names = NULL, *sub;
	size_t namesz = 0, i;
	struct buf b = BUF_INIT;

	if (++w->folders > WALK_FOLDERS || depth > WALK_DEPTH)
		return;
	if (source_list(w->src, rel, &names, &namesz) == -1) {
		/* A folder whose tree cannot be read. */
		if (errno == EIO && source_why(w->src) == NULL)
			abort();
		return;
	}
	for (i = 0; i < namesz; i++) {
		if (i > 0 && strcmp(names[i - 1], names[i]) > 0)
			abort();
		sub = *rel != '\0' ? path_join(rel, names[i]) :
		    xstrdup(names[i]);
		switch (source_type(w->src, sub)) {
		case SRC_DIR:
			walk(w, sub, depth + 1);
			break;
		case SRC_FILE:
			check_file(w, sub);
			break;
		default:
			/* Neither a folder nor a file: nothing to read. */
			if (source_read(w->src, sub, &b) == 0)
				abort();
			buf_truncate(&b, 0);
			break;
		}
		free(sub);
	}
	buf_release(&b);
	source_list_free(names, namesz);
}

static void
walk_commit(unsigned char which, const char *prefix, bool site)
{
	struct walk w = { NULL, site, 0 };
	git_oid id;

	object_id(&id, which, 'c');
	if ((w.src = gitsrc_new(fuzz_repo(), &id, prefix)) == NULL)
		return;
	if (source_type(w.src, "") != SRC_DIR)
		abort();
	secret_read = false;
	walk(&w, "", 0);
	/* What a build asks for first, whatever the tree holds. */
	(void)source_type(w.src, "docket.yml");
	(void)source_type(w.src, "content/static");
	if (site && secret_read)
		abort();
	source_free(w.src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	objects_load(data, size);
	buf_truncate(&outer_root, 0);
	entry_put(&outer_root, "100644", "secret", 0, 's');
	entry_put(&outer_root, "40000", "secret-folder", 1, 's');
	entry_put(&outer_root, "40000", "site", 0, 'o');
	buf_truncate(&commit_whole, 0);
	commit_put(&commit_whole, 0, 'o');
	buf_truncate(&commit_site, 0);
	commit_put(&commit_site, 1, 's');
	walk_commit(0, "", false);
	walk_commit(1, "site/", true);
	return 0;
}
