/*
 * docket check: build into a temporary folder, warnings reported as errors
 * (as --strict does, but without stopping the build), then follow every
 * internal link of every HTML page of the output (a, area and link href,
 * img, script, source, iframe, audio and video src) to a file of the
 * output and, with a fragment, to an element with that id. The pages are
 * read on threads; links are followed against the list of the output's
 * files, made once, rather than by a stat() per link.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "check.h"
#include "config.h"
#include "diag.h"
#include "links.h"
#include "sig.h"
#include "site.h"
#include "util.h"

/*
 * A link written in markdown, as the build reported it; or one of nav in
 * docket.yml, which the menu of every page shows.
 */
struct mdlink {
	char		*src;		/* "content/a.md", "content/vendors/x.xml" */
	char		*out;		/* the page it is rendered on; nav: "" */
	char		*url;		/* percent-decoded; nav: from the root, as written */
	char		*written;	/* as in the source, for messages */
	unsigned	 line, col;
	bool		 nav;
};

/* One link of the output, by page. */
struct link {
	char		*page;		/* the page it is on */
	char		*href;		/* as written, entities decoded */
};

/* An HTML file of the output and the ids in it. */
struct page_ids {
	char		*out;		/* path below the output root */
	char		**ids;		/* sorted */
	size_t		 idsz;
	struct link	*links;		/* while it is read, then in checker */
	size_t		 linksz;
	bool		 unread;	/* it could not be parsed */
};

/* A broken link, ready to be reported. */
struct problem {
	const struct mdlink *md;	/* NULL: made by a template */
	char		*page;		/* the (first) page it is on */
	char		*href;
	char		*why;
	char		*key;		/* what makes two reports the same */
	unsigned	 more;		/* other pages with the same broken link */
};

struct checker {
	struct diag	*dg;
	char		*root;		/* the output folder */
	char		*base_path;	/* the path of base_url: "/" or "/sub/" */
	struct mdlink	*md;
	size_t		 mdsz;
	struct mdlink	*nav;
	size_t		 navsz;
	struct page_ids	*pages;
	size_t		 pagesz;
	struct link	*links;
	size_t		 linksz;
	/* Every file and folder of the output, sorted. */
	char		**files;
	size_t		 filesz;
	char		**dirs;
	size_t		 dirsz;
	size_t		 next;		/* the next page a reader takes */
	unsigned	 jobs;		/* readers at most */
	pthread_mutex_t	 mu;
	struct problem	*probs;
	size_t		 probsz;
	size_t		*probix;	/* hash table of keys: probs[] + 1 */
	size_t		 probcap;
	/* The markdown links by url, then out, then order; and by url, order. */
	const struct mdlink **md_by_out;
	const struct mdlink **md_by_url;
	size_t		 checked;	/* internal links followed */
	/* Outputs with errors of their own: see site_failed(). */
	char		**failed;
	size_t		 failedsz;
	char		*aliases_unknown;	/* see site_no_page() */
	struct copy	*drafts;	/* pages left out as drafts */
	size_t		 draftsz;
};

/* The output page of a markdown source: content/a/b.md is a/b/index.html. */
static char *
source_out(const char *src)
{
	const char *rel;
	size_t n;

	if (!str_startswith(src, "content/"))
		return xstrdup("");
	rel = src + 8;
	n = strlen(rel);
	if (str_startswith(rel, "vendors/") && str_endswith(rel, ".xml") &&
	    strchr(rel + 8, '/') == NULL)
		return xasprintf("vendors/%.*s/index.html", (int)(n - 12),
		    rel + 8);
	if (strcmp(rel, "index.md") == 0)
		return xstrdup("index.html");
	if (str_endswith(rel, "/index.md"))
		return xasprintf("%.*s/index.html", (int)(n - 9), rel);
	if (str_endswith(rel, ".md"))
		return xasprintf("%.*s/index.html", (int)(n - 3), rel);
	return xstrdup("");
}

/*
 * The build's link hook: keeps every markdown link with its position,
 * and those of nav in docket.yml apart.
 */
