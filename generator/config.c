/*
 * docket.yml, read with libyaml's document API so that every value keeps
 * its line and column.
 */
#include <ctype.h>
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

/*
 * Anchors of the document being loaded: an open-addressing hash table
 * from the anchor's name to its node, so that many aliases cost linear
 * time (libyaml's own loader looks each one up in a list).
 */
struct anchors {
	struct anchor {
		char	*name;		/* NULL: empty slot */
		int	 id;
		yaml_mark_t mark;
	}	*v;
	size_t	 cap, n;
};

/* A node's tag as libyaml's loader keeps it: none for the plain "!". */
static yaml_char_t *
node_tag(yaml_char_t *tag)
{
	return tag != NULL && strcmp((char *)tag, "!") != 0 ? tag : NULL;
}

/*
 * Is the untagged plain scalar v (n bytes) null in YAML's core schema:
 * "null", "Null", "NULL", "~" or nothing at all? libyaml's loader would
 * call it a string.
 */
static bool
null_word(const char *v, size_t n)
{
	return n == 0 || (n == 1 && v[0] == '~') || (n == 4 &&
	    (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 ||
	    memcmp(v, "NULL", 4) == 0));
}

/* The tag of a scalar as YAML's core schema resolves it. */
static yaml_char_t *
scalar_tag(const yaml_event_t *ev)
{
	if (ev->data.scalar.tag == NULL && ev->data.scalar.plain_implicit &&
	    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    null_word((const char *)ev->data.scalar.value,
	    ev->data.scalar.length))
		return (yaml_char_t *)YAML_NULL_TAG;
	return node_tag(ev->data.scalar.tag);
}

bool
yaml_is_null(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE && n->tag != NULL &&
	    strcmp((const char *)n->tag, YAML_NULL_TAG) == 0;
}

static size_t
anchor_slot(const struct anchors *a, const char *name)
{
	size_t h;

	for (h = str_hash(name) & (a->cap - 1); a->v[h].name != NULL &&
	    strcmp(a->v[h].name, name) != 0; h = (h + 1) & (a->cap - 1))
		;
	return h;
}

/* Records an anchor; returns false when the name is taken. */
static bool
anchor_add(struct anchors *a, const char *name, int id, yaml_mark_t mark)
{
	struct anchors old = *a;
	size_t i;

	if (2 * (a->n + 1) > a->cap) {
		a->cap = a->cap == 0 ? 16 : 2 * a->cap;
		a->v = xcalloc(a->cap, sizeof(*a->v));
		a->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.v[i].name != NULL)
				a->v[anchor_slot(a, old.v[i].name)] = old.v[i],
				    a->n++;
		free(old.v);
	}
	i = anchor_slot(a, name);
	if (a->v[i].name != NULL)
		return false;
	a->v[i].name = xstrdup(name);
	a->v[i].id = id;
	a->v[i].mark = mark;
	a->n++;
	return true;
}

static void
anchors_release(struct anchors *a)
{
	size_t i;

	for (i = 0; i < a->cap; i++)
		free(a->v[i].name);
	free(a->v);
}

/* An open sequence or mapping while loading, with a mapping's key. */
struct open_node {
	int	 id;
	int	 key;	/* 0: the next node is a key */
};

/*
 * Loads the first document of the stream as libyaml's yaml_parser_load()
 * does, from the parser's events, but stops as soon as the document is
 * nested deeper than YAML_MAX_DEPTH or holds more than YAML_MAX_NODES
 * values: libyaml's scanner takes time that grows with the square of the
 * nesting, so the bounds are kept while reading, not after. Reports the
 * problem at *at and returns its message, or NULL.
 */
