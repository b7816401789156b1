/*
 * Vendor records.
 *
 * libxml2 reads each record from memory with no network access and with
 * a SAX hook that stops the parser at a DOCTYPE, before any entity can
 * be declared, let alone expanded. The document is then validated against
 * the RELAX NG schema compiled into docket (less the patterns of its
 * values, which are checked in C with clearer messages; a plain record's
 * shape is checked in C, to the same effect, see shape_ok()), and walked
 * into a struct record; checks the schema cannot express (id equal to
 * the file name, calendar dates, unique action ids, deadlines) follow.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <nettle/sha1.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "embedded.h"
#include "markdown.h"
#include "rawxml.h"
#include "record.h"
#include "util.h"

static const char *const status_keys[] = {
	"approved", "under-review", "restricted", "banned", "lifted"
};
static const char *const status_labels[] = {
	"Approved", "Under review", "Restricted", "Banned", "Lifted"
};
static const char *const type_keys[] = {
	"directive", "law", "regulation", "delisting", "listing", "hearing",
	"investigation", "guidance", "sanction", "lifting"
};
static const char *const type_labels[] = {
	"Directive", "Law", "Regulation", "Delisting", "Listing", "Hearing",
	"Investigation", "Guidance", "Sanction", "Lifting"
};

const char *
status_key(enum status s)
{
	return status_keys[s];
}

const char *
status_label(enum status s)
{
	return status_labels[s];
}

/* The index of s in keys, or -1. */
static int
key_index(const char *const *keys, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, keys[i]) == 0)
			return (int)i;
	return -1;
}

bool
status_from_key(enum status *out, const char *s)
{
	int i = key_index(status_keys, NELEM(status_keys), s);

	if (i >= 0)
		*out = (enum status)i;
	return i >= 0;
}

const char *
action_type_key(enum action_type t)
{
	return type_keys[t];
}

const char *
action_type_label(enum action_type t)
{
	return type_labels[t];
}

bool
action_type_from_key(enum action_type *out, const char *s)
{
	int i = key_index(type_keys, NELEM(type_keys), s);

	if (i >= 0)
		*out = (enum action_type)i;
	return i >= 0;
}

bool
id_valid(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return false;
	return true;
}

static bool
blank_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

char *
dedent(const char *s, unsigned *first_line, size_t *indentp)
{
	struct buf out = BUF_INIT;
	const char *p, *e, *start = NULL, *end = NULL;
	size_t indent = (size_t)-1, n, i;
	unsigned line = 0, first = 0;

	/* Find the first and last non-blank lines and the common indent. */
	for (p = s; *p != '\0'; p = *e == '\0' ? e : e + 1, line++) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (blank_line(p, n))
			continue;
		if (start == NULL) {
			start = p;
			first = line;
		}
		end = e;
		for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		if (i < indent)
			indent = i;
		if (*e == '\0')
			break;
	}
	if (first_line != NULL)
		*first_line = first;
	if (indentp != NULL)
		*indentp = start == NULL ? 0 : indent;
	if (start == NULL)
		return xstrdup("");
	for (p = start; p < end; p = e + 1) {
		e = strchr(p, '\n');
		if (e == NULL || e > end)
			e = end;
		n = (size_t)(e - p);
		if (!blank_line(p, n))
			buf_put(&out, p + indent, n - indent);
		if (n > 0 && p[n - 1] == '\r' && out.len > 0 &&
		    out.ptr[out.len - 1] == '\r')
			buf_truncate(&out, out.len - 1);
		buf_putc(&out, '\n');
		if (e == end)
			break;
	}
	return buf_detach(&out);
}

static char	*attr(xmlNodePtr, const char *);
static char	*text_line(xmlNodePtr);
static bool	 is_el(xmlNodePtr, const char *);

/* A schema error held back until the precise checks have run. */
struct schema_err {
	unsigned	 line;
	char		*msg;
	bool		 generic;	/* "... failed to validate ..." */
};

/* State shared with libxml2's callbacks while one record is read. */
struct rstate {
	struct diag	*dg;
	const char	*path;
	const char	*data;		/* the record's bytes (no NUL at the end) */
	size_t		 len;
	bool		 doctype;
	unsigned	 errors;
	char		*last;		/* the last message, to drop repeats */
	bool		 validating;	/* collect into serr instead of printing */
	struct schema_err *serr;
	size_t		 serrsz;
	unsigned	*lines;		/* lines with a precise error */
	size_t		 linesz;
	/* The elements in the bytes, in the order of their nodes' _private. */
	struct rawxml_el *els;
	size_t		 elsz;
	size_t		*dlines;	/* where each line of data starts */
	size_t		 dlinesz;
};

static struct pos el_pos(struct rstate *, xmlNodePtr);
static struct pos attr_pos(struct rstate *, xmlNodePtr, const char *, bool);
static struct pos text_pos(struct rstate *, xmlNodePtr);
static struct pos text_node_pos(struct rstate *, xmlNodePtr);

/*
 * The column in bytes of libxml2's column col of line `line`: libxml2
 * counts characters ("é" is one).
 */
static unsigned
byte_col(const struct rstate *st, unsigned line, unsigned col)
{
	const char *p = st->data, *end = st->data + st->len, *start, *nl;
	unsigned l, c, cp;
	size_t k;

	for (l = 1; l < line; l++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return col;
		p = nl + 1;
	}
	for (start = p, c = 1; c < col && p < end && *p != '\n'; c++) {
		k = utf8_char((const unsigned char *)p, (size_t)(end - p), &cp);
		p += k > 0 ? k : 1;
	}
	return (unsigned)(p - start) + 1 + (col - c);
}

/*
 * The column of the closing tag "</name" that ends before column col of
 * line `line` (libxml2 gives the column after it), or col if not found.
 */
static unsigned
closing_col(const struct rstate *st, unsigned line, unsigned col,
    const char *name)
{
	const char *p = st->data, *end = st->data + st->len, *nl;
	size_t n = strlen(name), i;
	unsigned l;

	for (l = 1; l < line; l++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return col;
		p = nl + 1;
	}
	for (i = col > 1 ? col - 1 : 0; i > 0; i--)
		if (p + i - 1 + 2 + n <= end && p[i - 1] == '<' &&
		    p[i] == '/' && memcmp(p + i + 1, name, n) == 0)
			return (unsigned)i;
	return col;
}

/*
 * The column of the '&' at or before column col of line `line` (libxml2
 * gives the column after the reference), or col if there is none.
 */
static unsigned
amp_col(const struct rstate *st, unsigned line, unsigned col)
{
	const char *p = st->data, *end = st->data + st->len, *nl;
	unsigned l, i;

	for (l = 1; l < line; l++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return col;
		p = nl + 1;
	}
	for (i = col; i > 0; i--)
		if (p + i - 1 < end && p[i - 1] == '&')
			return i;
	return col;
}

