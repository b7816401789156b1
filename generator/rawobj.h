/*
 * Objects read from a repository's object stores without the hash check
 * that libgit2 makes of every object it reads.
 *
 * libgit2 (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on by default)
 * hashes each object it inflates and compares the hash with its id: for
 * the old versions of records a build reads, that costs as much as
 * inflating them. git itself does not check on reading either.
 *
 * Read this way, a damaged object gives wrong bytes instead of an error.
 * A blob names no other object, so that can only give wrong text. A
 * commit names its parents, and a tree its subtrees: whoever follows
 * them from an object read here must stop at a loop itself (treediff.c
 * stops 256 folders deep). The walk that builds the history still reads
 * every commit through libgit2, checked (tests/bad/history-commit-cycle),
 * and reads a tree itself, checked, wherever the comparison of trees
 * gave up (tests/bad/history-tree-loop).
 */
#ifndef DOCKET_RAWOBJ_H
#define DOCKET_RAWOBJ_H

#include <stddef.h>

#include "gitlib.h"

struct rawobj {
	const char	*data;
	size_t		 size;
	/* Which of these holds the data, for rawobj_free(). */
	git_odb_backend	*backend;
	git_odb_object	*object;
};

/*
 * Reads the object `id` of type `type`: from the object stores in
 * libgit2's own order, or through git_odb_read() when none of them has
 * it (which looks again for packs added since the repository was
 * opened). Returns 0, or -1 when the object cannot be read or is of
 * another type; libgit2's error is left set. Free with rawobj_free()
 * either way.
 */
int	rawobj_read(struct rawobj *, git_repository *, const git_oid *id,
	    git_object_t type);
void	rawobj_free(struct rawobj *);
/*
 * Puts a reader of the repository's loose objects (the files under
 * objects/ when the repository is opened) ahead of libgit2's, for every
 * read of that handle, rawobj_read()'s too. libgit2 1.5 never returns
 * from reading a loose object whose file was cut short: its inflate
 * loop makes no progress once the input has run out (libgit2 issue
 * 7342). This reader inflates the whole file in one call and fails with
 * "loose object ... is damaged" instead. The objects are listed when
 * it is called, or taken from `like` (NULL: none), another handle of the
 * same repository that it guarded. Returns 0, or -1 when the object
 * stores cannot be reached (the handle is left as it was).
 */
int	rawobj_guard(git_repository *, git_repository *like);

#endif
