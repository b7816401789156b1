/*
 * The machine outputs: the search index for assets/search.js, the open
 * data under data/, the iCalendar file of action deadlines, robots.txt
 * and sitemap.xml. Their formats are documented in docs/data.md.
 *
 * Every file carries the commit the site was built from; nothing in them
 * depends on the clock (DTSTAMP in the calendar is the time of the commit
 * built, else SOURCE_DATE_EPOCH), so two builds of a commit are the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "buf.h"
#include "changes.h"
#include "config.h"
#include "date.h"
#include "diag.h"
#include "exports.h"
#include "facet.h"
#include "history.h"
#include "jobs.h"
#include "record.h"
#include "site.h"
#include "util.h"

const char *const exports_outputs[] = {
	"assets/search-index.js", "data/actions.csv", "data/datapackage.json",
	"data/vendors.csv", "data/vendors.json", "robots.txt",
	"search-index.json", "sitemap.xml", "timeline/deadlines.ics"
};
const size_t exports_outputsz = NELEM(exports_outputs);

#define PAGE_TEXT_MAX	2000	/* bytes of a page's text in the search index */
#define NOTE_TEXT_MAX	400	/* of a vendor's summary, an action's description */

/* ---- a small JSON writer ---- */

struct json {
	struct buf	*b;
	bool		 compact;	/* no new lines or indentation */
	int		 depth;
	bool		 fresh;		/* nothing written in this object or list yet */
	bool		 keyed;		/* a key was written: its value follows */
};

static void
j_sep(struct json *j)
{
	int i;

	if (j->keyed) {
		j->keyed = false;
		return;
	}
	if (!j->fresh)
		buf_putc(j->b, ',');
	j->fresh = false;
	if (j->compact || j->depth == 0)
		return;
	buf_putc(j->b, '\n');
	for (i = 0; i < j->depth; i++)
		BUF_PUTSL(j->b, "  ");
}

static void
j_begin(struct json *j, char c)
{
	j_sep(j);
	buf_putc(j->b, c);
	j->depth++;
	j->fresh = true;
}

static void
j_end(struct json *j, char c)
{
	int i;

	j->depth--;
	if (!j->fresh && !j->compact) {
		buf_putc(j->b, '\n');
		for (i = 0; i < j->depth; i++)
			BUF_PUTSL(j->b, "  ");
	}
	buf_putc(j->b, c);
	j->fresh = false;
}

static void
j_key(struct json *j, const char *k)
{
	j_sep(j);
	buf_putc(j->b, '"');
	buf_put_json(j->b, k, strlen(k));
	buf_puts(j->b, j->compact ? "\":" : "\": ");
	j->keyed = true;
}

/* A string, or null when s is NULL. */
static void
j_str(struct json *j, const char *s)
{
	j_sep(j);
	if (s == NULL) {
		BUF_PUTSL(j->b, "null");
		return;
	}
	buf_putc(j->b, '"');
	buf_put_json(j->b, s, strlen(s));
	buf_putc(j->b, '"');
}

static void
j_kstr(struct json *j, const char *k, const char *s)
{
	j_key(j, k);
	j_str(j, s);
}

/* A whole number, or null when n is negative. */
static void
j_knum(struct json *j, const char *k, long n)
{
	j_key(j, k);
	j_sep(j);
	if (n < 0)
		BUF_PUTSL(j->b, "null");
	else
		buf_printf(j->b, "%ld", n);
}

static void
j_kbool(struct json *j, const char *k, bool v)
{
	j_key(j, k);
	j_sep(j);
	buf_puts(j->b, v ? "true" : "false");
}

/* A date as "YYYY-MM-DD", or null when absent. */
static void
j_kdate(struct json *j, const char *k, const struct date *d)
{
	j_key(j, k);
	j_sep(j);
	if (d->y == 0) {
		BUF_PUTSL(j->b, "null");
		return;
	}
	buf_putc(j->b, '"');
	date_iso(j->b, d);
	buf_putc(j->b, '"');
}

static void
j_kstrs(struct json *j, const char *k, char *const *v, size_t n)
{
	size_t i;

	j_key(j, k);
	j_begin(j, '[');
	for (i = 0; i < n; i++)
		j_str(j, v[i]);
	j_end(j, ']');
}

/* ---- what every export says about its build ---- */

static const struct history *
hist_of(const struct site *s)
{
	return s->hist != NULL && s->hist->walked ? s->hist : NULL;
}

/* The commit built, or NULL (no repository, an unborn branch). */
static const char *
built_commit(const struct site *s)
{
	return s->hist != NULL && s->hist->head[0] != '\0' ? s->hist->head :
	    NULL;
}

static void
j_built_from(struct json *j, const struct site *s)
{
	j_kstr(j, "title", s->cfg.title);
	j_kstr(j, "license", s->cfg.license);
	j_kstr(j, "generator", "docket " DOCKET_VERSION);
	j_kstr(j, "commit", built_commit(s));
	j_kbool(j, "uncommitted", s->hist != NULL && s->hist->dirty);
	j_kstr(j, "as_of", s->hist != NULL && s->hist->as_of ?
	    s->hist->as_of_rev : NULL);
}

/* The link of an output path: absolute with base_url, else from the root. */
static char *
link_for(const struct site *s, const char *out)
{
	char *u = site_url_for(s, out), *abs;

	if (s->cfg.base_url == NULL)
		return u;
	abs = xasprintf("%s%s", s->cfg.base_url, u);
	free(u);
	return abs;
}

static char *
vendor_link(const struct site *s, const char *id, const char *anchor)
{
	char *out = xasprintf("vendors/%s/index.html", id);
	char *u = link_for(s, out), *res;

	free(out);
	if (anchor == NULL)
		return u;
	res = xasprintf("%s#%s", u, anchor);
	free(u);
	return res;
}

/*
 * The date of the last change to a file of the site (records: the last
 * substantive one). Returns false when unknown: no history, or changes
 * not committed yet.
 */
static bool
last_changed(const struct site *s, const char *src, struct date *out)
{
	const struct history *h = hist_of(s);
	const struct hist_file *f;
	size_t i;

	if (h == NULL || (f = hist_file(h, src)) == NULL || f->uncommitted)
		return false;
	if ((i = hist_last(f)) >= f->revsz)
		return false;
	*out = h->commits[f->revs[i].commit].date;
	return true;
}

/* Keeps the later of *max and the last change of src. */
static void
later_change(const struct site *s, const char *src, struct date *max)
{
	struct date d;

	if (src != NULL && last_changed(s, src, &d) && date_cmp(&d, max) > 0)
		*max = d;
}

static int
write_file(struct site *s, const char *rel, const struct buf *b)
{
	return site_write(s, rel, b->ptr, b->len);
}

/* ---- text helpers ---- */