static void
on_xml_error(void *arg, xmlErrorPtr err)
{
	struct rstate *st = arg;
	struct pos p = { st->path, 0, 0 };
	char *msg;
	size_t n;

	if (st->doctype || err == NULL || err->level == XML_ERR_WARNING)
		return;
	msg = xstrdup(err->message != NULL ? err->message : "invalid XML");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (st->last != NULL && strcmp(st->last, msg) == 0) {
		free(msg);
		return;
	}
	free(st->last);
	st->last = msg;
	p.line = err->line > 0 ? (unsigned)err->line : 0;
	p.col = err->domain == XML_FROM_PARSER && err->int2 > 0 &&
	    p.line > 0 ? byte_col(st, p.line, (unsigned)err->int2) : 0;
	if (msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a' && msg[1] <= 'z')
		msg[0] = (char)(msg[0] - 'A' + 'a');
	/* libxml2's own limits, said without its options. */
	if (err->code == XML_ERR_TAG_NAME_MISMATCH && err->str1 != NULL &&
	    err->str2 != NULL && p.line > 0) {
		free(msg);
		msg = st->last = err->int1 > 0 && (unsigned)err->int1 != p.line ?
		    xasprintf("closing tag '</%s>' does not match '<%s>', "
		    "opened on line %d", err->str2, err->str1, err->int1) :
		    xasprintf("closing tag '</%s>' does not match '<%s>'",
		    err->str2, err->str1);
		p.col = closing_col(st, p.line, p.col, err->str2);
	} else if (err->domain == XML_FROM_PARSER &&
	    strstr(msg, "ntityRef") != NULL) {
		/* AT&T, "A & B": libxml2 says "entityRef: expecting ';'". */
		free(msg);
		msg = st->last = xstrdup("bare '&' (write &amp; for a "
		    "literal '&')");
		if (p.col > 0)
			p.col = amp_col(st, p.line, p.col);
	} else if (err->code == XML_ERR_UNDECLARED_ENTITY) {
		/* &nbsp; and the other names of HTML. */
		free(msg);
		msg = st->last = xasprintf("unknown entity '&%s;' (XML knows "
		    "only &amp; &lt; &gt; &quot; and &apos;: write the "
		    "character itself, or its number, such as &#160;)",
		    err->str1 != NULL ? (const char *)err->str1 : "");
		if (p.col > 0)
			p.col = amp_col(st, p.line, p.col);
	} else if (strstr(msg, "xcessive depth in document") != NULL) {
		free(msg);
		msg = st->last = xstrdup("elements nested deeper than 256");
	} else if (strstr(msg, "Huge input lookup") != NULL ||
	    strstr(msg, "huge text node") != NULL) {
		free(msg);
		msg = st->last = xstrdup("text longer than 10000000 bytes");
	}
	if (st->validating) {
		st->serr = xreallocarray(st->serr, st->serrsz + 1,
		    sizeof(*st->serr));
		st->serr[st->serrsz].line = p.line;
		st->serr[st->serrsz].msg = xstrdup(msg);
		st->serr[st->serrsz].generic =
		    strstr(msg, "failed to validate") != NULL ||
		    strcmp(msg, "error validating value") == 0 ||
		    strncmp(msg, "invalid attribute ", 18) == 0;
		st->serrsz++;
		return;
	}
	diag_error(st->dg, &p, "%s", msg);
	st->errors++;
}

/* Copies a value fit to echo in a message: no control characters, short. */
static const char *
printable(char *out, size_t outsz, const char *v)
{
	size_t i;

	for (i = 0; v[i] != '\0' && i + 4 < outsz; i++)
		out[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
	if (v[i] != '\0')
		memcpy(out + i, "...", 3), i += 3;
	out[i] = '\0';
	return out;
}

/*
 * Reports a precise error at p (taking over msg), so that schema errors
 * on that line are dropped.
 */
static void
precise_at(struct rstate *st, struct pos p, char *msg)
{
	diag_error(st->dg, &p, "%s", msg);
	free(msg);
	st->errors++;
	st->lines = xreallocarray(st->lines, st->linesz + 1, sizeof(unsigned));
	st->lines[st->linesz++] = p.line;
}

/* precise_at() element n's start tag. */
static void
precise(struct rstate *st, xmlNodePtr n, char *msg)
{
	precise_at(st, el_pos(st, n), msg);
}

/* precise_at() the value of attribute `name` of element n. */
static void
precise_attr(struct rstate *st, xmlNodePtr n, const char *name, char *msg)
{
	precise_at(st, attr_pos(st, n, name, false), msg);
}

/* precise_at() the text of element n. */
static void
precise_text(struct rstate *st, xmlNodePtr n, char *msg)
{
	precise_at(st, text_pos(st, n), msg);
}

/* Called at "<!DOCTYPE name ...", before any declaration is read. */
static void
refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct rstate *st = ctxt->_private;
	struct pos p = { st->path, (unsigned)xmlSAX2GetLineNumber(ctx),
		(unsigned)xmlSAX2GetColumnNumber(ctx) };
	const char *line, *end = st->data + st->len;
	size_t i;
	unsigned n;

	/*
	 * Point at "<!DOCTYPE" itself rather than where the parser is. The
	 * data need not end in a NUL (a blob read from git does not).
	 */
	for (line = st->data, n = 1; n < p.line && line != NULL; n++)
		if ((line = memchr(line, '\n', (size_t)(end - line))) != NULL)
			line++;
	for (i = 0; line != NULL && i < p.col && (size_t)(end - line) >= i + 9;
	    i++)
		if (memcmp(line + i, "<!DOCTYPE", 9) == 0) {
			p.col = (unsigned)i + 1;
			break;
		}
	(void)name, (void)eid, (void)sid;
	if (!st->doctype) {
		diag_error(st->dg, &p,
		    "DOCTYPE is not allowed in a record (no DTDs or entities)");
		st->errors++;
	}
	st->doctype = true;
	xmlStopParser(ctxt);
}

static const char *const date_attrs[] = { "date", "deadline", "accessed" };
static const char *const url_attrs[] = { "href", "archived" };
/* What the schema's "line" pattern, \s*\S[\s\S]*, asks for. */
static const char *const line_attrs[] = { "authority", "publisher" };
static const char *const line_els[] = {
	"name", "alias", "country", "product", "title", "scope"
};

/* Does s hold a character other than XML white space (XSD's \S)? */
static bool
has_text(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return true;
	return false;
}

/* Is n an element named one of names? */
static bool
is_el_in(xmlNodePtr n, const char *const *names, size_t nn)
{
	size_t i;

	for (i = 0; i < nn; i++)
		if (is_el(n, names[i]))
			return true;
	return false;
}

/* The element's text as it is, white space included. */
static char *
text_raw(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = xstrdup(v != NULL ? (const char *)v : "");

	xmlFree(v);
	return s;
}

/* The attribute's value when it is one text, as records have it. */
static const char *
attr_plain(xmlAttrPtr a)
{
	if (a->ns != NULL)
		return NULL;
	if (a->children == NULL)
		return "";
	if (a->children->next != NULL || a->children->type != XML_TEXT_NODE ||
	    a->children->content == NULL)
		return NULL;
	return (const char *)a->children->content;
}

/* The element's content when it is one text, as records have it. */
static const char *
text_plain(xmlNodePtr n)
{
	if (n->children == NULL || n->children->next != NULL ||
	    n->children->type != XML_TEXT_NODE || n->children->content == NULL)
		return NULL;
	return (const char *)n->children->content;
}

static bool
name_in(const xmlChar *name, const char *const *names, size_t nn)
{
	size_t i;

	for (i = 0; i < nn; i++)
		if (strcmp((const char *)name, names[i]) == 0)
			return true;
	return false;
}

/*
 * Would check_one() say nothing of n? Answered in one pass over its
 * attributes, without copying them: true only when every value is
 * plain and right. Otherwise check_one() looks the slow way, and says
 * what is wrong in its own order.
 */
static bool
values_plain(xmlNodePtr n)
{
	xmlAttrPtr a;
	const char *v, *name;
	struct date d;
	enum action_type t;

	if (is_el(n, "status") || is_el(n, "website"))
		return false;	/* one each: the slow way */
	for (a = n->properties; a != NULL; a = a->next) {
		if ((v = attr_plain(a)) == NULL)
			return false;
		name = (const char *)a->name;
		if (name_in(a->name, date_attrs, NELEM(date_attrs))) {
			if (!date_parse(&d, v))
				return false;
		} else if (name_in(a->name, url_attrs, NELEM(url_attrs))) {
			if (!url_is_web(v))
				return false;
		} else if (strcmp(name, "id") == 0) {
			if (!id_valid(v))
				return false;
		} else if (name_in(a->name, line_attrs, NELEM(line_attrs))) {
			if (!has_text(v))
				return false;
		} else if (strcmp(name, "code") == 0 && is_el(n, "country")) {
			if (strlen(v) != 2 || v[0] < 'A' || v[0] > 'Z' ||
			    v[1] < 'A' || v[1] > 'Z' || !country_known(v))
				return false;
		} else if (strcmp(name, "type") == 0 && is_el(n, "action")) {
			if (!action_type_from_key(&t, v))
				return false;
		}
	}
	if (is_el_in(n, line_els, NELEM(line_els)))
		return (v = text_plain(n)) != NULL && has_text(v);
	return true;
}

/*
 * The codes ISO 3166-1 assigns (Debian's iso-codes, 249 of them), and
 * XK, which the European Commission and others use for Kosovo; in order,
 * two letters each.
 */
static const char country_codes[] =
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABB"
	"BDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBY"
	"BZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCX"
	"CYCZDEDJDKDMDODZECEEEGEHERESETFIFJFK"
	"FMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGS"
	"GTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIR"
	"ISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLA"
	"LBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMK"
	"MLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNE"
	"NFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
	"PNPRPSPTPWPYQARERORSRURWSASBSCSDSESG"
	"SHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTF"
	"TGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUY"
	"UZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW";

/* Is code two capital letters, the form of an alpha-2 code? */
static bool
country_form(const char *code)
{
	return strlen(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' &&
	    code[1] >= 'A' && code[1] <= 'Z';
}

bool
country_known(const char *code)
{
	size_t lo = 0, hi = sizeof(country_codes) / 2, mid;
	int c;

	if (strlen(code) != 2)
		return false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(code, country_codes + 2 * mid, 2);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

const char *
country_meant(const char *code)
{
	if (strcasecmp(code, "UK") == 0)
		return "GB";
	if (strcasecmp(code, "EL") == 0)
		return "GR";
	return NULL;
}

/* Is the record in doc a draft (draft="true" on its root)? */
static bool
is_draft(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char *v = root != NULL ? attr(root, "draft") : NULL;
	bool draft = v != NULL && strcmp(v, "true") == 0;

	free(v);
	return draft;
}

/* The checks of check_values() on n itself. */
static void
check_one(struct rstate *st, xmlNodePtr n)
{
	size_t i;
	char *v, *w;
	struct date d;
	enum status stv;
	enum action_type t;
	const char *meant;
	char pv[128], why[64];
#define P(v)	printable(pv, sizeof(pv), (v))

	for (i = 0; i < NELEM(date_attrs); i++)
		if ((v = attr(n, date_attrs[i])) != NULL) {
			if (date_impossible(why, sizeof(why), v) != NULL)
				precise_attr(st, n, date_attrs[i], xasprintf(
				    "invalid date '%s' in '%s': %s", P(v),
				    date_attrs[i], why));
			else if (!date_parse(&d, v))
				precise_attr(st, n, date_attrs[i], xasprintf(
				    "invalid date '%s' in '%s' (write "
				    "YYYY-MM-DD)", P(v), date_attrs[i]));
			free(v);
		}
	for (i = 0; i < NELEM(url_attrs); i++)
		if ((v = attr(n, url_attrs[i])) != NULL) {
			if (!url_is_web(v))
				precise_attr(st, n, url_attrs[i], xasprintf(
				    "invalid URL '%s' in '%s' (only http and "
				    "https)", P(v), url_attrs[i]));
			free(v);
		}
	if ((v = attr(n, "id")) != NULL) {
		if (!id_valid(v))
			precise_attr(st, n, "id", xasprintf("invalid id '%s' "
			    "in <%s> (" ID_RULE ")", P(v),
			    (const char *)n->name));
		free(v);
	}
	for (i = 0; i < NELEM(line_attrs); i++)
		if ((v = attr(n, line_attrs[i])) != NULL) {
			if (!has_text(v))
				precise_attr(st, n, line_attrs[i], xasprintf(
				    "empty '%s' in <%s>", line_attrs[i],
				    (const char *)n->name));
			free(v);
		}
	if (is_el_in(n, line_els, NELEM(line_els))) {
		v = text_raw(n);
		if (!has_text(v))
			precise(st, n, xasprintf("empty <%s>",
			    (const char *)n->name));
		free(v);
	}
	if (is_el(n, "status")) {
		v = text_line(n);
		if (!status_from_key(&stv, v))
			precise_text(st, n, xasprintf("unknown status '%s' (use "
			    "approved, under-review, restricted, banned or lifted)",
			    P(v)));
		free(v);
	} else if (is_el(n, "website")) {
		v = text_line(n);
		w = text_raw(n);
		if (!url_is_web(v))
			precise_text(st, n, xasprintf("invalid URL '%s' in "
			    "<website> (only http and https)", P(v)));
		else if (strcmp(v, w) != 0)
			precise_text(st, n, xasprintf("white space around the URL "
			    "'%s' in <website>", P(v)));
		free(v);
		free(w);
	} else if (is_el(n, "country") && (v = attr(n, "code")) != NULL) {
		if (!country_form(v))
			precise_attr(st, n, "code", xasprintf("invalid country "
			    "code '%s' (use ISO 3166-1 alpha-2, such as 'US')",
			    P(v)));
		/* A draft may keep `docket new`'s XX. */
		else if (!country_known(v) && !is_draft(n->doc)) {
			meant = country_meant(v);
			precise_attr(st, n, "code", xasprintf("unknown country "
			    "code '%s' (ISO 3166-1 assigns no such code; "
			    "%s '%s'%s)", v, meant != NULL ?
			    "did you mean" : "use one such as",
			    meant != NULL ? meant : "US",
			    meant != NULL ? "?" : ""));
		}
		free(v);
	} else if (is_el(n, "action") && (v = attr(n, "type")) != NULL) {
		if (!action_type_from_key(&t, v))
			precise_attr(st, n, "type", xasprintf("unknown action "
			    "type '%s' (use directive, law, regulation, "
			    "delisting, listing, hearing, investigation, "
			    "guidance, sanction or lifting)", P(v)));
		free(v);
	}
#undef P
}

/*
 * Checks the values the schema constrains, with messages that say what is
 * allowed; the schema's own messages are kept for the rest. The schema
 * docket compiles has no patterns (see get_schema()): this refuses every
 * value they refuse, and more (dates that are not in the calendar, URLs
 * with no host).
 */
static void
check_values(struct rstate *st, xmlNodePtr n, unsigned depth)
{
	xmlNodePtr c;

	if (depth > 16)
		return;
	if (record_slow_checks || !values_plain(n))
		check_one(st, n);
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			check_values(st, c, depth + 1);
}

/*
 * Prints the schema errors, unless a precise error has been reported:
 * check_values() and explain_record() cover all the schema checks, in
 * clearer words. Otherwise (a case they miss) the schema's messages are
 * the best there is, the generic ones only when nothing else was said.
 */
static void
flush_schema_errors(struct rstate *st)
{
	struct pos p = { st->path, 0, 0 };
	size_t i;
	bool specific = false;

	for (i = 0; i < st->serrsz; i++)
		if (!st->serr[i].generic)
			specific = true;
	for (i = 0; i < st->serrsz; i++) {
		if (st->linesz == 0 &&
		    !(specific && st->serr[i].generic)) {
			p.line = st->serr[i].line;
			diag_error(st->dg, &p, "%s", st->serr[i].msg);
			st->errors++;
		}
		free(st->serr[i].msg);
	}
	free(st->serr);
	st->serr = NULL;
	st->serrsz = 0;
}

/*
 * The patterns of schema/vendor.rng that check_values() checks in C.
 * libxml2 compiles a pattern's regular expression again at every value
 * it checks, which cost more than the rest of the validation: the schema
 * docket compiles leaves these out. Any other pattern stays in it.
 */
static const char *const c_patterns[] = {
	"[A-Z]{2}",
	"[a-z0-9][a-z0-9\\-]*",
	"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
	"[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+",
	"\\s*\\S[\\s\\S]*",
};

/* Has n an element among its children? */
static bool
has_element(xmlNodePtr n)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/*
 * Removes the <param name="pattern"> below n that c_patterns names. A
 * <data type="string"> left with no parameter becomes <text/>, which
 * allows the same (any text, no element) without looking the type up
 * and checking the value against it: that took two fifths of the time
 * libxml2 spent validating a record.
 */
static void
strip_patterns(xmlNodePtr n)
{
	xmlNodePtr c, next, t;
	xmlChar *name, *text;
	bool known;
	size_t i;

	for (c = n->children; c != NULL; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(c, "param")) {
			strip_patterns(c);
			name = is_el(c, "data") ? xmlGetProp(c, BAD_CAST "type") :
			    NULL;
			if (name != NULL && xmlStrEqual(name, BAD_CAST "string") &&
			    !has_element(c)) {
				t = xmlNewNode(c->ns, BAD_CAST "text");
				xmlReplaceNode(c, t);
				xmlFreeNode(c);
			}
			xmlFree(name);
			continue;
		}
		name = xmlGetProp(c, BAD_CAST "name");
		text = xmlNodeGetContent(c);
		known = false;
		for (i = 0; i < NELEM(c_patterns) && name != NULL &&
		    text != NULL && xmlStrEqual(name, BAD_CAST "pattern"); i++)
			if (xmlStrEqual(text, BAD_CAST c_patterns[i]))
				known = true;
		xmlFree(name);
		xmlFree(text);
		if (known) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

/* The dictionary of names a kept parser may grow to (bytes). */
#define PARSER_DICT_MAX	(256 << 10)

bool record_slow_checks;

/* One compiled schema, and one parser, per thread that reads records. */
static _Thread_local xmlRelaxNGPtr schema;
static _Thread_local xmlParserCtxtPtr parser;

/* Drops a libxml2 message (record_shape_check()). */
static void
ignore_xml_error(void *arg, xmlErrorPtr e)
{
	(void)arg;
	(void)e;
}

/*
 * ---- The shape of a valid record, checked in C ----
 *
 * libxml2's RELAX NG validation is a fifth of parsing a record, and a
 * build parses every version of every record in its history. Most
 * records are plain: elements in the schema's order, attributes it
 * names, text without markup. shape_ok() accepts those, and only
 * those: anything it is not sure of (a namespace, a comment or CDATA
 * inside text, white space around a status) goes to the schema, which
 * also words every error. It must never accept what the schema would
 * not: tests/unit/test_recshape.c and the record fuzz target check the
 * two against each other.
 */

enum shape_val { SV_ANY, SV_BOOL, SV_TYPE, SV_DAYS, SV_STATUS };

struct shape_attr {
	const char	*name;
	bool		 required;
	enum shape_val	 val;
};

static const struct shape_attr vendor_attrs[] = {
	{ "id", true, SV_ANY }, { "draft", false, SV_BOOL }, { NULL, 0, 0 }
};
static const struct shape_attr country_attrs[] = {
	{ "code", true, SV_ANY }, { NULL, 0, 0 }
};
static const struct shape_attr action_attrs[] = {
	{ "id", true, SV_ANY }, { "type", true, SV_TYPE },
	{ "date", true, SV_ANY }, { "authority", true, SV_ANY },
	{ "deadline-days", false, SV_DAYS }, { "deadline", false, SV_ANY },
	{ NULL, 0, 0 }
};
static const struct shape_attr source_attrs[] = {
	{ "href", true, SV_ANY }, { "publisher", true, SV_ANY },
	{ "date", true, SV_ANY }, { "accessed", false, SV_ANY },
	{ "archived", false, SV_ANY }, { NULL, 0, 0 }
};
static const struct shape_attr response_attrs[] = {
	{ "date", true, SV_ANY }, { "href", false, SV_ANY }, { NULL, 0, 0 }
};
static const struct shape_attr no_attrs[] = { { NULL, 0, 0 } };

static const char *const shape_statuses[] = {
	"approved", "under-review", "restricted", "banned", "lifted"
};
static const char *const shape_types[] = {
	"directive", "law", "regulation", "delisting", "listing", "hearing",
	"investigation", "guidance", "sanction", "lifting"
};

static bool
in_list(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return true;
	return false;
}

/* Is v one of the schema's values for kind k, written plainly? */
static bool
shape_value(const char *v, enum shape_val k)
{
	size_t i;

	switch (k) {
	case SV_ANY:
		return true;
	case SV_BOOL:
		return strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
	case SV_TYPE:
		return in_list(v, shape_types, NELEM(shape_types));
	case SV_STATUS:
		return in_list(v, shape_statuses, NELEM(shape_statuses));
	case SV_DAYS:	/* an integer from 0 to 36500 */
		for (i = 0; v[i] >= '0' && v[i] <= '9'; i++)
			;
		return i > 0 && i <= 5 && v[i] == '\0' && atoi(v) <= 36500;
	}
	return false;
}

/*
 * An element of no namespace named `name`, declaring none, with the
 * attributes `want` allows and all it requires, each a plain text.
 */
static bool
shape_el(xmlNodePtr n, const char *name, const struct shape_attr *want)
{
	xmlAttrPtr a;
	const struct shape_attr *w;
	const char *v;
	size_t have = 0, required = 0;

	if (n == NULL || n->ns != NULL || n->nsDef != NULL ||
	    strcmp((const char *)n->name, name) != 0)
		return false;
	for (a = n->properties; a != NULL; a = a->next) {
		for (w = want; w->name != NULL; w++)
			if (strcmp((const char *)a->name, w->name) == 0)
				break;
		if (w->name == NULL || (v = attr_plain(a)) == NULL ||
		    !shape_value(v, w->val))
			return false;
		have += w->required;
	}
	for (w = want; w->name != NULL; w++)
		required += w->required;
	return have == required;
}

/* Content of text only (in text nodes alone), or none. */
static bool
shape_text(xmlNodePtr n)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type != XML_TEXT_NODE)
			return false;
	return true;
}

/*
 * The first element from n on, past comments and white space; NULL at
 * the end, and *bad set at anything else.
 */
static xmlNodePtr
shape_next(xmlNodePtr n, bool *bad)
{
	const xmlChar *p;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if (n->type == XML_COMMENT_NODE)
			continue;
		if (n->type != XML_TEXT_NODE || n->content == NULL) {
			*bad = true;
			return NULL;
		}
		for (p = n->content; *p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'; p++)
			;
		if (*p != '\0') {
			*bad = true;
			return NULL;
		}
	}
	return NULL;
}

/* How often an element may come, as the schema says. */
enum shape_times { ONCE, OPTIONAL, ANY, SOME };

/*
 * The content model of a record, as the schema has it, in one table:
 * shape_ok() checks a record against it, and explain() says what is
 * wrong with one the schema refuses against it.
 */
struct shape_child {
	const char	*name;
	enum shape_times times;
};

/*
 * What an element holds: text (of the values `text` says), nothing, or
 * these elements in order.
 */
struct shape_kind {
	const char		 *name;
	const struct shape_attr	 *attrs;
	const struct shape_child *children;	/* NULL: text, or nothing */
	bool			  empty;
	enum shape_val		  text;
};

static const struct shape_child vendor_children[] = {
	{ "name", ONCE }, { "alias", ANY }, { "country", ONCE },
	{ "website", OPTIONAL }, { "status", ONCE }, { "products", OPTIONAL },
	{ "summary", ONCE }, { "action", ANY }, { "response", ANY },
	{ "note", OPTIONAL }, { NULL, ONCE }
};
static const struct shape_child products_children[] = {
	{ "product", SOME }, { NULL, ONCE }
};
static const struct shape_child action_children[] = {
	{ "title", ONCE }, { "scope", OPTIONAL }, { "description", OPTIONAL },
	{ "source", SOME }, { NULL, ONCE }
};

static const struct shape_kind shape_kinds[] = {
	{ "vendor", vendor_attrs, vendor_children, false, SV_ANY },
	{ "products", no_attrs, products_children, false, SV_ANY },
	{ "action", action_attrs, action_children, false, SV_ANY },
	{ "source", source_attrs, NULL, true, SV_ANY },
	{ "country", country_attrs, NULL, false, SV_ANY },
	{ "response", response_attrs, NULL, false, SV_ANY },
	{ "name", no_attrs, NULL, false, SV_ANY },
	{ "alias", no_attrs, NULL, false, SV_ANY },
	{ "website", no_attrs, NULL, false, SV_ANY },
	{ "status", no_attrs, NULL, false, SV_STATUS },
	{ "summary", no_attrs, NULL, false, SV_ANY },
	{ "note", no_attrs, NULL, false, SV_ANY },
	{ "product", no_attrs, NULL, false, SV_ANY },
	{ "title", no_attrs, NULL, false, SV_ANY },
	{ "scope", no_attrs, NULL, false, SV_ANY },
	{ "description", no_attrs, NULL, false, SV_ANY },
};

static const struct shape_kind *
shape_kind(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(shape_kinds); i++)
		if (strcmp(shape_kinds[i].name, name) == 0)
			return &shape_kinds[i];
	return NULL;
}

/*
 * Is n, named as kind k, what k says, written plainly: its attributes,
 * its text or its elements in order, each in turn?
 */
static bool
shape_check(xmlNodePtr n, const struct shape_kind *k)
{
	const struct shape_child *ch;
	xmlNodePtr c;
	const char *v;
	size_t count;
	bool bad = false;

	if (!shape_el(n, k->name, k->attrs))
		return false;
	if (k->empty)
		return n->children == NULL;
	if (k->children == NULL)
		return k->text == SV_ANY ? shape_text(n) :
		    (v = text_plain(n)) != NULL && shape_value(v, k->text);
	c = shape_next(n->children, &bad);
	for (ch = k->children; ch->name != NULL; ch++) {
		count = 0;
		while (c != NULL && strcmp((const char *)c->name,
		    ch->name) == 0 && (count == 0 || ch->times == ANY ||
		    ch->times == SOME)) {
			if (!shape_check(c, shape_kind(ch->name)))
				return false;
			c = shape_next(c->next, &bad);
			count++;
		}
		if (count == 0 && (ch->times == ONCE || ch->times == SOME))
			return false;
	}
	return c == NULL && !bad;
}

static bool
shape_ok(xmlNodePtr root)
{
	return shape_check(root, &shape_kinds[0]);
}

/*
 * ---- Saying what is wrong with a record the schema refuses ----
 *
 * libxml2's RELAX NG messages name neither what is missing nor where
 * an element belongs ("expecting an element , got nothing", "element
 * action failed to validate attributes", "did not expect element source
 * there" for an action without its <title>). explain() reads the record
 * against shape_kinds, the model shape_ok() checks, and says it in
 * docket's words: a missing or unknown element or attribute, one out of
 * order, text where only elements go. With check_values(), which words the values,
 * it covers everything the schema checks, so when either has spoken the
 * schema's own messages are dropped (see flush_schema_errors()).
 */

/* The name of element or attribute n as written: "prefix:name". */
static const char *
node_name(char *out, size_t outsz, const xmlNs *ns, const xmlChar *name)
{
	char buf[160];

	if (ns != NULL && ns->prefix != NULL)
		snprintf(buf, sizeof(buf), "%s:%s", (const char *)ns->prefix,
		    (const char *)name);
	else
		snprintf(buf, sizeof(buf), "%s", (const char *)name);
	return printable(out, outsz, buf);
}

/* "<a>, <b> and <c>": names between open and close, for a message. */
static char *
names_list(const char *const *names, size_t n, const char *open,
    const char *close)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, i + 1 == n ? " and " : ", ");
		buf_printf(&b, "%s%s%s", open, names[i], close);
	}
	return buf_detach(&b);
}

