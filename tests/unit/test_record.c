/*
 * Unit tests: vendor records.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "record.h"
#include "unit.h"
#include "util.h"

static const char good[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<vendor id=\"acme\">\n"
"  <name>  Acme\n   Corp </name>\n"
"  <country code=\"US\">United States</country>\n"
"  <status>banned</status>\n"
"  <summary>\n"
"    First paragraph.\n"
"\n"
"      indented more\n"
"  </summary>\n"
"  <action id=\"b\" type=\"law\" date=\"2018-01-02\" authority=\"X\" deadline-days=\"90\">\n"
"    <title>B</title>\n"
"    <source href=\"https://example.org/\" publisher=\"P\" date=\"2018-01-02\"/>\n"
"  </action>\n"
"</vendor>\n";

void
test_record__parses(void)
{
	struct diag dg;
	struct record *r = NULL;

	diag_init(&dg);
	CHECK_INT(record_parse(&r, &dg, "content/vendors/acme.xml", good,
	    strlen(good)), 0);
	if (r == NULL)
		return;
	CHECK_STR(r->id, "acme");
	CHECK_STR(r->name, "Acme Corp");
	CHECK_INT(r->status, STATUS_BANNED);
	CHECK_STR(r->summary.text, "First paragraph.\n\n  indented more\n");
	CHECK_INT(r->summary.line, 8);
	CHECK_INT(r->actionsz, 1);
	CHECK_INT(r->actions[0].deadline.y, 2018);
	CHECK_INT(r->actions[0].deadline.m, 4);
	CHECK_INT(r->actions[0].deadline.d, 2);
	CHECK_INT(r->actions[0].line, 12);
	record_free(r);
}

/* record_parse_held() on xml, what it holds in *held; its messages dropped. */
static int
parse_held(struct record **held, bool silent, const char *xml)
{
	struct diag dg;
	struct record *r = NULL;
	int rc;

	diag_init(&dg);
	dg.silent = silent;
	unit_capture_start();
	rc = record_parse_held(&r, held, &dg, "content/vendors/acme.xml", xml,
	    strlen(xml));
	free(unit_capture_end());
	CHECK(r == NULL || rc == 0);
	record_free(r);
	return rc;
}

/*
 * A record whose errors are in its values alone, the schema's too, is
 * held as read, for its markdown; not one whose structure the schema
 * refuses, nor one parsed with nothing reported (the history's).
 */
void
test_record__held(void)
{
	struct record *held;
	char *xml = strdup(good), *bad;

	CHECK_INT(parse_held(&held, false, good), 0);
	CHECK(held == NULL);

	memcpy(strstr(xml, "banned"), "bannd ", 6);
	memcpy(strstr(xml, "\"law\""), "\"lw\" ", 5);
	CHECK_INT(parse_held(&held, false, xml), -1);
	CHECK(held != NULL);
	if (held != NULL) {
		CHECK_STR(held->summary.text,
		    "First paragraph.\n\n  indented more\n");
		CHECK_INT(held->actionsz, 1);
		CHECK_INT(held->actions[0].deadline.y, 2018);
	}
	record_free(held);
	CHECK_INT(parse_held(&held, true, xml), -1);
	CHECK(held == NULL);

	/* An element inside <status>, an action without <title>: structure. */
	bad = strdup(xml);
	memcpy(strstr(bad, "bannd "), "b<b/> ", 6);
	CHECK_INT(parse_held(&held, false, bad), -1);
	CHECK(held == NULL);
	free(bad);

	bad = strdup(xml);
	memcpy(strstr(bad, "<title>B</title>"), "<!--  title  -->", 16);
	CHECK_INT(parse_held(&held, false, bad), -1);
	CHECK(held == NULL);
	free(bad);
	free(xml);
}

static char *
parse_err(const char *path, const char *xml)
{
	struct diag dg;
	struct record *r = NULL;

	diag_init(&dg);
	unit_capture_start();
	CHECK_INT(record_parse(&r, &dg, path, xml, strlen(xml)), -1);
	CHECK(r == NULL);
	return unit_capture_end();
}

