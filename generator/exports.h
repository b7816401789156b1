/*
 * The machine outputs of a build (docs/data.md): the search index, the
 * open data (data/vendors.json, data/vendors.csv, data/actions.csv and
 * data/datapackage.json), the deadlines calendar, robots.txt and the
 * sitemap; the text of HTML, for the index and for descriptions.
 */
#ifndef DOCKET_EXPORTS_H
#define DOCKET_EXPORTS_H

#include <stdbool.h>
#include <stddef.h>

struct record;
struct buf;
struct facets;
struct jobs_part;
struct page;
struct site;

/*
 * The open data (data/vendors.json, data/vendors.csv, data/actions.csv,
 * data/datapackage.json), the deadlines calendar (when an action has a
 * deadline), robots.txt and, when base_url is set, sitemap.xml, each an
 * item of a part for jobs_run_parts(). No items once the build has
 * failed.
 */
void	exports_part(struct site *, struct jobs_part *);
/*
 * Appends the item of page pg, titled title, in the search index (JSON),
 * from its rendered markdown: nothing for a page that introduces a
 * generated one.
 */
void	exports_page_search(struct buf *, const struct site *,
	    const struct page *pg, const char *title, const char *html);
/*
 * Appends the items of record r in the search index: the vendor's, then
 * its actions', with the HTML of its summary and of each action's
 * description (by index in r->actions; NULL: none) as its page shows them.
 */
void	exports_vendor_search(struct buf *, const struct site *,
	    const struct record *r, const char *summary,
	    const char *const *desc);
/*
 * Writes search-index.json and assets/search-index.js from every
 * record's items (exports_vendor_search(), by record index), every
 * page's item (exports_page_search(), by page index) and the facets.
 * Without base_url, warns that the sitemap is left out. Nothing once the
 * build has failed. Returns 0, or -1 after reporting.
 */
int	exports_search(struct site *, const struct facets *,
	    const struct buf *vendor_items, const struct buf *page_items);

/*
 * Appends one content line of an iCalendar file (RFC 5545): folded so
 * that no line is longer than 75 octets, never inside a UTF-8 sequence,
 * each line ending in CRLF.
 */
void	exports_ics_line(struct buf *, const char *line);
/*
 * Appends text escaped as an iCalendar TEXT value (\\ \; \, \n), a CR
 * a line break and other control characters spaces.
 */
void	exports_ics_text(struct buf *, const char *);
/*
 * Appends a CSV field (RFC 4180): quoted when it holds , " CR or LF, or
 * the ; or TAB a spreadsheet may split cells at, and
 * after a ' when it starts with = + - @ TAB CR or LF, which spreadsheets
 * would take for a formula.
 */
void	exports_csv_field(struct buf *, const char *);
/*
 * Appends the words of an HTML fragment without its tags, entities of
 * the five escaped characters decoded, white space collapsed, at most
 * `max` bytes (cut at a UTF-8 boundary). Script and style content is
 * skipped.
 */
void	exports_html_text(struct buf *, const char *html, size_t max);

/* Bytes of a description, at most, before its "…". */
#define EXPORTS_DESC_MAX	160
/*
 * The description of a page, for search engines and link previews: the
 * text of the first paragraph of its HTML (NULL: none), cut after a word
 * (or inside one longer than half the limit) when over EXPORTS_DESC_MAX
 * bytes, "…" added but after a sentence's end. Without a paragraph, a
 * vendor's summary (any) takes its first block but headings and rules,
 * else its first; a page, none. NULL when there is no text. Free it.
 */
char	*exports_html_description(const char *html, bool any);

/*
 * Appends the distinct words of text, as the search index holds them:
 * split at white space, ASCII punctuation cut from both ends, ASCII
 * letters in lower case, each word once, in the order they first occur,
 * with a space between two.
 */
void	exports_search_words(struct buf *, const char *text);

/* Output paths the exports may write, for the collision check. */
extern const char *const exports_outputs[];
extern const size_t exports_outputsz;

#endif