static const char *
load_events(yaml_parser_t *parser, yaml_document_t *doc, yaml_mark_t *at)
{
	static char msg[128];
	struct open_node *stack = NULL;
	struct anchors anchors = { NULL, 0, 0 };
	size_t depth = 0, values = 0;
	yaml_event_t ev;
	const char *err = NULL;
	yaml_char_t *anchor, *tag;
	struct anchor *an;
	struct open_node *top;
	bool started = false, done = false;
	int id;

	memset(doc, 0, sizeof(*doc));
	stack = xreallocarray(NULL, YAML_MAX_DEPTH + 2, sizeof(*stack));
	while (!done && err == NULL) {
		if (!yaml_parser_parse(parser, &ev))
			break;
		*at = ev.start_mark;
		id = 0;
		anchor = NULL;
		tag = NULL;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (!yaml_document_initialize(doc, NULL, NULL, NULL,
			    ev.data.document_start.implicit, 1))
				die("yaml_document_initialize");
			started = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_ALIAS_EVENT:
			if (anchors.cap > 0) {
				an = &anchors.v[anchor_slot(&anchors,
				    (const char *)ev.data.alias.anchor)];
				id = an->name != NULL ? an->id : 0;
			}
			if (id == 0)
				err = "invalid YAML: found undefined alias";
			break;
		case YAML_SCALAR_EVENT:
			anchor = ev.data.scalar.anchor;
			id = yaml_document_add_scalar(doc, scalar_tag(&ev),
			    ev.data.scalar.value,
			    (int)ev.data.scalar.length, ev.data.scalar.style);
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = ev.data.sequence_start.anchor;
			tag = ev.data.sequence_start.tag;
			id = yaml_document_add_sequence(doc, node_tag(tag),
			    ev.data.sequence_start.style);
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = ev.data.mapping_start.anchor;
			tag = ev.data.mapping_start.tag;
			id = yaml_document_add_mapping(doc, node_tag(tag),
			    ev.data.mapping_start.style);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			top = &stack[--depth];
			doc->nodes.start[top->id - 1].end_mark = ev.end_mark;
			break;
		default:
			break;
		}
		if (id == 0 && err == NULL &&
		    (ev.type == YAML_SCALAR_EVENT ||
		    ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT))
			err = "invalid YAML: a value that cannot be read";
		if (id != 0 && err == NULL) {
			if (ev.type != YAML_ALIAS_EVENT) {
				doc->nodes.start[id - 1].start_mark = ev.start_mark;
				doc->nodes.start[id - 1].end_mark = ev.end_mark;
			}
			if (anchor != NULL && !anchor_add(&anchors,
			    (const char *)anchor, id, ev.start_mark))
				err = "invalid YAML: found duplicate anchor";
			/* Attach the node to the open one, as an item, key or value. */
			top = depth > 0 ? &stack[depth - 1] : NULL;
			if (top == NULL || doc->nodes.start[top->id - 1].type ==
			    YAML_SEQUENCE_NODE || top->key != 0)
				values++;
			if (top == NULL)
				;	/* the root, node 1 */
			else if (doc->nodes.start[top->id - 1].type ==
			    YAML_SEQUENCE_NODE)
				yaml_document_append_sequence_item(doc, top->id,
				    id);
			else if (top->key == 0)
				top->key = id;
			else {
				yaml_document_append_mapping_pair(doc, top->id,
				    top->key, id);
				top->key = 0;
			}
			if (values > YAML_MAX_NODES) {
				snprintf(msg, sizeof(msg), "YAML holding more "
				    "than %d values", YAML_MAX_NODES);
				err = msg;
			} else if (depth > YAML_MAX_DEPTH) {
				snprintf(msg, sizeof(msg), "YAML nested deeper "
				    "than %d", YAML_MAX_DEPTH);
				err = msg;
			} else if (ev.type == YAML_SEQUENCE_START_EVENT ||
			    ev.type == YAML_MAPPING_START_EVENT)
				stack[depth++] = (struct open_node){ id, 0 };
		}
		yaml_event_delete(&ev);
	}
	anchors_release(&anchors);
	free(stack);
	if (err == NULL && !done)
		err = "";	/* the parser's error */
	if (err != NULL && started) {
		yaml_document_delete(doc);
		memset(doc, 0, sizeof(*doc));
	}
	return err;
}

/*
 * libyaml's word for `title: Kaspersky: the ban`, a colon and a space in
 * a value without quotes (or a line indented by mistake), says nothing
 * of the cure: say it.
 */