/*
 * Is v a value the schema takes for kind k? As the schema reads it: a
 * <value> is a token (white space around it is dropped), and an XSD
 * integer may have a sign and leading zeros.
 */
static bool
explain_value_ok(const char *v, enum shape_val k)
{
	const char *e;
	unsigned long n = 0;
	bool minus = false;

	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t' ||
	    e[-1] == '\n' || e[-1] == '\r'); e--)
		;
	if (k == SV_BOOL)
		return (e - v == 4 && strncmp(v, "true", 4) == 0) ||
		    (e - v == 5 && strncmp(v, "false", 5) == 0);
	if (v < e && (*v == '+' || *v == '-'))
		minus = *v++ == '-';
	if (v == e)
		return false;
	for (; v < e; v++) {
		if (*v < '0' || *v > '9')
			return false;
		n = n * 10 + (unsigned long)(*v - '0');
		if (n > 36500)
			return false;
	}
	return !minus || n == 0;
}

static void
explain_attrs(struct rstate *st, xmlNodePtr n, const struct shape_kind *k)
{
	const char *names[8] = { NULL };
	const struct shape_attr *w;
	xmlAttrPtr a;
	const char *v;
	char pn[128], pv[128];
	char *list;
	size_t nn = 0;

	for (w = k->attrs; w->name != NULL && nn < NELEM(names); w++)
		names[nn++] = w->name;
	list = names_list(names, nn, "'", "'");
	for (a = n->properties; a != NULL; a = a->next) {
		for (w = k->attrs; w->name != NULL; w++)
			if (a->ns == NULL &&
			    strcmp((const char *)a->name, w->name) == 0)
				break;
		if (w->name == NULL) {
			node_name(pn, sizeof(pn), a->ns, a->name);
			precise_at(st, attr_pos(st, n, pn, true), xasprintf(
			    "unknown attribute '%s' in <%s> (it takes %s)", pn,
			    k->name, nn > 0 ? list : "none"));
			continue;
		}
		if (w->val != SV_BOOL && w->val != SV_DAYS)
			continue;	/* the other values: check_one() */
		if ((v = attr_plain(a)) == NULL ||
		    !explain_value_ok(v, w->val))
			precise_attr(st, n, w->name, xasprintf(w->val == SV_BOOL ?
			    "'%s' must be true or false, not '%s'" :
			    "'%s' must be a whole number of days from 0 to "
			    "36500, not '%s'", w->name,
			    printable(pv, sizeof(pv), v != NULL ? v : "?")));
	}
	for (w = k->attrs; w->name != NULL; w++)
		if (w->required && !xmlHasNsProp(n, BAD_CAST w->name, NULL))
			precise(st, n, xasprintf("missing attribute '%s' in "
			    "<%s>", w->name, k->name));
	free(list);
}

