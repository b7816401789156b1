/*
 * Markdown through cmark-gfm.
 */
#define _GNU_SOURCE	/* memmem */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"
#include "mdlimit.h"
#include "rawxml.h"
#include "util.h"

bool
url_safe(const char *url)
{
	char scheme[16];
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)url;

	/* Browsers strip leading C0 controls and spaces... */
	while (*p != '\0' && *p <= ' ')
		p++;
	for (; *p != '\0'; p++) {
		/* ...and tabs and newlines anywhere. */
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':')
			break;
		if (*p == '/' || *p == '?' || *p == '#')
			return true;	/* relative */
		if (!(isalnum(*p) || *p == '+' || *p == '-' || *p == '.'))
			return true;	/* not a scheme: a relative path */
		if (n == 0 && !isalpha(*p))
			return true;
		if (n + 1 >= sizeof(scheme))
			return false;	/* a long scheme we don't know */
		scheme[n++] = (char)tolower(*p);
	}
	if (*p != ':')
		return true;
	scheme[n] = '\0';
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	    strcmp(scheme, "mailto") == 0;
}

/*
 * Finds the front matter as md_split() does. Returns -1 when it is not
 * closed, the rest as if there were none.
 */
static int
split(const char *data, size_t len, const char **yaml, size_t *yamlsz,
    const char **body, size_t *bodysz, unsigned *bodyline)
{
	const char *p, *end = data + len, *nl;
	unsigned line = 2;
	size_t n;

	*yaml = NULL;
	*yamlsz = 0;
	*body = data;
	*bodysz = len;
	*bodyline = 1;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		*body = data += 3;
		*bodysz = len -= 3;
	}
	if (len < 4 || memcmp(data, "---", 3) != 0 ||
	    (data[3] != '\n' && !(data[3] == '\r' && len > 4 && data[4] == '\n')))
		return 0;
	p = data + (data[3] == '\n' ? 4 : 5);
	for (; p < end; p = nl + 1, line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 3 && (memcmp(p, "---", 3) == 0 ||
		    memcmp(p, "...", 3) == 0)) {
			*yaml = data + (data[3] == '\n' ? 4 : 5);
			*yamlsz = (size_t)(p - *yaml);
			*body = nl < end ? nl + 1 : end;
			*bodysz = (size_t)(end - *body);
			*bodyline = line + 1;
			return 0;
		}
		if (nl == end)
			break;
	}
	return -1;
}

int
md_split(struct diag *dg, const char *path, const char *data, size_t len,
    const char **yaml, size_t *yamlsz, const char **body, size_t *bodysz,
    unsigned *bodyline)
{
	struct pos pos = { path, 1, 1 };

	if (split(data, len, yaml, yamlsz, body, bodysz, bodyline) == -1)
		return diag_error(dg, &pos, "front matter is not closed by '---'");
	return 0;
}

const char *
md_body(const char *data, size_t len, size_t *bodysz, unsigned *bodyline)
{
	const char *yaml, *body;
	size_t yamlsz;

	if (split(data, len, &yaml, &yamlsz, &body, bodysz, bodyline) == -1) {
		*bodysz = len;
		*bodyline = 1;
		return data;
	}
	return body;
}

static int
md_options(const struct md_src *src)
{
	/*
	 * A fenced block's language is written <code class="language-x">,
	 * as the GFM spec has it: with CMARK_OPT_GITHUB_PRE_LANG it would be
	 * <pre lang="x">, which tells browsers and screen readers that the
	 * code is in the human language "x" (and is invalid for most).
	 */
	int options = CMARK_OPT_VALIDATE_UTF8;

	if (src->unsafe_html)
		options |= CMARK_OPT_UNSAFE;
	return options;
}

cmark_parser *
md_parser_new(const struct md_src *src)
{
	cmark_parser *parser;

	if ((parser = cmark_parser_new(md_options(src))) == NULL)
		die("out of memory");
	return parser;
}

/*
 * After the directives: cmark asks the extensions in the order they were
 * attached whether a line opens a block, and the table extension claims
 * every line that follows a paragraph's first, table or not; attached
 * before them, it would keep a leaf or container directive from ending
 * a paragraph, as it does in micromark-extension-directive.
 */
