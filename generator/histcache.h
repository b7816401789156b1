/*
 * The history cache: what a history walk read from a commit, kept on
 * disk so that the next build reads only the commits made since. One
 * file a commit, named by a hash of the key (docket's own bytes, the
 * cache format, and every setting the walk depends on) and the commit.
 * A file is used only when its key matches byte for byte and its
 * checksum holds; anything else is a miss, never an error.
 */
#ifndef DOCKET_HISTCACHE_H
#define DOCKET_HISTCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gitlib.h"

struct hist_commit;
struct hist_file;

/* A walk as cached: files in the order the walk found them. */
struct hc_entry {
	struct hist_commit *commits;	/* newest first */
	size_t		 commitsz;
	struct hist_file *files;
	size_t		 filesz;
	bool		*top;		/* the file took its path first */
	char		**names;	/* every name the walk has known */
	size_t		*name_file;	/* the file it names at the end, or SIZE_MAX */
	size_t		 namesz;
	git_oid		*order;		/* every commit, in the walk's order */
	size_t		 ordersz;
	char		*root_id;	/* NULL: none */
	bool		 shallow;
};

/*
 * The cache folder: `dir` when given, else $XDG_CACHE_HOME/docket, else
 * $HOME/.cache/docket. NULL when there is none. Caller frees.
 */
char	*histcache_dir(const char *dir);
/* Hashes the running program's file; false when it cannot be read. */
bool	 histcache_self(uint64_t *out);
/*
 * The commits that have an entry for `key`, most recently written first.
 * Returns how many; *out is allocated (free it).
 */
size_t	 histcache_list(const char *dir, const char *key, git_oid **out);
/* Reads the entry of `key` and commit `id`. Returns 0, or -1 on a miss. */
int	 histcache_load(const char *dir, const char *key, const git_oid *id,
	    struct hc_entry *);
/*
 * Writes the entry of `key` and commit `id` (atomically, by rename), and
 * removes older entries. Returns 0, or -1 when it cannot (not an error).
 */
int	 histcache_save(const char *dir, const char *key, const git_oid *id,
	    const struct hc_entry *);
/* Frees what histcache_load() read. */
void	 histcache_release(struct hc_entry *);

#endif
