/*
 * The data given to templates (docs/templates.md) and the rendering of
 * every page. Record and action values are built once and shared by the
 * pages that list them; links in them are paths from the site root, which
 * templates put after {{root}}.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "changes.h"
#include "config.h"
#include "date.h"
#include "diag.h"
#include "directive.h"
#include "embedded.h"
#include "exports.h"
#include "facet.h"
#include "history.h"
#include "jobs.h"
#include "markdown.h"
#include "model.h"
#include "record.h"
#include "sig.h"
#include "site.h"
#include "source.h"
#include "template.h"
#include "util.h"

/* One action with what the timeline sorts it by. */
struct entry {
	const struct record	*rec;
	const struct action	*act;
	size_t			 index;	/* in the record */
	struct tval		*tv;
};

struct model {
	struct site	*s;
	struct dir_env	 env;		/* what directives are rendered from */
	struct tval	*actions;	/* every action value, by date */
	struct tval	*site;		/* the site map */
	struct tval	*site_plain;	/* with no nav item current */
	char		**nav_urls;	/* of the nav's site links */
	size_t		 nav_urlsz;
	/* By nav link: the site map of the pages below its folder, made once. */
	struct tval	**nav_inside;
	struct tval	*docket;
	struct tval	*vendors;	/* list, by name */
	struct tval	**vendor_tv;	/* by record index */
	/* By record index: the values of its actions, in its file's order. */
	struct tval	***vendor_acts;
	struct entry	*entries;	/* every action, by date */
	size_t		 entriesz;
	struct tval	*years;		/* changes_years_tv() */
	/* The timeline's lists by year, when it has them. */
	struct changes_year *tl_years;	/* changes_timeline_years() */
	size_t		 tl_yearsz;
	struct tval	*tl_years_tv;	/* years_tv() */
	/* The titles of timeline/ and changes/, for their years' pages. */
	char		*tl_title;
	char		*changes_title;
	size_t		 last_len;	/* of the last file render() made */
	/*
	 * Rendering a page or record held for its errors (held_pages()):
	 * nothing of it is written for docket check to follow, so the
	 * build checks its links itself, in a check too.
	 */
	bool		 held;
};

static void
set_date(struct model *m, struct tval *map, const char *key,
    const struct date *d)
{
	struct buf b = BUF_INIT, iso = BUF_INIT;

	if (d->y == 0)
		return;
	date_format(&b, m->s->cfg.date_format, d);
	tval_set(map, key, tval_str_own(buf_detach(&b)));
	date_iso(&b, d);
	buf_puts(&iso, key);
	BUF_PUTSL(&iso, "_iso");
	tval_set(map, iso.ptr, tval_str_own(buf_detach(&b)));
	buf_release(&iso);
}

/* The page a markdown link is written on, for site_check_link(). */
struct link_from {
	struct site	*s;
	const char	*out;
};

/*
 * A link written as on GitHub, to another file of content/, from the
 * folder of the file it is written in: the page's, or an included one's.
 */
static char *
rewrite_link(void *arg, const char *path, const char *url)
{
	struct link_from *lf = arg;

	return site_link_source(lf->s, lf->out, path, url);
}

/*
 * In record text, shown as it is written on more than one page: only
 * a link to a folder, made to name its index.html (site_link_folder()).
 */
static char *
rewrite_folder(void *arg, const char *path, const char *url)
{
	struct link_from *lf = arg;

	(void)path;
	return site_link_folder(lf->s, lf->out, url);
}

static void
check_link(void *arg, const char *url, const char *written,
    const struct pos *p)
{
	struct link_from *lf = arg;

	(void)written;
	site_check_link(lf->s, lf->out, url, p);
}

/* docket check's hook, through the build (site_hook_link()). */
static void
hook_link(void *arg, const char *url, const char *written,
    const struct pos *p)
{
	site_hook_link(arg, url, written, p);
}

/*
 * Who follows the links of markdown rendered on the page at `out`: docket
 * check's hook, else the build itself (lf is filled in for it); the build
 * itself for what is held, which has no page for the check to follow.
 */
static void
link_hook(struct model *m, struct md_src *src, struct link_from *lf,
    const char *out)
{
	*lf = (struct link_from){ m->s, out };
	if (m->held) {
		src->on_link = check_link;
		src->on_link_arg = lf;
	} else if (m->s->opts->on_link != NULL) {
		src->on_link = hook_link;
		src->on_link_arg = m->s;
	} else if (!m->s->opts->checking) {
		src->on_link = check_link;
		src->on_link_arg = lf;
	}
}

/* Renders record markdown (never raw HTML) into map[key]. */
static int
set_md(struct model *m, struct tval *map, const char *key,
    const struct record *r, const struct mdtext *t)
{
	struct buf html = BUF_INIT;
	struct dir_env env = { m->s, NULL, NULL, false };
	struct md_src src = { .path = r->path, .line = t->line, .col = t->col,
		.spans = t->spans, .spansz = t->spansz, .text = t->text, .len = t->text != NULL ? strlen(t->text) : 0,
		.env = &env };
	struct link_from lf;
	const char *base;
	char *out;
	int rc;

	if (t->text == NULL)
		return 0;
	/* The name of its file: the id of a held record may be wrong. */
	base = strrchr(r->path, '/');
	base = base != NULL ? base + 1 : r->path;
	out = xasprintf("vendors/%.*s/index.html", (int)(strlen(base) - 4),
	    base);
	link_hook(m, &src, &lf, out);
	src.rewrite = rewrite_folder;
	src.rewrite_arg = &lf;
	rc = md_render(&html, m->s->dg, &src);
	tval_set(map, key, tval_html_own(buf_detach(&html)));
	free(out);
	return rc;
}

static struct tval *
names_list(char *const *v, size_t n)
{
	struct tval *l = tval_list(), *it;
	size_t i;

	for (i = 0; i < n; i++) {
		it = tval_map();
		tval_set_str(it, "name", v[i]);
		tval_push(l, it);
	}
	return l;
}

/* The page of a facet term, as a link value. */
static struct tval *
facet_url_tv(struct model *m, enum facet_kind k, const char *key)
{
	char *out = facet_out(k, key);
	struct tval *v = tval_str_own(site_url_for(m->s, out));

	free(out);
	return v;
}

static struct tval *
status_tv(struct model *m, enum status st)
{
	struct tval *v = tval_map();

	tval_set_str(v, "key", status_key(st));
	tval_set_str(v, "label", status_label(st));
	tval_set(v, "url", facet_url_tv(m, FACET_STATUS, status_key(st)));
	return v;
}