void
exports_csv_field(struct buf *b, const char *s)
{
	/*
	 * A spreadsheet takes a cell that starts with one of these for a
	 * formula (=HYPERLINK(...) sends the reader's data away): a quote
	 * first makes it text (OWASP, "CSV Injection"). A spreadsheet may
	 * also split cells at ';' (the list separator of many locales) or
	 * at a tab, and a cell after one may start a formula too ("a;=1+2"):
	 * a field holding one is quoted, as one holding a ',' is.
	 */
	bool formula;

	if (s == NULL)
		return;
	formula = *s != '\0' && strchr("=+-@\t\r\n", *s) != NULL;
	if (strpbrk(s, ",;\t\"\r\n") == NULL) {
		if (formula)
			buf_putc(b, '\'');
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/*
 * iCalendar TEXT (RFC 5545 3.3.11): '\\', ';' and ',' escaped, a line
 * break (LF, CRLF or a CR alone) as "\\n", and the control characters
 * TEXT cannot hold (DEL, C0 but tab) as spaces.
 */
void
exports_ics_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
		case ';':
		case ',':
			buf_putc(b, '\\');
			buf_putc(b, *s);
			break;
		case '\r':
			if (s[1] == '\n')
				break;
			/* FALLTHROUGH */
		case '\n':
			BUF_PUTSL(b, "\\n");
			break;
		default:
			if (((unsigned char)*s < ' ' && *s != '\t') ||
			    *s == 0x7f)
				buf_putc(b, ' ');
			else
				buf_putc(b, *s);
		}
	}
}

void
exports_ics_line(struct buf *b, const char *line)
{
	size_t len = strlen(line), room = 75, n, k;

	while (len > room) {
		n = room;
		/* Never cut inside a UTF-8 sequence. */
		while (n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
			n--;
		/*
		 * Nor between a backslash and the character it escapes: an
		 * odd run of backslashes before the cut ends in one.
		 */
		for (k = 0; k < n && line[n - 1 - k] == '\\'; k++)
			continue;
		if (k % 2 == 1 && n > 1)
			n--;
		buf_put(b, line, n);
		BUF_PUTSL(b, "\r\n ");
		line += n;
		len -= n;
		room = 74;	/* the leading space counts */
	}
	buf_put(b, line, len);
	BUF_PUTSL(b, "\r\n");
}

static bool
starts_tag(const char *p, const char *name)
{
	size_t n = strlen(name);

	return strncasecmp(p + 1, name, n) == 0 &&
	    (p[n + 1] == '>' || p[n + 1] == ' ' || p[n + 1] == '\t' ||
	    p[n + 1] == '\n');
}

/*
 * Is the tag at p (its '<') one of an element that stays inside a line of
 * text, opening or closing: those markdown writes ("Z<em>T</em>E", a
 * link, a directive's badge) and the like (<b>, <sup>, <abbr>...)? Any
 * other tag parts words.
 */
static bool
inline_tag(const char *p)
{
	const char *q = p[1] == '/' ? p + 1 : p;

	switch (q[1] | 0x20) {	/* a letter in lower case */
	case 'a':
		return starts_tag(q, "a") || starts_tag(q, "abbr");
	case 'b':
		return starts_tag(q, "b");
	case 'c':
		return starts_tag(q, "code");
	case 'd':
		return starts_tag(q, "del");
	case 'e':
		return starts_tag(q, "em");
	case 'i':
		return starts_tag(q, "i");
	case 'm':
		return starts_tag(q, "mark");
	case 's':
		return starts_tag(q, "strong") || starts_tag(q, "span") ||
		    starts_tag(q, "s") || starts_tag(q, "sub") ||
		    starts_tag(q, "sup") || starts_tag(q, "small");
	case 't':
		return starts_tag(q, "time");
	case 'u':
		return starts_tag(q, "u");
	default:
		return false;
	}
}

/* The first "</name" in p, whatever its case, or NULL. */
static const char *
find_end_tag(const char *p, const char *name)
{
	size_t n = strlen(name);

	for (; (p = strchr(p, '<')) != NULL; p++)
		if (p[1] == '/' && strncasecmp(p + 2, name, n) == 0)
			return p;
	return NULL;
}

/* What ends a run of text in exports_html_text(): 1 a space, 2 the rest. */
static const unsigned char text_stop[256] = {
	[0] = 2, ['<'] = 2, ['&'] = 2, ['\n'] = 2, ['\t'] = 2, ['\r'] = 2,
	[' '] = 1
};

void
exports_html_text(struct buf *b, const char *p, size_t max)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }
	};
	size_t start = b->len, i, n;
	bool space = false;
	const char *end, *q;

	while (*p != '\0' && b->len - start < max) {
		if (*p == '<') {
			if ((p[1] == 's' || p[1] == 'S') &&
			    (starts_tag(p, "script") || starts_tag(p, "style"))) {
				end = find_end_tag(p, starts_tag(p, "script") ?
				    "script" : "style");
				if (end == NULL)
					break;
				p = end;
			}
			if ((end = strchr(p, '>')) == NULL)
				break;
			if (!inline_tag(p))
				space = true;
			p = end + 1;
			continue;
		}
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = true;
			p++;
			continue;
		}
		if (space && b->len > start)
			buf_putc(b, ' ');
		space = false;
		if (*p == '&') {
			for (i = 0; i < NELEM(ents); i++) {
				n = strlen(ents[i].ent);
				if (strncmp(p, ents[i].ent, n) == 0)
					break;
			}
			if (i < NELEM(ents)) {
				buf_putc(b, ents[i].c);
				p += n;
				continue;
			}
		}
		/*
		 * The text up to the next tag, entity, line break or spaces,
		 * at once: a single space between words is part of it.
		 */
		for (q = p; text_stop[(unsigned char)*q] == 0 ||
		    (*q == ' ' && text_stop[(unsigned char)q[1]] == 0); q++)
			continue;
		n = (size_t)(q - p);
		if (n == 0)
			n = 1;	/* an '&' that starts no entity */
		if (n > max - (b->len - start)) {
			/* The last that fits, and never half a character. */
			n = max - (b->len - start);
			while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
				n--;
			buf_put(b, p, n);
			break;
		}
		buf_put(b, p, n);
		p += n;
	}
	if (b->len - start > max) {
		n = start + max;
		while (n > start && ((unsigned char)b->ptr[n] & 0xC0) == 0x80)
			n--;
		buf_truncate(b, n);
	}
}

/*
 * The length of the element whose start tag is at p, through its end tag
 * (what is left of p when it has none): the HTML of a block of markdown,
 * where every '<' starts a tag. A comment or declaration of raw HTML
 * ends at its "-->" or '>'; "<!-->" and "<!--->" are whole comments, in
 * HTML as in cmark-gfm.
 */
