/*
 * The history as readers see it: template data for page histories and
 * the change lists, the Atom feeds (RFC 4287), changes.json, build.json,
 * and the redirects left at renamed records' old addresses.
 *
 * Feed and entry ids are tag: URIs (RFC 4151) made of the vendor id and
 * the commit, so that they do not change with base_url.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "changes.h"
#include "config.h"
#include "date.h"
#include "diag.h"
#include "history.h"
#include "jobs.h"
#include "recdiff.h"
#include "record.h"
#include "site.h"
#include "template.h"
#include "util.h"

/* The namespace of docket's own element in feeds (<docket:commit>). */
#define FEED_NS	"tag:docket,2026:atom"

/* The history, when the build has one. */
static const struct history *
hist_of(const struct site *s)
{
	return s->hist != NULL && s->hist->walked ? s->hist : NULL;
}

static void
set_date(const struct site *s, struct tval *map, const struct date *d)
{
	struct buf b = BUF_INIT;

	date_format(&b, s->cfg.date_format, d);
	tval_set(map, "date", tval_str_own(buf_detach(&b)));
	date_iso(&b, d);
	tval_set(map, "date_iso", tval_str_own(buf_detach(&b)));
}

/* A commit's values for templates, made once (changes_prepare()). */
static struct tval *
commit_map(const struct site *s, const struct hist_commit *c)
{
	struct tval *v = tval_map();
	struct buf b = BUF_INIT;

	tval_set_str(v, "id", c->id);
	tval_set_str(v, "short", c->short_id);
	tval_set(v, "url", c->url != NULL ? tval_str(c->url) :
	    tval_bool(false));
	date_format(&b, s->cfg.date_format, &c->date);
	tval_set(v, "date", tval_str_own(buf_detach(&b)));
	date_iso(&b, &c->date);
	tval_set(v, "date_iso", tval_str_own(buf_detach(&b)));
	tval_set_str(v, "subject", c->subject);
	tval_set(v, "author", c->author != NULL ? tval_str(c->author) :
	    tval_bool(false));
	return v;
}

void
changes_prepare(struct site *s)
{
	const struct history *h = hist_of(s);
	size_t i;

	if (h == NULL || s->commit_maps != NULL)
		return;
	s->commit_maps = xcalloc(h->commitsz + 1, sizeof(struct tval *));
	s->commit_mapsz = h->commitsz;
	for (i = 0; i < h->commitsz; i++)
		s->commit_maps[i] = commit_map(s, &h->commits[i]);
}

void
changes_release(struct site *s)
{
	size_t i;

	for (i = 0; i < s->commit_mapsz; i++)
		tval_free(s->commit_maps[i]);
	free(s->commit_maps);
	s->commit_maps = NULL;
	s->commit_mapsz = 0;
}

/*
 * A commit for templates: {id, short, url, date, date_iso, subject,
 * author}, a map of its own (callers add to it) over the one
 * changes_prepare() made.
 */
static struct tval *
commit_tv(const struct site *s, const struct hist_commit *c)
{
	return tval_map_over(tval_ref(s->commit_maps[(size_t)(c -
	    s->hist->commits)]));
}

static struct tval *
changes_list_tv(const struct hist_rev *r)
{
	struct tval *l = tval_list(), *it;
	struct buf html = BUF_INIT;
	size_t i;

	for (i = 0; i < r->changesz; i++) {
		it = tval_map();
		tval_set_str(it, "field", r->changes[i].field);
		tval_set_str(it, "text", r->changes[i].text);
		recdiff_put_html(&html, r->changes[i].text);
		tval_set(it, "html", tval_html_own(buf_detach(&html)));
		tval_push(l, it);
	}
	return l;
}

struct tval *
changes_history_tv(const struct site *s, const char *src)
{
	const struct history *h = hist_of(s);
	const struct hist_file *f;
	const struct hist_rev *r;
	struct tval *v, *l, *c;
	size_t i, last, shown = 0;

	if (h == NULL)
		return NULL;
	f = hist_file(h, src);
	v = tval_map();
	tval_set_bool(v, "incomplete", f != NULL && f->incomplete);
	tval_set_bool(v, "uncommitted", f == NULL || f->uncommitted);
	tval_set_bool(v, "first", false);
	tval_set_bool(v, "last", false);
	l = tval_list();
	tval_set(v, "commits", l);
	tval_set_bool(v, "has_commits", f != NULL && f->revsz > 0);
	tval_set_bool(v, "more", false);
	if (f == NULL)
		return v;
	if (f->revsz > 0 && !f->incomplete)
		tval_set(v, "first", commit_tv(s,
		    &h->commits[f->revs[f->revsz - 1].commit]));
	last = hist_last(f);
	if (last < f->revsz && !f->uncommitted)
		tval_set(v, "last", commit_tv(s, &h->commits[f->revs[last].commit]));
	for (i = 0; i < f->revsz && shown < h->limit; i++, shown++) {
		r = &f->revs[i];
		c = commit_tv(s, &h->commits[r->commit]);
		tval_set(c, "changes", changes_list_tv(r));
		tval_set_bool(c, "has_changes", r->changesz > 0);
		tval_set_bool(c, "reformat", f->record && r->changesz == 0);
		tval_push(l, c);
	}
	if (i < f->revsz) {
		tval_set_num(v, "more", (double)(f->revsz - i));
		tval_set_bool(v, "more_one", f->revsz - i == 1);
	}
	return v;
}

