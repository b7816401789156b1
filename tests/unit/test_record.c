/*
 * Unit tests: vendor records.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "record.h"
#include "unit.h"

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
	CHECK_STR(e, "v/other.xml:2: error: record id 'acme' does not match its file name 'other.xml'\n");
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
	CHECK(strstr(e, "v/acme.xml:6: error:") == e);
	free(e);
	free(xml);
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
