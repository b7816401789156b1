/*
 * Unit tests: the markdown link hook that docket check uses.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "links.h"
#include "markdown.h"
#include "unit.h"
#include "util.h"

static void
collect(void *arg, const char *url, const char *written,
    const struct pos *p)
{
	buf_printf(arg, "%s:%u:%u %s\n", p->path, p->line, p->col, url);
	if (strcmp(written, url) != 0)
		buf_printf(arg, "  written %s\n", written);
}

void
test_markdown__link_hook(void)
{
	static const char md[] =
	    "# Title\n"
	    "\n"
	    "See [the list](../vendors/index.html#huawei) and\n"
	    "![a chart](chart.svg \"t\"), and\n"
	    "[bad](javascript:alert(1)) and [ref].\n"
	    "\n"
	    "- [b](b.html)\n"
	    "\n"
	    "[ref]: <a b.html>\n";
	struct buf out = BUF_INIT, links = BUF_INIT;
	struct diag dg;
	struct md_src src = { .path = "content/a.md", .line = 4, .text = md,
		.len = sizeof(md) - 1, .on_link = collect, .on_link_arg = &links };
	char *err;

	diag_init(&dg);
	unit_capture_start();
	CHECK_INT(md_render(&out, &dg, &src), 0);
	err = unit_capture_end();
	/* Unsafe URLs are removed with a warning and not reported as links. */
	CHECK_STR(err, "content/a.md:8:1: warning: URL scheme not allowed, "
	    "link removed (use http, https, mailto or a relative URL)\n");
	CHECK_STR(links.ptr,
	    "content/a.md:6:5 ../vendors/index.html#huawei\n"
	    "content/a.md:7:1 chart.svg\n"
	    "content/a.md:8:32 a b.html\n"
	    "content/a.md:10:3 b.html\n");
	/* Record text: columns unknown. */
	buf_truncate(&links, 0);
	src.col = -1;
	src.text = "[x](y.html)";
	src.len = 11;
	CHECK_INT(md_render(&out, &dg, &src), 0);
	CHECK_STR(links.ptr, "content/a.md:4:0 y.html\n");
	free(err);
	buf_release(&out);
	buf_release(&links);
}

static char *
to_page(void *arg, const char *path, const char *url)
{
	(void)arg;
	return strcmp(url, "b.md#x") == 0 ?
	    xasprintf("../b/index.html#x (from %s)", path) : NULL;
}

/* A rewritten link: the hook gets it and the link as written. */
void
test_markdown__link_hook_rewritten(void)
{
	static const char md[] = "[b](b.md#x) [c](c.md)\n";
	struct buf out = BUF_INIT, links = BUF_INIT;
	struct diag dg;
	struct md_src src = { .path = "content/a.md", .line = 1, .text = md,
		.len = sizeof(md) - 1, .on_link = collect, .on_link_arg = &links,
		.rewrite = to_page };

	diag_init(&dg);
	CHECK_INT(md_render(&out, &dg, &src), 0);
	CHECK_STR(links.ptr,
	    "content/a.md:1:1 ../b/index.html#x (from content/a.md)\n"
	    "  written b.md#x\n"
	    "content/a.md:1:13 c.md\n");
	buf_release(&out);
	buf_release(&links);
}

/* links.c: how a link leads from a page to a path of the output. */
static void
check_resolve(const char *base, const char *from, const char *path,
    const char *want)
{
	char *got = links_resolve(base, from, path);

	if (want == NULL)
		CHECK(got == NULL);
	else
		CHECK_STR(got != NULL ? got : "(null)", want);
	free(got);
}