void
test_record__errors(void)
{
	char *e, *xml;

	e = parse_err("v/other.xml", good);
	CHECK_STR(e, "v/other.xml:2:13: error: record id 'acme' does not match its file name 'other.xml'\n");
	free(e);

	e = parse_err("v/acme.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n"
	    "<!ENTITY a \"b\">]>\n<vendor id=\"acme\">&a;</vendor>\n");
	CHECK_STR(e, "v/acme.xml:2:1: error: DOCTYPE is not allowed in a record (no DTDs or entities)\n");
	free(e);

	e = parse_err("v/acme.xml", "<vendor id=\"acme\">\n<name>x</nam>\n");
	CHECK(strstr(e, "v/acme.xml:2:") == e);
	free(e);

	e = parse_err("v/acme.xml", "<vendor>\n\xff</vendor>");
	CHECK_STR(e, "v/acme.xml:2:1: error: invalid UTF-8 in record\n");
	free(e);

	xml = strdup(good);
	memcpy(strstr(xml, "banned"), "bannd ", 6);
	e = parse_err("v/acme.xml", xml);
	CHECK_STR(e, "v/acme.xml:6:11: error: unknown status 'bannd' (use approved, under-review, restricted, banned or lifted)\n");
	free(e);
	free(xml);
}

/*
 * Errors about an element, an attribute or a text point at it: the '<'
 * of the element, the value of the attribute (the name of one that is
 * unknown or clashes), the first character of the text.
 */
void
test_record__error_columns(void)
{
	char *e;

	/* Unknown attribute, at its name, white space around '='. */
	e = parse_err("v/acme.xml", "<vendor id=\"acme\"\n   lang =\n 'en'>"
	    "<name>A</name><country code=\"US\">U</country>"
	    "<status>banned</status><summary>s</summary></vendor>\n");
	CHECK_STR(e, "v/acme.xml:2:4: error: unknown attribute 'lang' in <vendor> (it takes 'id' and 'draft')\n");
	free(e);

	/* A text after a comment and an element, and one in CDATA. */
	e = parse_err("v/acme.xml", "<vendor id=\"acme\"><name>A</name>"
	    "<!-- x -->\n  oops <country code=\"US\">U</country>"
	    "<status>banned</status><summary>s</summary>"
	    "<action id=\"a\" type=\"law\" date=\"2017-09-13\" "
	    "authority=\"X\"><title>T</title><source href=\"https://e.org/\" "
	    "publisher=\"P\" date=\"2017-09-13\"><![CDATA[\n   no]]></source>"
	    "</action></vendor>\n");
	CHECK_STR(e, "v/acme.xml:2:3: error: text directly inside <vendor>, which holds elements only (<name>, <alias>, <country>, <website>, <status>, <products>, <summary>, <action>, <response> and <note>)\n"
	    "v/acme.xml:3:4: error: text inside <source>, which holds nothing (write <source .../>)\n");
	free(e);

	/* A closing tag that does not match: at its '<'. */
	e = parse_err("v/acme.xml", "<vendor id=\"acme\">\n  <name>A</nam>\n"
	    "</vendor>\n");
	CHECK_STR(e, "v/acme.xml:2:10: error: closing tag '</nam>' does not match '<name>'\n");
	free(e);
	e = parse_err("v/acme.xml", "<vendor id=\"acme\">\n  <summary>\n"
	    "    A\n  </summry></vendor>\n");
	CHECK_STR(e, "v/acme.xml:4:3: error: closing tag '</summry>' does not match '<summary>', opened on line 2\n");
	free(e);
	/*
	 * Columns count bytes, where libxml2 counts characters: "é" is two,
	 * and more of them than the tag is long.
	 */
	e = parse_err("v/acme.xml", "<vendor id=\"acme\">\n"
	    "  <name>\xc3\x89mil\xc3\xa9 \xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xc3\xa9"
	    "</nam>\n</vendor>\n");
	CHECK_STR(e, "v/acme.xml:2:31: error: closing tag '</nam>' does not match '<name>'\n");
	free(e);
	e = parse_err("v/acme.xml", "<vendor id=\"acme\">\n"
	    "  <name a=\"\xc3\xa9\xc3\xa9\xc3\xa9\" b=c>A</name>\n</vendor>\n");
	CHECK_STR(e, "v/acme.xml:2:22: error: attValue: \" or ' expected\n"
	    "v/acme.xml:2:22: error: attributes construct error\n"
	    "v/acme.xml:2:22: error: couldn't find end of Start Tag name line 2\n"
	    "v/acme.xml:2:25: error: closing tag '</name>' does not match '<vendor>', opened on line 1\n"
	    "v/acme.xml:3:1: error: extra content at the end of the document\n");
	free(e);

	/* A value given by reference; an element's text after blank lines. */
	e = parse_err("v/acme.xml", "<vendor id=\"acme\"><name>A</name>"
	    "<country code=\"&#85;&#83;\">U</country>\n<status>\n\n"
	    "\t&#98;annd</status><summary>s</summary><action id=\"a\" "
	    "type=\"law\" date=\"2017-09-13\" authority=\"X\"\n deadline="
	    "\"2017-09-01\"><title>T</title><source href=\"https://e.org/\" "
	    "publisher=\"P\" date=\"2017-02-30\"/></action></vendor>\n");
	CHECK_STR(e, "v/acme.xml:4:2: error: unknown status 'bannd' (use approved, under-review, restricted, banned or lifted)\n"
	    "v/acme.xml:5:90: error: invalid date '2017-02-30' in 'date': February 2017 has 28 days\n"
	    "v/acme.xml:5:12: error: action 'a' has its deadline before its date\n");
	free(e);

	/* Rules beyond the schema: the attribute the rule is about. */
	e = parse_err("v/acme.xml", "<vendor id=\"acme\"><name>A</name>"
	    "<country code=\"US\">U</country><status>banned</status>"
	    "<summary>s</summary>\n<action id=\"a\" type=\"law\" "
	    "date=\"2017-09-13\" authority=\"X\"\n deadline=\"2017-09-01\">"
	    "<title>T</title><source href=\"https://e.org/\" publisher=\"P\" "
	    "date=\"2017-09-13\"/></action>\n<action\n  id=\"a\" type=\"law\" "
	    "date=\"2017-09-13\" authority=\"X\"><title>T</title><source "
	    "href=\"https://e.org/\" publisher=\"P\" date=\"2017-09-13\"/>"
	    "</action></vendor>\n");
	CHECK_STR(e, "v/acme.xml:3:12: error: action 'a' has its deadline before its date\n"
	    "v/acme.xml:5:7: error: duplicate action id 'a' (first on line 2)\n");
	free(e);
}