static void
on_link(void *arg, const char *url, const char *written,
    const struct pos *p)
{
	struct checker *c = arg;
	struct mdlink *m;
	bool nav = strcmp(p->path, "docket.yml") == 0;

	if (nav) {
		c->nav = xreallocarray(c->nav, c->navsz + 1, sizeof(*c->nav));
		m = &c->nav[c->navsz++];
	} else {
		c->md = xreallocarray(c->md, c->mdsz + 1, sizeof(*c->md));
		m = &c->md[c->mdsz++];
	}
	m->src = xstrdup(p->path);
	m->out = source_out(p->path);
	m->url = nav ? xstrdup(url) : links_decode(url, strlen(url));
	m->written = xstrdup(written);
	m->line = p->line;
	m->col = p->col;
	m->nav = nav;
}

/* The build's hook: an output that had errors of its own. */
static void
on_failed(void *arg, const char *out)
{
	struct checker *c = arg;

	c->failed = xreallocarray(c->failed, c->failedsz + 1,
	    sizeof(*c->failed));
	c->failed[c->failedsz++] = xstrdup(out);
}

/* And a page left out as a draft, which links to it are told of. */
static void
on_draft(void *arg, const char *src, const char *out)
{
	struct checker *c = arg;

	c->drafts = xreallocarray(c->drafts, c->draftsz + 1,
	    sizeof(*c->drafts));
	c->drafts[c->draftsz++] = (struct copy){ xstrdup(src), xstrdup(out) };
}

/* And a page whose front matter could not be read. */
static void
on_aliases_unknown(void *arg, const char *src)
{
	struct checker *c = arg;

	free(c->aliases_unknown);
	c->aliases_unknown = xstrdup(src);
}

static void
add_id(struct page_ids *pi, const xmlChar *id)
{
	pi->ids = xreallocarray(pi->ids, pi->idsz + 1, sizeof(char *));
	pi->ids[pi->idsz++] = xstrdup((const char *)id);
}

static void
add_link(struct page_ids *pi, const xmlChar *href)
{
	pi->links = xreallocarray(pi->links, pi->linksz + 1,
	    sizeof(*pi->links));
	pi->links[pi->linksz].page = xstrdup(pi->out);
	pi->links[pi->linksz].href = xstrdup((const char *)href);
	pi->linksz++;
}

/* Collects the ids and links of one element tree, in document order. */
static void
walk_html(struct page_ids *pi, xmlNode *n)
{
	static const char *const src_elems[] = {
		"img", "script", "source", "iframe", "audio", "video", "track",
		"embed"
	};
	const char *name;
	xmlChar *v;
	size_t i;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		name = (const char *)n->name;
		if ((v = xmlGetProp(n, BAD_CAST "id")) != NULL) {
			add_id(pi, v);
			xmlFree(v);
		}
		if (strcmp(name, "a") == 0 &&
		    (v = xmlGetProp(n, BAD_CAST "name")) != NULL) {
			add_id(pi, v);
			xmlFree(v);
		}
		if ((strcmp(name, "a") == 0 || strcmp(name, "area") == 0 ||
		    strcmp(name, "link") == 0) &&
		    (v = xmlGetProp(n, BAD_CAST "href")) != NULL) {
			add_link(pi, v);
			xmlFree(v);
		}
		for (i = 0; i < NELEM(src_elems); i++)
			if (strcmp(name, src_elems[i]) == 0 &&
			    (v = xmlGetProp(n, BAD_CAST "src")) != NULL) {
				add_link(pi, v);
				xmlFree(v);
			}
		walk_html(pi, n->children);
	}
}

/* Takes the next page not yet read, or NULL. */
static struct page_ids *
next_page(struct checker *c)
{
	struct page_ids *pi = NULL;

	pthread_mutex_lock(&c->mu);
	if (c->next < c->pagesz)
		pi = &c->pages[c->next++];
	pthread_mutex_unlock(&c->mu);
	return pi;
}

