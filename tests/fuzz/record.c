/*
 * Fuzz target: a vendor record, read as content/vendors/acme.xml.
 */
#include <stdlib.h>

#include "diag.h"
#include "fuzz.h"
#include "record.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag dg;
	struct record *r = NULL;

	diag_init(&dg);
	dg.quiet = true;
	if (record_parse(&r, &dg, "content/vendors/acme.xml",
	    (const char *)data, size) == 0)
		record_free(r);
	return 0;
}
