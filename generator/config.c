/*
 * docket.yml, read with libyaml's document API so that every value keeps
 * its line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "date.h"
#include "diag.h"
#include "template.h"
#include "util.h"

struct yctx {
	struct diag	*dg;
	const char	*path;
	unsigned	 line0;
	yaml_document_t	*doc;
};

static struct pos
node_pos(const struct yctx *y, const yaml_node_t *n)
{
	struct pos p = { y->path, (unsigned)n->start_mark.line + 1 + y->line0,
		(unsigned)n->start_mark.column + 1 };
	return p;
}

int
yaml_load(yaml_document_t *out, struct diag *dg, const char *path,
    const char *data, size_t len, unsigned line0)
{
	yaml_parser_t parser;
	struct pos p;
	char *msg;
	int rc = 0;

	if ((msg = text_problem(data, len, "YAML", &p.line, &p.col)) != NULL) {
		p.path = path;
		p.line += line0;
		diag_error(dg, &p, "%s", msg);
		free(msg);
		return -1;
	}
	if (!yaml_parser_initialize(&parser))
		die("yaml_parser_initialize");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, out)) {
		p.path = path;
		p.line = (unsigned)parser.problem_mark.line + 1 + line0;
		p.col = (unsigned)parser.problem_mark.column + 1;
		diag_error(dg, &p, "invalid YAML: %s%s%s",
		    parser.problem ? parser.problem : "syntax error",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		rc = -1;
	}
	yaml_parser_delete(&parser);
	return rc;
}

static bool
scalar_bool(const yaml_node_t *n, bool *out)
{
	const char *s = (const char *)n->data.scalar.value;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0) {
		*out = true;
		return true;
	}
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0) {
		*out = false;
		return true;
	}
	return false;
}

/*
 * Aliases share nodes, so a small document can name a huge tree ("billion
 * laughs"): the conversion stops at a depth and a node budget, and the
 * caller is told (*over).
 */
static struct tval *
to_tval(yaml_document_t *doc, yaml_node_t *n, unsigned depth, size_t *budget,
    bool *over)
{
	struct tval *v;
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	yaml_node_t *k;
	bool b;

	if (n == NULL)
		return tval_null();
	if (depth > YAML_MAX_DEPTH || *budget == 0) {
		*over = true;
		return tval_null();
	}
	(*budget)--;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (scalar_bool(n, &b))
			return tval_bool(b);
		return tval_strn((const char *)n->data.scalar.value,
		    n->data.scalar.length);
	case YAML_SEQUENCE_NODE:
		v = tval_list();
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++)
			tval_push(v, to_tval(doc,
			    yaml_document_get_node(doc, *it), depth + 1, budget,
			    over));
		return v;
	case YAML_MAPPING_NODE:
		v = tval_map();
		for (pr = n->data.mapping.pairs.start;
		    pr < n->data.mapping.pairs.top; pr++) {
			k = yaml_document_get_node(doc, pr->key);
			if (k == NULL || k->type != YAML_SCALAR_NODE)
				continue;
			tval_set(v, (const char *)k->data.scalar.value,
			    to_tval(doc, yaml_document_get_node(doc, pr->value),
			    depth + 1, budget, over));
		}
		return v;
	default:
		return tval_null();
	}
}

struct tval *
yaml_to_tval(yaml_document_t *doc, yaml_node_t *n)
{
	size_t budget = YAML_MAX_NODES;
	bool over = false;
	struct tval *v = to_tval(doc, n, 0, &budget, &over);

	if (over) {
		tval_free(v);
		return NULL;
	}
	return v;
}

bool
url_is_web(const char *s)
{
	const char *h;

	if (strncasecmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return false;
	if (*h == '\0' || *h == '/')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' ||
		    *s == '>' || *s == '\\' || *s == 0x7f)
			return false;
	return true;
}

