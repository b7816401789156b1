/*
 * Diagnostics.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

void
diag_init(struct diag *dg)
{
	memset(dg, 0, sizeof(*dg));
	dg->format = DIAG_GCC;
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
			buf_puts(&b, path.ptr);
			if (p->line > 0)
				buf_printf(&b, ":%u", p->line);
			if (p->line > 0 && p->col > 0)
				buf_printf(&b, ":%u", p->col);
		}
		buf_printf(&b, ": %s: %s", kind, msg.ptr);
	}
	buf_putc(&b, '\n');
	fputs(b.ptr, stderr);
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
	if (dg->quiet)
		return 0;
	va_start(ap, fmt);
	emit(dg, p, "warning", fmt, ap);
	va_end(ap);
	return 0;
}
