/*
 * Unit tests: diagnostics (capture, GitHub paths, progress, order).
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Kept messages print by file (in byte order of the paths as given, not
 * as escaped), in a file those without a line first, then by line and
 * column, equal places in the order reported; those of no file last.
 */
void
test_diag__ordered(void)
{
	static const char *const want_gcc =
	    "content/a.md: error: unreadable\n"
	    "content/a.md: warning: no line either\n"
	    "content/a.md:2: warning: line only\n"
	    "content/a.md:2:1: error: same place, first\n"
	    "content/a.md:2:1: warning: same place, second\n"
	    "content/a.md:2:7: error: column 7\n"
	    "content/a.md:10:3: error: line 10\n"
	    "content/a:b.md:1:1: error: colon\n"
	    "content/b.md:4:2: warning: held, line 4\n"
	    "content/b.md:5:1: error: here, line 5\n"
	    "content/b.md:6:1: warning: held, line 6\n"
	    "templates/page.html:1:1: error: template\n"
	    "docket: warning: no file, first\n"
	    "docket: error: no file, second\n";
	struct diag dg, other;
	struct buf cap = BUF_INIT, held = BUF_INIT;
	struct pos p;
	char *err;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		diag_init(&dg);
		dg.ordered = true;
		dg.capture = &cap;
		dg.format = pass == 0 ? DIAG_GCC : DIAG_GITHUB;
		unit_capture_start();
		p = (struct pos){ "templates/page.html", 1, 1 };
		diag_error(&dg, &p, "template");
		diag_warning(&dg, NULL, "no file, first");
		p = (struct pos){ "content/a.md", 10, 3 };
		diag_error(&dg, &p, "line 10");
		p = (struct pos){ "content/a.md", 2, 7 };
		diag_error(&dg, &p, "column 7");
		p = (struct pos){ "content/a.md", 2, 1 };
		diag_error(&dg, &p, "same place, first");
		p = (struct pos){ "content/a:b.md", 1, 1 };
		diag_error(&dg, &p, "colon");
		p = (struct pos){ "content/a.md", 2, 0 };
		diag_warning(&dg, &p, "line only");
		p = (struct pos){ "content/a.md", 0, 0 };
		diag_error(&dg, &p, "unreadable");
		p = (struct pos){ "content/a.md", 2, 1 };
		diag_warning(&dg, &p, "same place, second");
		diag_error(&dg, NULL, "no file, second");
		p = (struct pos){ "content/a.md", 0, 0 };
		diag_warning(&dg, &p, "no line either");
		p = (struct pos){ "content/b.md", 5, 1 };
		diag_error(&dg, &p, "here, line 5");
		/* Held by another process, taken in after. */
		diag_init(&other);
		other.format = dg.format;
		other.hold = &held;
		p = (struct pos){ "content/b.md", 6, 1 };
		diag_warning(&other, &p, "held, line 6");
		p = (struct pos){ "content/b.md", 4, 2 };
		diag_warning(&other, &p, "held, line 4");
		diag_replay(&dg, held.ptr, held.len, other.errors,
		    other.warnings);
		diag_release(&other);
		/* Nothing is printed before the flush. */
		CHECK_INT((int)cap.len, 0);
		diag_flush(&dg);
		err = unit_capture_end();
		CHECK_STR(err, cap.ptr);
		if (pass == 0)
			CHECK_STR(cap.ptr, want_gcc);
		else
			CHECK_STR(cap.ptr,
			    "::error file=content/a.md::unreadable\n"
			    "::warning file=content/a.md::no line either\n"
			    "::warning file=content/a.md,line=2::line only\n"
			    "::error file=content/a.md,line=2,col=1::same place, first\n"
			    "::warning file=content/a.md,line=2,col=1::same place, second\n"
			    "::error file=content/a.md,line=2,col=7::column 7\n"
			    "::error file=content/a.md,line=10,col=3::line 10\n"
			    "::error file=content/a%3Ab.md,line=1,col=1::colon\n"
			    "::warning file=content/b.md,line=4,col=2::held, line 4\n"
			    "::error file=content/b.md,line=5,col=1::here, line 5\n"
			    "::warning file=content/b.md,line=6,col=1::held, line 6\n"
			    "::error file=templates/page.html,line=1,col=1::template\n"
			    "::warning::no file, first\n"
			    "::error::no file, second\n");
		CHECK_INT(dg.errors, 8);
		CHECK_INT(dg.warnings, 6);
		/* Flushed: a second flush prints nothing. */
		buf_truncate(&cap, 0);
		diag_flush(&dg);
		CHECK_INT((int)cap.len, 0);
		free(err);
		buf_truncate(&held, 0);
		diag_release(&dg);
	}
	buf_release(&held);
	buf_release(&cap);
}

/*
 * diag_warning_once(): a warning found by several processes (two held,
 * one here) is printed and counted once; other warnings, and a once
 * warning at another place, are not left out. Under strict it is an
 * error, counted once as such.
 */
