/*
 * Diagnostics.
 *
 * A message held or kept is a struct held, its path (no NUL; none when
 * the message has no file) and its text as printed, one after another in
 * a buffer: what a build process sends through its pipe as it is.
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

/* What comes before a held message's path and text. */
struct held {
	size_t		 pathlen;	/* 0: no file */
	size_t		 textlen;
	unsigned	 line;
	unsigned	 col;
	unsigned	 flags;		/* HELD_* */
};

#define HELD_ONCE	1u	/* reported once by a run: diag_warning_once() */
#define HELD_ERROR	2u	/* counted as an error, not as a warning */

/* A kept message, pointing into the buffer, for diag_flush(). */
struct msg {
	const char	*path;
	size_t		 pathlen;	/* 0: no file */
	unsigned	 line;
	unsigned	 col;
	size_t		 seq;		/* the order it was reported in */
	const char	*text;
	size_t		 textlen;
	unsigned	 flags;
};

/* The diag whose kept messages die() prints: see kept(). */
static struct diag *dying;

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
	if (dg->kept != NULL) {
		buf_release(dg->kept);
		free(dg->kept);
		dg->kept = NULL;
	}
	free(dg->once);
	dg->once = NULL;
	dg->oncesz = dg->oncecap = 0;
	if (dying == dg)
		dying = NULL;
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

/* Adds a message to b as hold has it. */
static void
put_held(struct buf *b, const char *path, unsigned line, unsigned col,
    unsigned flags, const char *text, size_t textlen)
{
	struct held h;

	memset(&h, 0, sizeof(h));
	h.pathlen = path != NULL ? strlen(path) : 0;
	h.textlen = textlen;
	h.line = line;
	h.col = col;
	h.flags = flags;
	buf_put(b, &h, sizeof(h));
	buf_put(b, path, h.pathlen);
	buf_put(b, text, textlen);
}

/*
 * Reads the held message at *off of buffer p (len bytes) into m, and
 * moves *off past it. Returns false at the end of the buffer, or where
 * what is left is not a whole message.
 */
static bool
held_next(const char *p, size_t len, size_t *off, struct msg *m)
{
	struct held h;
	size_t left = len - *off;

	if (left < sizeof(h))
		return false;
	memcpy(&h, p + *off, sizeof(h));
	left -= sizeof(h);
	if (h.pathlen > left || h.textlen > left - h.pathlen)
		return false;
	m->path = p + *off + sizeof(h);
	m->pathlen = h.pathlen;
	m->line = h.line;
	m->col = h.col;
	m->text = m->path + h.pathlen;
	m->textlen = h.textlen;
	m->flags = h.flags;
	*off += sizeof(h) + h.pathlen + h.textlen;
	return true;
}

/*
 * die()'s hook: prints what the diag kept, in the order it came (a sort
 * would allocate, and die() may be telling that there is no memory left).
 * Not in a process of -j (hold): its parent prints what it kept.
 */
static void
print_kept(void)
{
	struct diag *dg = dying;
	struct msg m;
	size_t off = 0;

	dying = NULL;
	if (dg == NULL || dg->hold != NULL || dg->kept == NULL)
		return;
	if (dg->progress_shown)
		fputs("\r\033[K", stderr);
	while (held_next(dg->kept->ptr, dg->kept->len, &off, &m))
		fwrite(m.text, 1, m.textlen, stderr);
}

/*
 * Where kept messages go: made when the first one comes, and printed by
 * die() if the run ends there.
 */
static struct buf *
kept(struct diag *dg)
{
	if (dg->kept == NULL) {
		dg->kept = xmalloc(sizeof(*dg->kept));
		buf_init(dg->kept);
		dying = dg;
		die_hook(print_kept);
	}
	return dg->kept;
}

void
diag_held_text(struct buf *out, const char *held, size_t len)
{
	struct msg m;
	size_t off = 0;

	while (held_next(held, len, &off, &m))
		buf_put(out, m.text, m.textlen);
}

/*
 * A message of diag_warning_once() is known by the hash of its text as
 * printed (its place and words). Returns whether this run had it already,
 * and notes it.
 */
static bool
once_seen(struct diag *dg, const char *text, size_t len)
{
	uint64_t h = hash64(HASH64_INIT, text, len);
	size_t i;

	for (i = 0; i < dg->oncesz; i++)
		if (dg->once[i] == h)
			return true;
	if (dg->oncesz == dg->oncecap) {
		dg->oncecap = dg->oncecap == 0 ? 16 : dg->oncecap * 2;
		dg->once = xreallocarray(dg->once, dg->oncecap,
		    sizeof(*dg->once));
	}
	dg->once[dg->oncesz++] = h;
	return false;
}