static const char *
colon_hint(const char *problem)
{
	if (problem != NULL && strcmp(problem,
	    "mapping values are not allowed in this context") == 0)
		return " (quote a value that holds ': ', as in "
		    "title: \"Kaspersky: the ban\", or check the "
		    "indentation)";
	return "";
}

/*
 * The plain form of YAML that front matter almost always takes: lines
 * of `key: value` at the left margin, a key of letters, digits, '_' and
 * '-', a value in double quotes with no '\\' or '"' inside, or without
 * quotes, of letters, digits, spaces and "._/+-", beginning with a letter
 * or a digit; blank lines between them. libyaml's scanner took 21,000
 * instructions for two such lines; this takes a sixth of that.
 */
#define PLAIN_MAX_PAIRS	64

/* A line `key: value`, as yaml_load_plain() found it. */
struct plain_pair {
	const char	*key, *key_end;
	const char	*val, *val_end;		/* inside the quotes, if any */
	bool		 quoted;
	size_t		 line;
	size_t		 index;		/* libyaml's: characters before the line */
	size_t		 col;		/* the value's (or its quote's) column */
	size_t		 width;		/* the value's, quotes included */
};

/* Where a scalar begins or ends, as libyaml marks it. */
static yaml_mark_t
plain_mark(size_t index, size_t line, size_t column)
{
	yaml_mark_t m = { index, line, column };

	return m;
}

/* Adds a scalar of width characters at (line, col), index i: its id. */
static int
plain_scalar(yaml_document_t *doc, const char *s, const char *e,
    yaml_scalar_style_t style, size_t i, size_t line, size_t col,
    size_t width)
{
	yaml_char_t *tag = NULL;
	int id;

	if (style == YAML_PLAIN_SCALAR_STYLE && null_word(s, (size_t)(e - s)))
		tag = (yaml_char_t *)YAML_NULL_TAG;
	id = yaml_document_add_scalar(doc, tag, (const yaml_char_t *)s,
	    (int)(e - s), style);
	if (id == 0)
		die("yaml_document_add_scalar");
	doc->nodes.start[id - 1].start_mark = plain_mark(i, line, col);
	doc->nodes.start[id - 1].end_mark = plain_mark(i + width, line,
	    col + width);
	return id;
}

/*
 * Reads the line p..eol into *pp when it is a plain pair: returns false
 * when it is not.
 */
static bool
plain_line(const char *p, const char *eol, struct plain_pair *pp)
{
	const char *k, *v, *ve;
	unsigned cp;
	size_t n;

	if (!isalpha((unsigned char)*p))
		return false;
	for (k = p; k < eol && (isalnum((unsigned char)*k) || *k == '_' ||
	    *k == '-'); k++)
		;
	if (k + 1 >= eol || k[0] != ':' || k[1] != ' ')
		return false;
	for (v = k + 1; v < eol && *v == ' '; v++)
		;
	if (v == eol)
		return false;
	pp->key = p;
	pp->key_end = k;
	pp->col = (size_t)(v - p);
	pp->quoted = *v == '"';
	if (pp->quoted) {
		/* libyaml's printable characters, less U+0085 and U+FEFF. */
		pp->width = 2;
		for (ve = ++v; ve < eol && *ve != '"'; ve += n, pp->width++) {
			n = 1;
			if (*ve == '\\' || (unsigned char)*ve < 0x20 ||
			    *ve == 0x7f)
				return false;
			if ((unsigned char)*ve < 0x80)
				continue;
			n = utf8_char((const unsigned char *)ve,
			    (size_t)(eol - ve), &cp);
			if (n == 0 || cp < 0xa0 || (cp >= 0xd800 &&
			    cp < 0xe000) || cp == 0xfeff || cp == 0xfffe ||
			    cp == 0xffff || cp > 0x10ffff)
				return false;
		}
		if (ve == eol)
			return false;
		pp->val = v;
		pp->val_end = ve++;
	} else {
		if (!isalnum((unsigned char)*v))
			return false;
		for (ve = v; ve < eol && *ve != '\0' &&
		    (isalnum((unsigned char)*ve) || strchr(" ._/+-", *ve) !=
		    NULL); ve++)
			;
		pp->val = v;
		/* libyaml ends a plain scalar at its last character. */
		for (pp->val_end = ve; pp->val_end[-1] == ' '; pp->val_end--)
			;
		pp->width = (size_t)(pp->val_end - v);
	}
	while (ve < eol && *ve == ' ')
		ve++;
	return ve == eol;
}

