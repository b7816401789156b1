/*
 * Unit tests: facets.
 */
#include <stdlib.h>
#include <string.h>

#include "facet.h"
#include "record.h"
#include "unit.h"

/*
 * Terms, their counts and order, and facets_find(): a vendor counts once
 * in each authority or type it has, however many actions it has there.
 */
void
test_facet__collect(void)
{
	struct action a1[] = {
		{ .type = ACTION_LAW, .authority = (char *)"U.S. Congress" },
		{ .type = ACTION_DIRECTIVE, .authority = (char *)"DHS" },
		{ .type = ACTION_LAW, .authority = (char *)"U.S. Congress" },
	};
	struct action a2[] = {
		{ .type = ACTION_DIRECTIVE, .authority = (char *)"dhs" },
		{ .type = ACTION_SANCTION, .authority = (char *)"Ofac" },
	};
	struct record r1 = { .country_code = (char *)"RU",
		.country = (char *)"Russia", .status = STATUS_BANNED,
		.actions = a1, .actionsz = 3 };
	struct record r2 = { .country_code = (char *)"CN",
		.country = (char *)"China", .status = STATUS_BANNED,
		.actions = a2, .actionsz = 2 };
	struct record r3 = { .country_code = (char *)"US",
		.country = (char *)"United States",
		.status = STATUS_APPROVED };
	struct record *recs[] = { &r1, &r2, &r3 };
	struct facets f;
	const struct facet_term *t;
	size_t i;

	facets_collect(&f, recs, 3);
	CHECK_INT(f.termsz[FACET_STATUS], 2);
	CHECK_STR(f.terms[FACET_STATUS][0].key, "approved");
	CHECK_INT(f.terms[FACET_STATUS][1].vendors, 2);
	CHECK_INT(f.termsz[FACET_COUNTRY], 3);
	CHECK_STR(f.terms[FACET_COUNTRY][0].key, "cn");
	/* By label; "DHS" and "dhs" are one term, labelled as first seen. */
	CHECK_INT(f.termsz[FACET_AUTHORITY], 3);
	t = f.terms[FACET_AUTHORITY];
	CHECK_STR(t[0].label, "DHS");
	CHECK_INT(t[0].vendors, 2);
	CHECK_INT(t[0].actions, 2);
	CHECK_STR(t[1].key, "ofac");
	CHECK_STR(t[2].key, "u-s-congress");
	CHECK_INT(t[2].vendors, 1);
	CHECK_INT(t[2].actions, 2);
	CHECK_INT(f.termsz[FACET_TYPE], 3);
	i = facets_find(&f, FACET_TYPE, "law");
	CHECK(i < f.termsz[FACET_TYPE] &&
	    strcmp(f.terms[FACET_TYPE][i].key, "law") == 0);
	CHECK_INT(f.terms[FACET_TYPE][i].vendors, 1);
	CHECK_INT(f.terms[FACET_TYPE][i].actions, 2);
	for (i = 0; i < f.termsz[FACET_AUTHORITY]; i++)
		CHECK_INT(facets_find(&f, FACET_AUTHORITY,
		    f.terms[FACET_AUTHORITY][i].key), i);
	CHECK(facets_find(&f, FACET_AUTHORITY, "nsa") == (size_t)-1);
	CHECK(facets_find(&f, FACET_COUNTRY, "zz") == (size_t)-1);
	facets_release(&f);
}