void
changes_site_tv(const struct site *s, struct tval *site)
{
	const struct history *h = hist_of(s);
	struct tval *a;

	tval_set(site, "changes_url",
	    tval_str_own(site_url_for(s, "changes/index.html")));
	if (h != NULL)
		tval_set_str(site, "feed_url", "changes/feed.xml");
	if (s->hist != NULL && s->hist->as_of) {
		struct date d;
		a = tval_map();
		tval_set_str(a, "rev", s->hist->as_of_rev);
		tval_set_str(a, "short", s->hist->head_short);
		tval_set_str(a, "id", s->hist->head);
		hist_date_in(&d, s->hist->head_time, s->cfg.hist_timezone);
		set_date(s, a, &d);
		tval_set(site, "as_of", a);
	}
}

void
changes_vendor_tv(const struct site *s, const char *id, struct tval *v)
{
	if (hist_of(s) != NULL)
		tval_set(v, "feed_url", tval_str_own(xasprintf(
		    "vendors/%s/feed.xml", id)));
	else
		tval_set_bool(v, "feed_url", false);
}

static int
year_of(const struct history *h, const struct hist_entry *e)
{
	return h->commits[h->files[e->file].revs[e->rev].commit].date.y;
}

/* The number of pages of a list of n changes. */
static size_t
page_count(size_t n)
{
	return n == 0 ? 1 : (n - 1) / CHANGES_PAGE_MAX + 1;
}

char *
changes_page_out(const char *list, const char *year, size_t page)
{
	if (page <= 1)
		return xasprintf("%s/%s/index.html", list, year);
	return xasprintf("%s/%s/page/%zu/index.html", list, year, page);
}

static char *
page_url(const struct site *s, const char *list, const char *year,
    size_t page)
{
	char *out = changes_page_out(list, year, page), *u;

	u = site_url_for(s, out);
	free(out);
	return u;
}

size_t
changes_years(const struct site *s, struct changes_year **out)
{
	const struct history *h = hist_of(s);
	size_t i, j, n = 0;
	int y;

	*out = NULL;
	if (h == NULL)
		return 0;
	for (i = 0; i < h->entrysz; i = j) {
		y = year_of(h, &h->entries[i]);
		for (j = i + 1; j < h->entrysz &&
		    year_of(h, &h->entries[j]) == y; j++)
			continue;
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		snprintf((*out)[n].year, sizeof((*out)[n].year), "%04d", y);
		(*out)[n].first = i;
		(*out)[n].count = j - i;
		(*out)[n].pages = page_count(j - i);
		n++;
	}
	return n;
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

size_t
changes_timeline_years(const struct site *s, struct changes_year **out)
{
	size_t i, j, k, n = 0, total = 0;
	int *years;

	*out = NULL;
	for (i = 0; i < s->recordsz; i++)
		total += s->records[i]->actionsz;
	if (total <= TIMELINE_ALL_MAX)
		return 0;
	years = xcalloc(total, sizeof(*years));
	for (i = 0, k = 0; i < s->recordsz; i++)
		for (j = 0; j < s->records[i]->actionsz; j++)
			years[k++] = s->records[i]->actions[j].date.y;
	qsort(years, total, sizeof(*years), int_cmp);
	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total && years[j] == years[i]; j++)
			continue;
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		snprintf((*out)[n].year, sizeof((*out)[n].year), "%04d",
		    years[i]);
		(*out)[n].first = i;
		(*out)[n].count = j - i;
		(*out)[n].pages = page_count(j - i);
		n++;
	}
	free(years);
	return n;
}

struct tval *
changes_years_tv(const struct site *s)
{
	struct changes_year *ys;
	struct tval *l = tval_list(), *y;
	size_t i, n = changes_years(s, &ys);

	for (i = 0; i < n; i++) {
		y = tval_map();
		tval_set_str(y, "year", ys[i].year);
		tval_set(y, "url", tval_str_own(page_url(s, "changes",
		    ys[i].year, 1)));
		tval_set_num(y, "count", (double)ys[i].count);
		tval_set_num(y, "pages", (double)ys[i].pages);
		tval_push(l, y);
	}
	free(ys);
	return l;
}

#define PAGER_NEAR	2	/* pages linked on either side of the current */