static struct tval *
action_tv(struct model *m, const struct record *r, const struct action *a,
    const char *vendor_url)
{
	struct tval *v = tval_map(), *t, *l, *src;
	struct buf b = BUF_INIT, h = BUF_INIT;
	char *slug;
	size_t i, at;

	tval_set_str(v, "id", a->id);
	tval_set(v, "url", tval_str_own(xasprintf("%s#%s", vendor_url, a->id)));
	t = tval_map();
	tval_set_str(t, "key", action_type_key(a->type));
	tval_set_str(t, "label", action_type_label(a->type));
	tval_set(t, "url", facet_url_tv(m, FACET_TYPE, action_type_key(a->type)));
	tval_set(v, "type", t);
	set_date(m, v, "date", &a->date);
	tval_set(v, "year", tval_str_own(xasprintf("%04d", a->date.y)));
	tval_set_str(v, "authority", a->authority);
	slug = facet_action_key(m->s->authorities, FACET_AUTHORITY, a);
	tval_set(v, "authority_url", facet_url_tv(m, FACET_AUTHORITY, slug));
	free(slug);
	tval_set_str(v, "title", a->title);
	/*
	 * Absent fields are set to false: Mustache would otherwise look them
	 * up in the enclosing contexts.
	 */
	if (a->scope != NULL)
		tval_set_str(v, "scope", a->scope);
	else
		tval_set_bool(v, "scope", false);
	/* Its HTML set by vendor_md(). */
	tval_set_bool(v, "description", false);
	tval_set_bool(v, "deadline", false);
	if (a->deadline.y != 0) {
		t = tval_map();
		set_date(m, t, "date", &a->deadline);
		/* The HTML: the text, each date's words held together. */
		date_format(&b, m->s->cfg.date_format, &a->deadline);
		buf_put_html_nbsp(&h, b.ptr, b.len);
		if (a->deadline_days >= 0) {
			tval_set_num(t, "days", (double)a->deadline_days);
			at = b.len;
			buf_printf(&b, " (%ld day%s after ", a->deadline_days,
			    a->deadline_days == 1 ? "" : "s");
			buf_put_html(&h, b.ptr + at, b.len - at);
			at = b.len;
			date_format(&b, m->s->cfg.date_format, &a->date);
			buf_put_html_nbsp(&h, b.ptr + at, b.len - at);
			buf_putc(&b, ')');
			buf_putc(&h, ')');
		}
		tval_set(t, "text", tval_str_own(buf_detach(&b)));
		tval_set(t, "html", tval_html_own(buf_detach(&h)));
		tval_set(v, "deadline", t);
	}
	l = tval_list();
	for (i = 0; i < a->sourcesz; i++) {
		src = tval_map();
		tval_set_str(src, "href", a->sources[i].href);
		tval_set_str(src, "publisher", a->sources[i].publisher);
		set_date(m, src, "date", &a->sources[i].date);
		set_date(m, src, "accessed", &a->sources[i].accessed);
		if (a->sources[i].archived != NULL)
			tval_set_str(src, "archived", a->sources[i].archived);
		else
			tval_set_bool(src, "archived", false);
		if (a->sources[i].accessed.y == 0)
			tval_set_bool(src, "accessed", false);
		tval_push(l, src);
	}
	tval_set(v, "sources", l);
	t = tval_map();
	tval_set_str(t, "id", r->id);
	tval_set_str(t, "name", r->name);
	tval_set_str(t, "url", vendor_url);
	tval_set(t, "status", status_tv(m, r->status));
	tval_set(v, "vendor", t);
	return v;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = date_cmp(&x->act->date, &y->act->date);

	if (c != 0)
		return c;
	if ((c = str_collate(x->rec->name, y->rec->name)) != 0)
		return c;
	if ((c = strcmp(x->rec->id, y->rec->id)) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The value of record r but for its markdown, which vendor_md() renders
 * into it: with its actions in date order in first[0..r->actionsz), and
 * their values in its file's order in *acts. No cmark-gfm and no
 * diagnostics: it runs on a thread while this one renders the markdown
 * of other records (vendors_tv()).
 */
static struct tval *
vendor_tv(struct model *m, const struct record *r, struct entry *first,
    struct tval ***acts)
{
	struct tval *v = tval_map(), *t, *l, *rs;
	char *out_path, *url, *country;
	size_t i;

	out_path = xasprintf("vendors/%s/index.html", r->id);
	url = site_url_for(m->s, out_path);
	tval_set_str(v, "id", r->id);
	tval_set_str(v, "name", r->name);
	tval_set_str(v, "url", url);
	tval_set(v, "aliases", names_list(r->aliases, r->aliasesz));
	tval_set_bool(v, "has_aliases", r->aliasesz > 0);
	t = tval_map();
	tval_set_str(t, "code", r->country_code);
	tval_set_str(t, "name", r->country);
	country = facet_vendor_key(FACET_COUNTRY, r);
	tval_set(t, "url", facet_url_tv(m, FACET_COUNTRY, country));
	free(country);
	tval_set(v, "country", t);
	tval_set_bool(v, "website", false);
	if (r->website != NULL && url_safe(r->website))
		tval_set_str(v, "website", r->website);
	tval_set(v, "status", status_tv(m, r->status));
	tval_set(v, "products", names_list(r->products, r->productsz));
	tval_set_bool(v, "has_products", r->productsz > 0);
	/* Its place among the keys, for the HTML of vendor_md(). */
	if (r->summary.text != NULL)
		tval_set_bool(v, "summary", false);
	tval_set_bool(v, "draft", r->draft);
	tval_set_bool(v, "note", false);
	tval_set_bool(v, "latest", false);
	changes_vendor_tv(m->s, r->id, v);

	/* Actions in date order, keeping the file's order for equal dates. */
	*acts = xreallocarray(NULL, r->actionsz + 1, sizeof(**acts));
	for (i = 0; i < r->actionsz; i++) {
		first[i] = (struct entry){ r, &r->actions[i], i, NULL };
		first[i].tv = action_tv(m, r, &r->actions[i], url);
		(*acts)[i] = tval_ref(first[i].tv);
	}
	qsort(first, r->actionsz, sizeof(*first), entry_cmp);
	l = tval_list();
	for (i = 0; i < r->actionsz; i++)
		tval_push(l, tval_ref(first[i].tv));
	tval_set(v, "actions", l);
	tval_set_bool(v, "has_actions", r->actionsz > 0);
	tval_set_num(v, "action_count", (double)r->actionsz);
	if (r->actionsz > 0)
		tval_set(v, "latest", tval_ref(first[r->actionsz - 1].tv));

	l = tval_list();
	for (i = 0; i < r->responsesz; i++) {
		rs = tval_map();
		tval_set_bool(rs, "href", false);
		set_date(m, rs, "date", &r->responses[i].date);
		if (r->responses[i].href != NULL)
			tval_set_str(rs, "href", r->responses[i].href);
		tval_push(l, rs);
	}
	tval_set(v, "responses", l);
	tval_set_bool(v, "has_responses", r->responsesz > 0);
	free(out_path);
	free(url);
	return v;
}

/*
 * Renders the markdown of record i into the values vendor_tv() made, in
 * the order of its file. Returns -1 after an error in its summary, a
 * response or its note; one in an action's description is counted in
 * the diagnostics alone.
 */
static int
vendor_md(struct model *m, size_t i)
{
	const struct record *r = m->s->records[i];
	struct tval *v = m->vendor_tv[i], *rs = tval_get(v, "responses");
	size_t k;
	int rc = 0;

	if (set_md(m, v, "summary", r, &r->summary) == -1)
		rc = -1;
	for (k = 0; k < r->actionsz; k++)
		set_md(m, m->vendor_acts[i][k], "description", r,
		    &r->actions[k].description);
	for (k = 0; k < r->responsesz; k++)
		if (set_md(m, tval_at(rs, k), "text", r,
		    &r->responses[k].text) == -1)
			rc = -1;
	if (set_md(m, v, "note", r, &r->note) == -1)
		rc = -1;
	return rc;
}

/* Records [from, to) for vendor_tv(), their actions from entries[at]. */
struct vendor_range {
	struct model	*m;
	size_t		 from;
	size_t		 to;
	size_t		 at;
};

static void
vendor_range(struct vendor_range *vr)
{
	struct model *m = vr->m;
	size_t i, at = vr->at;

	for (i = vr->from; i < vr->to; i++) {
		m->vendor_tv[i] = vendor_tv(m, m->s->records[i],
		    m->entries + at, &m->vendor_acts[i]);
		at += m->s->records[i]->actionsz;
	}
}

static void *
vendor_range_main(void *arg)
{
	vendor_range(arg);
	return NULL;
}

/*
 * vendor_md() for records [from, to), in turn, noting the errors of each
 * as its page's (site_failed()). Returns -1 after an error.
 */
static int
vendors_md(struct model *m, size_t from, size_t to)
{
	struct site *s = m->s;
	unsigned errors;
	size_t i;
	char *out;
	int rc = 0;

	for (i = from; i < to; i++) {
		errors = s->dg->errors;
		if (vendor_md(m, i) == -1) {
			out = xasprintf("vendors/%s/index.html",
			    s->records[i]->id);
			site_failed(s, out, s->dg->errors - errors);
			free(out);
			rc = -1;
		}
	}
	return rc;
}

/* Fewer records than this: their values are made on one thread. */
#define VENDORS_THREAD_MIN	64

/*
 * Every record's value, and every action's in m->entries by record.
 * When the build may use more than one processor, a thread makes the
 * values of the last 4/7 of the records but for their markdown, while
 * this one makes the others' and renders their markdown (cmark-gfm works
 * on one thread at a time), then renders the thread's records' markdown:
 * the markdown is about a quarter of the work (docs/performance.md, item
 * 67). Returns -1 after an error in a record's markdown.
 */
static int
vendors_tv(struct model *m)
{
	struct site *s = m->s;
	struct vendor_range lo = { m, 0, s->recordsz, 0 }, hi;
	pthread_t tid;
	size_t i;
	int rc;

	for (i = 0; i < s->recordsz; i++)
		m->entriesz += s->records[i]->actionsz;
	m->entries = xreallocarray(NULL, m->entriesz + 1, sizeof(*m->entries));
	/* Nor while a thread writes the history cache (hist_cache_wait()). */
	if (s->opts->jobs < 2 || s->recordsz < VENDORS_THREAD_MIN ||
	    (s->hist != NULL && s->hist->cachejob != NULL)) {
		vendor_range(&lo);
		return vendors_md(m, 0, s->recordsz);
	}
	hi = (struct vendor_range){ m, s->recordsz * 3 / 7, s->recordsz, 0 };
	for (i = 0; i < hi.from; i++)
		hi.at += s->records[i]->actionsz;
	lo.to = hi.from;
	tval_threads(true);
	if (pthread_create(&tid, NULL, vendor_range_main, &hi) != 0) {
		tval_threads(false);
		vendor_range(&lo);
		vendor_range(&hi);
		return vendors_md(m, 0, s->recordsz);
	}
	vendor_range(&lo);
	rc = vendors_md(m, 0, hi.from);
	pthread_join(tid, NULL);
	tval_threads(false);
	if (vendors_md(m, hi.from, s->recordsz) == -1)
		rc = -1;
	return rc;
}

static struct tval *
site_tv(struct model *m)
{
	const struct config *c = &m->s->cfg;
	struct tval *v = tval_map(), *l, *it;
	enum facet_kind k;
	size_t i;
	char *u;

	tval_set_str(v, "title", c->title);
	if (c->description != NULL)
		tval_set_str(v, "description", c->description);
	tval_set_str(v, "language", c->language);
	if (c->license != NULL)
		tval_set_str(v, "license", c->license);
	if (c->base_url != NULL)
		tval_set_str(v, "base_url", c->base_url);
	if (c->repo_url != NULL)
		tval_set_str(v, "repo_url", c->repo_url);
	tval_set(v, "home_url", tval_str_own(site_url_for(m->s, "index.html")));
	u = site_url_for(m->s, "vendors/index.html");
	tval_set(v, "vendors_url", tval_str_own(u));
	u = site_url_for(m->s, "timeline/index.html");
	tval_set(v, "timeline_url", tval_str_own(u));
	tval_set_num(v, "vendor_count", (double)m->s->recordsz);
	tval_set_num(v, "action_count", (double)m->entriesz);
	l = tval_list();
	for (k = 0; k < FACET__MAX; k++) {
		it = tval_map();
		tval_set_str(it, "title", facet_kind_label(k));
		tval_set(it, "url", facet_url_tv(m, k, NULL));
		tval_push(l, it);
	}
	tval_set(v, "browse", l);
	for (i = 0; i < m->entriesz; i++)
		if (m->entries[i].act->deadline.y != 0) {
			tval_set_str(v, "deadlines_url", "timeline/deadlines.ics");
			break;
		}
	changes_site_tv(m->s, v);
	return v;
}

/*
 * The link form of a nav url written in docket.yml, as the site's own
 * links are: a site path gets its leading slash removed and, without
 * base_url, "index.html" added to a folder; with base_url, a folder's
 * "index.html" is left out. A query or fragment ("/about/#contact")
 * stays after the path.
 */
static char *
nav_url(const struct site *s, const char *url)
{
	const char *rest;
	size_t n;

	while (*url == '/')
		url++;
	n = strcspn(url, "?#");
	rest = url + n;
	if (s->cfg.base_url == NULL && (n == 0 || url[n - 1] == '/'))
		return xasprintf("%.*sindex.html%s", (int)n, url, rest);
	if (s->cfg.base_url != NULL && ((n == 10 &&
	    strncmp(url, "index.html", 10) == 0) || (n > 10 &&
	    strncmp(url + n - 11, "/index.html", 11) == 0)))
		return xasprintf("%.*s%s", (int)(n - 10), url, rest);
	return xstrdup(url);
}

/*
 * The nav's items with the one page_url is (current), or else the one
 * whose folder holds it, section_url (section); either may be NULL.
 */
static struct tval *
nav_tv(struct model *m, const char *page_url, const char *section_url)
{
	const struct config *c = &m->s->cfg;
	static const char *const defaults[][2] = {
		{ "Vendors", "vendors/" }, { "Timeline", "timeline/" }
	};
	struct tval *l = tval_list(), *it;
	size_t i, n = c->navsz > 0 ? c->navsz : NELEM(defaults);
	const char *title, *url;
	char *u;

	for (i = 0; i < n; i++) {
		title = c->navsz > 0 ? c->nav[i].title : defaults[i][0];
		url = c->navsz > 0 ? c->nav[i].url : defaults[i][1];
		it = tval_map();
		tval_set_str(it, "title", title);
		if (url_is_web(url)) {
			tval_set_str(it, "href", url);
			tval_set_bool(it, "url", false);
			tval_set_bool(it, "current", false);
			tval_set_bool(it, "section", false);
		} else {
			tval_set_bool(it, "href", false);
			u = nav_url(m->s, url);
			tval_set_bool(it, "current", page_url != NULL &&
			    strcmp(u, page_url) == 0);
			tval_set_bool(it, "section", section_url != NULL &&
			    strcmp(u, section_url) == 0);
			tval_set(it, "url", tval_str_own(u));
		}
		tval_push(l, it);
	}
	return l;
}

/*
 * The site map as a page sees it, with the nav for page_url (NULL: no
 * nav item is the page) or for a page inside section_url's folder. Most
 * pages are neither: they share one.
 */
static struct tval *
site_ctx(struct model *m, const char *page_url, const char *section_url)
{
	static const char *const keys[] = {
		"title", "description", "language", "license",
		"base_url", "repo_url", "home_url", "vendors_url",
		"timeline_url", "vendor_count", "action_count",
		"changes_url", "feed_url", "as_of", "deadlines_url",
		"browse"
	};
	struct tval *site = tval_map();
	size_t i;

	for (i = 0; i < NELEM(keys); i++)
		if (tval_get(m->site, keys[i]) != NULL)
			tval_set(site, keys[i],
			    tval_ref(tval_get(m->site, keys[i])));
	tval_set(site, "nav", nav_tv(m, page_url, section_url));
	return site;
}

/*
 * The nav link whose folder holds the page at url ("vendors/index.html",
 * or "vendors/" with a base_url, for "vendors/acme/index.html"), the
 * deepest when several do; SIZE_MAX when none does.
 */
static size_t
nav_inside(const struct model *m, const char *url)
{
	size_t i, n, best = SIZE_MAX, bestn = 0;
	const char *u;

	for (i = 0; i < m->nav_urlsz; i++) {
		u = m->nav_urls[i];
		n = strlen(u);
		if (str_endswith(u, "/index.html"))
			n -= strlen("index.html");
		else if (n == 0 || u[n - 1] != '/')
			continue;	/* a file, or the home page */
		if (n > bestn && strncmp(url, u, n) == 0 && url[n] != '\0') {
			best = i;
			bestn = n;
		}
	}
	return best;
}

/*
 * The nav link a page is under: the one whose folder holds it, or else
 * for the pages that browse the vendors by status, country, authority
 * or type (whose breadcrumbs lead to the list of vendors), the link to
 * that list; SIZE_MAX when none is.
 */
static size_t
nav_section(const struct model *m, const char *url, const char *kind)
{
	size_t i = nav_inside(m, url);
	char *vendors;

	if (i != SIZE_MAX || (strcmp(kind, "facet") != 0 &&
	    strcmp(kind, "facets") != 0))
		return i;
	vendors = site_url_for(m->s, "vendors/index.html");
	for (i = 0; i < m->nav_urlsz; i++)
		if (strcmp(m->nav_urls[i], vendors) == 0)
			break;
	free(vendors);
	return i < m->nav_urlsz ? i : SIZE_MAX;
}

/* The links of the nav's items that are site paths. */
static void
nav_urls(struct model *m)
{
	const struct tval *nav = tval_get(m->site_plain, "nav"), *it;
	size_t i;

	for (i = 0; i < tval_len(nav); i++) {
		it = tval_at(nav, i);
		if (tval_get_str(it, "url") == NULL)
			continue;
		m->nav_urls = xreallocarray(m->nav_urls, m->nav_urlsz + 1,
		    sizeof(*m->nav_urls));
		m->nav_urls[m->nav_urlsz++] = xstrdup(tval_get_str(it, "url"));
	}
	m->nav_inside = xcalloc(m->nav_urlsz + 1, sizeof(*m->nav_inside));
}

struct view {
	const char	*out;		/* output path */
	const char	*tmpl;		/* template name */
	const char	*kind;
	const char	*title;
	const char	*description;
	const char	*content;	/* HTML, or NULL */
	const struct page *page;	/* the markdown page, or NULL */
	const char	*root;		/* NULL: from the output path */
	const char	*hist_src;	/* the file whose history it shows */
	size_t		 title_len;	/* content opens with it as <h1>: its length */
};

/*
 * Renders one output file. `extra` (may be NULL) is a map of further
 * top-level values; its entries are moved into the context.
 */
static int
render(struct model *m, const struct view *vw, struct tval *extra_keys[],
    const char *extra_names[], size_t extrasz)
{
	struct tval *ctx = tval_map(), *page = tval_map(), *site, *hist;
	struct buf html = BUF_INIT;
	char *url = site_url_for(m->s, vw->out);
	char *root = vw->root != NULL ? xstrdup(vw->root) :
	    site_root_for(vw->out);
	size_t i;
	int rc;

	/* The site map with this page's nav. */
	for (i = 0; i < m->nav_urlsz; i++)
		if (strcmp(m->nav_urls[i], url) == 0)
			break;
	if (i < m->nav_urlsz)
		site = site_ctx(m, url, NULL);
	else if ((i = nav_section(m, url, vw->kind)) != SIZE_MAX) {
		if (m->nav_inside[i] == NULL)
			m->nav_inside[i] = site_ctx(m, NULL, m->nav_urls[i]);
		site = tval_ref(m->nav_inside[i]);
	} else
		site = tval_ref(m->site_plain);
	tval_set(ctx, "site", site);
	tval_set(ctx, "docket", tval_ref(m->docket));
	tval_set_str(ctx, "root", root);
	tval_set_str(ctx, "lang", m->s->cfg.language);
	/* 404.html is served at addresses that are not its own. */
	if (m->s->cfg.base_url != NULL && strcmp(vw->kind, "404") != 0)
		tval_set(ctx, "canonical", tval_str_own(xasprintf("%s%s",
		    m->s->cfg.base_url, url)));
	tval_set_str(page, "title", vw->title);
	if (vw->page != NULL)
		tval_set_bool(page, "title_in_content", vw->title_len > 0);
	if (vw->description != NULL)
		tval_set_str(page, "description", vw->description);
	tval_set_str(page, "url", url);
	tval_set_str(page, "kind", vw->kind);
	if (vw->content != NULL) {
		tval_set(page, "content", tval_html(vw->content));
		/* The <h1> without its line's end: the template has one. */
		if (vw->title_len > 0)
			tval_set(page, "content_heading",
			    tval_html_own(xstrndup(vw->content, vw->title_len -
			    (vw->content[vw->title_len - 1] == '\n'))));
		tval_set(page, "content_body",
		    tval_html(vw->content + vw->title_len));
	}
	if (vw->page != NULL) {
		set_date(m, page, "date", &vw->page->date);
		tval_set(page, "params", tval_ref(vw->page->params));
	}
	if (vw->hist_src != NULL &&
	    (hist = changes_history_tv(m->s, vw->hist_src)) != NULL)
		tval_set(page, "history", hist);
	tval_set(ctx, "page", page);
	for (i = 0; i < extrasz; i++)
		tval_set(ctx, extra_names[i], extra_keys[i]);

	/* Pages in a row are much alike: room for one the last one's size. */
	buf_grow(&html, m->last_len);
	rc = tmpl_render_for(m->s->tmpl, vw->tmpl, ctx, &html, vw->hist_src);
	dir_put_root(&html, root);
	m->last_len = html.len;
	if (rc == 0)
		rc = site_write(m->s, vw->out, html.ptr, html.len);
	buf_release(&html);
	tval_free(ctx);
	free(url);
	free(root);
	return rc;
}

static const struct page *
find_page(const struct site *s, const char *out)
{
	size_t i;

	for (i = 0; i < s->pagesz; i++)
		if (strcmp(s->pages[i].out, out) == 0)
			return &s->pages[i];
	return NULL;
}

/*
 * Renders a page's markdown, appending to html. Quiet, for a page
 * rendered once more, it reports nothing and gives its links to nobody.
 */
static int
page_html(struct model *m, const struct page *pg, bool quiet,
    struct buf *html)
{
	struct md_src src = { .path = pg->src, .line = pg->bodyline,
		.text = pg->body, .len = pg->bodysz,
		.unsafe_html = m->s->cfg.unsafe_html, .env = &m->env };
	struct link_from lf;
	struct diag silent;
	int rc;

	/*
	 * A page's HTML is written on its own page alone: its links to other
	 * files of content/, written as on GitHub, can be made its own.
	 */
	lf = (struct link_from){ m->s, pg->out };
	src.rewrite = rewrite_link;
	src.rewrite_arg = &lf;
	if (!quiet) {
		link_hook(m, &src, &lf, pg->out);
		return md_render(html, m->s->dg, &src);
	}
	diag_init(&silent);
	silent.silent = true;
	rc = md_render(html, &silent, &src);
	diag_release(&silent);
	return rc;
}

/*
 * The names of the templates there are, once each: the site's (the .html
 * files of templates/), then the theme's; *np of them, then NULL. Free
 * with source_list_free().
 */
static char **
template_names(struct site *s, size_t *np)
{
	char **names = NULL, **list;
	size_t namesz = 0, i, j, k = 0, mine, n;
	const char *e;

	if (source_type(s->src, "templates") != SRC_DIR ||
	    source_list(s->src, "templates", &names, &namesz) == -1) {
		names = NULL;
		namesz = 0;
	}
	list = xreallocarray(NULL, namesz + embedded_count + 1, sizeof(*list));
	for (i = 0; i < namesz; i++)
		if ((n = strlen(names[i])) > 5 &&
		    strcmp(names[i] + n - 5, ".html") == 0)
			list[k++] = xstrndup(names[i], n - 5);
	source_list_free(names, namesz);
	mine = k;
	for (i = 0; i < embedded_count; i++) {
		e = embedded_files[i].name;
		if (strncmp(e, "templates/", 10) != 0 ||
		    strchr(e + 10, '/') != NULL ||
		    (n = strlen(e)) < 16 || strcmp(e + n - 5, ".html") != 0)
			continue;
		for (j = 0; j < mine; j++)
			if (strlen(list[j]) == n - 15 &&
			    strncmp(list[j], e + 10, n - 15) == 0)
				break;
		if (j == mine)
			list[k++] = xstrndup(e + 10, n - 15);
	}
	list[k] = NULL;
	*np = k;
	return list;
}

/* Is there a template for the page's layout? Reports it when not. */
static int
check_layout(struct model *m, const struct page *pg, const char *layout)
{
	struct pos p = { pg->src, 0, 0 };
	char **names;
	const char *meant;
	size_t n;
	int rc;

	if (pg->layout != NULL && strcmp(pg->layout, layout) == 0)
		p = pg->layoutpos;
	if (tmpl_exists(m->s->tmpl, layout))
		return 0;
	names = template_names(m->s, &n);
	if ((meant = str_closest(layout, (const char *const *)names)) != NULL)
		rc = diag_error(m->s->dg, &p, "layout '%s' names no template "
		    "(did you mean '%s'?)", layout, meant);
	else
		rc = diag_error(m->s->dg, &p, "layout '%s' names no template",
		    layout);
	source_list_free(names, n);
	return rc;
}

/* Writes a page that sends readers of an old path to the new one. */
static int
write_alias(struct model *m, const struct page *pg, const char *title,
    const char *alias)
{
	char *out = site_alias_out(alias), *url = site_url_for(m->s, pg->out);
	int rc;

	rc = site_write_redirect(m->s, out, url, title, "page");
	free(out);
	free(url);
	return rc;
}

/*
 * For a page whose front matter gives no title: does its HTML open with
 * an <h1> (after white space and comments, such as cmark's "raw HTML
 * omitted")? Sets *len to the length of html up to the end of the line
 * after its "</h1>", or 0, and returns the heading's text, or NULL when
 * it has none (an image). Caller frees.
 */
static char *
heading_title(const char *html, size_t *len)
{
	struct buf b = BUF_INIT;
	const char *p = html, *q;
	char *inner;

	*len = 0;
	if (p == NULL)
		return NULL;
	for (;;) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (strncmp(p, "<!--", 4) != 0 || (q = strstr(p + 4, "-->")) ==
		    NULL)
			break;
		p = q + 3;
	}
	if (strncmp(p, "<h1", 3) != 0 || (p[3] != '>' && p[3] != ' ') ||
	    (p = strchr(p, '>')) == NULL || (q = strstr(p, "</h1>")) == NULL)
		return NULL;
	*len = (size_t)(q + 5 - html) + (q[5] == '\n');
	/* Its text as the search index has it: "Z<em>T</em>E" gives "ZTE". */
	inner = xstrndup(p + 1, (size_t)(q - p - 1));
	exports_html_text(&b, inner, 1024);
	free(inner);
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/*
 * The title of a page that has neither a title in its front matter nor
 * an <h1> to open with: its file name, "export-controls.md" or
 * "export-controls/index.md" giving "Export controls", as Jekyll names
 * posts. Caller frees.
 */
static char *
name_title(const struct page *pg)
{
	struct buf b = BUF_INIT;
	const char *p, *name, *end = pg->src + strlen(pg->src);

	if (end - pg->src > 3 && strcmp(end - 3, ".md") == 0)
		end -= 3;
	name = end;
	while (name > pg->src && name[-1] != '/')
		name--;
	if (end - name == 5 && strncmp(name, "index", 5) == 0 &&
	    name > pg->src) {
		end = name - 1;
		name = end;
		while (name > pg->src && name[-1] != '/')
			name--;
	}
	for (p = name; p < end; p++)
		buf_putc(&b, *p == '-' || *p == '_' ? ' ' : *p);
	if (b.len > 0 && b.ptr[0] >= 'a' && b.ptr[0] <= 'z')
		b.ptr[0] = (char)(b.ptr[0] - 'a' + 'A');
	return buf_detach(&b);
}

/* The title of a generated page that may have an introduction. */
static const char *
intro_title(const struct site *s, const char *out)
{
	if (strcmp(out, "vendors/index.html") == 0)
		return "Vendors";
	if (strcmp(out, "timeline/index.html") == 0)
		return "Timeline";
	if (strcmp(out, "changes/index.html") == 0)
		return "Changes";
	return s->cfg.title;
}

/*
 * The title of the generated page at out as its own page shows it: its
 * introduction's title or opening heading, else the default. For the
 * pages below it, which name it.
 */
static char *
section_title(struct model *m, const char *out)
{
	const struct page *pg = find_page(m->s, out);
	struct buf html = BUF_INIT;
	char *title = NULL;
	size_t headlen;

	if (pg != NULL && pg->title != NULL)
		return xstrdup(pg->title);
	if (pg != NULL && page_html(m, pg, true, &html) == 0)
		title = heading_title(html.ptr, &headlen);
	buf_release(&html);
	return title != NULL ? title : xstrdup(intro_title(m->s, out));
}

/*
 * Page i, and its item in the search index into *search. A page that
 * introduces a generated one (site_is_intro()) is rendered with it.
 */
static int
page_item(void *arg, size_t i, struct buf *search)
{
	struct model *m = arg;
	struct site *s = m->s;
	struct page *pg = &s->pages[i];
	struct buf html = BUF_INIT;
	const char *layout = pg->layout != NULL ? pg->layout : "page";
	char *title = NULL;
	size_t j;
	size_t headlen;
	int rc = 0;

	if (page_html(m, pg, false, &html) == -1)
		rc = -1;
	/*
	 * An introduction is rendered with its page (generated_item()); its
	 * aliases lead there.
	 */
	if (site_is_intro(pg->out)) {
		if (pg->title == NULL && pg->aliasesz > 0 &&
		    (title = heading_title(html.ptr, &headlen)) == NULL)
			title = xstrdup(intro_title(s, pg->out));
		for (j = 0; j < pg->aliasesz; j++)
			if (write_alias(m, pg, pg->title != NULL ? pg->title :
			    title, pg->aliases[j]) == -1)
				rc = -1;
		free(title);
		buf_release(&html);
		return rc;
	}
	if (check_layout(m, pg, layout) == -1) {
		buf_release(&html);
		return -1;
	}
	char *about = pg->description == NULL ?
	    exports_html_description(html.ptr, false) : NULL;
	struct view vw = { pg->out, layout, "page", pg->title,
		about != NULL ? about : pg->description, html.ptr, pg, NULL,
		pg->src, 0 };
	if (pg->title == NULL) {
		if ((title = heading_title(html.ptr,
		    &vw.title_len)) == NULL)
			title = name_title(pg);
		vw.title = title;
	}
	if (render(m, &vw, NULL, NULL, 0) == -1)
		rc = -1;
	for (j = 0; j < pg->aliasesz; j++)
		if (write_alias(m, pg, vw.title, pg->aliases[j]) == -1)
			rc = -1;
	exports_page_search(search, s, pg, vw.title, html.ptr);
	free(about);
	free(title);
	buf_release(&html);
	return rc;
}

/*
 * Parses every template here, once, rather than in every process of a
 * parallel build: the site's (the .html files of templates/) and the
 * theme's. An error in one is reported once, and fails the build
 * whether a page uses the template or not (as Hugo does with layouts).
 */
static void
prepare_templates(struct model *m)
{
	struct site *s = m->s;
	char **names;
	size_t i, n;

	/*
	 * A templates/ that leads out of the site is an error, as a
	 * content/vendors/ that does, not a site with no templates of its
	 * own; the defaults are used meanwhile (see load_template()).
	 */
	(void)site_folder(s, "templates");
	names = template_names(s, &n);
	for (i = 0; i < n; i++)
		tmpl_prepare(s->tmpl, names[i]);
	source_list_free(names, n);
	for (i = 0; i < s->pagesz; i++)
		if (s->pages[i].layout != NULL)
			tmpl_prepare(s->tmpl, s->pages[i].layout);
}

/*
 * The pages left out for errors in their front matter (site.h, held):
 * the errors of their layouts and bodies, in the same build. Nothing of
 * them is written; their outputs are failed already.
 */
static void
held_pages(struct model *m)
{
	struct site *s = m->s;
	struct buf html = BUF_INIT;
	unsigned errors;
	size_t i;

	m->held = true;
	for (i = 0; i < s->heldsz; i++) {
		const struct page *pg = &s->held[i];
		errors = s->dg->errors;
		if (pg->layout != NULL)
			check_layout(m, pg, pg->layout);
		page_html(m, pg, false, &html);
		buf_truncate(&html, 0);
		site_failed(s, NULL, s->dg->errors - errors);
	}
	m->held = false;
	buf_release(&html);
}

/*
 * The records left out for errors in their values (site.h,
 * held_records): the errors of their markdown, in the same build.
 * Nothing of them is written; their outputs are failed already.
 */
static void
held_records(struct model *m)
{
	struct site *s = m->s;
	const struct record *r;
	struct tval *scratch;
	unsigned errors;
	size_t i, j;

	m->held = true;
	for (i = 0; i < s->held_recordsz; i++) {
		r = s->held_records[i];
		errors = s->dg->errors;
		scratch = tval_map();
		set_md(m, scratch, "summary", r, &r->summary);
		for (j = 0; j < r->actionsz; j++)
			set_md(m, scratch, "description", r,
			    &r->actions[j].description);
		for (j = 0; j < r->responsesz; j++)
			set_md(m, scratch, "text", r, &r->responses[j].text);
		set_md(m, scratch, "note", r, &r->note);
		tval_free(scratch);
		site_failed(s, NULL, s->dg->errors - errors);
	}
	m->held = false;
}

/*
 * A generated page, with its introduction content/<...>/index.md (its
 * markdown rendered: content) when there is one.
 */
static int
render_generated(struct model *m, const char *out, const char *content,
    const char *tmpl, const char *kind, const char *title,
    struct tval *keys[], const char *names[], size_t n)
{
	const struct page *pg = find_page(m->s, out);
	struct view vw = { out, tmpl, kind, title, NULL, NULL, pg, NULL,
		pg != NULL ? pg->src : NULL, 0 };
	char *heading = NULL;
	int rc;

	if (pg != NULL) {
		if (pg->title != NULL)
			vw.title = pg->title;
		else if ((heading = heading_title(content,
		    &vw.title_len)) != NULL)
			vw.title = heading;
		vw.description = pg->description;
		vw.content = content;
		if (pg->layout != NULL)
			vw.tmpl = pg->layout;
	}
	if (strcmp(out, "index.html") == 0 && vw.description == NULL)
		vw.description = m->s->cfg.description;
	rc = render(m, &vw, keys, names, n);
	free(heading);
	return rc;
}

/*
 * The timeline's years for templates: with the actions of each when it
 * is one page, with the address and size of each year's list when not.
 */
static struct tval *
years_tv(struct model *m)
{
	struct tval *years = tval_list(), *y = NULL, *acts = NULL;
	int cur = 0;
	size_t i;
	char *out;

	if (m->tl_yearsz > 0) {
		for (i = 0; i < m->tl_yearsz; i++) {
			y = tval_map();
			tval_set_str(y, "year", m->tl_years[i].year);
			out = changes_page_out("timeline", m->tl_years[i].year,
			    1);
			tval_set(y, "url", tval_str_own(site_url_for(m->s,
			    out)));
			free(out);
			tval_set_num(y, "count", (double)m->tl_years[i].count);
			tval_set_num(y, "pages", (double)m->tl_years[i].pages);
			tval_push(years, y);
		}
		return years;
	}

	for (i = 0; i < m->entriesz; i++) {
		if (y == NULL || m->entries[i].act->date.y != cur) {
			cur = m->entries[i].act->date.y;
			y = tval_map();
			tval_set(y, "year", tval_str_own(xasprintf("%04d", cur)));
			acts = tval_list();
			tval_set(y, "actions", acts);
			tval_push(years, y);
		}
		tval_push(acts, tval_ref(m->entries[i].tv));
	}
	return years;
}

#define YEARS_NEAR	3	/* years listed on either side of the current */

/*
 * A list of years ({year, url, ...}) for a page of one year's list: the
 * same, each with `current`, true for that year's, but only the first
 * and last years and those near it, with {gap: true} where years are
 * left out, so that a page's size does not grow with the years.
 */
static struct tval *
years_current(struct tval *years, const char *year)
{
	struct tval *l = tval_list(), *y;
	size_t i, n = tval_len(years), cur = 0;

	for (i = 0; i < n; i++)
		if (strcmp(tval_get_str(tval_at(years, i), "year"), year) == 0)
			cur = i;
	for (i = 0; i < n; i++) {
		if (i != 0 && i + 1 != n && (i + YEARS_NEAR < cur ||
		    i > cur + YEARS_NEAR)) {
			if (i == 1 || i == cur + YEARS_NEAR + 1) {
				y = tval_map();
				tval_set_bool(y, "gap", true);
				tval_push(l, y);
			}
			continue;
		}
		y = tval_map_over(tval_ref(tval_at(years, i)));
		tval_set_bool(y, "current", i == cur);
		tval_set_bool(y, "gap", false);
		tval_push(l, y);
	}
	return l;
}

/* The change lists and tombstones, for jobs_run(). */
struct history_job {
	struct model		 *m;
	struct changes_year	 *years;
	size_t			  yearsz;
	struct history_page {
		size_t		  year;		/* index in years */
		size_t		  page;		/* from 1 */
	}			 *pages;	/* of every year's list */
	size_t			  pagesz;
	const struct hist_file	**tomb;
	size_t			  tombsz;
};

/* Page hp of a year's change list. */
static int
history_page(struct history_job *hj, const struct history_page *hp)
{
	struct model *m = hj->m;
	const struct changes_year *y = &hj->years[hp->year];
	const char *names[6] = { "entries", "years", "has_entries", "year",
		"pager", "section_title" };
	struct tval *keys[6];
	char *out, *title, *part;
	size_t skip;
	int rc;

	part = strcmp(m->changes_title, intro_title(m->s,
	    "changes/index.html")) == 0 ? xasprintf("Changes in %s", y->year) :
	    xasprintf("%s: %s", m->changes_title, y->year);
	if (y->pages > 1 && hp->page > 1)
		title = xasprintf("%s, page %zu of %zu", part, hp->page,
		    y->pages);
	else
		title = xstrdup(part);
	free(part);
	out = changes_page_out("changes", y->year, hp->page);
	struct view vw = { out, "changes", "changes", title, NULL, NULL,
		NULL, NULL, NULL, false };
	skip = (hp->page - 1) * CHANGES_PAGE_MAX;
	keys[0] = changes_entries_tv(m->s, y->first + skip,
	    y->count - skip < CHANGES_PAGE_MAX ? y->count - skip :
	    CHANGES_PAGE_MAX);
	keys[1] = years_current(m->years, y->year);
	keys[2] = tval_bool(true);
	keys[3] = tval_str(y->year);
	keys[4] = changes_pager_tv(m->s, "changes", y->year, hp->page,
	    y->pages, y->count);
	keys[5] = tval_str(m->changes_title);
	rc = render(m, &vw, keys, names, 6);
	free(out);
	free(title);
	return rc;
}

/*
 * Items from 0 to the number of pages of the years' lists less one are
 * those pages, the rest the pages of removed records.
 */
static int
history_item(void *arg, size_t i, struct buf *unused)
{
	struct history_job *hj = arg;
	struct model *m = hj->m;
	struct tval *keys[1];
	const char *names[1] = { "vendor" };
	const struct hist_file *f;
	char *out;
	int rc;

	(void)unused;
	if (i < hj->pagesz)
		return history_page(hj, &hj->pages[i]);
	f = hj->tomb[i - hj->pagesz];
	out = xasprintf("vendors/%s/index.html", f->vendor);
	keys[0] = changes_tombstone_tv(m->s, f);
	struct view vw = { out, "tombstone", "vendor",
		tval_get_str(keys[0], "name"), NULL, NULL, NULL, NULL, f->path,
		false };
	rc = render(m, &vw, keys, names, 1);
	free(out);
	return rc;
}

/*
 * The change lists of each year and the pages of removed records, as a
 * part for jobs_run_parts().
 */
static void
history_part(struct model *m, struct history_job *hj, struct jobs_part *part)
{
	size_t i, p;

	hj->m = m;
	hj->yearsz = changes_years(m->s, &hj->years);
	hj->pages = NULL;
	hj->pagesz = 0;
	for (i = 0; i < hj->yearsz; i++)
		for (p = 1; p <= hj->years[i].pages; p++) {
			hj->pages = xreallocarray(hj->pages, hj->pagesz + 1,
			    sizeof(*hj->pages));
			hj->pages[hj->pagesz++] = (struct history_page){ i, p };
		}
	hj->tombsz = changes_tombstones(m->s, &hj->tomb);
	*part = (struct jobs_part){ history_item, hj,
		hj->pagesz + hj->tombsz, NULL, 0, 0 };
}

/* The pages of the timeline's lists by year, for jobs_run(). */
struct timeline_job {
	struct model	*m;
	struct timeline_page {
		size_t	 year;		/* in m->tl_years */
		size_t	 page;		/* from 1 */
	}		*pages;
	size_t		 pagesz;
};

/* Page i of the timeline's lists by year. */
static int
timeline_item(void *arg, size_t i, struct buf *unused)
{
	struct timeline_job *tj = arg;
	struct model *m = tj->m;
	const struct changes_year *y = &m->tl_years[tj->pages[i].year];
	size_t page = tj->pages[i].page, skip, n, k;
	const char *names[7] = { "years", "split", "year", "actions",
		"pager", "section_title", "has_actions" };
	struct tval *keys[7], *acts;
	char *out, *title;
	int rc;

	(void)unused;
	if (y->pages > 1 && page > 1)
		title = xasprintf("%s: %s, page %zu of %zu", m->tl_title,
		    y->year, page, y->pages);
	else
		title = xasprintf("%s: %s", m->tl_title, y->year);
	out = changes_page_out("timeline", y->year, page);
	struct view vw = { out, "timeline", "timeline", title, NULL, NULL,
		NULL, NULL, NULL, false };
	skip = (page - 1) * CHANGES_PAGE_MAX;
	n = y->count - skip < CHANGES_PAGE_MAX ? y->count - skip :
	    CHANGES_PAGE_MAX;
	acts = tval_list();
	for (k = 0; k < n; k++)
		tval_push(acts, tval_ref(m->entries[y->first + skip + k].tv));
	keys[0] = years_current(m->tl_years_tv, y->year);
	keys[1] = tval_bool(true);
	keys[2] = tval_str(y->year);
	keys[3] = acts;
	keys[4] = changes_pager_tv(m->s, "timeline", y->year, page, y->pages,
	    y->count);
	keys[5] = tval_str(m->tl_title);
	keys[6] = tval_bool(n > 0);
	rc = render(m, &vw, keys, names, 7);
	free(out);
	free(title);
	return rc;
}

/* The pages of the timeline's lists by year, as a part for jobs_run_parts(). */
static void
timeline_part(struct model *m, struct timeline_job *tj, struct jobs_part *part)
{
	size_t i, p;

	tj->m = m;
	tj->pages = NULL;
	tj->pagesz = 0;
	for (i = 0; i < m->tl_yearsz; i++)
		for (p = 1; p <= m->tl_years[i].pages; p++) {
			tj->pages = xreallocarray(tj->pages, tj->pagesz + 1,
			    sizeof(*tj->pages));
			tj->pages[tj->pagesz++] = (struct timeline_page){ i, p };
		}
	*part = (struct jobs_part){ timeline_item, tj, tj->pagesz, NULL, 0,
		0 };
}

/* The facet pages, for jobs_run(): item i is items[i]. */
struct facet_job {
	struct model	*m;
	struct facets	 fc;
	struct tval	*facet[FACET__MAX];	/* the kind, for templates */
	struct tval	*terms[FACET__MAX];	/* its terms, as values */
	struct facet_item {
		enum facet_kind	 k;
		size_t		 term;	/* NONE: the kind's own page */
	}		*items;
	size_t		 itemsz;
	/*
	 * Term t's vendors (status, country: records) or actions (authority,
	 * type: entries) are in[k][first[k][t] .. first[k][t + 1]).
	 */
	size_t		*first[FACET__MAX];
	size_t		*in[FACET__MAX];
};

#define NONE	((size_t)-1)

/* Sorts the records or action entries by term of kind k, for fj->in[k]. */
static void
facet_members(struct facet_job *fj, enum facet_kind k)
{
	struct model *m = fj->m;
	bool vendors = k == FACET_STATUS || k == FACET_COUNTRY;
	size_t n = vendors ? m->s->recordsz : m->entriesz, i, t;
	size_t nt = fj->fc.termsz[k], *term, *first;
	char *key;

	term = xreallocarray(NULL, n + 1, sizeof(*term));
	first = fj->first[k] = xcalloc(nt + 2, sizeof(*first));
	fj->in[k] = xreallocarray(NULL, n + 1, sizeof(*fj->in[k]));
	for (i = 0; i < n; i++) {
		key = vendors ? facet_vendor_key(k, m->s->records[i]) :
		    facet_action_key(m->s->authorities, k, m->entries[i].act);
		if ((term[i] = facets_find(&fj->fc, k, key)) != NONE)
			first[term[i] + 2]++;
		free(key);
	}
	for (t = 2; t < nt + 2; t++)
		first[t] += first[t - 1];
	for (i = 0; i < n; i++)
		if (term[i] != NONE)
			fj->in[k][first[term[i] + 1]++] = i;
	free(term);
}

/*
 * The page of a kind (status/), listing its terms, with the lists of the
 * four kinds (site.browse), this one marked current.
 */
static int
facet_kind_page(struct facet_job *fj, enum facet_kind k)
{
	const char *names[4] = { "facet", "terms", "has_terms", "browse" };
	struct tval *keys[4], *it;
	char *out = facet_out(k, NULL);
	struct view vw = { out, "facets", "facets", facet_kind_plural(k),
		NULL, NULL, NULL, NULL, NULL, false };
	enum facet_kind b;
	int rc;

	keys[0] = tval_ref(fj->facet[k]);
	keys[1] = tval_ref(fj->terms[k]);
	keys[2] = tval_bool(fj->fc.termsz[k] > 0);
	keys[3] = tval_list();
	for (b = 0; b < FACET__MAX; b++) {
		it = tval_map();
		tval_set_str(it, "title", facet_kind_label(b));
		tval_set(it, "url", facet_url_tv(fj->m, b, NULL));
		tval_set_bool(it, "current", b == k);
		tval_push(keys[3], it);
	}
	rc = render(fj->m, &vw, keys, names, 4);
	free(out);
	return rc;
}

/* The page of a term: its vendors (status/banned/) or actions (type/law/). */
static int
facet_term_page(struct facet_job *fj, enum facet_kind k, size_t ti)
{
	struct model *m = fj->m;
	const struct facet_term *t = &fj->fc.terms[k][ti];
	const char *names[6] = { "facet", "terms", "vendors", "actions",
		"has_vendors", "has_actions" };
	struct tval *keys[6], *it;
	char *out, *title;
	size_t j;
	int rc;

	it = tval_map();
	tval_set_str(it, "kind", facet_kind_key(k));
	tval_set_str(it, "kind_label", facet_kind_label(k));
	tval_set_str(it, "kind_plural", facet_kind_plural(k));
	tval_set(it, "kind_url", facet_url_tv(m, k, NULL));
	/* The column every vendor of the page has the same value in. */
	tval_set_bool(it, "is_status", k == FACET_STATUS);
	tval_set_bool(it, "is_country", k == FACET_COUNTRY);
	tval_set_str(it, "key", t->key);
	tval_set_str(it, "label", t->label);
	tval_set(it, "url", facet_url_tv(m, k, t->key));
	keys[0] = it;
	keys[1] = tval_ref(fj->terms[k]);
	keys[2] = tval_list();
	keys[3] = tval_list();
	for (j = fj->first[k][ti]; j < fj->first[k][ti + 1]; j++)
		if (k == FACET_STATUS || k == FACET_COUNTRY)
			tval_push(keys[2], tval_ref(m->vendor_tv[fj->in[k][j]]));
		else
			tval_push(keys[3], tval_ref(m->entries[fj->in[k][j]].tv));
	keys[4] = tval_bool(tval_len(keys[2]) > 0);
	keys[5] = tval_bool(tval_len(keys[3]) > 0);
	out = facet_out(k, t->key);
	title = xasprintf("%s: %s", facet_kind_label(k), t->label);
	struct view vw = { out, "facet", "facet", title, NULL, NULL, NULL,
		NULL, NULL, false };
	rc = render(m, &vw, keys, names, 6);
	free(title);
	free(out);
	return rc;
}

static int
facet_item(void *arg, size_t i, struct buf *unused)
{
	struct facet_job *fj = arg;
	const struct facet_item *it = &fj->items[i];

	(void)unused;
	if (it->term == NONE)
		return facet_kind_page(fj, it->k);
	return facet_term_page(fj, it->k, it->term);
}

/*
 * The facet pages, as a part for jobs_run_parts(): for each kind the list
 * of its terms (status/), and for each term its vendors (status/banned/,
 * country/ru/) or its actions (authority/dhs/, type/directive/).
 */
static void
facets_part(struct model *m, struct facet_job *fjp, struct jobs_part *part)
{
	struct facet_job fj;
	const struct facet_term *t;
	struct tval *it;
	enum facet_kind k;
	size_t i, n = 0;

	memset(&fj, 0, sizeof(fj));
	fj.m = m;
	facets_collect(&fj.fc, m->s->authorities, m->s->records,
	    m->s->recordsz);
	for (k = 0; k < FACET__MAX; k++)
		facet_members(&fj, k);
	for (k = 0; k < FACET__MAX; k++)
		n += 1 + fj.fc.termsz[k];
	fj.items = xreallocarray(NULL, n, sizeof(*fj.items));
	for (k = 0; k < FACET__MAX; k++) {
		fj.facet[k] = tval_map();
		tval_set_str(fj.facet[k], "kind", facet_kind_key(k));
		tval_set_str(fj.facet[k], "kind_label", facet_kind_label(k));
		tval_set_str(fj.facet[k], "kind_plural", facet_kind_plural(k));
		tval_set(fj.facet[k], "kind_url", facet_url_tv(m, k, NULL));
		fj.terms[k] = tval_list();
		fj.items[fj.itemsz++] = (struct facet_item){ k, NONE };
		for (i = 0; i < fj.fc.termsz[k]; i++) {
			t = &fj.fc.terms[k][i];
			it = tval_map();
			tval_set_str(it, "key", t->key);
			tval_set_str(it, "label", t->label);
			tval_set(it, "url", facet_url_tv(m, k, t->key));
			tval_set_num(it, "vendors", (double)t->vendors);
			tval_set(it, "vendors_text", tval_str_own(xasprintf(
			    "%zu vendor%s", t->vendors, t->vendors == 1 ? "" : "s")));
			if (k == FACET_AUTHORITY || k == FACET_TYPE) {
				tval_set_num(it, "actions", (double)t->actions);
				tval_set(it, "actions_text", tval_str_own(xasprintf(
				    "%zu action%s", t->actions,
				    t->actions == 1 ? "" : "s")));
			} else {
				tval_set_bool(it, "actions", false);
				tval_set_bool(it, "actions_text", false);
			}
			tval_push(fj.terms[k], it);
			fj.items[fj.itemsz++] = (struct facet_item){ k, i };
		}
	}
	*fjp = fj;
	*part = (struct jobs_part){ facet_item, fjp, fj.itemsz, NULL, 0, 0 };
}

static void
facets_part_release(struct facet_job *fj)
{
	enum facet_kind k;

	for (k = 0; k < FACET__MAX; k++) {
		tval_free(fj->terms[k]);
		tval_free(fj->facet[k]);
		free(fj->first[k]);
		free(fj->in[k]);
	}
	free(fj->items);
	facets_release(&fj->fc);
}

/* The page of record i. */
static int
vendor_item(void *arg, size_t i, struct buf *search)
{
	struct model *m = arg;
	const struct record *r = m->s->records[i];
	char *out = xasprintf("vendors/%s/index.html", r->id);
	const char *summary = tval_get_str(m->vendor_tv[i], "summary");
	char *about = exports_html_description(summary, true);
	struct view vw = { out, "vendor", "vendor", r->name, about, NULL,
		NULL, NULL, r->path, false };
	struct tval *keys[1] = { tval_ref(m->vendor_tv[i]) };
	const char *names[1] = { "vendor" };
	const char **desc = xreallocarray(NULL, r->actionsz + 1,
	    sizeof(*desc));
	size_t k;
	int rc;

	/*
	 * Its items in the search index, which the build puts together, with
	 * the text of its markdown as its page shows it.
	 */
	for (k = 0; k < r->actionsz; k++)
		desc[k] = tval_get_str(m->vendor_acts[i][k], "description");
	exports_vendor_search(search, m->s, r, summary, desc);
	free(desc);
	rc = render(m, &vw, keys, names, 1);
	free(about);
	free(out);
	return rc;
}

/* The pages a build makes itself: every site_is_intro() page, and 404.html. */
enum generated {
	GEN_HOME, GEN_VENDORS, GEN_TIMELINE, GEN_CHANGES, GEN_404
};
static const char *const generated[] = {
	[GEN_HOME] = "index.html", [GEN_VENDORS] = "vendors/index.html",
	[GEN_TIMELINE] = "timeline/index.html",
	[GEN_CHANGES] = "changes/index.html", [GEN_404] = "404.html"
};

/* Generated page g, with its introduction's HTML or NULL. */
static int
generated_page(struct model *m, enum generated g, const char *content)
{
	const char *out = generated[g];
	struct site *s = m->s;
	struct tval *keys[4], *recent;
	const char *names[4];
	char *root;
	const char *b;
	size_t i;
	int rc;

	switch (g) {
	case GEN_HOME:
		recent = tval_list();
		for (i = m->entriesz; i > 0 && m->entriesz - i < 10; i--)
			tval_push(recent, tval_ref(m->entries[i - 1].tv));
		keys[0] = tval_ref(m->vendors), names[0] = "vendors";
		keys[1] = tval_bool(s->recordsz > 0), names[1] = "has_vendors";
		keys[2] = tval_bool(m->entriesz > 0),
		    names[2] = "has_recent_actions";
		keys[3] = recent, names[3] = "recent_actions";
		return render_generated(m, out, content, "home", "home",
		    intro_title(s, out), keys, names, 4);
	case GEN_VENDORS:
		keys[0] = tval_ref(m->vendors), names[0] = "vendors";
		keys[1] = tval_bool(s->recordsz > 0), names[1] = "has_vendors";
		return render_generated(m, out, content, "vendors", "vendors",
		    intro_title(s, out), keys, names, 2);
	case GEN_TIMELINE:
		keys[0] = tval_ref(m->tl_years_tv), names[0] = "years";
		keys[1] = tval_bool(m->entriesz > 0), names[1] = "has_actions";
		keys[2] = tval_bool(m->tl_yearsz > 0), names[2] = "split";
		return render_generated(m, out, content, "timeline",
		    "timeline", intro_title(s, out), keys, names, 3);
	case GEN_CHANGES:
		/* changes/, with the latest changes. */
		keys[0] = changes_entries_tv(s, 0, CHANGES_FEED_MAX),
		    names[0] = "entries";
		keys[1] = tval_ref(m->years), names[1] = "years";
		keys[2] = tval_bool(tval_len(keys[0]) > 0),
		    names[2] = "has_entries";
		keys[3] = tval_bool(false), names[3] = "year";
		return render_generated(m, out, content, "changes", "changes",
		    intro_title(s, out), keys, names, 4);
	case GEN_404:
		break;
	}
	/* 404.html is served at any depth: its links start from the root. */
	if ((b = s->cfg.base_url) != NULL && (b = strstr(b, "://")) != NULL &&
	    (b = strchr(b + 3, '/')) != NULL)
		root = xstrdup(b);
	else
		root = xstrdup("/");
	struct view vw = { "404.html", "404", "404", "Page not found",
		NULL, NULL, NULL, root, NULL, false };
	rc = render(m, &vw, NULL, NULL, 0);
	free(root);
	return rc;
}

/*
 * Generated page i, with the markdown page that introduces it rendered
 * again, quietly: page_item() has reported what it had to say.
 */
static int
generated_item(void *arg, size_t i, struct buf *unused)
{
	struct model *m = arg;
	struct site *s = m->s;
	const struct page *pg = site_is_intro(generated[i]) ?
	    find_page(s, generated[i]) : NULL;
	struct buf html = BUF_INIT;
	int rc;

	(void)unused;
	if (pg == NULL)
		return generated_page(m, (enum generated)i, NULL);
	if (pg->layout != NULL && check_layout(m, pg, pg->layout) == -1)
		return -1;
	/* Its errors reported by page_item(); made all the same for check. */
	rc = page_html(m, pg, true, &html);
	if (generated_page(m, (enum generated)i, html.ptr) == -1)
		rc = -1;
	buf_release(&html);
	return rc;
}

/*
 * The items above, noting the errors each reported as its output's
 * alone (site_failed()), for docket check to go on after them.
 */
static int
page_item_noted(void *arg, size_t i, struct buf *search)
{
	struct model *m = arg;
	unsigned errors = m->s->dg->errors;
	int rc = page_item(arg, i, search);

	site_failed(m->s, m->s->pages[i].out, m->s->dg->errors - errors);
	return rc;
}

static int
vendor_item_noted(void *arg, size_t i, struct buf *search)
{
	struct model *m = arg;
	unsigned errors = m->s->dg->errors;
	int rc = vendor_item(arg, i, search);
	char *out;

	if (m->s->dg->errors != errors) {
		out = xasprintf("vendors/%s/index.html", m->s->records[i]->id);
		site_failed(m->s, out, m->s->dg->errors - errors);
		free(out);
	}
	return rc;
}

static int
generated_item_noted(void *arg, size_t i, struct buf *unused)
{
	struct model *m = arg;
	unsigned errors = m->s->dg->errors;
	int rc = generated_item(arg, i, unused);

	site_failed(m->s, generated[i], m->s->dg->errors - errors);
	return rc;
}

/* The parts of the work of -j, in the order they are reported. */
enum {
	PART_PAGES, PART_VENDORS, PART_HISTORY, PART_FACETS, PART_TIMELINE,
	PART_FEEDS, PART_GENERATED, PART_CHANGES, PART_EXPORTS, PARTS
};

int
model_render(struct site *s)
{
	struct model m;
	struct history_job hj;
	struct facet_job fj;
	struct timeline_job tj;
	struct jobs_part parts[PARTS];
	struct buf *search, *vsearch;
	size_t i, j;
	bool records_ok;
	int rc = 0;

	memset(&m, 0, sizeof(m));
	m.s = s;
	changes_prepare(s);
	m.docket = tval_map();
	tval_set_str(m.docket, "version", DOCKET_VERSION);
	m.vendors = tval_list();
	m.vendor_tv = xcalloc(s->recordsz + 1, sizeof(*m.vendor_tv));
	m.vendor_acts = xcalloc(s->recordsz + 1, sizeof(*m.vendor_acts));
	if (vendors_tv(&m) == -1)
		rc = -1;
	for (i = 0; i < s->recordsz; i++)
		tval_push(m.vendors, tval_ref(m.vendor_tv[i]));
	if (m.entriesz > 1)
		qsort(m.entries, m.entriesz, sizeof(*m.entries), entry_cmp);
	m.actions = tval_list();
	for (i = 0; i < m.entriesz; i++)
		tval_push(m.actions, tval_ref(m.entries[i].tv));
	m.env = (struct dir_env){ s, m.vendors, m.actions, true };
	m.site = site_tv(&m);
	m.site_plain = site_ctx(&m, NULL, NULL);
	m.years = changes_years_tv(s);
	m.tl_yearsz = changes_timeline_years(s, &m.tl_years);
	m.tl_years_tv = years_tv(&m);
	/* Nor after errors in the content: only the pages, for theirs. */
	records_ok = rc == 0 && s->dg->errors == 0;
	nav_urls(&m);
	/* Only when they have pages of years, which name them. */
	m.tl_title = m.tl_yearsz > 0 ? section_title(&m, "timeline/index.html") :
	    xstrdup(intro_title(s, "timeline/index.html"));
	m.changes_title = tval_len(m.years) > 0 ?
	    section_title(&m, "changes/index.html") :
	    xstrdup(intro_title(s, "changes/index.html"));

	/*
	 * Every file of the site, in parallel with -j: markdown pages,
	 * vendor pages, change lists, tombstones, facet pages, vendors'
	 * feeds, the generated pages, the change data and feed, and the
	 * exports; then the search index, from the items the pages gave.
	 * After an error in a record, only the markdown pages, for their
	 * errors; but docket check makes all it can, after errors in pages
	 * and records too, for their links.
	 */
	prepare_templates(&m);
	held_pages(&m);
	held_records(&m);
	search = xreallocarray(NULL, s->pagesz + 1, sizeof(*search));
	for (i = 0; i < s->pagesz; i++)
		buf_init(&search[i]);
	vsearch = xreallocarray(NULL, s->recordsz + 1, sizeof(*vsearch));
	for (i = 0; i < s->recordsz; i++)
		buf_init(&vsearch[i]);
	parts[PART_PAGES] = (struct jobs_part){ page_item_noted, &m, s->pagesz,
		search, 0, 0 };
	parts[PART_VENDORS] = (struct jobs_part){ vendor_item_noted, &m,
		s->recordsz, vsearch, 0, 0 };
	history_part(&m, &hj, &parts[PART_HISTORY]);
	facets_part(&m, &fj, &parts[PART_FACETS]);
	timeline_part(&m, &tj, &parts[PART_TIMELINE]);
	changes_feeds(s, &parts[PART_FEEDS]);
	/* The generated pages count once the pages have; the rest, once all. */
	parts[PART_GENERATED] = (struct jobs_part){ generated_item_noted, &m,
		NELEM(generated), NULL, 0, 1u << PART_PAGES };
	changes_part(s, &parts[PART_CHANGES]);
	parts[PART_CHANGES].needs = (1u << PART_CHANGES) - 1;
	exports_part(s, &parts[PART_EXPORTS]);
	parts[PART_EXPORTS].needs = (1u << PART_CHANGES) - 1;
	if (s->opts->checking)
		for (i = 0; i < PARTS; i++)
			parts[i].needs = 0;
	if (jobs_run_parts(s, parts, records_ok || s->opts->checking ? PARTS :
	    1) == -1)
		rc = -1;
	if ((rc == 0 || s->opts->checking) && sig_caught() == 0 &&
	    exports_search(s, &fj.fc, vsearch, search) == -1)
		rc = -1;
	for (i = 0; i < s->pagesz; i++)
		buf_release(&search[i]);
	free(search);
	for (i = 0; i < s->recordsz; i++)
		buf_release(&vsearch[i]);
	free(vsearch);

	if (site_keep_at_exit(s)) {
		struct {
			struct model		m;
			struct history_job	hj;
			struct facet_job	fj;
			struct timeline_job	tj;
			struct jobs_part	feeds;
		} *kept = xmalloc(sizeof(*kept));
		kept->m = m, kept->hj = hj, kept->fj = fj, kept->tj = tj,
		    kept->feeds = parts[PART_FEEDS];
		keep_at_exit(kept);
		return rc;
	}
	free(m.tl_title);
	free(m.changes_title);
	tval_free(m.years);
	tval_free(m.tl_years_tv);
	free(m.tl_years);
	free(tj.pages);
	free(hj.years);
	free(hj.pages);
	free(hj.tomb);
	facets_part_release(&fj);
	changes_feeds_release(&parts[PART_FEEDS]);
	for (i = 0; i < m.entriesz; i++)
		tval_free(m.entries[i].tv);
	free(m.entries);
	for (i = 0; i < s->recordsz; i++) {
		tval_free(m.vendor_tv[i]);
		for (j = 0; j < s->records[i]->actionsz; j++)
			tval_free(m.vendor_acts[i][j]);
		free(m.vendor_acts[i]);
	}
	free(m.vendor_tv);
	free(m.vendor_acts);
	tval_free(m.vendors);
	tval_free(m.actions);
	tval_free(m.site);
	tval_free(m.site_plain);
	for (i = 0; i < m.nav_urlsz; i++) {
		free(m.nav_urls[i]);
		tval_free(m.nav_inside[i]);
	}
	free(m.nav_urls);
	free(m.nav_inside);
	tval_free(m.docket);
	return rc;
}