static void	explain(struct rstate *, xmlNodePtr,
		    const struct shape_kind *);

/* Reports msg at the first character of text node t that is not white space. */
static void
explain_text(struct rstate *st, xmlNodePtr t, char *msg)
{
	precise_at(st, text_node_pos(st, t), msg);
}

/* The elements of n, as shape_kind k wants them. */
static void
explain_children(struct rstate *st, xmlNodePtr n, const struct shape_kind *k)
{
	const char *names[16] = { NULL };
	size_t seen[16];
	const struct shape_child *ch;
	const struct shape_kind *ck;
	xmlNodePtr c, last = NULL;
	size_t i, at = 0, nc = 0;
	char pn[128];
	char *list;

	for (ch = k->children; ch->name != NULL; ch++) {
		names[nc] = ch->name;
		seen[nc++] = 0;
	}
	list = names_list(names, nc, "<", ">");
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (c->content != NULL &&
			    has_text((const char *)c->content))
				explain_text(st, c, xasprintf("text directly "
				    "inside <%s>, which holds elements only "
				    "(%s)", k->name, list));
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < nc && (c->ns != NULL ||
		    strcmp((const char *)c->name, names[i]) != 0); i++)
			;
		if (i == nc) {
			precise(st, c, xasprintf("unknown element <%s> in <%s> "
			    "(it holds %s, in that order)", node_name(pn,
			    sizeof(pn), c->ns, c->name), k->name, list));
			continue;
		}
		if (seen[i] > 0 && (k->children[i].times == ONCE ||
		    k->children[i].times == OPTIONAL))
			precise(st, c, xasprintf("more than one <%s> in <%s>",
			    names[i], k->name));
		else if (i < at)
			precise(st, c, xasprintf("<%s> out of order in <%s>: it "
			    "goes before <%s> (the order is %s)", names[i],
			    k->name, (const char *)last->name, list));
		else {
			at = i;
			last = c;
		}
		seen[i]++;
		if ((ck = shape_kind(names[i])) != NULL)
			explain(st, c, ck);
	}
	for (i = 0; i < nc; i++)
		if (seen[i] == 0 && (k->children[i].times == ONCE ||
		    k->children[i].times == SOME))
			precise(st, n, xasprintf("missing <%s> in <%s>%s",
			    names[i], k->name, k->children[i].times == SOME ?
			    " (one or more)" : ""));
	free(list);
}

