/*
 * Markdown directives.
 *
 * One cmark-gfm syntax extension is made per parse, with this parse's
 * context as its private data. Block directives are opened by the
 * extension's open-block hook (tried by cmark only where no CommonMark
 * block starts, so never inside code or HTML blocks) and inline ones by
 * an inline hook on ':' (never inside code spans; "\:" is an escape that
 * never reaches it). The nodes keep the parsed directive as user data.
 * After parsing, dir_finish() splices included files, gives headings
 * GitHub-style ids, and renders each directive to HTML, which the
 * extension's HTML hook writes out in place of the node.
 */
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm/render.h>
#include <libxml/xmlunicode.h>

#include "buf.h"
#include "changes.h"
#include "date.h"
#include "diag.h"
#include "directive.h"
#include "history.h"
#include "markdown.h"
#include "mdlimit.h"
#include "record.h"
#include "site.h"
#include "source.h"
#include "template.h"
#include "util.h"

#define MAX_INCLUDE_DEPTH	16
#define MAX_INCLUDES		256	/* per page, however nested */
#define MAX_ATTRS		64	/* per directive, repeated ones too */
#define MAX_LABEL_DEPTH		32	/* brackets in a label, as micromark */
#define MAX_CONTAINER_DEPTH	32	/* each line is checked against all */
#define MAX_LIMIT		100000
/*
 * HTML the directives of one page (with its includes) may render in all:
 * a line of "::timeline" renders the whole register, so a few kilobytes
 * repeated would otherwise ask for gigabytes. The register's every action
 * and every vendor of a 10000-vendor register render to 20 MB.
 */
#define MAX_DIR_OUTPUT		(32u * 1024 * 1024)
/*
 * ::vendors, ::timeline, ::chart, ::changes and ::history per page (with
 * its includes): each reads the whole register or history, whatever it
 * shows, so many that show nothing would take hours.
 */
#define MAX_LISTINGS		1000

enum dkind {
	DK_TEXT,
	DK_LEAF,
	DK_CONTAINER
};

struct attr {
	char		*key;
	char		*value;
	size_t		 off;	/* of its first byte, from the name's */
	struct pos	 at;	/* where it is in its file */
};

struct directive {
	enum dkind	 kind;
	char		*name;
	char		*label;		/* NULL: no label */
	size_t		 label_off;	/* of its '[', from the name's first byte */
	struct pos	 label_at;
	struct attr	*attrs;
	size_t		 attrsz;
	struct buf	 classes;	/* from .class, space-separated */
	const char	*path;
	unsigned	 line, col;
	unsigned	 fence;		/* a container's colons */
	bool		 closed;	/* a container's closing fence was read */
	bool		 done;		/* rendered (or reported) */
	bool		 in_link;	/* inside a link: makes no link itself */
	char		*enter;		/* HTML written for the node */
	char		*exit;
	struct directive *next;
};

/* A heading of the page, for ::toc. */
struct heading {
	int	 level;
	char	*text;
	char	*slug;
};

/*
 * Attribute lists read in one paragraph. Where a reading of "{...}"
 * starts an attribute (a checkpoint), what follows depends on the text
 * alone, so the outcome found there the first time holds for every later
 * reading that reaches it: mark[] keeps it for each offset of the
 * paragraph. Each offset is then read by a few readings at most, not by
 * every directive before it.
 */
#define MARK_FAIL	1	/* no closing '}' from here */
#define MARK_OK		2	/* + the attributes from here to '}' */
struct attrmemo {
	const cmark_node	*parent;	/* the paragraph ... */
	const unsigned char	*chunk;		/* ... and its text */
	size_t			 len;
	unsigned char		*mark;		/* 0: not read; per offset */
	size_t			*cps;		/* checkpoints of this reading */
	size_t			 cpsz, cpcap;
};

struct dir_ctx {
	struct diag		*dg;
	/*
	 * What this context parses: path, text, len, line (of the text's
	 * first line), col (added to columns; -1: unknown), env.
	 */
	struct md_src		 src;
	cmark_syntax_extension	*ext;
	struct dir_ctx		*root;	/* the page's context (itself at the top) */
	struct directive	*list;	/* every directive, for freeing */
	/* The page's context only: */
	struct dir_ctx		**subs;	/* contexts of included files */
	size_t			 subsz;
	char			**paths;	/* included paths, kept alive */
	size_t			 pathsz;
	const char		*stack[MAX_INCLUDE_DEPTH + 1];
	size_t			 stacksz;
	struct heading		*heads;
	size_t			 headsz;
	bool			 too_deep;	/* reported */
	bool			 too_big;	/* a bound below passed: reported */
	size_t			 rendered;	/* HTML of the directives so far */
	unsigned		 listings;	/* and how many MAX_LISTINGS counts */
	char			*toc;		/* the list ::toc shows, once made */
	unsigned		 includes;	/* the page's includes so far */
	size_t			 included;	/* and their bytes */
	/* Where inline directives are: offsets of the text's lines. */
	size_t			*lines;
	size_t			 linesz;
	const unsigned char	*nl_chunk;	/* newlines counted in it ... */
	size_t			 nl_off;	/* ... up to this offset: */
	unsigned		 nl_count;
	size_t			 nl_last;	/* offset after the last one */
	struct attrmemo		 memo;
	unsigned		 text_warned;	/* text_line() warned of it */
	/* Heading slugs taken, and the next suffix of each. */
	struct slugset		*slugs;
	struct buf		 scratch;	/* the included file being read */
};

static cmark_node_type DIR_BLOCK;

/*
 * Inline directives are HTML_INLINE nodes that carry this extension: the
 * table extension lets only the standard inline types into table cells,
 * and cmark hands a node with an extension to the extension's HTML hook
 * before it looks at the type, so raw-HTML rules never apply to them.
 */
#define DIR_INLINE	CMARK_NODE_HTML_INLINE

static bool
is_dir_inline(cmark_node *n)
{
	return cmark_node_get_type(n) == DIR_INLINE &&
	    cmark_node_get_syntax_extension(n) != NULL &&
	    cmark_node_get_user_data(n) != NULL;
}

/* ------------------------------------------------------------------ */
/* Syntax                                                              */

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static bool
is_ws(int c)
{
	return c == ' ' || c == '\t';
}

static bool
is_eol(int c)
{
	return c == '\n' || c == '\r' || c == '\0';
}

/* Reads a name: a letter, then letters, digits, '_' and '-', not ending in '_' or '-'. */
static size_t
scan_name(const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_alpha(s[0]))
		return 0;
	for (i = 1; i < n && (is_alnum(s[i]) || s[i] == '_' || s[i] == '-'); i++)
		;
	if (s[i - 1] == '_' || s[i - 1] == '-')
		return 0;
	return i;
}

/*
 * Reads "[label]" at s: brackets nest, a backslash escapes the next
 * character; line endings are allowed only in inline labels. Returns the
 * length read, 0 when it is not a label.
 */
static size_t
scan_label(const unsigned char *s, size_t n, bool multiline, struct buf *out)
{
	size_t i;
	int depth = 0;

	if (n == 0 || s[0] != '[')
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] != '\n' &&
		    s[i + 1] != '\r' && (s[i + 1] == '[' || s[i + 1] == ']' ||
		    s[i + 1] == '\\')) {
			buf_putc(out, s[++i]);
			continue;
		}
		if ((s[i] == '\n' || s[i] == '\r') && !multiline)
			return 0;
		if (s[i] == '[') {
			/*
			 * micromark's bound, which also keeps a paragraph of
			 * unclosed labels linear: a reading that goes on
			 * past another label's start is one level deeper.
			 */
			if (++depth > MAX_LABEL_DEPTH)
				return 0;
		} else if (s[i] == ']' && depth-- == 0)
			return i + 1;
		buf_putc(out, s[i] == '\r' || s[i] == '\n' ? ' ' : s[i]);
	}
	return 0;
}

/*
 * Adds the attribute key=v, written at offset off from the directive's
 * name; a repeated one replaces the value, and its place, before.
 */
static void
add_attr(struct directive *d, const char *key, size_t kn, const char *v,
    size_t vn, size_t off)
{
	size_t i;
	char *k = xstrndup(key, kn);

	if (strcmp(k, "class") == 0) {
		if (d->classes.len > 0)
			buf_putc(&d->classes, ' ');
		buf_put(&d->classes, v, vn);
		free(k);
		return;
	}
	for (i = 0; i < d->attrsz; i++)
		if (strcmp(d->attrs[i].key, k) == 0) {
			free(d->attrs[i].value);
			d->attrs[i].value = xstrndup(v, vn);
			d->attrs[i].off = off;
			free(k);
			return;
		}
	d->attrs = xreallocarray(d->attrs, d->attrsz + 1, sizeof(*d->attrs));
	memset(&d->attrs[d->attrsz], 0, sizeof(*d->attrs));
	d->attrs[d->attrsz].key = k;
	d->attrs[d->attrsz].value = xstrndup(v, vn);
	d->attrs[d->attrsz].off = off;
	d->attrsz++;
}

static bool
unquoted_ok(int c, bool shortcut)
{
	if (is_ws(c) || is_eol(c) || c == '"' || c == '\'' || c == '=' ||
	    c == '<' || c == '>' || c == '`' || c == '}')
		return false;
	return !(shortcut && (c == '#' || c == '.'));
}

/* Marks the checkpoints of the reading just ended (see struct attrmemo). */
static void
memo_mark(struct attrmemo *m, bool ok, size_t more)
{
	size_t k, t;

	if (m == NULL)
		return;
	for (k = 0; k < m->cpsz; k++) {
		/* Each checkpoint but the last is followed by one attribute. */
		t = m->cpsz - 1 - k + more;
		m->mark[m->cps[k]] = !ok ? MARK_FAIL :
		    (unsigned char)(MARK_OK + (t < 253 ? t : 253));
	}
	m->cpsz = 0;
}

/*
 * Reads "{#id .class key=value key="quoted"}" at s into d, s being at
 * offset `from` of the directive's name. Returns the length read, 0 when
 * it is malformed or holds more than MAX_ATTRS attributes. m, when not
 * NULL, remembers the outcome for s's paragraph, s being at offset base
 * of it.
 */
static size_t
scan_attrs(const unsigned char *s, size_t n, bool multiline,
    struct directive *d, size_t from, struct attrmemo *m, size_t base)
{
	size_t i = 1, k, kn, v, vn, nattr = 0;
	unsigned char q, c, mk;

