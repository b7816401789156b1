/*
 * Fuzz target: the text of the search index (exports.h). The input is
 * HTML as a page's markdown renders it, or as a template writes it; its
 * first byte gives the limit of its text. exports_html_text() takes the
 * text out, and exports_search_words() its words. Checked: the text
 * keeps to the limit and, from valid UTF-8, is valid UTF-8 (never cut
 * inside a character); the words have no ASCII capital, are one space
 * apart, each once, and are never longer than the text they came from.
 * exports_html_description() takes a page's description from the same
 * HTML: none, or text within its limit and its "…", valid UTF-8 from
 * valid UTF-8, with no space at either end.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exports.h"
#include "fuzz.h"
#include "util.h"

static void
check_words(const char *text, const char *prefix)
{
	struct buf b = BUF_INIT;
	size_t plen = strlen(prefix), i, j, n;
	const char *w, *v;

	buf_puts(&b, prefix);
	exports_search_words(&b, text);
	if (b.len - plen > strlen(text) || strlen(b.ptr) != b.len ||
	    memcmp(b.ptr, prefix, plen) != 0)
		abort();
	w = b.ptr + plen;
	if (*w == ' ' || (b.len > plen && b.ptr[b.len - 1] == ' '))
		abort();
	for (i = 0; w[i] != '\0'; i++)
		if ((w[i] >= 'A' && w[i] <= 'Z') || w[i] == '\t' ||
		    w[i] == '\n' || w[i] == '\r' ||
		    (w[i] == ' ' && w[i + 1] == ' '))
			abort();
	/* Each word once: no word of the list equals a later one. */
	for (i = 0; w[i] != '\0'; i += n + (w[i + n] == ' ')) {
		n = strcspn(w + i, " ");
		for (v = w + i + n; *v == ' '; v += j) {
			v++;
			j = strcspn(v, " ");
			if (j == n && memcmp(v, w + i, n) == 0)
				abort();
		}
	}
	buf_release(&b);
}

static void
check_description(const char *html, bool any)
{
	char *d = exports_html_description(html, any);
	size_t n;

	if (d == NULL)
		return;
	n = strlen(d);
	if (n == 0 || n > EXPORTS_DESC_MAX + strlen("…") || d[0] == ' ' ||
	    d[n - 1] == ' ')
		abort();
	if (utf8_valid(html, strlen(html), NULL) && !utf8_valid(d, n, NULL))
		abort();
	free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf t = BUF_INIT;
	size_t max, n;
	char *html;

	if (size == 0)
		return 0;
	max = data[0] * 8u;
	html = xstrndup((const char *)data + 1, size - 1);
	buf_puts(&t, "pre: ");
	exports_html_text(&t, html, max);
	n = t.len - 5;
	if (n > max || strlen(t.ptr) != t.len)
		abort();
	/* From valid UTF-8 (as content is, checked on reading), valid. */
	if (utf8_valid(html, strlen(html), NULL) &&
	    !utf8_valid(t.ptr, t.len, NULL))
		abort();
	check_words(t.ptr + 5, "");
	check_words(html, "x|");
	check_description(html, data[0] & 1);
	buf_release(&t);
	free(html);
	return 0;
}