static size_t
element_len(const char *p)
{
	const char *q, *gt;
	size_t n = 0, depth = 1;
	char c;

	if (strncmp(p, "<!--", 4) == 0)
		return (q = strstr(p + 2, "-->")) != NULL ?
		    (size_t)(q + 3 - p) : strlen(p);
	while (p[1 + n] != '\0' && strchr("abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", p[1 + n]) != NULL)
		n++;
	gt = strchr(p, '>');
	if (n == 0)
		return gt != NULL ? (size_t)(gt + 1 - p) : strlen(p);
	if (gt != NULL && gt > p && gt[-1] == '/')
		return (size_t)(gt + 1 - p);	/* <hr /> */
	/* Its start tag counts whatever follows its name. */
	for (q = p + 1 + n; (q = strchr(q, '<')) != NULL; q++) {
		if (q[1] == '/' && strncasecmp(q + 2, p + 1, n) == 0 &&
		    q[n + 2] == '>') {
			if (--depth == 0)
				return (size_t)(q + n + 3 - p);
		} else if (strncasecmp(q + 1, p + 1, n) == 0 &&
		    (c = q[n + 1]) != '\0' && strchr("> \t\r\n\f/", c) != NULL)
			depth++;
	}
	return strlen(p);
}

/* Whether the element at p is a heading or a rule. */
static bool
heading_or_rule(const char *p)
{
	return ((p[1] | 0x20) == 'h' && p[2] >= '1' && p[2] <= '6') ||
	    strncmp(p, "<hr", 3) == 0;
}

/* Appends the text of the n bytes of HTML at p, as a description takes it. */
static void
element_text(struct buf *t, const char *p, size_t n)
{
	char *el = xstrndup(p, n);

	exports_html_text(t, el, 4 * EXPORTS_DESC_MAX);
	free(el);
}

char *
exports_html_description(const char *html, bool any)
{
	struct buf t = BUF_INIT;
	const char *p, *block = NULL;
	size_t n;

	if (html == NULL)
		return NULL;
	/*
	 * The first paragraph with text (not an image alone); an HTML block
	 * may be indented, the first too.
	 */
	for (p = html + strspn(html, " \t\r\n"); *p == '<' && t.len == 0;
	    p += strspn(p, " \t\r\n")) {
		n = element_len(p);
		if (strncmp(p, "<p>", 3) == 0)
			element_text(&t, p, n);
		else if (block == NULL && p[1] != '!' && !heading_or_rule(p))
			block = p;
		p += n;
	}
	if (t.len == 0 && any && *html != '\0') {
		p = block != NULL ? block : html;
		element_text(&t, p, *p == '<' ? element_len(p) : strlen(p));
	}
	if (t.len > EXPORTS_DESC_MAX) {
		/*
		 * After the last whole word that fits, else (a word longer
		 * than half of it) after a whole character.
		 */
		for (n = EXPORTS_DESC_MAX; n > 0 && t.ptr[n] != ' '; n--)
			continue;
		if (n < EXPORTS_DESC_MAX / 2)
			for (n = EXPORTS_DESC_MAX;
			    n > 0 && ((unsigned char)t.ptr[n] & 0xC0) == 0x80; n--)
				continue;
		while (n > 0 && strchr(" ,;:", t.ptr[n - 1]) != NULL)
			n--;
		buf_truncate(&t, n);
		/* Nothing to add after a sentence; punctuation alone: none. */
		if (n > 0 && strchr(".!?", t.ptr[n - 1]) == NULL)
			buf_puts(&t, "…");
	}
	if (t.len == 0) {
		buf_release(&t);
		return NULL;
	}
	return buf_detach(&t);
}

/* ---- search index ---- */

/* ASCII punctuation, cut from both ends of a word of the index. */
static bool
is_punct(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* What ends a word of the index: a space, a line break, a tab, the end. */
static const unsigned char word_stop[256] = {
	[0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1
};

/*
 * The table of the words kept, for each thread: made again for every item,
 * it cost more than finding the words. A slot is in use when its stamp is
 * the call's; a call takes a new stamp instead of clearing the table.
 */
struct word {
	size_t		off;	/* in b */
	uint32_t	len;
	uint32_t	stamp;
};
static _Thread_local struct word *kept;
static _Thread_local size_t keptcap;
static _Thread_local uint32_t keptstamp;
#define KEPT_MAX	8192	/* slots: 128 KB, for a text of 8 KB */

void
exports_search_words(struct buf *b, const char *text)
{
	struct word *slot;
	size_t start = b->len, len = strlen(text), cap, n, h, k, at;
	uint32_t stamp;
	const char *p = text, *q;
	char *w;

	for (cap = 16; cap < len; cap *= 2)
		continue;	/* more than twice the words there can be */
	if (cap > KEPT_MAX) {
		/* A text far longer than an item's: a table of its own. */
		slot = xcalloc(cap, sizeof(*slot));
		stamp = 1;
	} else {
		if (cap > keptcap || ++keptstamp == 0) {
			if (cap > keptcap) {
				free(kept);
				kept = xcalloc(cap, sizeof(*kept));
				keptcap = cap;
			} else
				memset(kept, 0, keptcap * sizeof(*kept));
			keptstamp = 1;
		}
		slot = kept;
		stamp = keptstamp;
	}
	/* Room for every word and a space before each: no test per byte. */
	buf_grow(b, len + 1);
	for (;;) {
		while (*p != '\0' && word_stop[(unsigned char)*p])
			p++;
		if (*p == '\0')
			break;
		for (q = p + 1; !word_stop[(unsigned char)*q]; q++)
			continue;
		for (n = (size_t)(q - p); n > 0 && is_punct(*p); n--)
			p++;
		while (n > 0 && is_punct(p[n - 1]))
			n--;
		if (n > 0) {
			at = b->len + (b->len > start);
			w = b->ptr + at;
			h = 2166136261u;
			for (k = 0; k < n; k++) {
				unsigned char c = (unsigned char)p[k];

				if (c >= 'A' && c <= 'Z')
					c = (unsigned char)(c - 'A' + 'a');
				w[k] = (char)c;
				h = (h ^ c) * 16777619u;
			}
			for (h &= cap - 1; slot[h].stamp == stamp;
			    h = (h + 1) & (cap - 1))
				if (slot[h].len == n && memcmp(b->ptr +
				    slot[h].off, w, n) == 0)
					break;
			if (slot[h].stamp != stamp) {	/* not kept already */
				slot[h].off = at;
				slot[h].len = (uint32_t)n;
				slot[h].stamp = stamp;
				if (at > b->len)
					b->ptr[b->len] = ' ';
				b->len = at + n;
			}
		}
		p = q;
	}
	b->ptr[b->len] = '\0';
	if (slot != kept)
		free(slot);
}

static void
search_item(struct json *j, const char *kind, const char *title,
    const char *url, const char *meta, const char *text)
{
	struct buf words = BUF_INIT;

	exports_search_words(&words, text != NULL ? text : "");
	/* Each item on a line of its own, which search.js parses alone. */
	if (!j->fresh)
		buf_putc(j->b, ',');
	buf_putc(j->b, '\n');
	j->fresh = true;
	j_begin(j, '{');
	j_kstr(j, "kind", kind);
	j_kstr(j, "title", title);
	j_kstr(j, "url", url);
	j_kstr(j, "meta", meta);
	j_kstr(j, "text", words.len > 0 ? words.ptr : "");
	j_end(j, '}');
	buf_release(&words);
}

static void
join(struct buf *b, char *const *v, size_t n, const char *sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, sep);
		buf_puts(b, v[i]);
	}
}


