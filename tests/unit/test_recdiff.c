/*
 * Unit tests: field-level record changes, and dates in a time zone.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "history.h"
#include "recdiff.h"
#include "record.h"
#include "unit.h"
#include "util.h"

static const char v1[] =
"<vendor id=\"acme\">\n"
"  <name>Acme</name>\n"
"  <country code=\"US\">United States</country>\n"
"  <status>approved</status>\n"
"  <products><product>Shield</product></products>\n"
"  <summary>Acme makes software.</summary>\n"
"  <action id=\"a\" type=\"law\" date=\"2018-01-02\" authority=\"X\">\n"
"    <title>Act</title>\n"
"    <source href=\"https://example.org/\" publisher=\"P\" date=\"2018-01-02\"/>\n"
"  </action>\n"
"</vendor>\n";

/* The same record, indented and wrapped otherwise. */
static const char v1_reformatted[] =
"<vendor id=\"acme\">\n"
"      <name>Acme</name>\n"
"      <country code=\"US\">United States</country>\n"
"      <status>approved</status>\n"
"      <products>\n"
"        <product>Shield</product>\n"
"      </products>\n"
"      <summary>\n"
"        Acme makes\n"
"        software.\n"
"      </summary>\n"
"      <action id=\"a\" type=\"law\" date=\"2018-01-02\" authority=\"X\">\n"
"        <title>Act</title>\n"
"        <source href=\"https://example.org/\" publisher=\"P\"\n"
"                date=\"2018-01-02\"/>\n"
"      </action>\n"
"</vendor>\n";

static const char v2[] =
"<vendor id=\"acme\">\n"
"  <name>Acme Corp</name>\n"
"  <country code=\"US\">United States</country>\n"
"  <website>https://acme.example/</website>\n"
"  <status>banned</status>\n"
"  <products><product>Shield Pro</product></products>\n"
"  <summary>Acme makes anvils.</summary>\n"
"  <action id=\"a\" type=\"law\" date=\"2018-01-03\" authority=\"X\">\n"
"    <title>Act</title>\n"
"    <source href=\"https://example.org/\" publisher=\"P\" date=\"2018-01-02\"/>\n"
"  </action>\n"
"  <action id=\"b\" type=\"directive\" date=\"2017-09-13\" authority=\"DHS\">\n"
"    <title>BOD 17-01</title>\n"
"    <source href=\"https://example.org/b\" publisher=\"DHS\" date=\"2017-09-13\"/>\n"
"  </action>\n"
"</vendor>\n";

static struct record *
parse(const char *xml)
{
	struct diag dg;
	struct record *r = NULL;

	diag_init(&dg);
	CHECK_INT(record_parse(&r, &dg, "content/vendors/acme.xml", xml,
	    strlen(xml)), 0);
	return r;
}

void
test_recdiff__fields(void)
{
	struct record *a = parse(v1), *b = parse(v2);
	struct recver o = { a, false }, n = { b, false };
	struct hist_change *c = NULL;
	size_t cz = 0;

	if (a == NULL || b == NULL)
		goto out;
	recdiff(&c, &cz, &o, &n, "%-d %B %Y");
	CHECK_INT(cz, 8);
	if (cz != 8)
		goto out;
	CHECK_STR(c[0].text, "status: approved \xe2\x86\x92 banned");
	CHECK_STR(c[0].before, "approved");
	CHECK_STR(c[0].after, "banned");
	CHECK_STR(c[1].text, "name: Acme \xe2\x86\x92 Acme Corp");
	CHECK_STR(c[2].text, "added website: https://acme.example/");
	CHECK_STR(c[3].text, "added product: Shield Pro");
	CHECK_STR(c[4].text, "removed product: Shield");
	CHECK_STR(c[5].text, "summary: text revised");
	CHECK_STR(c[6].text, "changed action: Act (3 January 2018): date");
	CHECK_STR(c[6].before, "Act (2018-01-02)");
	CHECK_STR(c[7].text, "added action: BOD 17-01 (13 September 2017)");
	CHECK_STR(c[7].field, "action");
out:
	recdiff_free(c, cz);
	record_free(a);
	record_free(b);
}

