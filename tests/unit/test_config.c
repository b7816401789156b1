/*
 * Unit tests: YAML values, as docket.yml and front matter read them.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "unit.h"
#include "util.h"

/* The value of the first key of a YAML mapping. */
static yaml_node_t *
first_value(yaml_document_t *doc)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);

	return yaml_document_get_node(doc, root->data.mapping.pairs.start->value);
}

void
test_config__bidi_positions(void)
{
	/*
	 * Written as it is, then as a \u escape on the next line of a
	 * double-quoted scalar, after an escaped line break; "\\u202E"
	 * is no escape.
	 */
	static const char yml[] =
	    "title: \"a\xe2\x80\xae \\\n  b \\\\u202E \\u202e\"\n";
	yaml_document_t doc;
	struct diag dg;
	char *err;

	diag_init(&dg);
	CHECK_INT(yaml_load(&doc, &dg, "p.md", yml, sizeof(yml) - 1, 1), 0);
	unit_capture_start();
	CHECK_INT(yaml_bidi_check(&dg, "p.md", yml, sizeof(yml) - 1, 1,
	    first_value(&doc), "'title'"), 0);
	err = unit_capture_end();
	CHECK_STR(err,
	    "p.md:2:10: warning: right-to-left override U+202E in 'title' "
	    "can make the text display in another order\n"
	    "p.md:3:13: warning: right-to-left override U+202E in 'title' "
	    "can make the text display in another order\n");
	CHECK_INT(dg.warnings, 2);
	free(err);
	yaml_document_delete(&doc);
}

/*
 * Many of them on one long line: each is warned of. (Before the lines
 * were tracked as the scan went, 300,000 took 47 s; the time is
 * measured by hand, not here.)
 */
void
test_config__bidi_many(void)
{
	enum { N = 300000 };
	struct buf yml = BUF_INIT;
	yaml_document_t doc;
	struct diag dg;
	int i;

	BUF_PUTSL(&yml, "title: ");
	for (i = 0; i < N; i++)
		BUF_PUTSL(&yml, "a\xe2\x80\xae");
	BUF_PUTSL(&yml, "\n");
	diag_init(&dg);
	dg.silent = true;
	CHECK_INT(yaml_load(&doc, &dg, "p.md", yml.ptr, yml.len, 1), 0);
	yaml_bidi_check(&dg, "p.md", yml.ptr, yml.len, 1, first_value(&doc),
	    "'title'");
	CHECK_INT(dg.warnings, N);
	yaml_document_delete(&doc);
	buf_release(&yml);
}
