/*
 * Field-level changes between two versions of a vendor record: what a
 * commit changed in a record, as readers see it.
 */
#ifndef DOCKET_RECDIFF_H
#define DOCKET_RECDIFF_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct record;

/* One change to one field. */
struct hist_change {
	char	*field;		/* "status", "action", "summary" ... */
	char	*text;		/* "status: approved → banned" */
	char	*before;	/* NULL: none */
	char	*after;		/* NULL: none */
};

/* One version of a record: parsed, absent, or there but not parseable. */
struct recver {
	const struct record	*rec;	/* NULL: absent or unparseable */
	bool			 bad;	/* there, but does not parse */
};

/*
 * Appends to *out (an array of *outsz changes, grown with realloc) the
 * changes from `old` to `new`, with dates in `datefmt`. A version that
 * does not parse gives one change, "revised (unparseable)". Nothing is
 * appended when the two versions say the same thing: a change of layout,
 * indentation or line wrapping only.
 */
void	recdiff(struct hist_change **out, size_t *outsz,
	    const struct recver *old, const struct recver *new,
	    const char *datefmt);
void	recdiff_free(struct hist_change *, size_t);
/*
 * Appends a change's text as HTML, escaped, with the spaces of a closing
 * parenthesis of at most 32 bytes ("(21 February 2025)", the date of an
 * added action or response) written as no-break spaces, so that a
 * narrow screen does not split it across lines.
 */
void	recdiff_put_html(struct buf *, const char *text);
/* Collapses runs of white space to one space and trims; caller frees. */
char	*recdiff_norm(const char *);

#endif
