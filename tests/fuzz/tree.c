/*
 * Fuzz target: two tree objects compared over their bytes (treediff.h).
 * The input's first byte says where it is cut in two: the old tree and
 * the new. They are served by an object store of the target's own, in
 * which every id is a tree: one whose first byte is odd is the old tree,
 * any other the new one. Entries naming folders thus lead back into the
 * same two trees, as a damaged repository's can, however deep.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "fuzz.h"
#include "treediff.h"

static const uint8_t *trees[2];
static size_t treesz[2];

static int
fuzz_read(void **out, size_t *len, git_object_t *type, git_odb_backend *be,
    const git_oid *id)
{
	int which = id->id[0] & 1;

	*out = git_odb_backend_data_alloc(be, treesz[which] + 1);
	if (*out == NULL)
		return -1;
	if (treesz[which] > 0)
		memcpy(*out, trees[which], treesz[which]);
	*len = treesz[which];
	*type = GIT_OBJECT_TREE;
	return 0;
}

static int
fuzz_exists(git_odb_backend *be, const git_oid *id)
{
	(void)be;
	(void)id;
	return 1;
}

static void
fuzz_free(git_odb_backend *be)
{
	(void)be;
}

static void
seen(void *arg, char st, const char *path, const git_oid *o,
    const git_oid *n)
{
	size_t *count = arg;

	(void)o;
	(void)n;
	if (st != 'A' && st != 'D' && st != 'M' && st != 'T')
		abort();
	*count += strlen(path) > 0;
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
	be.version = GIT_ODB_BACKEND_VERSION;
	be.read = fuzz_read;
	be.exists = fuzz_exists;
	be.free = fuzz_free;
	if (git_odb_new(&odb) < 0 || git_odb_add_backend(odb, &be, 1) < 0 ||
	    git_repository_wrap_odb(&repo, odb) < 0)
		abort();
	git_odb_free(odb);
	return repo;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct treediff *td;
	git_oid old_id, new_id, folder;
	size_t cut, count = 0;
	bool found;

	if (size < 1)
		return 0;
	cut = 1 + (size_t)data[0] * (size - 1) / 256;
	trees[1] = data + 1;
	treesz[1] = cut - 1;
	trees[0] = data + cut;
	treesz[0] = size - cut;
	memset(&old_id, 1, sizeof(old_id));
	memset(&new_id, 2, sizeof(new_id));
	td = treediff_new(fuzz_repo());
	treediff_run(td, &old_id, &new_id, seen, &count);
	treediff_run(td, NULL, &new_id, seen, &count);
	treediff_folder(td, &old_id, "a/b/content/", &folder, &found);
	treediff_free(td);
	return 0;
}
