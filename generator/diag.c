/*
 * Diagnostics.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include <sys/stat.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

void
diag_init(struct diag *dg)
{
	memset(dg, 0, sizeof(*dg));
	dg->format = DIAG_GCC;
	dg->progress_delay = 0.5;
}

void
diag_release(struct diag *dg)
{
	free(dg->prefix_own);
	dg->prefix_own = NULL;
	dg->prefix = NULL;
}

int
diag_set_root(struct diag *dg, const char *dir)
{
	char real[PATH_MAX], *git;
	struct stat st;
	size_t n;

	if (realpath(dir, real) == NULL)
		return -1;
	free(dg->prefix_own);
	dg->prefix_own = NULL;
	dg->prefix = NULL;
	/* ".git" is a folder, or a file in worktrees and submodules. */
	for (n = strlen(real); ; ) {
		git = xasprintf("%.*s/.git", (int)n, real);
		if (lstat(git, &st) == 0) {
			free(git);
			break;
		}
		free(git);
		while (n > 0 && real[n - 1] != '/')
			n--;
		if (n <= 1)
			return 0;	/* no repository */
		n--;
	}
	if (real[n] != '\0')
		dg->prefix = dg->prefix_own = xasprintf("%s/", real + n + 1);
	return 0;
}

void
diag_progress(struct diag *dg, const char *phase, size_t count)
{
	double t;

	if (!dg->progress)
		return;
	t = mono_now();
	if (dg->progress_t0 == 0) {
		dg->progress_t0 = t;
		dg->progress_last = 0;
	}
	if (t - dg->progress_t0 < dg->progress_delay ||
	    (dg->progress_shown && t - dg->progress_last < 0.1))
		return;
	fprintf(stderr, "\r\033[Kdocket: %s %zu file%s", phase, count,
	    count == 1 ? "" : "s");
	fflush(stderr);
	dg->progress_last = t;
	dg->progress_shown = true;
}

void
diag_progress_end(struct diag *dg)
{
	if (dg->progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	dg->progress_shown = false;
	dg->progress_t0 = 0;
}

/* Escapes as GitHub's toolkit does: data escapes %, CR, LF; properties also : and ,. */
static void
put_gh(struct buf *b, const char *s, bool prop)
{
	for (; *s != '\0'; s++) {
		if (*s == '%')
			BUF_PUTSL(b, "%25");
		else if (*s == '\r')
			BUF_PUTSL(b, "%0D");
		else if (*s == '\n')
			BUF_PUTSL(b, "%0A");
		else if (prop && *s == ':')
			BUF_PUTSL(b, "%3A");
		else if (prop && *s == ',')
			BUF_PUTSL(b, "%2C");
		else
			buf_putc(b, *s);
	}
}

/*
 * Adds s as a terminal shows it safely: a control character (C0, DEL,
 * C1: ESC and CSI sequences could rewrite the screen) or a byte that is
 * not UTF-8, from a file name or an id, as \xHH.
 */
static void
put_plain(struct buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len = strlen(str), n;
	unsigned cp;

	while (i < len) {
		n = utf8_char(s + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			buf_printf(b, "\\x%02X", s[i]);
			i++;
			continue;
		}
		buf_put(b, str + i, n);
		i += n;
	}
}

/* Prints finished message lines. */
static void
put_text(struct diag *dg, const char *text, size_t len)
{
	if (len == 0)
		return;
	if (dg->progress_shown) {
		/* The message takes the progress line; progress comes back below. */
		fputs("\r\033[K", stderr);
		dg->progress_shown = false;
	}
	fwrite(text, 1, len, stderr);
	if (dg->capture != NULL)
		buf_put(dg->capture, text, len);
}

void
diag_replay(struct diag *dg, const char *text, size_t len, unsigned errors,
    unsigned warnings)
{
	if (dg->hold != NULL)
		buf_put(dg->hold, text, len);
	else if (!dg->silent)
		put_text(dg, text, len);
	dg->errors += errors;
	dg->warnings += warnings;
}

static void
emit(struct diag *dg, const struct pos *p, const char *kind, const char *fmt,
    va_list ap)
{
	struct buf b = BUF_INIT, msg = BUF_INIT, path = BUF_INIT;

	if (dg->silent)
		return;
	buf_vprintf(&msg, fmt, ap);
	if (p != NULL && p->path != NULL) {
		if (dg->prefix != NULL)
			buf_puts(&path, dg->prefix);
		buf_puts(&path, p->path);
	}
	if (dg->format == DIAG_GITHUB) {
		buf_printf(&b, "::%s", kind);
		if (path.len > 0) {
			BUF_PUTSL(&b, " file=");
			put_gh(&b, path.ptr, true);
			if (p->line > 0)
				buf_printf(&b, ",line=%u", p->line);
			if (p->line > 0 && p->col > 0)
				buf_printf(&b, ",col=%u", p->col);
		}
		BUF_PUTSL(&b, "::");
		put_gh(&b, msg.ptr, false);
	} else {
		if (path.len == 0)
			BUF_PUTSL(&b, "docket");
		else {
			put_plain(&b, path.ptr);
			if (p->line > 0)
				buf_printf(&b, ":%u", p->line);
			if (p->line > 0 && p->col > 0)
				buf_printf(&b, ":%u", p->col);
		}
		buf_printf(&b, ": %s: ", kind);
		put_plain(&b, msg.ptr);
	}
	buf_putc(&b, '\n');
	if (dg->hold != NULL)
		buf_put(dg->hold, b.ptr, b.len);
	else
		put_text(dg, b.ptr, b.len);
	buf_release(&b);
	buf_release(&msg);
	buf_release(&path);
}

int
diag_error(struct diag *dg, const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(dg, p, "error", fmt, ap);
	va_end(ap);
	dg->errors++;
	return -1;
}

int
diag_warning(struct diag *dg, const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	if (dg->strict) {
		va_start(ap, fmt);
		emit(dg, p, "error", fmt, ap);
		va_end(ap);
		dg->errors++;
		return -1;
	}
	dg->warnings++;
	if (dg->quiet && !dg->warn_as_error)
		return 0;
	va_start(ap, fmt);
	emit(dg, p, dg->warn_as_error ? "error" : "warning", fmt, ap);
	va_end(ap);
	return 0;
}
