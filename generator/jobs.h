/*
 * Parallel work for a build (-j): a list of items, each rendered and
 * written by one of several processes forked from the build, with what
 * each item reported gathered back in item order, so that a parallel
 * build prints and writes exactly what a build with one job does.
 *
 * Processes, not threads: cmark-gfm changes a table shared by all its
 * parsers while it parses, and a forked process shares nothing it writes.
 */
#ifndef DOCKET_JOBS_H
#define DOCKET_JOBS_H

#include <stddef.h>

struct buf;
struct site;

/* Fewer items than this per process: not worth a process of its own. */
#define JOBS_MIN_ITEMS	8

/*
 * Does item i of arg: writes its output files through site_write() and
 * may append bytes for the build to keep to *result. Returns 0 or -1
 * (after reporting the error).
 */
typedef int (*jobs_fn)(void *arg, size_t i, struct buf *result);

/*
 * Does items 0..n-1 with fn, in s->opts->jobs processes at most (one:
 * here, in order). Diagnostics are printed in item order, the counts of
 * files written are kept, and item i's result bytes are put in
 * results[i] (results may be NULL when fn gives none). Returns 0, or -1
 * when an item failed or a process could not be started or ended badly
 * (reported).
 */
int	jobs_run(struct site *s, size_t n, jobs_fn fn, void *arg,
	    struct buf *results);

/* The default number of jobs: the processors this process may use. */
unsigned jobs_default(void);

#endif
