/*
 * Fuzz target: what a client of the preview server (docket serve)
 * controls. The input is a Host header, a newline, a request path as
 * sent, a newline, and an HTML file of the output (a page whose raw HTML
 * is the author's). The path is decoded (serve_unescape()), judged
 * (serve_path_ok()), typed and, for a folder's redirect, encoded; the
 * Host is judged against two --bind addresses; the file gets the
 * live-reload script (serve_inject()). A path let through must map
 * below the output folder: it starts with '/', and no part is empty
 * (but the last), ".", "..", ".git" or ".docket*", or holds a backslash
 * or a NUL. The served HTML is the file with the script added once.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "links.h"
#include "serve.h"
#include "util.h"

#define LIVE_TAG "<script src=\"/__docket/live.js\" defer></script>\n"

/* The first LIVE_TAG in b[from..len], or NULL. */
static const char *
find_tag(const char *b, size_t from, size_t len)
{
	size_t n = strlen(LIVE_TAG);

	for (; from + n <= len; from++)
		if (memcmp(b + from, LIVE_TAG, n) == 0)
			return b + from;
	return NULL;
}

static void
check_path(const char *path, size_t len)
{
	const char *p, *e;
	size_t n;

	if (strlen(path) != len || path[0] != '/')
		abort();
	if (strchr(path, '\\') != NULL)
		abort();
	for (p = path + 1;; p = e + 1) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (e != NULL && n == 0)
			abort();
		if ((n == 1 && p[0] == '.') || (n == 2 && memcmp(p, "..", 2) == 0))
			abort();
		if (n == 4 && memcmp(p, ".git", 4) == 0)
			abort();
		if (n >= 7 && memcmp(p, ".docket", 7) == 0)
			abort();
		if (e == NULL)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *nl, *nl2;
	struct buf out = BUF_INIT;
	char *host, *path, *enc;
	size_t len, taglen = strlen(LIVE_TAG);

	if ((nl = memchr(text, '\n', size)) == NULL)
		return 0;
	if ((nl2 = memchr(nl + 1, '\n', (size_t)(end - nl - 1))) == NULL)
		nl2 = end;
	host = xstrndup(text, (size_t)(nl - text));
	path = xstrndup(nl + 1, (size_t)(nl2 - nl - 1));

	(void)serve_host_ok(host, NULL);
	(void)serve_host_ok(host, "example.test");
	(void)serve_host_ok(host, "::1");

	/* libmicrohttpd hands over the path up to a NUL, '?' or '#'. */
	len = serve_unescape(path);
	if (len > strlen(path) || path[len] != '\0')
		abort();
	if (serve_content_type(path) == NULL)
		abort();
	if (serve_path_ok(path)) {
		check_path(path, len);
		enc = links_encode(path);
		if (enc[0] != '/' || strpbrk(enc, "#?:") != NULL)
			abort();
		for (const unsigned char *u = (unsigned char *)enc; *u; u++)
			if (*u <= ' ' || *u >= 0x7f)
				abort();
		free(enc);
	}

	if (nl2 < end) {
		len = (size_t)(end - nl2 - 1);
		serve_inject(&out, nl2 + 1, len);
		if (out.len != len + taglen)
			abort();
		const char *t = find_tag(out.ptr, 0, out.len);
		if (t == NULL)
			abort();
		/* The file around the script, as it was. */
		while (t != NULL) {
			size_t at = (size_t)(t - out.ptr);
			if (memcmp(out.ptr, nl2 + 1, at) == 0 &&
			    memcmp(t + taglen, nl2 + 1 + at, len - at) == 0)
				break;
			t = find_tag(out.ptr, at + 1, out.len);
		}
		if (t == NULL)
			abort();
	}
	buf_release(&out);
	free(host);
	free(path);
	return 0;
}