void
md_parser_gfm(cmark_parser *parser)
{
	static const char *const exts[] = {
		"table", "strikethrough", "autolink", "tagfilter"
	};
	cmark_syntax_extension *e;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	for (i = 0; i < NELEM(exts); i++) {
		if ((e = cmark_find_syntax_extension(exts[i])) == NULL)
			die("cmark-gfm extension '%s' missing", exts[i]);
		cmark_parser_attach_syntax_extension(parser, e);
	}
}

struct pos
md_pos(const struct md_src *src, unsigned line, unsigned col)
{
	struct pos p = { src->path, src->line + line - 1, 0 };
	const struct md_span *sp;
	size_t lo = 0, hi = src->spansz, mid;

	if (line == 0)
		return (struct pos){ src->path, 0, 0 };
	if (src->spans == NULL || src->spansz == 0) {
		if (col > 0 && src->col >= 0)
			p.col = col + (unsigned)src->col;
		return p;
	}
	/* The last span at or before (line, col); col 0 is in the first. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		sp = &src->spans[mid];
		if (sp->tline < line || (sp->tline == line &&
		    sp->tcol <= (col == 0 ? 1 : col)))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (struct pos){ src->path, src->spans[0].line, 0 };
	sp = &src->spans[lo - 1];
	if (sp->tline != line)
		return (struct pos){ src->path, sp->line, 0 };
	p.line = sp->line;
	p.col = col == 0 ? 0 : sp->col + (col - sp->tcol);
	return p;
}

/* What link_pos() keeps between the links of one document. */
struct linkpos {
	size_t		*lines;		/* where each line of src's text starts */
	size_t		 linesz;
	cmark_node	*block;		/* the block of blines */
	const char	*content;	/* its text, as cmark keeps it */
	size_t		 clen;		/* its length */
	size_t		*blines;	/* where each line of content starts */
	size_t		 blinesz;
	size_t		 after;		/* of content: past the last link found
					   without cmark's position */
	size_t		 spare;		/* bytes that may yet be looked through
					   past such a link's first match */
};

/* Offsets of the starts of the lines of s (len bytes), in *out. */
static size_t
line_starts(size_t **out, const char *s, size_t len)
{
	const char *p, *nl, *end = s + len;
	size_t n = 1;

	/* Counted first: one allocation, not one a line. */
	for (p = s; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL &&
	    nl + 1 < end; p = nl + 1)
		n++;
	*out = xreallocarray(*out, n, sizeof(**out));
	(*out)[0] = 0;
	n = 1;
	for (p = s; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL &&
	    nl + 1 < end; p = nl + 1)
		(*out)[n++] = (size_t)(nl + 1 - s);
	return n;
}

/* Line i of s (of linesz, starting at lines), without its line end. */
static size_t
line_len(const char *s, size_t len, const size_t *lines, size_t linesz,
    size_t i)
{
	size_t end = i + 1 < linesz ? lines[i + 1] : len, n;

	n = end - lines[i];
	while (n > 0 && (s[lines[i] + n - 1] == '\n' ||
	    s[lines[i] + n - 1] == '\r' || s[lines[i] + n - 1] == ' ' ||
	    s[lines[i] + n - 1] == '\t'))
		n--;
	return n;
}

/* Does the link or image n start at offset o of its block's content? */
static bool
link_at(cmark_node *n, const char *content, size_t len, size_t o)
{
	cmark_node *t = cmark_node_first_child(n);
	const char *url = cmark_node_get_url(n), *lit;
	size_t k, u;

	if (o >= len)
		return false;
	if (cmark_node_get_type(n) == CMARK_NODE_IMAGE)
		return content[o] == '!';
	if (content[o] == '[')
		return true;
	/*
	 * An autolink, <url> or a bare URL (GFM): its text is its URL,
	 * maybe without the "mailto:" or "http://" cmark adds.
	 */
	if (t == NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT ||
	    cmark_node_next(t) != NULL ||
	    (lit = cmark_node_get_literal(t)) == NULL || *lit == '\0' ||
	    url == NULL)
		return false;
	k = strlen(lit);
	u = strlen(url);
	if (u < k || strcmp(url + u - k, lit) != 0 || !(u == k ||
	    (u - k == 7 && strncmp(url, "mailto:", 7) == 0) ||
	    (u - k == 7 && strncmp(url, "http://", 7) == 0)))
		return false;
	if (content[o] == '<')
		o++;
	return len - o >= k && memcmp(content + o, lit, k) == 0;
}

/*
 * Where the link n, which cmark-gfm gave no position, starts in the
 * content of its block, lp->block: the autolink extension makes a bare
 * "ftp://" URL or an email address a link after parsing, without one.
 * Its text is as written, and the links of a block come in order: it is
 * looked for after the last one found so, where an autolink may start
 * (a URL after a space, '*', '_', '~' or '('; an address after no
 * character of an address, nor a '`'), else anywhere. What is looked
 * through past a link's first match is bounded by the block's length,
 * for all its links together: once that is spent, the first match is
 * taken, and a block of many links takes linear time. SIZE_MAX when not
 * found.
 */
static size_t
unplaced_link(struct linkpos *lp, cmark_node *n)
{
	cmark_node *t = cmark_node_first_child(n);
	const char *lit, *first, *hit, *c = lp->content,
	    *url = cmark_node_get_url(n);
	size_t len = lp->clen, k, from, room;
	bool email = url != NULL && strncmp(url, "mailto:", 7) == 0;

	if (t == NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT ||
	    (lit = cmark_node_get_literal(t)) == NULL || *lit == '\0' ||
	    lp->after > len)
		return SIZE_MAX;
	k = strlen(lit);
	if ((first = memmem(c + lp->after, len - lp->after, lit, k)) == NULL)
		return SIZE_MAX;
	/* Where such a link may start: not in "`ftp://x`", say. */
	for (hit = first; hit != NULL; ) {
		if (hit == c || (email ? !isalnum((unsigned char)hit[-1]) &&
		    strchr(".+-_`", hit[-1]) == NULL :
		    strchr(" \t\n*_~(", hit[-1]) != NULL))
			break;
		from = (size_t)(hit - c) + 1;
		room = len - from < lp->spare ? len - from : lp->spare;
		hit = memmem(c + from, room, lit, k);
		lp->spare -= hit != NULL ? (size_t)(hit - c) - from : room;
	}
	if (hit == NULL)
		hit = first;
	lp->after = (size_t)(hit - c) + k;
	return (size_t)(hit - c);
}

/*
 * Where the link or image n starts in src's text. cmark-gfm 0.29 counts
 * an inline's column on a paragraph's later lines from where cmark's
 * copy of the line starts, leaving out the line's indentation and
 * block quote markers, and an autolink's from the start of the
 * paragraph: the offset in the block's content is found again, and
 * that line of content is found at the end of its line in the text.
 */
static struct pos
link_pos(struct linkpos *lp, const struct md_src *src, cmark_node *n)
{
	unsigned line = (unsigned)cmark_node_get_start_line(n),
	    col = (unsigned)cmark_node_get_start_column(n), bline, bcol;
	cmark_node *b;
	size_t clen, k, o, i, j, slen, tline;
	const char *c, *s;

	for (b = cmark_node_parent(n); b != NULL &&
	    (cmark_node_get_type(b) & CMARK_NODE_TYPE_MASK) !=
	    CMARK_NODE_TYPE_BLOCK; b = cmark_node_parent(b))
		;
	if (b == NULL)
		return md_pos(src, line, col);
	bline = (unsigned)cmark_node_get_start_line(b);
	bcol = (unsigned)cmark_node_get_start_column(b);
	if (b != lp->block) {
		lp->block = b;
		lp->content = cmark_node_get_string_content(b);
		lp->clen = lp->content == NULL ? 0 : strlen(lp->content);
		lp->blinesz = lp->content == NULL ? 0 : line_starts(&lp->blines,
		    lp->content, lp->clen);
		lp->after = 0;
		lp->spare = lp->clen;
	}
	if ((c = lp->content) == NULL)
		return md_pos(src, line, col);
	clen = lp->clen;
	if (line == 0) {
		if ((o = unplaced_link(lp, n)) == SIZE_MAX)
			return md_pos(src, line, col);
	} else {
		if (line < bline || col == 0 || line - bline >= lp->blinesz)
			return md_pos(src, line, col);
		k = line - bline;
		o = lp->blines[k] + (col - bcol);
		if (col < bcol || (k + 1 < lp->blinesz &&
		    o >= lp->blines[k + 1]) || !link_at(n, c, clen, o)) {
			o = col - 1;
			if (!link_at(n, c, clen, o))
				return md_pos(src, line, col);
		}
	}
	/* The line of content it is on: the last that starts at o or before. */
	for (i = 0, j = lp->blinesz; j - i > 1; ) {
		size_t mid = i + (j - i) / 2;

		if (lp->blines[mid] <= o)
			i = mid;
		else
			j = mid;
	}
	/* Link reference definitions at its start are not in its content. */
	tline = bline + i;
	if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH &&
	    (unsigned)cmark_node_get_end_line(b) >= bline + lp->blinesz)
		tline = (unsigned)cmark_node_get_end_line(b) + 1 -
		    lp->blinesz + i;
	if (lp->lines == NULL)
		lp->linesz = line_starts(&lp->lines, src->text, src->len);
	if (tline == 0 || tline > lp->linesz)
		return md_pos(src, line, col);
	/*
	 * The content's line ends its line of the text, or, in a table
	 * cell or a heading closed by '#', is in it from the block's start.
	 */
	k = line_len(c, clen, lp->blines, lp->blinesz, i);
	s = src->text + lp->lines[tline - 1];
	slen = line_len(src->text, src->len, lp->lines, lp->linesz, tline - 1);
	if (slen >= k && memcmp(s + slen - k, c + lp->blines[i], k) == 0)
		return md_pos(src, (unsigned)tline,
		    (unsigned)(slen - k + 1 + o - lp->blines[i]));
	for (j = i == 0 ? bcol - 1 : 0; k > 0 && j + k <= slen; j++)
		if (memcmp(s + j, c + lp->blines[i], k) == 0)
			return md_pos(src, (unsigned)tline,
			    (unsigned)(j + 1 + o - lp->blines[i]));
	return md_pos(src, (unsigned)tline,
	    bcol + (unsigned)(o - lp->blines[i]));
}