struct tval *
changes_pager_tv(const struct site *s, const char *list, const char *year,
    size_t page, size_t pages, size_t count)
{
	struct tval *v, *l, *it;
	size_t i;
	bool changes;

	if (pages <= 1)
		return tval_bool(false);
	v = tval_map();
	/* Its words, for the partial pager.html both lists share. */
	changes = strcmp(list, "changes") == 0;
	tval_set(v, "label", tval_str_own(xasprintf("Pages of the %s in %s",
	    changes ? "changes" : "actions", year)));
	tval_set_str(v, "prev_text", changes ? "Newer changes" :
	    "Earlier actions");
	tval_set_str(v, "next_text", changes ? "Older changes" :
	    "Later actions");
	tval_set_num(v, "number", (double)page);
	tval_set_num(v, "total", (double)pages);
	tval_set_num(v, "first", (double)((page - 1) * CHANGES_PAGE_MAX + 1));
	tval_set_num(v, "last", (double)(page < pages ?
	    page * CHANGES_PAGE_MAX : count));
	tval_set_num(v, "count", (double)count);
	tval_set(v, "prev_url", page > 1 ?
	    tval_str_own(page_url(s, list, year, page - 1)) : tval_bool(false));
	tval_set(v, "next_url", page < pages ?
	    tval_str_own(page_url(s, list, year, page + 1)) : tval_bool(false));
	/* The first and last pages, and those near this one. */
	l = tval_list();
	for (i = 1; i <= pages; i++) {
		if (i != 1 && i != pages && (i + PAGER_NEAR < page ||
		    i > page + PAGER_NEAR)) {
			if (i == 2 || i == page + PAGER_NEAR + 1) {
				it = tval_map();
				tval_set_bool(it, "gap", true);
				tval_push(l, it);
			}
			continue;
		}
		it = tval_map();
		tval_set_num(it, "number", (double)i);
		tval_set(it, "url", tval_str_own(page_url(s, list, year,
		    i)));
		tval_set_bool(it, "current", i == page);
		tval_set_bool(it, "gap", false);
		tval_push(l, it);
	}
	tval_set(v, "pages", l);
	return v;
}

static char *
vendor_url(const struct site *s, const char *id)
{
	char *out = xasprintf("vendors/%s/index.html", id), *u;

	u = site_url_for(s, out);
	free(out);
	return u;
}

/*
 * Does the build write a page for the vendor id: its record's, a
 * tombstone, a redirect? A record the history knows in the commit built
 * may have none: deleted from the working tree and not yet committed, or
 * a submodule where a record's file would be.
 */
bool
changes_vendor_has_page(const struct site *s, const char *id)
{
	char *out = xasprintf("vendors/%s/index.html", id);
	bool yes = site_has_output(s, out);

	free(out);
	return yes;
}

const char *
changes_renamed_to(const struct site *s, const char *old)
{
	const struct history *h = hist_of(s);
	char *path;
	const char *to = NULL;
	size_t i, j;

	if (h == NULL)
		return NULL;
	path = xasprintf("content/vendors/%s.xml", old);
	for (i = 0; i < h->filesz && to == NULL; i++) {
		const struct hist_file *f = &h->files[i];
		if (!f->record || f->removed || f->vendor == NULL ||
		    site_record_index(s, f->vendor) == SIZE_MAX)
			continue;
		for (j = 0; j < f->old_pathsz && to == NULL; j++)
			if (strcmp(f->old_paths[j], path) == 0)
				to = f->vendor;
	}
	free(path);
	return to;
}

/* vendor_url() where the page is written; false where it is not. */
static struct tval *
vendor_url_tv(const struct site *s, const char *id)
{
	if (!changes_vendor_has_page(s, id))
		return tval_bool(false);
	return tval_str_own(vendor_url(s, id));
}

static bool
is_current(const struct site *s, const char *id)
{
	return site_record_index(s, id) != SIZE_MAX;
}

/* Has a removed record ever been published (a version not a draft)? */
static bool
was_published(const struct site *s, const struct hist_file *f)
{
	size_t i;

	for (i = 0; i < f->revsz; i++)
		if (f->revs[i].substantive || s->opts->drafts)
			return true;
	return false;
}

/*
 * Does file f leave a tombstone: a published record removed in a commit,
 * or from the working tree and not committed yet (a build of uncommitted
 * changes shows what a commit of them would publish)?
 */
static bool
is_gone(const struct site *s, const struct hist_file *f)
{
	return f->record && (f->removed || f->uncommitted) &&
	    f->vendor != NULL && id_valid(f->vendor) &&
	    !is_current(s, f->vendor) && was_published(s, f);
}

/* One line of the change lists: a commit's changes to one record. */
static struct tval *
entry_tv(const struct site *s, const struct hist_entry *e)
{
	const struct history *h = s->hist;
	const struct hist_file *f = &h->files[e->file];
	const struct hist_rev *r = &f->revs[e->rev];
	struct tval *v = tval_map(), *vd = tval_map();

	tval_set_str(vd, "id", f->vendor);
	tval_set_str(vd, "name", f->name != NULL ? f->name : f->vendor);
	tval_set(vd, "url", vendor_url_tv(s, f->vendor));
	tval_set_bool(vd, "removed", f->removed || is_gone(s, f));
	tval_set(v, "vendor", vd);
	tval_set(v, "commit", commit_tv(s, &h->commits[r->commit]));
	tval_set(v, "changes", changes_list_tv(r));
	return v;
}

