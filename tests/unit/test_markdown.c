/*
 * Unit tests: markdown, front matter, URL filter, docket.yml.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "markdown.h"
#include "unit.h"
#include "util.h"

void
test_markdown__url_safe(void)
{
	CHECK(url_safe("https://example.org/"));
	CHECK(url_safe("HTTP://example.org/"));
	CHECK(url_safe("mailto:a@example.org"));
	CHECK(url_safe("../vendors/index.html"));
	CHECK(url_safe("#anchor"));
	CHECK(url_safe("page?a=b:c"));
	CHECK(url_safe(""));
	CHECK(!url_safe("javascript:alert(1)"));
	CHECK(!url_safe("JaVaScRiPt:alert(1)"));
	CHECK(!url_safe(" \x01javascript:alert(1)"));
	CHECK(!url_safe("java\tscript:alert(1)"));
	CHECK(!url_safe("java\nscript:alert(1)"));
	CHECK(!url_safe("vbscript:x"));
	CHECK(!url_safe("data:image/png;base64,AAAA"));
	CHECK(!url_safe("ftp://example.org/"));
	CHECK(!url_safe("tel:123"));
	CHECK(!url_safe("file:///etc/passwd"));
	CHECK(!url_safe("averyveryverylongschemename:x"));
}

static char *
render(const char *md, bool unsafe, char **err)
{
	struct buf out = BUF_INIT;
	struct diag dg;
	struct md_src src = { .path = "p.md", .line = 5, .text = md,
		.len = strlen(md), .unsafe_html = unsafe };

	diag_init(&dg);
	unit_capture_start();
	md_render(&out, &dg, &src);
	*err = unit_capture_end();
	return buf_detach(&out);
}

void
test_markdown__render(void)
{
	char *h, *e;

	h = render("| a |\n| - |\n| b |\n\n~~x~~ www.example.org\n", false, &e);
	CHECK(strstr(h, "<table>") != NULL);
	CHECK(strstr(h, "<del>x</del>") != NULL);
	CHECK(strstr(h, "href=\"http://www.example.org\"") != NULL);
	CHECK_STR(e, "");
	free(h);
	free(e);

	h = render("<script>x</script>\n\n[a](javascript:alert(1))\n", false, &e);
	CHECK(strstr(h, "<script") == NULL);
	CHECK(strstr(h, "javascript") == NULL);
	CHECK_STR(e, "p.md:7:1: warning: URL scheme not allowed, link removed (use http, https, mailto or a relative URL)\n");
	free(h);
	free(e);

	h = render("![x](data:image/png;base64,AAAA)\n", false, &e);
	CHECK(strstr(h, "data:") == NULL);
	free(h);
	free(e);

	h = render("<b>kept</b> <script>x</script>\n", true, &e);
	CHECK(strstr(h, "<b>kept</b>") != NULL);
	CHECK(strstr(h, "<script>") == NULL);	/* tagfilter */
	free(h);
	free(e);

	/*
	 * A code block's info string is its code's language (GFM spec,
	 * example 112), not the natural language of a lang attribute.
	 */
	h = render("```ruby\nx\n```\n", false, &e);
	CHECK_STR(h, "<pre><code class=\"language-ruby\">x\n</code></pre>\n");
	free(h);
	free(e);
}

/*
 * A word may hold "www." after '_' 16 times (each one an autolink that
 * cmark-gfm reads to the end of the word); the 17th is an error at its
 * "www.", and words are counted apart.
 */