/* Says what in element n, of kind k, the schema refuses. */
static void
explain(struct rstate *st, xmlNodePtr n, const struct shape_kind *k)
{
	xmlNodePtr c;
	char pn[128];

	explain_attrs(st, n, k);
	if (k->children != NULL) {
		explain_children(st, n, k);
		return;
	}
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			precise(st, c, xasprintf(k->empty ?
			    "element <%s> inside <%s>, which holds nothing" :
			    "element <%s> inside <%s>, which holds text only "
			    "(write &lt; for a '<' in text)", node_name(pn,
			    sizeof(pn), c->ns, c->name), k->name));
		else if (k->empty && (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL &&
		    has_text((const char *)c->content))
			explain_text(st, c, xasprintf("text inside <%s>, which "
			    "holds nothing (write <%s .../>)", k->name,
			    k->name));
}

/* Says what the schema refuses in a record, from its root. */
static void
explain_record(struct rstate *st, xmlNodePtr root)
{
	char pn[128];

	if (root->ns != NULL)
		precise(st, root, xasprintf("the root element <%s> is in a "
		    "namespace; a record's <vendor> is in none", node_name(pn,
		    sizeof(pn), root->ns, root->name)));
	else if (strcmp((const char *)root->name, "vendor") != 0)
		precise(st, root, xasprintf("the root element is <%s>, not "
		    "<vendor>", node_name(pn, sizeof(pn), root->ns,
		    root->name)));
	else
		explain(st, root, &shape_kinds[0]);
}

static xmlRelaxNGPtr
get_schema(void)
{
	const struct embedded *e;
	xmlRelaxNGParserCtxtPtr pc;
	xmlDocPtr doc;

	if (schema != NULL)
		return schema;
	if ((e = embedded_find("schema/vendor.rng")) == NULL)
		die("schema missing from the binary");
	doc = xmlReadMemory((const char *)e->data, (int)e->len, "vendor.rng",
	    NULL, XML_PARSE_NONET);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL)
		die("the built-in schema does not parse");
	strip_patterns(xmlDocGetRootElement(doc));
	/* The parser works on a copy of the document. */
	pc = xmlRelaxNGNewDocParserCtxt(doc);
	schema = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	xmlFreeDoc(doc);
	if (schema == NULL)
		die("the built-in schema does not compile");
	return schema;
}

int
record_shape_check(const char *data, size_t len, bool *shape, bool *by_schema)
{
	xmlDocPtr doc;
	xmlRelaxNGValidCtxtPtr vc;

	*shape = *by_schema = false;
	if (len > INT32_MAX)
		return -1;
	xmlSetStructuredErrorFunc(NULL, ignore_xml_error);
	doc = xmlReadMemory(data, (int)len, NULL, "UTF-8", XML_PARSE_NONET |
	    XML_PARSE_COMPACT);
	if (doc == NULL || doc->intSubset != NULL ||
	    xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		xmlSetStructuredErrorFunc(NULL, NULL);
		return -1;
	}
	*shape = shape_ok(xmlDocGetRootElement(doc));
	vc = xmlRelaxNGNewValidCtxt(get_schema());
	xmlRelaxNGSetValidStructuredErrors(vc, ignore_xml_error, NULL);
	*by_schema = xmlRelaxNGValidateDoc(vc, doc) == 0;
	xmlRelaxNGFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	xmlSetStructuredErrorFunc(NULL, NULL);
	return 0;
}

void
record_init(void)
{
	/*
	 * libxml2 2.9 sets up its globals and its tables of datatypes on
	 * first use, with no lock: compiling one schema here does it all.
	 */
	xmlInitParser();
	get_schema();
}

void
record_cleanup(void)
{
	if (schema != NULL)
		xmlRelaxNGFree(schema);
	schema = NULL;
	if (parser != NULL)
		xmlFreeParserCtxt(parser);
	parser = NULL;
}

/*
 * git's id of a blob is the SHA-1 of "blob <size>" and a NUL, then the
 * bytes. Nettle's, not libgit2's: it needs no git_libgit2_init(), so the
 * records are parsed while libgit2 starts (site.c), and it is faster.
 */
void
record_set_blob(struct record *r, const char *data, size_t len)
{
	struct sha1_ctx c;
	char head[32];
	int n = snprintf(head, sizeof(head), "blob %zu", len);

	sha1_init(&c);
	sha1_update(&c, (size_t)n + 1, (const uint8_t *)head);
	sha1_update(&c, len, (const uint8_t *)data);
	sha1_digest(&c, sizeof(r->blob), r->blob);
}

