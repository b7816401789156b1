/*
 * Unit tests: parallel work (jobs_run_parts) gives the results, messages,
 * counts and status of one process, in order, whatever the number of
 * processes.
 */
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS */
#include <sys/mman.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "jobs.h"
#include "site.h"
#include "unit.h"
#include "util.h"

struct part_arg {
	struct diag	*dg;
	const char	*name;
};

/* A site with only what jobs_run_parts() uses, its messages held. */
static void
bare_site(struct site *s, struct build_opts *opts, struct diag *dg,
    struct buf *held, unsigned jobs)
{
	diag_init(dg);
	dg->hold = held;
	memset(opts, 0, sizeof(*opts));
	opts->jobs = jobs;
	memset(s, 0, sizeof(*s));
	s->dg = dg;
	s->opts = opts;
}

/* Item i: a result, a warning every 5th, an error every 7th. */
static int
item(void *arg, size_t i, struct buf *res)
{
	const struct part_arg *pa = arg;
	struct pos p = { pa->name, (unsigned)i + 1, 1 };

	buf_printf(res, "%s %zu", pa->name, i);
	if (i % 5 == 4)
		diag_warning(pa->dg, &p, "warning %zu", i);
	if (i % 7 == 6)
		return diag_error(pa->dg, &p, "error %zu", i);
	return 0;
}

/* Runs two parts (40 and 27 items) in `jobs` processes. */
static void
run(unsigned jobs, struct buf *out, unsigned *errors, unsigned *warnings,
    int *rc, int prc[2])
{
	struct diag dg;
	struct build_opts opts;
	struct site s;
	struct buf r1[40], r2[27], held = BUF_INIT;
	struct part_arg a1, a2;
	struct jobs_part parts[2];
	size_t i;

	bare_site(&s, &opts, &dg, &held, jobs);
	a1 = (struct part_arg){ &dg, "a" };
	a2 = (struct part_arg){ &dg, "b" };
	for (i = 0; i < NELEM(r1); i++)
		buf_init(&r1[i]);
	for (i = 0; i < NELEM(r2); i++)
		buf_init(&r2[i]);
	parts[0] = (struct jobs_part){ item, &a1, NELEM(r1), r1, 0, 0 };
	parts[1] = (struct jobs_part){ item, &a2, NELEM(r2), r2, 0, 0 };
	*rc = jobs_run_parts(&s, parts, 2);
	prc[0] = parts[0].rc;
	prc[1] = parts[1].rc;
	diag_held_text(out, held.ptr, held.len);
	buf_release(&held);
	for (i = 0; i < NELEM(r1); i++) {
		buf_printf(out, "[%s]", r1[i].ptr);
		buf_release(&r1[i]);
	}
	for (i = 0; i < NELEM(r2); i++) {
		buf_printf(out, "[%s]", r2[i].ptr);
		buf_release(&r2[i]);
	}
	*errors = dg.errors;
	*warnings = dg.warnings;
	CHECK_INT((int)s.procs, (int)(jobs < 8 ? jobs : 8));
}

void
test_jobs__same_as_one_process(void)
{
	struct buf one = BUF_INIT, many = BUF_INIT;
	unsigned e1, w1, e, w, jobs;
	int rc1, rc, p1[2], p[2];

	run(1, &one, &e1, &w1, &rc1, p1);
	CHECK_INT(rc1, -1);
	CHECK_INT((int)e1, 5 + 3);
	CHECK_INT((int)w1, 8 + 5);
	CHECK(strstr(one.ptr, "a:7:1: error: error 6\n") != NULL);
	CHECK(strstr(one.ptr, "[a 0][a 1]") != NULL);
	CHECK(strstr(one.ptr, "[a 39][b 0]") != NULL);
	for (jobs = 2; jobs <= 9; jobs++) {
		buf_truncate(&many, 0);
		run(jobs, &many, &e, &w, &rc, p);
		CHECK_STR(many.ptr, one.ptr);
		CHECK_INT((int)e, (int)e1);
		CHECK_INT((int)w, (int)w1);
		CHECK_INT(rc, rc1);
		CHECK_INT(p[0], p1[0]);
		CHECK_INT(p[1], p1[1]);
	}
	buf_release(&one);
	buf_release(&many);
}

/* Item i: a result of 100,000 bytes, made of its number. */
static int
big_item(void *arg, size_t i, struct buf *res)
{
	size_t k;

	(void)arg;
	for (k = 0; k < 100000; k++)
		buf_putc(res, (int)('a' + i % 26));
	return 0;
}