void
test_record__dedent(void)
{
	unsigned line = 99;
	size_t ind = 99;
	char *s;

	s = dedent("\n    a\n      b\n\n    c\n  ", &line, &ind);
	CHECK_INT(ind, 4);
	CHECK_STR(s, "a\n  b\n\nc\n");
	CHECK_INT(line, 1);
	free(s);
	s = dedent("one line", &line, NULL);
	CHECK_STR(s, "one line\n");
	CHECK_INT(line, 0);
	free(s);
	s = dedent("  \n \t \n", &line, NULL);
	CHECK_STR(s, "");
	free(s);
}

void
test_record__ids_and_keys(void)
{
	enum status st;
	enum action_type t;

	CHECK(id_valid("bod-17-01"));
	CHECK(id_valid("0day"));
	CHECK(!id_valid("-x"));
	CHECK(!id_valid("A"));
	CHECK(!id_valid(""));
	CHECK(!id_valid("a/../b"));
	CHECK(status_from_key(&st, "under-review") && st == STATUS_UNDER_REVIEW);
	CHECK(!status_from_key(&st, "bannd"));
	CHECK_STR(status_label(STATUS_UNDER_REVIEW), "Under review");
	CHECK(action_type_from_key(&t, "lifting") && t == ACTION_LIFTING);
	CHECK_STR(action_type_label(ACTION_DELISTING), "Delisting");
}

/*
 * The schema docket compiles leaves out the patterns of schema/vendor.rng,
 * and C checks those values instead. Every place the schema uses a
 * pattern is found in the schema itself; there, each value below is put
 * in a record that is valid otherwise, and both the whole schema (as
 * xmllint would use it) and record_parse() must give the verdicts of the
 * table. They differ only where docket asks for more than the pattern.
 */
static const char *const pat_text[] = {
	"[A-Z]{2}",
	"[a-z0-9][a-z0-9\\-]*",
	"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
	"[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+",
	"\\s*\\S[\\s\\S]*",
};
enum { PAT_CODE, PAT_ID, PAT_DATE, PAT_URL, PAT_LINE };

