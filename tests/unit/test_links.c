/*
 * Unit tests: the markdown link hook that docket check uses.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "unit.h"

static void
collect(void *arg, const char *url, const struct pos *p)
{
	buf_printf(arg, "%s:%u:%u %s\n", p->path, p->line, p->col, url);
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