void
test_recdiff__reformat_is_no_change(void)
{
	struct record *a = parse(v1), *b = parse(v1_reformatted);
	struct recver o = { a, false }, n = { b, false };
	struct hist_change *c = NULL;
	size_t cz = 0;

	recdiff(&c, &cz, &o, &n, "%-d %B %Y");
	CHECK_INT(cz, 0);
	recdiff_free(c, cz);
	record_free(a);
	record_free(b);
}

void
test_recdiff__created_removed_unparseable(void)
{
	struct record *a = parse(v1);
	struct recver none = { NULL, false }, bad = { NULL, true },
	    some = { a, false };
	struct hist_change *c = NULL;
	size_t cz = 0;

	recdiff(&c, &cz, &none, &some, "%Y");
	recdiff(&c, &cz, &some, &none, "%Y");
	recdiff(&c, &cz, &bad, &some, "%Y");
	recdiff(&c, &cz, &some, &bad, "%Y");
	CHECK_INT(cz, 4);
	if (cz == 4) {
		CHECK_STR(c[0].text, "created");
		CHECK_STR(c[0].after, "Acme");
		CHECK_STR(c[1].text, "removed");
		CHECK_STR(c[2].text, "revised (unparseable)");
		CHECK_STR(c[3].text, "revised (unparseable)");
	}
	recdiff_free(c, cz);
	record_free(a);
}

void
test_recdiff__dates_in_zone(void)
{
	struct date d;
	long long end;
	/* 2017-09-14T03:30:00Z is still the 13th in New York. */
	long long t = 1505359800;

	CHECK_INT(hist_date_in(&d, t, "America/New_York"), 0);
	CHECK_INT(d.d, 13);
	CHECK_INT(hist_date_in(&d, t, "UTC"), 0);
	CHECK_INT(d.d, 14);
	CHECK_INT(hist_date_in(&d, t, "Asia/Tokyo"), 0);
	CHECK_INT(d.d, 14);
	d = (struct date){ 2017, 9, 13 };
	CHECK_INT(hist_day_end(&end, &d, "America/New_York"), 0);
	CHECK_INT(end, 1505361599);	/* 2017-09-14T03:59:59Z */
	CHECK_INT(hist_day_end(&end, &d, "UTC"), 0);
	CHECK_INT(end, 1505347199);
}

static bool
no_page(const void *arg, const char *id)
{
	(void)arg;
	(void)id;
	return false;
}

