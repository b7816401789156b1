/*
 * Unit tests: diagnostics (capture, GitHub paths, progress).
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "unit.h"
#include "util.h"

void
test_diag__capture_and_github(void)
{
	struct diag dg;
	struct buf cap = BUF_INIT;
	struct pos p = { "content/a.md", 3, 2 };
	struct pos line_only = { "docket.yml", 4, 0 };
	char *err;

	diag_init(&dg);
	dg.capture = &cap;
	unit_capture_start();
	CHECK_INT(diag_error(&dg, &p, "bad 'x'"), -1);
	CHECK_INT(diag_warning(&dg, &line_only, "odd"), 0);
	CHECK_INT(diag_error(&dg, NULL, "no file"), -1);
	dg.format = DIAG_GITHUB;
	p.path = "content/a,b:c.md";
	diag_error(&dg, &p, "50%% done\nnext: line");
	diag_warning(&dg, &line_only, "odd");
	err = unit_capture_end();
	CHECK_STR(cap.ptr,
	    "content/a.md:3:2: error: bad 'x'\n"
	    "docket.yml:4: warning: odd\n"
	    "docket: error: no file\n"
	    "::error file=content/a%2Cb%3Ac.md,line=3,col=2::50%25 done%0Anext: line\n"
	    "::warning file=docket.yml,line=4::odd\n");
	/* What is captured is also printed. */
	CHECK_STR(err, cap.ptr);
	CHECK_INT(dg.errors, 3);
	CHECK_INT(dg.warnings, 2);
	free(err);
	buf_release(&cap);
	diag_release(&dg);
}

/* docket check: a warning prints as an error, even when quiet; work goes on. */
void
test_diag__warn_as_error(void)
{
	struct diag dg;
	struct buf cap = BUF_INIT;
	struct pos p = { "content/a.md", 5, 9 };
	char *err;

	diag_init(&dg);
	dg.capture = &cap;
	dg.warn_as_error = true;
	dg.quiet = true;
	unit_capture_start();
	CHECK_INT(diag_warning(&dg, &p, "unknown directive ':%s'", "foo"), 0);
	dg.format = DIAG_GITHUB;
	CHECK_INT(diag_warning(&dg, NULL, "odd"), 0);
	err = unit_capture_end();
	CHECK_STR(cap.ptr,
	    "content/a.md:5:9: error: unknown directive ':foo'\n"
	    "::error::odd\n");
	CHECK_STR(err, cap.ptr);
	/* Counted as warnings: errors would stop the build. */
	CHECK_INT(dg.errors, 0);
	CHECK_INT(dg.warnings, 2);
	/* --strict is unchanged: an error, counted, and -1 to stop. */
	buf_truncate(&cap, 0);
	dg.format = DIAG_GCC;
	dg.warn_as_error = false;
	dg.strict = true;
	unit_capture_start();
	CHECK_INT(diag_warning(&dg, &p, "odd"), -1);
	free(err);
	err = unit_capture_end();
	CHECK_STR(cap.ptr, "content/a.md:5:9: error: odd\n");
	CHECK_INT(dg.errors, 1);
	CHECK_INT(dg.warnings, 2);
	free(err);
	buf_release(&cap);
	diag_release(&dg);
}

void
test_diag__root_prefix(void)
{
	struct diag dg;
	struct buf cap = BUF_INIT;
	struct pos p = { "content/vendors/acme.xml", 7, 0 };
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *site, *git;
	char *err;

	if ((dir = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	site = path_join(dir, "registers/main");
	git = path_join(dir, ".git");
	CHECK_INT(mkdir_p(site), 0);
	diag_init(&dg);
	dg.format = DIAG_GITHUB;
	dg.capture = &cap;

	/* No repository (none above /tmp either): paths stay as they are. */
	CHECK_INT(diag_set_root(&dg, site), 0);
	CHECK(dg.prefix == NULL);
	CHECK_INT(mkdir_p(git), 0);
	CHECK_INT(diag_set_root(&dg, site), 0);
	CHECK_STR(dg.prefix, "registers/main/");
	unit_capture_start();
	diag_error(&dg, &p, "invalid");
	CHECK_INT(diag_set_root(&dg, dir), 0);
	CHECK(dg.prefix == NULL);
	diag_error(&dg, &p, "invalid");
	err = unit_capture_end();
	CHECK_STR(cap.ptr,
	    "::error file=registers/main/content/vendors/acme.xml,line=7::invalid\n"
	    "::error file=content/vendors/acme.xml,line=7::invalid\n");
	CHECK_INT(diag_set_root(&dg, "/nonexistent/docket/site"), -1);
	free(err);
	buf_release(&cap);
	diag_release(&dg);
	remove_tree(dir);
	free(site);
	free(git);
}

void
test_diag__progress(void)
{
	struct diag dg;
	char *err;

	diag_init(&dg);
	unit_capture_start();
	/* Off: nothing. */
	diag_progress(&dg, "reading", 3);
	diag_progress_end(&dg);
	/* On, but a short build shows nothing. */
	dg.progress = true;
	diag_progress(&dg, "reading", 1);
	diag_progress(&dg, "reading", 2);
	diag_progress_end(&dg);
	/* Shown at once: drawn, throttled, cleared by a message. */
	dg.progress_delay = 0;
	diag_progress(&dg, "reading", 1);
	diag_progress(&dg, "reading", 2);
	diag_error(&dg, NULL, "stop");
	diag_progress(&dg, "writing", 7);
	diag_progress_end(&dg);
	diag_progress_end(&dg);
	err = unit_capture_end();
	CHECK_STR(err,
	    "\r\033[Kdocket: reading 1 file"
	    "\r\033[Kdocket: error: stop\n"
	    "\r\033[Kdocket: writing 7 files"
	    "\r\033[K");
	free(err);
	diag_release(&dg);
}
