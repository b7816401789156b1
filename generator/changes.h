/*
 * The history as readers see it: the template data of a page's history,
 * the change lists (changes/, by year), the Atom feeds, changes.json,
 * build.json, and the pages left where records were removed or renamed.
 */
#ifndef DOCKET_CHANGES_H
#define DOCKET_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

struct hist_file;
struct history;
struct jobs_part;
struct site;
struct tval;

#define CHANGES_FEED_MAX	50	/* entries in a feed and on changes/ */
#define CHANGES_PAGE_MAX	100	/* entries on a page of a year's list */

/*
 * Makes the values of every commit for templates once, for the pages
 * that show them: before any of the functions below that give template
 * data. changes_release() frees them.
 */
void		 changes_prepare(struct site *);
void		 changes_release(struct site *);
/*
 * The history of the file `src` ("content/a.md") for templates
 * (page.history), or NULL when the build has no history.
 */
struct tval	*changes_history_tv(const struct site *, const char *src);
/* Adds changes_url, feed_url and as_of to the site map. */
void		 changes_site_tv(const struct site *, struct tval *site);
/* Sets vendor.feed_url (false without history). */
void		 changes_vendor_tv(const struct site *, const char *id,
		     struct tval *vendor);
/* A year with changes: its number of them, and of pages to list them. */
struct changes_year {
	char	 year[12];		/* "2017" */
	size_t	 first;			/* its newest, in history.entries */
	size_t	 count;
	size_t	 pages;
};
/*
 * The years with changes, newest first: sets *out (caller frees) and
 * returns their number.
 */
size_t		 changes_years(const struct site *, struct changes_year **out);
/*
 * The years of the timeline when it holds more than TIMELINE_ALL_MAX
 * actions, and so has a list of its own for each year, oldest first:
 * `first` is the year's first action in date order, and its list has
 * pages of CHANGES_PAGE_MAX. Sets *out (caller frees) and returns their
 * number: 0 when the timeline is one page.
 */
#define TIMELINE_ALL_MAX	500
size_t		 changes_timeline_years(const struct site *,
		     struct changes_year **out);
/* The same for templates: list of {year, url, count, pages}. */
struct tval	*changes_years_tv(const struct site *);
/*
 * The output path of page `page` (1 for the first) of a list by year
 * ("changes" or "timeline") for `year` ("2017"): changes/2017/index.html,
 * changes/2017/page/2/index.html...
 */
char		*changes_page_out(const char *list, const char *year,
		     size_t page);
/*
 * Record changes, newest first: at most n of them from the `first` in
 * history.entries (a page of a year's list: from the year's first plus
 * CHANGES_PAGE_MAX for each page before).
 */
struct tval	*changes_entries_tv(const struct site *, size_t first,
		     size_t n);
/* Does the build write a page for vendor id (changes.c says when not)? */
bool		 changes_vendor_has_page(const struct site *, const char *id);
/*
 * The id of the record of the register whose file was once
 * content/vendors/<old>.xml (renamed since), when the history has been
 * read; NULL: none.
 */
const char	*changes_renamed_to(const struct site *, const char *old);
/*
 * The links between the pages of a year's list ("changes", "timeline"),
 * for page `page` of `pages`, given that the year has `count` entries:
 * false when the list has one page.
 */
struct tval	*changes_pager_tv(const struct site *, const char *list,
		     const char *year, size_t page, size_t pages,
		     size_t count);
/*
 * The removed records that keep a page: *out is set to an array of files
 * (caller frees the array only). Returns the count.
 */
size_t		 changes_tombstones(const struct site *,
		     const struct hist_file ***out);
/* The data of a removed record's page (vendor). */
struct tval	*changes_tombstone_tv(const struct site *,
		     const struct hist_file *);
/*
 * The output paths the lists add: the pages of the timeline's years when
 * it has them, and with history the pages of the change list of each
 * year, removed records' pages, redirects from renamed records' old ids
 * and the vendors' feeds. Sets *out (caller frees each and the array);
 * returns the count.
 */
size_t		 changes_outputs(const struct site *, char ***out);
/*
 * The vendors' feeds (vendors/<id>/feed.xml), one item per record, as a
 * part for jobs_run_parts(); an empty part without history. Release it
 * with changes_feeds_release().
 */
void		 changes_feeds(struct site *, struct jobs_part *);
void		 changes_feeds_release(struct jobs_part *);
/*
 * build.json, changes/changes.json and, with history, changes/feed.xml
 * and the redirects at renamed records' old addresses, each an item of a
 * part for jobs_run_parts().
 */
void		 changes_part(struct site *, struct jobs_part *);

#endif