/* Takes a scalar's text, or reports a type error and returns NULL. */
static const char *
want_str(struct yctx *y, yaml_node_t *n, const char *key)
{
	struct pos p = node_pos(y, n);

	if (n->type != YAML_SCALAR_NODE) {
		diag_error(y->dg, &p, "'%s' must be a string", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static void
set_str(struct yctx *y, yaml_node_t *n, const char *key, char **dst)
{
	const char *s = want_str(y, n, key);

	if (s == NULL)
		return;
	free(*dst);
	*dst = xstrdup(s);
}

/*
 * output: a folder inside the site folder. A register cloned from
 * elsewhere must not write where its docket.yml says (../../.config/...);
 * -o, which the one building types, can name any folder.
 */
static void
set_output(struct yctx *y, yaml_node_t *n, const char *key, char **dst)
{
	struct pos p = node_pos(y, n);
	const char *s = want_str(y, n, key), *c;
	size_t len;

	if (s == NULL)
		return;
	for (c = s; *c != '\0'; c += len + (c[len] == '/')) {
		len = strcspn(c, "/");
		if (len == 2 && c[0] == '.' && c[1] == '.')
			break;
	}
	if (*s == '\0' || *s == '/' || *c != '\0') {
		diag_error(y->dg, &p, "'%s' must be a folder inside the site "
		    "folder, such as 'site' (use -o to build elsewhere)", key);
		return;
	}
	free(*dst);
	*dst = xstrdup(s);
}

static void
set_bool(struct yctx *y, yaml_node_t *n, const char *key, bool *dst)
{
	struct pos p = node_pos(y, n);

	if (!scalar_bool(n, dst))
		diag_error(y->dg, &p, "'%s' must be true or false", key);
}

static void
set_url(struct yctx *y, yaml_node_t *n, const char *key, char **dst)
{
	struct pos p = node_pos(y, n);
	const char *s = want_str(y, n, key);

	if (s == NULL)
		return;
	if (!url_is_web(s)) {
		diag_error(y->dg, &p, "'%s' must be an http or https URL", key);
		return;
	}
	/* Page paths follow base_url: "https://a.example?x=1/about/". */
	if (strcmp(key, "base_url") == 0 && strpbrk(s, "?#") != NULL) {
		diag_error(y->dg, &p,
		    "'%s' must not hold a query (?) or a fragment (#)", key);
		return;
	}
	free(*dst);
	*dst = xstrdup(s);
}

static bool
timezone_known(const char *tz)
{
	char *path;
	bool ok;

	if (strcmp(tz, "UTC") == 0)
		return true;
	if (*tz == '\0' || *tz == '/' || strstr(tz, "..") != NULL)
		return false;
	path = xasprintf("/usr/share/zoneinfo/%s", tz);
	ok = is_file(path);
	free(path);
	return ok;
}

static void
load_nav(struct yctx *y, struct config *c, yaml_node_t *n)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	yaml_node_t *item, *k, *v;
	struct nav_item *ni;
	struct pos p = node_pos(y, n);
	const char *key;

	if (n->type != YAML_SEQUENCE_NODE) {
		diag_error(y->dg, &p, "'nav' must be a list of {title, url}");
		return;
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		item = yaml_document_get_node(y->doc, *it);
		p = node_pos(y, item);
		if (item->type != YAML_MAPPING_NODE) {
			diag_error(y->dg, &p, "'nav' items must be {title, url}");
			continue;
		}
		c->nav = xreallocarray(c->nav, c->navsz + 1, sizeof(*c->nav));
		ni = &c->nav[c->navsz++];
		memset(ni, 0, sizeof(*ni));
		ni->line = p.line;
		ni->col = p.col;
		for (pr = item->data.mapping.pairs.start;
		    pr < item->data.mapping.pairs.top; pr++) {
			k = yaml_document_get_node(y->doc, pr->key);
			v = yaml_document_get_node(y->doc, pr->value);
			key = (const char *)k->data.scalar.value;
			if (k->type == YAML_SCALAR_NODE && strcmp(key, "title") == 0)
				set_str(y, v, "nav.title", &ni->title);
			else if (k->type == YAML_SCALAR_NODE &&
			    strcmp(key, "url") == 0)
				set_str(y, v, "nav.url", &ni->url);
			else {
				struct pos kp = node_pos(y, k);
				diag_warning(y->dg, &kp, "unknown key '%s' in 'nav'",
				    k->type == YAML_SCALAR_NODE ? key : "?");
			}
		}
		if (ni->title == NULL || ni->url == NULL)
			diag_error(y->dg, &p, "'nav' item needs a title and a url");
		else if (strchr(ni->url, ':') != NULL && !url_is_web(ni->url))
			diag_error(y->dg, &p,
			    "'nav' url must be a site path or an http(s) URL");
	}
}

static void
load_history(struct yctx *y, struct config *c, yaml_node_t *n)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v;
	struct pos p = node_pos(y, n);
	const char *key, *s;
	char *end;
	long l;

	if (n->type != YAML_MAPPING_NODE) {
		diag_error(y->dg, &p, "'history' must be a mapping");
		return;
	}
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		k = yaml_document_get_node(y->doc, pr->key);
		v = yaml_document_get_node(y->doc, pr->value);
		key = k->type == YAML_SCALAR_NODE ?
		    (const char *)k->data.scalar.value : "?";
		p = node_pos(y, v);
		if (strcmp(key, "authors") == 0)
			set_bool(y, v, "history.authors", &c->hist_authors);
		else if (strcmp(key, "timezone") == 0) {
			if ((s = want_str(y, v, "history.timezone")) == NULL)
				continue;
			if (!timezone_known(s)) {
				diag_error(y->dg, &p, "unknown time zone '%s'", s);
				continue;
			}
			free(c->hist_timezone);
			c->hist_timezone = xstrdup(s);
		} else if (strcmp(key, "limit") == 0) {
			if ((s = want_str(y, v, "history.limit")) == NULL)
				continue;
			l = strtol(s, &end, 10);
			if (*s == '\0' || *end != '\0' || l < 1 || l > 100000)
				diag_error(y->dg, &p,
				    "'history.limit' must be a whole number from 1 to 100000");
			else
				c->hist_limit = (unsigned)l;
		} else {
			struct pos kp = node_pos(y, k);
			diag_warning(y->dg, &kp, "unknown key 'history.%s'", key);
		}
	}
}