void
test_markdown__autolink_www(void)
{
	struct buf md = BUF_INIT;
	char *h, *e;
	int i;

	for (i = 0; i < 17; i++)
		BUF_PUTSL(&md, "www.a_");
	BUF_PUTSL(&md, " ");
	for (i = 0; i < 17; i++)
		BUF_PUTSL(&md, "www.a_");
	BUF_PUTSL(&md, "\n");
	h = render(md.ptr, false, &e);
	CHECK(strstr(h, "www.a_www.a_") != NULL);
	CHECK_STR(e, "");
	free(h);
	free(e);

	/*
	 * Words apart even when a '_' with no "www." after it comes
	 * between: 16 and 16.
	 */
	BUF_PUTSL(&md, "x");
	for (i = 0; i < 16; i++)
		BUF_PUTSL(&md, "_www.a");
	BUF_PUTSL(&md, " b_c");
	for (i = 0; i < 16; i++)
		BUF_PUTSL(&md, "_www.a");
	BUF_PUTSL(&md, "\n\n");
	h = render(md.ptr, false, &e);
	CHECK_STR(e, "");
	free(h);
	free(e);

	/* The next line's first word: "www." after '_' 17 times. */
	BUF_PUTSL(&md, "x\xc3\xa9");
	for (i = 0; i < 17; i++)
		BUF_PUTSL(&md, "_www.a");
	h = render(md.ptr, false, &e);
	CHECK_STR(h, "");
	CHECK_STR(e, "p.md:8:101: error: word holding 'www.' after '_' more than 16 times (autolinks would take too long)\n");
	free(h);
	free(e);
	buf_release(&md);
}

/*
 * Plain words render without a parser (plain_paragraph()), as cmark-gfm
 * renders them; the text next to them is no such paragraph.
 */
void
test_markdown__plain(void)
{
	static const struct {
		const char *md, *html;
	} cases[] = {
		{ "Plain words, (some) of them; caf\xc3\xa9 - ok?\nNext line.\n",
		  "<p>Plain words, (some) of them; caf\xc3\xa9 - ok?\nNext line.</p>\n" },
		{ "Ends without a line end.", "<p>Ends without a line end.</p>\n" },
		{ "Line one \nline two\n", "<p>Line one\nline two</p>\n" },
		{ "Line one  \nline two\n", "<p>Line one<br />\nline two</p>\n" },
		{ "One\n\nTwo\n", "<p>One</p>\n<p>Two</p>\n" },
		{ "Item\n2. two\n", "<p>Item\n2. two</p>\n" },
		{ "1. one\n", "<ol>\n<li>one</li>\n</ol>\n" },
		{ "See www.example.org now",
		  "<p>See <a href=\"http://www.example.org\">www.example.org</a> now</p>\n" },
		{ "    indented\n", "<pre><code>indented\n</code></pre>\n" },
		{ "Title\n-----\n", "<h2>Title</h2>\n" },
		{ "", "" },
		{ "\n", "" }
	};
	char *h, *e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h = render(cases[i].md, false, &e);
		CHECK_STR(h, cases[i].html);
		CHECK_STR(e, "");
		free(h);
		free(e);
	}
}

void
test_markdown__front_matter(void)
{
	struct diag dg;
	const char *y, *b;
	size_t ys, bs;
	unsigned line;
	char *e;
	const char *doc = "---\ntitle: x\n---\nbody\n";

	diag_init(&dg);
	CHECK_INT(md_split(&dg, "p.md", doc, strlen(doc), &y, &ys, &b, &bs,
	    &line), 0);
	CHECK(y != NULL && ys == 9 && strncmp(y, "title: x\n", 9) == 0);
	CHECK_STR(b, "body\n");
	CHECK_INT(line, 4);
	doc = "no front matter\n---\n";
	CHECK_INT(md_split(&dg, "p.md", doc, strlen(doc), &y, &ys, &b, &bs,
	    &line), 0);
	CHECK(y == NULL && b == doc && line == 1);
	doc = "---\r\ntitle: x\r\n...\r\nbody";
	CHECK_INT(md_split(&dg, "p.md", doc, strlen(doc), &y, &ys, &b, &bs,
	    &line), 0);
	CHECK_STR(b, "body");
	doc = "---\ntitle: x\n";
	unit_capture_start();
	CHECK_INT(md_split(&dg, "p.md", doc, strlen(doc), &y, &ys, &b, &bs,
	    &line), -1);
	e = unit_capture_end();
	CHECK_STR(e, "p.md:1:1: error: front matter is not closed by '---'\n");
	free(e);
}