void
test_recdiff__html_fragments(void)
{
	struct history h;
	struct hist_commit c;
	static char field[] = "status", text[] = "status: a \xe2\x86\x92 <b>",
	    path[] = "content/vendors/acme.xml", subject[] = "Acme & co: <update>",
	    vendor[] = "acme", name[] = "Acme", fmt[] = "%-d %B %Y",
	    author[] = "Ana <A>", url[] = "https://example.org/c?a=1&b";
	struct hist_change ch = { field, text, NULL, NULL };
	struct hist_rev r = { 0, path, &ch, 1, true };
	struct hist_file f;
	struct hist_entry e = { 0, 0 };
	struct buf b = BUF_INIT;

	memset(&h, 0, sizeof(h));
	memset(&c, 0, sizeof(c));
	memset(&f, 0, sizeof(f));
	strcpy(c.id, "0123456789abcdef0123456789abcdef01234567");
	strcpy(c.short_id, "0123456789");
	c.subject = subject;
	c.date = (struct date){ 2017, 9, 13 };
	f.path = path;
	f.vendor = vendor;
	f.name = name;
	f.record = true;
	f.revs = &r;
	f.revsz = 1;
	h.walked = true;
	h.commits = &c;
	h.commitsz = 1;
	h.files = &f;
	h.filesz = 1;
	h.entries = &e;
	h.entrysz = 1;
	h.date_format = fmt;
	CHECK_INT(hist_html_changes(&b, &h, NULL, 10, "../", NULL, NULL), 0);
	/* The markup of the theme's changes.html and history.html. */
	CHECK_STR(b.ptr, "<ol class=\"changes\">\n<li class=\"change\"><time "
	    "class=\"change-date\" datetime=\"2017-09-13\">13 September 2017"
	    "</time><div class=\"change-body\"><p class=\"change-title\"><a "
	    "href=\"../vendors/acme/index.html\">Acme</a></p><ul class=\""
	    "field-changes\"><li>status: a \xe2\x86\x92 &lt;b&gt;</li></ul><p "
	    "class=\"change-meta\">Acme &amp; co: &lt;update&gt;&nbsp;\xc2\xb7 "
	    "commit&nbsp;"
	    "<code class=\"commit\">0123456789</code></p></div></li>\n</ol>\n");
	buf_truncate(&b, 0);
	/* A vendor the build writes no page for: its name, not a link. */
	CHECK_INT(hist_html_changes(&b, &h, NULL, 10, "../", no_page, NULL), 0);
	CHECK_STR(b.ptr, "<ol class=\"changes\">\n<li class=\"change\"><time "
	    "class=\"change-date\" datetime=\"2017-09-13\">13 September 2017"
	    "</time><div class=\"change-body\"><p class=\"change-title\">Acme"
	    "</p><ul class=\"field-changes\"><li>status: a \xe2\x86\x92 &lt;b&gt;"
	    "</li></ul><p class=\"change-meta\">Acme &amp; co: &lt;update&gt;"
	    "&nbsp;\xc2\xb7 commit&nbsp;<code class=\"commit\">0123456789</code></p></div>"
	    "</li>\n</ol>\n");
	buf_truncate(&b, 0);
	CHECK_INT(hist_html_changes(&b, &h, "other", 10, "../", NULL, NULL), 0);
	CHECK_STR(b.ptr, "<p class=\"changes-none\">No changes recorded.</p>\n");
	buf_truncate(&b, 0);
	c.author = author;
	c.url = url;
	CHECK_INT(hist_html_page(&b, &h, "content/vendors/acme.xml", 10, ""), 0);
	CHECK_STR(b.ptr, "<ol class=\"commits\">\n<li><time datetime=\""
	    "2017-09-13\">13 September 2017</time><p class=\"commit-subject\">"
	    "Acme &amp; co: &lt;update&gt;</p><ul class=\"field-changes\"><li>"
	    "status: a \xe2\x86\x92 &lt;b&gt;</li></ul><p class=\"commit-meta\">"
	    "Commit&nbsp;<a class=\"commit\" href=\"https://example.org/c?a=1&amp;b"
	    "\"><code>0123456789</code></a> by <span class=\"author\">Ana &lt;"
	    "A&gt;</span></p></li>\n</ol>\n");
	buf_truncate(&b, 0);
	CHECK_INT(hist_html_page(&b, NULL, "content/a.md", 10, ""), 0);
	CHECK_STR(b.ptr, "<p class=\"history-none\">The history of this page is "
	    "not available in this build.</p>\n");
	buf_release(&b);
}

/* v1 with the action's title and description given. */
static struct record *
parse_titled(const char *title, const char *desc)
{
	struct buf b = BUF_INIT;
	const char *at = strstr(v1, "<title>Act</title>");
	struct record *r;

	buf_put(&b, v1, (size_t)(at - v1));
	buf_printf(&b, "<title>%s</title><description>%s</description>",
	    title, desc);
	buf_puts(&b, at + strlen("<title>Act</title>"));
	r = parse(b.ptr);
	buf_release(&b);
	return r;
}

/* Runs of white space count as one space; at the ends, as none. */
void
test_recdiff__white_space_in_text(void)
{
	static const struct {
		const char	*t1, *d1, *t2, *d2;
		size_t		 changes;
	} cases[] = {
		{ "Act of Congress", "Says *so*.", "Act  of\n  Congress",
		    "\n  Says\t*so*.  \n", 0 },
		{ "Act of Congress", "Says so.", "Actof Congress", "Says so.", 1 },
		{ "Act of Congress", "Says so.", "Act of Congress", "Says so!", 1 },
		{ "Act of Congress", "Says so.", "Act of Congres", "Says so.", 1 },
		{ "Act of Congress", "Says so.", "Act of Congress s", "Says so.", 1 },
	};
	struct record *a, *b;
	struct recver o, n;
	struct hist_change *c;
	size_t cz, i;

	for (i = 0; i < NELEM(cases); i++) {
		a = parse_titled(cases[i].t1, cases[i].d1);
		b = parse_titled(cases[i].t2, cases[i].d2);
		o = (struct recver){ a, false };
		n = (struct recver){ b, false };
		c = NULL;
		cz = 0;
		recdiff(&c, &cz, &o, &n, "%Y");
		CHECK_INT((int)cz, (int)cases[i].changes);
		recdiff_free(c, cz);
		record_free(a);
		record_free(b);
	}
}

