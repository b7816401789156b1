/*
 * Fuzz target: markdown pages, with directives. The first byte chooses
 * options (bit 0: raw HTML kept; bit 1: directives, rendered from a
 * register of one record with the default templates; bit 2: links told
 * and rewritten, as a site's build does); the rest is the page. Included
 * files are looked for in a folder that does not exist.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "fuzz.h"
#include "markdown.h"
#include "record.h"
#include "register.h"
#include "site.h"
#include "source.h"
#include "template.h"
#include "util.h"

static struct site site;
static struct dir_env env;

static void
setup(struct diag *dg)
{
	if (site.src == NULL)
		site.src = source_dir("/nonexistent-docket-fuzz");
	register_setup(&site, &env, dg);
}

/* Each link told, as docket check's hook is: its position must be sane. */
static void
on_link(void *arg, const char *url, const char *written, const struct pos *p)
{
	(void)arg;
	if (url == NULL || written == NULL || p->path == NULL)
		abort();
}

/* Some links rewritten, longer and with characters to escape. */
static char *
rewrite(void *arg, const char *path, const char *url)
{
	(void)arg;
	(void)path;
	if (strlen(url) % 2 != 0)
		return NULL;
	return xasprintf("../\"&'<%s>/index.html", url);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct diag dg;
	struct buf out = BUF_INIT;
	struct md_src src = { .path = "content/a.md", .line = 1 };

	if (size == 0)
		return 0;
	diag_init(&dg);
	dg.quiet = true;
	setup(&dg);
	site.dg = &dg;
	src.unsafe_html = (data[0] & 1) != 0;
	src.env = (data[0] & 2) != 0 ? &env : NULL;
	if ((data[0] & 4) != 0) {
		src.on_link = on_link;
		src.rewrite = rewrite;
	}
	src.text = (const char *)data + 1;
	src.len = size - 1;
	md_render(&out, &dg, &src);
	buf_release(&out);
	return 0;
}