/*
 * Raw HTML (kept with unsafe_html): the attributes that hold a link, as
 * docket check follows them (a, area and link href; img, source, audio
 * and video src). GFM's tag filter writes <script> and <iframe> as text.
 */
static bool
raw_link_attr(const char *tag, size_t tagn, const char *name, size_t namen)
{
	static const char *const hrefs[] = { "a", "area", "link" };
	static const char *const srcs[] = { "img", "source", "audio", "video" };
	const char *const *v;
	size_t i, n;

	if (namen == 4 && strncasecmp(name, "href", 4) == 0)
		v = hrefs, n = NELEM(hrefs);
	else if (namen == 3 && strncasecmp(name, "src", 3) == 0)
		v = srcs, n = NELEM(srcs);
	else
		return false;
	for (i = 0; i < n; i++)
		if (strlen(v[i]) == tagn && strncasecmp(v[i], tag, tagn) == 0)
			return true;
	return false;
}

/*
 * An attribute's value as a browser reads it: the five predefined
 * entities and numeric references decoded (rawxml_ref()), others kept
 * as written.
 */
static char *
raw_attr_decode(const char *v, size_t n)
{
	struct buf b = BUF_INIT;
	const char *p = v, *end = v + n;
	unsigned long cp;
	size_t k;

	while (p < end)
		if (*p == '&' && (k = rawxml_ref(p, end, &cp)) > 0 &&
		    cp != 0 && (cp < 0xd800 || cp > 0xdfff)) {
			buf_put_utf8(&b, cp);
			p += k;
		} else
			buf_putc(&b, *p++);
	return buf_detach(&b);
}

