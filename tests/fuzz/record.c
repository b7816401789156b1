/*
 * Fuzz target: a vendor record, read as content/vendors/acme.xml.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "diag.h"
#include "fuzz.h"
#include "record.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag dg;
	struct record *r = NULL, *held = NULL;
	bool shape, schema;
	size_t i;

	/* record_parse() skips the schema for what its own check takes. */
	if (record_shape_check((const char *)data, size, &shape, &schema) == 0 &&
	    shape && !schema)
		abort();
	diag_init(&dg);
	dg.quiet = true;
	if (record_parse_held(&r, &held, &dg, "content/vendors/acme.xml",
	    (const char *)data, size) == 0)
		record_free(r);
	/* A record held for its markdown has every field a sound one has. */
	if (held != NULL) {
		if (held->id == NULL || held->name == NULL ||
		    held->country_code == NULL || held->summary.text == NULL)
			abort();
		for (i = 0; i < held->actionsz; i++)
			if (held->actions[i].id == NULL ||
			    held->actions[i].title == NULL ||
			    held->actions[i].authority == NULL ||
			    held->actions[i].sourcesz == 0)
				abort();
	}
	record_free(held);
	return 0;
}
