/*
 * Unit tests: YAML values, as docket.yml and front matter read them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "unit.h"
#include "util.h"
#include "../fuzz/yamlsame.h"

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

/*
 * Front matter in its plain form is read without libyaml's scanner; the
 * document must be the one libyaml makes of the same bytes, marks and
 * all. Anything else is left to libyaml.
 */
void
test_config__plain_front_matter(void)
{
	static const struct {
		const char	*yml;
		bool		 plain;
	} t[] = {
		{ "title: \"Access license 15\"\ndate: 2015-01-31\n", true },
		{ "title: \"Acc\"\ndate: 2015-01-31", true },
		{ "\n\na: b", true },
		{ "a: b  \n\n\nc: \"\xc3\xa9 x\"  \n\n", true },
		{ "a: null\nb: Null\nc: NULL\nd: nul\n", true },
		{ "a: \"\xf0\x9f\x98\x80 x\"", true },
		{ "a: \"x: y #z\"  \nb-c_d: 1.5/2+3\n", true },
		{ "a:    x  y z  \nweight: 3\ndraft: true\n", true },
		{ "a: \"\"\n", true },
		{ "a: \"\xe2\x80\xae\"\n", true },	/* warned of after */
		{ "a:b\n", false },
		{ "a: -b\n", false },
		{ "a: \"x\" # c\n", false },
		{ "a: b # c\n", false },
		{ "a: b: c\n", false },
		{ "a:\n", false },
		{ "a: ~\n", false },
		{ " a: b\n", false },
		{ "# c\na: b\n", false },
		{ "a: b\r\n", false },
		{ "a: \"b\tc\"\n", false },
		{ "a: \"b\\\"c\"\n", false },
		{ "a: \"b\n", false },
		{ "a: 'b'\n", false },
		{ "a: [b]\n", false },
		{ "a: \"\xc2\x85\"\n", false },
		{ "a: \"\xef\xbb\xbf\"\n", false },
		{ "a: \"\xc3\"\n", false },
		{ "a: b\n- c\n", false },
		{ "", false },
		{ "\n\n", false },
		{ "---\na: b\n", false },
		{ "1: b\n", false },
	};
	yaml_document_t plain, full;
	struct diag dg;
	size_t i, n;
	bool ok;

	diag_init(&dg);
	dg.silent = true;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = strlen(t[i].yml);
		ok = yaml_load_plain(&plain, t[i].yml, n);
		if (ok != t[i].plain)
			fprintf(stderr, "case %zu: %s\n", i, t[i].yml);
		CHECK(ok == t[i].plain);
		if (!ok)
			continue;
		CHECK_INT(yaml_load_full(&full, &dg, "p.md", t[i].yml, n, 1),
		    0);
		if (!yaml_same(&plain, &full))
			fprintf(stderr, "case %zu: %s\n", i, t[i].yml);
		CHECK(yaml_same(&plain, &full));
		yaml_document_delete(&plain);
		yaml_document_delete(&full);
	}
}