/*
 * Where offset o of the literal lit of the raw HTML node n is in src's
 * text: on the node's line or a line after it, where that line of lit,
 * up to o, is found in the line of the text; on the node's first line,
 * from its column on (cmark-gfm counts an inline's column on a
 * paragraph's later lines without the line's indentation and block
 * quote markers, so the true column is never before it). Column 0 when
 * not found.
 */
static struct pos
raw_pos(struct linkpos *lp, const struct md_src *src, cmark_node *n,
    const char *lit, size_t o)
{
	unsigned line = (unsigned)cmark_node_get_start_line(n);
	int col = cmark_node_get_start_column(n);
	size_t ls = 0, i, slen, from = 0, k;
	const char *s, *hit;

	for (i = 0; i < o; i++)
		if (lit[i] == '\n')
			line++, ls = i + 1;
	if (lp->lines == NULL)
		lp->linesz = line_starts(&lp->lines, src->text, src->len);
	if (line == 0 || line > lp->linesz || (k = o - ls) == 0)
		return md_pos(src, line, 0);
	s = src->text + lp->lines[line - 1];
	slen = (line < lp->linesz ? lp->lines[line] : src->len) -
	    lp->lines[line - 1];
	if (ls == 0 && col > 0 && (size_t)col - 1 < slen)
		from = (size_t)col - 1;
	if ((hit = memmem(s + from, slen - from, lit + ls, k)) == NULL)
		return md_pos(src, line, 0);
	return md_pos(src, line, (unsigned)(hit - s + k + 1));
}

