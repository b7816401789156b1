/*
 * Growable string buffer, after cmark's cmark_strbuf and git's strbuf.
 * ptr is never NULL and always ends in a NUL byte.
 */
#ifndef DOCKET_BUF_H
#define DOCKET_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*ptr;		/* never NULL, NUL-terminated */
	size_t	 len;
	size_t	 cap;		/* 0: ptr is the static empty string */
};

extern char buf__empty[];

#define BUF_INIT	{ buf__empty, 0, 0 }
#define BUF_PUTSL(b, s)	buf_put((b), (s), sizeof(s) - 1)

void	 buf_init(struct buf *);
void	 buf_grow(struct buf *, size_t);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	     __attribute__((format(printf, 2, 0)));
/* Appends v in decimal, with zeros before it up to `width` digits. */
void	 buf_put_uint(struct buf *, unsigned long long v, int width);
/* Appends code point cp (at most 0x10ffff) in UTF-8. */
void	 buf_put_utf8(struct buf *, unsigned long cp);
/* Appends text with & < > " ' escaped for HTML text and attributes. */
void	 buf_put_html(struct buf *, const char *, size_t);
void	 buf_puts_html(struct buf *, const char *);
/* As buf_put_html(), each space written as a no-break space (&nbsp;). */
void	 buf_put_html_nbsp(struct buf *, const char *, size_t);
/* Appends text escaped for a JSON string (without the quotes). */
void	 buf_put_json(struct buf *, const char *, size_t);
void	 buf_truncate(struct buf *, size_t);
/* Inline: text is often built a character at a time. */
static inline void
buf_putc(struct buf *b, int c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}

/* Returns the contents; the caller frees them. The buffer is reset. */
char	*buf_detach(struct buf *);
void	 buf_release(struct buf *);

#endif
