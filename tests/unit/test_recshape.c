/*
 * Unit tests: record_parse() skips the schema for records whose shape it
 * checked itself, and checks plain values in one pass. The first must
 * never take a record the schema would not, and neither may change what
 * a parse says: each mutant of two records (an element dropped,
 * doubled, moved, renamed, given text, markup, an attribute or a
 * namespace; an attribute dropped or given another value) is put to the
 * shape check and the schema, and parsed with and without the shortcuts.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "diag.h"
#include "record.h"
#include "unit.h"
#include "util.h"

static const char full[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<vendor id=\"acme\" draft=\"false\">\n"
"  <name>Acme</name>\n"
"  <alias>Acme Inc</alias>\n"
"  <alias>Acme Ltd</alias>\n"
"  <country code=\"US\">United States</country>\n"
"  <website>https://acme.example/</website>\n"
"  <status>banned</status>\n"
"  <products><product>Anvil</product><product>Rocket</product></products>\n"
"  <summary>A maker of *anvils*.</summary>\n"
"  <action id=\"a\" type=\"law\" date=\"2018-01-02\" authority=\"X\"\n"
"          deadline-days=\"90\">\n"
"    <title>Act</title>\n"
"    <scope>All</scope>\n"
"    <description>Text.</description>\n"
"    <source href=\"https://example.org/\" publisher=\"P\" date=\"2018-01-02\"\n"
"            accessed=\"2018-02-01\" archived=\"https://web.archive.org/x\"/>\n"
"    <source href=\"https://example.org/2\" publisher=\"Q\" date=\"2018-01-03\"/>\n"
"  </action>\n"
"  <action id=\"b\" type=\"directive\" date=\"2019-01-02\" authority=\"Y\"\n"
"          deadline=\"2019-04-02\">\n"
"    <title>Order</title>\n"
"    <source href=\"https://example.org/3\" publisher=\"R\" date=\"2019-01-02\"/>\n"
"  </action>\n"
"  <response date=\"2018-03-01\" href=\"https://acme.example/r\">We object.</response>\n"
"  <response date=\"2018-04-01\">Again.</response>\n"
"  <note>A note.</note>\n"
"</vendor>\n";

static const char minimal[] =
"<vendor id=\"b\"><name>B</name><country code=\"CN\">China</country>"
"<status>approved</status><summary/></vendor>";

static const char *const names[] = {
	"vendor", "name", "alias", "country", "website", "status", "products",
	"product", "summary", "action", "title", "scope", "description",
	"source", "response", "note"
};
static const char *const attrs[] = {
	"id", "draft", "code", "type", "date", "authority", "deadline-days",
	"deadline", "href", "publisher", "accessed", "archived"
};
static const char *const values[] = {
	"", " ", "true", " true", "false", "bogus", "law", " law ", "banned",
	"-1", "0", "36500", "36501", "007", "+5", "1e3", "12345678"
};

struct tally {
	size_t	tried;
	size_t	taken;		/* by shape_ok() */
	size_t	valid;		/* by the schema */
	size_t	differ;		/* parses that said other things */
};

/* What record_parse() says of data, and whether it took it. */
static char *
parse_says(const char *data, size_t len, bool slow)
{
	struct diag dg;
	struct record *r = NULL;
	char *out;
	int rc;

	diag_init(&dg);
	record_slow_checks = slow;
	unit_capture_start();
	rc = record_parse(&r, &dg, "content/vendors/acme.xml", data, len);
	out = unit_capture_end();
	record_slow_checks = false;
	record_free(r);
	if (rc == 0) {
		char *ok = xasprintf("taken\n%s", out);
		free(out);
		out = ok;
	}
	return out;
}

static void
put(xmlDocPtr d, struct tally *t)
{
	xmlChar *mem = NULL;
	int n = 0;
	bool shape, schema;

	xmlDocDumpMemory(d, &mem, &n);
	if (mem != NULL) {
		char *fast = parse_says((const char *)mem, (size_t)n, false);
		char *slow = parse_says((const char *)mem, (size_t)n, true);

		if (strcmp(fast, slow) != 0) {
			t->differ++;
			CHECK_STR(fast, slow);
			fprintf(stderr, "%s\n", (const char *)mem);
		}
		free(fast);
		free(slow);
	}
	if (mem != NULL && record_shape_check((const char *)mem, (size_t)n,
	    &shape, &schema) == 0) {
		t->tried++;
		t->taken += shape;
		t->valid += schema;
		if (shape && !schema) {
			CHECK(!"the shape check took what the schema does not");
			fprintf(stderr, "%s\n", (const char *)mem);
		}
	}
	xmlFree(mem);
}

/* The k-th element of the document, in document order. */
static xmlNodePtr
nth(xmlNodePtr n, size_t *k)
{
	xmlNodePtr c, r;

	if (n->type == XML_ELEMENT_NODE && (*k)-- == 0)
		return n;
	for (c = n->children; c != NULL; c = c->next)
		if ((r = nth(c, k)) != NULL)
			return r;
	return NULL;
}

static xmlNodePtr
element(xmlDocPtr d, size_t k)
{
	return nth(xmlDocGetRootElement(d), &k);
}