/*
 * Copies an attribute; NULL when absent. As xmlGetProp() finds it (the
 * first of that name, in any namespace), without its copy for the
 * common case of one text: records have no DTD to give defaults.
 */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;
	xmlChar *v;
	const char *p;
	char *s;

	for (a = n->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			break;
	if (a == NULL && (n->doc == NULL || n->doc->intSubset == NULL))
		return NULL;
	if (a != NULL && (p = attr_plain(a)) != NULL)
		return xstrdup(p);
	if ((v = xmlGetProp(n, BAD_CAST name)) == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/*
 * A name's attribute (an authority, a publisher) in Unicode NFC: typed
 * in NFD ("e" and U+0301), it is the same name. Not for URLs, whose
 * bytes a server may compare as they are.
 */
static char *
attr_name(xmlNodePtr n, const char *name)
{
	char *s = attr(n, name);

	return s != NULL ? str_nfc_own(s) : NULL;
}

/* The element's text with runs of white space folded to one space. */
static char *
text_line(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	struct buf b = BUF_INIT;
	const char *p;
	bool space = false;

	for (p = v != NULL ? (const char *)v : ""; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *p);
	}
	xmlFree(v);
	return buf_detach(&b);
}

/* text_line() of a name, a title, a product, in NFC (as attr_name()). */
static char *
text_name(xmlNodePtr n)
{
	return str_nfc_own(text_line(n));
}

/* Numbers the elements below n (n included) from *i on, in document order. */
static void
number_from(xmlNodePtr n, size_t *i)
{
	xmlNodePtr c;

	n->_private = (void *)(uintptr_t)++*i;
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			number_from(c, i);
}

/*
 * Finds the elements in the bytes, and numbers the document's (in their
 * _private) to match: raw_el() then finds an element's bytes. Records
 * are no deeper than the schema's three levels.
 */
static void
number_elements(struct rstate *st, xmlNodePtr root, const char *data,
    size_t len)
{
	size_t n = 0;

	st->elsz = rawxml_elements(&st->els, data, len);
	number_from(root, &n);
	if (n != st->elsz) {
		free(st->els);
		st->els = NULL;
		st->elsz = 0;
	}
}

/* The element of the bytes that n is; NULL when not known. */
static const struct rawxml_el *
raw_el(const struct rstate *st, xmlNodePtr n)
{
	size_t i = (size_t)(uintptr_t)n->_private;

	return i == 0 || i > st->elsz ? NULL : &st->els[i - 1];
}

/* Sets the line and column of offset `at` of the record's bytes. */
static void
data_pos(struct rstate *st, size_t at, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi, mid;
	const char *p, *nl, *end = st->data + st->len;

	if (st->dlines == NULL) {
		hi = 1;
		for (p = st->data; (nl = memchr(p, '\n', (size_t)(end - p))) !=
		    NULL; p = nl + 1)
			hi++;
		st->dlines = xreallocarray(NULL, hi, sizeof(size_t));
		st->dlines[st->dlinesz++] = 0;
		for (p = st->data; (nl = memchr(p, '\n', (size_t)(end - p))) !=
		    NULL; p = nl + 1)
			st->dlines[st->dlinesz++] = (size_t)(nl + 1 - st->data);
	}
	hi = st->dlinesz;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->dlines[mid] <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	*line = (unsigned)lo;
	*col = (unsigned)(at - st->dlines[lo - 1]) + 1;
}

/* Where offset `at` of the record's bytes is. */
static struct pos
at_pos(struct rstate *st, size_t at)
{
	struct pos p = { st->path, 0, 0 };

	data_pos(st, at, &p.line, &p.col);
	return p;
}

/*
 * Where element n is: the '<' of its start tag. Its line alone when the
 * bytes are not known (a parse that reports nothing does not look).
 */
static struct pos
el_pos(struct rstate *st, xmlNodePtr n)
{
	const struct rawxml_el *el = raw_el(st, n);
	struct pos p = { st->path, (unsigned)xmlGetLineNo(n), 0 };

	return el != NULL ? at_pos(st, el->tag) : p;
}

/*
 * Where attribute `name` of element n is written: the first character of
 * its value, inside the quotes, or with at_name its name. el_pos() when
 * the start tag does not have it as written.
 */
static struct pos
attr_pos(struct rstate *st, xmlNodePtr n, const char *name, bool at_name)
{
	const struct rawxml_el *el = raw_el(st, n);
	size_t from, to, k, len = strlen(name);

	if (el == NULL || rawxml_attr(st->data, el, name, &from, &to) == -1)
		return el_pos(st, n);
	if (!at_name)
		return at_pos(st, from);
	/* Back over the quote, then '=' and the white space around it. */
	for (k = from - 1; k > el->attrs && (st->data[k - 1] == '=' ||
	    st->data[k - 1] == ' ' || st->data[k - 1] == '\t' ||
	    st->data[k - 1] == '\n' || st->data[k - 1] == '\r'); k--)
		;
	return k - el->attrs > len ? at_pos(st, k - len) : el_pos(st, n);
}

static bool
xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Where the text of element n starts: its first character that is not
 * white space, as written. el_pos() when it has none, or when it holds
 * an element.
 */
static struct pos
text_pos(struct rstate *st, xmlNodePtr n)
{
	const struct rawxml_el *el = raw_el(st, n);
	struct buf text = BUF_INIT;
	struct rawxml_run *runs = NULL;
	size_t runsz = 0, i = 0;
	struct pos p;

	if (el != NULL && rawxml_text(&text, &runs, &runsz, st->data,
	    el->content, el->end) == 0)
		while (i < text.len && xml_space(text.ptr[i]))
			i++;
	p = i < text.len ? at_pos(st, rawxml_source(runs, runsz, i)) :
	    el_pos(st, n);
	free(runs);
	buf_release(&text);
	return p;
}

/* The offset after the first `what` at or after i in the record, or its end. */
static size_t
data_past(const struct rstate *st, size_t i, const char *what)
{
	size_t n = strlen(what);

	for (; i + n <= st->len; i++)
		if (memcmp(st->data + i, what, n) == 0)
			return i + n;
	return st->len;
}

/*
 * Where text or CDATA node t starts to hold more than white space: its
 * siblings before it are stepped over in the bytes, from its parent's
 * start tag. Its parent's position when the bytes are not known.
 */
static struct pos
text_node_pos(struct rstate *st, xmlNodePtr t)
{
	const struct rawxml_el *el = raw_el(st, t->parent), *cel;
	xmlNodePtr c;
	size_t i;

	if (el == NULL)
		return el_pos(st, t->parent);
	for (i = el->content, c = t->parent->children; c != t && i < el->end;
	    c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			if ((cel = raw_el(st, c)) == NULL)
				return el_pos(st, t->parent);
			/* <x/> ends at its content; <x>...</x> at its end tag. */
			i = st->data[cel->content - 2] == '/' ? cel->content :
			    data_past(st, cel->end, ">");
		} else if (c->type == XML_TEXT_NODE)
			while (i < el->end && st->data[i] != '<')
				i++;
		else if (c->type == XML_COMMENT_NODE)
			i = data_past(st, i, "-->");
		else if (c->type == XML_PI_NODE)
			i = data_past(st, i, "?>");
		else if (c->type == XML_CDATA_SECTION_NODE)
			i = data_past(st, i, "]]>");
	if (c != t)
		return el_pos(st, t->parent);
	if (t->type == XML_CDATA_SECTION_NODE)
		i += 9;		/* "<![CDATA[" */
	while (i < el->end && xml_space(st->data[i]))
		i++;
	return at_pos(st, i < el->end ? i : el->content);
}

/*
 * Where the later of attributes a and b of element n is written (the one
 * that clashes with the other): its name.
 */
static struct pos
second_attr(struct rstate *st, xmlNodePtr n, const char *a, const char *b)
{
	const struct rawxml_el *el = raw_el(st, n);
	size_t af, bf, to;

	if (el == NULL || rawxml_attr(st->data, el, a, &af, &to) == -1 ||
	    rawxml_attr(st->data, el, b, &bf, &to) == -1)
		return el_pos(st, n);
	return attr_pos(st, n, af > bf ? a : b, true);
}


/*
 * Says where each run of out->text, taken from the text v of element n
 * with `first` lines and `indent` bytes of each line left out, is in the
 * file: libxml2 gives the element's line only, and its text with
 * references replaced, which moves the columns after them.
 */
static void
text_spans(struct rstate *st, struct mdtext *out, xmlNodePtr n,
    const char *v, unsigned first, size_t indent)
{
	const struct rawxml_el *el = raw_el(st, n);
	struct buf text = BUF_INIT;
	struct rawxml_run *runs = NULL;
	size_t runsz = 0, ls, le, i, r;
	unsigned tline = 1, line, col, k;

	if (el == NULL || out->text[0] == '\0' || rawxml_text(&text, &runs,
	    &runsz, st->data, el->content, el->end) == -1 ||
	    strcmp(text.ptr, v) != 0)
		goto out;
	/* A span for each line, and one for each run. */
	for (i = 0, k = 1; i < text.len; i++)
		k += text.ptr[i] == '\n';
	out->spans = xreallocarray(NULL, k + runsz, sizeof(*out->spans));
	/* Line `first` of the text is line 1 of out->text. */
	for (ls = 0, k = 0; k < first; k++) {
		while (ls < text.len && text.ptr[ls] != '\n')
			ls++;
		ls = ls < text.len ? ls + 1 : ls;
	}
	for (r = 0;; tline++) {
		for (le = ls; le < text.len && text.ptr[le] != '\n'; le++)
			;
		/* A blank line is empty in out->text. */
		i = le - ls > indent ? ls + indent : le;
		data_pos(st, rawxml_source(runs, runsz, i), &line, &col);
		out->spans[out->spansz++] = (struct md_span){ tline, 1, line,
		    col };
		/* A new span wherever a run starts on the line. */
		for (; r < runsz && runs[r].at <= i; r++)
			;
		for (; r < runsz && runs[r].at < le; r++) {
			data_pos(st, runs[r].from, &line, &col);
			out->spans[out->spansz++] = (struct md_span){ tline,
			    (unsigned)(runs[r].at - i) + 1, line, col };
		}
		if (le >= text.len)
			break;
		ls = le + 1;
	}
out:
	free(runs);
	buf_release(&text);
}

/*
 * Warns of each bidirectional control character in data[from, to), the
 * value of `what`, written as it is or as a character reference: in the
 * text as the parser reads it (CDATA sections hold no references and no
 * comments), each character found where it is written.
 */
static void
bidi_check(struct rstate *st, size_t from, size_t to, const char *what)
{
	struct buf text = BUF_INIT;
	struct rawxml_run *runs = NULL;
	const char *name;
	size_t runsz = 0, i, n;
	unsigned cp;
	struct pos p = { st->path, 0, 0 };

	if (rawxml_text(&text, &runs, &runsz, st->data, from, to) == -1)
		goto out;
	for (i = 0; i < text.len; i += n) {
		cp = 0;
		if ((unsigned char)text.ptr[i] < 0x80 ||
		    (n = utf8_char((const unsigned char *)text.ptr + i,
		    text.len - i, &cp)) == 0)
			n = 1;
		if ((name = bidi_name(cp)) == NULL)
			continue;
		data_pos(st, rawxml_source(runs, runsz, i), &p.line, &p.col);
		diag_warning(st->dg, &p, "%s U+%04X in %s can make the text "
		    "display in another order", name, cp, what);
	}
out:
	free(runs);
	buf_release(&text);
}

/*
 * Bidirectional controls in the one-line fields of element n and of
 * those below it: in a name, they can show a vendor as another.
 */
static void
bidi_fields(struct rstate *st, xmlNodePtr n)
{
	const struct rawxml_el *el = raw_el(st, n);
	xmlNodePtr c;
	size_t from, to;
	char what[32];

	if (el == NULL)
		return;
	if (is_el_in(n, line_els, NELEM(line_els))) {
		snprintf(what, sizeof(what), "<%s>", (const char *)n->name);
		bidi_check(st, el->content, el->end, what);
		return;
	}
	if (is_el(n, "action") && rawxml_attr(st->data, el, "authority",
	    &from, &to) == 0)
		bidi_check(st, from, to, "'authority'");
	if (is_el(n, "source") && rawxml_attr(st->data, el, "publisher",
	    &from, &to) == 0)
		bidi_check(st, from, to, "'publisher'");
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			bidi_fields(st, c);
}

static void
text_md(struct rstate *st, struct mdtext *out, xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *s = v != NULL ? (const char *)v : "";
	unsigned first = 0;
	size_t indent = 0;

	out->text = dedent(s, &first, &indent);
	out->line = (unsigned)xmlGetLineNo(n) + first;
	/* Text on the start tag's line has a column libxml2 does not give. */
	out->col = first == 0 ? -1 : (int)indent;
	text_spans(st, out, n, s, first, indent);
	xmlFree(v);
}

static bool
is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Reads a date attribute (checked by check_values()). */
static void
date_attr(xmlNodePtr n, const char *name, struct date *out)
{
	char *s = attr(n, name);

	memset(out, 0, sizeof(*out));
	if (s != NULL)
		date_parse(out, s);
	free(s);
}

/*
 * Reads the attributes of action n into a, and checks the rules they
 * alone show: its deadline against its date.
 */
static void
read_action_attrs(struct rstate *st, struct action *a, xmlNodePtr n)
{
	char *v;
	struct pos p = attr_pos(st, n, "id", false);
	bool by_days = false;

	/* The line of its id, which messages about other actions cite. */
	a->line = p.line;
	a->id = attr(n, "id");
	v = attr(n, "type");
	if (v == NULL || !action_type_from_key(&a->type, v))
		a->type = ACTION_DIRECTIVE;
	free(v);
	date_attr(n, "date", &a->date);
	a->authority = attr_name(n, "authority");
	date_attr(n, "deadline", &a->deadline);
	a->deadline_days = -1;
	if ((v = attr(n, "deadline-days")) != NULL) {
		if (a->deadline.y != 0) {
			p = second_attr(st, n, "deadline", "deadline-days");
			diag_error(st->dg, &p,
			    "action '%s' has both 'deadline' and 'deadline-days'",
			    a->id);
			st->errors++;
		} else if (a->date.y != 0 && explain_value_ok(v, SV_DAYS)) {
			/* Not from a number refused: its errors said it. */
			a->deadline_days = strtol(v, NULL, 10);
			date_add_days(&a->deadline, &a->date, a->deadline_days);
			by_days = true;
		}
		free(v);
	}
	/* Past 9999-12-31, a date has no YYYY-MM-DD form (nor iCalendar's). */
	if (by_days && a->deadline.y > 9999) {
		p = attr_pos(st, n, "deadline-days", false);
		diag_error(st->dg, &p, "action '%s' has its deadline after "
		    "9999-12-31, the last day a date can name", a->id);
		st->errors++;
		memset(&a->deadline, 0, sizeof(a->deadline));
	}
	if (a->deadline.y != 0 && a->date.y != 0 &&
	    date_cmp(&a->deadline, &a->date) < 0) {
		p = attr_pos(st, n, by_days ? "deadline-days" : "deadline",
		    false);
		diag_error(st->dg, &p, "action '%s' has its deadline before its date",
		    a->id);
		st->errors++;
	}
}

static void
read_action(struct rstate *st, struct action *a, xmlNodePtr n)
{
	xmlNodePtr c;
	struct source *s;

	read_action_attrs(st, a, n);
	for (c = n->children; c != NULL; c = c->next) {
		if (is_el(c, "title"))
			a->title = text_name(c);
		else if (is_el(c, "scope"))
			a->scope = text_name(c);
		else if (is_el(c, "description"))
			text_md(st, &a->description, c);
		else if (is_el(c, "source")) {
			a->sources = xreallocarray(a->sources, a->sourcesz + 1,
			    sizeof(*a->sources));
			s = &a->sources[a->sourcesz++];
			memset(s, 0, sizeof(*s));
			s->href = attr(c, "href");
			s->publisher = attr_name(c, "publisher");
			date_attr(c, "date", &s->date);
			date_attr(c, "accessed", &s->accessed);
			s->archived = attr(c, "archived");
		}
	}
}

/*
 * Ids the default theme's vendor page gives its own elements: an action
 * with one would make two elements with one id.
 */
static const char *const page_ids[] = {
	"contents", "history", "history-title", "main", "search-q",
	"search-results", "search-status", "section-actions", "section-note",
	"section-responses", "section-summary"
};

/*
 * A hash table of the record's action ids, each to its first action:
 * slots of action index + 1, 0 empty, as many as twice the actions
 * rounded up to a power of two. Caller frees.
 */
static size_t *
action_index(const struct record *r)
{
	size_t n = 2, *slot, h, i;

	while (n < 2 * r->actionsz)
		n *= 2;
	slot = xcalloc(n, sizeof(*slot));
	for (i = 0; i < r->actionsz; i++) {
		h = str_hash(r->actions[i].id) & (n - 1);
		while (slot[h] != 0 &&
		    strcmp(r->actions[slot[h] - 1].id, r->actions[i].id) != 0)
			h = (h + 1) & (n - 1);
		if (slot[h] == 0)
			slot[h] = i + 1;
	}
	return slot;
}

/* The first action with id, in action_index()'s table, or (size_t)-1. */
static size_t
action_find(const struct record *r, const size_t *slot, const char *id)
{
	size_t n = 2, h;

	while (n < 2 * r->actionsz)
		n *= 2;
	for (h = str_hash(id) & (n - 1); slot[h] != 0; h = (h + 1) & (n - 1))
		if (strcmp(r->actions[slot[h] - 1].id, id) == 0)
			return slot[h] - 1;
	return (size_t)-1;
}

/*
 * Checks the ids of r's actions (anodes: their elements): each once, and
 * none the vendor page gives an element of its own.
 */
static void
check_action_ids(struct rstate *st, const struct record *r,
    xmlNodePtr const *anodes)
{
	size_t i, j, *first;
	struct pos p;

	first = action_index(r);
	for (i = 0; i < r->actionsz; i++) {
		const char *id = r->actions[i].id;
		size_t n = strlen(id);

		p = attr_pos(st, anodes[i], "id", false);
		for (j = 0; j < NELEM(page_ids); j++)
			if (strcmp(id, page_ids[j]) == 0)
				break;
		if (j < NELEM(page_ids)) {
			diag_error(st->dg, &p, "action id '%s' is an id the "
			    "vendor page uses itself; choose another", id);
			st->errors++;
			continue;
		}
		if (n > 6 && strcmp(id + n - 6, "-title") == 0) {
			char *base = xstrndup(id, n - 6);

			j = action_find(r, first, base);
			free(base);
			if (j != (size_t)-1) {
				diag_error(st->dg, &p, "action id '%s' is the id "
				    "of the title of action '%s' (line %u); "
				    "choose another", id, r->actions[j].id,
				    r->actions[j].line);
				st->errors++;
			}
		}
		j = action_find(r, first, id);
		if (j < i) {
			diag_error(st->dg, &p,
			    "duplicate action id '%s' (first on line %u)",
			    id, r->actions[j].line);
			st->errors++;
		}
	}
	free(first);
}

/*
 * A new action of r, zeroed, for the element n, which is kept beside it
 * in *nodes (the elements of r's actions, in order).
 */
static struct action *
new_action(struct record *r, xmlNodePtr **nodes, xmlNodePtr n)
{
	r->actions = xreallocarray(r->actions, r->actionsz + 1,
	    sizeof(*r->actions));
	memset(&r->actions[r->actionsz], 0, sizeof(*r->actions));
	*nodes = xreallocarray(*nodes, r->actionsz + 1, sizeof(**nodes));
	(*nodes)[r->actionsz] = n;
	return &r->actions[r->actionsz++];
}

/* Walks a valid document into the record. */
static void
read_record(struct rstate *st, struct record *r, xmlNodePtr root)
{
	xmlNodePtr c, pc, *anodes = NULL;
	char *v;

	r->id = attr(root, "id");
	v = attr(root, "draft");
	r->draft = v != NULL && strcmp(v, "true") == 0;
	free(v);
	for (c = root->children; c != NULL; c = c->next) {
		if (is_el(c, "name"))
			r->name = text_name(c);
		else if (is_el(c, "alias")) {
			r->aliases = xreallocarray(r->aliases, r->aliasesz + 1,
			    sizeof(char *));
			r->aliases[r->aliasesz++] = text_name(c);
		} else if (is_el(c, "country")) {
			r->country_code = attr(c, "code");
			r->country = text_name(c);
		} else if (is_el(c, "website")) {
			r->website = text_line(c);
		} else if (is_el(c, "status")) {
			v = text_line(c);
			if (!status_from_key(&r->status, v))
				r->status = STATUS_UNDER_REVIEW;
			free(v);
		} else if (is_el(c, "products")) {
			for (pc = c->children; pc != NULL; pc = pc->next) {
				if (!is_el(pc, "product"))
					continue;
				r->products = xreallocarray(r->products,
				    r->productsz + 1, sizeof(char *));
				r->products[r->productsz++] = text_name(pc);
			}
		} else if (is_el(c, "summary"))
			text_md(st, &r->summary, c);
		else if (is_el(c, "action"))
			read_action(st, new_action(r, &anodes, c), c);
		else if (is_el(c, "response")) {
			struct response *rs;
			r->responses = xreallocarray(r->responses,
			    r->responsesz + 1, sizeof(*r->responses));
			rs = &r->responses[r->responsesz++];
			memset(rs, 0, sizeof(*rs));
			date_attr(c, "date", &rs->date);
			rs->href = attr(c, "href");
			text_md(st, &rs->text, c);
		} else if (is_el(c, "note"))
			text_md(st, &r->note, c);
	}
	check_action_ids(st, r, anodes);
	free(anodes);
}

/*
 * Sets the values the schema itself refuses (a record's draft, its
 * status, an action's type and deadline-days) to ones it takes, in n
 * and below; an element that holds elements keeps them. Returns false
 * for elements nested deeper than a record's ever are.
 */
static bool
take_values(xmlNodePtr n, unsigned depth)
{
	xmlNodePtr c;

	if (depth > 16)
		return false;
	if (n->ns == NULL && is_el(n, "vendor") &&
	    xmlHasNsProp(n, BAD_CAST "draft", NULL) != NULL)
		xmlSetProp(n, BAD_CAST "draft", BAD_CAST "false");
	else if (n->ns == NULL && is_el(n, "status") && !has_element(n))
		xmlNodeSetContent(n, BAD_CAST "banned");
	else if (n->ns == NULL && is_el(n, "action")) {
		if (xmlHasNsProp(n, BAD_CAST "type", NULL) != NULL)
			xmlSetProp(n, BAD_CAST "type", BAD_CAST "directive");
		if (xmlHasNsProp(n, BAD_CAST "deadline-days", NULL) != NULL)
			xmlSetProp(n, BAD_CAST "deadline-days", BAD_CAST "0");
	}
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !take_values(c, depth + 1))
			return false;
	return true;
}