	if (n == 0 || s[0] != '{')
		return 0;
	if (m != NULL)
		m->cpsz = 0;
	for (;;) {
		while (i < n && (is_ws(s[i]) ||
		    (multiline && (s[i] == '\n' || s[i] == '\r'))))
			i++;
		if (i >= n)
			goto fail;
		if (m != NULL) {
			mk = m->mark[base + i];
			if (mk == MARK_FAIL)
				goto fail;
			if (m->cpsz == m->cpcap) {
				m->cpcap = m->cpcap < 16 ? 16 : m->cpcap * 2;
				m->cps = xreallocarray(m->cps, m->cpcap,
				    sizeof(*m->cps));
			}
			m->cps[m->cpsz++] = base + i;
			/* Read before: ends well, but with too many? */
			if (mk >= MARK_OK && nattr + (mk - MARK_OK) > MAX_ATTRS) {
				memo_mark(m, true, (size_t)(mk - MARK_OK));
				return 0;
			}
		}
		c = s[i];
		if (c == '}') {
			memo_mark(m, true, 0);
			return nattr > MAX_ATTRS ? 0 : i + 1;
		}
		if (c == '#' || c == '.') {
			for (v = ++i; i < n && unquoted_ok(s[i], true); i++)
				;
			if (i == v)
				goto fail;
			if (++nattr <= MAX_ATTRS)
				add_attr(d, c == '#' ? "id" : "class",
				    c == '#' ? 2 : 5, (const char *)s + v, i - v,
				    from + v - 1);
			continue;
		}
		if (!(is_alpha(c) || c == '_' || c == ':'))
			goto fail;
		for (k = i++; i < n && (is_alnum(s[i]) || s[i] == '_' ||
		    s[i] == '.' || s[i] == ':' || s[i] == '-'); i++)
			;
		kn = i - k;
		v = vn = 0;
		if (i < n && s[i] == '=') {
			i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				for (v = i; i < n && s[i] != q; i++)
					if ((s[i] == '\n' || s[i] == '\r') &&
					    !multiline)
						goto fail;
				if (i >= n)
					goto fail;
				vn = i++ - v;
			} else {
				for (v = i; i < n && unquoted_ok(s[i], false); i++)
					;
				if (i == v)
					goto fail;
				vn = i - v;
			}
		}
		if (++nattr <= MAX_ATTRS)
			add_attr(d, (const char *)s + k, kn,
			    vn > 0 ? (const char *)s + v : "", vn, from + k);
		/* Attributes are separated by white space or end with '}'. */
		if (i < n && !is_ws(s[i]) && s[i] != '}' &&
		    !(multiline && (s[i] == '\n' || s[i] == '\r')))
			goto fail;
	}
fail:
	memo_mark(m, false, 0);
	return 0;
}

static void
directive_free(struct directive *d)
{
	size_t i;

	free(d->name);
	free(d->label);
	for (i = 0; i < d->attrsz; i++) {
		free(d->attrs[i].key);
		free(d->attrs[i].value);
	}
	free(d->attrs);
	buf_release(&d->classes);
	free(d->enter);
	free(d->exit);
	free(d);
}

/*
 * Reads name, label and attributes at s. Returns the directive and sets
 * *used to the length read, or NULL when the text is not a directive.
 * m and base as for scan_attrs().
 */
static struct directive *
scan_directive(const unsigned char *s, size_t n, bool multiline, size_t *used,
    struct attrmemo *m, size_t base)
{
	struct directive *d;
	struct buf label = BUF_INIT;
	size_t i, k;

	if ((i = scan_name(s, n)) == 0)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	buf_init(&d->classes);
	d->name = xstrndup((const char *)s, i);
	if (i < n && s[i] == '[') {
		if ((k = scan_label(s + i, n - i, multiline, &label)) == 0)
			goto fail;
		d->label = buf_detach(&label);
		d->label_off = i;
		i += k;
	}
	if (i < n && s[i] == '{') {
		if ((k = scan_attrs(s + i, n - i, multiline, d, i, m,
		    base + i)) == 0)
			goto fail;
		i += k;
	}
	*used = i;
	return d;
fail:
	buf_release(&label);
	directive_free(d);
	return NULL;
}

static unsigned	source_col(struct dir_ctx *, unsigned, const char *, unsigned);
static bool	known_block(const char *);

/*
 * Where the part of d at offset off from its name is: the name starts at
 * column col of line `line` of the text, before md_pos(), and s is the
 * text from the name on. A part on a later line (an inline directive's
 * attributes may go on) is looked for in that line of the source, which
 * has the prefixes of the blocks around it that s has not.
 */
static struct pos
part_pos(struct dir_ctx *ctx, const unsigned char *s, size_t off,
    unsigned line, unsigned col)
{
	size_t i, start = 0, n;
	unsigned k = 0;
	char needle[64];

	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			k++, start = i + 1;
	if (k == 0)
		return md_pos(&ctx->src, line, col + (unsigned)off);
	for (n = 0; n < sizeof(needle) - 1 && !is_ws(s[off + n]) &&
	    !is_eol(s[off + n]) && s[off + n] != '}'; n++)
		needle[n] = (char)s[off + n];
	needle[n] = '\0';
	return md_pos(&ctx->src, line + k, source_col(ctx, line + k, needle,
	    (unsigned)(off - start) + 1));
}

/* Gives d's label and attributes their places (part_pos()). */
static void
place_parts(struct dir_ctx *ctx, struct directive *d, const unsigned char *s,
    unsigned line, unsigned col)
{
	size_t i;

	if (d->label != NULL)
		d->label_at = part_pos(ctx, s, d->label_off, line, col);
	for (i = 0; i < d->attrsz; i++)
		d->attrs[i].at = part_pos(ctx, s, d->attrs[i].off, line, col);
}

/*
 * Keeps the block directive d, whose colons start at column col of line
 * `line` of the text, its name at s.
 */
static void
keep(struct dir_ctx *ctx, struct directive *d, unsigned line, unsigned col,
    const unsigned char *s)
{
	struct pos p = md_pos(&ctx->src, line, col);

	d->path = ctx->src.path;
	d->line = p.line;
	d->col = p.col;
	place_parts(ctx, d, s, line, col + d->fence);
	d->next = ctx->list;
	ctx->list = d;
}

/*
 * Why the text after a block directive's bare name made its line text,
 * for the warning: a space before its [label] or {attributes}, or
 * attributes written without braces (words of key=value), are told with
 * the way to write them. rest is what follows the name and the spaces
 * after it, rn bytes; spaced says whether there were spaces.
 */
static void
after_name(struct buf *why, const char *pre, const char *nm,
    const unsigned char *rest, size_t rn, bool spaced)
{
	bool attrs, eq = false;
	size_t i;

	while (rn > 0 && is_ws(rest[rn - 1]))
		rn--;
	attrs = spaced && rn > 0 && rn <= 80;
	if (spaced && (rest[0] == '{' || rest[0] == '[')) {
		buf_printf(why, "no space goes between '%s%s' and its %s",
		    pre, nm, rest[0] == '{' ? "{attributes}" : "[label]");
		return;
	}
	for (i = 0; attrs && i < rn; i++) {
		if (rest[i] < 0x20 || rest[i] > 0x7e || rest[i] == '{' ||
		    rest[i] == '}' || rest[i] == '[' || rest[i] == ']')
			attrs = false;
		else if (rest[i] == '=')
			eq = true;
		else if (rest[i] == ' ') {
			attrs = eq;	/* each word a key=value */
			eq = false;
		}
	}
	if (attrs && eq) {
		buf_printf(why, "its attributes go in braces after its name, "
		    "as in '%s%s{%.*s}'", pre, nm, (int)rn, (const char *)rest);
		return;
	}
	buf_puts(why, "a directive is alone on its line");
}

/*
 * A line that starts with the colons and name of a block directive docket
 * knows, but is no directive: its label or attributes do not parse, or
 * text follows them (rest, rn bytes, NULL for none). It is left as
 * text, with a warning, once per line: cmark may offer a line more than
 * once.
 */
static void
text_line(struct dir_ctx *ctx, cmark_parser *parser, int fns,
    size_t colons, const unsigned char *s, size_t n,
    const unsigned char *rest, size_t rn)
{
	const char *pre = colons == 2 ? "::" : ":::";
	unsigned line = (unsigned)cmark_parser_get_line_number(parser);
	size_t k = scan_name(s, n);
	char nm[72];
	struct pos p;

	if (k == 0 || k >= sizeof(nm) || line == ctx->text_warned)
		return;
	memcpy(nm, s, k);
	nm[k] = '\0';
	if (!known_block(nm) ||
	    (rest == NULL && k < n && s[k] != '[' && s[k] != '{'))
		return;
	ctx->text_warned = line;
	p = md_pos(&ctx->src, line, (unsigned)fns + 1);
	if (rest != NULL) {
		struct buf why = BUF_INIT;
		const unsigned char *q = s + k;

		while (q < rest && is_ws(*q))
			q++;
		if (q == rest)	/* a bare name, then maybe its attributes */
			after_name(&why, pre, nm, rest, rn, rest > s + k);
		else
			buf_puts(&why, "a directive is alone on its line");
		diag_warning(ctx->dg, &p, "'%s%s' left as text: %s", pre, nm,
		    why.ptr);
		buf_release(&why);
	} else
		diag_warning(ctx->dg, &p, "malformed directive '%s%s' left as "
		    "text: its [label] or {key=value attributes} do not "
		    "parse", pre, nm);
}

/* cmark hook: a leaf or container directive starting this line? */
static cmark_node *
open_block(cmark_syntax_extension *ext, int indented, cmark_parser *parser,
    cmark_node *parent, unsigned char *input, int len)
{
	struct dir_ctx *ctx = cmark_syntax_extension_get_private(ext);
	int fns = cmark_parser_get_first_nonspace(parser);
	const unsigned char *p = input + fns;
	size_t n = (size_t)(len - fns), colons, used, i;
	struct directive *d;
	cmark_node *node;

	if (indented)
		return NULL;
	for (colons = 0; colons < n && p[colons] == ':'; colons++)
		;
	if (colons < 2)
		return NULL;
	/* The rest of the line, without its line ending. */
	while (n > colons && is_eol(p[n - 1]))
		n--;
	d = scan_directive(p + colons, n - colons, false, &used, NULL, 0);
	if (d == NULL) {
		text_line(ctx, parser, fns, colons, p + colons, n - colons,
		    NULL, 0);
		return NULL;
	}
	for (i = colons + used; i < n && is_ws(p[i]); i++)
		;
	if (i < n) {	/* a leaf or container opening is alone on its line */
		text_line(ctx, parser, fns, colons, p + colons,
		    n - colons, p + i, n - i);
		directive_free(d);
		return NULL;
	}
	d->kind = colons == 2 ? DK_LEAF : DK_CONTAINER;
	d->fence = (unsigned)colons;
	keep(ctx, d, (unsigned)cmark_parser_get_line_number(parser),
	    (unsigned)fns + 1, p + colons);
	if (d->kind == DK_CONTAINER) {
		unsigned depth = 1;
		cmark_node *up;
		for (up = parent; up != NULL; up = cmark_node_parent(up))
			if (cmark_node_get_type(up) == DIR_BLOCK)
				depth++;
		if (depth > MAX_CONTAINER_DEPTH) {
			/* Reported once, at the first container too deep. */
			if (!ctx->root->too_deep) {
				struct pos at = { d->path, d->line, d->col };
				diag_error(ctx->dg, &at, "directive containers "
				    "nested deeper than %d", MAX_CONTAINER_DEPTH);
				ctx->root->too_deep = true;
			}
			d->kind = DK_LEAF;	/* no longer a container */
			d->done = true;
		}
	}
	node = cmark_parser_add_child(parser, parent, DIR_BLOCK, fns + 1);
	cmark_node_set_syntax_extension(node, ext);
	cmark_node_set_user_data(node, d);
	cmark_parser_advance_offset(parser, (const char *)input,
	    len - 1 - cmark_parser_get_offset(parser), 0);
	return node;
}

/* cmark hook: does this line continue the open directive block? */
static int
match_block(cmark_syntax_extension *ext, cmark_parser *parser,
    unsigned char *input, int len, cmark_node *container)
{
	struct directive *d = cmark_node_get_user_data(container);
	int fns = cmark_parser_get_first_nonspace(parser);
	int i, colons;

	(void)ext;
	if (cmark_node_get_type(container) != DIR_BLOCK || d == NULL ||
	    d->kind != DK_CONTAINER || d->closed)
		return 0;
	if (cmark_parser_get_indent(parser) < 4) {
		for (colons = 0, i = fns; i < len && input[i] == ':'; i++)
			colons++;
		while (i < len && is_ws(input[i]))
			i++;
		if (colons >= (int)d->fence && (i >= len || is_eol(input[i]))) {
			d->closed = true;
			cmark_parser_advance_offset(parser, (const char *)input,
			    len - 1 - cmark_parser_get_offset(parser), 0);
		}
	}
	return 1;
}