/* A reader: parses pages until none is left. */
static void *
read_pages(void *arg)
{
	struct checker *c = arg;
	struct page_ids *pi;
	htmlDocPtr doc;
	char *full;

	while (sig_caught() == 0 && (pi = next_page(c)) != NULL) {
		full = path_join(c->root, pi->out);
		doc = htmlReadFile(full, "UTF-8", HTML_PARSE_NOERROR |
		    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		free(full);
		if (doc == NULL)
			pi->unread = true;
		else
			walk_html(pi, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
		if (pi->idsz > 1)
			qsort(pi->ids, pi->idsz, sizeof(char *), strp_cmp);
	}
	return NULL;
}

/*
 * Lists every file and folder below root/rel, and the .html files as
 * pages, in sorted order.
 */
static int
list_output(struct checker *c, const char *rel)
{
	char *dir = rel[0] == '\0' ? xstrdup(c->root) : path_join(c->root, rel);
	char **names = NULL, *sub, *full;
	size_t namesz = 0, i;
	DIR *d;
	struct dirent *de;
	struct stat st;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		rc = diag_error(c->dg, NULL, "cannot open '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, namesz + 1, sizeof(char *));
		names[namesz++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (namesz > 1)
		qsort(names, namesz, sizeof(char *), strp_cmp);
	for (i = 0; i < namesz; i++) {
		sub = rel[0] == '\0' ? xstrdup(names[i]) : path_join(rel, names[i]);
		full = path_join(dir, names[i]);
		if (lstat(full, &st) == -1) {
			/* Gone since it was listed: not in the output. */
			free(sub);
			free(full);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			c->dirs = xreallocarray(c->dirs, c->dirsz + 1,
			    sizeof(char *));
			c->dirs[c->dirsz++] = xstrdup(sub);
			if (list_output(c, sub) == -1)
				rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			c->files = xreallocarray(c->files, c->filesz + 1,
			    sizeof(char *));
			c->files[c->filesz++] = xstrdup(sub);
			if (str_endswith(sub, ".html")) {
				c->pages = xreallocarray(c->pages,
				    c->pagesz + 1, sizeof(*c->pages));
				memset(&c->pages[c->pagesz], 0,
				    sizeof(*c->pages));
				c->pages[c->pagesz++].out = xstrdup(sub);
			}
		}
		free(sub);
		free(full);
	}
	for (i = 0; i < namesz; i++)
		free(names[i]);
	free(names);
	free(dir);
	return rc;
}

#define READERS_MAX	8

/*
 * Reads every .html file of the output for its ids and links, on as many
 * threads as the build used processes (-j), and lists every file.
 */
static int
scan_output(struct checker *c)
{
	pthread_t th[READERS_MAX];
	size_t i, j, n, started = 0;
	int rc;

	if ((rc = list_output(c, "")) == -1)
		return -1;
	n = c->jobs < 1 ? 1 : c->jobs > READERS_MAX ? READERS_MAX : c->jobs;
	if (n > c->pagesz / 64 + 1)
		n = c->pagesz / 64 + 1;
	c->next = 0;
	xmlInitParser();	/* once, before the threads */
	pthread_mutex_init(&c->mu, NULL);
	for (i = 1; i < n; i++)
		if (pthread_create(&th[started], NULL, read_pages, c) == 0)
			started++;
	read_pages(c);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&c->mu);
	/* The links in page order, as one list. */
	for (i = 0; i < c->pagesz; i++) {
		struct page_ids *pi = &c->pages[i];

		if (pi->unread)
			rc = diag_error(c->dg, NULL,
			    "cannot read the built page '%s'", pi->out);
		c->links = xreallocarray(c->links, c->linksz + pi->linksz + 1,
		    sizeof(*c->links));
		for (j = 0; j < pi->linksz; j++)
			c->links[c->linksz++] = pi->links[j];
		free(pi->links);
		pi->links = NULL;
		pi->linksz = 0;
	}
	if (c->filesz > 1)
		qsort(c->files, c->filesz, sizeof(char *), strp_cmp);
	if (c->dirsz > 1)
		qsort(c->dirs, c->dirsz, sizeof(char *), strp_cmp);
	return rc;
}

/* Is path one of the sorted paths v? */
static bool
has_path(char *const *v, size_t n, const char *path)
{
	return n > 0 && bsearch(&path, v, n, sizeof(char *), strp_cmp) != NULL;
}

static int
page_ids_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page_ids *)a)->out,
	    ((const struct page_ids *)b)->out);
}