static const struct {
	int		 pat;
	const char	*xml;		/* as written in the record */
	bool		 pattern_ok;
	bool		 docket_ok;
	bool		 text_only;	/* element text only */
} pat_cases[] = {
	{ PAT_CODE, "US", true, true, false },
	{ PAT_CODE, "", false, false, false },
	{ PAT_CODE, "U", false, false, false },
	{ PAT_CODE, "USA", false, false, false },
	{ PAT_CODE, "us", false, false, false },
	{ PAT_CODE, " US", false, false, false },
	{ PAT_CODE, "U1", false, false, false },
	{ PAT_ID, "acme", true, true, false },
	{ PAT_ID, "0", true, true, false },
	{ PAT_ID, "a-", true, true, false },
	{ PAT_ID, "", false, false, false },
	{ PAT_ID, "-a", false, false, false },
	{ PAT_ID, "A", false, false, false },
	{ PAT_ID, "a_b", false, false, false },
	{ PAT_ID, " a", false, false, false },
	{ PAT_ID, "a&#10;", false, false, false },
	{ PAT_DATE, "2019-01-31", true, true, false },
	{ PAT_DATE, "2020-02-29", true, true, false },
	{ PAT_DATE, "", false, false, false },
	{ PAT_DATE, "2017-9-13", false, false, false },
	{ PAT_DATE, "20170-01-01", false, false, false },
	{ PAT_DATE, "2017-00-10", false, false, false },
	{ PAT_DATE, "2017-13-01", false, false, false },
	{ PAT_DATE, "2017-01-00", false, false, false },
	{ PAT_DATE, "2017-01-32", false, false, false },
	{ PAT_DATE, " 2017-01-31", false, false, false },
	{ PAT_DATE, "2017-01-31 ", false, false, false },
	{ PAT_DATE, "2017/01/31", false, false, false },
	/* Not in the calendar: docket refuses more than the pattern. */
	{ PAT_DATE, "2017-02-30", true, false, false },
	{ PAT_DATE, "2017-02-29", true, false, false },
	{ PAT_DATE, "0000-01-01", true, false, false },
	{ PAT_URL, "https://x", true, true, false },
	{ PAT_URL, "hTtP://x/y?q=1#f", true, true, false },
	{ PAT_URL, "HTTPS://x", true, true, false },
	{ PAT_URL, "", false, false, false },
	{ PAT_URL, "http://", false, false, false },
	{ PAT_URL, "https:/x", false, false, false },
	{ PAT_URL, "ftp://x", false, false, false },
	{ PAT_URL, "javascript:x", false, false, false },
	{ PAT_URL, " https://x", false, false, false },
	{ PAT_URL, "https://x ", false, false, false },
	{ PAT_URL, "https://x&#10;", false, false, false },
	{ PAT_URL, "https://x&#9;y", false, false, false },
	{ PAT_URL, "https://a b", false, false, false },
	/* No host, or characters no URL has: docket refuses more. */
	{ PAT_URL, "https:///x", true, false, false },
	{ PAT_URL, "https://x&quot;y", true, false, false },
	{ PAT_URL, "https://x&lt;y", true, false, false },
	{ PAT_LINE, "x", true, true, false },
	{ PAT_LINE, " x ", true, true, false },
	{ PAT_LINE, "&#160;", true, true, false },
	{ PAT_LINE, "&#10;x&#10;", true, true, false },
	{ PAT_LINE, "", false, false, false },
	{ PAT_LINE, " ", false, false, false },
	{ PAT_LINE, "&#9;&#10;&#13; ", false, false, false },
	{ PAT_LINE, "\n    \n  ", false, false, true },
	{ PAT_LINE, "<!-- x -->", false, false, true },
	{ PAT_LINE, "<![CDATA[ ]]>", false, false, true },
	{ PAT_LINE, "<![CDATA[x]]>", true, true, true },
};

/* A record with every optional part, each place a pattern checks in {}. */
static const char pat_record[] =
"<vendor id=\"{vendor@id}\">\n"
"  <name>{name}</name>\n"
"  <alias>{alias}</alias>\n"
"  <country code=\"{country@code}\">{country}</country>\n"
"  <website>{website}</website>\n"
"  <status>banned</status>\n"
"  <products><product>{product}</product></products>\n"
"  <summary>S.</summary>\n"
"  <action id=\"{action@id}\" type=\"law\" date=\"{action@date}\"\n"
"      authority=\"{action@authority}\" deadline=\"{action@deadline}\">\n"
"    <title>{title}</title>\n"
"    <scope>{scope}</scope>\n"
"    <source href=\"{source@href}\" publisher=\"{source@publisher}\"\n"
"        date=\"{source@date}\" accessed=\"{source@accessed}\"\n"
"        archived=\"{source@archived}\"/>\n"
"  </action>\n"
"  <response date=\"{response@date}\" href=\"{response@href}\">R.</response>\n"
"</vendor>\n";