void
test_links__resolve(void)
{
	check_resolve("/", "about/index.html", "../vendors/zte/", "vendors/zte/");
	check_resolve("/", "about/index.html", "./x/../y.html", "about/y.html");
	check_resolve("/", "index.html", "vendors/", "vendors/");
	check_resolve("/", "index.html", "", "");
	check_resolve("/", "a/b/index.html", "../../", "");
	check_resolve("/", "a/b/index.html", "../../../", NULL);
	check_resolve("/", "index.html", "../x/", NULL);
	check_resolve("/", "a/index.html", "/vendors/", "vendors/");
	check_resolve("/sub/", "a/index.html", "/sub/vendors/", "vendors/");
	check_resolve("/sub/", "a/index.html", "/sub", "");
	check_resolve("/sub/", "a/index.html", "/other/", NULL);
	check_resolve("/", "a/index.html", "x//y", "a/x/y");
	check_resolve("/", "a/index.html", "x//../y", "a/x/y");
	check_resolve("/", "a/index.html", "//x", "x");
	check_resolve("/", "a/index.html", "/./x//", "x/");
	check_resolve("/sub/", "a/index.html", "/sub//x", "x");
}

void
test_links__decode_and_external(void)
{
	char *s;

	s = links_decode("a%20b%2Fc%zz%4", 14);
	CHECK_STR(s, "a b/c%zz%4");
	free(s);
	CHECK(links_external("https://example.org/"));
	CHECK(links_external("mailto:a@example.org"));
	CHECK(links_external("//host/x"));
	CHECK(!links_external("/x/"));
	CHECK(links_external("a:b/../c"));
	CHECK(!links_external("../x:y"));
	CHECK(!links_external("#top"));
	s = links_base_path("https://example.org/reg/");
	CHECK_STR(s, "/reg/");
	free(s);
	s = links_base_path("https://example.org");
	CHECK_STR(s, "/");
	free(s);
	s = links_base_path(NULL);
	CHECK_STR(s, "/");
	free(s);
}

void
test_links__target(void)
{
	char *t, *frag;

	t = links_target("/", "about/index.html", "../vendors/zte/#denial%20order", &frag);
	CHECK_STR(t, "vendors/zte/index.html");
	CHECK_STR(frag, "denial order");
	free(t), free(frag);
	t = links_target("/", "about/index.html", "?q=1#top", &frag);
	CHECK_STR(t, "about/index.html");
	CHECK_STR(frag, "top");
	free(t), free(frag);
	t = links_target("/", "about/index.html", "../", &frag);
	CHECK_STR(t, "index.html");
	CHECK(frag == NULL);
	free(t);
	t = links_target("/", "about/index.html", "report.pdf?x#y", &frag);
	CHECK_STR(t, "about/report.pdf");
	free(t), free(frag);
	t = links_target("/", "index.html", "../x/", &frag);
	CHECK(t == NULL);
	free(frag);
	/* "//" decoded from the root: a path of the site, not of the machine. */
	t = links_target("/", "index.html", "/%2Fetc/passwd", &frag);
	CHECK_STR(t, "etc/passwd");
	free(t), free(frag);
	t = links_target("/", "index.html", "%2F%2F", &frag);
	CHECK_STR(t, "index.html");
	free(t), free(frag);
}

void
test_links__encode(void)
{
	char *s;

	s = links_encode("docs/100%.pdf");
	CHECK_STR(s, "docs/100%25.pdf");
	free(s);
	s = links_encode("C#/a?b:c d/caf\xc3\xa9/it's~x/index.html");
	CHECK_STR(s, "C%23/a%3Fb%3Ac%20d/caf%C3%A9/it's~x/index.html");
	free(s);
	s = links_decode("a%2541", 6);
	CHECK_STR(s, "a%41");
	free(s);
}

void
test_links__nul(void)
{
	char *s, *t, *frag;

	s = links_decode("a.md%00.png%01", 14);
	CHECK_STR(s, "a.md%00.png\x01");
	free(s);
	/* Not the page a.md: the link names no file. */
	t = links_target("/", "index.html", "a/%00#b%00c", &frag);
	CHECK_STR(t, "a/%00");
	CHECK_STR(frag, "b%00c");
	free(t), free(frag);
}