static const char r1[] =
"<vendor id=\"acme\">\n"
"  <name>Acme</name>\n"
"  <country code=\"US\">United States</country>\n"
"  <website>https://acme.example/</website>\n"
"  <status>restricted</status>\n"
"  <summary>Acme makes software.</summary>\n"
"  <action id=\"a\" type=\"law\" date=\"2018-01-02\" authority=\"X\">\n"
"    <title>Act</title>\n"
"    <source href=\"https://example.org/\" publisher=\"P\" date=\"2018-01-02\"/>\n"
"  </action>\n"
"  <response date=\"2018-01-05\" href=\"https://acme.example/a\">We disagree.</response>\n"
"  <response date=\"2018-02-01\" href=\"https://acme.example/b\">We appeal.</response>\n"
"</vendor>\n";

static const char r2[] =
"<vendor id=\"acme\">\n"
"  <name>Acme</name>\n"
"  <alias>Acme GmbH</alias>\n"
"  <country code=\"DE\">Germany</country>\n"
"  <website>https://acme.example.de/</website>\n"
"  <status>restricted</status>\n"
"  <summary>Acme makes software.</summary>\n"
"  <response date=\"2018-01-05\" href=\"https://acme.example/a\">We disagree strongly.</response>\n"
"  <response date=\"2018-03-01\" href=\"https://acme.example/c\">We comply.</response>\n"
"  <note>Moved to Berlin.</note>\n"
"</vendor>\n";

/* The fields SPEC lists beside status and actions: each change said once. */
void
test_recdiff__country_website_responses(void)
{
	struct record *a = parse(r1), *b = parse(r2);
	struct recver o = { a, false }, n = { b, false };
	struct hist_change *c = NULL;
	size_t cz = 0, i;
	static const char *const want[] = {
		"added alias: Acme GmbH",
		"country: United States (US) \xe2\x86\x92 Germany (DE)",
		"website: https://acme.example/ \xe2\x86\x92 https://acme.example.de/",
		"removed action: Act (2 January 2018)",
		"revised response (5 January 2018)",
		"added response (1 March 2018)",
		"removed response (1 February 2018)",
		"added note",
	};

	if (a == NULL || b == NULL)
		goto out;
	recdiff(&c, &cz, &o, &n, "%-d %B %Y");
	CHECK_INT(cz, NELEM(want));
	for (i = 0; i < cz && i < NELEM(want); i++)
		CHECK_STR(c[i].text, want[i]);
	if (cz == NELEM(want)) {
		CHECK_STR(c[1].field, "country");
		CHECK_STR(c[1].before, "United States (US)");
		CHECK_STR(c[1].after, "Germany (DE)");
		CHECK_STR(c[6].field, "response");
		CHECK(c[6].after == NULL);
	}
out:
	recdiff_free(c, cz);
	record_free(a);
	record_free(b);
}

/*
 * A change's text as HTML: escaped, and a short parenthesis at its end
 * (a date) held on one line with no-break spaces; anything else as is.
 */
void
test_recdiff__text_as_html(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "added action: Act <1> (21 February 2025)",
		    "added action: Act &lt;1&gt; (21&nbsp;February&nbsp;2025)" },
		{ "added response (1 March 2018)",
		    "added response (1&nbsp;March&nbsp;2018)" },
		{ "added action: A (b c) (d & e)",
		    "added action: A (b c) (d&nbsp;&amp;&nbsp;e)" },
		{ "country: Russia (RU) \xe2\x86\x92 China (CN)",
		    "country: Russia (RU) \xe2\x86\x92 China (CN)" },
		{ "status: approved \xe2\x86\x92 banned",
		    "status: approved \xe2\x86\x92 banned" },
		{ "note: (a b) c", "note: (a b) c" },
		{ "added action: T (a parenthesis of more than 32 bytes)",
		    "added action: T (a parenthesis of more than 32 bytes)" },
		{ ")", ")" },
		{ "", "" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		buf_truncate(&b, 0);
		recdiff_put_html(&b, cases[i].in);
		buf_putc(&b, '\0');
		CHECK_STR(b.ptr, cases[i].want);
	}
	buf_release(&b);
}