static char *
config_err(const char *yml, int want)
{
	struct config c;
	struct diag dg;

	diag_init(&dg);
	unit_capture_start();
	CHECK_INT(config_load(&c, &dg, "docket.yml", yml, strlen(yml)), want);
	config_release(&c);
	return unit_capture_end();
}

void
test_config__load(void)
{
	struct config c;
	struct diag dg;
	const char *yml = "title: T\nbase_url: https://example.org/r\n"
	    "nav:\n  - {title: A, url: /a/}\nhistory:\n  limit: 5\n"
	    "  timezone: UTC\n";
	char *e;

	diag_init(&dg);
	CHECK_INT(config_load(&c, &dg, "docket.yml", yml, strlen(yml)), 0);
	CHECK_STR(c.title, "T");
	CHECK_STR(c.base_url, "https://example.org/r/");
	CHECK_STR(c.language, "en");
	CHECK_INT(c.navsz, 1);
	CHECK_STR(c.nav[0].url, "/a/");
	CHECK_INT(c.hist_limit, 5);
	config_release(&c);

	e = config_err("title: T\ncolour: blue\n", 0);
	CHECK_STR(e, "docket.yml:2:1: warning: unknown key 'colour'\n");
	free(e);
	e = config_err("title: [a]\n", -1);
	CHECK_STR(e, "docket.yml:1:8: error: 'title' must be a string\n");
	free(e);
	e = config_err("title: T\nunsafe_html: maybe\n", -1);
	CHECK_STR(e, "docket.yml:2:14: error: 'unsafe_html' must be true or false\n");
	free(e);
	e = config_err("title: T\nbase_url: javascript:alert(1)\n", -1);
	CHECK_STR(e, "docket.yml:2:11: error: 'base_url' must be an http or https URL\n");
	free(e);
	e = config_err("description: x\n", -1);
	CHECK_STR(e, "docket.yml:1:1: error: missing 'title'\n");
	free(e);
	e = config_err("title: T\ntitle: U\n", -1);
	CHECK_STR(e, "docket.yml:2:1: error: duplicate key 'title'\n");
	free(e);
	e = config_err("title: T\na: 1\n[x]: 2\nb: 2\na: 3\nb: 4\n", -1);
	CHECK_STR(e, "docket.yml:2:1: warning: unknown key 'a'\n"
	    "docket.yml:3:1: error: keys must be strings\n"
	    "docket.yml:4:1: warning: unknown key 'b'\n"
	    "docket.yml:5:1: error: duplicate key 'a'\n"
	    "docket.yml:6:1: error: duplicate key 'b'\n");
	free(e);
	e = config_err("title: &t T\ndescription: *t\n", 0);
	CHECK_STR(e, "");
	free(e);
	e = config_err("title: T\ndescription: *t\n", -1);
	CHECK_STR(e, "docket.yml:2:14: error: invalid YAML: found undefined alias\n");
	free(e);
	e = config_err("title: &t T\ndescription: &t D\n", -1);
	CHECK_STR(e, "docket.yml:2:14: error: invalid YAML: found duplicate anchor\n");
	free(e);
	/* 64 levels below the top are allowed, not 65; a tree stops there. */
	e = config_err("title: T\nx: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", 0);
	CHECK_STR(e, "docket.yml:2:1: warning: unknown key 'x'\n");
	free(e);
	e = config_err("title: T\nx: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", -1);
	CHECK_STR(e, "docket.yml:2:68: error: YAML nested deeper than 64\n");
	free(e);
	e = config_err("title: T\ndate_format: \"%H\"\n", -1);
	CHECK_STR(e, "docket.yml:2:14: error: 'date_format' has '%H', but may use only %d %-d %m %-m %B %b %Y and %%\n");
	free(e);
	e = config_err("title: T\ndate_format: \"%-d/%-m/%Y, 100%%\"\n", 0);
	CHECK_STR(e, "");
	free(e);
	/* Keys as other site generators spell them. */
	e = config_err("title: T\nbaseurl: https://a.example/\n"
	    "baseURL: https://a.example/\nlanguageCode: en\n"
	    "Repo-URL: https://a.example/r\ntimezone: UTC\n"
	    "nav:\n  - {name: A, href: /a/, title: A, url: /a/}\n"
	    "history:\n  author: true\n  Limit: 3\n  x: 1\n", 0);
	CHECK_STR(e, "docket.yml:2:1: warning: unknown key 'baseurl' (did you mean 'base_url'?)\n"
	    "docket.yml:3:1: warning: unknown key 'baseURL' (did you mean 'base_url'?)\n"
	    "docket.yml:4:1: warning: unknown key 'languageCode' (did you mean 'language'?)\n"
	    "docket.yml:5:1: warning: unknown key 'Repo-URL' (did you mean 'repo_url'?)\n"
	    "docket.yml:6:1: warning: unknown key 'timezone' (did you mean 'history.timezone'?)\n"
	    "docket.yml:8:6: warning: unknown key 'name' in 'nav' (did you mean 'title'?)\n"
	    "docket.yml:8:15: warning: unknown key 'href' in 'nav' (did you mean 'url'?)\n"
	    "docket.yml:10:3: warning: unknown key 'history.author' (did you mean 'authors'?)\n"
	    "docket.yml:11:3: warning: unknown key 'history.Limit' (did you mean 'limit'?)\n"
	    "docket.yml:12:3: warning: unknown key 'history.x'\n");
	free(e);
	/* Slips of the keyboard, as on the command line. */
	e = config_err("title: T\nbsae_url: https://a.example/\n"
	    "descripton: D\nhistory:\n  limt: 3\n", 0);
	CHECK_STR(e, "docket.yml:2:1: warning: unknown key 'bsae_url' (did you mean 'base_url'?)\n"
	    "docket.yml:3:1: warning: unknown key 'descripton' (did you mean 'description'?)\n"
	    "docket.yml:5:3: warning: unknown key 'history.limt' (did you mean 'limit'?)\n");
	free(e);
	e = config_err("a: &a [*a, *a]\ntitle: [\n", -1);
	CHECK(strstr(e, "docket.yml:") == e);
	free(e);
}

