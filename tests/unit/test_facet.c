/*
 * Unit tests: facets.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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
	struct facet_names *fn = facet_names_new(recs, 3);
	const struct facet_term *t;
	size_t i;

	facets_collect(&f, fn, recs, 3);
	CHECK_INT(f.termsz[FACET_STATUS], 2);
	CHECK_STR(f.terms[FACET_STATUS][0].key, "approved");
	CHECK_INT(f.terms[FACET_STATUS][1].vendors, 2);
	CHECK_INT(f.termsz[FACET_COUNTRY], 3);
	CHECK_STR(f.terms[FACET_COUNTRY][0].key, "cn");
	/*
	 * By label, lower case first; "DHS" and "dhs" are two terms, with a
	 * page each, and the first in byte order has the plain slug.
	 */
	CHECK_INT(f.termsz[FACET_AUTHORITY], 4);
	t = f.terms[FACET_AUTHORITY];
	CHECK_STR(t[0].label, "dhs");
	CHECK_STR(t[0].key, "dhs-2");
	CHECK_INT(t[0].vendors, 1);
	CHECK_STR(t[1].label, "DHS");
	CHECK_STR(t[1].key, "dhs");
	CHECK_INT(t[1].vendors, 1);
	CHECK_INT(t[1].actions, 1);
	CHECK_STR(t[2].key, "ofac");
	CHECK_STR(t[3].key, "u-s-congress");
	CHECK_INT(t[3].vendors, 1);
	CHECK_INT(t[3].actions, 2);
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
	facet_names_free(fn);
}

/* The authorities' path segments of records naming these, in order. */
static struct facet_names *
names_of(struct record *r, struct action *a, const char *const *names,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		a[i] = (struct action){ .type = ACTION_LAW,
			.authority = (char *)names[i] };
	*r = (struct record){ .country_code = (char *)"US",
		.country = (char *)"United States", .actions = a,
		.actionsz = n };
	return facet_names_new(&r, 1);
}

/*
 * Each distinct authority name has its own path segment: names whose
 * slugs are the same are told apart by -2, -3 in the names' byte order,
 * whatever order the records name them in; a name with no letter or
 * digit gets one from its code points; and the segments of two names
 * never meet, even when a name's own slug looks like a suffixed one.
 */
void
test_facet__names(void)
{
	static const char *const names[] = {
		"dhs", "D.H.S.", "!!!", "\xe6\x97\xa5\xe6\x9c\xac", "DHS",
		"\xe2\x80\xa6", "dhs", "dhs-2", "Dhs", "\xe2\x80\x94 \xe2\x80\x94",
		"u2026", "-!-!-!-!-!-", "..", ". . . . . . . . .", "\xc3\x9cnicode",
		"\xc3\xbcnicode"
	};
	static const char *const want[][2] = {
		{ "!!!", "u21-21-21" },
		{ "-!-!-!-!-!-", "authority" },
		{ "..", "u2e-2e" },
		{ ". . . . . . . . .", "authority-2" },
		{ "D.H.S.", "d-h-s" },
		{ "DHS", "dhs" },
		{ "Dhs", "dhs-3" },
		{ "dhs", "dhs-4" },
		{ "dhs-2", "dhs-2" },
		{ "u2026", "u2026" },
		{ "\xc3\x9cnicode", "\xc3\xbcnicode" },
		{ "\xc3\xbcnicode", "\xc3\xbcnicode-2" },
		{ "\xe2\x80\x94 \xe2\x80\x94", "u2014-2014" },
		{ "\xe2\x80\xa6", "u2026-2" },
		{ "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac" },
	};
	const size_t n = sizeof(names) / sizeof(names[0]);
	struct action a[sizeof(names) / sizeof(names[0])];
	struct action b[sizeof(names) / sizeof(names[0])];
	const char *rev[sizeof(names) / sizeof(names[0])];
	struct record r, r2;
	struct facet_names *fn, *fn2;
	size_t i;

	fn = names_of(&r, a, names, n);
	for (i = 0; i < n; i++)
		rev[i] = names[n - 1 - i];
	fn2 = names_of(&r2, b, rev, n);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_STR(facet_names_slug(fn, want[i][0]), want[i][1]);
		CHECK_STR(facet_names_slug(fn2, want[i][0]), want[i][1]);
	}
	CHECK(facet_names_slug(fn, "NSA") == NULL);
	CHECK(facet_names_slug(fn, "dh") == NULL);
	facet_names_free(fn);
	facet_names_free(fn2);
	facet_names_free(NULL);
}

/*
 * A name whose slug would be longer than 100 bytes (a folder name the
 * system may refuse at 255) is cut after its last word within them, or
 * at a whole character when one word is that long; names that then
 * share it are told apart as any others.
 */
void
test_facet__long_names(void)
{
	struct buf x = BUF_INIT, y = BUF_INIT, z = BUF_INIT, want = BUF_INIT;
	const char *names[3];
	struct action a[3];
	struct record r;
	struct facet_names *fn;
	int i;

	BUF_PUTSL(&x, "Committee on");
	for (i = 0; i < 40; i++)
		BUF_PUTSL(&x, " Affairs");
	buf_puts(&y, x.ptr);
	BUF_PUTSL(&y, " and more");
	for (i = 0; i < 60; i++)
		BUF_PUTSL(&z, "\xc3\x9c");	/* 120 bytes, no word break */
	names[0] = x.ptr, names[1] = y.ptr, names[2] = z.ptr;
	fn = names_of(&r, a, names, 3);
	BUF_PUTSL(&want, "committee-on");
	for (i = 0; i < 11; i++)	/* 12 + 11 * 8 = 100 bytes */
		BUF_PUTSL(&want, "-affairs");
	CHECK_STR(facet_names_slug(fn, x.ptr), want.ptr);
	BUF_PUTSL(&want, "-2");
	CHECK_STR(facet_names_slug(fn, y.ptr), want.ptr);
	CHECK_INT((int)strlen(facet_names_slug(fn, z.ptr)), 100);
	CHECK(strncmp(facet_names_slug(fn, z.ptr), "\xc3\xbc", 2) == 0);
	facet_names_free(fn);
	buf_release(&x);
	buf_release(&y);
	buf_release(&z);
	buf_release(&want);
}