bool
yaml_load_plain(yaml_document_t *doc, const char *data, size_t len)
{
	struct plain_pair pairs[PLAIN_MAX_PAIRS];
	const char *p, *end = data + len, *eol, *c;
	size_t n = 0, i, line = 0, index = 0;
	int map, key;

	/* Is every line plain? Nothing is made until it is known. */
	for (p = data; p < end; p = eol + (eol < end), line++) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (p != eol) {
			if (n == PLAIN_MAX_PAIRS || !plain_line(p, eol,
			    &pairs[n]))
				return false;
			pairs[n].line = line;
			pairs[n++].index = index;
		}
		/* libyaml counts characters, and a line break as one. */
		for (c = p; c < eol; c++)
			index += ((unsigned char)*c & 0xc0) != 0x80;
		index += eol < end;
	}
	if (n == 0)
		return false;

	memset(doc, 0, sizeof(*doc));
	if (!yaml_document_initialize(doc, NULL, NULL, NULL, 1, 1))
		die("yaml_document_initialize");
	if ((map = yaml_document_add_mapping(doc, NULL,
	    YAML_BLOCK_MAPPING_STYLE)) == 0)
		die("yaml_document_add_mapping");
	/* It begins at its first key and ends on a line after the last. */
	doc->nodes.start[map - 1].start_mark = plain_mark(pairs[0].index,
	    pairs[0].line, 0);
	doc->nodes.start[map - 1].end_mark = plain_mark(index, line, 0);
	for (i = 0; i < n; i++) {
		key = plain_scalar(doc, pairs[i].key, pairs[i].key_end,
		    YAML_PLAIN_SCALAR_STYLE, pairs[i].index, pairs[i].line, 0,
		    (size_t)(pairs[i].key_end - pairs[i].key));
		if (yaml_document_append_mapping_pair(doc, map, key,
		    plain_scalar(doc, pairs[i].val, pairs[i].val_end,
		    pairs[i].quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE :
		    YAML_PLAIN_SCALAR_STYLE, pairs[i].index + pairs[i].col,
		    pairs[i].line, pairs[i].col, pairs[i].width)) == 0)
			die("yaml_document_append_mapping_pair");
	}
	return true;
}

