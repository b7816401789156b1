/*
 * The machine outputs of a build (docs/data.md): the search index, the
 * open data (data/vendors.json, data/vendors.csv, data/actions.csv and
 * data/datapackage.json), the deadlines calendar, robots.txt and the
 * sitemap.
 */
#ifndef DOCKET_EXPORTS_H
#define DOCKET_EXPORTS_H

#include <stddef.h>

struct buf;
struct site;

/*
 * Writes search-index.json, assets/search-index.js, the files of data/,
 * robots.txt, timeline/deadlines.ics (when an action has a deadline) and,
 * when base_url is set, sitemap.xml; without base_url the sitemap is left out
 * with a warning. Call after model_render(), which renders the pages'
 * HTML. Returns 0, or -1 after reporting.
 */
int	exports_write(struct site *);

/*
 * Appends one content line of an iCalendar file (RFC 5545): folded so
 * that no line is longer than 75 octets, never inside a UTF-8 sequence,
 * each line ending in CRLF.
 */
void	exports_ics_line(struct buf *, const char *line);
/* Appends text escaped as an iCalendar TEXT value (\\ \; \, \n). */
void	exports_ics_text(struct buf *, const char *);
/* Appends a CSV field (RFC 4180): quoted when it holds , " CR or LF. */
void	exports_csv_field(struct buf *, const char *);
/*
 * Appends the words of an HTML fragment without its tags, entities of
 * the five escaped characters decoded, white space collapsed, at most
 * `max` bytes (cut at a UTF-8 boundary). Script and style content is
 * skipped.
 */
void	exports_html_text(struct buf *, const char *html, size_t max);

/* Output paths exports_write() may write, for the collision check. */
extern const char *const exports_outputs[];
extern const size_t exports_outputsz;

#endif
