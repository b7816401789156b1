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

/* Items 0..n-1 of one kind: fn(arg, i, &results[i]). */
struct jobs_part {
	jobs_fn		 fn;
	void		*arg;
	size_t		 n;
	struct buf	*results;	/* n of them, or NULL: none kept */
	int		 rc;		/* set: -1 when one of them failed */
	/*
	 * The earlier parts (bit i: part i) that must all succeed for this
	 * one to count. Otherwise its items are not done with one job, and
	 * with several what they reported, wrote and failed is dropped, as
	 * if they had not been done. Such a part keeps no results.
	 */
	unsigned	 needs;
};

/*
 * Does every item of every part, in s->opts->jobs processes at most (one:
 * here, in order). Diagnostics are printed in the order of the parts and
 * their items, the counts of files written are kept, and item i's result
 * bytes are appended to its part's results[i]. Returns 0, or -1 when an
 * item failed or a process could not be started or ended badly
 * (reported). Processes are started once for all the parts. An item that
 * reports an error that stops the work (diag's stops: a template's) is
 * the last one told; with one job, the items after it are not done, and
 * with several, no process takes another item once one has stopped (the
 * items before it that none took are done here).
 */
int	jobs_run_parts(struct site *s, struct jobs_part *, size_t nparts);
/* jobs_run_parts() with one part. */
int	jobs_run(struct site *s, size_t n, jobs_fn fn, void *arg,
	    struct buf *results);

/*
 * The default number of jobs: the processors this process may use (its
 * CPU affinity, and a cgroup's CPU quota), at most JOBS_DEFAULT_MAX.
 */
#define JOBS_DEFAULT_MAX	16
unsigned jobs_default(void);

#endif