static int
can_contain(cmark_syntax_extension *ext, cmark_node *node,
    cmark_node_type child)
{
	struct directive *d;

	(void)ext;
	if (cmark_node_get_type(node) == CMARK_NODE_HEADING)
		return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
	if (cmark_node_get_type(node) != DIR_BLOCK)
		return 0;
	d = cmark_node_get_user_data(node);
	return d != NULL && d->kind == DK_CONTAINER &&
	    (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

static const char *
type_string(cmark_syntax_extension *ext, cmark_node *node)
{
	(void)ext;
	return is_dir_inline(node) ? "directive_inline" :
	    "directive";
}

static void
html_cr(cmark_strbuf *html)
{
	if (html->size > 0 && html->ptr[html->size - 1] != '\n')
		cmark_strbuf_putc(html, '\n');
}

/* cmark hook: writes a directive's HTML, or a heading with its id. */
static void
render_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
    cmark_node *node, cmark_event_type ev, int options)
{
	cmark_strbuf *html = r->html;
	struct directive *d;
	const char *slug;
	char tag[8];
	bool enter = ev == CMARK_EVENT_ENTER;

	(void)ext, (void)options;
	if (cmark_node_get_type(node) == CMARK_NODE_HEADING) {
		slug = cmark_node_get_user_data(node);
		if (enter) {
			html_cr(html);
			snprintf(tag, sizeof(tag), "<h%d", cmark_node_get_heading_level(node));
			cmark_strbuf_puts(html, tag);
			if (slug != NULL) {
				cmark_strbuf_puts(html, " id=\"");
				cmark_strbuf_puts(html, slug);	/* made of safe characters */
				cmark_strbuf_putc(html, '"');
			}
			cmark_strbuf_putc(html, '>');
		} else {
			snprintf(tag, sizeof(tag), "</h%d>\n", cmark_node_get_heading_level(node));
			cmark_strbuf_puts(html, tag);
		}
		return;
	}
	d = cmark_node_get_user_data(node);
	if (d == NULL)
		return;
	if (d->kind != DK_TEXT)
		html_cr(html);
	if (enter && d->enter != NULL)
		cmark_strbuf_puts(html, d->enter);
	else if (!enter && d->exit != NULL)
		cmark_strbuf_puts(html, d->exit);
	if (d->kind != DK_TEXT)
		html_cr(html);
}

/* The block directives: containers, then leaves. */
static const char *const containers[] = { "note", "warning", "details" };
static const char *const leaves[] = {
	"vendors", "vendor", "timeline", "chart", "changes", "history",
	"toc", "include"
};

static bool
is_one_of(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static bool
known_block(const char *name)
{
	return is_one_of(name, containers, NELEM(containers)) ||
	    is_one_of(name, leaves, NELEM(leaves));
}

static bool
known_inline(const char *name)
{
	return strcmp(name, "vendor") == 0 || strcmp(name, "status") == 0 ||
	    strcmp(name, "deadline") == 0;
}

/*
 * The column of an inline directive: the parser gives offsets into the
 * paragraph's text, without the prefixes of the blocks around it, so the
 * directive is looked for in the source line itself, near the guess. The
 * offsets of the text's lines are found once per context.
 */
static unsigned
source_col(struct dir_ctx *ctx, unsigned line, const char *needle,
    unsigned guess)
{
	const char *p, *end = ctx->src.text + ctx->src.len, *nl, *hit, *from, *to;
	unsigned best = 0, bestd = (unsigned)-1, c, dist;
	size_t nn = strlen(needle);

	if (ctx->lines == NULL) {
		ctx->lines = xreallocarray(NULL, 1, sizeof(size_t));
		ctx->lines[ctx->linesz++] = 0;
		for (p = ctx->src.text; (nl = memchr(p, '\n', (size_t)(end - p))) !=
		    NULL; p = nl + 1) {
			ctx->lines = xreallocarray(ctx->lines, ctx->linesz + 1,
			    sizeof(size_t));
			ctx->lines[ctx->linesz++] = (size_t)(nl + 1 - ctx->src.text);
		}
	}
	if (line == 0 || line > ctx->linesz)
		return guess;
	p = ctx->src.text + ctx->lines[line - 1];
	nl = line < ctx->linesz ? ctx->src.text + ctx->lines[line] - 1 : end;
	/* Block prefixes are short: look within 256 bytes of the guess. */
	from = guess > 257 ? p + guess - 257 : p;
	to = p + guess + 256 < nl ? p + guess + 256 : nl;
	if (from > nl)
		return guess;
	for (hit = from; hit + nn <= to; hit++) {
		if (memcmp(hit, needle, nn) != 0)
			continue;
		c = (unsigned)(hit - p) + 1;
		dist = c > guess ? c - guess : guess - c;
		if (dist < bestd)
			best = c, bestd = dist;
	}
	return best != 0 ? best : guess;
}

/*
 * Newlines in chunk before off, and in ctx->nl_last the offset after the
 * last of them (0: none). Inline parsing moves forward through one
 * paragraph at a time, so the count goes on from the last call.
 */
static unsigned
count_lines(struct dir_ctx *ctx, const unsigned char *chunk, size_t off)
{
	size_t i = 0;

	if (ctx->nl_chunk == chunk && off >= ctx->nl_off)
		i = ctx->nl_off;
	else
		ctx->nl_count = 0, ctx->nl_last = 0;
	for (; i < off; i++)
		if (chunk[i] == '\n')
			ctx->nl_count++, ctx->nl_last = i + 1;
	ctx->nl_chunk = chunk;
	ctx->nl_off = off;
	return ctx->nl_count;
}

/*
 * Where an inline directive at off of the paragraph `parent` is, in the
 * text (*line, *col) and in its file (returned).
 */
static struct pos
inline_pos(struct dir_ctx *ctx, cmark_node *parent, const unsigned char *s,
    size_t off, size_t name, unsigned *linep, unsigned *colp)
{
	unsigned k = count_lines(ctx, s, off), line, col;
	char needle[80];

	line = (unsigned)cmark_node_get_start_line(parent) + k;
	col = (unsigned)(off - ctx->nl_last) + 1;
	if (k == 0)
		col += (unsigned)cmark_node_get_start_column(parent) - 1;
	snprintf(needle, sizeof(needle), ":%.*s", (int)(name < 70 ? name : 70),
	    (const char *)s + off + 1);
	col = source_col(ctx, line, needle, col);
	if (linep != NULL)
		*linep = line, *colp = col;
	return md_pos(&ctx->src, line, col);
}

/* The memo of attribute lists for the paragraph parent, whose text is s. */
static struct attrmemo *
memo_get(struct dir_ctx *ctx, const cmark_node *parent,
    const unsigned char *s, size_t n)
{
	struct attrmemo *m = &ctx->memo;

	if (m->mark == NULL || m->parent != parent || m->chunk != s ||
	    m->len != n) {
		free(m->mark);
		m->mark = xcalloc(n + 1, 1);
		m->parent = parent;
		m->chunk = s;
		m->len = n;
	}
	return m;
}

/* cmark hook, at ':' in text: an inline directive? */
static cmark_node *
match_inline(cmark_syntax_extension *ext, cmark_parser *parser,
    cmark_node *parent, unsigned char c, cmark_inline_parser *ip)
{
	struct dir_ctx *ctx = cmark_syntax_extension_get_private(ext);
	struct cmark_chunk *chunk = cmark_inline_parser_get_chunk(ip);
	int off = cmark_inline_parser_get_offset(ip);
	const unsigned char *s = chunk->data;
	size_t n = (size_t)chunk->len, used, name;
	struct directive *d;
	cmark_node *node;
	struct pos p;
	unsigned char after;
	unsigned tline, tcol;
	char nm[72];

	(void)parser;
	/* cmark offers every extension every special character. */
	if (c != ':')
		return NULL;
	/* "::" is not inline; "\::" is an escaped colon, then a directive. */
	if (off > 0 && s[off - 1] == ':' && !(off > 1 && s[off - 2] == '\\'))
		return NULL;
	name = scan_name(s + off + 1, n - (size_t)off - 1);
	if (name == 0)
		return NULL;
	after = (size_t)off + 1 + name < n ? s[off + 1 + name] : '\0';
	snprintf(nm, sizeof(nm), "%.*s", (int)(name < 70 ? name : 70),
	    (const char *)s + off + 1);
	/* An unknown name is text whatever follows it: not read further. */
	d = NULL;
	if (known_inline(nm))
		d = scan_directive(s + off + 1, n - (size_t)off - 1, true,
		    &used, memo_get(ctx, parent, s, n), (size_t)off + 1);
	if (d == NULL) {
		/* Positions are worked out only for what is reported. */
		if (after == '[' || after == '{') {
			p = inline_pos(ctx, parent, s, (size_t)off, name, NULL,
			    NULL);
			if (!known_inline(nm))
				diag_warning(ctx->dg, &p, "unknown inline directive "
				    "':%s' left as text (write '\\:' for a colon)",
				    nm);
			else
				diag_warning(ctx->dg, &p, "malformed inline "
				    "directive ':%s' left as text", nm);
		}
		return NULL;
	}
	p = inline_pos(ctx, parent, s, (size_t)off, name, &tline, &tcol);
	d->kind = DK_TEXT;
	d->path = ctx->src.path;
	d->line = p.line;
	d->col = p.col;
	place_parts(ctx, d, s + off + 1, tline, tcol + 1);
	d->next = ctx->list;
	ctx->list = d;
	node = cmark_node_new_with_mem(DIR_INLINE, cmark_get_default_mem_allocator());
	cmark_node_set_syntax_extension(node, ext);
	cmark_node_set_user_data(node, d);
	cmark_inline_parser_set_offset(ip, off + 1 + (int)used);
	return node;
}

struct dir_ctx *
dir_attach(cmark_parser *parser, struct diag *dg, const struct md_src *src)
{
	struct dir_ctx *ctx = xcalloc(1, sizeof(*ctx));
	cmark_mem *mem = cmark_get_default_mem_allocator();
	cmark_llist *chars = NULL;

	if (DIR_BLOCK == 0)
		DIR_BLOCK = cmark_syntax_extension_add_node(0);
	ctx->dg = dg;
	ctx->src = *src;
	ctx->root = ctx;
	buf_init(&ctx->scratch);
	ctx->ext = cmark_syntax_extension_new("docket-directive");
	cmark_syntax_extension_set_private(ctx->ext, ctx, NULL);
	cmark_syntax_extension_set_open_block_func(ctx->ext, open_block);
	cmark_syntax_extension_set_match_block_func(ctx->ext, match_block);
	cmark_syntax_extension_set_can_contain_func(ctx->ext, can_contain);
	cmark_syntax_extension_set_get_type_string_func(ctx->ext, type_string);
	cmark_syntax_extension_set_html_render_func(ctx->ext, render_html);
	cmark_syntax_extension_set_match_inline_func(ctx->ext, match_inline);
	chars = cmark_llist_append(mem, chars, (void *)':');
	cmark_syntax_extension_set_special_inline_chars(ctx->ext, chars);
	cmark_parser_attach_syntax_extension(parser, ctx->ext);
	return ctx;
}

/*
 * The heading ids of a page: a hash set of the slugs taken, each with the
 * next suffix to try, so that many equal headings cost linear time.
 */
struct slugset {
	struct slugent {
		char		*slug;	/* NULL: empty */
		unsigned	 next;	/* next suffix to try */
	} *v;
	size_t	 cap, n;
};

static struct slugent *
slug_find(struct slugset *set, const char *slug)
{
	size_t i;

	for (i = str_hash(slug) & (set->cap - 1); set->v[i].slug != NULL;
	    i = (i + 1) & (set->cap - 1))
		if (strcmp(set->v[i].slug, slug) == 0)
			return &set->v[i];
	return &set->v[i];
}

/* Takes slug (copied); returns the entry. */
static struct slugent *
slug_take(struct slugset *set, const char *slug)
{
	struct slugent *e, *old;
	size_t oldcap, i;

	if ((set->n + 1) * 2 > set->cap) {
		old = set->v;
		oldcap = set->cap;
		set->cap = set->cap == 0 ? 64 : set->cap * 2;
		set->v = xcalloc(set->cap, sizeof(*set->v));
		for (i = 0; i < oldcap; i++)
			if (old[i].slug != NULL)
				*slug_find(set, old[i].slug) = old[i];
		free(old);
	}
	e = slug_find(set, slug);
	if (e->slug == NULL) {
		e->slug = xstrdup(slug);
		e->next = 1;
		set->n++;
	}
	return e;
}

static bool
slug_taken(struct slugset *set, const char *slug)
{
	return set->cap > 0 && slug_find(set, slug)->slug != NULL;
}

static void
slugset_free(struct slugset *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->cap; i++)
		free(set->v[i].slug);
	free(set->v);
	free(set);
}

void
dir_free(struct dir_ctx *ctx)
{
	struct directive *d, *next;
	size_t i;

	if (ctx == NULL)
		return;
	for (d = ctx->list; d != NULL; d = next) {
		next = d->next;
		directive_free(d);
	}
	for (i = 0; i < ctx->subsz; i++)
		dir_free(ctx->subs[i]);
	free(ctx->subs);
	for (i = 0; i < ctx->pathsz; i++)
		free(ctx->paths[i]);
	free(ctx->paths);
	for (i = 0; i < ctx->headsz; i++) {
		free(ctx->heads[i].text);
		free(ctx->heads[i].slug);
	}
	free(ctx->heads);
	free(ctx->toc);
	free(ctx->lines);
	free(ctx->memo.mark);
	free(ctx->memo.cps);
	slugset_free(ctx->slugs);
	buf_release(&ctx->scratch);
	cmark_syntax_extension_free(cmark_get_default_mem_allocator(), ctx->ext);
	free(ctx);
}

/* ------------------------------------------------------------------ */
/* Checks shared by every directive                                    */

static const char *
prefix(const struct directive *d)
{
	return d->kind == DK_TEXT ? ":" : d->kind == DK_LEAF ? "::" : ":::";
}

static int __attribute__((format(printf, 4, 0)))
vderr(struct dir_ctx *ctx, struct directive *d, const struct pos *p,
    const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;

	buf_vprintf(&msg, fmt, ap);
	diag_error(ctx->dg, p, "%s", msg.ptr);
	buf_release(&msg);
	d->done = true;
	return -1;
}

/* Reports an error in d, at its start. Returns -1. */
static int __attribute__((format(printf, 3, 4)))
derr(struct dir_ctx *ctx, struct directive *d, const char *fmt, ...)
{
	struct pos p = { d->path, d->line, d->col };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vderr(ctx, d, &p, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Reports an error in d's attribute `key`, at the attribute's name (at
 * d's start if it has none). Returns -1.
 */
static int __attribute__((format(printf, 4, 5)))
aerr(struct dir_ctx *ctx, struct directive *d, const char *key,
    const char *fmt, ...)
{
	struct pos p = { d->path, d->line, d->col };
	va_list ap;
	size_t i;
	int rc;

	for (i = 0; i < d->attrsz; i++)
		if (strcmp(d->attrs[i].key, key) == 0 &&
		    d->attrs[i].at.line > 0)
			p = d->attrs[i].at;
	va_start(ap, fmt);
	rc = vderr(ctx, d, &p, fmt, ap);
	va_end(ap);
	return rc;
}

/* Reports that d takes no label, at its '['. Returns -1. */
static int
label_err(struct dir_ctx *ctx, struct directive *d)
{
	struct pos p = { d->path, d->line, d->col };

	if (d->label_at.line > 0)
		p = d->label_at;
	diag_error(ctx->dg, &p, "'::%s' takes no label", d->name);
	d->done = true;
	return -1;
}

static const char *
attr_get(const struct directive *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->attrsz; i++)
		if (strcmp(d->attrs[i].key, key) == 0)
			return d->attrs[i].value;
	return NULL;
}

/*
 * A copy of the value of a name's attribute (authority=) in Unicode NFC,
 * as records have names, or NULL. Caller frees.
 */
static char *
attr_name(const struct directive *d, const char *key)
{
	const char *v = attr_get(d, key);

	return v != NULL ? str_nfc(v) : NULL;
}

/* "a b c" as "a, b and c", in out. */
static const char *
list_words(struct buf *out, const char *words)
{
	const char *p, *sp, *last = strrchr(words, ' ');

	buf_truncate(out, 0);
	for (p = words; *p != '\0'; p = sp + 1) {
		sp = strchr(p, ' ');
		if (sp == NULL) {
			buf_puts(out, p);
			break;
		}
		buf_put(out, p, (size_t)(sp - p));
		buf_puts(out, sp == last ? " and " : ", ");
	}
	return out->ptr;
}

/*
 * Checks a directive's attributes against `allowed` (space-separated)
 * and that those in `required` are there. Reports each problem.
 */
static int
check_attrs(struct dir_ctx *ctx, struct directive *d, const char *allowed,
    const char *required)
{
	char word[32];
	const char *p, *e;
	struct buf words = BUF_INIT;
	size_t i, n;
	int rc = 0;

	for (i = 0; i < d->attrsz; i++) {
		n = strlen(d->attrs[i].key);
		for (p = allowed; *p != '\0'; p = *e == '\0' ? e : e + 1) {
			e = strchr(p, ' ');
			if (e == NULL)
				e = p + strlen(p);
			if ((size_t)(e - p) == n &&
			    memcmp(p, d->attrs[i].key, n) == 0)
				break;
		}
		if (*p == '\0') {
			if (*allowed == '\0')
				rc = aerr(ctx, d, d->attrs[i].key, "unknown "
				    "attribute '%s' in '%s%s' (it takes none)",
				    d->attrs[i].key, prefix(d), d->name);
			else
				rc = aerr(ctx, d, d->attrs[i].key, "unknown "
				    "attribute '%s' in '%s%s' (it takes %s)",
				    d->attrs[i].key, prefix(d), d->name,
				    list_words(&words, allowed));
		}
	}
	for (p = required; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		e = strchr(p, ' ');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p) < sizeof(word) ? (size_t)(e - p) :
		    sizeof(word) - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		if (attr_get(d, word) == NULL)
			rc = derr(ctx, d, "'%s%s' needs the attribute '%s'",
			    prefix(d), d->name, word);
		else if (*attr_get(d, word) == '\0')
			rc = aerr(ctx, d, word, "'%s' in '%s%s' is empty", word,
			    prefix(d), d->name);
	}
	buf_release(&words);
	return rc;
}

static const struct record *
find_record(const struct dir_ctx *ctx, const char *id, size_t *index)
{
	const struct site *s = ctx->src.env->site;
	size_t i = site_record_index(s, id);

	if (i == SIZE_MAX)
		return NULL;
	if (index != NULL)
		*index = i;
	return s->records[i];
}

static const struct record *
need_vendor(struct dir_ctx *ctx, struct directive *d, const char *key,
    size_t *index)
{
	const char *id = attr_get(d, key), *to;
	const struct record *r;

	if (id == NULL)
		return NULL;
	if ((r = find_record(ctx, id, index)) == NULL &&
	    site_record_failed(ctx->src.env->site, id))
		d->done = true;	/* the record's own errors said why */
	else if (r == NULL && site_is_draft(ctx->src.env->site, id))
		aerr(ctx, d, key, "vendor '%s' is a draft "
		    "(content/vendors/%s.xml): publish it, or build with "
		    "--drafts", id, id);
	else if (r == NULL && id_valid(id) && (to = changes_renamed_to(
	    ctx->src.env->site, id)) != NULL)
		aerr(ctx, d, key, "no vendor '%s': its record was renamed to "
		    "'%s' (content/vendors/%s.xml)", id, to, to);
	else if (r == NULL && id_valid(id))
		aerr(ctx, d, key, "no vendor '%s' (no content/vendors/%s.xml)",
		    id, id);
	else if (r == NULL)
		aerr(ctx, d, key, "no vendor '%s': ids are made of a-z, 0-9 "
		    "and '-'", id);
	return r;
}

/* Reads limit=: a whole number from 1 to MAX_LIMIT. */
static int
get_limit(struct dir_ctx *ctx, struct directive *d, long *out, long dflt)
{
	const char *v = attr_get(d, "limit");
	char *end;
	long l;

	*out = dflt;
	if (v == NULL)
		return 0;
	l = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || l < 1 || l > MAX_LIMIT)
		return aerr(ctx, d, "limit", "'limit' must be a whole number from 1 to "
		    "%d, not '%s'", MAX_LIMIT, v);
	*out = l;
	return 0;
}

static int
get_status(struct dir_ctx *ctx, struct directive *d, enum status *out,
    bool *set)
{
	const char *v = attr_get(d, "status");

	*set = v != NULL;
	if (v != NULL && !status_from_key(out, v))
		return aerr(ctx, d, "status", "'status' must be one of approved, "
		    "under-review, restricted, banned or lifted, not '%s'", v);
	return 0;
}

static int
get_country(struct dir_ctx *ctx, struct directive *d, const char **out)
{
	const char *v = attr_get(d, "country");
	char up[3];

	*out = v;
	if (v == NULL)
		return 0;
	if (strlen(v) != 2 || !is_alpha(v[0]) || !is_alpha(v[1]))
		return aerr(ctx, d, "country", "'country' must be a two-letter ISO 3166-1 "
		    "code such as 'RU', not '%s'", v);
	up[0] = v[0] >= 'a' ? (char)(v[0] - 'a' + 'A') : v[0];
	up[1] = v[1] >= 'a' ? (char)(v[1] - 'a' + 'A') : v[1];
	up[2] = '\0';
	/* As in records: a typo such as UK (for GB) matches nothing. */
	if (!country_known(up) && country_meant(up) != NULL)
		return aerr(ctx, d, "country", "unknown country code '%s' (ISO "
		    "3166-1 assigns no such code; did you mean '%s'?)", v,
		    country_meant(up));
	if (!country_known(up))
		return aerr(ctx, d, "country", "unknown country code '%s' (ISO 3166-1 "
		    "assigns no such code; use one such as 'RU')", v);
	return 0;
}

/* from= and to=: YYYY-MM-DD, or YYYY for the whole year. */
static int
get_date(struct dir_ctx *ctx, struct directive *d, const char *key, bool end,
    struct date *out)
{
	const char *v = attr_get(d, key);
	char tmp[16], why[64];

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return 0;
	if (strlen(v) == 4 && v[0] >= '0' && v[0] <= '9' && v[1] >= '0' &&
	    v[1] <= '9' && v[2] >= '0' && v[2] <= '9' && v[3] >= '0' &&
	    v[3] <= '9') {
		snprintf(tmp, sizeof(tmp), "%s-%s", v, end ? "12-31" : "01-01");
		v = tmp;
	}
	if (date_impossible(why, sizeof(why), v) != NULL)
		return aerr(ctx, d, key, "invalid date '%s' in '%s': %s",
		    attr_get(d, key), key, why);
	if (!date_parse(out, v))
		return aerr(ctx, d, key, "'%s' must be a date (YYYY-MM-DD or "
		    "YYYY), not '%s'", key, attr_get(d, key));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

/* The attribute value of the extra classes, with a leading space. */
static void
put_classes(struct buf *b, const struct directive *d)
{
	if (d->classes.len == 0)
		return;
	buf_putc(b, ' ');
	buf_put_html(b, d->classes.ptr, d->classes.len);
}

static int
render_tmpl(struct dir_ctx *ctx, struct directive *d, const char *name,
    struct tval *data)
{
	struct buf out = BUF_INIT, cls = BUF_INIT;
	struct site *s = ctx->src.env->site;
	int rc;

	/* The template escapes it. */
	if (d->classes.len > 0) {
		buf_putc(&cls, ' ');
		buf_put(&cls, d->classes.ptr, d->classes.len);
	}
	tval_set(data, "class", tval_strn(cls.ptr, cls.len));
	tval_set_str(data, "root", DIR_ROOT);
	if (s->cfg.title != NULL) {
		struct tval *site = tval_map();
		tval_set_str(site, "title", s->cfg.title);
		tval_set(data, "site", site);
	}
	rc = tmpl_render(s->tmpl, name, data, &out);
	tval_free(data);
	buf_release(&cls);
	if (rc == -1) {
		buf_release(&out);
		d->done = true;
		return -1;
	}
	d->enter = buf_detach(&out);
	return 0;
}

static int
latest_cmp(const struct record *a, const struct record *b)
{
	const struct date *da = NULL, *db = NULL;
	size_t i;

	for (i = 0; i < a->actionsz; i++)
		if (da == NULL || date_cmp(&a->actions[i].date, da) > 0)
			da = &a->actions[i].date;
	for (i = 0; i < b->actionsz; i++)
		if (db == NULL || date_cmp(&b->actions[i].date, db) > 0)
			db = &b->actions[i].date;
	if (da == NULL || db == NULL)
		return da == NULL ? (db == NULL ? 0 : 1) : -1;
	return -date_cmp(da, db);	/* newest first */
}

/* Severity order for sort=status: the strongest restriction first. */
static int
status_rank(enum status st)
{
	static const int rank[STATUS__MAX] = {
		[STATUS_BANNED] = 0, [STATUS_RESTRICTED] = 1,
		[STATUS_UNDER_REVIEW] = 2, [STATUS_LIFTED] = 3,
		[STATUS_APPROVED] = 4
	};
	return rank[st];
}

struct pick {
	const struct record	*rec;
	size_t			 index;
};

static int sort_by;	/* 0 name, 1 status, 2 date; set before qsort */

static int
pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	int c = 0;

	if (sort_by == 1)
		c = status_rank(x->rec->status) - status_rank(y->rec->status);
	else if (sort_by == 2)
		c = latest_cmp(x->rec, y->rec);
	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool
has_authority(const struct record *r, const char *auth)
{
	size_t i;

	for (i = 0; i < r->actionsz; i++)
		if (strcasecmp(r->actions[i].authority, auth) == 0)
			return true;
	return false;
}

static int
do_vendors(struct dir_ctx *ctx, struct directive *d)
{
	const struct site *s = ctx->src.env->site;
	const char *country = NULL, *sort;
	char *auth;
	struct pick *picks;
	struct tval *data, *list;
	enum status st = STATUS_BANNED;
	bool st_set;
	long limit;
	size_t i, n = 0;
	int rc = 0;

	if (check_attrs(ctx, d, "status country authority sort limit", "") == -1)
		rc = -1;
	/* Each check reports its own problem: all are run. */
	if (get_status(ctx, d, &st, &st_set) == -1)
		rc = -1;
	if (get_country(ctx, d, &country) == -1)
		rc = -1;
	auth = attr_name(d, "authority");
	sort = attr_get(d, "sort");
	sort_by = 0;
	if (sort != NULL && strcmp(sort, "status") == 0)
		sort_by = 1;
	else if (sort != NULL && strcmp(sort, "date") == 0)
		sort_by = 2;
	else if (sort != NULL && strcmp(sort, "name") != 0)
		rc = aerr(ctx, d, "sort", "'sort' must be name, status or date, "
		    "not '%s'", sort);
	if (get_limit(ctx, d, &limit, MAX_LIMIT) == -1)
		rc = -1;
	if (rc == -1) {
		free(auth);
		return -1;
	}
	picks = xcalloc(s->recordsz + 1, sizeof(*picks));
	for (i = 0; i < s->recordsz; i++) {
		const struct record *r = s->records[i];
		if ((st_set && r->status != st) ||
		    (country != NULL && strcasecmp(r->country_code, country) != 0) ||
		    (auth != NULL && !has_authority(r, auth)))
			continue;
		picks[n++] = (struct pick){ r, i };
	}
	free(auth);
	if (n > 1)
		qsort(picks, n, sizeof(*picks), pick_cmp);
	list = tval_list();
	for (i = 0; i < n && (long)i < limit; i++)
		tval_push(list, tval_ref(tval_at(ctx->src.env->vendors, picks[i].index)));
	free(picks);
	data = tval_map();
	tval_set_bool(data, "has_vendors", n > 0);
	tval_set(data, "vendors", list);
	return render_tmpl(ctx, d, "dir-vendors", data);
}

static int
do_vendor(struct dir_ctx *ctx, struct directive *d)
{
	struct tval *data;
	size_t index;

	if (check_attrs(ctx, d, "id", "id") == -1)
		return -1;
	if (need_vendor(ctx, d, "id", &index) == NULL)
		return -1;
	data = tval_map();
	tval_set(data, "vendor", tval_ref(tval_at(ctx->src.env->vendors, index)));
	return render_tmpl(ctx, d, "dir-vendor", data);
}

static int
do_timeline(struct dir_ctx *ctx, struct directive *d)
{
	const char *vendor = attr_get(d, "vendor"), *type, *v;
	char *auth;
	struct date from, to, ad;
	enum action_type t = ACTION_DIRECTIVE;
	struct tval *list, *a, *data;
	size_t i;
	int rc = 0;

	if (check_attrs(ctx, d, "vendor authority type from to", "") == -1)
		rc = -1;
	if (vendor != NULL && need_vendor(ctx, d, "vendor", NULL) == NULL)
		rc = -1;
	type = attr_get(d, "type");
	if (type != NULL && !action_type_from_key(&t, type))
		rc = aerr(ctx, d, "type", "'type' must be one of directive, law, "
		    "regulation, delisting, listing, hearing, investigation, "
		    "guidance, sanction or lifting, not '%s'", type);
	if (get_date(ctx, d, "from", false, &from) == -1)
		rc = -1;
	if (get_date(ctx, d, "to", true, &to) == -1)
		rc = -1;
	if (rc == 0 && from.y != 0 && to.y != 0 && date_cmp(&from, &to) > 0)
		rc = aerr(ctx, d, "from", "'from' is after 'to'");
	if (rc == -1)
		return -1;
	auth = attr_name(d, "authority");
	list = tval_list();
	for (i = 0; i < tval_len(ctx->src.env->actions); i++) {
		a = tval_at(ctx->src.env->actions, i);
		if (vendor != NULL && strcmp(tval_get_str(tval_get(a, "vendor"),
		    "id"), vendor) != 0)
			continue;
		if (type != NULL && strcmp(tval_get_str(tval_get(a, "type"),
		    "key"), type) != 0)
			continue;
		if (auth != NULL && strcasecmp(tval_get_str(a, "authority"),
		    auth) != 0)
			continue;
		if ((v = tval_get_str(a, "date_iso")) == NULL ||
		    !date_parse(&ad, v))
			continue;
		if ((from.y != 0 && date_cmp(&ad, &from) < 0) ||
		    (to.y != 0 && date_cmp(&ad, &to) > 0))
			continue;
		tval_push(list, tval_ref(a));
	}
	free(auth);
	data = tval_map();
	tval_set_bool(data, "has_actions", tval_len(list) > 0);
	tval_set(data, "actions", list);
	return render_tmpl(ctx, d, "dir-timeline", data);
}

/* One bar of a chart. */
struct bar {
	char	*label;
	char	*key;		/* a class suffix: a status key, or NULL */
	long	 value;
};

static int
bar_cmp(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return str_collate(x->label, y->label);
}

static void
bar_add(struct bar **v, size_t *n, const char *label, const char *key)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].label, label) == 0) {
			(*v)[i].value++;
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].label = xstrdup(label);
	(*v)[*n].key = key != NULL ? xstrdup(key) : NULL;
	(*v)[*n].value = 1;
	(*n)++;
}

