/*
 * Versions of records parsed ahead of the history walk, on a thread of
 * their own. While `git log` runs, the thread that reads its output asks
 * for each version of a record it lists (recqueue_add()); a worker parses
 * them in that order, with its own repository handle and its own compiled
 * schema; and the walk takes each one when it gets there
 * (recqueue_take()), or parses it itself when the worker has not begun
 * it. Either way the walk gets what recqueue_parse() gives.
 */
#ifndef DOCKET_RECQUEUE_H
#define DOCKET_RECQUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "gitlib.h"

struct record;
struct recqueue;

/*
 * Reads the blob `id` as the record at `path` (from the site folder:
 * "content/vendors/<id>.xml"). Returns the record (free with
 * record_free()), or NULL when the blob cannot be read, is too large or
 * does not parse; nothing is reported.
 */
struct record	*recqueue_parse(git_repository *, const git_oid *id,
		    const char *path);
/*
 * Starts a worker on its own handle of the repository whose git folder
 * is `gitdir`. Call it from the main thread. Returns NULL when libgit2
 * has no thread support or no thread can be started.
 */
struct recqueue	*recqueue_start(const char *gitdir);
/*
 * Asks for the blob `id` read as the record at `path`; a pair asked for
 * before is ignored. Safe to call from any thread.
 */
void		 recqueue_add(struct recqueue *, const git_oid *id,
		    const char *path);
/*
 * When the worker has parsed (id, path), sets *out to what
 * recqueue_parse() gave and returns true; waits while the worker is
 * parsing it. The record is the queue's, read-only, until
 * recqueue_free(): do not free it. Returns false when the pair was not
 * asked for or not begun: the worker will then leave it to the caller.
 */
bool		 recqueue_take(struct recqueue *, const git_oid *id,
		    const char *path, struct record **out);
/*
 * How many versions were asked for (each pair once), and how many of
 * those recqueue_take() was asked for, whether the worker had parsed
 * them or not.
 */
void		 recqueue_counts(struct recqueue *, size_t *asked,
		    size_t *wanted);
/*
 * Waits until the worker has parsed every version asked for so far, or
 * has stopped (tests use it).
 */
void		 recqueue_wait(struct recqueue *);
/*
 * Stops the worker (it finishes the version it is parsing, and no
 * more) and frees every record it parsed, taken or not. Nothing may
 * call recqueue_add() any more. Accepts NULL.
 */
void		 recqueue_free(struct recqueue *);

#endif