int
config_load(struct config *c, struct diag *dg, const char *path,
    const char *data, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root, *k, *v;
	yaml_node_pair_t *pr, *q;
	struct yctx y = { dg, path, 0, &doc };
	unsigned errors = dg->errors;
	const char *key;
	struct pos p;

	memset(c, 0, sizeof(*c));
	c->language = xstrdup("en");
	c->date_format = xstrdup("%-d %B %Y");
	c->output = xstrdup("site");
	c->hist_timezone = xstrdup("UTC");
	c->hist_limit = 10;

	if (yaml_load(&doc, dg, path, data, len, 0) == -1)
		return -1;
	root = yaml_document_get_root_node(&doc);
	p = (struct pos){ path, 1, 1 };
	if (root == NULL || (root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0)) {
		diag_error(dg, &p, "missing 'title'");
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		p = node_pos(&y, root);
		diag_error(dg, &p, "expected a mapping of settings");
		goto out;
	}
	for (pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&doc, pr->key);
		v = yaml_document_get_node(&doc, pr->value);
		p = node_pos(&y, k);
		if (k->type != YAML_SCALAR_NODE) {
			diag_error(dg, &p, "keys must be strings");
			continue;
		}
		key = (const char *)k->data.scalar.value;
		for (q = root->data.mapping.pairs.start; q < pr; q++) {
			yaml_node_t *k2 = yaml_document_get_node(&doc, q->key);
			if (k2->type == YAML_SCALAR_NODE &&
			    strcmp((const char *)k2->data.scalar.value, key) == 0)
				break;
		}
		if (q < pr) {
			diag_error(dg, &p, "duplicate key '%s'", key);
			continue;
		}
		if (strcmp(key, "title") == 0)
			set_str(&y, v, key, &c->title);
		else if (strcmp(key, "description") == 0)
			set_str(&y, v, key, &c->description);
		else if (strcmp(key, "language") == 0)
			set_str(&y, v, key, &c->language);
		else if (strcmp(key, "license") == 0)
			set_str(&y, v, key, &c->license);
		else if (strcmp(key, "output") == 0)
			set_output(&y, v, key, &c->output);
		else if (strcmp(key, "base_url") == 0)
			set_url(&y, v, key, &c->base_url);
		else if (strcmp(key, "repo_url") == 0)
			set_url(&y, v, key, &c->repo_url);
		else if (strcmp(key, "date_format") == 0) {
			const char *s = want_str(&y, v, key);
			struct pos vp = node_pos(&y, v);
			if (s != NULL && !date_format_valid(s))
				diag_error(dg, &vp,
				    "'date_format' may use only %%d %%-d %%B %%b %%m %%Y");
			else if (s != NULL) {
				free(c->date_format);
				c->date_format = xstrdup(s);
			}
		} else if (strcmp(key, "unsafe_html") == 0)
			set_bool(&y, v, key, &c->unsafe_html);
		else if (strcmp(key, "nav") == 0)
			load_nav(&y, c, v);
		else if (strcmp(key, "history") == 0)
			load_history(&y, c, v);
		else
			diag_warning(dg, &p, "unknown key '%s'", key);
	}
	if (c->title == NULL && dg->errors == errors) {
		p = (struct pos){ path, 1, 1 };
		diag_error(dg, &p, "missing 'title'");
	}
	if (c->base_url != NULL && !str_endswith(c->base_url, "/")) {
		char *s = xasprintf("%s/", c->base_url);
		free(c->base_url);
		c->base_url = s;
	}
out:
	yaml_document_delete(&doc);
	return dg->errors == errors ? 0 : -1;
}

void
config_release(struct config *c)
{
	size_t i;

	free(c->title);
	free(c->description);
	free(c->base_url);
	free(c->language);
	free(c->license);
	free(c->repo_url);
	free(c->date_format);
	free(c->output);
	for (i = 0; i < c->navsz; i++) {
		free(c->nav[i].title);
		free(c->nav[i].url);
	}
	free(c->nav);
	free(c->hist_timezone);
	memset(c, 0, sizeof(*c));
}