#define CHART_LABEL_MAX	28	/* widths of a Latin letter a chart's label shows */

/*
 * A bar's label: whole when it is CHART_LABEL_MAX wide or less, else cut
 * to one less and an ellipsis, with the whole label as its tooltip.
 */
static void
put_chart_label(struct buf *b, const char *label)
{
	const char *p;

	if (text_width(label, CHART_LABEL_MAX, &p) <= CHART_LABEL_MAX) {
		buf_puts_html(b, label);
		return;
	}
	BUF_PUTSL(b, "<title>");
	buf_puts_html(b, label);
	BUF_PUTSL(b, "</title>");
	text_width(label, CHART_LABEL_MAX - 1, &p);
	while (p > label && p[-1] == ' ')
		p--;
	buf_put_html(b, label, (size_t)(p - label));
	BUF_PUTSL(b, "\xe2\x80\xa6");
}

/*
 * The n bars of a chart (n > 0: do_chart() draws none for no data) as
 * an inline SVG. The wide drawing, 640 units, has the labels in a column
 * on the left; it is shown from a tablet's width up and in print. The
 * narrow one, 320 units, has each label on a line of its own above its
 * bar, so that its letters stay about the size of the text on a phone;
 * the stylesheet shows one of the two.
 */
static void
put_chart_svg(struct buf *b, const char *what, const struct bar *bars,
    size_t n, bool narrow)
{
	const int width = narrow ? 320 : 640, barh = narrow ? 14 : 22,
	    gap = narrow ? 12 : 10, valw = narrow ? 44 : 48,
	    labelh = narrow ? 20 : 0;
	size_t i, chars, longest = 0;
	const char *cut;
	long max = 0;
	int height, labelw, plotw, pitch = labelh + barh + gap;

	for (i = 0; i < n; i++) {
		if (bars[i].value > max)
			max = bars[i].value;
		if ((chars = text_width(bars[i].label, CHART_LABEL_MAX,
		    &cut)) > longest)
			longest = chars;
	}
	/*
	 * Beside the bars, the labels' column is as wide as the longest
	 * label, at 10.5 units a letter in the stylesheet's 14 units: about
	 * a letter's width, and the 0.12em between letters a reader may add
	 * (WCAG 1.4.12), from 80 to 314 units. A longer label is cut with an
	 * ellipsis, whole in its tooltip and in the table.
	 */
	if (narrow)
		labelw = 2;	/* a glyph's overhang, as of J, stays inside */
	else if ((labelw = 20 + 21 * (int)(longest > CHART_LABEL_MAX ?
	    CHART_LABEL_MAX : longest) / 2) < 80)
		labelw = 80;
	plotw = width - labelw - valw;
	height = (int)n * pitch - gap;
	buf_printf(b, "<svg class=\"chart-svg chart-%s\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" aria-hidden=\"true\" focusable=\"false\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">\n<title>%s</title>\n",
	    narrow ? "narrow" : "wide", width, height, width, height, what);
	for (i = 0; i < n; i++) {
		int top = (int)i * pitch, bar = top + labelh;
		int w = max > 0 ? (int)((double)bars[i].value * plotw /
		    (double)max + 0.5) : 0;

		if (w == 0 && bars[i].value > 0)
			w = 1;
		BUF_PUTSL(b, "<g class=\"chart-row");
		if (bars[i].key != NULL)
			buf_printf(b, " chart-row-%s", bars[i].key);
		if (narrow)
			buf_printf(b, "\">\n<text class=\"chart-label\" x=\"%d\" "
			    "y=\"%d\">", labelw, top + 14);
		else
			buf_printf(b, "\">\n<text class=\"chart-label\" x=\"%d\" "
			    "y=\"%d\" text-anchor=\"end\">", labelw - 10,
			    top + barh / 2 + 5);
		put_chart_label(b, bars[i].label);
		buf_printf(b, "</text>\n<rect class=\"chart-bar\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"%d\"/>\n", labelw, bar, w, barh);
		buf_printf(b, "<text class=\"chart-value\" x=\"%d\" y=\"%d\">%ld"
		    "</text>\n</g>\n", labelw + w + 6, bar + barh / 2 + 5,
		    bars[i].value);
	}
	BUF_PUTSL(b, "</svg>\n");
}