/* Checks that the id of the record (root) is its file's name. */
static void
check_file_name(struct rstate *st, xmlNodePtr root, const char *id,
    const char *path)
{
	const char *base = strrchr(path, '/');
	struct pos p;

	base = base == NULL ? path : base + 1;
	if (id_valid(id) && (strncmp(base, id, strlen(id)) != 0 ||
	    strcmp(base + strlen(id), ".xml") != 0)) {
		p = attr_pos(st, root, "id", false);
		diag_error(st->dg, &p, "record id '%s' does not match its file "
		    "name '%s'", id, base);
		st->errors++;
	}
}

/*
 * For a record whose structure the schema refuses, so that it is not
 * read: the rules its attributes alone show (an action's deadline, its
 * id, the record's id against its file name), which one build reports
 * with its other errors.
 */
static void
check_rules(struct rstate *st, xmlNodePtr root, const char *path)
{
	struct record *r;
	xmlNodePtr c, *anodes = NULL;

	if (root == NULL || !is_el(root, "vendor"))
		return;
	r = xcalloc(1, sizeof(*r));
	r->id = attr(root, "id");
	for (c = root->children; c != NULL; c = c->next) {
		char *id;

		if (!is_el(c, "action") || (id = attr(c, "id")) == NULL)
			continue;
		free(id);
		read_action_attrs(st, new_action(r, &anodes, c), c);
	}
	check_action_ids(st, r, anodes);
	if (r->id != NULL)
		check_file_name(st, root, r->id, path);
	free(anodes);
	record_free(r);
}