void
exports_page_search(struct buf *b, const struct site *s,
    const struct page *pg, const char *title, const char *html)
{
	struct json j = { b, true, 1, true, false };
	struct buf text = BUF_INIT;
	char *url;

	if (site_is_intro(pg->out))
		return;
	url = site_url_for(s, pg->out);
	if (pg->description != NULL) {
		buf_puts(&text, pg->description);
		buf_putc(&text, ' ');
	}
	if (html != NULL)
		exports_html_text(&text, html, PAGE_TEXT_MAX);
	search_item(&j, "page", title, url, pg->description, text.ptr);
	free(url);
	buf_release(&text);
}

/*
 * Adds the words of a record's markdown (a summary, a description), as
 * its page shows it (html, NULL: none), to a search item's text, after a
 * space when there is text already: the start of it.
 */
static void
note_text(struct buf *text, const char *html)
{
	size_t len = text->len, sep;

	if (html == NULL || html[0] == '\0')
		return;
	if (len > 0)
		buf_putc(text, ' ');
	sep = text->len;
	exports_html_text(text, html, NOTE_TEXT_MAX);
	if (text->len == sep)	/* markup alone: no words */
		buf_truncate(text, len);
}

void
exports_vendor_search(struct buf *b, const struct site *s,
    const struct record *r, const char *summary, const char *const *desc)
{
	struct json j = { b, true, 1, true, false };
	struct buf meta = BUF_INIT, text = BUF_INIT;
	const struct action *a;
	char *out, *url, *aurl;
	size_t k;

	out = xasprintf("vendors/%s/index.html", r->id);
	url = site_url_for(s, out);
	buf_printf(&meta, "%s · %s", status_label(r->status), r->country);
	join(&text, r->aliases, r->aliasesz, " ");
	if (r->aliasesz > 0 && r->productsz > 0)
		buf_putc(&text, ' ');
	join(&text, r->products, r->productsz, " ");
	note_text(&text, summary);
	search_item(&j, "vendor", r->name, url, meta.ptr, text.ptr);
	for (k = 0; k < r->actionsz; k++) {
		a = &r->actions[k];
		aurl = xasprintf("%s#%s", url, a->id);
		buf_truncate(&meta, 0);
		buf_printf(&meta, "%s · %s · %s · ",
		    action_type_label(a->type), a->authority, r->name);
		date_format(&meta, s->cfg.date_format, &a->date);
		buf_truncate(&text, 0);
		if (a->scope != NULL)
			buf_puts(&text, a->scope);
		note_text(&text, desc[k]);
		search_item(&j, "action", a->title, aurl, meta.ptr, text.ptr);
		free(aurl);
	}
	free(url);
	free(out);
	buf_release(&meta);
	buf_release(&text);
}

/*
 * search-index.json and assets/search-index.js: an item for each vendor
 * (its aliases, products and summary searched too), action (its scope
 * and description too), page and facet term.
 * URLs are paths from the site root, as templates use them.
 */
static int
write_search(struct site *s, const struct facets *fc,
    const struct buf *vendor_items, const struct buf *page_items)
{
	struct buf b = BUF_INIT, meta = BUF_INIT;
	struct json j = { &b, true, 0, true, false };
	char *out, *url, *title;
	size_t i, k, pre;
	int kind, rc;

	/*
	 * The index as a script too, for pages opened from disk: the same
	 * bytes after a line of its own, which b holds first, so that the
	 * two files are written from one buffer of 24 MB at N = 20,000, not
	 * two (docs/performance.md, item 68).
	 */
	BUF_PUTSL(&b, "/* The search index of this site (search-index.json), "
	    "for pages opened from disk. */\nwindow.docketSearchIndex = ");
	pre = b.len;
	j_begin(&j, '{');
	j_kstr(&j, "commit", built_commit(s));
	j_key(&j, "items");
	j_begin(&j, '[');
	/*
	 * The records' items and the pages', made where each record's and
	 * page's own page was rendered (by the processes of -j).
	 */
	for (i = 0, k = 0; i < s->recordsz; i++)
		k += vendor_items[i].len + 1;
	for (i = 0; i < s->pagesz; i++)
		k += page_items[i].len + 1;
	buf_grow(&b, k + 2);
	for (i = 0; i < s->recordsz + s->pagesz; i++) {
		const struct buf *it = i < s->recordsz ? &vendor_items[i] :
		    &page_items[i - s->recordsz];

		if (it->len == 0)
			continue;
		if (!j.fresh)
			buf_putc(&b, ',');
		buf_put(&b, it->ptr, it->len);
		j.fresh = false;
	}
	for (kind = 0; kind < FACET__MAX; kind++)
		for (i = 0; i < fc->termsz[kind]; i++) {
			const struct facet_term *t = &fc->terms[kind][i];
			out = facet_out((enum facet_kind)kind, t->key);
			url = site_url_for(s, out);
			title = xasprintf("%s: %s",
			    facet_kind_label((enum facet_kind)kind), t->label);
			buf_truncate(&meta, 0);
			buf_printf(&meta, "%zu vendor%s", t->vendors,
			    t->vendors == 1 ? "" : "s");
			if (kind >= FACET_AUTHORITY)
				buf_printf(&meta, ", %zu action%s", t->actions,
				    t->actions == 1 ? "" : "s");
			search_item(&j, "list", title, url, meta.ptr, t->key);
			free(title);
			free(url);
			free(out);
		}
	buf_putc(&b, '\n');
	j_end(&j, ']');
	j_end(&j, '}');
	buf_putc(&b, '\n');
	rc = site_write(s, "search-index.json", b.ptr + pre, b.len - pre);
	/* The script: its statement ends where the JSON's last line does. */
	b.ptr[b.len - 1] = ';';
	buf_putc(&b, '\n');
	if (rc == 0)
		rc = site_write(s, "assets/search-index.js", b.ptr, b.len);
	buf_release(&b);
	buf_release(&meta);
	return rc;
}

/* ---- open data ---- */