void
test_diag__warning_once(void)
{
	struct diag dg, a, b;
	struct buf cap = BUF_INIT, ha = BUF_INIT, hb = BUF_INIT;
	struct pos p = { "templates/vendor.html", 3, 5 };
	struct pos q = { "templates/vendor.html", 9, 1 };
	int strict;

	for (strict = 0; strict < 2; strict++) {
		diag_init(&dg);
		dg.ordered = true;
		dg.capture = &cap;
		dg.strict = strict;
		diag_init(&a);
		a.hold = &ha;
		a.strict = strict;
		diag_init(&b);
		b.hold = &hb;
		b.strict = strict;
		unit_capture_start();
		CHECK_INT(diag_warning_once(&a, &p, "raw"), strict ? -1 : 0);
		CHECK_INT(diag_warning_once(&a, &p, "raw"), strict ? -1 : 0);
		diag_warning(&a, &p, "plain");
		diag_warning_once(&b, &p, "raw");
		diag_warning_once(&b, &q, "raw");
		diag_warning(&b, &p, "plain");
		CHECK_INT(a.errors + a.warnings, 2);	/* once in a process */
		diag_warning_once(&dg, &q, "raw");
		diag_replay(&dg, ha.ptr, ha.len, a.errors, a.warnings);
		diag_replay(&dg, hb.ptr, hb.len, b.errors, b.warnings);
		diag_flush(&dg);
		free(unit_capture_end());
		if (strict)
			CHECK_STR(cap.ptr,
			    "templates/vendor.html:3:5: error: raw\n"
			    "templates/vendor.html:3:5: error: plain\n"
			    "templates/vendor.html:3:5: error: plain\n"
			    "templates/vendor.html:9:1: error: raw\n");
		else
			CHECK_STR(cap.ptr,
			    "templates/vendor.html:3:5: warning: raw\n"
			    "templates/vendor.html:3:5: warning: plain\n"
			    "templates/vendor.html:3:5: warning: plain\n"
			    "templates/vendor.html:9:1: warning: raw\n");
		CHECK_INT(dg.errors, strict ? 4 : 0);
		CHECK_INT(dg.warnings, strict ? 0 : 4);
		diag_release(&a);
		diag_release(&b);
		diag_release(&dg);
		buf_truncate(&cap, 0);
		buf_truncate(&ha, 0);
		buf_truncate(&hb, 0);
	}
	buf_release(&cap);
	buf_release(&ha);
	buf_release(&hb);
}

/* A flush clears the progress line, which then comes back below. */
void
test_diag__ordered_progress(void)
{
	struct diag dg;
	struct pos p = { "content/a.md", 3, 1 };
	char *err;

	diag_init(&dg);
	dg.ordered = true;
	dg.progress = true;
	dg.progress_delay = 0;
	unit_capture_start();
	diag_progress(&dg, "reading", 1);
	diag_error(&dg, &p, "late");
	diag_progress(&dg, "reading", 2);	/* too soon: not drawn */
	diag_flush(&dg);
	diag_progress_end(&dg);
	err = unit_capture_end();
	CHECK_STR(err,
	    "\r\033[Kdocket: reading 1 file"
	    "\r\033[Kcontent/a.md:3:1: error: late\n");
	free(err);
	diag_release(&dg);
}

/* 100,000 messages in reverse order: one sort, not a scan for each. */
void
test_diag__ordered_many(void)
{
	struct diag dg;
	struct buf cap = BUF_INIT;
	struct pos p = { "content/a.md", 0, 1 };
	const char *s;
	unsigned i, line;
	size_t lines = 0;
	double t0 = mono_now();
	char *err;
	bool sorted = true;

	diag_init(&dg);
	dg.ordered = true;
	dg.capture = &cap;
	for (i = 100000; i > 0; i--) {
		p.line = i;
		diag_warning(&dg, &p, "w");
	}
	unit_capture_start();
	diag_flush(&dg);
	err = unit_capture_end();
	for (s = cap.ptr, line = 0; *s != '\0'; s = strchr(s, '\n') + 1) {
		i = (unsigned)strtoul(s + strlen("content/a.md:"), NULL, 10);
		if (i != line + 1)
			sorted = false;
		line = i;
		lines++;
	}
	CHECK(sorted);
	CHECK_INT((long long)lines, 100000);
	CHECK_INT(dg.warnings, 100000);
	/* A quadratic insert takes minutes; the sort well under a second. */
	CHECK(mono_now() - t0 < 10);
	free(err);
	buf_release(&cap);
	diag_release(&dg);
}

/*
 * In a process of its own, keeps a message and dies: with hold set (a
 * process of -j, whose kept messages are its parent's) or not. Returns
 * what it printed; *sig is the signal that ended it.
 */
static char *
die_keeping(bool hold, int *sig)
{
	struct rlimit none = { 0, 0 };
	struct diag dg;
	struct buf held = BUF_INIT;
	struct pos p = { "content/a.md", 3, 1 };
	pid_t pid;
	int status = 0;

	unit_capture_start();
	if ((pid = fork()) == 0) {
		setrlimit(RLIMIT_CORE, &none);
		diag_init(&dg);
		dg.ordered = true;
		diag_error(&dg, &p, "kept");
		if (hold)
			dg.hold = &held;
		die("out of %s", "memory");
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	*sig = pid > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return unit_capture_end();
}

/* die() prints the kept messages first, but a -j process's. */
void
test_diag__die_prints_kept(void)
{
	char *err;
	int sig;

	err = die_keeping(false, &sig);
	CHECK_INT(sig, SIGABRT);
	CHECK_STR(err, "content/a.md:3:1: error: kept\n"
	    "docket: fatal: out of memory\n");
	free(err);
	err = die_keeping(true, &sig);
	CHECK_INT(sig, SIGABRT);
	CHECK_STR(err, "docket: fatal: out of memory\n");
	free(err);
}