struct tval *
changes_entries_tv(const struct site *s, size_t first, size_t n)
{
	const struct history *h = hist_of(s);
	struct tval *l = tval_list();
	size_t i;

	for (i = first; h != NULL && i < h->entrysz && i - first < n; i++)
		tval_push(l, entry_tv(s, &h->entries[i]));
	return l;
}

/* A tombstone, with the time of the commit that removed its record. */
struct tomb {
	const struct hist_file	*f;
	long long		 t;
};

/* By id, the one removed last first; then by file. */
static int
tomb_cmp(const void *a, const void *b)
{
	const struct tomb *x = a, *y = b;
	int c = strcmp(x->f->vendor, y->f->vendor);

	if (c != 0)
		return c;
	if (x->t != y->t)
		return x->t > y->t ? -1 : 1;
	return x->f < y->f ? -1 : x->f > y->f;
}

static int
file_order(const void *a, const void *b)
{
	const struct hist_file *x = *(const struct hist_file *const *)a;
	const struct hist_file *y = *(const struct hist_file *const *)b;

	return x < y ? -1 : x > y;
}

size_t
changes_tombstones(const struct site *s, const struct hist_file ***out)
{
	const struct history *h = hist_of(s);
	size_t i, n = 0, k;

	*out = NULL;
	if (h == NULL)
		return 0;
	for (i = 0; i < h->filesz; i++) {
		const struct hist_file *f = &h->files[i];
		if (!is_gone(s, f))
			continue;
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		(*out)[n++] = f;
	}
	/*
	 * Two records removed under the same id (one renamed to the id of
	 * the other after it was removed): the page is the last one's.
	 */
	if (n > 1) {
		struct tomb *t = xreallocarray(NULL, n, sizeof(*t));
		for (i = 0; i < n; i++)
			t[i] = (struct tomb){ (*out)[i],
			    h->commits[(*out)[i]->revs[0].commit].time };
		qsort(t, n, sizeof(*t), tomb_cmp);
		for (i = 0, k = 0; i < n; i++)
			if (k == 0 || strcmp(t[i].f->vendor,
			    (*out)[k - 1]->vendor) != 0)
				(*out)[k++] = t[i].f;
		free(t);
		n = k;
		qsort(*out, n, sizeof(**out), file_order);
	}
	return n;
}

struct tval *
changes_tombstone_tv(const struct site *s, const struct hist_file *f)
{
	const struct history *h = s->hist;
	struct tval *v = tval_map(), *rm;

	tval_set_str(v, "id", f->vendor);
	tval_set_str(v, "name", f->name != NULL ? f->name : f->vendor);
	tval_set(v, "url", tval_str_own(vendor_url(s, f->vendor)));
	tval_set(v, "feed_url", tval_str_own(xasprintf("vendors/%s/feed.xml",
	    f->vendor)));
	/* Removed from the working tree: no commit, and no date, yet. */
	rm = f->removed ? commit_tv(s, &h->commits[f->revs[0].commit]) :
	    tval_bool(false);
	tval_set(v, "removed", rm);
	tval_set_bool(v, "removed_uncommitted", !f->removed);
	return v;
}

/* ---- files ---- */

/* RFC 3339 in UTC: "2017-09-13T12:00:00Z". */
static void
put_rfc3339(struct buf *b, long long t)
{
	struct date d;
	long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	long long sec = t - days * 86400;

	date_from_days(&d, (long)days);
	date_iso(b, &d);
	buf_putc(b, 'T');
	buf_put_uint(b, (unsigned long long)(sec / 3600), 2);
	buf_putc(b, ':');
	buf_put_uint(b, (unsigned long long)(sec / 60 % 60), 2);
	buf_putc(b, ':');
	buf_put_uint(b, (unsigned long long)(sec % 60), 2);
	buf_putc(b, 'Z');
}

/* The UTC date of a time, for tag: URIs. */
static void
put_utc_date(struct buf *b, long long t)
{
	struct date d;

	date_from_days(&d, (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400));
	date_iso(b, &d);
}

static void
put_xml(struct buf *b, const char *s)
{
	buf_puts_html(b, s);
}

/* An absolute URL with base_url, else one relative to the feed's folder. */
static void
put_link(const struct site *s, struct buf *b, const char *from_root,
    const char *feed_root)
{
	if (s->cfg.base_url != NULL)
		put_xml(b, s->cfg.base_url);
	else
		buf_puts(b, feed_root);
	put_xml(b, from_root);
}

/* An entry by vendor, for the feeds of each vendor. */
struct byvendor {
	const char	*vendor;
	size_t		 entry;		/* index in history.entries */
};

