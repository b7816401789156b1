/*
 * The files changed from one tree of a repository to another, found by
 * comparing the bytes of the tree objects, as `git diff-tree -r --raw`
 * lists them.
 *
 * Trees are read with rawobj_read() (no hash check, as git reads them),
 * and kept by id in a small cache, so that walking the commits newest
 * first reads each version of a folder once: as a commit's tree, then
 * as its parent's. Where two versions of a tree agree, the comparison
 * runs over the bytes (memcmp()) and reads the entries of one side
 * only, to find where they end; it takes a closer look only where the
 * bytes differ, and skips a subtree whose id is the same on both sides.
 *
 * One treediff belongs to one thread, with a repository handle of its
 * own.
 */
#ifndef DOCKET_TREEDIFF_H
#define DOCKET_TREEDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "gitlib.h"

struct treediff;

/*
 * Told of each file changed, in the order of the trees: its path below
 * the trees compared, the status git's raw output gives ('A' added, 'D'
 * deleted, 'M' modified, 'T' changed type) and the ids before and after
 * (zero when added or deleted).
 */
typedef void	(*treediff_fn)(void *arg, char status, const char *path,
		    const git_oid *old_id, const git_oid *new_id);

struct treediff	*treediff_new(git_repository *);
void		 treediff_free(struct treediff *);
/* Forgets the trees kept (none may be in use) and reads from repo now. */
void		 treediff_set_repo(struct treediff *, git_repository *);
/* The size of the largest tree read so far. */
size_t		 treediff_largest(const struct treediff *);

/*
 * Sets *out to the id of the tree at `folder` ("content/", "a/content/")
 * in the tree `root`, and *found to whether there is one (a missing
 * folder, or a file of that name, is none). Returns 0, or -1 when a tree
 * on the way cannot be read or is damaged.
 */
int		 treediff_folder(struct treediff *, const git_oid *root,
		    const char *folder, git_oid *out, bool *found);

/*
 * Calls fn for every file changed from the tree `old_tree` to
 * `new_tree`; NULL for either is an empty tree. Returns 0, or -1 when a
 * tree cannot be read or is damaged, or when the trees nest more than
 * 256 deep or hold more than 2^20 folders to compare (a tree read
 * unchecked may name itself); fn may then have been told of some of the
 * changes.
 */
int		 treediff_run(struct treediff *, const git_oid *old_tree,
		    const git_oid *new_tree, treediff_fn fn, void *arg);

/*
 * Whether the tree `tree` and every tree below it are at most `limit`
 * bytes, as the object stores' headers give their sizes (a tree is read
 * only when it is no larger). Returns 1, 0, or -1 when a tree cannot be
 * read or is damaged.
 */
int		 treediff_fits(struct treediff *, const git_oid *tree,
		    size_t limit);

#endif