static const struct page_ids *
find_page(const struct checker *c, const char *out)
{
	struct page_ids key;

	memset(&key, 0, sizeof(key));
	key.out = (char *)(uintptr_t)out;
	return bsearch(&key, c->pages, c->pagesz, sizeof(*c->pages),
	    page_ids_cmp);
}

static bool
has_id(const struct page_ids *pi, const char *id)
{
	return bsearch(&id, pi->ids, pi->idsz, sizeof(char *), strp_cmp) != NULL;
}

/* The slot of key in c->probix: where it is, or the empty one for it. */
static size_t
problem_slot(const struct checker *c, const char *key)
{
	size_t h = str_hash(key) & (c->probcap - 1);

	while (c->probix[h] != 0 &&
	    strcmp(c->probs[c->probix[h] - 1].key, key) != 0)
		h = (h + 1) & (c->probcap - 1);
	return h;
}

static void
add_problem(struct checker *c, const struct link *l, const struct mdlink *md,
    char *why, char *key)
{
	struct problem *pr;
	size_t h, i;

	if (2 * (c->probsz + 1) > c->probcap) {
		free(c->probix);
		c->probcap = c->probcap == 0 ? 64 : 2 * c->probcap;
		c->probix = xcalloc(c->probcap, sizeof(*c->probix));
		for (i = 0; i < c->probsz; i++)
			c->probix[problem_slot(c, c->probs[i].key)] = i + 1;
	}
	h = problem_slot(c, key);
	if (c->probix[h] != 0) {
		pr = &c->probs[c->probix[h] - 1];
		if (md == NULL && strcmp(pr->page, l->page) != 0)
			pr->more++;
		free(why);
		free(key);
		return;
	}
	c->probs = xreallocarray(c->probs, c->probsz + 1, sizeof(*c->probs));
	pr = &c->probs[c->probsz++];
	pr->md = md;
	pr->page = xstrdup(l->page);
	pr->href = xstrdup(l->href);
	pr->why = why;
	pr->key = key;
	pr->more = 0;
	c->probix[h] = c->probsz;
}

/* By url, then (md_by_out) by page, then in the order they came. */
static int
md_out_cmp(const void *a, const void *b)
{
	const struct mdlink *x = *(const struct mdlink *const *)a;
	const struct mdlink *y = *(const struct mdlink *const *)b;
	int r;

	if ((r = strcmp(x->url, y->url)) != 0 || (r = strcmp(x->out, y->out)))
		return r;
	return x < y ? -1 : x > y;
}

static int
md_url_cmp(const void *a, const void *b)
{
	const struct mdlink *x = *(const struct mdlink *const *)a;
	const struct mdlink *y = *(const struct mdlink *const *)b;
	int r;

	if ((r = strcmp(x->url, y->url)) != 0)
		return r;
	return x < y ? -1 : x > y;
}