/*
 * ::chart: a horizontal bar chart as inline SVG, made here, in a wide and
 * a narrow drawing, with the same numbers in a table for screen readers;
 * colours come from the stylesheet.
 */
static int
do_chart(struct dir_ctx *ctx, struct directive *d)
{
	const struct site *s = ctx->src.env->site;
	const char *of, *what, *unit;
	struct bar *bars = NULL;
	struct buf b = BUF_INIT;
	size_t n = 0, i, j;
	int miny = 0, maxy = 0, y;
	char tmp[16];

	if (check_attrs(ctx, d, "of", "of") == -1)
		return -1;
	of = attr_get(d, "of");
	if (strcmp(of, "status") == 0) {
		what = "Vendors by status", unit = "Vendors";
		for (y = 0; y < STATUS__MAX; y++)	/* by rank */
			for (i = 0; i < STATUS__MAX; i++)
				for (j = 0; status_rank((enum status)i) == y &&
				    j < s->recordsz; j++)
					if (s->records[j]->status == (enum status)i)
						bar_add(&bars, &n, status_label(i),
						    status_key(i));
	} else if (strcmp(of, "country") == 0) {
		what = "Vendors by country", unit = "Vendors";
		for (j = 0; j < s->recordsz; j++)
			bar_add(&bars, &n, s->records[j]->country, NULL);
		if (n > 1)
			qsort(bars, n, sizeof(*bars), bar_cmp);
	} else if (strcmp(of, "year") == 0) {
		what = "Actions by year", unit = "Actions";
		for (j = 0; j < s->recordsz; j++)
			for (i = 0; i < s->records[j]->actionsz; i++) {
				y = s->records[j]->actions[i].date.y;
				if (miny == 0 || y < miny)
					miny = y;
				if (y > maxy)
					maxy = y;
			}
		for (y = miny; miny != 0 && y <= maxy; y++) {
			snprintf(tmp, sizeof(tmp), "%04d", y);
			bars = xreallocarray(bars, n + 1, sizeof(*bars));
			bars[n++] = (struct bar){ xstrdup(tmp), NULL, 0 };
		}
		for (j = 0; j < s->recordsz; j++)
			for (i = 0; i < s->records[j]->actionsz; i++)
				bars[s->records[j]->actions[i].date.y - miny].value++;
	} else if (strcmp(of, "authority") == 0) {
		what = "Actions by authority", unit = "Actions";
		for (j = 0; j < s->recordsz; j++)
			for (i = 0; i < s->records[j]->actionsz; i++)
				bar_add(&bars, &n,
				    s->records[j]->actions[i].authority, NULL);
		if (n > 1)
			qsort(bars, n, sizeof(*bars), bar_cmp);
	} else
		return aerr(ctx, d, "of", "'of' must be status, country, year or "
		    "authority, not '%s'", of);

	if (n == 0)
		BUF_PUTSL(&b, "<p class=\"none\">No data to chart.</p>\n");
	else {
		buf_printf(&b, "<figure class=\"chart chart-%s", of);
		put_classes(&b, d);
		buf_printf(&b, "\">\n<figcaption>%s</figcaption>\n", what);
		put_chart_svg(&b, what, bars, n, false);
		put_chart_svg(&b, what, bars, n, true);
		buf_printf(&b, "<table class=\"visually-hidden\">\n<caption>%s"
		    "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", what,
		    strcmp(of, "status") == 0 ? "Status" :
		    strcmp(of, "country") == 0 ? "Country" :
		    strcmp(of, "year") == 0 ? "Year" : "Authority", unit);
		for (i = 0; i < n; i++) {
			BUF_PUTSL(&b, "<tr><th scope=\"row\">");
			buf_puts_html(&b, bars[i].label);
			buf_printf(&b, "</th><td>%ld</td></tr>\n", bars[i].value);
		}
		BUF_PUTSL(&b, "</tbody>\n</table>\n</figure>\n");
	}
	for (i = 0; i < n; i++) {
		free(bars[i].label);
		free(bars[i].key);
	}
	free(bars);
	d->enter = buf_detach(&b);
	return 0;
}