static xmlNodePtr
next_element(xmlNodePtr n)
{
	for (n = n->next; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

enum { M_DROP, M_DOUBLE, M_MOVE, M_EMPTY, M_ELEMENT, M_TEXT, M_COMMENT,
	M_CDATA, M_PI, M_NS, M_XMLLANG, M_OTHERATTR, M_DROPATTRS, M_END };

/* Applies mutation m to element e; false when it does not apply. */
static bool
mutate(xmlDocPtr d, xmlNodePtr e, int m)
{
	xmlNodePtr x;
	xmlNsPtr ns;

	switch (m) {
	case M_DROP:
		if (e == xmlDocGetRootElement(d))
			return false;
		xmlUnlinkNode(e);
		xmlFreeNode(e);
		return true;
	case M_DOUBLE:
		if (e == xmlDocGetRootElement(d))
			return false;
		xmlAddNextSibling(e, xmlCopyNode(e, 1));
		return true;
	case M_MOVE:
		if ((x = next_element(e)) == NULL)
			return false;
		xmlUnlinkNode(e);
		xmlAddNextSibling(x, e);
		return true;
	case M_EMPTY:
		while ((x = e->children) != NULL) {
			xmlUnlinkNode(x);
			xmlFreeNode(x);
		}
		return true;
	case M_ELEMENT:
		xmlNewTextChild(e, NULL, BAD_CAST "b", BAD_CAST "x");
		return true;
	case M_TEXT:
		xmlAddChild(e, xmlNewText(BAD_CAST "x"));
		return true;
	case M_COMMENT:
		xmlAddChild(e, xmlNewComment(BAD_CAST "c"));
		return true;
	case M_CDATA:
		xmlAddChild(e, xmlNewCDataBlock(d, BAD_CAST "x", 1));
		return true;
	case M_PI:
		xmlAddChild(e, xmlNewPI(BAD_CAST "pi", NULL));
		return true;
	case M_NS:
		ns = xmlNewNs(e, BAD_CAST "urn:x", BAD_CAST "q");
		xmlSetNs(e, ns);
		return true;
	case M_XMLLANG:
		xmlNodeSetLang(e, BAD_CAST "en");
		return true;
	case M_OTHERATTR:
		xmlSetProp(e, BAD_CAST "other", BAD_CAST "1");
		return true;
	case M_DROPATTRS:
		while (e->properties != NULL)
			xmlRemoveProp(e->properties);
		return true;
	}
	return false;
}

static void
mutants(const char *base, struct tally *t)
{
	xmlDocPtr orig, d;
	xmlNodePtr e;
	xmlAttrPtr a;
	size_t k, i, j, na;
	int m;
	bool shape, schema;

	CHECK_INT(record_shape_check(base, strlen(base), &shape, &schema), 0);
	CHECK(shape);
	CHECK(schema);
	orig = xmlReadMemory(base, (int)strlen(base), NULL, "UTF-8", 0);
	if (orig == NULL) {
		CHECK(orig != NULL);
		return;
	}
	for (k = 0; element(orig, k) != NULL; k++) {
		for (m = 0; m < M_END; m++) {
			d = xmlCopyDoc(orig, 1);
			if (mutate(d, element(d, k), m))
				put(d, t);
			xmlFreeDoc(d);
		}
		for (i = 0; i < NELEM(names); i++) {
			d = xmlCopyDoc(orig, 1);
			xmlNodeSetName(element(d, k), BAD_CAST names[i]);
			put(d, t);
			xmlFreeDoc(d);
		}
		for (i = 0; i < NELEM(values); i++) {
			d = xmlCopyDoc(orig, 1);
			xmlNodeSetContent(element(d, k), BAD_CAST values[i]);
			put(d, t);
			xmlFreeDoc(d);
		}
		for (i = 0; i < NELEM(attrs); i++)
			for (j = 0; j < 3; j++) {
				d = xmlCopyDoc(orig, 1);
				xmlSetProp(element(d, k), BAD_CAST attrs[i],
				    BAD_CAST (j == 0 ? "1" : j == 1 ? "true" :
				    "law"));
				put(d, t);
				xmlFreeDoc(d);
			}
		na = 0;
		for (a = element(orig, k)->properties; a != NULL; a = a->next)
			na++;
		for (i = 0; i < na; i++) {
			d = xmlCopyDoc(orig, 1);
			e = element(d, k);
			for (a = e->properties, j = 0; j < i; j++)
				a = a->next;
			xmlRemoveProp(a);
			put(d, t);
			xmlFreeDoc(d);
			for (j = 0; j < NELEM(values); j++) {
				d = xmlCopyDoc(orig, 1);
				e = element(d, k);
				for (a = e->properties, m = 0; (size_t)m < i; m++)
					a = a->next;
				xmlSetProp(e, a->name, BAD_CAST values[j]);
				put(d, t);
				xmlFreeDoc(d);
			}
		}
	}
	xmlFreeDoc(orig);
}

void
test_record__shortcuts_change_nothing(void)
{
	struct tally t = { 0, 0, 0, 0 };

	record_init();
	mutants(full, &t);
	mutants(minimal, &t);
	/* The check is put to the test: it takes many, and not all. */
	CHECK(t.tried > 2500);
	CHECK(t.taken > 500);
	CHECK(t.taken < t.valid);
	CHECK_INT(t.differ, 0);
}
