/*
 * For the fuzz targets that render markdown with directives (markdown.c,
 * page.c): a register of one record, with the default templates, as a
 * site without templates/ has them. Included by one target each.
 */
#ifndef DOCKET_FUZZ_REGISTER_H
#define DOCKET_FUZZ_REGISTER_H

#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "embedded.h"
#include "record.h"
#include "site.h"
#include "template.h"
#include "util.h"

static const char register_record_xml[] =
"<vendor id=\"acme\"><name>Acme</name><country code=\"US\">United States"
"</country><status>banned</status><summary>Anvils.</summary>"
"<action id=\"bod\" type=\"directive\" date=\"2017-09-13\" authority=\"DHS\" "
"deadline-days=\"90\"><title>Order</title><source href=\"https://example.org/\" "
"publisher=\"DHS\" date=\"2017-09-13\"/></action></vendor>";

/* The default templates, by name. */
static int
register_load(void *arg, const char *name, struct buf *src, const char **path)
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

static struct record *register_rec;
static size_t register_by_id;	/* the one record, by id */

/*
 * Once: the site's title, date format, record and templates, and the
 * directives' environment with its vendor list. The caller sets the
 * rest of site (its source, its options).
 */
static void
register_setup(struct site *site, struct dir_env *env, struct diag *dg)
{
	struct tval *vendors, *v;

	if (register_rec != NULL)
		return;
	if (record_parse(&register_rec, dg, "content/vendors/acme.xml",
	    register_record_xml, sizeof(register_record_xml) - 1) == -1)
		abort();
	site->dg = dg;
	site->cfg.title = xstrdup("Fuzz");
	site->cfg.date_format = xstrdup("%-d %B %Y");
	site->cfg.hist_limit = 10;
	site->records = &register_rec;
	site->recordsz = 1;
	site->by_id = &register_by_id;
	site->tmpl = tmpl_set_new(dg, register_load, NULL);
	vendors = tval_list();
	v = tval_map();
	tval_set_str(v, "id", "acme");
	tval_set_str(v, "name", "Acme");
	tval_set_str(v, "url", "vendors/acme/index.html");
	tval_push(vendors, v);
	*env = (struct dir_env){ site, vendors, tval_list(), true };
}

#endif
