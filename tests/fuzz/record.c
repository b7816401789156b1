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
	struct record *r = NULL;
	bool shape, schema;

	/* record_parse() skips the schema for what its own check takes. */
	if (record_shape_check((const char *)data, size, &shape, &schema) == 0 &&
	    shape && !schema)
		abort();
	diag_init(&dg);
	dg.quiet = true;
	if (record_parse(&r, &dg, "content/vendors/acme.xml",
	    (const char *)data, size) == 0)
		record_free(r);
	return 0;
}