/* A valid value for each pattern, for the places not under test. */
static const char *const pat_good[] = {
	"US", "acme", "2017-09-13", "https://example.org/", "x"
};

struct pat_place {
	char	*name;		/* "element" or "element@attribute" */
	int	 pat;
};

static void
no_errors(void *arg, xmlErrorPtr e)
{
	(void)arg, (void)e;
}

static const char *
rng_attr(xmlNodePtr n, const char *name, char *out, size_t outsz)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);

	snprintf(out, outsz, "%s", v != NULL ? (const char *)v : "");
	xmlFree(v);
	return out;
}

static bool
rng_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The pattern of a <param name="pattern">, as an index in pat_text. */
static int
pat_index(xmlNodePtr param)
{
	xmlChar *t = xmlNodeGetContent(param);
	int i, found = -1;

	for (i = 0; i < (int)NELEM(pat_text); i++)
		if (t != NULL && strcmp((const char *)t, pat_text[i]) == 0)
			found = i;
	if (found < 0)
		fprintf(stderr, "no test values for the pattern '%s'\n",
		    t != NULL ? (const char *)t : "");
	CHECK(found >= 0);
	xmlFree(t);
	return found;
}

/* Where n sits: its attribute (if any) and element, from the ancestors. */
static char *
pat_where(xmlNodePtr n)
{
	char a[64] = "", e[64] = "";
	xmlNodePtr p;

	for (p = n->parent; p != NULL; p = p->parent) {
		if (rng_is(p, "attribute") && e[0] == '\0' && a[0] == '\0')
			rng_attr(p, "name", a, sizeof(a));
		if (rng_is(p, "element")) {
			rng_attr(p, "name", e, sizeof(e));
			break;
		}
	}
	CHECK(e[0] != '\0');
	return a[0] != '\0' ? xasprintf("%s@%s", e, a) : xstrdup(e);
}

/* Finds the defines that hold a pattern (pass 0) and the places (pass 1). */
static void
pat_scan(xmlNodePtr n, int pass, char (*defs)[64], int *defpat, size_t *ndef,
    struct pat_place *pl, size_t *npl)
{
	xmlNodePtr c, p;
	char name[64];
	size_t i;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (rng_is(c, "param") &&
		    strcmp(rng_attr(c, "name", name, sizeof(name)), "pattern") == 0) {
			for (p = c->parent; p != NULL && !rng_is(p, "define") &&
			    !rng_is(p, "element"); p = p->parent)
				continue;
			if (pass == 0 && rng_is(p, "define") && *ndef < 16) {
				rng_attr(p, "name", defs[*ndef], sizeof(defs[0]));
				defpat[(*ndef)++] = pat_index(c);
			} else if (pass == 1 && !rng_is(p, "define") && *npl < 64 &&
			    pat_index(c) >= 0) {
				pl[*npl].name = pat_where(c);
				pl[(*npl)++].pat = pat_index(c);
			}
		} else if (pass == 1 && rng_is(c, "ref")) {
			rng_attr(c, "name", name, sizeof(name));
			for (i = 0; i < *ndef; i++)
				if (strcmp(defs[i], name) == 0 && defpat[i] >= 0 &&
				    *npl < 64) {
					pl[*npl].name = pat_where(c);
					pl[(*npl)++].pat = defpat[i];
				}
		}
		pat_scan(c, pass, defs, defpat, ndef, pl, npl);
	}
}

/* The record with `value` at `place` and good values elsewhere. */
static char *
pat_fill(const struct pat_place *pl, size_t npl, size_t place,
    const char *value)
{
	struct buf b = BUF_INIT;
	const char *p, *e;
	size_t i, n;

	for (p = pat_record; *p != '\0'; p = e + 1) {
		if (*p != '{' || (e = strchr(p, '}')) == NULL) {
			buf_putc(&b, *p);
			e = p;
			continue;
		}
		n = (size_t)(e - p - 1);
		for (i = 0; i < npl; i++)
			if (strlen(pl[i].name) == n &&
			    strncmp(pl[i].name, p + 1, n) == 0)
				break;
		CHECK(i < npl);
		if (i == place)
			buf_puts(&b, value);
		else if (i < npl && strcmp(pl[i].name, "action@deadline") == 0)
			buf_puts(&b, "9999-12-31");	/* after any date */
		else if (i < npl)
			buf_puts(&b, pat_good[pl[i].pat]);
	}
	return buf_detach(&b);
}