static pid_t test_parent;

/* Item 13 ends its process (never the test's own). */
static int
crash_item(void *arg, size_t i, struct buf *res)
{
	(void)arg;
	(void)res;
	if (i == 13 && getpid() != test_parent)
		raise(SIGKILL);
	return 0;
}

/* Empty parts, parts keeping no result, results larger than a pipe. */
void
test_jobs__parts_of_every_size(void)
{
	struct diag dg;
	struct build_opts opts;
	struct site s;
	struct buf held = BUF_INIT, r[20];
	struct jobs_part parts[4];
	size_t i, k;

	bare_site(&s, &opts, &dg, &held, 3);
	for (i = 0; i < NELEM(r); i++)
		buf_init(&r[i]);
	parts[0] = (struct jobs_part){ big_item, NULL, 0, NULL, 0, 0 };
	parts[1] = (struct jobs_part){ big_item, NULL, 10, NULL, 0, 0 };
	parts[2] = (struct jobs_part){ big_item, NULL, 0, r, 0, 0 };
	parts[3] = (struct jobs_part){ big_item, NULL, NELEM(r), r, 0, 0 };
	CHECK_INT(jobs_run_parts(&s, parts, 4), 0);
	CHECK_INT((int)s.procs, 3);
	for (i = 0; i < NELEM(r); i++) {
		CHECK_INT((int)r[i].len, 100000);
		for (k = 0; k < r[i].len && r[i].ptr[k] == 'a' + (int)(i % 26); k++)
			continue;
		CHECK_INT((int)k, 100000);
		buf_release(&r[i]);
	}
	CHECK_INT((int)held.len, 0);
	CHECK_INT((int)dg.errors, 0);
	buf_release(&held);
}

/* A process that dies is reported, and the run ends. */
void
test_jobs__a_process_dies(void)
{
	struct diag dg;
	struct build_opts opts;
	struct site s;
	struct buf held = BUF_INIT, text = BUF_INIT;
	struct jobs_part part = { crash_item, NULL, 40, NULL, 0, 0 };

	test_parent = getpid();
	bare_site(&s, &opts, &dg, &held, 2);
	CHECK_INT(jobs_run_parts(&s, &part, 1), -1);
	CHECK_INT(part.rc, -1);
	diag_held_text(&text, held.ptr, held.len);
	CHECK(strstr(text.ptr, "docket: error: a build process was killed by "
	    "signal 9\n") != NULL);
	CHECK(s.io_failed);
	buf_release(&held);
	buf_release(&text);
}

/* Item i of a part that needs another: a warning and a file written. */
static int
needy_item(void *arg, size_t i, struct buf *res)
{
	const struct part_arg *pa = arg;
	struct pos p = { pa->name, (unsigned)i + 1, 1 };

	(void)res;
	return diag_warning(pa->dg, &p, "warning %zu", i);
}

/*
 * A part that needs a failed one counts for nothing, at any -j; one that
 * needs a part that succeeded counts as any other.
 */
void
test_jobs__needs(void)
{
	struct diag dg;
	struct build_opts opts;
	struct site s;
	struct buf one = BUF_INIT, many = BUF_INIT, held = BUF_INIT, *text;
	struct buf r[40];
	struct part_arg a, b, c;
	struct jobs_part parts[3];
	unsigned jobs, errors = 0;
	size_t i;

	for (jobs = 1; jobs <= 4; jobs++) {
		text = jobs == 1 ? &one : &many;
		buf_truncate(text, 0);
		buf_truncate(&held, 0);
		bare_site(&s, &opts, &dg, &held, jobs);
		a = (struct part_arg){ &dg, "a" };
		b = (struct part_arg){ &dg, "b" };
		c = (struct part_arg){ &dg, "c" };
		for (i = 0; i < NELEM(r); i++)
			buf_init(&r[i]);
		parts[0] = (struct jobs_part){ item, &a, NELEM(r), r, 0, 0 };
		parts[1] = (struct jobs_part){ needy_item, &b, 20, NULL, 0, 1 };
		parts[2] = (struct jobs_part){ needy_item, &c, 20, NULL, 0, 0 };
		CHECK_INT(jobs_run_parts(&s, parts, 3), -1);
		CHECK_INT(parts[0].rc, -1);
		CHECK_INT(parts[1].rc, 0);
		diag_held_text(text, held.ptr, held.len);
		CHECK(strstr(text->ptr, "a:7:1: error: error 6\n") != NULL);
		CHECK(strstr(text->ptr, "b:") == NULL);
		CHECK(strstr(text->ptr, "c:20:1: warning: warning 19\n") != NULL);
		CHECK_INT((int)dg.warnings, 8 + 20);
		if (jobs == 1)
			errors = dg.errors;
		CHECK_INT((int)dg.errors, (int)errors);
		if (jobs > 1)
			CHECK_STR(many.ptr, one.ptr);
		for (i = 0; i < NELEM(r); i++)
			buf_release(&r[i]);
	}

	/* The part it needs succeeds: it counts. */
	buf_truncate(&many, 0);
	buf_truncate(&held, 0);
	bare_site(&s, &opts, &dg, &held, 3);
	c = (struct part_arg){ &dg, "c" };
	b = (struct part_arg){ &dg, "b" };
	parts[0] = (struct jobs_part){ needy_item, &c, 20, NULL, 0, 0 };
	parts[1] = (struct jobs_part){ needy_item, &b, 20, NULL, 0, 1 };
	CHECK_INT(jobs_run_parts(&s, parts, 2), 0);
	diag_held_text(&many, held.ptr, held.len);
	CHECK(strstr(many.ptr, "b:20:1: warning: warning 19\n") != NULL);
	CHECK_INT((int)dg.warnings, 40);
	buf_release(&one);
	buf_release(&many);
	buf_release(&held);
}

