/*
 * The files of a commit, as a source tree (see source.h): what
 * `docket build --as-of` reads instead of the working tree.
 */
#ifndef DOCKET_GITSRC_H
#define DOCKET_GITSRC_H

#include "gitlib.h"

struct source_tree;

/*
 * The tree of `commit` below `prefix` ("" or "a/b/", the site folder in
 * the repository). The repository must outlive the source tree. Returns
 * NULL when the commit cannot be read.
 */
struct source_tree	*gitsrc_new(git_repository *, const git_oid *commit,
			    const char *prefix);

#endif