void
test_record__patterns_in_c(void)
{
	const struct embedded *e = embedded_find("schema/vendor.rng");
	xmlDocPtr rng, doc;
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGPtr full;
	xmlRelaxNGValidCtxtPtr vc;
	struct pat_place pl[64];
	char defs[16][64], *xml, *path, *id, *q, need[80];
	int defpat[16];
	size_t ndef = 0, npl = 0, i, k, tried = 0;
	struct diag quiet;
	struct record *r;
	bool schema_ok, docket_ok;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	rng = xmlReadMemory((const char *)e->data, (int)e->len, "vendor.rng",
	    NULL, XML_PARSE_NONET);
	pat_scan(xmlDocGetRootElement(rng), 0, defs, defpat, &ndef, pl, &npl);
	pat_scan(xmlDocGetRootElement(rng), 1, defs, defpat, &ndef, pl, &npl);
	xmlFreeDoc(rng);
	/* The places of schema/vendor.rng today; each one is in the record. */
	CHECK_INT(npl, 20);
	for (i = 0; i < npl; i++) {
		snprintf(need, sizeof(need), "{%s}", pl[i].name);
		if (strstr(pat_record, need) == NULL)
			fprintf(stderr, "the record has no %s\n", need);
		CHECK(strstr(pat_record, need) != NULL);
	}
	pc = xmlRelaxNGNewMemParserCtxt((const char *)e->data, (int)e->len);
	full = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	CHECK(full != NULL);
	if (full == NULL)
		return;
	for (i = 0; i < npl; i++)
		for (k = 0; k < NELEM(pat_cases); k++) {
			if (pat_cases[k].pat != pl[i].pat || (pat_cases[k].text_only &&
			    strchr(pl[i].name, '@') != NULL))
				continue;
			xml = pat_fill(pl, npl, i, pat_cases[k].xml);
			doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
			    XML_PARSE_NONET);
			vc = xmlRelaxNGNewValidCtxt(full);
			xmlRelaxNGSetValidStructuredErrors(vc, no_errors, NULL);
			schema_ok = doc != NULL && xmlRelaxNGValidateDoc(vc, doc) == 0;
			xmlRelaxNGFreeValidCtxt(vc);
			xmlFreeDoc(doc);
			/* The file is named after the id, whatever it is. */
			id = strstr(xml, "id=\"") + 4;
			q = strchr(id, '"');
			path = xasprintf("content/vendors/%.*s.xml", (int)(q - id), id);
			diag_init(&quiet);
			quiet.silent = true;
			r = NULL;
			docket_ok = record_parse(&r, &quiet, path, xml,
			    strlen(xml)) == 0;
			record_free(r);
			if (schema_ok != pat_cases[k].pattern_ok ||
			    docket_ok != pat_cases[k].docket_ok)
				fprintf(stderr, "%s = '%s': schema %d docket %d, "
				    "want %d and %d\n", pl[i].name, pat_cases[k].xml,
				    schema_ok, docket_ok, pat_cases[k].pattern_ok,
				    pat_cases[k].docket_ok);
			CHECK(schema_ok == pat_cases[k].pattern_ok);
			CHECK(docket_ok == pat_cases[k].docket_ok);
			free(path);
			free(xml);
			tried++;
		}
	xmlRelaxNGFree(full);
	for (i = 0; i < npl; i++)
		free(pl[i].name);
	/* Every place, with each of its pattern's values. */
	CHECK(tried > 200);
}

/* A record's blob id is git's for the same bytes. */
static void
check_blob(const char *data, size_t len, const char *want)
{
	struct record r;
	char hex[41];
	size_t i;

	memset(&r, 0, sizeof(r));
	record_set_blob(&r, data, len);
	for (i = 0; i < sizeof(r.blob); i++)
		snprintf(hex + 2 * i, 3, "%02x", r.blob[i]);
	CHECK_STR(hex, want);
}

void
test_record__blob_id(void)
{
	git_oid id;
	char want[41];

	check_blob("", 0, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	check_blob("hello\n", 6, "ce013625030ba8dba906f756967f9e9ca394464a");
	git_libgit2_init();
	CHECK_INT(git_odb_hash(&id, good, strlen(good), GIT_OBJECT_BLOB), 0);
	git_oid_tostr(want, sizeof(want), &id);
	check_blob(good, strlen(good), want);
	git_libgit2_shutdown();
}