/* The first of the sorted links v that is not before url (and out). */
static size_t
md_lower(const struct checker *c, const struct mdlink *const *v,
    const char *url, const char *out)
{
	size_t lo = 0, hi = c->mdsz, mid;
	const struct mdlink *m;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = v[mid];
		if ((r = strcmp(m->url, url)) == 0 && out != NULL)
			r = strcmp(m->out, out);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The markdown link that made href on page, if any: one on that page first. */
static const struct mdlink *
find_md(struct checker *c, const char *page, const char *href)
{
	const struct mdlink *any = NULL, *m;
	char *u = links_decode(href, strlen(href));
	size_t i;

	if (c->md_by_out == NULL) {
		c->md_by_out = xreallocarray(NULL, c->mdsz + 1,
		    sizeof(*c->md_by_out));
		c->md_by_url = xreallocarray(NULL, c->mdsz + 1,
		    sizeof(*c->md_by_url));
		for (i = 0; i < c->mdsz; i++)
			c->md_by_out[i] = c->md_by_url[i] = &c->md[i];
		qsort(c->md_by_out, c->mdsz, sizeof(*c->md_by_out),
		    md_out_cmp);
		qsort(c->md_by_url, c->mdsz, sizeof(*c->md_by_url),
		    md_url_cmp);
	}
	if ((i = md_lower(c, c->md_by_out, u, page)) < c->mdsz) {
		m = c->md_by_out[i];
		if (strcmp(m->url, u) == 0 && strcmp(m->out, page) == 0)
			any = m;
	}
	if (any == NULL && (i = md_lower(c, c->md_by_url, u, NULL)) < c->mdsz &&
	    strcmp(c->md_by_url[i]->url, u) == 0)
		any = c->md_by_url[i];
	free(u);
	return any;
}

/*
 * The next item of nav, from *i on, that leads to target#frag, as a link
 * of the menu does, if any: docket check reports the link at its place
 * in docket.yml, as the build does. Several items may lead there.
 */
static const struct mdlink *
find_nav(const struct checker *c, const char *target, const char *frag,
    size_t *i)
{
	const struct mdlink *m;
	char *t, *f;
	bool same;

	for (; *i < c->navsz; (*i)++) {
		m = &c->nav[*i];
		if ((t = links_target(c->base_path, "index.html", m->url,
		    &f)) == NULL)
			continue;
		same = strcmp(t, target) == 0 &&
		    strcmp(f != NULL ? f : "", frag != NULL ? frag : "") == 0;
		free(t);
		free(f);
		if (same) {
			(*i)++;
			return m;
		}
	}
	return NULL;
}

/* Follows one link; records it as a problem when it leads nowhere. */
static void
check_link(struct checker *c, const struct link *l)
{
	const char *h = l->href;
	char *frag = NULL, *target = NULL, *why = NULL, *st;
	const struct page_ids *pi;
	const struct mdlink *md = NULL;
	bool looked = false;
	size_t ni = 0;

	if (links_external(h))
		return;
	c->checked++;
	if ((target = links_target(c->base_path, l->page, h, &frag)) == NULL) {
		why = xstrdup("it leads outside the site");
		goto out;
	}
	/* Its errors were told: that it is missing is no news. */
	if (site_failed_target(c->failed, c->failedsz, target))
		goto out;
	if (has_path(c->dirs, c->dirsz, target)) {
		/* A folder, without its slash. */
		char *t = xasprintf("%s/index.html", target);
		free(target);
		target = t;
	}
	if (!has_path(c->files, c->filesz, target)) {
		if (!site_failed_lists(c->failed, c->failedsz, target)) {
			md = find_md(c, l->page, h);
			looked = true;
			st = md != NULL ? site_link_srctarget(c->base_path,
			    md->src, md->written) : NULL;
			why = site_no_page(target, c->aliases_unknown,
			    c->drafts, c->draftsz, st);
			free(st);
		}
		goto out;
	}
	if (frag == NULL || frag[0] == '\0' || strcasecmp(frag, "top") == 0 ||
	    !str_endswith(target, ".html"))
		goto out;
	if (((pi = find_page(c, target)) == NULL || !has_id(pi, frag)) &&
	    !site_failed_lists(c->failed, c->failedsz, target))
		why = xasprintf("no element with id '%s' on '%s'", frag, target);
out:
	if (why != NULL && !looked)
		md = find_md(c, l->page, h);
	if (why != NULL && md == NULL && target != NULL &&
	    (md = find_nav(c, target, frag, &ni)) != NULL) {
		/* Each item of nav that leads there, at its place. */
		do
			add_problem(c, l, md, xstrdup(why), xasprintf(
			    "%s:%u:%u %s", md->src, md->line, md->col, md->url));
		while ((md = find_nav(c, target, frag, &ni)) != NULL);
		free(why);
	} else if (why != NULL)
		add_problem(c, l, md, why, md != NULL ?
		    xasprintf("%s:%u:%u %s", md->src, md->line, md->col, h) :
		    xasprintf("%s#%s", target != NULL ? target : h,
		    frag != NULL ? frag : ""));
	free(frag);
	free(target);
}

/* Markdown problems by file and position, then template ones by page. */
static int
problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	int r;

	if ((x->md == NULL) != (y->md == NULL))
		return x->md == NULL ? 1 : -1;
	if (x->md == NULL)
		return strcmp(x->page, y->page);
	if ((r = strcmp(x->md->src, y->md->src)) != 0)
		return r;
	if (x->md->line != y->md->line)
		return x->md->line < y->md->line ? -1 : 1;
	if (x->md->col != y->md->col)
		return x->md->col < y->md->col ? -1 : 1;
	return strcmp(x->href, y->href);
}