static bool
vendor_has_page(const void *arg, const char *id)
{
	return changes_vendor_has_page(arg, id);
}

/* Is id a removed record's, which keeps its page and history? */
static bool
removed_vendor(const struct site *s, const char *id)
{
	const struct hist_file **tomb;
	size_t i, n = changes_tombstones(s, &tomb);
	bool yes = false;

	for (i = 0; i < n && !yes; i++)
		yes = strcmp(tomb[i]->vendor, id) == 0;
	free(tomb);
	return yes;
}

/* ::changes and ::history, from the git history when the site has one. */
static int
do_history(struct dir_ctx *ctx, struct directive *d, bool changes)
{
	const struct site *s = ctx->src.env->site;
	const char *vendor = changes ? attr_get(d, "vendor") : NULL;
	struct buf b = BUF_INIT;
	long limit;

	if (check_attrs(ctx, d, changes ? "limit vendor" : "limit", "") == -1)
		return -1;
	if (get_limit(ctx, d, &limit, s->cfg.hist_limit) == -1)
		return -1;
	/* A record first: the removed ones are looked for in the history. */
	if (vendor != NULL && site_record_index(s, vendor) == SIZE_MAX &&
	    !removed_vendor(s, vendor) &&
	    need_vendor(ctx, d, "vendor", NULL) == NULL)
		return -1;
	buf_printf(&b, "<div class=\"directive directive-%s",
	    changes ? "changes" : "history");
	put_classes(&b, d);
	BUF_PUTSL(&b, "\">\n");
	if (changes)
		hist_html_changes(&b, s->hist, vendor, (unsigned)limit,
		    DIR_ROOT, vendor_has_page, s);
	else
		hist_html_page(&b, s->hist, ctx->root->src.path, (unsigned)limit,
		    DIR_ROOT);
	BUF_PUTSL(&b, "</div>\n");
	d->enter = buf_detach(&b);
	return 0;
}

/* The list of headings ::toc shows (none: ""), in out. */
static void
toc_list(struct buf *b, const struct dir_ctx *root)
{
	int level = 0, top = 7;
	size_t i;

	for (i = 0; i < root->headsz; i++)
		if (root->heads[i].level >= 2 && root->heads[i].level < top)
			top = root->heads[i].level;
	for (i = 0; i < root->headsz; i++) {
		int l = root->heads[i].level;
		if (l < top || l > top + 2)
			continue;
		l = l - top + 1;
		if (l > level + 1)
			l = level + 1;	/* no skipped list levels */
		if (l > level) {
			for (; level < l; level++)
				BUF_PUTSL(b, "<ul>\n<li>");
		} else {
			for (; level > l; level--)
				BUF_PUTSL(b, "</li>\n</ul>\n");
			BUF_PUTSL(b, "</li>\n<li>");
		}
		BUF_PUTSL(b, "<a href=\"#");
		buf_puts(b, root->heads[i].slug);
		BUF_PUTSL(b, "\">");
		buf_puts_html(b, root->heads[i].text);
		BUF_PUTSL(b, "</a>");
	}
	for (; level > 0; level--)
		BUF_PUTSL(b, "</li>\n</ul>\n");
}

static int
do_toc(struct dir_ctx *ctx, struct directive *d)
{
	struct dir_ctx *root = ctx->root;
	struct buf b = BUF_INIT;

	if (check_attrs(ctx, d, "", "") == -1)
		return -1;
	/* Made once: every ::toc of the page shows the same headings. */
	if (root->toc == NULL) {
		toc_list(&b, root);
		root->toc = buf_detach(&b);
	}
	if (*root->toc != '\0') {
		BUF_PUTSL(&b, "<nav class=\"toc");
		put_classes(&b, d);
		BUF_PUTSL(&b, "\" aria-label=\"Contents\">\n");
		buf_puts(&b, root->toc);
		BUF_PUTSL(&b, "</nav>\n");
	}
	d->enter = buf_detach(&b);
	return 0;
}

static int
do_admonition(struct dir_ctx *ctx, struct directive *d)
{
	struct buf b = BUF_INIT;
	bool details = strcmp(d->name, "details") == 0;
	const char *title = d->label != NULL && *d->label != '\0' ? d->label :
	    details ? "Details" : strcmp(d->name, "note") == 0 ? "Note" :
	    "Warning";

	if (check_attrs(ctx, d, "", "") == -1)
		return -1;
	if (details) {
		BUF_PUTSL(&b, "<details class=\"admonition admonition-details");
		put_classes(&b, d);
		BUF_PUTSL(&b, "\">\n<summary>");
		buf_puts_html(&b, title);
		BUF_PUTSL(&b, "</summary>");
		d->enter = buf_detach(&b);
		d->exit = xstrdup("</details>");
		return 0;
	}
	buf_printf(&b, "<aside class=\"admonition admonition-%s", d->name);
	put_classes(&b, d);
	BUF_PUTSL(&b, "\" role=\"note\">\n<p class=\"admonition-title\">");
	buf_puts_html(&b, title);
	BUF_PUTSL(&b, "</p>");
	d->enter = buf_detach(&b);
	d->exit = xstrdup("</aside>");
	return 0;
}

static void
put_badge(struct buf *b, const struct record *r)
{
	buf_printf(b, "<span class=\"badge badge-%s\"><span class=\"visually-"
	    "hidden\">Status: </span>%s</span>", status_key(r->status),
	    status_label(r->status));
}

/*
 * The badge that follows a vendor's name, with the space before it in a
 * span that does not wrap: the badge stays on the line of the name's last
 * word, and the name may still wrap between its words.
 */
static void
put_name_badge(struct buf *b, const struct record *r)
{
	BUF_PUTSL(b, "<span class=\"vendor-status\"> ");
	put_badge(b, r);
	BUF_PUTSL(b, "</span>");
}

