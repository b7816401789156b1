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
#include "embedded.h"
#include "fuzz.h"
#include "markdown.h"
#include "record.h"
#include "site.h"
#include "source.h"
#include "template.h"
#include "util.h"

static const char record_xml[] =
"<vendor id=\"acme\"><name>Acme</name><country code=\"US\">United States"
"</country><status>banned</status><summary>Anvils.</summary>"
"<action id=\"bod\" type=\"directive\" date=\"2017-09-13\" authority=\"DHS\" "
"deadline-days=\"90\"><title>Order</title><source href=\"https://example.org/\" "
"publisher=\"DHS\" date=\"2017-09-13\"/></action></vendor>";

/* The default templates, as a site without templates/ has them. */
static int
load(void *arg, const char *name, struct buf *src, const char **path)
{
	const struct embedded *e;
	char *rel = xasprintf("templates/%s.html", name);

	(void)arg;
	e = embedded_find(rel);
	free(rel);
	if (e == NULL)
		return 0;
	buf_put(src, e->data, e->len);
	*path = e->name;
	return 1;
}

static struct site site;
static struct dir_env env;
static struct record *rec;

static size_t by_id;	/* the one record, by id */

static void
setup(struct diag *dg)
{
	struct tval *vendors, *v;

	if (rec != NULL)
		return;
	if (record_parse(&rec, dg, "content/vendors/acme.xml", record_xml,
	    sizeof(record_xml) - 1) == -1)
		abort();
	site.dg = dg;
	site.cfg.title = xstrdup("Fuzz");
	site.cfg.date_format = xstrdup("%-d %B %Y");
	site.cfg.hist_limit = 10;
	site.records = &rec;
	site.recordsz = 1;
	site.by_id = &by_id;
	site.src = source_dir("/nonexistent-docket-fuzz");
	site.tmpl = tmpl_set_new(dg, load, NULL);
	vendors = tval_list();
	v = tval_map();
	tval_set_str(v, "id", "acme");
	tval_set_str(v, "name", "Acme");
	tval_set_str(v, "url", "vendors/acme/index.html");
	tval_push(vendors, v);
	env = (struct dir_env){ &site, vendors, tval_list(), true };
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