static void
report(struct checker *c)
{
	struct problem *pr;
	struct pos p;
	size_t i;

	if (c->probsz > 1)
		qsort(c->probs, c->probsz, sizeof(*c->probs), problem_cmp);
	for (i = 0; i < c->probsz; i++) {
		pr = &c->probs[i];
		if (pr->md != NULL) {
			p = (struct pos){ pr->md->src, pr->md->line, pr->md->col };
			if (pr->md->nav || strcmp(pr->md->out, pr->page) == 0)
				diag_error(c->dg, &p, "broken link '%s': %s",
				    pr->md->written, pr->why);
			else
				diag_error(c->dg, &p,
				    "broken link '%s' on '%s': %s",
				    pr->md->written, pr->page, pr->why);
		} else if (pr->more > 0)
			diag_error(c->dg, NULL, "broken link '%s' on '%s' and %u "
			    "other page%s, made by a template: %s", pr->href,
			    pr->page, pr->more, pr->more == 1 ? "" : "s", pr->why);
		else
			diag_error(c->dg, NULL, "broken link '%s' on '%s', made "
			    "by a template: %s", pr->href, pr->page, pr->why);
	}
}

/* The path part of the site's base_url, from docket.yml: "/" without one. */
static char *
base_path(const char *source)
{
	struct config cfg;
	struct diag quiet;
	struct buf data = BUF_INIT;
	char *yml = path_join(source, "docket.yml"), *res;

	diag_init(&quiet);
	quiet.quiet = true;
	memset(&cfg, 0, sizeof(cfg));
	if (file_read(&data, yml) == 0 &&
	    config_load(&cfg, &quiet, "docket.yml", data.ptr, data.len) == 0)
		res = links_base_path(cfg.base_url);
	else
		res = links_base_path(NULL);
	config_release(&cfg);
	buf_release(&data);
	free(yml);
	return res;
}

static void
mdlinks_free(struct mdlink *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].src);
		free(v[i].out);
		free(v[i].url);
		free(v[i].written);
	}
	free(v);
}

static void
checker_release(struct checker *c)
{
	size_t i, j;

	mdlinks_free(c->md, c->mdsz);
	mdlinks_free(c->nav, c->navsz);
	for (i = 0; i < c->pagesz; i++) {
		for (j = 0; j < c->pages[i].idsz; j++)
			free(c->pages[i].ids[j]);
		free(c->pages[i].ids);
		free(c->pages[i].out);
	}
	free(c->pages);
	for (i = 0; i < c->linksz; i++) {
		free(c->links[i].page);
		free(c->links[i].href);
	}
	free(c->links);
	for (i = 0; i < c->filesz; i++)
		free(c->files[i]);
	free(c->files);
	for (i = 0; i < c->dirsz; i++)
		free(c->dirs[i]);
	free(c->dirs);
	for (i = 0; i < c->probsz; i++) {
		free(c->probs[i].page);
		free(c->probs[i].href);
		free(c->probs[i].why);
		free(c->probs[i].key);
	}
	free(c->probs);
	free(c->probix);
	free(c->md_by_out);
	free(c->md_by_url);
	for (i = 0; i < c->failedsz; i++)
		free(c->failed[i]);
	free(c->failed);
	free(c->aliases_unknown);
	for (i = 0; i < c->draftsz; i++) {
		free(c->drafts[i].src);
		free(c->drafts[i].out);
	}
	free(c->drafts);
	free(c->root);
	free(c->base_path);
}

