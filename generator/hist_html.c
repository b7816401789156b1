/*
 * HTML fragments of the history for the ::changes and ::history
 * directives. Everything from the repository is escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "history.h"
#include "recdiff.h"
#include "util.h"

static void
put_time(struct buf *out, const struct history *h, const struct date *d,
    const char *class)
{
	BUF_PUTSL(out, "<time");
	if (class != NULL)
		buf_printf(out, " class=\"%s\"", class);
	BUF_PUTSL(out, " datetime=\"");
	date_iso(out, d);
	BUF_PUTSL(out, "\">");
	date_format(out, h->date_format, d);
	BUF_PUTSL(out, "</time>");
}

/*
 * "<code>abcdef1234</code>", linked through repo_url, and " by Author"
 * when authors are shown: the end of an entry, as the theme's
 * history.html and changes.html write it, after "Commit&nbsp;" (the
 * word and the hash keep to one line).
 */
static void
put_commit(struct buf *out, const struct hist_commit *c)
{
	if (c->url != NULL) {
		BUF_PUTSL(out, "<a class=\"commit\" href=\"");
		buf_puts_html(out, c->url);
		BUF_PUTSL(out, "\"><code>");
	} else
		BUF_PUTSL(out, "<code class=\"commit\">");
	buf_puts(out, c->short_id);
	BUF_PUTSL(out, "</code>");
	if (c->url != NULL)
		BUF_PUTSL(out, "</a>");
	if (c->author != NULL) {
		BUF_PUTSL(out, " by <span class=\"author\">");
		buf_puts_html(out, c->author);
		BUF_PUTSL(out, "</span>");
	}
}

static void
put_changes(struct buf *out, const struct hist_rev *r)
{
	size_t i;

	BUF_PUTSL(out, "<ul class=\"field-changes\">");
	for (i = 0; i < r->changesz; i++) {
		BUF_PUTSL(out, "<li>");
		recdiff_put_html(out, r->changes[i].text);
		BUF_PUTSL(out, "</li>");
	}
	BUF_PUTSL(out, "</ul>");
}

int
hist_html_changes(struct buf *out, const struct history *h,
    const char *vendor, unsigned limit, const char *root,
    bool (*has_page)(const void *arg, const char *id), const void *arg)
{
	size_t i, n = 0;
	bool link;

	if (h == NULL || !h->walked) {
		BUF_PUTSL(out, "<p class=\"changes-none\">The history of the "
		    "register is not available in this build.</p>\n");
		return 0;
	}
	for (i = 0; i < h->entrysz && n < limit; i++) {
		const struct hist_file *f = &h->files[h->entries[i].file];
		const struct hist_rev *r = &f->revs[h->entries[i].rev];
		const struct hist_commit *c = &h->commits[r->commit];
		if (vendor != NULL && strcmp(f->vendor, vendor) != 0)
			continue;
		if (n++ == 0)
			BUF_PUTSL(out, "<ol class=\"changes\">\n");
		BUF_PUTSL(out, "<li class=\"change\">");
		put_time(out, h, &c->date, "change-date");
		BUF_PUTSL(out, "<div class=\"change-body\">"
		    "<p class=\"change-title\">");
		link = has_page == NULL || has_page(arg, f->vendor);
		if (link) {
			BUF_PUTSL(out, "<a href=\"");
			buf_puts_html(out, root);
			buf_printf(out, "vendors/%s/%s\">", f->vendor,
			    h->dir_urls ? "" : "index.html");
		}
		buf_puts_html(out, f->name != NULL ? f->name : f->vendor);
		if (link)
			BUF_PUTSL(out, "</a>");
		BUF_PUTSL(out, "</p>");
		put_changes(out, r);
		BUF_PUTSL(out, "<p class=\"change-meta\">");
		if (c->subject[0] != '\0') {	/* git allows an empty one */
			buf_puts_html(out, c->subject);
			BUF_PUTSL(out, "&nbsp;· commit&nbsp;");
		} else
			BUF_PUTSL(out, "Commit&nbsp;");
		put_commit(out, c);
		BUF_PUTSL(out, "</p></div></li>\n");
	}
	if (n == 0)
		BUF_PUTSL(out, "<p class=\"changes-none\">No changes recorded.</p>\n");
	else
		BUF_PUTSL(out, "</ol>\n");
	return 0;
}

int
hist_html_page(struct buf *out, const struct history *h, const char *src,
    unsigned limit, const char *root)
{
	const struct hist_file *f;
	size_t i;

	(void)root;
	if (h == NULL || !h->walked) {
		BUF_PUTSL(out, "<p class=\"history-none\">The history of this "
		    "page is not available in this build.</p>\n");
		return 0;
	}
	f = hist_file(h, src);
	if (f != NULL && f->revsz == 0 && f->incomplete) {
		/* Last changed before a shallow clone's first commit. */
		BUF_PUTSL(out, "<p class=\"history-incomplete\">History "
		    "incomplete: older commits are not in this clone.</p>\n");
		return 0;
	}
	if (f == NULL || f->revsz == 0) {
		BUF_PUTSL(out, "<p class=\"history-none\">This page has not "
		    "been committed yet.</p>\n");
		return 0;
	}
	BUF_PUTSL(out, "<ol class=\"commits\">\n");
	for (i = 0; i < f->revsz && i < limit; i++) {
		const struct hist_rev *r = &f->revs[i];
		const struct hist_commit *c = &h->commits[r->commit];
		BUF_PUTSL(out, "<li>");
		put_time(out, h, &c->date, NULL);
		if (c->subject[0] != '\0') {
			BUF_PUTSL(out, "<p class=\"commit-subject\">");
			buf_puts_html(out, c->subject);
			BUF_PUTSL(out, "</p>");
		}
		if (r->changesz > 0)
			put_changes(out, r);
		BUF_PUTSL(out, "<p class=\"commit-meta\">Commit&nbsp;");
		put_commit(out, c);
		BUF_PUTSL(out, "</p></li>\n");
	}
	BUF_PUTSL(out, "</ol>\n");
	if (f->incomplete)
		BUF_PUTSL(out, "<p class=\"history-incomplete\">History "
		    "incomplete: older commits are not in this clone.</p>\n");
	return 0;
}