/*
 * Is the structure of doc, which the schema refuses, sound: does the
 * schema take it once the values it refuses are set to ones it takes?
 * Then the schema refused values alone, and every field can be read.
 */
static bool
values_alone(struct rstate *st, xmlDocPtr doc)
{
	xmlDocPtr copy;
	xmlRelaxNGValidCtxtPtr vc;
	bool ok = false;

	if ((copy = xmlCopyDoc(doc, 1)) == NULL)
		die("out of memory");
	xmlSetStructuredErrorFunc(NULL, ignore_xml_error);
	if (xmlDocGetRootElement(copy) != NULL &&
	    take_values(xmlDocGetRootElement(copy), 0)) {
		vc = xmlRelaxNGNewValidCtxt(get_schema());
		xmlRelaxNGSetValidStructuredErrors(vc, ignore_xml_error, NULL);
		ok = xmlRelaxNGValidateDoc(vc, copy) == 0;
		xmlRelaxNGFreeValidCtxt(vc);
	}
	xmlFreeDoc(copy);
	xmlSetStructuredErrorFunc(st, on_xml_error);
	return ok;
}

int
record_parse(struct record **out, struct diag *dg, const char *path,
    const char *data, size_t len)
{
	return record_parse_held(out, NULL, dg, path, data, len);
}

int
record_parse_held(struct record **out, struct record **held,
    struct diag *dg, const char *path, const char *data, size_t len)
{
	struct rstate st;
	xmlParserCtxtPtr ctxt = NULL;
	xmlRelaxNGValidCtxtPtr vc = NULL;
	xmlDocPtr doc = NULL;
	struct record *r = NULL;
	char *msg, *lf = NULL;
	size_t i;
	struct pos p = { path, 1, 1 };
	bool valid;
	int rc = -1;

	*out = NULL;
	if (held != NULL)
		*held = NULL;
	memset(&st, 0, sizeof(st));
	st.dg = dg;
	st.path = path;
	st.data = data;
	st.len = len;
	if ((msg = text_problem(data, len, "record", &p.line, &p.col)) != NULL) {
		diag_error(dg, &p, "%s", msg);
		free(msg);
		return -1;
	}
	if (len > INT32_MAX)
		return diag_error(dg, &p, "record too large");
	/*
	 * libxml2 counts lines at LF only. XML reads a CR alone as a line
	 * end, so it may as well be an LF: then every line number is right.
	 */
	if (memchr(data, '\r', len) != NULL) {
		lf = xmalloc(len);
		for (i = 0; i < len; i++)
			lf[i] = data[i] == '\r' && (i + 1 == len ||
			    data[i + 1] != '\n') ? '\n' : data[i];
		data = st.data = lf;
	}
	/*
	 * Each parse resets the parser, which keeps its dictionary of names
	 * (see the end for when it is thrown away).
	 */
	if (parser == NULL) {
		if ((parser = xmlNewParserCtxt()) == NULL)
			die("out of memory");
		parser->sax->internalSubset = refuse_doctype;
	}
	ctxt = parser;
	ctxt->_private = &st;
	xmlSetStructuredErrorFunc(&st, on_xml_error);
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING |
	    XML_PARSE_COMPACT);
	if (doc == NULL || st.errors > 0 || st.doctype) {
		if (st.errors == 0)
			diag_error(dg, &p, "not a well-formed XML document");
		goto out;
	}
	/* What shape_ok() takes, the schema does: it is not asked. */
	valid = !record_slow_checks && shape_ok(xmlDocGetRootElement(doc));
	if (!valid) {
		vc = xmlRelaxNGNewValidCtxt(get_schema());
		xmlRelaxNGSetValidStructuredErrors(vc, on_xml_error, &st);
		st.validating = true;
		valid = xmlRelaxNGValidateDoc(vc, doc) == 0;
		st.validating = false;
	}
	/*
	 * Where the elements are in the bytes, for diagnostics: not for a
	 * parse that reports nothing, as the history's old versions are.
	 */
	if (!dg->silent)
		number_elements(&st, xmlDocGetRootElement(doc), data, len);
	check_values(&st, xmlDocGetRootElement(doc), 0);
	if (!valid)
		explain_record(&st, xmlDocGetRootElement(doc));
	flush_schema_errors(&st);
	if (!valid && st.errors == 0) {
		diag_error(dg, &p, "record does not match the schema");
		goto out;
	}
	/*
	 * The structure is sound, though a value may be wrong (one the
	 * schema refuses too, such as a status): the checks below still
	 * run, and the record is read, so that one build reports every
	 * error, its markdown's too (held). Not when the schema refuses its
	 * structure: a field may be missing, doubled or hold elements.
	 */
	if (!valid && (held == NULL || dg->silent ||
	    !values_alone(&st, doc))) {
		if (!dg->silent)
			check_rules(&st, xmlDocGetRootElement(doc), path);
		goto out;
	}
	if (st.errors > 0 && dg->silent)
		goto out;
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	read_record(&st, r, xmlDocGetRootElement(doc));
	/* Warnings, which --strict counts: the record is kept. */
	bidi_fields(&st, xmlDocGetRootElement(doc));
	check_file_name(&st, xmlDocGetRootElement(doc), r->id, path);
	if (st.errors > 0) {
		if (held != NULL) {
			*held = r;
			r = NULL;
		}
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	xmlSetStructuredErrorFunc(NULL, NULL);
	free(st.last);
	free(st.lines);
	free(st.els);
	free(st.dlines);
	record_free(r);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	ctxt->_private = NULL;
	/*
	 * The dictionary holds every name parsed, up to libxml2's limit
	 * of 10 MB, past which a name fails to parse: after a record that
	 * failed (a valid one has only the schema's names), or a large
	 * dictionary, the next parse starts with a new parser.
	 */
	if (rc == -1 || xmlDictGetUsage(ctxt->dict) > PARSER_DICT_MAX) {
		xmlFreeParserCtxt(parser);
		parser = NULL;
	}
	free(lf);
	return rc;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
record_free(struct record *r)
{
	size_t i, j;
	struct action *a;

	if (r == NULL)
		return;
	free(r->path);
	free(r->id);
	free(r->name);
	free_strv(r->aliases, r->aliasesz);
	free(r->country_code);
	free(r->country);
	free(r->website);
	free_strv(r->products, r->productsz);
	free(r->summary.text);
	free(r->summary.spans);
	for (i = 0; i < r->actionsz; i++) {
		a = &r->actions[i];
		free(a->id);
		free(a->authority);
		free(a->title);
		free(a->scope);
		free(a->description.text);
		free(a->description.spans);
		for (j = 0; j < a->sourcesz; j++) {
			free(a->sources[j].href);
			free(a->sources[j].publisher);
			free(a->sources[j].archived);
		}
		free(a->sources);
	}
	free(r->actions);
	for (i = 0; i < r->responsesz; i++) {
		free(r->responses[i].href);
		free(r->responses[i].text.text);
		free(r->responses[i].text.spans);
	}
	free(r->responses);
	free(r->note.text);
	free(r->note.spans);
	free(r);
}