int
check_run(struct diag *dg, const struct check_opts *opts)
{
	struct checker c;
	struct build_opts bo;
	const char *base;
	char *dir = NULL;
	size_t i;
	unsigned problems, links;
	int status;

	memset(&c, 0, sizeof(c));
	c.dg = dg;
	c.jobs = opts->jobs;
	base = scratch_base(getenv("TMPDIR"), "/dev/shm");
	if ((dir = scratch_mkdtemp(base, "check")) == NULL) {
		diag_error(dg, NULL, "cannot make a temporary folder in '%s': "
		    "%s", base, strerror(errno));
		return 2;
	}
	c.root = path_join(dir, "site");
	memset(&bo, 0, sizeof(bo));
	bo.source = opts->source;
	bo.output = c.root;
	bo.drafts = opts->drafts;
	bo.no_history = opts->no_history;
	bo.quiet = true;
	bo.checking = true;
	bo.on_link = on_link;
	bo.on_link_arg = &c;
	bo.on_failed = on_failed;
	bo.on_aliases_unknown = on_aliases_unknown;
	bo.on_draft = on_draft;
	bo.on_failed_arg = &c;
	/* What the processes of -j tell the hooks is replayed in order. */
	bo.jobs = opts->jobs > 0 ? opts->jobs : 1;
	/*
	 * Warnings are errors, as under --strict, but the build goes on
	 * so that its links are checked too: one run tells of both. So it
	 * does after errors in single pages and records, rendering the
	 * rest; other errors stop it, with its output not kept.
	 */
	dg->warn_as_error = true;
	status = site_build(dg, &bo);
	if (sig_caught() != 0) {
		status = sig_status();	/* main() tells of it */
		goto out;
	}
	if (status == 2 || (status == 1 && !is_dir(c.root)))
		goto out;
	/*
	 * The build's errors, and its warnings printed as errors; but the
	 * broken links it told of itself, in what was held for its errors,
	 * are counted with the others.
	 */
	problems = dg->errors + dg->warnings - dg->broken_links;
	links = dg->errors;

	c.base_path = base_path(opts->source != NULL ? opts->source : ".");
	status = 1;
	if (scan_output(&c) == -1 || sig_caught() != 0) {
		if (sig_caught() != 0)
			status = sig_status();
		goto out;
	}
	if (c.pagesz > 1)
		qsort(c.pages, c.pagesz, sizeof(*c.pages), page_ids_cmp);
	for (i = 0; i < c.linksz; i++)
		check_link(&c, &c.links[i]);
	report(&c);
	links = dg->errors - links + dg->broken_links;
	diag_flush(dg);
	if (problems > 0 && links > 0)
		fprintf(stderr, "docket: check failed: %u error%s and %u "
		    "broken link%s\n", problems, problems == 1 ? "" : "s",
		    links, links == 1 ? "" : "s");
	else if (problems > 0)
		fprintf(stderr, "docket: check failed: %u error%s\n",
		    problems, problems == 1 ? "" : "s");
	else if (links > 0)
		fprintf(stderr, "docket: check failed: %u broken link%s\n",
		    links, links == 1 ? "" : "s");
	if (problems > 0 || links > 0)
		goto out;
	status = 0;
	if (!opts->quiet)
		fprintf(stderr, "docket: checked %zu page%s and %zu internal "
		    "link%s: no problems found\n", c.pagesz,
		    c.pagesz == 1 ? "" : "s", c.checked,
		    c.checked == 1 ? "" : "s");
out:
	remove_tree(dir);
	free(dir);
	checker_release(&c);
	return status;
}