/* Items done, counted across the processes (a shared mapping). */
static unsigned *stop_count;

/*
 * Item i: a warning; from item stop_from on, an error that stops the work
 * (as a template's does), after a little work, as rendering would take.
 */
static size_t stop_from;

static int
stop_item(void *arg, size_t i, struct buf *res)
{
	const struct part_arg *pa = arg;
	struct pos p = { pa->name, (unsigned)i + 1, 1 };

	buf_printf(res, "%zu", i);
	__atomic_fetch_add(stop_count, 1, __ATOMIC_SEQ_CST);
	diag_warning(pa->dg, &p, "warning %zu", i);
	if (i < stop_from)
		return 0;
	nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	pa->dg->stops++;
	return diag_error(pa->dg, &p, "stops at %zu", i);
}

/* Runs 200 stop_items in `jobs` processes; their messages into text. */
static int
run_stops(unsigned jobs, size_t from, struct buf *text, unsigned *done)
{
	struct diag dg;
	struct build_opts opts;
	struct site s;
	struct buf held = BUF_INIT;
	struct part_arg a;
	struct jobs_part part = { stop_item, NULL, 200, NULL, 0, 0 };
	int rc;

	bare_site(&s, &opts, &dg, &held, jobs);
	a = (struct part_arg){ &dg, "a" };
	part.arg = &a;
	stop_from = from;
	*stop_count = 0;
	rc = jobs_run_parts(&s, &part, 1);
	*done = *stop_count;
	buf_truncate(text, 0);
	diag_held_text(text, held.ptr, held.len);
	buf_printf(text, "errors %u, warnings %u, stops %u, rc %d",
	    dg.errors, dg.warnings, dg.stops, rc);
	buf_release(&held);
	return rc;
}

/*
 * An error that stops the work: the messages of the items up to it, as
 * with one job, and the other processes take no more items than they
 * had begun, rather than each render every page to the same error.
 */
void
test_jobs__stops(void)
{
	struct buf one = BUF_INIT, many = BUF_INIT;
	unsigned done, jobs;
	size_t from;
	char last[80];

	stop_count = mmap(NULL, sizeof(*stop_count), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(stop_count != MAP_FAILED);
	if (stop_count == MAP_FAILED)
		return;
	for (from = 0; from <= 150; from += 75) {
		CHECK_INT(run_stops(1, from, &one, &done), -1);
		CHECK_INT(done, from + 1);
		/* The first error that stops is the last message. */
		snprintf(last, sizeof(last), "a:%zu:1: error: stops at %zu\n"
		    "errors 1, warnings %zu, stops 1, rc -1", from + 1, from,
		    from + 1);
		CHECK(one.len >= strlen(last) &&
		    strcmp(one.ptr + one.len - strlen(last), last) == 0);
		for (jobs = 2; jobs <= 4; jobs++) {
			CHECK_INT(run_stops(jobs, from, &many, &done), -1);
			CHECK_STR(many.ptr, one.ptr);
			/*
			 * Claimed last first: those after the stop that had
			 * begun, then the rest, one per process at most.
			 */
			if (from == 0)
				CHECK(done <= jobs + 1);
		}
	}
	buf_release(&one);
	buf_release(&many);
	munmap(stop_count, sizeof(*stop_count));
}
