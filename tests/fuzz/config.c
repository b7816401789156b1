/*
 * Fuzz target: docket.yml, and the same bytes as a page with front matter
 * (split off the body, parsed and turned into template data). Where
 * yaml_load_plain() reads the front matter, its document must be the one
 * libyaml makes of the same bytes.
 */
#include <stdlib.h>

#include "config.h"
#include "diag.h"
#include "fuzz.h"
#include "markdown.h"
#include "template.h"
#include "util.h"
#include "yamlsame.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag dg;
	struct config cfg;
	yaml_document_t doc, plain;
	const char *yaml, *body;
	size_t yamlsz, bodysz;
	unsigned bodyline, line, col;
	char *problem;
	int rc;

	diag_init(&dg);
	dg.quiet = true;
	config_load(&cfg, &dg, "docket.yml", (const char *)data, size);
	config_release(&cfg);

	if (md_split(&dg, "content/a.md", (const char *)data, size, &yaml,
	    &yamlsz, &body, &bodysz, &bodyline) == -1 || yaml == NULL)
		return 0;
	rc = yaml_load_full(&doc, &dg, "content/a.md", yaml, yamlsz, 1);
	if (yaml_load_plain(&plain, yaml, yamlsz)) {
		/* yaml_load() looks for what text_problem() finds first. */
		problem = text_problem(yaml, yamlsz, "YAML", &line, &col);
		if (problem == NULL && (rc == -1 || !yaml_same(&plain, &doc)))
			abort();
		free(problem);
		yaml_document_delete(&plain);
	}
	if (rc == -1)
		return 0;
	tval_free(yaml_to_tval(&doc, yaml_document_get_root_node(&doc)));
	yaml_document_delete(&doc);
	return 0;
}