static int
do_inline(struct dir_ctx *ctx, struct directive *d)
{
	struct site *s = ctx->src.env->site;
	const struct record *r;
	const struct action *a = NULL;
	const char *aid;
	struct buf b = BUF_INIT;
	char *out, *url;
	size_t i;

	if (strcmp(d->name, "deadline") == 0) {
		if (check_attrs(ctx, d, "vendor action", "vendor action") == -1)
			return -1;
		if ((r = need_vendor(ctx, d, "vendor", NULL)) == NULL)
			return -1;
		aid = attr_get(d, "action");
		for (i = 0; i < r->actionsz; i++)
			if (strcmp(r->actions[i].id, aid) == 0)
				a = &r->actions[i];
		if (a == NULL)
			return aerr(ctx, d, "action", "vendor '%s' has no "
			    "action '%s'", r->id, aid);
		if (a->deadline.y == 0)
			return aerr(ctx, d, "action", "action '%s' of vendor "
			    "'%s' has no deadline", aid, r->id);
		BUF_PUTSL(&b, "<time class=\"deadline");
		put_classes(&b, d);
		BUF_PUTSL(&b, "\" datetime=\"");
		date_iso(&b, &a->deadline);
		BUF_PUTSL(&b, "\">");
		date_format(&b, s->cfg.date_format, &a->deadline);
		if (a->deadline_days >= 0) {
			buf_printf(&b, " (%ld day%s after ", a->deadline_days,
			    a->deadline_days == 1 ? "" : "s");
			date_format(&b, s->cfg.date_format, &a->date);
			buf_putc(&b, ')');
		}
		BUF_PUTSL(&b, "</time>");
		d->enter = buf_detach(&b);
		return 0;
	}
	if (check_attrs(ctx, d, "id", "id") == -1)
		return -1;
	if ((r = need_vendor(ctx, d, "id", NULL)) == NULL)
		return -1;
	if (strcmp(d->name, "status") == 0) {
		if (d->classes.len > 0) {
			BUF_PUTSL(&b, "<span class=\"");
			buf_put_html(&b, d->classes.ptr, d->classes.len);
			BUF_PUTSL(&b, "\">");
		}
		put_badge(&b, r);
		if (d->classes.len > 0)
			BUF_PUTSL(&b, "</span>");
		d->enter = buf_detach(&b);
		return 0;
	}
	if (d->in_link) {
		/* A link inside a link is not HTML: the label and badge only. */
		BUF_PUTSL(&b, "<span class=\"vendor-link");
		put_classes(&b, d);
		BUF_PUTSL(&b, "\">");
		buf_puts_html(&b, d->label != NULL && *d->label != '\0' ?
		    d->label : r->name);
		BUF_PUTSL(&b, "</span>");
		put_name_badge(&b, r);
		d->enter = buf_detach(&b);
		return 0;
	}
	out = xasprintf("vendors/%s/index.html", r->id);
	url = site_url_for(s, out);
	BUF_PUTSL(&b, "<a class=\"vendor-link");
	put_classes(&b, d);
	buf_printf(&b, "\" href=\"%s", DIR_ROOT);
	buf_puts_html(&b, url);
	BUF_PUTSL(&b, "\">");
	buf_puts_html(&b, d->label != NULL && *d->label != '\0' ? d->label :
	    r->name);
	BUF_PUTSL(&b, "</a>");
	put_name_badge(&b, r);
	free(out);
	free(url);
	d->enter = buf_detach(&b);
	return 0;
}

/* "this page", or the page and its includes, for d's messages. */
static const char *
page_words(struct buf *b, const struct dir_ctx *ctx,
    const struct directive *d)
{
	buf_truncate(b, 0);
	if (strcmp(d->path, ctx->root->src.path) == 0)
		buf_puts(b, ctx->src.env->blocks ? "this page" :
		    "this record's text");
	else
		buf_printf(b, "%s and its includes", ctx->root->src.path);
	return b->ptr;
}

/*
 * Counts a directive that reads the whole register or history; reports
 * the one past MAX_LISTINGS, after which the page renders no more.
 */
static int
count_listing(struct dir_ctx *ctx, struct directive *d)
{
	struct buf where = BUF_INIT;
	int rc;

	if (++ctx->root->listings <= MAX_LISTINGS)
		return 0;
	ctx->root->too_big = true;
	rc = derr(ctx, d, "more than %d '::vendors', '::timeline', '::chart', "
	    "'::changes' and '::history' in %s", MAX_LISTINGS,
	    page_words(&where, ctx, d));
	buf_release(&where);
	return rc;
}

/*
 * An unknown block directive: the one meant when the name is a likely
 * slip for it (:::notes), else the names there are (::vendorz is as
 * close to ::vendor as to ::vendors).
 */
static int
unknown_block(struct dir_ctx *ctx, struct directive *d)
{
	static const char *const names[] = {
		"vendors", "vendor", "timeline", "chart", "changes", "history",
		"toc", "include", "note", "warning", "details", NULL
	};
	const char *meant = str_closest(d->name, names);

	if (meant != NULL)
		return derr(ctx, d, "unknown directive '%s%s' (did you mean "
		    "'%s%s'?)", prefix(d), d->name,
		    is_one_of(meant, containers, NELEM(containers)) ? ":::" :
		    "::", meant);
	return derr(ctx, d, "unknown directive '%s%s' (the block directives "
	    "are ::vendors, ::vendor, ::timeline, ::chart, ::changes, "
	    "::history, ::toc, ::include, :::note, :::warning and "
	    ":::details)", prefix(d), d->name);
}

static int
render_one(struct dir_ctx *ctx, struct directive *d)
{
	bool is_container, is_leaf;

	if (d->kind == DK_TEXT)
		return do_inline(ctx, d);
	is_container = is_one_of(d->name, containers, NELEM(containers));
	is_leaf = is_one_of(d->name, leaves, NELEM(leaves));
	if (!is_container && !is_leaf)
		return unknown_block(ctx, d);
	if (!ctx->src.env->blocks)
		return derr(ctx, d, "only inline directives (:vendor, :status, "
		    ":deadline) are allowed in record text, not '%s%s'",
		    prefix(d), d->name);
	if (d->kind == DK_CONTAINER && !d->closed && ctx->root->too_deep)
		return -1;	/* the nesting error said it */
	if (d->kind == DK_CONTAINER && !d->closed)
		return derr(ctx, d, "unterminated '%s%s': close it with a line "
		    "of %u colons", prefix(d), d->name, d->fence);
	if (is_container && d->kind != DK_CONTAINER)
		return derr(ctx, d, "'%s' is a container directive: write "
		    "':::%s' ... ':::'", d->name, d->name);
	if (is_leaf && d->kind != DK_LEAF)
		return derr(ctx, d, "'%s' is a leaf directive: write '::%s' "
		    "alone on its line", d->name, d->name);
	if (is_leaf && d->label != NULL)
		return label_err(ctx, d);
	if (is_container)
		return do_admonition(ctx, d);
	if ((strcmp(d->name, "vendors") == 0 ||
	    strcmp(d->name, "timeline") == 0 ||
	    strcmp(d->name, "chart") == 0 || strcmp(d->name, "changes") == 0 ||
	    strcmp(d->name, "history") == 0) && count_listing(ctx, d) == -1)
		return -1;
	if (strcmp(d->name, "vendors") == 0)
		return do_vendors(ctx, d);
	if (strcmp(d->name, "vendor") == 0)
		return do_vendor(ctx, d);
	if (strcmp(d->name, "timeline") == 0)
		return do_timeline(ctx, d);
	if (strcmp(d->name, "chart") == 0)
		return do_chart(ctx, d);
	if (strcmp(d->name, "changes") == 0)
		return do_history(ctx, d, true);
	if (strcmp(d->name, "history") == 0)
		return do_history(ctx, d, false);
	if (strcmp(d->name, "toc") == 0)
		return do_toc(ctx, d);
	return 0;	/* include: spliced before */
}

/* ------------------------------------------------------------------ */
/* Includes, headings and the walk                                     */

/*
 * Resolves file= against the including file's folder. The result must
 * stay inside content/. Returns the path (caller frees) or NULL.
 */
static char *
include_path(const char *from, const char *file)
{
	char *path;

	if (strchr(file, '\\') != NULL || strchr(file, ':') != NULL)
		return NULL;
	if ((path = path_resolve(from, file)) == NULL)
		return NULL;
	if (!str_startswith(path, "content/") || strlen(path) <= 8) {
		free(path);
		return NULL;
	}
	return path;
}

static int	splice_includes(struct dir_ctx *, cmark_node *);

/* Parses an included file and puts its blocks in place of the directive. */
static int
do_include(struct dir_ctx *ctx, struct directive *d, cmark_node *node)
{
	struct dir_ctx *root = ctx->root, *sub;
	struct site *s = ctx->src.env->site;
	const char *file;
	char *path;
	struct buf data = BUF_INIT, chain = BUF_INIT;
	struct md_src sub_src;
	cmark_parser *parser;
	cmark_node *doc, *child;
	struct pos at;
	char *msg, *what;
	size_t i;
	int rc = 0;

	d->done = true;
	if (check_attrs(ctx, d, "file", "file") == -1)
		return -1;
	if (d->label != NULL)
		return label_err(ctx, d);
	if (!ctx->src.env->blocks)
		return derr(ctx, d, "only inline directives are allowed in "
		    "record text, not '::include'");
	file = attr_get(d, "file");
	if ((path = include_path(ctx->src.path, file)) == NULL)
		return aerr(ctx, d, "file", "'%s' is outside content/: "
		    "::include takes a path relative to this file, inside "
		    "content/", file);
	for (i = 0; i < root->stacksz; i++)
		if (strcmp(root->stack[i], path) == 0) {
			for (i = 0; i < root->stacksz; i++)
				buf_printf(&chain, "%s -> ", root->stack[i]);
			buf_puts(&chain, path);
			rc = aerr(ctx, d, "file", "include cycle: %s",
			    chain.ptr);
			buf_release(&chain);
			free(path);
			return rc;
		}
	if (root->stacksz >= MAX_INCLUDE_DEPTH) {
		free(path);
		return derr(ctx, d, "includes nested deeper than %d",
		    MAX_INCLUDE_DEPTH);
	}
	switch (source_type(s->src, path)) {
	case SRC_FILE:
		break;
	case SRC_OUTSIDE:
		rc = aerr(ctx, d, "file", "'%s' is a symbolic link that leads "
		    "outside the site folder, or into .git", file);
		free(path);
		return rc;
	default:
		/* A folder on the way that --as-of cannot read says why. */
		rc = source_why(s->src) != NULL ? aerr(ctx, d, "file",
		    "cannot read %s", source_why(s->src)) :
		    aerr(ctx, d, "file", "no file '%s' (%s)", file, path);
		free(path);
		return rc;
	}
	if (root->includes >= MAX_INCLUDES) {
		free(path);
		if (root->includes++ == MAX_INCLUDES)	/* said once */
			return derr(ctx, d, "more than %d includes in one page",
			    MAX_INCLUDES);
		d->done = true;
		return -1;
	}
	root->includes++;
	if (source_read(s->src, path, &data) == -1) {
		rc = source_why(s->src) != NULL ? aerr(ctx, d, "file",
		    "cannot read %s", source_why(s->src)) :
		    aerr(ctx, d, "file", "cannot read '%s': %s", path,
		    file_strerror(errno));
		free(path);
		return rc;
	}
	/* Said where the bad byte is, in the included file. */
	what = xasprintf("file included by %s", ctx->src.path);
	msg = text_problem(data.ptr, data.len, what, &at.line, &at.col);
	free(what);
	if (msg != NULL) {
		at.path = path;
		rc = diag_error(ctx->dg, &at, "%s", msg);
		d->done = true;
		free(msg);
		buf_release(&data);
		free(path);
		return rc;
	}
	if ((root->included += data.len) > MAX_FILE_SIZE) {
		rc = derr(ctx, d, "included files of one page larger than 16 "
		    "MiB in all");
		buf_release(&data);
		free(path);
		return rc;
	}
	root->paths = xreallocarray(root->paths, root->pathsz + 1, sizeof(char *));
	root->paths[root->pathsz++] = path;
	/* The included text must outlive the parse: positions point into it. */
	root->paths = xreallocarray(root->paths, root->pathsz + 1, sizeof(char *));
	root->paths[root->pathsz++] = buf_detach(&data);

	/* The page's options, with the included file's text and place. */
	sub_src = ctx->src;
	sub_src.path = path;
	sub_src.text = md_body(root->paths[root->pathsz - 1],
	    strlen(root->paths[root->pathsz - 1]), &sub_src.len, &sub_src.line);
	sub_src.col = 0;
	sub_src.spans = NULL;
	if (mdlimit_check(ctx->dg, &sub_src) == -1)
		return -1;
	parser = md_parser_new(&sub_src);
	sub = dir_attach(parser, ctx->dg, &sub_src);
	md_parser_gfm(parser);
	sub->root = root;
	root->subs = xreallocarray(root->subs, root->subsz + 1, sizeof(*root->subs));
	root->subs[root->subsz++] = sub;
	cmark_parser_feed(parser, sub->src.text, sub->src.len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (md_filter_urls(ctx->dg, &sub->src, doc) == -1)
		rc = -1;
	root->stack[root->stacksz++] = path;
	if (splice_includes(sub, doc) == -1)
		rc = -1;
	root->stacksz--;
	while ((child = cmark_node_first_child(doc)) != NULL)
		if (!cmark_node_insert_before(node, child))
			die("cannot splice an included file");
	cmark_node_free(doc);
	return rc;
}

/* Finds the include directives of doc (in order) and splices each. */
static int
splice_includes(struct dir_ctx *ctx, cmark_node *doc)
{
	cmark_iter *it;
	cmark_node *n, **inc = NULL;
	cmark_event_type ev;
	size_t incsz = 0, i;
	struct directive *d;
	int rc = 0;

	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != DIR_BLOCK ||
		    (d = cmark_node_get_user_data(n)) == NULL ||
		    d->kind != DK_LEAF || strcmp(d->name, "include") != 0 ||
		    d->done)
			continue;
		inc = xreallocarray(inc, incsz + 1, sizeof(*inc));
		inc[incsz++] = n;
	}
	cmark_iter_free(it);
	for (i = 0; i < incsz; i++) {
		d = cmark_node_get_user_data(inc[i]);
		if (do_include(ctx, d, inc[i]) == -1)
			rc = -1;
		cmark_node_free(inc[i]);
	}
	free(inc);
	return rc;
}

