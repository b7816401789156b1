/*
 * Fuzz target: Mustache templates. The input is up to three templates
 * separated by NUL bytes: "main", the partial or parent "a", and "b".
 * "main" is rendered with a small data tree, checking that {{{x}}}
 * writes only HTML docket made; messages are kept, never printed.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fuzz.h"
#include "template.h"

static struct tval *
data_tree(void)
{
	struct tval *root = tval_map(), *l = tval_list(), *m;
	int i;

	tval_set_str(root, "title", "<Kaspersky & \"Lab\">");
	tval_set_bool(root, "yes", true);
	tval_set_bool(root, "no", false);
	tval_set_num(root, "n", 3);
	tval_set_str(root, "a", "b");
	tval_set(root, "html", tval_html("<em>made</em>"));
	for (i = 0; i < 3; i++) {
		m = tval_map();
		tval_set_num(m, "i", i);
		tval_set_str(m, "name", i == 1 ? "ZTE" : "Huawei");
		tval_push(l, m);
	}
	tval_set(root, "list", l);
	tval_set(root, "empty", tval_list());
	m = tval_map();
	tval_set_str(m, "b", "a");
	tval_set(m, "list", tval_ref(l));
	tval_set(root, "map", m);
	return root;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "main", "a", "b" };
	const char *p = (const char *)data, *end = p + size, *z;
	struct diag dg;
	struct tmpl_set *set;
	struct tval *ctx;
	struct buf out = BUF_INIT;
	size_t i;

	diag_init(&dg);
	dg.ordered = true;	/* kept until diag_release() */
	set = tmpl_set_new(&dg, NULL, NULL);
	tmpl_set_html_only(set);
	for (i = 0; i < 3 && p <= end; i++) {
		z = memchr(p, '\0', (size_t)(end - p));
		if (z == NULL)
			z = end;
		tmpl_set_add(set, names[i], p, (size_t)(z - p), names[i]);
		p = z + 1;
	}
	ctx = data_tree();
	tmpl_render(set, "main", ctx, &out);
	buf_release(&out);
	tval_free(ctx);
	tmpl_set_free(set);
	diag_release(&dg);
	return 0;
}