static void
j_action(struct json *j, const struct site *s, const struct record *r,
    const struct action *a)
{
	char *u;
	size_t i;

	j_begin(j, '{');
	j_kstr(j, "id", a->id);
	j_kstr(j, "type", action_type_key(a->type));
	j_kdate(j, "date", &a->date);
	j_kstr(j, "authority", a->authority);
	j_kstr(j, "title", a->title);
	j_kstr(j, "scope", a->scope);
	j_kstr(j, "description", a->description.text);
	j_kdate(j, "deadline", &a->deadline);
	j_knum(j, "deadline_days", a->deadline_days);
	u = vendor_link(s, r->id, a->id);
	j_kstr(j, "url", u);
	free(u);
	j_key(j, "sources");
	j_begin(j, '[');
	for (i = 0; i < a->sourcesz; i++) {
		const struct source *src = &a->sources[i];
		j_begin(j, '{');
		j_kstr(j, "href", src->href);
		j_kstr(j, "publisher", src->publisher);
		j_kdate(j, "date", &src->date);
		j_kdate(j, "accessed", &src->accessed);
		j_kstr(j, "archived", src->archived);
		j_end(j, '}');
	}
	j_end(j, ']');
	j_end(j, '}');
}

static int
write_vendors_json(struct site *s)
{
	struct buf b = BUF_INIT;
	struct json j = { &b, false, 0, true, false };
	const struct record *r;
	struct date d;
	char *u;
	size_t i, k;
	int rc;

	j_begin(&j, '{');
	j_built_from(&j, s);
	j_key(&j, "vendors");
	j_begin(&j, '[');
	for (i = 0; i < s->recordsz; i++) {
		r = s->records[i];
		j_begin(&j, '{');
		j_kstr(&j, "id", r->id);
		j_kstr(&j, "name", r->name);
		u = vendor_link(s, r->id, NULL);
		j_kstr(&j, "url", u);
		free(u);
		j_kstrs(&j, "aliases", r->aliases, r->aliasesz);
		j_key(&j, "country");
		j_begin(&j, '{');
		j_kstr(&j, "code", r->country_code);
		j_kstr(&j, "name", r->country);
		j_end(&j, '}');
		j_kstr(&j, "website", r->website);
		j_kstr(&j, "status", status_key(r->status));
		j_kstrs(&j, "products", r->products, r->productsz);
		j_kstr(&j, "summary", r->summary.text);
		j_key(&j, "actions");
		j_begin(&j, '[');
		for (k = 0; k < r->actionsz; k++)
			j_action(&j, s, r, &r->actions[k]);
		j_end(&j, ']');
		j_key(&j, "responses");
		j_begin(&j, '[');
		for (k = 0; k < r->responsesz; k++) {
			j_begin(&j, '{');
			j_kdate(&j, "date", &r->responses[k].date);
			j_kstr(&j, "href", r->responses[k].href);
			j_kstr(&j, "text", r->responses[k].text.text);
			j_end(&j, '}');
		}
		j_end(&j, ']');
		j_kstr(&j, "note", r->note.text);
		j_kbool(&j, "draft", r->draft);
		memset(&d, 0, sizeof(d));
		last_changed(s, r->path, &d);
		j_kdate(&j, "last_changed", &d);
		j_end(&j, '}');
	}
	j_end(&j, ']');
	j_end(&j, '}');
	buf_putc(&b, '\n');
	rc = write_file(s, "data/vendors.json", &b);
	buf_release(&b);
	return rc;
}

/* A column of the CSV files, as docs/data.md and datapackage.json give it. */
struct column {
	const char	*name;
	const char	*type;		/* Frictionless Table Schema type */
	const char	*about;
};

static const struct column vendor_cols[] = {
	{ "id", "string", "Record id: the file content/vendors/<id>.xml" },
	{ "name", "string", "Name of the vendor" },
	{ "aliases", "string", "Other names, separated by \"; \"" },
	{ "country_code", "string", "ISO 3166-1 alpha-2 code" },
	{ "country", "string", "Country name" },
	{ "website", "string", "The vendor's website; empty when unknown" },
	{ "status", "string", "approved, under-review, restricted, banned or lifted" },
	{ "products", "string", "Products named in the record, separated by \"; \"" },
	{ "actions", "integer", "Number of actions recorded" },
	{ "first_action_date", "date", "Date of the earliest action; empty without actions" },
	{ "latest_action_date", "date", "Date of the latest action; empty without actions" },
	{ "latest_action", "string", "Title of the latest action" },
	{ "last_changed", "date", "Date of the last commit that changed a field of the record; empty without history" },
	{ "url", "string", "The vendor's page" },
};

static const struct column action_cols[] = {
	{ "vendor_id", "string", "Record id of the vendor" },
	{ "vendor_name", "string", "Name of the vendor" },
	{ "action_id", "string", "Action id, unique within its vendor" },
	{ "type", "string", "directive, law, regulation, delisting, listing, hearing, investigation, guidance, sanction or lifting" },
	{ "date", "date", "Date of the action" },
	{ "authority", "string", "Who took the action" },
	{ "title", "string", "Title of the action" },
	{ "scope", "string", "Whom the action applies to; may be empty" },
	{ "deadline", "date", "Deadline to comply; empty when none" },
	{ "deadline_days", "integer", "The deadline in days after the date, when the record gives it so" },
	{ "sources", "string", "URLs of the sources, separated by spaces" },
	{ "url", "string", "The action on its vendor's page" },
};

static void
csv_header(struct buf *b, const struct column *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_puts(b, cols[i].name);
	}
	BUF_PUTSL(b, "\r\n");
}

static void
csv_date(struct buf *b, const struct date *d)
{
	if (d->y != 0)
		date_iso(b, d);
}

static int
write_vendors_csv(struct site *s)
{
	struct buf b = BUF_INIT, f = BUF_INIT;
	const struct record *r;
	const struct action *first, *latest;
	struct date d;
	char *u;
	size_t i, k;
	int rc;

	csv_header(&b, vendor_cols, NELEM(vendor_cols));
	for (i = 0; i < s->recordsz; i++) {
		r = s->records[i];
		first = latest = NULL;
		for (k = 0; k < r->actionsz; k++) {
			if (first == NULL ||
			    date_cmp(&r->actions[k].date, &first->date) < 0)
				first = &r->actions[k];
			if (latest == NULL ||
			    date_cmp(&r->actions[k].date, &latest->date) >= 0)
				latest = &r->actions[k];
		}
		exports_csv_field(&b, r->id);
		buf_putc(&b, ',');
		exports_csv_field(&b, r->name);
		buf_putc(&b, ',');
		buf_truncate(&f, 0);
		join(&f, r->aliases, r->aliasesz, "; ");
		exports_csv_field(&b, f.ptr);
		buf_putc(&b, ',');
		exports_csv_field(&b, r->country_code);
		buf_putc(&b, ',');
		exports_csv_field(&b, r->country);
		buf_putc(&b, ',');
		exports_csv_field(&b, r->website);
		buf_putc(&b, ',');
		exports_csv_field(&b, status_key(r->status));
		buf_putc(&b, ',');
		buf_truncate(&f, 0);
		join(&f, r->products, r->productsz, "; ");
		exports_csv_field(&b, f.ptr);
		buf_printf(&b, ",%zu,", r->actionsz);
		if (first != NULL)
			csv_date(&b, &first->date);
		buf_putc(&b, ',');
		if (latest != NULL)
			csv_date(&b, &latest->date);
		buf_putc(&b, ',');
		if (latest != NULL)
			exports_csv_field(&b, latest->title);
		buf_putc(&b, ',');
		if (last_changed(s, r->path, &d))
			csv_date(&b, &d);
		buf_putc(&b, ',');
		u = vendor_link(s, r->id, NULL);
		exports_csv_field(&b, u);
		free(u);
		BUF_PUTSL(&b, "\r\n");
	}
	rc = write_file(s, "data/vendors.csv", &b);
	buf_release(&b);
	buf_release(&f);
	return rc;
}