/*
 * The links of raw HTML node n, told and rewritten as markdown's are: its
 * literal is written again with each link the rewrite hook changed.
 */
static void
raw_links(struct linkpos *lp, const struct md_src *src, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n), *tag, *name;
	size_t len, i, tagn, namen, vs, ve, done = 0, q;
	struct buf out = BUF_INIT;
	char *url, *to;
	struct pos p;
	bool changed = false;

	if (lit == NULL || (src->on_link == NULL && src->rewrite == NULL))
		return;
	len = strlen(lit);
	for (i = 0; i < len; ) {
		if (lit[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && memcmp(lit + i, "<!--", 4) == 0) {
			const char *e = memmem(lit + i + 4, len - i - 4, "-->", 3);
			i = e == NULL ? len : (size_t)(e - lit) + 3;
			continue;
		}
		if (i + 1 >= len || !isalpha((unsigned char)lit[i + 1])) {
			i++;
			continue;
		}
		tag = lit + ++i;
		while (i < len && (isalnum((unsigned char)lit[i]) ||
		    lit[i] == '-'))
			i++;
		tagn = (size_t)(lit + i - tag);
		/* The attributes, to the tag's end. */
		while (i < len && lit[i] != '>') {
			if (isspace((unsigned char)lit[i]) || lit[i] == '/') {
				i++;
				continue;
			}
			name = lit + i;
			while (i < len && !isspace((unsigned char)lit[i]) &&
			    lit[i] != '=' && lit[i] != '>' && lit[i] != '/')
				i++;
			namen = (size_t)(lit + i - name);
			if (namen == 0) {
				i++;
				continue;
			}
			while (i < len && isspace((unsigned char)lit[i]))
				i++;
			if (i >= len || lit[i] != '=')
				continue;
			i++;
			while (i < len && isspace((unsigned char)lit[i]))
				i++;
			if (i < len && (lit[i] == '"' || lit[i] == '\'')) {
				const char *e = memchr(lit + i + 1, lit[i],
				    len - i - 1);
				vs = i + 1;
				ve = e == NULL ? len : (size_t)(e - lit);
				i = e == NULL ? len : ve + 1;
			} else {
				vs = i;
				while (i < len && !isspace((unsigned char)lit[i]) &&
				    lit[i] != '>')
					i++;
				ve = i;
			}
			if (!raw_link_attr(tag, tagn, name, namen))
				continue;
			url = raw_attr_decode(lit + vs, ve - vs);
			to = NULL;
			if (url_safe(url)) {
				p = raw_pos(lp, src, n, lit, vs);
				if (src->rewrite != NULL)
					to = src->rewrite(src->rewrite_arg,
					    src->path, url);
				if (src->on_link != NULL)
					src->on_link(src->on_link_arg,
					    to != NULL ? to : url, url, &p);
			}
			if (to != NULL) {
				/* In double quotes, whatever it was in. */
				q = lit[vs - 1] == '"' || lit[vs - 1] == '\'';
				buf_put(&out, lit + done, vs - q - done);
				BUF_PUTSL(&out, "\"");
				buf_puts_html(&out, to);
				BUF_PUTSL(&out, "\"");
				done = ve + (q && ve < len);
				changed = true;
				free(to);
			}
			free(url);
		}
	}
	if (changed) {
		buf_put(&out, lit + done, len - done);
		cmark_node_set_literal(n, out.ptr);
	}
	buf_release(&out);
}

