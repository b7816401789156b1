/*
 * Growable string buffer.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

char buf__empty[1];

void
buf_init(struct buf *b)
{
	b->ptr = buf__empty;
	b->len = 0;
	b->cap = 0;
}

/* Makes room for at least `more` further bytes and the NUL. */
void
buf_grow(struct buf *b, size_t more)
{
	size_t need, cap;

	if (more > SIZE_MAX - b->len - 1)
		die("buffer size overflow");
	need = b->len + more + 1;
	if (need <= b->cap)
		return;
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap < need) {
		if (cap > SIZE_MAX / 3 * 2) {
			cap = need;
			break;
		}
		cap += cap / 2;
	}
	if (b->cap == 0) {
		b->ptr = xmalloc(cap);
		b->ptr[0] = '\0';
	} else
		b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (n >= b->cap - b->len)
		buf_grow(b, n);
	memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_put_utf8(struct buf *out, unsigned long cp)
{
	if (cp < 0x80)
		buf_putc(out, (int)cp);
	else if (cp < 0x800) {
		buf_putc(out, (int)(0xc0 | (cp >> 6)));
		buf_putc(out, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(out, (int)(0xe0 | (cp >> 12)));
		buf_putc(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(out, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(out, (int)(0xf0 | (cp >> 18)));
		buf_putc(out, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(out, (int)(0x80 | (cp & 0x3f)));
	}
}

void
buf_put_uint(struct buf *b, unsigned long long v, int width)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (tmp + sizeof(tmp) - p < width && p > tmp)
		*--p = '0';
	buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * Formats with no more than %s, %c, %d, %u, %zu and %%, as nearly every
 * call does, without vsnprintf(): most of its cost is setting up. Returns
 * false, having appended nothing, for any other conversion.
 */
static bool
put_simple(struct buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *s;
	size_t start = b->len;
	int d;

	for (;;) {
		for (s = p; *p != '\0' && *p != '%'; p++)
			continue;
		buf_put(b, s, (size_t)(p - s));
		if (*p == '\0')
			return true;
		switch (p[1]) {
		case 's':
			s = va_arg(ap, const char *);
			buf_puts(b, s != NULL ? s : "(null)");
			break;
		case 'c':
			buf_putc(b, (char)va_arg(ap, int));
			break;
		case 'd':
			if ((d = va_arg(ap, int)) < 0)
				buf_putc(b, '-');
			buf_put_uint(b, d < 0 ? -(unsigned long long)d :
			    (unsigned long long)d, 1);
			break;
		case 'u':
			buf_put_uint(b, va_arg(ap, unsigned), 1);
			break;
		case 'z':
			if (p[2] != 'u')
				goto other;
			buf_put_uint(b, va_arg(ap, size_t), 1);
			p++;
			break;
		case '%':
			buf_putc(b, '%');
			break;
		default:
			goto other;
		}
		p += 2;
	}
other:
	b->len = start;
	return false;
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	va_copy(ap2, ap);
	if (put_simple(b, fmt, ap2)) {
		va_end(ap2);
		return;
	}
	va_end(ap2);
	/* Formatted once into the room there is; again only if it did not fit. */
	buf_grow(b, 64);
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->ptr + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		die("vsnprintf failed");
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/*
 * The characters each escape changes, as an index into its replacements
 * (0: kept): tested a byte at a time while the rest is copied in runs.
 */
static const unsigned char html_esc[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5
};
static const char *const html_rep[] = {
	NULL, "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"
};

void
buf_put_html(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;

	while (p < end) {
		for (run = p; p < end && html_esc[*p] == 0; p++)
			continue;
		buf_put(b, run, (size_t)(p - run));
		if (p < end)
			buf_puts(b, html_rep[html_esc[*p++]]);
	}
}

void
buf_puts_html(struct buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

void
buf_put_html_nbsp(struct buf *b, const char *s, size_t n)
{
	const char *end, *sp;

	if (n == 0)
		return;
	end = s + n;
	while ((sp = memchr(s, ' ', (size_t)(end - s))) != NULL) {
		buf_put_html(b, s, (size_t)(sp - s));
		BUF_PUTSL(b, "&nbsp;");
		s = sp + 1;
	}
	buf_put_html(b, s, (size_t)(end - s));
}

/*
 * As html_esc: 1 to 6 a replacement, 7 a control character as \u00XX, 8
 * the first byte of U+2028 and U+2029, which JSON allows in a string but
 * scripts before ES2019 do not (search-index.js is JSON in a script).
 */
static const unsigned char json_esc[256] = {
	[0x00] = 7, [0x01] = 7, [0x02] = 7, [0x03] = 7, [0x04] = 7, [0x05] = 7,
	[0x06] = 7, [0x07] = 7, [0x08] = 7, ['\t'] = 5, ['\n'] = 3, [0x0b] = 7,
	[0x0c] = 7, ['\r'] = 4, [0x0e] = 7, [0x0f] = 7, [0x10] = 7, [0x11] = 7,
	[0x12] = 7, [0x13] = 7, [0x14] = 7, [0x15] = 7, [0x16] = 7, [0x17] = 7,
	[0x18] = 7, [0x19] = 7, [0x1a] = 7, [0x1b] = 7, [0x1c] = 7, [0x1d] = 7,
	[0x1e] = 7, [0x1f] = 7, ['"'] = 1, ['\\'] = 2,
	['<'] = 6,	/* keeps "</script>" inert wherever JSON is embedded */
	[0xe2] = 8
};
static const char *const json_rep[] = {
	NULL, "\\\"", "\\\\", "\\n", "\\r", "\\t", "\\u003c"
};

void
buf_put_json(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;
	char u[7];

	while (p < end) {
		for (run = p; p < end && json_esc[*p] == 0; p++)
			continue;
		buf_put(b, run, (size_t)(p - run));
		if (p == end)
			break;
		if (json_esc[*p] == 7) {
			snprintf(u, sizeof(u), "\\u%04x", *p);
			buf_puts(b, u);
		} else if (json_esc[*p] == 8) {
			if (end - p >= 3 && p[1] == 0x80 &&
			    (p[2] == 0xa8 || p[2] == 0xa9)) {
				buf_puts(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
				p += 2;
			} else
				buf_putc(b, (char)*p);
		} else
			buf_puts(b, json_rep[json_esc[*p]]);
		p++;
	}
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

char *
buf_detach(struct buf *b)
{
	char *p;

	p = b->cap == 0 ? xstrdup("") : b->ptr;
	buf_init(b);
	return p;
}

void
buf_release(struct buf *b)
{
	if (b->cap != 0)
		free(b->ptr);
	buf_init(b);
}