static int
write_actions_csv(struct site *s)
{
	struct buf b = BUF_INIT, f = BUF_INIT;
	const struct record *r;
	const struct action *a;
	char *u;
	size_t i, k, n;
	int rc;

	csv_header(&b, action_cols, NELEM(action_cols));
	for (i = 0; i < s->recordsz; i++) {
		r = s->records[i];
		for (k = 0; k < r->actionsz; k++) {
			a = &r->actions[k];
			exports_csv_field(&b, r->id);
			buf_putc(&b, ',');
			exports_csv_field(&b, r->name);
			buf_putc(&b, ',');
			exports_csv_field(&b, a->id);
			buf_putc(&b, ',');
			exports_csv_field(&b, action_type_key(a->type));
			buf_putc(&b, ',');
			csv_date(&b, &a->date);
			buf_putc(&b, ',');
			exports_csv_field(&b, a->authority);
			buf_putc(&b, ',');
			exports_csv_field(&b, a->title);
			buf_putc(&b, ',');
			exports_csv_field(&b, a->scope);
			buf_putc(&b, ',');
			csv_date(&b, &a->deadline);
			buf_putc(&b, ',');
			if (a->deadline_days >= 0)
				buf_printf(&b, "%ld", a->deadline_days);
			buf_putc(&b, ',');
			buf_truncate(&f, 0);
			for (n = 0; n < a->sourcesz; n++) {
				if (n > 0)
					buf_putc(&f, ' ');
				buf_puts(&f, a->sources[n].href);
			}
			exports_csv_field(&b, f.ptr);
			buf_putc(&b, ',');
			u = vendor_link(s, r->id, a->id);
			exports_csv_field(&b, u);
			free(u);
			BUF_PUTSL(&b, "\r\n");
		}
	}
	rc = write_file(s, "data/actions.csv", &b);
	buf_release(&b);
	buf_release(&f);
	return rc;
}

static void
j_resource(struct json *j, const char *name, const char *path,
    const struct column *cols, size_t n)
{
	size_t i;

	j_begin(j, '{');
	j_kstr(j, "name", name);
	j_kstr(j, "path", path);
	j_kstr(j, "profile", "tabular-data-resource");
	j_kstr(j, "format", "csv");
	j_kstr(j, "mediatype", "text/csv");
	j_kstr(j, "encoding", "utf-8");
	j_key(j, "schema");
	j_begin(j, '{');
	j_key(j, "fields");
	j_begin(j, '[');
	for (i = 0; i < n; i++) {
		j_begin(j, '{');
		j_kstr(j, "name", cols[i].name);
		j_kstr(j, "type", cols[i].type);
		j_kstr(j, "description", cols[i].about);
		j_end(j, '}');
	}
	j_end(j, ']');
	j_end(j, '}');
	j_end(j, '}');
}

/*
 * data/datapackage.json: a Frictionless Data Package describing the two
 * CSV files, with the licence and the commit built, which CSV cannot
 * carry itself.
 */
static int
write_datapackage(struct site *s)
{
	struct buf b = BUF_INIT;
	struct json j = { &b, false, 0, true, false };
	char *name, *p;
	int rc;

	j_begin(&j, '{');
	j_kstr(&j, "profile", "tabular-data-package");
	name = facet_slug(s->cfg.title);
	j_kstr(&j, "name", name);
	free(name);
	j_built_from(&j, s);
	if (s->cfg.license != NULL) {
		/* "CC BY 4.0" gives the SPDX-style name "CC-BY-4.0". */
		name = xstrdup(s->cfg.license);
		for (p = name; *p != '\0'; p++)
			if (*p == ' ')
				*p = '-';
		j_key(&j, "licenses");
		j_begin(&j, '[');
		j_begin(&j, '{');
		j_kstr(&j, "name", name);
		j_kstr(&j, "title", s->cfg.license);
		j_end(&j, '}');
		j_end(&j, ']');
		free(name);
	}
	j_key(&j, "resources");
	j_begin(&j, '[');
	j_resource(&j, "vendors", "vendors.csv", vendor_cols,
	    NELEM(vendor_cols));
	j_resource(&j, "actions", "actions.csv", action_cols,
	    NELEM(action_cols));
	j_end(&j, ']');
	j_end(&j, '}');
	buf_putc(&b, '\n');
	rc = write_file(s, "data/datapackage.json", &b);
	buf_release(&b);
	return rc;
}

/* ---- the deadlines calendar ---- */

static void
ics_utc(struct buf *b, long long t)
{
	struct date d;
	long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	long long sec = t - days * 86400;

	date_from_days(&d, (long)days);
	buf_printf(b, "%04d%02d%02dT%02lld%02lld%02lldZ", d.y, d.m, d.d,
	    sec / 3600, sec / 60 % 60, sec % 60);
}

static void
ics_date(struct buf *b, const struct date *d)
{
	buf_printf(b, "%04d%02d%02d", d->y, d->m, d->d);
}

/* The time the calendar was made: the commit built, else SOURCE_DATE_EPOCH. */
static long long
stamp_time(const struct site *s)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (built_commit(s) != NULL)
		return s->hist->head_time;
	if (sde != NULL && *sde != '\0') {
		t = strtoll(sde, &end, 10);
		if (*end == '\0' && t >= 0)
			return t;
	}
	return 0;
}

/*
 * timeline/deadlines.ics: one all-day event on the deadline of each
 * action that has one. UIDs are made of the vendor and action ids and
 * the repository's first commit, so they stay the same across builds
 * and base_url changes. Not written when no action has a deadline (a
 * calendar must hold a component).
 */