int
md_filter_urls(struct diag *dg, const struct md_src *src, cmark_node *root)
{
	struct linkpos lp;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	cmark_node *n, **unsafe = NULL;
	const char *url;
	struct pos p = { src->path, 0, 0 };
	size_t i, unsafesz = 0;
	int rc = 0;

	memset(&lp, 0, sizeof(lp));
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		if (src->unsafe_html &&
		    (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK ||
		    cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE)) {
			raw_links(&lp, src, n);
			continue;
		}
		if (cmark_node_get_type(n) != CMARK_NODE_LINK &&
		    cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		url = cmark_node_get_url(n);
		if (url == NULL)
			continue;
		p = link_pos(&lp, src, n);
		if (url_safe(url)) {
			char *to = src->rewrite != NULL ?
			    src->rewrite(src->rewrite_arg, src->path, url) :
			    NULL;

			if (src->on_link != NULL)
				src->on_link(src->on_link_arg,
				    to != NULL ? to : url, url, &p);
			if (to != NULL) {
				cmark_node_set_url(n, to);
				free(to);
			}
			continue;
		}
		if (diag_warning(dg, &p, "URL scheme not allowed, link removed "
		    "(use http, https, mailto or a relative URL)") == -1)
			rc = -1;
		cmark_node_set_url(n, "");
		unsafe = xreallocarray(unsafe, unsafesz + 1, sizeof(*unsafe));
		unsafe[unsafesz++] = n;
	}
	cmark_iter_free(it);
	free(lp.lines);
	free(lp.blines);
	/*
	 * The link or image gives way to its text: an <img src=""> is not
	 * valid HTML, and an <a href=""> leads nowhere.
	 */
	for (i = 0; i < unsafesz; i++) {
		cmark_node *c;
		while ((c = cmark_node_first_child(unsafe[i])) != NULL)
			cmark_node_insert_before(unsafe[i], c);
		cmark_node_free(unsafe[i]);
	}
	free(unsafe);
	return rc;
}

/*
 * What a byte of plain text is: 2 an ASCII letter, 1 a byte that no
 * markdown syntax, extension or directive starts with and that HTML
 * keeps as it is (a digit, a space, some punctuation, a line end,
 * UTF-8), 0 anything else.
 */
static int
plain_byte(unsigned char c)
{
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return 2;
	if ((c >= '0' && c <= '9') || c >= 0x80)
		return 1;
	switch (c) {
	case ' ': case ',': case '.': case ';': case '(': case ')': case '-':
	case '?': case '\n':
		return 1;
	default:
		return 0;
	}
}

/*
 * When the text is one paragraph of plain words, which cmark-gfm renders
 * as "<p>text</p>\n" without a parser, the length of that text; 0 when
 * not. Plain: plain_byte() bytes only, valid UTF-8, every line beginning
 * with a letter and ending in no space, no blank line, and no "www."
 * (an autolink). Record values are mostly such text.
 */
static size_t
plain_paragraph(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	bool utf8 = false;
	size_t i;

	if (len > 0 && s[len - 1] == '\n')
		len--;		/* a paragraph's last line end is no text */
	if (len == 0 || plain_byte(s[0]) != 2 || s[len - 1] == ' ' ||
	    s[len - 1] == '\n')
		return 0;
	for (i = 0; i < len; i++) {
		if (plain_byte(s[i]) == 0)
			return 0;
		if (s[i] == '\n' && (s[i - 1] == ' ' || plain_byte(s[i + 1]) != 2))
			return 0;
		if ((s[i] | 0x20) == 'w' && len - i >= 4 &&
		    strncasecmp(text + i, "www.", 4) == 0)
			return 0;
		if (s[i] >= 0x80)
			utf8 = true;
	}
	return utf8 && !utf8_valid(text, len, NULL) ? 0 : len;
}

int
md_render(struct buf *out, struct diag *dg, const struct md_src *src)
{
	cmark_parser *parser;
	cmark_node *doc;
	struct dir_ctx *dir = NULL;
	char *html;
	size_t plain;
	int rc = 0;

	if ((plain = plain_paragraph(src->text, src->len)) > 0) {
		BUF_PUTSL(out, "<p>");
		buf_put(out, src->text, plain);
		BUF_PUTSL(out, "</p>\n");
		return 0;
	}
	if (mdlimit_check(dg, src) == -1)
		return -1;
	parser = md_parser_new(src);
	if (src->env != NULL)
		dir = dir_attach(parser, dg, src);
	md_parser_gfm(parser);
	cmark_parser_feed(parser, src->text, src->len);
	doc = cmark_parser_finish(parser);
	if (doc == NULL)
		die("out of memory");
	/* Before includes are spliced: they are filtered with their own path. */
	if (md_filter_urls(dg, src, doc) == -1)
		rc = -1;
	if (dir != NULL && dir_finish(dir, doc) == -1)
		rc = -1;
	html = cmark_render_html(doc, md_options(src),
	    cmark_parser_get_syntax_extensions(parser));
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	dir_free(dir);
	return rc;
}
