/*
 * Markdown bounds, checked on the text before cmark-gfm sees it.
 *
 * A table is a header line, a delimiter row ("|---|:-:|") and the lines
 * after it up to a blank one. Lines are read as the table extension would
 * after the block-quote markers and indentation in front of them, and
 * generously: a line that could be part of a table is counted as one, so
 * that the bounds hold whatever the parser makes of it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "diag.h"
#include "markdown.h"
#include "mdlimit.h"

struct line {
	const char	*start;		/* the line as written */
	const char	*s;		/* after block quote markers and blanks */
	size_t		 len;
	unsigned	 no;		/* 0-based */
};

static void
line_read(struct line *l, const char *p, const char *end, unsigned no)
{
	const char *e = memchr(p, '\n', (size_t)(end - p));

	if (e == NULL)
		e = end;
	l->start = p;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	l->s = p;
	l->len = (size_t)(e - p);
	l->no = no;
}

/* The line's unescaped '|', counted only for the lines of a table. */
static size_t
pipes(const struct line *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->len; i++) {
		if (l->s[i] == '\\')
			i++;
		else if (l->s[i] == '|')
			n++;
	}
	return n;
}

static bool
blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t' && l->s[i] != '\r')
			return false;
	return true;
}

/*
 * Could this be a delimiter row? Only '|', ':', '-' and blanks, a '-',
 * and a '|' or ':' (a line of '-' alone underlines a heading instead).
 */
static bool
delimiter_row(const struct line *l)
{
	bool dash = false, mark = false;
	size_t i;

	for (i = 0; i < l->len; i++)
		switch (l->s[i]) {
		case '-':
			dash = true;
			break;
		case '|':
		case ':':
			mark = true;
			break;
		case ' ':
		case '\t':
		case '\r':
			break;
		default:
			return false;
		}
	return dash && mark;
}

static int
too_wide(struct diag *dg, const struct md_src *src, const struct line *l)
{
	struct pos p = md_pos(src, l->no + 1, (unsigned)(l->s - l->start) + 1);

	return diag_error(dg, &p, "table row with more than %d cells",
	    MD_MAX_TABLE_COLUMNS);
}

/*
 * Could the autolink extension read c as part of a domain? It takes every
 * character that is neither white space nor punctuation, and '_', '.',
 * '-' and '\\'; a byte of a UTF-8 sequence is counted as one, generously.
 */
static bool
domain_char(unsigned char c)
{
	if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c == '_' || c == '.' || c == '-' || c == '\\';
}

/*
 * cmark-gfm 0.29.0.gfm.6 reads a www autolink's domain from "www." to the
 * end of the word, and tries again at every "www." after a '_' (where an
 * autolink may start) when the domain is refused for its underscores:
 * "www.a_" repeated takes time that grows with the square of the word.
 * Bounding those per word keeps the reading linear. The text is searched
 * for '_' with memchr(), and only the stretch between two "_www." is read
 * a byte at a time: most pages have none.
 */
static int
autolink_check(struct diag *dg, const struct md_src *src)
{
	const char *s = src->text, *end = s + src->len, *from = s, *at, *q;
	const char *last = s, *line_start = s;
	size_t starts = 0;
	unsigned line = 0;
	struct pos p = { src->path, 0, 0 };

	while ((at = memchr(from, '_', (size_t)(end - from))) != NULL) {
		if (end - at < 5 || memcmp(at + 1, "www.", 4) != 0) {
			from = at + 1;
			continue;
		}
		/* A character no domain holds since the last one ends the word. */
		for (q = last; q < at; q++)
			if (!domain_char((unsigned char)*q)) {
				starts = 0;
				break;
			}
		last = from = at + 1;
		if (++starts <= MD_MAX_WORD_WWW)
			continue;
		for (q = s; q < at; q++)
			if (*q == '\n')
				line++, line_start = q + 1;
		p = md_pos(src, line + 1, (unsigned)(at - line_start) + 2);
		return diag_error(dg, &p, "word holding 'www.' after '_' more "
		    "than %d times (autolinks would take too long)",
		    MD_MAX_WORD_WWW);
	}
	return 0;
}

/*
 * The bytes that may each make a node of cmark-gfm's tree: line ends, the
 * characters that start an inline (the autolink extension's 'w' and ':'
 * among them; directives start with ':' too), and the markers of block
 * quotes and lists. A text no longer than the bound cannot pass it, and
 * is not read: pages of a register are a few kilobytes.
 */