static int
write_ics(struct site *s)
{
	struct buf b = BUF_INIT, l = BUF_INIT, stamp = BUF_INIT;
	const struct history *h = hist_of(s);
	const struct record *r;
	const struct action *a;
	struct date end;
	char *u;
	size_t i, k, n = 0;
	int rc = 0;

	ics_utc(&stamp, stamp_time(s));
	exports_ics_line(&b, "BEGIN:VCALENDAR");
	exports_ics_line(&b, "VERSION:2.0");
	exports_ics_line(&b, "PRODID:-//docket//docket " DOCKET_VERSION "//EN");
	exports_ics_line(&b, "CALSCALE:GREGORIAN");
	exports_ics_line(&b, "METHOD:PUBLISH");
	BUF_PUTSL(&l, "X-WR-CALNAME:");
	exports_ics_text(&l, s->cfg.title);
	BUF_PUTSL(&l, ": deadlines");
	exports_ics_line(&b, l.ptr);
	for (i = 0; i < s->recordsz; i++) {
		r = s->records[i];
		for (k = 0; k < r->actionsz; k++) {
			a = &r->actions[k];
			if (a->deadline.y == 0)
				continue;
			n++;
			exports_ics_line(&b, "BEGIN:VEVENT");
			buf_truncate(&l, 0);
			buf_printf(&l, "UID:%s.%s.deadline@%.*s.docket", r->id,
			    a->id, HIST_SHORT, h != NULL && h->root_id != NULL ?
			    h->root_id : "register");
			exports_ics_line(&b, l.ptr);
			buf_truncate(&l, 0);
			buf_printf(&l, "DTSTAMP:%s", stamp.ptr);
			exports_ics_line(&b, l.ptr);
			buf_truncate(&l, 0);
			BUF_PUTSL(&l, "DTSTART;VALUE=DATE:");
			ics_date(&l, &a->deadline);
			exports_ics_line(&b, l.ptr);
			/*
			 * The day after, which 9999-12-31 does not have in a
			 * DATE: without DTEND, an event on a date lasts that
			 * day (RFC 5545 3.6.1).
			 */
			date_add_days(&end, &a->deadline, 1);
			if (end.y <= 9999) {
				buf_truncate(&l, 0);
				BUF_PUTSL(&l, "DTEND;VALUE=DATE:");
				ics_date(&l, &end);
				exports_ics_line(&b, l.ptr);
			}
			buf_truncate(&l, 0);
			BUF_PUTSL(&l, "SUMMARY:");
			exports_ics_text(&l, "Deadline: ");
			exports_ics_text(&l, a->title);
			exports_ics_text(&l, " (");
			exports_ics_text(&l, r->name);
			exports_ics_text(&l, ")");
			exports_ics_line(&b, l.ptr);
			buf_truncate(&l, 0);
			BUF_PUTSL(&l, "DESCRIPTION:");
			{
				struct buf t = BUF_INIT;
				buf_printf(&t, "%s: %s, ", action_type_label(a->type),
				    a->authority);
				date_format(&t, s->cfg.date_format, &a->date);
				if (a->deadline_days >= 0)
					buf_printf(&t, ". Deadline %ld day%s later.",
					    a->deadline_days,
					    a->deadline_days == 1 ? "" : "s");
				else
					BUF_PUTSL(&t, ".");
				if (a->scope != NULL)
					buf_printf(&t, "\nScope: %s", a->scope);
				exports_ics_text(&l, t.ptr);
				buf_release(&t);
			}
			exports_ics_line(&b, l.ptr);
			buf_truncate(&l, 0);
			BUF_PUTSL(&l, "CATEGORIES:");
			exports_ics_text(&l, action_type_label(a->type));
			exports_ics_line(&b, l.ptr);
			if (s->cfg.base_url != NULL) {
				u = vendor_link(s, r->id, a->id);
				buf_truncate(&l, 0);
				buf_printf(&l, "URL:%s", u);
				exports_ics_line(&b, l.ptr);
				free(u);
			}
			exports_ics_line(&b, "TRANSP:TRANSPARENT");
			exports_ics_line(&b, "END:VEVENT");
		}
	}
	exports_ics_line(&b, "END:VCALENDAR");
	if (n > 0)
		rc = write_file(s, "timeline/deadlines.ics", &b);
	buf_release(&b);
	buf_release(&l);
	buf_release(&stamp);
	return rc;
}

/* ---- robots.txt and the sitemap ---- */

/*
 * The latest date of n entries of the change lists from `first` into *d:
 * the first is the newest commit, but an author date need not follow the
 * commits (a rebased commit keeps its own).
 */
static void
newest_entry(const struct history *h, size_t first, size_t n,
    struct date *d)
{
	const struct hist_entry *e;
	const struct date *c;
	size_t i;

	for (i = first; i < first + n && i < h->entrysz; i++) {
		e = &h->entries[i];
		c = &h->commits[h->files[e->file].revs[e->rev].commit].date;
		if (d->y == 0 || date_cmp(c, d) > 0)
			*d = *c;
	}
}

/*
 * A URL as sitemaps.org has it, RFC 3986's: the bytes of characters
 * beyond ASCII (the "é" of "café/") percent-encoded, as browsers send
 * them. (A page's name cannot hold the ASCII characters a URL cannot.)
 * Caller frees.
 */
static char *
uri_encode(const char *u)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)u; *p != '\0'; p++)
		if (*p >= 0x80) {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 0xf]);
		} else
			buf_putc(&b, (char)*p);
	return buf_detach(&b);
}

static void
sitemap_url(struct buf *b, const struct site *s, const char *out,
    const struct date *lastmod)
{
	char *link = link_for(s, out), *u = uri_encode(link);

	free(link);
	BUF_PUTSL(b, "  <url>\n    <loc>");
	buf_puts_html(b, u);
	BUF_PUTSL(b, "</loc>\n");
	if (lastmod != NULL && lastmod->y != 0) {
		BUF_PUTSL(b, "    <lastmod>");
		date_iso(b, lastmod);
		BUF_PUTSL(b, "</lastmod>\n");
	}
	BUF_PUTSL(b, "  </url>\n");
	free(u);
}

/* Moves *max to d when d is later. */
static void
later_date(struct date *max, const struct date *d)
{
	if (date_cmp(d, max) > 0)
		*max = *d;
}

/*
 * The last change of any record into *all, and of the records of each
 * term into when[k][term], in one pass over the records.
 */
static void
records_changed(const struct site *s, const struct facets *fc,
    struct date *all, struct date *when[FACET__MAX])
{
	const struct record *r;
	struct date d;
	char *key;
	size_t i, j, pos;
	int k;

	for (i = 0; i < s->recordsz; i++) {
		r = s->records[i];
		memset(&d, 0, sizeof(d));
		later_change(s, r->path, &d);
		if (d.y == 0)
			continue;
		later_date(all, &d);
		for (k = 0; k < FACET__MAX; k++) {
			if (k == FACET_STATUS || k == FACET_COUNTRY) {
				key = facet_vendor_key((enum facet_kind)k, r);
				pos = facets_find(fc, (enum facet_kind)k, key);
				if (pos != (size_t)-1)
					later_date(&when[k][pos], &d);
				free(key);
				continue;
			}
			for (j = 0; j < r->actionsz; j++) {
				key = facet_action_key(s->authorities,
				    (enum facet_kind)k, &r->actions[j]);
				pos = facets_find(fc, (enum facet_kind)k, key);
				if (pos != (size_t)-1)
					later_date(&when[k][pos], &d);
				free(key);
			}
		}
	}
}