void
diag_replay(struct diag *dg, const char *held, size_t len, unsigned errors,
    unsigned warnings)
{
	struct buf b = BUF_INIT, keep = BUF_INIT;
	struct msg m;
	size_t off = 0, at = 0;

	/* What another process reported once, and this run had: left out. */
	while (held_next(held, len, &off, &m)) {
		if (!(m.flags & HELD_ONCE) || !once_seen(dg, m.text, m.textlen)) {
			buf_put(&keep, held + at, off - at);
		} else if (m.flags & HELD_ERROR)
			errors -= errors > 0;
		else
			warnings -= warnings > 0;
		at = off;
	}
	if (keep.len != len) {
		buf_put(&keep, held + at, len - at);
		held = keep.ptr != NULL ? keep.ptr : "";
		len = keep.len;
	}

	if (dg->hold != NULL)
		buf_put(dg->hold, held, len);
	else if (dg->silent)
		;
	else if (dg->ordered)
		buf_put(kept(dg), held, len);
	else {
		diag_held_text(&b, held, len);
		put_text(dg, b.ptr, b.len);
		buf_release(&b);
	}
	dg->errors += errors;
	dg->warnings += warnings;
	buf_release(&keep);
}

/*
 * By file (messages without one last), then line (none first), column,
 * and the order they came in.
 */
static int
msg_cmp(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;
	int c;

	if ((x->pathlen == 0) != (y->pathlen == 0))
		return x->pathlen == 0 ? 1 : -1;
	c = memcmp(x->path, y->path, x->pathlen < y->pathlen ?
	    x->pathlen : y->pathlen);
	if (c == 0 && x->pathlen != y->pathlen)
		c = x->pathlen < y->pathlen ? -1 : 1;
	if (c == 0 && x->line != y->line)
		c = x->line < y->line ? -1 : 1;
	if (c == 0 && x->col != y->col)
		c = x->col < y->col ? -1 : 1;
	if (c == 0 && x->seq != y->seq)
		c = x->seq < y->seq ? -1 : 1;
	return c;
}

void
diag_flush(struct diag *dg)
{
	struct buf out = BUF_INIT;
	struct msg *v = NULL, m;
	size_t n = 0, cap = 0, off = 0, i;

	if (dg->kept == NULL || dg->kept->len == 0)
		return;
	while (held_next(dg->kept->ptr, dg->kept->len, &off, &m)) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap + cap / 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		m.seq = n;
		v[n++] = m;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), msg_cmp);
	/* Written a pipe's worth at a time: stderr has no buffer. */
	for (i = 0; i < n; i++) {
		buf_put(&out, v[i].text, v[i].textlen);
		if (out.len >= 65536 || i + 1 == n) {
			put_text(dg, out.ptr, out.len);
			buf_truncate(&out, 0);
		}
	}
	buf_release(&out);
	free(v);
	buf_truncate(dg->kept, 0);
}

/*
 * Reports a message. Returns false, reporting nothing, when it is one of
 * diag_warning_once() that this run has had.
 */
static bool
emit(struct diag *dg, const struct pos *p, const char *kind, unsigned flags,
    const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT, msg = BUF_INIT, path = BUF_INIT;
	bool new = true;

	if (dg->silent)
		return true;
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
	if ((flags & HELD_ONCE) && once_seen(dg, b.ptr, b.len))
		new = false;
	else if (dg->hold != NULL || dg->ordered)
		put_held(dg->hold != NULL ? dg->hold : kept(dg),
		    p != NULL ? p->path : NULL, p != NULL ? p->line : 0,
		    p != NULL ? p->col : 0, flags, b.ptr, b.len);
	else
		put_text(dg, b.ptr, b.len);
	buf_release(&b);
	buf_release(&msg);
	buf_release(&path);
	return new;
}

int
diag_error(struct diag *dg, const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(dg, p, "error", 0, fmt, ap);
	va_end(ap);
	dg->errors++;
	return -1;
}

static int
vwarning(struct diag *dg, const struct pos *p, unsigned flags,
    const char *fmt, va_list ap)
{
	if (dg->strict) {
		if (emit(dg, p, "error", flags | HELD_ERROR, fmt, ap))
			dg->errors++;
		return -1;
	}
	if (dg->quiet && !dg->warn_as_error) {
		dg->warnings++;
		return 0;
	}
	if (emit(dg, p, dg->warn_as_error ? "error" : "warning", flags, fmt,
	    ap))
		dg->warnings++;
	return 0;
}

int
diag_warning(struct diag *dg, const struct pos *p, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwarning(dg, p, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int
diag_warning_once(struct diag *dg, const struct pos *p, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwarning(dg, p, HELD_ONCE, fmt, ap);
	va_end(ap);
	return rc;
}