static int
load(yaml_document_t *out, struct diag *dg, const char *path,
    const char *data, size_t len, unsigned line0, bool plain)
{
	yaml_parser_t parser;
	yaml_mark_t at;
	struct pos p;
	const char *err;
	char *msg;
	int rc = 0;

	if ((msg = text_problem(data, len, "YAML", &p.line, &p.col)) != NULL) {
		p.path = path;
		p.line += line0;
		diag_error(dg, &p, "%s", msg);
		free(msg);
		return -1;
	}
	if (plain && yaml_load_plain(out, data, len))
		return 0;
	if (!yaml_parser_initialize(&parser))
		die("yaml_parser_initialize");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if ((err = load_events(&parser, out, &at)) != NULL && *err != '\0') {
		p.path = path;
		p.line = (unsigned)at.line + 1 + line0;
		p.col = (unsigned)at.column + 1;
		diag_error(dg, &p, "%s", err);
		rc = -1;
	} else if (err != NULL) {
		p.path = path;
		p.line = (unsigned)parser.problem_mark.line + 1 + line0;
		p.col = (unsigned)parser.problem_mark.column + 1;
		/*
		 * What was left open is often the mistake, and libyaml
		 * finds out a line or more later: say where it began.
		 */
		if (parser.context != NULL &&
		    parser.context_mark.line != parser.problem_mark.line)
			diag_error(dg, &p, "invalid YAML: %s %s that opens at "
			    "line %u, column %u",
			    parser.problem ? parser.problem : "syntax error",
			    parser.context, (unsigned)parser.context_mark.line +
			    1 + line0, (unsigned)parser.context_mark.column + 1);
		else
			diag_error(dg, &p, "invalid YAML: %s%s%s%s",
			    parser.problem ? parser.problem : "syntax error",
			    parser.context ? " " : "",
			    parser.context ? parser.context : "",
			    colon_hint(parser.problem));
		rc = -1;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
yaml_load(yaml_document_t *out, struct diag *dg, const char *path,
    const char *data, size_t len, unsigned line0)
{
	return load(out, dg, path, data, len, line0, true);
}

int
yaml_load_full(yaml_document_t *out, struct diag *dg, const char *path,
    const char *data, size_t len, unsigned line0)
{
	return load(out, dg, path, data, len, line0, false);
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
		if (yaml_is_null(n))
			return tval_null();
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

/*
 * The offset of libyaml's mark (line, column), whose column counts
 * characters, in data.
 */
static size_t
mark_offset(const char *data, size_t len, const yaml_mark_t *m)
{
	size_t i = 0, line, col, n;
	unsigned cp;

	for (line = 0; line < m->line && i < len; i++)
		if (data[i] == '\n')
			line++;
	for (col = 0; col < m->column && i < len; col++) {
		n = (unsigned char)data[i] < 0x80 ? 1 :
		    utf8_char((const unsigned char *)data + i, len - i, &cp);
		i += n > 0 ? n : 1;
	}
	return i < len ? i : len;
}

int
yaml_bidi_check(struct diag *dg, const char *path, const char *data,
    size_t len, unsigned line0, const yaml_node_t *n, const char *what)
{
	size_t i, end, k, ls = 0, j, at = 0;
	unsigned line = 1, cp;
	unsigned long v;
	const char *name;
	struct pos p = { path, 0, 0 };
	bool quoted = n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	int rc = 0;

	if (n->type != YAML_SCALAR_NODE)
		return 0;
	i = mark_offset(data, len, &n->start_mark);
	end = mark_offset(data, len, &n->end_mark);
	for (; i < end; i += k) {
		k = 1;
		v = 0;
		if (quoted && data[i] == '\\' && i + 1 < end &&
		    (data[i + 1] == 'u' || data[i + 1] == 'U')) {
			size_t digits = data[i + 1] == 'u' ? 4 : 8;
			for (j = 0; j < digits && i + 2 + j < end &&
			    isxdigit((unsigned char)data[i + 2 + j]); j++)
				v = v * 16 + (unsigned long)(isdigit(
				    (unsigned char)data[i + 2 + j]) ?
				    data[i + 2 + j] - '0' :
				    (data[i + 2 + j] | 0x20) - 'a' + 10);
			k = 2 + j;
		} else if (quoted && data[i] == '\\')
			k = 2;	/* "\\u202E" is no escape */
		else if ((unsigned char)data[i] >= 0x80 &&
		    (k = utf8_char((const unsigned char *)data + i, end - i,
		    &cp)) != 0)
			v = cp;
		else
			k = 1;
		if ((name = bidi_name(v)) == NULL)
			continue;
		/* The line of i, from where the last one was: linear time. */
		for (; at < i; at++)
			if (data[at] == '\n') {
				line++;
				ls = at + 1;
			}
		p.line = line + line0;
		p.col = (unsigned)(i - ls) + 1;
		if (diag_warning(dg, &p, "%s U+%04lX in %s can make the text "
		    "display in another order", name, v, what) == -1)
			rc = -1;
	}
	return rc;
}

bool
url_is_web(const char *s)
{
	return url_web_problem(s) == NULL;
}

const char *
url_web_problem(const char *s)
{
	const char *h;

	if (strncasecmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return "must be an http or https URL";
	if (*h == '\0' || *h == '/')
		return "must name a host after '//'";
	for (; *s != '\0'; s++)
		if (*s == ' ')
			return "must not hold a space (write it %20)";
		else if ((unsigned char)*s < ' ' || *s == 0x7f)
			return "must not hold a control character";
		else if (*s == '"' || *s == '<' || *s == '>' || *s == '\\')
			return "must not hold '\"', '<', '>' or '\\'";
	return NULL;
}

/*
 * A control character ("\x01" in a quoted string) is invisible on a page
 * and not allowed in XML, in an Atom feed's title or in iCalendar text:
 * refused, but for tab and line breaks; so is NUL ("\0"), which would
 * cut the value short, and so are U+FFFE and U+FFFF ("\uFFFF"), which no
 * XML may hold either.
 */
int
yaml_control_check(struct diag *dg, const struct pos *p,
    const yaml_node_t *n, const char *key)
{
	const unsigned char *c = n->data.scalar.value;
	const unsigned char *end = c + n->data.scalar.length;

	for (; c < end; c++) {
		if ((*c < ' ' && *c != '\t' && *c != '\n' && *c != '\r') ||
		    *c == 0x7f)
			return diag_error(dg, p, "control character U+%04X in "
			    "'%s'", *c, key);
		if (end - c >= 3 && c[0] == 0xef && c[1] == 0xbf &&
		    (c[2] == 0xbe || c[2] == 0xbf))
			return diag_error(dg, p, "noncharacter U+%s in '%s'",
			    c[2] == 0xbe ? "FFFE" : "FFFF", key);
	}
	return 0;
}

/*
 * Takes a scalar's text, or reports a type error and returns NULL. A
 * character no output may hold is reported, but the value is still
 * taken, so that nothing else is reported for it.
 */
static const char *
want_str(struct yctx *y, yaml_node_t *n, const char *key)
{
	struct pos p = node_pos(y, n);

	if (n->type != YAML_SCALAR_NODE) {
		diag_error(y->dg, &p, "'%s' must be a string", key);
		return NULL;
	}
	yaml_control_check(y->dg, &p, n, key);
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
 * language: a BCP 47 tag, which the pages' lang attribute and the order
 * of names (str_collate_language()) take. Another value is kept, with a
 * warning: "sv_SE" (a POSIX locale) is not a tag.
 */
static void
set_language(struct yctx *y, yaml_node_t *n, const char *key, char **dst)
{
	struct pos p = node_pos(y, n);
	char locale[STR_LOCALE_MAX];
	unsigned errors = y->dg->errors;
	const char *s = want_str(y, n, key);

	if (s == NULL)
		return;
	free(*dst);
	*dst = xstrdup(s);
	if (y->dg->errors != errors)
		return;		/* a control character: told already */
	if (!str_language_tag(s, locale))
		diag_warning(y->dg, &p, "'%s' is '%s', not a BCP 47 language "
		    "tag such as 'en', 'sv' or 'pt-BR' that ICU can read: "
		    "browsers and screen readers cannot tell the pages' "
		    "language, and names are sorted in no language's order",
		    key, s);
}

/*
 * output: a folder inside the site folder. A register cloned from
 * elsewhere must not write where its docket.yml says (../../.config/...);
 * -o, which the one building types, can name any folder.
 */
static void
set_output(struct yctx *y, yaml_node_t *n, const char *key, struct config *c)
{
	struct pos p = node_pos(y, n);
	const char *s = want_str(y, n, key), *e;
	size_t len;

	if (s == NULL)
		return;
	for (e = s; *e != '\0'; e += len + (e[len] == '/')) {
		len = strcspn(e, "/");
		if (len == 2 && e[0] == '.' && e[1] == '.')
			break;
	}
	if (*s == '\0' || *s == '/' || *e != '\0') {
		diag_error(y->dg, &p, "'%s' must be a folder inside the site "
		    "folder, such as 'site' (use -o to build elsewhere)", key);
		return;
	}
	free(c->output);
	c->output = xstrdup(s);
	c->output_line = p.line;
	c->output_col = p.col;
}

/* The bytes of the conversion at '%' p: "%q", "%-B", "%é", "%". */
static size_t
conversion_len(const char *p)
{
	size_t n = p[1] == '-' ? 2 : 1, k;
	unsigned cp;

	if (p[n] == '\0')
		return n;
	k = utf8_char((const unsigned char *)p + n, strlen(p + n), &cp);
	return n + (k > 0 ? k : 1);
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
	const char *s = want_str(y, n, key), *why;

	if (s == NULL)
		return;
	if ((why = url_web_problem(s)) != NULL) {
		diag_error(y->dg, &p, "'%s' %s", key, why);
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

/*
 * ---- Unknown keys ----
 * Which key a site author most likely meant by an unknown one: a known
 * key in another case or spelling ("baseURL", "base-url"), or the one
 * docket has for a name other site generators use ("languageCode",
 * "menu"). Names are compared in lower case, without '_' and '-'.
 */
static const char *const top_keys[] = {
	"title", "description", "base_url", "language", "license",
	"repo_url", "date_format", "output", "unsafe_html", "nav", "history",
	NULL
};
static const char *const top_others[] = {
	"url", "base_url", "languagecode", "language", "lang", "language",
	"licence", "license", "menu", "nav", "menus", "nav",
	"navigation", "nav", "publishdir", "output", "destination", "output",
	"outputdir", "output", "repo", "repo_url", "repository", "repo_url",
	"timezone", "history.timezone", "subtitle", "description", NULL
};
static const char *const nav_keys[] = { "title", "url", NULL };
static const char *const nav_others[] = {
	"href", "url", "link", "url", "name", "title", NULL
};
static const char *const history_keys[] = {
	"authors", "timezone", "limit", NULL
};
static const char *const history_others[] = {
	"author", "authors", "tz", "timezone", NULL
};

/*
 * " (did you mean 'base_url'?)" for an unknown key, given the keys of
 * its mapping and pairs of other names and the keys they mean; "" when
 * no key comes close. Writes into out.
 */
static const char *
key_hint(char *out, size_t outsz, const char *key, const char *const *known,
    const char *const *others)
{
	char k[32];
	const char *meant;
	size_t i;

	if (!str_fold(k, sizeof(k), key))
		return "";
	meant = str_closest(key, known);
	for (i = 0; others[i] != NULL && meant == NULL; i += 2)
		if (strcmp(k, others[i]) == 0)
			meant = others[i + 1];
	if (meant == NULL)
		return "";
	snprintf(out, outsz, " (did you mean '%s'?)", meant);
	return out;
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
			if (yaml_is_null(v))
				continue;	/* not set */
			if (k->type == YAML_SCALAR_NODE && strcmp(key, "title") == 0)
				set_str(y, v, "nav.title", &ni->title);
			else if (k->type == YAML_SCALAR_NODE &&
			    strcmp(key, "url") == 0) {
				struct pos up = node_pos(y, v);

				set_str(y, v, "nav.url", &ni->url);
				ni->url_line = up.line;
				ni->url_col = up.col;
			}
			else {
				struct pos kp = node_pos(y, k);
				char hint[64];
				diag_warning(y->dg, &kp,
				    "unknown key '%s' in 'nav'%s",
				    k->type == YAML_SCALAR_NODE ? key : "?",
				    k->type == YAML_SCALAR_NODE ? key_hint(hint,
				    sizeof(hint), key, nav_keys, nav_others) : "");
			}
		}
		if (ni->title == NULL || ni->url == NULL)
			diag_error(y->dg, &p, "'nav' item needs a title and a url");
		else if (strchr(ni->url, ':') != NULL && !url_is_web(ni->url))
			diag_error(y->dg, &p,
			    "'nav' url must be a site path or an http(s) URL");
		else if (ni->url[0] == '/' && (ni->url[1] == '/' ||
		    ni->url[1] == '\\')) {
			struct pos up = p;

			up.line = ni->url_line;
			up.col = ni->url_col;
			diag_error(y->dg, &up, "'nav' url '%s' names no "
			    "scheme: write https:// before another site's "
			    "address, or one '/' before a path of this site",
			    ni->url);
		}
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
		if (yaml_is_null(v))
			continue;	/* not set */
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
			char hint[64];
			diag_warning(y->dg, &kp, "unknown key 'history.%s'%s",
			    key, key_hint(hint, sizeof(hint), key, history_keys,
			    history_others));
		}
	}
}

struct keyref {
	const char	*key;
	size_t		 index;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	if (d != 0)
		return d;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Which keys of the mapping m came before it: a sorted copy, so that many
 * keys cost n log n. Returns an array of m's size; the caller frees it.
 */
static bool *
dup_keys(yaml_document_t *doc, yaml_node_t *m)
{
	size_t n = (size_t)(m->data.mapping.pairs.top -
	    m->data.mapping.pairs.start), i, nk = 0;
	struct keyref *ks = xreallocarray(NULL, n + 1, sizeof(*ks));
	bool *dup = xcalloc(n + 1, sizeof(*dup));
	yaml_node_t *k;

	for (i = 0; i < n; i++) {
		k = yaml_document_get_node(doc,
		    m->data.mapping.pairs.start[i].key);
		if (k->type == YAML_SCALAR_NODE)
			ks[nk++] = (struct keyref){
				(const char *)k->data.scalar.value, i };
	}
	qsort(ks, nk, sizeof(*ks), keyref_cmp);
	for (i = 1; i < nk; i++)
		if (strcmp(ks[i - 1].key, ks[i].key) == 0)
			dup[ks[i].index] = true;
	free(ks);
	return dup;
}

int
config_load(struct config *c, struct diag *dg, const char *path,
    const char *data, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root, *k, *v;
	yaml_node_pair_t *pr;
	struct yctx y = { dg, path, 0, &doc };
	struct pos title_at = { NULL, 0, 0 };
	bool *dup = NULL, title_given = false;
	unsigned errors = dg->errors;
	const char *key;
	char hint[64];
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
	dup = dup_keys(&doc, root);
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
		if (dup[pr - root->data.mapping.pairs.start]) {
			diag_error(dg, &p, "duplicate key '%s'", key);
			continue;
		}
		/* A key set to null is not set: a null title is missing. */
		if (yaml_is_null(v)) {
			if (strcmp(key, "title") == 0)
				title_at = node_pos(&y, v);
			continue;
		}
		if (strcmp(key, "title") == 0) {
			title_given = true;
			set_str(&y, v, key, &c->title);
		} else if (strcmp(key, "description") == 0)
			set_str(&y, v, key, &c->description);
		else if (strcmp(key, "language") == 0)
			set_language(&y, v, key, &c->language);
		else if (strcmp(key, "license") == 0)
			set_str(&y, v, key, &c->license);
		else if (strcmp(key, "output") == 0)
			set_output(&y, v, key, c);
		else if (strcmp(key, "base_url") == 0)
			set_url(&y, v, key, &c->base_url);
		else if (strcmp(key, "repo_url") == 0)
			set_url(&y, v, key, &c->repo_url);
		else if (strcmp(key, "date_format") == 0) {
			const char *s = want_str(&y, v, key), *bad;
			struct pos vp = node_pos(&y, v);
			if (s != NULL && (bad = date_format_bad(s)) != NULL)
				diag_error(dg, &vp,
				    "'date_format' has '%.*s', but may use only "
				    "%%d %%-d %%m %%-m %%B %%b %%Y and %%%%",
				    (int)conversion_len(bad), bad);
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
			diag_warning(dg, &p, "unknown key '%s'%s", key,
			    key_hint(hint, sizeof(hint), key, top_keys,
			    top_others));
	}
	/* Not after 'title' was given and refused: that said it. */
	if (c->title == NULL && !title_given) {
		p = title_at.path != NULL ? title_at : (struct pos){ path, 1, 1 };
		diag_error(dg, &p, "missing 'title'");
	}
	if (c->base_url != NULL && !str_endswith(c->base_url, "/")) {
		char *s = xasprintf("%s/", c->base_url);
		free(c->base_url);
		c->base_url = s;
	}
out:
	free(dup);
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