static const char *
intro_src(const struct site *s, const char *out)
{
	size_t i;

	for (i = 0; i < s->pagesz; i++)
		if (strcmp(s->pages[i].out, out) == 0)
			return s->pages[i].src;
	return NULL;
}

/*
 * sitemap.xml (sitemaps.org 0.9): every HTML page but 404.html and the
 * pages that only redirect, with the date of its last change when the
 * build has history. Lists are dated by the latest change of what they
 * list.
 */
static int
write_sitemap(struct site *s, const struct facets *fc)
{
	static const char *const lists[] = {
		"index.html", "vendors/index.html", "timeline/index.html"
	};
	const struct history *h = hist_of(s);
	const struct hist_file **tomb = NULL;
	struct buf b = BUF_INIT;
	struct date d, all;
	struct changes_year *ys;
	struct date *when[FACET__MAX];
	char *out;
	size_t i, n, p, ny;
	int k, rc;

	memset(&all, 0, sizeof(all));
	for (k = 0; k < FACET__MAX; k++)
		when[k] = xcalloc(fc->termsz[k] + 1, sizeof(*when[k]));
	records_changed(s, fc, &all, when);
	BUF_PUTSL(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (i = 0; i < NELEM(lists); i++) {
		d = all;
		later_change(s, intro_src(s, lists[i]), &d);
		sitemap_url(&b, s, lists[i], &d);
	}
	/* The timeline's lists by year, when it has them. */
	ny = changes_timeline_years(s, &ys);
	for (i = 0; i < ny; i++)
		for (p = 1; p <= ys[i].pages; p++) {
			out = changes_page_out("timeline", ys[i].year, p);
			sitemap_url(&b, s, out, &all);
			free(out);
		}
	free(ys);
	for (i = 0; i < s->pagesz; i++) {
		if (site_is_intro(s->pages[i].out))
			continue;
		memset(&d, 0, sizeof(d));
		later_change(s, s->pages[i].src, &d);
		sitemap_url(&b, s, s->pages[i].out, &d);
	}
	for (i = 0; i < s->recordsz; i++) {
		memset(&d, 0, sizeof(d));
		later_change(s, s->records[i]->path, &d);
		out = xasprintf("vendors/%s/index.html", s->records[i]->id);
		sitemap_url(&b, s, out, &d);
		free(out);
	}
	/* The change lists: dated by their newest entry. */
	memset(&d, 0, sizeof(d));
	if (h != NULL)
		newest_entry(h, 0, h->entrysz, &d);
	later_change(s, intro_src(s, "changes/index.html"), &d);
	sitemap_url(&b, s, "changes/index.html", &d);
	/* Each page of a year's list: dated by its newest entry. */
	ny = changes_years(s, &ys);
	for (i = 0; i < ny; i++)
		for (p = 1; p <= ys[i].pages; p++) {
			size_t from = (p - 1) * CHANGES_PAGE_MAX;
			size_t cnt = ys[i].count - from < CHANGES_PAGE_MAX ?
			    ys[i].count - from : CHANGES_PAGE_MAX;
			memset(&d, 0, sizeof(d));
			newest_entry(h, ys[i].first + from, cnt, &d);
			out = changes_page_out("changes", ys[i].year, p);
			sitemap_url(&b, s, out, &d);
			free(out);
		}
	free(ys);
	for (k = 0; k < FACET__MAX; k++) {
		out = facet_out((enum facet_kind)k, NULL);
		sitemap_url(&b, s, out, &all);
		free(out);
		for (i = 0; i < fc->termsz[k]; i++) {
			out = facet_out((enum facet_kind)k, fc->terms[k][i].key);
			sitemap_url(&b, s, out, &when[k][i]);
			free(out);
		}
		free(when[k]);
	}
	n = changes_tombstones(s, &tomb);
	for (i = 0; i < n; i++) {
		/* Removed and not committed: no date yet, as other pages. */
		memset(&d, 0, sizeof(d));
		if (tomb[i]->removed)
			d = h->commits[tomb[i]->revs[0].commit].date;
		out = xasprintf("vendors/%s/index.html", tomb[i]->vendor);
		sitemap_url(&b, s, out, &d);
		free(out);
	}
	free(tomb);
	BUF_PUTSL(&b, "</urlset>\n");
	rc = write_file(s, "sitemap.xml", &b);
	buf_release(&b);
	return rc;
}

static int
write_robots(struct site *s)
{
	struct buf b = BUF_INIT;
	int rc;

	/* The site's own (content/static/robots.txt) is copied instead. */
	if (site_copies(s, "robots.txt"))
		return 0;
	BUF_PUTSL(&b, "User-agent: *\nAllow: /\n");
	if (s->cfg.base_url != NULL)
		buf_printf(&b, "\nSitemap: %ssitemap.xml\n", s->cfg.base_url);
	rc = write_file(s, "robots.txt", &b);
	buf_release(&b);
	return rc;
}

/* The sitemap, from the facets of the records. */
static int
write_sitemap_item(struct site *s)
{
	struct facets fc;
	int rc;

	facets_collect(&fc, s->authorities, s->records, s->recordsz);
	rc = write_sitemap(s, &fc);
	facets_release(&fc);
	return rc;
}

/* The files of exports_part(), an item each: the last needs base_url. */
static int (*const export_files[])(struct site *) = {
	write_vendors_json, write_vendors_csv, write_actions_csv,
	write_datapackage, write_ics, write_robots, write_sitemap_item
};

static int
export_item(void *arg, size_t i, struct buf *unused)
{
	(void)unused;
	return export_files[i](arg);
}

void
exports_part(struct site *s, struct jobs_part *part)
{
	memset(part, 0, sizeof(*part));
	/*
	 * The build has failed already: the outputs would be thrown away,
	 * but by docket check, which follows the links to them.
	 */
	if (s->dg->errors > 0 && !s->opts->checking)
		return;
	*part = (struct jobs_part){ export_item, s, NELEM(export_files) -
		(s->cfg.base_url == NULL), NULL, 0, 0 };
}

int
exports_search(struct site *s, const struct facets *fc,
    const struct buf *vendor_items, const struct buf *page_items)
{
	if (s->dg->errors > 0 && !s->opts->checking)
		return 0;
	if (write_search(s, fc, vendor_items, page_items) == -1)
		return -1;
	if (s->cfg.base_url == NULL && !s->opts->checking)
		return diag_warning(s->dg, NULL, "no base_url in docket.yml: "
		    "sitemap.xml and canonical links are left out (set "
		    "base_url, or --base-url, to the site's public address)");
	return 0;
}