static int
byvendor_cmp(const void *a, const void *b)
{
	const struct byvendor *x = a, *y = b;
	int c = strcmp(x->vendor, y->vendor);

	if (c != 0)
		return c;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/*
 * Writes an Atom feed of the latest entries (of one vendor, or all) to
 * `out`, which lies `root` below the site root. `sel` lists the indexes
 * of the entries of that vendor, newest first (selsz of them); NULL: all.
 */
static int
write_feed(struct site *s, const char *out, const char *root,
    const char *vendor, const char *title, const struct byvendor *sel,
    size_t selsz)
{
	const struct history *h = s->hist;
	struct buf b = BUF_INIT, html = BUF_INIT;
	size_t i, j, k, n = 0, total = sel != NULL ? selsz : h->entrysz;
	long long updated = h->head_time;
	char *u;
	int rc;

	/*
	 * The newest of its entries: the first, unless author dates do not
	 * follow the commits (a rebased commit keeps its own).
	 */
	for (i = 0; i < total; i++) {
		k = sel != NULL ? sel[i].entry : i;
		const struct hist_file *f = &h->files[h->entries[k].file];
		long long t = h->commits[f->revs[h->entries[k].rev].commit].time;
		if (i == 0 || t > updated)
			updated = t;
	}
	BUF_PUTSL(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	BUF_PUTSL(&b, " xml:lang=\"");
	put_xml(&b, s->cfg.language);
	BUF_PUTSL(&b, "\">\n  <id>tag:docket,");
	put_utc_date(&b, h->commitsz > 0 ? h->commits[h->commitsz - 1].time :
	    h->head_time);
	buf_printf(&b, ":%s/changes%s%s</id>\n", h->root_id != NULL ?
	    h->root_id : h->head, vendor != NULL ? "/" : "",
	    vendor != NULL ? vendor : "");
	BUF_PUTSL(&b, "  <title>");
	put_xml(&b, title);
	BUF_PUTSL(&b, "</title>\n  <updated>");
	put_rfc3339(&b, updated);
	BUF_PUTSL(&b, "</updated>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	put_link(s, &b, out, root);
	BUF_PUTSL(&b, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
	u = vendor != NULL ? vendor_url(s, vendor) :
	    site_url_for(s, "changes/index.html");
	put_link(s, &b, u, root);
	free(u);
	BUF_PUTSL(&b, "\"/>\n  <author><name>");
	put_xml(&b, s->cfg.title);
	BUF_PUTSL(&b, "</name></author>\n");
	/* The data licence, as the other exports give it. */
	if (s->cfg.license != NULL) {
		BUF_PUTSL(&b, "  <rights>");
		put_xml(&b, s->cfg.license);
		BUF_PUTSL(&b, "</rights>\n");
	}
	BUF_PUTSL(&b, "  <generator version=\"" DOCKET_VERSION
	    "\">docket</generator>\n");
	/* The commit the site was built from, as every export says it. */
	if (h->head[0] != '\0') {
		BUF_PUTSL(&b, "  <docket:commit xmlns:docket=\"" FEED_NS "\"");
		if (h->dirty)
			BUF_PUTSL(&b, " uncommitted=\"true\"");
		if (h->as_of) {
			BUF_PUTSL(&b, " as-of=\"");
			put_xml(&b, h->as_of_rev);
			buf_putc(&b, '"');
		}
		buf_printf(&b, ">%s</docket:commit>\n", h->head);
	}
	for (i = 0; i < total && n < CHANGES_FEED_MAX; i++) {
		k = sel != NULL ? sel[i].entry : i;
		const struct hist_file *f = &h->files[h->entries[k].file];
		const struct hist_rev *r = &f->revs[h->entries[k].rev];
		const struct hist_commit *c = &h->commits[r->commit];
		const char *name = f->name != NULL ? f->name : f->vendor;
		n++;
		BUF_PUTSL(&b, "  <entry>\n    <id>tag:docket,");
		put_utc_date(&b, c->time);
		buf_printf(&b, ":%s/%s</id>\n    <title>", f->vendor, c->id);
		put_xml(&b, name);
		BUF_PUTSL(&b, ": ");
		put_xml(&b, r->changes[0].text);
		if (r->changesz > 1)
			buf_printf(&b, " (and %zu more)", r->changesz - 1);
		BUF_PUTSL(&b, "</title>\n    <updated>");
		put_rfc3339(&b, c->time);
		BUF_PUTSL(&b, "</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
		u = changes_vendor_has_page(s, f->vendor) ?
		    vendor_url(s, f->vendor) :
		    site_url_for(s, "changes/index.html");
		put_link(s, &b, u, root);
		free(u);
		BUF_PUTSL(&b, "\"/>\n");
		if (c->author != NULL) {
			BUF_PUTSL(&b, "    <author><name>");
			put_xml(&b, c->author);
			BUF_PUTSL(&b, "</name></author>\n");
		}
		/* The content is HTML, escaped once more as Atom says. */
		BUF_PUTSL(&html, "<ul>");
		for (j = 0; j < r->changesz; j++) {
			BUF_PUTSL(&html, "<li>");
			recdiff_put_html(&html, r->changes[j].text);
			BUF_PUTSL(&html, "</li>");
		}
		BUF_PUTSL(&html, "</ul><p>");
		if (c->subject[0] != '\0') {	/* git allows an empty one */
			buf_puts_html(&html, c->subject);
			BUF_PUTSL(&html, " (");
		} else
			BUF_PUTSL(&html, "Commit ");
		if (c->url != NULL) {
			BUF_PUTSL(&html, "<a href=\"");
			buf_puts_html(&html, c->url);
			BUF_PUTSL(&html, "\">");
		}
		buf_puts(&html, c->short_id);
		if (c->url != NULL)
			BUF_PUTSL(&html, "</a>");
		buf_puts(&html, c->subject[0] != '\0' ? ")</p>" : "</p>");
		BUF_PUTSL(&b, "    <content type=\"html\">");
		put_xml(&b, html.ptr);
		BUF_PUTSL(&b, "</content>\n  </entry>\n");
		buf_truncate(&html, 0);
	}
	BUF_PUTSL(&b, "</feed>\n");
	rc = site_write(s, out, b.ptr, b.len);
	buf_release(&b);
	buf_release(&html);
	return rc;
}

static void
json_str(struct buf *b, const char *s)
{
	if (s == NULL) {
		BUF_PUTSL(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_put_json(b, s, strlen(s));
	buf_putc(b, '"');
}

/* "commit": ..., "uncommitted": ..., "as_of": ...: what every export carries. */
static void
json_built_from(const struct site *s, struct buf *b)
{
	const struct history *h = s->hist;

	BUF_PUTSL(b, "  \"commit\": ");
	json_str(b, h != NULL && h->head[0] != '\0' ? h->head : NULL);
	BUF_PUTSL(b, ",\n  \"uncommitted\": ");
	buf_puts(b, h != NULL && h->dirty ? "true" : "false");
	BUF_PUTSL(b, ",\n  \"as_of\": ");
	json_str(b, h != NULL && h->as_of ? h->as_of_rev : NULL);
	BUF_PUTSL(b, ",\n");
}

static int
write_changes_json(struct site *s)
{
	const struct history *h = hist_of(s);
	struct buf b = BUF_INIT;
	size_t i, j;
	bool first = true;
	int rc;

	BUF_PUTSL(&b, "{\n  \"license\": ");
	json_str(&b, s->cfg.license);
	BUF_PUTSL(&b, ",\n");
	json_built_from(s, &b);
	BUF_PUTSL(&b, "  \"history\": ");
	buf_puts(&b, h == NULL ? "\"none\"" : h->shallow ? "\"incomplete\"" :
	    "\"complete\"");
	BUF_PUTSL(&b, ",\n  \"changes\": [");
	for (i = 0; h != NULL && i < h->entrysz; i++) {
		const struct hist_file *f = &h->files[h->entries[i].file];
		const struct hist_rev *r = &f->revs[h->entries[i].rev];
		const struct hist_commit *c = &h->commits[r->commit];
		for (j = 0; j < r->changesz; j++) {
			const struct hist_change *ch = &r->changes[j];
			buf_puts(&b, first ? "\n    {" : ",\n    {");
			first = false;
			BUF_PUTSL(&b, "\"vendor\": ");
			json_str(&b, f->vendor);
			BUF_PUTSL(&b, ", \"field\": ");
			json_str(&b, ch->field);
			BUF_PUTSL(&b, ", \"text\": ");
			json_str(&b, ch->text);
			BUF_PUTSL(&b, ", \"before\": ");
			json_str(&b, ch->before);
			BUF_PUTSL(&b, ", \"after\": ");
			json_str(&b, ch->after);
			BUF_PUTSL(&b, ", \"commit\": ");
			json_str(&b, c->id);
			BUF_PUTSL(&b, ", \"date\": \"");
			date_iso(&b, &c->date);
			BUF_PUTSL(&b, "\"}");
		}
	}
	buf_puts(&b, first ? "]\n}\n" : "\n  ]\n}\n");
	rc = site_write(s, "changes/changes.json", b.ptr, b.len);
	buf_release(&b);
	return rc;
}

static int
write_build_json(struct site *s)
{
	const struct history *h = s->hist;
	struct buf b = BUF_INIT;
	int rc;

	BUF_PUTSL(&b, "{\n  \"generator\": \"docket " DOCKET_VERSION "\",\n");
	json_built_from(s, &b);
	BUF_PUTSL(&b, "  \"commit_date\": ");
	if (h != NULL && h->head[0] != '\0') {
		buf_putc(&b, '"');
		put_rfc3339(&b, h->head_time);
		buf_putc(&b, '"');
	} else
		BUF_PUTSL(&b, "null");
	BUF_PUTSL(&b, ",\n  \"history\": ");
	buf_puts(&b, hist_of(s) == NULL ? "\"none\"" : h->shallow ?
	    "\"incomplete\"" : "\"complete\"");
	buf_printf(&b, ",\n  \"pages\": %zu,\n  \"records\": %zu\n}\n",
	    s->pagesz, s->recordsz);
	rc = site_write(s, "build.json", b.ptr, b.len);
	buf_release(&b);
	return rc;
}

/* A page at a renamed record's old address, sending readers to the new. */
static int
write_redirect(struct site *s, const char *old_id, const char *new_id,
    const char *name)
{
	char *out = xasprintf("vendors/%s/index.html", old_id);
	char *u = vendor_url(s, new_id);
	int rc;

	rc = site_write_redirect(s, out, u, name, "record");
	free(out);
	free(u);
	return rc;
}

/*
 * The old ids of renamed records that get a redirect to the record's
 * page, or to its tombstone once it is removed: not where a record or a
 * removed one's page is. Where two records once had the same id, a
 * record in the register is sent to before a removed one. Sets *olds
 * (ids, caller frees each) and *to (the records' files). Returns the
 * count.
 */
static size_t
redirects(const struct site *s, char ***olds, const struct hist_file ***to)
{
	const struct history *h = hist_of(s);
	const struct hist_file **tomb = NULL;
	size_t i, j, k, nt, n = 0;
	char *old;

	*olds = NULL;
	*to = NULL;
	if (h == NULL)
		return 0;
	nt = changes_tombstones(s, &tomb);
	/* The records in the register, then the removed ones. */
	for (i = 0; i < 2 * h->filesz; i++) {
		const struct hist_file *f = &h->files[i % h->filesz];
		if (!f->record || (i < h->filesz ? f->removed ||
		    !is_current(s, f->vendor) : !is_gone(s, f)))
			continue;
		for (j = 0; j < f->old_pathsz; j++) {
			const char *p = f->old_paths[j];
			if (!str_startswith(p, "content/vendors/") ||
			    !str_endswith(p, ".xml") || strchr(p + 16, '/'))
				continue;
			old = xstrndup(p + 16, strlen(p) - 20);
			for (k = 0; k < nt && strcmp(tomb[k]->vendor, old) != 0;
			    k++)
				continue;
			if (!id_valid(old) || k < nt || is_current(s, old)) {
				free(old);
				continue;
			}
			/* Two records that once had the same id: the first. */
			for (k = 0; k < n && strcmp((*olds)[k], old) != 0; k++)
				continue;
			if (k < n) {
				free(old);
				continue;
			}
			*olds = xreallocarray(*olds, n + 1, sizeof(**olds));
			*to = xreallocarray(*to, n + 1, sizeof(**to));
			(*olds)[n] = old;
			(*to)[n++] = f;
		}
	}
	free(tomb);
	return n;
}

/* The pages of a list by year: their number, or the paths into out. */
static size_t
year_pages(char **out, const char *list, const struct changes_year *ys,
    size_t ny)
{
	size_t i, p, n = 0;

	for (i = 0; i < ny; i++)
		for (p = 1; p <= ys[i].pages; p++, n++)
			if (out != NULL)
				out[n] = changes_page_out(list, ys[i].year, p);
	return n;
}

size_t
changes_outputs(const struct site *s, char ***out)
{
	const struct history *h = hist_of(s);
	const struct hist_file **tomb = NULL, **to = NULL;
	struct changes_year *ys = NULL, *tl;
	char **olds = NULL;
	size_t i, n, nt = 0, nr = 0, ny = 0, ntl;

	ntl = changes_timeline_years(s, &tl);
	if (h != NULL) {
		ny = changes_years(s, &ys);
		nt = changes_tombstones(s, &tomb);
		nr = redirects(s, &olds, &to);
	}
	n = year_pages(NULL, "timeline", tl, ntl) +
	    year_pages(NULL, "changes", ys, ny);
	*out = xcalloc(n + 2 * nt + 2 * nr + (h != NULL ? s->recordsz : 0) +
	    1, sizeof(**out));
	n = year_pages(*out, "timeline", tl, ntl);
	n += year_pages(*out + n, "changes", ys, ny);
	for (i = 0; i < nt; i++) {
		(*out)[n++] = xasprintf("vendors/%s/index.html", tomb[i]->vendor);
		(*out)[n++] = xasprintf("vendors/%s/feed.xml", tomb[i]->vendor);
	}
	for (i = 0; i < nr; i++) {
		(*out)[n++] = xasprintf("vendors/%s/index.html", olds[i]);
		(*out)[n++] = xasprintf("vendors/%s/feed.xml", olds[i]);
		free(olds[i]);
	}
	for (i = 0; h != NULL && i < s->recordsz; i++)
		(*out)[n++] = xasprintf("vendors/%s/feed.xml",
		    s->records[i]->id);
	free(tl);
	free(ys);
	free(tomb);
	free(olds);
	free(to);
	return n;
}

static int
write_redirects(struct site *s)
{
	char **olds;
	const struct hist_file **to;
	size_t i, n = redirects(s, &olds, &to);
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (write_redirect(s, olds[i], to[i]->vendor, to[i]->name != NULL ?
		    to[i]->name : to[i]->vendor) == -1)
			rc = -1;
		free(olds[i]);
	}
	free(olds);
	free(to);
	return rc;
}

/* The entries of every vendor, for the feed of each. */
struct feed_job {
	struct site		*s;
	struct byvendor		*bv;	/* by vendor, each newest first */
	size_t			 n;
	const struct hist_file	**tomb;	/* removed records, after the records */
	size_t			 tombsz;
	char			**olds;	/* renamed records' old ids, after those */
	const struct hist_file	**to;	/* the record each was renamed to */
	size_t			 redirsz;
};

/*
 * The feed of record i: vendors/<id>/feed.xml. After the records come the
 * removed ones, so that their readers learn that they were removed, and
 * then renamed records' old ids, whose feed goes on at the old address
 * (a feed cannot redirect) with the renamed record's entries.
 */
static int
vendor_feed(void *arg, size_t i, struct buf *unused)
{
	const struct feed_job *fj = arg;
	struct site *s = fj->s;
	const struct hist_file *f = NULL;
	const char *id, *name, *at;
	struct byvendor key;
	struct buf title = BUF_INIT;
	size_t lo, hi, mid;
	char *out;
	int rc;

	if (i < s->recordsz) {
		id = at = s->records[i]->id;
		name = s->records[i]->name;
	} else {
		if ((i -= s->recordsz) < fj->tombsz) {
			f = fj->tomb[i];
			at = f->vendor;
		} else {
			f = fj->to[i - fj->tombsz];
			at = fj->olds[i - fj->tombsz];
		}
		id = f->vendor;
		name = f->name != NULL ? f->name : f->vendor;
		/* A renamed record's feed is the record's. */
		if ((mid = site_record_index(s, id)) != SIZE_MAX)
			name = s->records[mid]->name;
	}
	key = (struct byvendor){ id, 0 };
	(void)unused;
	for (lo = 0, hi = fj->n; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (byvendor_cmp(&fj->bv[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (hi = lo; hi < fj->n && strcmp(fj->bv[hi].vendor, key.vendor) == 0;
	    hi++)
		continue;
	buf_printf(&title, "%s: changes to %s", s->cfg.title, name);
	out = xasprintf("vendors/%s/feed.xml", at);
	rc = write_feed(s, out, "../../", id, title.ptr, fj->bv + lo, hi - lo);
	free(out);
	buf_release(&title);
	return rc;
}

void
changes_feeds(struct site *s, struct jobs_part *part)
{
	const struct history *h = hist_of(s);
	struct feed_job *fj;
	size_t i;

	memset(part, 0, sizeof(*part));
	if (h == NULL)
		return;
	fj = xcalloc(1, sizeof(*fj));
	fj->s = s;
	fj->bv = xcalloc(h->entrysz + 1, sizeof(*fj->bv));
	for (i = 0; i < h->entrysz; i++)
		if (h->files[h->entries[i].file].vendor != NULL)
			fj->bv[fj->n++] = (struct byvendor){
				h->files[h->entries[i].file].vendor, i };
	if (fj->n > 1)
		qsort(fj->bv, fj->n, sizeof(*fj->bv), byvendor_cmp);
	fj->tombsz = changes_tombstones(s, &fj->tomb);
	fj->redirsz = redirects(s, &fj->olds, &fj->to);
	*part = (struct jobs_part){ vendor_feed, fj,
	    s->recordsz + fj->tombsz + fj->redirsz, NULL, 0, 0 };
}

void
changes_feeds_release(struct jobs_part *part)
{
	struct feed_job *fj = part->arg;

	if (fj != NULL) {
		free(fj->bv);
		free(fj->tomb);
		for (size_t i = 0; i < fj->redirsz; i++)
			free(fj->olds[i]);
		free(fj->olds);
		free(fj->to);
	}
	free(fj);
	memset(part, 0, sizeof(*part));
}

/* changes/feed.xml: the latest changes of the whole register. */
static int
write_site_feed(struct site *s)
{
	struct buf title = BUF_INIT;
	int rc;

	buf_printf(&title, "%s: changes", s->cfg.title);
	rc = write_feed(s, "changes/feed.xml", "../", NULL, title.ptr, NULL, 0);
	buf_release(&title);
	return rc;
}

/* The files of changes_part(), an item each; the last two need history. */
static int (*const change_files[])(struct site *) = {
	write_build_json, write_changes_json, write_site_feed, write_redirects
};

static int
changes_item(void *arg, size_t i, struct buf *unused)
{
	(void)unused;
	return change_files[i](arg);
}

void
changes_part(struct site *s, struct jobs_part *part)
{
	*part = (struct jobs_part){ changes_item, s, NELEM(change_files) -
		(hist_of(s) != NULL ? 0 : 2), NULL, 0, 0 };
}