static int
markup_check(struct diag *dg, const struct md_src *src)
{
	static const char marks[] = "\n\r\\`&_*[]<>!'\"~|:w-+";
	bool mark[256] = { false };
	const unsigned char *s = (const unsigned char *)src->text;
	size_t i, n = 0, line_start = 0;
	unsigned line = 0;
	struct pos p;

	if (src->len <= MD_MAX_MARKUP)
		return 0;
	for (i = 0; marks[i] != '\0'; i++)
		mark[(unsigned char)marks[i]] = true;
	for (i = 0; i < src->len; i++) {
		if (mark[s[i]] && ++n > MD_MAX_MARKUP)
			break;
		if (s[i] == '\n')
			line++, line_start = i + 1;
	}
	if (i == src->len)
		return 0;
	p = md_pos(src, line + 1, (unsigned)(i - line_start) + 1);
	return diag_error(dg, &p, "more than %d line ends and markup "
	    "characters (such as '*', '[', ':' or '>') in one text: its "
	    "parse would take too much memory; split it", MD_MAX_MARKUP);
}

/*
 * cmark-gfm 0.29.0.gfm.6 makes an email autolink ("a@b.c") of a text node
 * by copying the rest of the node into a new one, for up to 1000 of them
 * a node: one line of 6 MB of "a@b.c " took 6 GB. The copies are counted
 * as if every '@' made one and a line were one text node (a line end
 * ends one), and bounded: prose copies a few kilobytes.
 */
static int
email_check(struct diag *dg, const struct md_src *src)
{
	const char *s = src->text, *end = s + src->len, *p, *eol, *at;
	size_t copied = 0;
	unsigned line = 0, ats;
	struct pos pos;

	/* A line's copies are at most 1000 times its length: not read. */
	if (src->len <= MD_MAX_EMAIL_COPY / MD_EMAIL_LINKS)
		return 0;
	for (p = s; p < end; p = eol + 1, line++) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		for (at = p, ats = 0; ats < MD_EMAIL_LINKS; at++, ats++) {
			if ((at = memchr(at, '@', (size_t)(eol - at))) == NULL)
				break;
			copied += (size_t)(eol - at);
			if (copied <= MD_MAX_EMAIL_COPY)
				continue;
			pos = md_pos(src, line + 1, (unsigned)(at - p) + 1);
			return diag_error(dg, &pos, "email autolinks ('@') "
			    "that would copy more than %d bytes of text while "
			    "parsed; break long lines, or split the text",
			    MD_MAX_EMAIL_COPY);
		}
		if (eol == end)
			break;
	}
	return 0;
}

int
mdlimit_check(struct diag *dg, const struct md_src *src)
{
	const char *p = src->text, *end = src->text + src->len;
	struct line prev, cur, row;
	size_t columns, cells, n, padding = 0;
	unsigned no = 0;
	struct pos pos = { src->path, 0, 0 };

	if (markup_check(dg, src) == -1 || autolink_check(dg, src) == -1 ||
	    email_check(dg, src) == -1)
		return -1;
	memset(&prev, 0, sizeof(prev));
	while (p < end) {
		line_read(&cur, p, end, no++);
		p = cur.s + cur.len + 1;
		if (!delimiter_row(&cur)) {
			prev = cur;
			continue;
		}
		/* The header is parsed even when its width does not match. */
		if (prev.s != NULL && pipes(&prev) > MD_MAX_TABLE_COLUMNS + 1)
			return too_wide(dg, src, &prev);
		if ((n = pipes(&cur)) > MD_MAX_TABLE_COLUMNS + 1)
			return too_wide(dg, src, &cur);
		columns = n + 1;
		pos = md_pos(src, cur.no + 1, (unsigned)(cur.s - cur.start) + 1);
		while (p < end) {
			line_read(&row, p, end, no);
			if (blank(&row))
				break;
			p = row.s + row.len + 1;
			no++;
			if ((n = pipes(&row)) > MD_MAX_TABLE_COLUMNS + 1)
				return too_wide(dg, src, &row);
			cells = n > 1 ? n - 1 : 1;
			if (cells < columns)
				padding += columns - cells;
			if (padding > MD_MAX_TABLE_PADDING)
				return diag_error(dg, &pos, "tables with more "
				    "than %d missing cells (rows shorter than "
				    "their header)", MD_MAX_TABLE_PADDING);
		}
		memset(&prev, 0, sizeof(prev));
	}
	return 0;
}