/*
 * The C.UTF-8 locale, for the lower case of letters beyond ASCII, or 0
 * where the C library has none (then they are kept as they are).
 */
static locale_t slug_locale;
static pthread_once_t slug_once = PTHREAD_ONCE_INIT;

static void
slug_locale_open(void)
{
	slug_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/*
 * Does GitHub leave code point cp (beyond ASCII) out of a slug? It does
 * punctuation, symbols, separators, control and format characters, and
 * numbers other than digits (², ½). libxml2's tables are of Unicode 4:
 * code points assigned since are kept, but for the emoji and other
 * symbols of U+1F000 to U+1FAFF.
 */
static bool
slug_drops(unsigned cp)
{
	int c = (int)cp;

	return xmlUCSIsCatP(c) || xmlUCSIsCatS(c) || xmlUCSIsCatZ(c) ||
	    xmlUCSIsCatC(c) || xmlUCSIsCatNo(c) ||
	    (cp >= 0x1f000 && cp <= 0x1faff);
}

/* Is cp a letter (Unicode's L), as Final_Sigma counts cased letters? */
static bool
slug_letter(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	return xmlUCSIsCatL((int)cp) != 0;
}

/*
 * Is a capital sigma followed by a letter, after any combining marks, in
 * the len bytes at p? If not, and a letter came before it, it ends a
 * word, where JavaScript's toLowerCase() makes it 'ς' (Final_Sigma).
 */
static bool
slug_letter_next(const unsigned char *p, size_t len)
{
	size_t n;
	unsigned cp;

	while (len > 0 && (n = utf8_char(p, len, &cp)) > 0) {
		if (cp < 0x300 || !xmlUCSIsCatM((int)cp))
			return slug_letter(cp);
		p += n, len -= n;
	}
	return false;
}

/*
 * As GitHub (github-slugger): lower case as JavaScript's toLowerCase()
 * makes it; letters, marks, digits, '_' and '-' kept, each space a '-',
 * the rest (punctuation such as '’' and '—', symbols, emoji:
 * slug_drops()) left out.
 */
void
dir_slug(struct buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), n;
	unsigned cp;
	bool after_letter = false;
	wint_t lc;

	while (len > 0) {
		if (*p < 0x80) {
			if (*p >= 'A' && *p <= 'Z')
				buf_putc(out, *p - 'A' + 'a');
			else if (is_alnum(*p) || *p == '_' || *p == '-')
				buf_putc(out, *p);
			else if (*p == ' ')
				buf_putc(out, '-');
			after_letter = slug_letter(*p);
			p++, len--;
			continue;
		}
		if ((n = utf8_char(p, len, &cp)) == 0) {
			p++, len--;	/* not UTF-8: left out */
			after_letter = false;
			continue;
		}
		if (cp == 0x130)	/* İ: i and a combining dot above */
			BUF_PUTSL(out, "i\xcc\x87");
		else if (cp == 0x3a3 && after_letter &&
		    !slug_letter_next(p + n, len - n))
			BUF_PUTSL(out, "\xcf\x82");	/* ς, ending a word */
		else if (!slug_drops(cp)) {
			pthread_once(&slug_once, slug_locale_open);
			lc = slug_locale == (locale_t)0 ? (wint_t)cp :
			    towlower_l((wint_t)cp, slug_locale);
			if (lc == (wint_t)cp || lc > 0x10ffff)
				buf_put(out, p, n);
			else if (lc < 0x80)
				buf_putc(out, (int)lc);
			else
				buf_put_utf8(out, (unsigned long)lc);
		}
		if (!xmlUCSIsCatM((int)cp))
			after_letter = slug_letter(cp);
		p += n, len -= n;
	}
}

/* The plain text of a heading. */
static void
node_text(struct buf *out, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	cmark_node *n;
	cmark_node_type t;
	struct directive *d;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_puts(out, cmark_node_get_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(out, ' ');
		else if (is_dir_inline(n) && (d = cmark_node_get_user_data(n)) &&
		    d->label != NULL)
			buf_puts(out, d->label);
	}
	cmark_iter_free(it);
}

static void
number_headings(struct dir_ctx *ctx, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node *n;
	struct buf text = BUF_INIT, slug = BUF_INIT;
	struct heading *h;
	struct slugent *base;
	size_t len;

	if (ctx->slugs == NULL) {
		ctx->slugs = xcalloc(1, sizeof(*ctx->slugs));
		static const char *const theme[] = {	/* ids the theme uses */
			"main", "contents", "search-q", "search-results",
			"search-status", "history", "history-title",
			"home-recent"
		};
		size_t k;

		for (k = 0; k < NELEM(theme); k++)
			slug_take(ctx->slugs, theme[k]);
	}
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING ||
		    cmark_node_get_user_data(n) != NULL)
			continue;
		buf_truncate(&text, 0);
		buf_truncate(&slug, 0);
		node_text(&text, n);
		dir_slug(&slug, text.ptr);
		if (slug.len == 0)
			BUF_PUTSL(&slug, "section");
		if (slug_taken(ctx->slugs, slug.ptr)) {
			/* "x" is taken: try "x-1", "x-2", ... from where we were. */
			base = slug_take(ctx->slugs, slug.ptr);
			len = slug.len;
			for (;;) {
				buf_truncate(&slug, len);
				buf_printf(&slug, "-%u", base->next++);
				if (!slug_taken(ctx->slugs, slug.ptr))
					break;
			}
		}
		slug_take(ctx->slugs, slug.ptr);
		ctx->heads = xreallocarray(ctx->heads, ctx->headsz + 1,
		    sizeof(*ctx->heads));
		h = &ctx->heads[ctx->headsz++];
		h->level = cmark_node_get_heading_level(n);
		h->text = xstrdup(text.ptr);
		h->slug = xstrdup(slug.ptr);
		cmark_node_set_syntax_extension(n, ctx->ext);
		cmark_node_set_user_data(n, h->slug);
	}
	cmark_iter_free(it);
	buf_release(&text);
	buf_release(&slug);
}

/*
 * Adds what d rendered to the page's total; reports the directive that
 * takes it past MAX_DIR_OUTPUT.
 */
static int
count_output(struct dir_ctx *ctx, struct directive *d)
{
	struct buf where = BUF_INIT;
	int rc;

	ctx->rendered += (d->enter != NULL ? strlen(d->enter) : 0) +
	    (d->exit != NULL ? strlen(d->exit) : 0);
	if (ctx->rendered <= MAX_DIR_OUTPUT)
		return 0;
	ctx->too_big = true;
	rc = derr(ctx, d, "the directives of %s render more than %u MiB of "
	    "HTML in all", page_words(&where, ctx, d), MAX_DIR_OUTPUT >> 20);
	buf_release(&where);
	return rc;
}

int
dir_finish(struct dir_ctx *ctx, cmark_node *doc)
{
	cmark_iter *it;
	cmark_node *n, *up;
	cmark_node_type t;
	struct directive *d;
	unsigned errors = ctx->dg->errors;
	int rc = 0;

	ctx->stack[ctx->stacksz++] = ctx->src.path;
	if (splice_includes(ctx, doc) == -1)
		rc = -1;
	ctx->stacksz--;
	if (ctx->src.env->blocks)
		number_headings(ctx, doc);
	it = cmark_iter_new(doc);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if ((t != DIR_BLOCK && !is_dir_inline(n)) ||
		    (d = cmark_node_get_user_data(n)) == NULL || d->done)
			continue;
		d->done = true;
		for (up = cmark_node_parent(n); up != NULL;
		    up = cmark_node_parent(up))
			if (cmark_node_get_type(up) == CMARK_NODE_LINK ||
			    cmark_node_get_type(up) == CMARK_NODE_IMAGE)
				d->in_link = true;
		if (ctx->too_big)
			continue;	/* the page fails: not worth rendering */
		if (render_one(ctx, d) == -1)
			rc = -1;
		else if (count_output(ctx, d) == -1)
			rc = -1;
	}
	cmark_iter_free(it);
	return rc == 0 && ctx->dg->errors == errors ? 0 : -1;
}

void
dir_put_root(struct buf *b, const char *root)
{
	struct buf out = BUF_INIT;
	const char *p = b->ptr, *hit, *end = b->ptr + b->len;
	const size_t n = sizeof(DIR_ROOT) - 1;

	if (memchr(b->ptr, DIR_ROOT[0], b->len) == NULL)
		return;
	while ((hit = memchr(p, DIR_ROOT[0], (size_t)(end - p))) != NULL) {
		buf_put(&out, p, (size_t)(hit - p));
		if ((size_t)(end - hit) >= n && memcmp(hit, DIR_ROOT, n) == 0) {
			buf_puts(&out, root);
			p = hit + n;
		} else {
			buf_putc(&out, *hit);
			p = hit + 1;
		}
	}
	buf_put(&out, p, (size_t)(end - p));
	buf_release(b);
	*b = out;
}