/* Positions in a text whose runs are elsewhere in the file (XML text). */
void
test_markdown__pos(void)
{
	/*
	 * Line 1 of the text is at 5:11 of the file, and from its column
	 * 4 on at 5:20 (after a reference); line 2 is at 6:5.
	 */
	static const struct md_span spans[] = {
		{ 1, 1, 5, 11 }, { 1, 4, 5, 20 }, { 2, 1, 6, 5 }
	};
	struct md_src src = { .path = "a.xml", .line = 5, .col = 10 };
	struct pos p;

	/* Without spans: line and col say. */
	p = md_pos(&src, 2, 3);
	CHECK_INT(p.line, 6);
	CHECK_INT(p.col, 13);
	p = md_pos(&src, 2, 0);
	CHECK_INT(p.line, 6);
	CHECK_INT(p.col, 0);
	src.spans = spans;
	src.spansz = NELEM(spans);
	p = md_pos(&src, 1, 2);
	CHECK_INT(p.line, 5);
	CHECK_INT(p.col, 12);
	p = md_pos(&src, 1, 6);
	CHECK_INT(p.line, 5);
	CHECK_INT(p.col, 22);
	p = md_pos(&src, 2, 7);
	CHECK_INT(p.line, 6);
	CHECK_INT(p.col, 11);
	/* A column not known: the line is. */
	p = md_pos(&src, 1, 0);
	CHECK_INT(p.line, 5);
	CHECK_INT(p.col, 0);
	p = md_pos(&src, 2, 0);
	CHECK_INT(p.line, 6);
	CHECK_INT(p.col, 0);
	CHECK_STR(p.path, "a.xml");
}
