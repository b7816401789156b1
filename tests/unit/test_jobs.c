/*
 * Unit tests: parallel work (jobs_run_parts) gives the results, messages,
 * counts and status of one process, in order, whatever the number of
 * processes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct buf r1[40], r2[27];
	struct part_arg a1, a2;
	struct jobs_part parts[2];
	size_t i;

	diag_init(&dg);
	dg.hold = out;
	memset(&opts, 0, sizeof(opts));
	opts.jobs = jobs;
	memset(&s, 0, sizeof(s));
	s.dg = &dg;
	s.opts = &opts;
	a1 = (struct part_arg){ &dg, "a" };
	a2 = (struct part_arg){ &dg, "b" };
	for (i = 0; i < NELEM(r1); i++)
		buf_init(&r1[i]);
	for (i = 0; i < NELEM(r2); i++)
		buf_init(&r2[i]);
	parts[0] = (struct jobs_part){ item, &a1, NELEM(r1), r1, 0 };
	parts[1] = (struct jobs_part){ item, &a2, NELEM(r2), r2, 0 };
	*rc = jobs_run_parts(&s, parts, 2);
	prc[0] = parts[0].rc;
	prc[1] = parts[1].rc;
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
