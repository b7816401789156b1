/*
 * Field-level changes between two versions of a vendor record. Text is
 * compared after its white space is collapsed, so that re-indenting or
 * re-wrapping a record is not a change; actions are matched by id,
 * responses by date and source.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "recdiff.h"
#include "record.h"
#include "util.h"

#define ARROW	" \xe2\x86\x92 "	/* " → " */

static void
add(struct hist_change **out, size_t *outsz, const char *field, char *text,
    const char *before, const char *after)
{
	struct hist_change *c;

	*out = xreallocarray(*out, *outsz + 1, sizeof(**out));
	c = &(*out)[(*outsz)++];
	c->field = xstrdup(field);
	c->text = text;
	c->before = before != NULL ? xstrdup(before) : NULL;
	c->after = after != NULL ? xstrdup(after) : NULL;
}

char *
recdiff_norm(const char *s)
{
	struct buf b = BUF_INIT;
	bool space = false;

	if (s == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Do two optional strings say the same, white space aside? What
 * recdiff_norm() would make of them is the same, compared as it goes.
 */
static bool
same_text(const char *a, const char *b)
{
	bool sa, sb;

	if (a == NULL || b == NULL)
		return a == b;
	while (is_space(*a))
		a++;
	while (is_space(*b))
		b++;
	for (;;) {
		for (sa = false; is_space(*a); a++)
			sa = true;
		for (sb = false; is_space(*b); b++)
			sb = true;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (sa != sb || *a != *b)
			return false;
		a++;
		b++;
	}
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* "Title (13 September 2017)" */
static char *
action_label(const struct action *a, const char *datefmt)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s (", a->title);
	date_format(&b, datefmt, &a->date);
	buf_putc(&b, ')');
	return buf_detach(&b);
}

/* "Title (2017-09-13)": the form of an action in before/after. */
static char *
action_value(const struct action *a)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s (", a->title);
	date_iso(&b, &a->date);
	buf_putc(&b, ')');
	return buf_detach(&b);
}

static bool
same_sources(const struct action *a, const struct action *b)
{
	size_t i;

	if (a->sourcesz != b->sourcesz)
		return false;
	for (i = 0; i < a->sourcesz; i++) {
		const struct source *x = &a->sources[i], *y = &b->sources[i];
		if (!same_str(x->href, y->href) ||
		    !same_text(x->publisher, y->publisher) ||
		    date_cmp(&x->date, &y->date) != 0 ||
		    date_cmp(&x->accessed, &y->accessed) != 0 ||
		    !same_str(x->archived, y->archived))
			return false;
	}
	return true;
}

/* Lists what differs between two versions of one action: "date, sources". */
static void
action_fields(struct buf *b, const struct action *x, const struct action *y)
{
	const char *names[9];
	size_t n = 0, i;

	if (!same_text(x->title, y->title))
		names[n++] = "title";
	if (x->type != y->type)
		names[n++] = "type";
	if (date_cmp(&x->date, &y->date) != 0)
		names[n++] = "date";
	if (!same_text(x->authority, y->authority))
		names[n++] = "authority";
	if (date_cmp(&x->deadline, &y->deadline) != 0 ||
	    x->deadline_days != y->deadline_days)
		names[n++] = "deadline";
	if (!same_text(x->scope, y->scope))
		names[n++] = "scope";
	if (!same_text(x->description.text, y->description.text))
		names[n++] = "description";
	if (!same_sources(x, y))
		names[n++] = "sources";
	for (i = 0; i < n; i++) {
		if (i > 0)
			BUF_PUTSL(b, ", ");
		buf_puts(b, names[i]);
	}
}

static const struct action *
find_action(const struct record *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->actionsz; i++)
		if (strcmp(r->actions[i].id, id) == 0)
			return &r->actions[i];
	return NULL;
}

static void
diff_actions(struct hist_change **out, size_t *outsz, const struct record *o,
    const struct record *n, const char *datefmt)
{
	const struct action *a, *b;
	struct buf t = BUF_INIT;
	char *label, *bv, *av;
	size_t i;

	for (i = 0; i < n->actionsz; i++) {
		b = &n->actions[i];
		label = action_label(b, datefmt);
		av = action_value(b);
		if ((a = find_action(o, b->id)) == NULL) {
			buf_printf(&t, "added action: %s", label);
			add(out, outsz, "action", buf_detach(&t), NULL, av);
		} else {
			action_fields(&t, a, b);
			if (t.len > 0) {
				char *what = buf_detach(&t);
				bv = action_value(a);
				buf_printf(&t, "changed action: %s: %s", label, what);
				add(out, outsz, "action", buf_detach(&t), bv, av);
				free(bv);
				free(what);
			}
		}
		free(label);
		free(av);
	}
	for (i = 0; i < o->actionsz; i++) {
		a = &o->actions[i];
		if (find_action(n, a->id) != NULL)
			continue;
		label = action_label(a, datefmt);
		bv = action_value(a);
		buf_printf(&t, "removed action: %s", label);
		add(out, outsz, "action", buf_detach(&t), bv, NULL);
		free(label);
		free(bv);
	}
}

/* Names in one list and not in the other: aliases, products. */
static void
diff_names(struct hist_change **out, size_t *outsz, const char *field,
    char *const *o, size_t osz, char *const *n, size_t nsz)
{
	size_t i, j;

	for (i = 0; i < nsz; i++) {
		for (j = 0; j < osz && strcmp(o[j], n[i]) != 0; j++)
			continue;
		if (j == osz)
			add(out, outsz, field, xasprintf("added %s: %s", field,
			    n[i]), NULL, n[i]);
	}
	for (i = 0; i < osz; i++) {
		for (j = 0; j < nsz && strcmp(n[j], o[i]) != 0; j++)
			continue;
		if (j == nsz)
			add(out, outsz, field, xasprintf("removed %s: %s", field,
			    o[i]), o[i], NULL);
	}
}

static bool
same_response(const struct response *a, const struct response *b)
{
	return date_cmp(&a->date, &b->date) == 0 && same_str(a->href, b->href);
}

/* Responses have no id: they are matched by date and source, in order. */
static void
diff_responses(struct hist_change **out, size_t *outsz,
    const struct record *o, const struct record *n, const char *datefmt)
{
	bool *used = xcalloc(o->responsesz + 1, sizeof(bool));
	struct buf t = BUF_INIT, d = BUF_INIT;
	size_t i, j;

	for (i = 0; i < n->responsesz; i++) {
		const struct response *b = &n->responses[i];
		for (j = 0; j < o->responsesz; j++)
			if (!used[j] && same_response(&o->responses[j], b))
				break;
		date_format(&d, datefmt, &b->date);
		if (j == o->responsesz) {
			buf_printf(&t, "added response (%s)", d.ptr);
			add(out, outsz, "response", buf_detach(&t), NULL,
			    b->text.text);
		} else {
			used[j] = true;
			if (!same_text(o->responses[j].text.text, b->text.text)) {
				buf_printf(&t, "revised response (%s)", d.ptr);
				add(out, outsz, "response", buf_detach(&t),
				    o->responses[j].text.text, b->text.text);
			}
		}
		buf_truncate(&d, 0);
	}
	for (j = 0; j < o->responsesz; j++) {
		if (used[j])
			continue;
		date_format(&d, datefmt, &o->responses[j].date);
		buf_printf(&t, "removed response (%s)", d.ptr);
		add(out, outsz, "response", buf_detach(&t),
		    o->responses[j].text.text, NULL);
		buf_truncate(&d, 0);
	}
	buf_release(&d);
	free(used);
}

/* A value that may be absent: "website: a → b", "added website: b". */
static void
diff_opt(struct hist_change **out, size_t *outsz, const char *field,
    const char *o, const char *n)
{
	if (same_str(o, n))
		return;
	if (o == NULL)
		add(out, outsz, field, xasprintf("added %s: %s", field, n), o, n);
	else if (n == NULL)
		add(out, outsz, field, xasprintf("removed %s: %s", field, o), o, n);
	else
		add(out, outsz, field, xasprintf("%s: %s" ARROW "%s", field, o, n),
		    o, n);
}

/* Text in markdown: only whether it was added, removed or revised. */
static void
diff_md(struct hist_change **out, size_t *outsz, const char *field,
    const char *o, const char *n)
{
	if (same_text(o, n))
		return;
	if (o == NULL)
		add(out, outsz, field, xasprintf("added %s", field), o, n);
	else if (n == NULL)
		add(out, outsz, field, xasprintf("removed %s", field), o, n);
	else
		add(out, outsz, field, xasprintf("%s: text revised", field), o, n);
}

void
recdiff(struct hist_change **out, size_t *outsz, const struct recver *old,
    const struct recver *new, const char *datefmt)
{
	const struct record *o = old->rec, *n = new->rec;
	char *a, *b;

	if (o == NULL && !old->bad && (n != NULL || new->bad)) {
		add(out, outsz, "created", xstrdup("created"), NULL,
		    n != NULL ? n->name : NULL);
		return;
	}
	if (n == NULL && !new->bad && (o != NULL || old->bad)) {
		add(out, outsz, "removed", xstrdup("removed"),
		    o != NULL ? o->name : NULL, NULL);
		return;
	}
	if (old->bad || new->bad) {
		add(out, outsz, "record", xstrdup("revised (unparseable)"),
		    NULL, NULL);
		return;
	}
	if (o == NULL || n == NULL)
		return;
	if (strcmp(o->id, n->id) != 0)
		add(out, outsz, "id", xasprintf("renamed: %s" ARROW "%s", o->id,
		    n->id), o->id, n->id);
	if (o->draft != n->draft)
		add(out, outsz, "draft", xstrdup(n->draft ? "marked as a draft" :
		    "no longer a draft"), o->draft ? "true" : "false",
		    n->draft ? "true" : "false");
	if (o->status != n->status)
		add(out, outsz, "status", xasprintf("status: %s" ARROW "%s",
		    status_key(o->status), status_key(n->status)),
		    status_key(o->status), status_key(n->status));
	if (!same_str(o->name, n->name))
		add(out, outsz, "name", xasprintf("name: %s" ARROW "%s", o->name,
		    n->name), o->name, n->name);
	diff_names(out, outsz, "alias", o->aliases, o->aliasesz, n->aliases,
	    n->aliasesz);
	if (!same_str(o->country_code, n->country_code) ||
	    !same_str(o->country, n->country)) {
		a = xasprintf("%s (%s)", o->country, o->country_code);
		b = xasprintf("%s (%s)", n->country, n->country_code);
		add(out, outsz, "country", xasprintf("country: %s" ARROW "%s", a,
		    b), a, b);
		free(a);
		free(b);
	}
	diff_opt(out, outsz, "website", o->website, n->website);
	diff_names(out, outsz, "product", o->products, o->productsz,
	    n->products, n->productsz);
	diff_md(out, outsz, "summary", o->summary.text, n->summary.text);
	diff_actions(out, outsz, o, n, datefmt);
	diff_responses(out, outsz, o, n, datefmt);
	diff_md(out, outsz, "note", o->note.text, n->note.text);
}

void
recdiff_free(struct hist_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].field);
		free(v[i].text);
		free(v[i].before);
		free(v[i].after);
	}
	free(v);
}

void
recdiff_put_html(struct buf *out, const char *text)
{
	size_t len = strlen(text), at;
	const char *p;

	if (len < 2 || text[len - 1] != ')' ||
	    (p = strrchr(text, '(')) == NULL || len - (size_t)(p - text) > 32) {
		buf_puts_html(out, text);
		return;
	}
	at = (size_t)(p - text);
	buf_put_html(out, text, at);
	buf_put_html_nbsp(out, p, len - at);
}
