/*
 * Facets: the statuses, countries, authorities and action types found in
 * the records, each with an index page (status/banned/, country/ru/,
 * authority/dhs/, type/directive/) and a list of its terms (status/ ...),
 * as Hugo's taxonomies.
 */
#ifndef DOCKET_FACET_H
#define DOCKET_FACET_H

#include <stdbool.h>
#include <stddef.h>

struct action;
struct record;

enum facet_kind {
	FACET_STATUS,
	FACET_COUNTRY,
	FACET_AUTHORITY,
	FACET_TYPE,
	FACET__MAX
};

/* One value of a facet, e.g. the status "banned". */
struct facet_term {
	char	*key;		/* the path segment: "banned", "ru", "dhs" */
	char	*label;		/* "Banned", "Russia", "DHS" */
	size_t	 vendors;	/* vendors it holds */
	size_t	 actions;	/* actions it holds (authority, type) */
	int	 rank;		/* statuses, types: the schema's order */
};

struct facets {
	struct facet_term *terms[FACET__MAX];
	size_t		   termsz[FACET__MAX];
	struct facet_keyref {
		const char	*key;
		size_t		 pos;	/* in terms[] */
	}		  *bykey[FACET__MAX];	/* sorted by key */
};

/*
 * The path segments of the authorities named in a set of records. Each
 * distinct name (byte for byte) gets its own: facet_slug()'s, or for a
 * name with nothing facet_slug() keeps ("!!!", "…") "u" and the hex
 * code points of its first characters ("u21-21-21", "u2026"), or
 * "authority" past eight of them. Names whose segments are the same get
 * "-2", "-3" ... in the byte order of the names: "DHS" gives "dhs" and
 * "dhs" gives "dhs-2", whichever record names them first; a name keeps
 * its own segment when no other name has it.
 */
struct facet_names;

/* Borrows the names from the records; free with facet_names_free(). */
struct facet_names *facet_names_new(struct record *const *, size_t);
void	facet_names_free(struct facet_names *);
/* The path segment of an authority name of the records, or NULL. */
const char *facet_names_slug(const struct facet_names *, const char *name);

/*
 * Collects the terms in use in the records, the authorities' keys from
 * names (made from the same records). Status and type terms keep the
 * schema's order, countries and authorities are sorted by label. Release
 * with facets_release().
 */
void	facets_collect(struct facets *, const struct facet_names *,
	    struct record *const *, size_t);
void	facets_release(struct facets *);
/* The position of key among the terms of a kind, or (size_t)-1. */
size_t	facets_find(const struct facets *, enum facet_kind, const char *key);

/* "status", "country", "authority", "type": the folder of a kind. */
const char *facet_kind_key(enum facet_kind);
/* "Status", "Country", "Authority", "Action type". */
const char *facet_kind_label(enum facet_kind);
/* "Statuses", "Countries", "Authorities", "Action types". */
const char *facet_kind_plural(enum facet_kind);
/*
 * The path segment of an authority: letters lower-cased (ASCII and
 * Latin-1), runs of spaces and punctuation made into single hyphens,
 * other letters kept; "U.S. Congress" gives "u-s-congress". Caller frees.
 */
char	*facet_slug(const char *);
/*
 * The output path of a term ("status/banned/index.html"), or of the list
 * of a kind's terms when key is NULL ("status/index.html"). Caller frees.
 */
char	*facet_out(enum facet_kind, const char *key);
/*
 * The key of a record under status or country ("banned", "ru"), and of
 * an action under authority (from names) or type ("dhs", "directive").
 * Caller frees.
 */
char	*facet_vendor_key(enum facet_kind, const struct record *);
char	*facet_action_key(const struct facet_names *, enum facet_kind,
	    const struct action *);
/* Does a record belong to a status or country term? */
bool	facet_has_vendor(enum facet_kind, const char *key,
	    const struct record *);
/* Does an action belong to an authority or type term? */
bool	facet_has_action(const struct facet_names *, enum facet_kind,
	    const char *key, const struct action *);

#endif
