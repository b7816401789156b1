/*
 * What each commit changed below a folder of the repository, as a list of
 * deltas: listed ahead of the walk by threads comparing the commits'
 * trees themselves (treediff.h), or read from `git log --raw` in child
 * processes (git keeps large trees in its delta base cache, libgit2 1.5
 * does not), or made by the history walk with libgit2 for a commit
 * neither listed. Renames are paired by gitlog_pair() on every path, so
 * that all give the same history.
 */
#ifndef DOCKET_GITLOG_H
#define DOCKET_GITLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "gitlib.h"

struct gl_delta {
	char		 status;	/* 'A', 'D', 'M', or 'R' once paired */
	char		*old_path;	/* below the folder; NULL when added */
	char		*new_path;	/* NULL when deleted */
	git_oid		 old_id;
	git_oid		 new_id;
};

struct gitlog;

/*
 * Told of each change below the folder as soon as git has written it,
 * on the thread that reads git's output: its path below the folder and
 * the blob ids before and after (zero when added or deleted; a change of
 * type gives both).
 */
struct gitlog_hook {
	void	(*seen)(void *arg, const char *path, const git_oid *old_id,
		    const git_oid *new_id);
	void	*arg;
};

/*
 * Lists the changes of the non-merge commits reachable from `head` (a
 * full hash) and not from `exclude` (a full hash, or NULL) in the
 * repository whose git folder is `gitdir`, keeping the changes below
 * `folder` ("content/" or "a/b/content/"). With `splitsz` commits in
 * `splits`, each an ancestor of the one before and the first of head,
 * splitsz + 1 listers list the ranges between them at once: threads
 * comparing trees when `native` is set, else `git log` processes, each
 * one's output read and parsed as it comes by a thread. Those threads
 * call the hook (NULL: none; on any of them) until gitlog_free()
 * returns. libgit2 must be initialized. Returns NULL when a lister
 * cannot be started (no git binary); nothing is reported.
 */
struct gitlog	*gitlog_start(const char *gitdir, const char *head,
		    const char *exclude, const char *const *splits,
		    size_t splitsz, const char *folder, bool native,
		    const struct gitlog_hook *);
/*
 * Lists the commits of `len` bytes of what `git log` writes for
 * gitlog_start() (commits, and changes below `folder`), as its reader
 * does when they come `chunk` bytes at a time (0: all at once) from a
 * git that then ends well or not. No git is run and nothing is paired:
 * for tests.
 */
struct gitlog	*gitlog_parse(const char *folder, const char *out, size_t len,
		    size_t chunk, bool exited_well);
/*
 * Waits for every lister to end. Returns 0, or -1 when one failed
 * (nothing is reported); what they listed stays there for gitlog_get().
 */
int		 gitlog_finish(struct gitlog *);
/*
 * The deltas of a non-merge commit, sorted (see gitlog_sort()) and,
 * when *paired is set, paired (gitlog_pair(): the thread that read them
 * did it, with a repository handle of its own); the caller pairs them
 * otherwise. Waits until a lister has listed the commit, or every one
 * has ended. Returns false when none listed the commit: a git process
 * that failed lists only the commits it wrote in full before the one it
 * was writing, a thread none it could not compare.
 */
bool		 gitlog_get(struct gitlog *, const git_oid *commit,
		    struct gl_delta **out, size_t *outsz, bool *paired);
/* How many listers list the commits, and whether they are threads. */
size_t		 gitlog_procs(const struct gitlog *);
bool		 gitlog_native(const struct gitlog *);
void		 gitlog_free(struct gitlog *);

/*
 * Appends to *v (*n of them) the change at `path` with the status of
 * git's raw output ('A', 'D', 'M', 'T') and the ids before and after; a
 * type change is split into a deletion and an addition, as libgit2 does.
 * Returns 0, or -1 for a status that is not one.
 */
int		 gitlog_delta_add(struct gl_delta **v, size_t *n, char st,
		     const char *path, const git_oid *old_id,
		     const git_oid *new_id);
/* Sorts deltas by path, a deletion before an addition of the same path. */
void		 gitlog_sort(struct gl_delta *, size_t);
/*
 * Pairs deletions with additions into renames, as git does: identical
 * contents first, then contents at least half the same (line by line,
 * counted in bytes), best first. Blobs are read from repo. The paired
 * additions become 'R' and their deletions are dropped; *n is updated.
 */
void		 gitlog_pair(git_repository *, struct gl_delta *, size_t *n);
void		 gitlog_deltas_free(struct gl_delta *, size_t);

#endif
