/*
 * Calendar dates (proleptic Gregorian), formatted by docket itself so that
 * output never depends on the machine's locale.
 */
#ifndef DOCKET_DATE_H
#define DOCKET_DATE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct date {
	int	y, m, d;	/* y == 0: no date */
};

/* Parses exactly "YYYY-MM-DD" of a real calendar day. */
bool	date_parse(struct date *out, const char *);
/*
 * Is s what may follow a date in a timestamp of YAML or RFC 3339, as
 * Hugo's and Jekyll's front matter write them: nothing, or a time of day
 * ("T10:30:00", " 10:30", fractions of a second) and a zone ("Z",
 * "+01:00", " -5")?
 */
bool	date_time_tail(const char *s);
/*
 * Why s, written as YYYY-MM-DD, is no calendar day ("September 2017 has
 * 30 days"), in buf of size n; NULL when it is one, or is not so written.
 */
const char *date_impossible(char *buf, size_t n, const char *s);
bool	date_valid(const struct date *);
int	date_cmp(const struct date *, const struct date *);
/* Days since 1970-01-01, and back. */
long	date_to_days(const struct date *);
void	date_from_days(struct date *out, long);
void	date_add_days(struct date *out, const struct date *, long);
/* Appends "YYYY-MM-DD". */
void	date_iso(struct buf *, const struct date *);
/*
 * Appends the date in fmt: %d (two digits), %-d, %B (January), %b (Jan),
 * %m, %-m, %Y, %%; other text is copied.
 */
void	date_format(struct buf *, const char *fmt, const struct date *);
/* Is fmt made only of the conversions above? */
bool	date_format_valid(const char *fmt);
/* The '%' of the first conversion in fmt that is not one; NULL: none. */
const char *date_format_bad(const char *fmt);

#endif
