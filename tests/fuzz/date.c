/*
 * Fuzz target: dates (date.h). The input is a date as records, front
 * matter and --as-of write it ("2017-09-13"), a NUL, and a date_format
 * as docket.yml gives it ("%-d %B %Y"). A date read is written back the
 * same; a format is applied only when date_format_valid() takes it, as
 * docket.yml's is.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "fuzz.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	struct date d, e;
	const char *nul;
	char *s, *fmt;
	long days;

	nul = memchr(data, '\0', size);
	s = xstrndup((const char *)data, size);
	fmt = nul != NULL ? xstrndup(nul + 1, size - (size_t)(nul -
	    (const char *)data) - 1) : xstrdup("%-d %B %Y");
	if (date_parse(&d, s)) {
		if (!date_valid(&d))
			abort();
		date_iso(&b, &d);
		if (strcmp(b.ptr, s) != 0)
			abort();
		days = date_to_days(&d);
		date_from_days(&e, days);
		if (date_cmp(&d, &e) != 0)
			abort();
		date_add_days(&e, &d, 1);
		if (date_cmp(&d, &e) >= 0 || date_to_days(&e) != days + 1)
			abort();
		if (date_format_valid(fmt)) {
			buf_truncate(&b, 0);
			date_format(&b, fmt, &d);
		}
	} else if (d.y != 0 || d.m != 0 || d.d != 0)
		abort();
	buf_release(&b);
	free(s);
	free(fmt);
	return 0;
}
