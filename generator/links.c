/*
 * Internal links (see links.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "links.h"
#include "util.h"

char *
links_decode(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		/* "%00" is kept: no name holds a NUL, nor ends at one. */
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2]) &&
		    (s[i + 1] != '0' || s[i + 2] != '0')) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };
			buf_putc(&b, (int)strtol(hex, NULL, 16));
			i += 2;
		} else
			buf_putc(&b, s[i]);
	}
	return buf_detach(&b);
}

char *
links_encode(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p < 0x80 && (isalnum(*p) ||
		    strchr("/-._~!$&'()*+,;=@", *p) != NULL))
			buf_putc(&b, (char)*p);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 0xf]);
		}
	return buf_detach(&b);
}

bool
links_external(const char *u)
{
	const char *p = u;

	if (u[0] == '/' && u[1] == '/')
		return true;
	if (!isalpha((unsigned char)*p))
		return false;
	for (p++; isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.'; p++)
		;
	return *p == ':';
}

char *
links_resolve(const char *base_path, const char *from, const char *path)
{
	struct buf b = BUF_INIT;
	const char *p, *e, *slash;
	size_t seg, n, i;

	if (path[0] == '/') {
		n = strlen(base_path);
		/* Root-relative: from the path of base_url. */
		if (strncmp(path, base_path, n) == 0)
			p = path + n;
		else if (strncmp(path, base_path, n - 1) == 0 &&
		    path[n - 1] == '\0')
			p = path + n - 1;
		else
			return NULL;
	} else {
		if ((slash = strrchr(from, '/')) != NULL)
			buf_put(&b, from, (size_t)(slash - from) + 1);
		p = path;
	}
	for (; *p != '\0'; p = *e == '/' ? e + 1 : e) {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		seg = (size_t)(e - p);
		if (seg == 1 && p[0] == '.')
			continue;
		if (seg == 2 && p[0] == '.' && p[1] == '.') {
			if (b.len == 0) {
				buf_release(&b);
				return NULL;
			}
			/* Drop the last part, "x/". */
			n = b.len - 1;
			while (n > 0 && b.ptr[n - 1] != '/')
				n--;
			buf_truncate(&b, n);
			continue;
		}
		buf_put(&b, p, seg);
		if (*e == '/')
			buf_putc(&b, '/');
	}
	/*
	 * Empty parts name no folder: a server reads "a//b" as "a/b", and
	 * "//x" ("/%2Fx") from the root as "x", never as a path from '/'.
	 */
	for (i = 0, n = 0; i < b.len; i++)
		if (b.ptr[i] != '/' || (n > 0 && b.ptr[n - 1] != '/'))
			b.ptr[n++] = b.ptr[i];
	buf_truncate(&b, n);
	return buf_detach(&b);
}

char *
links_target(const char *base_path, const char *from, const char *href,
    char **frag)
{
	const char *hash = strchr(href, '#'), *q = strchr(href, '?');
	char *path, *target, *t;
	size_t n;

	n = q != NULL && (hash == NULL || q < hash) ? (size_t)(q - href) :
	    hash != NULL ? (size_t)(hash - href) : strlen(href);
	*frag = hash != NULL ? links_decode(hash + 1, strlen(hash + 1)) : NULL;
	path = links_decode(href, n);
	target = path[0] == '\0' ? xstrdup(from) :
	    links_resolve(base_path, from, path);
	free(path);
	if (target != NULL && (target[0] == '\0' ||
	    target[strlen(target) - 1] == '/')) {
		t = xasprintf("%sindex.html", target);
		free(target);
		target = t;
	}
	return target;
}

char *
links_base_path(const char *base_url)
{
	const char *p;

	if (base_url != NULL && (p = strstr(base_url, "://")) != NULL &&
	    (p = strchr(p + 3, '/')) != NULL)
		return xstrdup(p);
	return xstrdup("/");
}
