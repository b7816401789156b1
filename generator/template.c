/*
 * Mustache templates and the data tree they are rendered with.
 *
 * A template is parsed once, in four passes over its source: lex() cuts
 * it into text and tag tokens (text split after each newline), mark_lines()
 * finds the tags that stand alone on their lines, match_tags() pairs
 * section, parent and block tags with their closing tags, and build()
 * applies the whitespace rules of parents and blocks and emits a flat
 * array of nodes, where a section's children follow it up to its `end`.
 * render_nodes() walks that array.
 */
#define _GNU_SOURCE	/* memmem */
#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "template.h"
#include "util.h"

#define NONE		SIZE_MAX
#define MAP_LINEAR	16	/* maps larger than this get a hash index */
/*
 * Lines and tags of one template: each is a token, then a node, some
 * 200 bytes in all; 16 MiB of empty lines would take 3 GB.
 */
#define MAX_TOKENS	1000000

struct tkv {
	const char	*key;		/* interned: see intern() */
	uint32_t	 hash;
	struct tval	*val;
};

struct tval {
	enum tval_type	 type;
	unsigned	 refs;
	bool		 html;		/* a string of HTML docket made */
	union {
		bool	 b;
		double	 num;
		struct {
			char	*ptr;	/* NUL-terminated */
			size_t	 len;
		} str;
		struct {
			struct tval	**v;
			size_t		  len;
			size_t		  cap;
		} list;
		struct {
			struct tkv	*kv;	/* in insertion order */
			size_t		 len;
			size_t		 cap;
			uint32_t	*idx;	/* kv index + 1, 0: free */
			size_t		 idxcap;	/* a power of two */
			struct tval	*base;	/* has the keys not here */
		} map;
	} u;
};

/* A part of a dotted name, with its hash for map lookups. */
struct part {
	const char	*s;
	uint32_t	 hash;
};

enum node_type {
	NODE_TEXT,
	NODE_VAR,		/* {{name}}: escaped */
	NODE_RAW,		/* {{{name}}} {{&name}} */
	NODE_SECTION,
	NODE_INVERTED,
	NODE_PARTIAL,
	NODE_PARENT,		/* children: its argument blocks only */
	NODE_BLOCK
};

struct node {
	enum node_type	 type;
	unsigned	 line;
	unsigned	 col;
	size_t		 end;		/* index after the last child */
	const char	*text;		/* text: points into the source */
	size_t		 len;
	char		*name;		/* tags: the name as written */
	struct part	*parts;		/* dotted name; none for "." */
	unsigned	 nparts;
	bool		 dynamic;	/* {{>*name}}: parts name the partial */
	char		*ind;		/* indentation added to the lines of a
					   partial, parent or block argument */
	size_t		 indlen;
};

enum tmpl_state {
	TMPL_ABSENT,		/* the loader has no such template */
	TMPL_SOURCE,		/* not parsed yet */
	TMPL_PARSED,
	TMPL_BROKEN		/* errors were reported */
};

struct tmpl {
	struct tmpl	*next;		/* hash chain */
	char		*name;
	char		*path;
	char		*src;
	size_t		 len;
	enum tmpl_state	 state;
	struct node	*nodes;
	size_t		 nnodes;
};

/* A partial or parent a template names that is not there: warned once. */
struct missing {
	const struct tmpl *t;
	char		*name;
};

struct tmpl_set {
	struct diag	*dg;
	tmpl_loader	 loader;
	void		*arg;
	struct tmpl	**tab;
	size_t		 tabsize;	/* a power of two */
	size_t		 count;
	struct missing	*missing;
	size_t		 nmissing;
	bool		 html_only;	/* see tmpl_set_html_only() */
};

enum tok_type {
	TOK_TEXT,
	TOK_VAR,
	TOK_RAW,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE,
	TOK_PARTIAL,
	TOK_PARENT,
	TOK_BLOCK,
	TOK_COMMENT,
	TOK_DELIM
};

struct tok {
	enum tok_type	 type;
	size_t		 start;		/* source span of the text or tag */
	size_t		 end;
	size_t		 name;		/* tags: the trimmed content */
	size_t		 namelen;
	size_t		 olen;		/* tags: length of the delimiters */
	size_t		 clen;
	unsigned	 line;
	unsigned	 col;
	size_t		 match;		/* the paired open or close tag */
	size_t		 lead;		/* blank text before it on its line */
	size_t		 trail;		/* blank text and newline after it */
	size_t		 ind;		/* source span of its indentation */
	size_t		 indlen;
	bool		 lclear;	/* only blanks since the line start */
	bool		 rclear;	/* only blanks up to the line end */
	bool		 standalone;
	bool		 arg;		/* a block directly inside a parent */
	bool		 dead;		/* dropped by a standalone tag */
};

struct parser {
	struct diag	*dg;
	const char	*path;
	const char	*src;
	size_t		 len;
	struct tok	*toks;
	size_t		 ntoks;
	size_t		 captoks;
	size_t		 lpos;		/* lines are counted up to here */
	size_t		 lstart;	/* where that line starts */
	unsigned	 line;
	unsigned	 errors;
	struct node	*nodes;
	size_t		 nnodes;
	size_t		 capnodes;
};

/* Blocks passed to a parent: the parent tag and the scope it is in. */
struct scope {
	const struct tmpl	*t;
	size_t			 parent;
	const struct scope	*outer;
};

struct render {
	struct tmpl_set		*set;
	struct buf		*out;
	const struct tval	**ctx;		/* the context stack */
	size_t			 nctx;
	size_t			 capctx;
	struct buf		 ind;		/* indentation of lines */
	bool			 pending;	/* ind is owed */
	unsigned		 depth;
	size_t			 start;		/* out->len when rendering began */
	size_t			 steps;		/* nodes visited */
	const char		*source;	/* the page's file, or NULL */
	const struct tmpl	*root;		/* the template rendered */
	struct {
		const struct tmpl	*t;	/* a template included ... */
		const struct tmpl	*by;	/* ... by a tag of this one */
		const struct node	*n;	/* that tag */
	} path[TMPL_MAX_DEPTH];		/* one for each level of depth */
};

static int	render_nodes(struct render *, const struct tmpl *, size_t,
		    size_t, const struct scope *);
static bool	over_budget(struct render *, const struct tmpl *,
		    const struct node *);


/*
 * Map keys, and the names templates look up, are kept once each, for the
 * life of the process: a map stores no copy of its keys (a site has
 * hundreds of thousands of values, and a few dozen keys), and a lookup
 * finds its key by address, not by comparing strings.
 */
struct keypool {
	const char	**s;
	uint32_t	 *h;
	size_t		  len;
	size_t		  cap;		/* a power of two; 0: none yet */
};
static struct keypool pool;
/*
 * While values are made on more than one thread (tval_threads()), pool
 * is only read, and a key not in it goes to a pool of the thread's own:
 * a lookup of such a key compares strings, as map_find() does whenever
 * the addresses differ. The threads' pools are listed in thread_pools,
 * and tval_threads(false) moves their keys into pool, whose keys are kept
 * for the life of the process: a thread may end, its keys stay in the
 * maps it made. A key two threads both added is then in pool twice, and
 * found by the first.
 */
struct thread_pool {
	struct keypool		 p;
	struct thread_pool	*next;
};
static bool pool_shared;
static unsigned pool_epoch;	/* calls of tval_threads(true) */
static pthread_mutex_t thread_pools_lock = PTHREAD_MUTEX_INITIALIZER;
static struct thread_pool *thread_pools;
/* This thread's pool, if made since pool_epoch last changed. */
static _Thread_local struct thread_pool *own_pool;
static _Thread_local unsigned own_epoch;

static const char *
keypool_find(const struct keypool *p, const char *key, uint32_t h)
{
	size_t i, mask;

	if (p->cap == 0)
		return NULL;
	mask = p->cap - 1;
	for (i = h & mask; p->s[i] != NULL; i = (i + 1) & mask)
		if (p->h[i] == h && strcmp(p->s[i], key) == 0)
			return p->s[i];
	return NULL;
}

/* Adds key, which p keeps from now on, to p. */
static const char *
keypool_put(struct keypool *p, const char *key, uint32_t h)
{
	const char **s;
	uint32_t *hs;
	size_t i, k, cap, mask;

	if ((p->len + 1) * 2 > p->cap) {
		cap = p->cap == 0 ? 256 : p->cap * 2;
		s = xcalloc(cap, sizeof(*s));
		hs = xcalloc(cap, sizeof(*hs));
		for (k = 0; k < p->cap; k++) {
			if (p->s[k] == NULL)
				continue;
			for (i = p->h[k] & (cap - 1); s[i] != NULL;
			    i = (i + 1) & (cap - 1))
				continue;
			s[i] = p->s[k];
			hs[i] = p->h[k];
		}
		free(p->s);
		free(p->h);
		p->s = s;
		p->h = hs;
		p->cap = cap;
	}
	mask = p->cap - 1;
	for (i = h & mask; p->s[i] != NULL; i = (i + 1) & mask)
		continue;
	p->s[i] = key;
	p->h[i] = h;
	p->len++;
	return p->s[i];
}

void
tval_threads(bool on)
{
	struct thread_pool *tp;
	size_t k;

	pool_shared = on;
	if (on) {
		pool_epoch++;
		return;
	}
	while ((tp = thread_pools) != NULL) {
		thread_pools = tp->next;
		for (k = 0; k < tp->p.cap; k++)
			if (tp->p.s[k] != NULL)
				keypool_put(&pool, tp->p.s[k], tp->p.h[k]);
		free(tp->p.s);
		free(tp->p.h);
		free(tp);
	}
}

static const char *
intern(const char *key, uint32_t h)
{
	const char *s;

	if ((s = keypool_find(&pool, key, h)) != NULL)
		return s;
	if (!pool_shared)
		return keypool_put(&pool, xstrdup(key), h);
	if (own_pool == NULL || own_epoch != pool_epoch) {
		own_pool = xcalloc(1, sizeof(*own_pool));
		own_epoch = pool_epoch;
		pthread_mutex_lock(&thread_pools_lock);
		own_pool->next = thread_pools;
		thread_pools = own_pool;
		pthread_mutex_unlock(&thread_pools_lock);
	} else if ((s = keypool_find(&own_pool->p, key, h)) != NULL)
		return s;
	return keypool_put(&own_pool->p, xstrdup(key), h);
}

/*
 * Data tree.
 */

static struct tval *
tval_new(enum tval_type type)
{
	struct tval *v = xcalloc(1, sizeof(*v));

	v->type = type;
	v->refs = 1;
	return v;
}

struct tval *
tval_null(void)
{
	return tval_new(TVAL_NULL);
}

/*
 * true and false are shared, as values are never changed once made; they
 * are not counted (nor written after a fork), and never freed.
 */
static struct tval shared_true = { TVAL_BOOL, 1, false, { .b = true } };
static struct tval shared_false = { TVAL_BOOL, 1, false, { .b = false } };

#define SHARED(v)	((v) == &shared_true || (v) == &shared_false)

struct tval *
tval_bool(bool b)
{
	return b ? &shared_true : &shared_false;
}

struct tval *
tval_num(double d)
{
	struct tval *v = tval_new(TVAL_NUM);

	v->u.num = d;
	return v;
}

struct tval *
tval_str(const char *s)
{
	if (s == NULL)
		return tval_null();
	return tval_strn(s, strlen(s));
}

struct tval *
tval_strn(const char *s, size_t len)
{
	struct tval *v = tval_new(TVAL_STR);

	v->u.str.ptr = xstrndup(s, len);
	v->u.str.len = len;
	return v;
}

struct tval *
tval_str_own(char *s)
{
	struct tval *v;

	if (s == NULL)
		return tval_null();
	v = tval_new(TVAL_STR);
	v->u.str.ptr = s;
	v->u.str.len = strlen(s);
	return v;
}

struct tval *
tval_html(const char *s)
{
	struct tval *v = tval_str(s);

	v->html = v->type == TVAL_STR;
	return v;
}

struct tval *
tval_html_own(char *s)
{
	struct tval *v = tval_str_own(s);

	v->html = v->type == TVAL_STR;
	return v;
}

struct tval *
tval_list(void)
{
	return tval_new(TVAL_LIST);
}

struct tval *
tval_map(void)
{
	return tval_new(TVAL_MAP);
}

struct tval *
tval_map_over(struct tval *base)
{
	struct tval *v = tval_new(TVAL_MAP);

	assert(base != NULL && base->type == TVAL_MAP);
	v->u.map.base = base;
	return v;
}

struct tval *
tval_ref(struct tval *v)
{
	if (v != NULL && !SHARED(v))
		v->refs++;
	return v;
}

void
tval_free(struct tval *v)
{
	size_t i;

	if (v == NULL || SHARED(v) || --v->refs > 0)
		return;
	switch (v->type) {
	case TVAL_STR:
		free(v->u.str.ptr);
		break;
	case TVAL_LIST:
		for (i = 0; i < v->u.list.len; i++)
			tval_free(v->u.list.v[i]);
		free(v->u.list.v);
		break;
	case TVAL_MAP:
		for (i = 0; i < v->u.map.len; i++)
			tval_free(v->u.map.kv[i].val);
		free(v->u.map.kv);
		free(v->u.map.idx);
		tval_free(v->u.map.base);
		break;
	default:
		break;
	}
	free(v);
}

void
tval_push(struct tval *list, struct tval *v)
{
	assert(list != NULL && list->type == TVAL_LIST && v != NULL);
	if (list->u.list.len == list->u.list.cap) {
		list->u.list.cap = list->u.list.cap == 0 ? 4 :
		    list->u.list.cap * 2;
		list->u.list.v = xreallocarray(list->u.list.v,
		    list->u.list.cap, sizeof(*list->u.list.v));
	}
	list->u.list.v[list->u.list.len++] = v;
}

/* Returns the index of key in map, or NONE. */
static size_t
map_find(const struct tval *m, const char *key, uint32_t h)
{
	const struct tkv *kv;
	size_t i, mask;
	uint32_t slot;

	if (m->u.map.idx == NULL) {
		for (i = 0; i < m->u.map.len; i++) {
			kv = &m->u.map.kv[i];
			if (kv->hash == h && (kv->key == key ||
			    strcmp(kv->key, key) == 0))
				return i;
		}
		return NONE;
	}
	mask = m->u.map.idxcap - 1;
	for (i = h & mask; (slot = m->u.map.idx[i]) != 0; i = (i + 1) & mask) {
		kv = &m->u.map.kv[slot - 1];
		if (kv->hash == h && (kv->key == key ||
		    strcmp(kv->key, key) == 0))
			return slot - 1;
	}
	return NONE;
}

/* The value of key in m, or else in its bases; NULL when none has it. */
static struct tval *
map_get(const struct tval *m, const char *key, uint32_t h)
{
	size_t i;

	for (; m != NULL; m = m->u.map.base)
		if ((i = map_find(m, key, h)) != NONE)
			return m->u.map.kv[i].val;
	return NULL;
}

static void
map_index_put(struct tval *m, size_t k)
{
	size_t i, mask = m->u.map.idxcap - 1;

	for (i = m->u.map.kv[k].hash & mask; m->u.map.idx[i] != 0;
	    i = (i + 1) & mask)
		continue;
	m->u.map.idx[i] = (uint32_t)(k + 1);
}

/* Keeps the hash index of a large map at most half full. */
static void
map_index(struct tval *m)
{
	size_t k, cap;

	if (m->u.map.len <= MAP_LINEAR)
		return;
	if (m->u.map.len > UINT32_MAX - 1)
		die("map too large");
	if (m->u.map.idx != NULL && m->u.map.len * 2 <= m->u.map.idxcap) {
		map_index_put(m, m->u.map.len - 1);
		return;
	}
	for (cap = 64; cap < m->u.map.len * 4; cap *= 2)
		continue;
	free(m->u.map.idx);
	m->u.map.idx = xcalloc(cap, sizeof(*m->u.map.idx));
	m->u.map.idxcap = cap;
	for (k = 0; k < m->u.map.len; k++)
		map_index_put(m, k);
}

void
tval_set(struct tval *map, const char *key, struct tval *v)
{
	uint32_t h = (uint32_t)str_hash(key);
	struct tkv *kv;
	size_t i;

	assert(map != NULL && map->type == TVAL_MAP && v != NULL);
	if ((i = map_find(map, key, h)) != NONE) {
		tval_free(map->u.map.kv[i].val);
		map->u.map.kv[i].val = v;
		return;
	}
	if (map->u.map.len == map->u.map.cap) {
		map->u.map.cap = map->u.map.cap == 0 ? 4 : map->u.map.cap * 2;
		map->u.map.kv = xreallocarray(map->u.map.kv, map->u.map.cap,
		    sizeof(*map->u.map.kv));
	}
	kv = &map->u.map.kv[map->u.map.len++];
	kv->key = intern(key, h);
	kv->hash = h;
	kv->val = v;
	map_index(map);
}

void
tval_set_str(struct tval *map, const char *key, const char *s)
{
	tval_set(map, key, tval_str(s));
}

void
tval_set_bool(struct tval *map, const char *key, bool b)
{
	tval_set(map, key, tval_bool(b));
}

void
tval_set_num(struct tval *map, const char *key, double d)
{
	tval_set(map, key, tval_num(d));
}

enum tval_type
tval_type(const struct tval *v)
{
	return v == NULL ? TVAL_NULL : v->type;
}

struct tval *
tval_get(const struct tval *map, const char *key)
{
	if (map == NULL || map->type != TVAL_MAP)
		return NULL;
	return map_get(map, key, (uint32_t)str_hash(key));
}

const char *
tval_get_str(const struct tval *map, const char *key)
{
	return tval_strval(tval_get(map, key));
}

size_t
tval_len(const struct tval *list)
{
	if (list == NULL || list->type != TVAL_LIST)
		return 0;
	return list->u.list.len;
}

struct tval *
tval_at(const struct tval *list, size_t i)
{
	if (i >= tval_len(list))
		return NULL;
	return list->u.list.v[i];
}

const char *
tval_strval(const struct tval *v)
{
	if (v == NULL || v->type != TVAL_STR)
		return NULL;
	return v->u.str.ptr;
}

/* Sections skip null, false, "" and []; numbers and maps are true. */
static bool
truthy(const struct tval *v)
{
	if (v == NULL)
		return false;
	switch (v->type) {
	case TVAL_NULL:
		return false;
	case TVAL_BOOL:
		return v->u.b;
	case TVAL_STR:
		return v->u.str.len > 0;
	case TVAL_LIST:
		return v->u.list.len > 0;
	default:
		return true;
	}
}

/*
 * Writes integers without a decimal point, others in the fewest digits
 * that read back as the same number.
 */
static void
put_num(struct buf *b, double d)
{
	char tmp[40];
	int prec;

	if (d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    d == (double)(long long)d) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)d);
	} else {
		for (prec = 1; prec <= 17; prec++) {
			snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
	}
	buf_puts(b, tmp);
}

/*
 * Lexer.
 */

static void perr(struct parser *, unsigned, unsigned, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports a syntax error at line:col of the template. */
static void
perr(struct parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	struct pos pos = { p->path, line, col };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_error(p->dg, &pos, "%s", msg.ptr);
	buf_release(&msg);
	p->errors++;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/*
 * Returns the offset of the n bytes s at or after from, or len if none.
 * memmem() takes linear time however long the delimiter a set-delimiter
 * tag made ("{{=aaa...c d=}}" before a megabyte of "a").
 */
static size_t
find(const char *src, size_t len, size_t from, const char *s, size_t n)
{
	const char *q;

	if (from > len)
		return len;
	q = memmem(src + from, len - from, s, n);
	return q == NULL ? len : (size_t)(q - src);
}

/*
 * Sets *line and *col (1-based, in bytes) of offset off, which only grows.
 * A line ends at "\n", "\r\n" or a "\r" alone, as an editor shows a file
 * of old Mac line endings (and as cmark counts a page's lines).
 */
static void
line_col(struct parser *p, size_t off, unsigned *line, unsigned *col)
{
	const char *c = p->src;

	for (; p->lpos < off; p->lpos++)
		if (c[p->lpos] == '\n' || (c[p->lpos] == '\r' &&
		    (p->lpos + 1 >= p->len || c[p->lpos + 1] != '\n'))) {
			p->line++;
			p->lstart = p->lpos + 1;
		}
	*line = p->line;
	*col = (unsigned)(off - p->lstart + 1);
}

static struct tok *
new_tok(struct parser *p, enum tok_type type, size_t start, size_t end)
{
	struct tok *t;

	if (p->ntoks == p->captoks) {
		p->captoks = p->captoks == 0 ? 64 : p->captoks * 2;
		p->toks = xreallocarray(p->toks, p->captoks, sizeof(*p->toks));
	}
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->start = start;
	t->end = end;
	t->match = t->lead = t->trail = NONE;
	return t;
}

/*
 * Adds the text [a, b) as tokens that each end at a newline, with their
 * positions (a render that passes a bound may stop at one). Returns -1,
 * after saying so, when the template passes MAX_TOKENS.
 */
static int
add_text(struct parser *p, size_t a, size_t b)
{
	const char *nl;
	struct tok *t;
	size_t e;

	while (a < b) {
		nl = memchr(p->src + a, '\n', b - a);
		e = nl == NULL ? b : (size_t)(nl - p->src) + 1;
		t = new_tok(p, TOK_TEXT, a, e);
		line_col(p, a, &t->line, &t->col);
		if (p->ntoks > MAX_TOKENS) {
			perr(p, t->line, t->col, "more than %d lines and tags "
			    "in one template", MAX_TOKENS);
			return -1;
		}
		a = e;
	}
	return 0;
}

/* Sets *close to the character before the closing delimiter, if any. */
static enum tok_type
tag_type(char c, char *close)
{
	*close = '\0';
	switch (c) {
	case '{':
		*close = '}';
		return TOK_RAW;
	case '=':
		*close = '=';
		return TOK_DELIM;
	case '&':
		return TOK_RAW;
	case '!':
		return TOK_COMMENT;
	case '#':
		return TOK_SECTION;
	case '^':
		return TOK_INVERTED;
	case '/':
		return TOK_CLOSE;
	case '>':
		return TOK_PARTIAL;
	case '<':
		return TOK_PARENT;
	case '$':
		return TOK_BLOCK;
	default:
		return TOK_VAR;
	}
}

/* Is this a variable name: "." or non-empty parts joined by dots? */
static bool
name_ok(const char *s, size_t n)
{
	char prev = '.';
	size_t i;

	if (n == 1 && s[0] == '.')
		return true;
	for (i = 0; i < n; i++) {
		if (is_space(s[i]) || (s[i] == '.' && prev == '.'))
			return false;
		prev = s[i];
	}
	return n > 0 && prev != '.';
}

static bool
has_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_space(s[i]))
			return true;
	return false;
}

/*
 * Parses the content of "{{=<% %>=}}" into two delimiters, as offsets
 * into the source. Returns false if it isn't two words without '='.
 */
static bool
parse_delims(const struct parser *p, const struct tok *t, size_t *o,
    size_t *olen, size_t *c, size_t *clen)
{
	const char *s = p->src;
	size_t i = t->name, end = t->name + t->namelen;

	*o = i;
	while (i < end && !is_space(s[i]))
		i++;
	*olen = i - *o;
	while (i < end && is_space(s[i]))
		i++;
	*c = i;
	*clen = end - i;
	return *olen > 0 && *clen > 0 && !has_space(s + *c, *clen) &&
	    memchr(s + *o, '=', *olen) == NULL &&
	    memchr(s + *c, '=', *clen) == NULL;
}

/* Checks the name of tag t, reporting an error if it is bad. */
static void
check_name(struct parser *p, struct tok *t)
{
	const char *raw = p->src + t->start, *s = p->src + t->name;
	int rawlen = (int)(t->end - t->start);
	size_t n = t->namelen;
	bool ok;

	if (t->type == TOK_COMMENT || t->type == TOK_DELIM)
		return;
	if (n == 0) {
		perr(p, t->line, t->col, "missing name in '%.*s'", rawlen, raw);
		return;
	}
	switch (t->type) {
	case TOK_PARTIAL:
		if (s[0] != '*') {
			ok = !has_space(s, n);
			break;
		}
		for (s++, n--; n > 0 && is_space(*s); s++, n--)
			continue;
		ok = name_ok(s, n);
		break;
	case TOK_CLOSE:
	case TOK_PARENT:
	case TOK_BLOCK:
		ok = !has_space(s, n);
		break;
	default:
		ok = name_ok(s, n);
		break;
	}
	/*
	 * A '}' short, the tag runs on to the next tag's end: shown to the
	 * end of its line, without a CRLF file's '\r'.
	 */
	if (!ok && (memchr(raw, '\n', (size_t)rawlen) != NULL ||
	    memchr(raw, '\r', (size_t)rawlen) != NULL))
		perr(p, t->line, t->col, "'%.*s' is not closed on its line "
		    "(a '}' missing?)", (int)strcspn(raw, "\r\n"), raw);
	else if (!ok)
		perr(p, t->line, t->col, "bad name '%.*s'", (int)t->namelen,
		    p->src + t->name);
}

/*
 * Cuts the source into tokens, following set-delimiter tags. Returns -1
 * at a tag that isn't closed, after which nothing can be parsed.
 */
static int
lex(struct parser *p)
{
	const char *src = p->src;
	size_t o = NONE, olen = 2, c = NONE, clen = 2;
	size_t pos = 0, s, q, e, a, b, no, nolen, nc, nclen;
	const char *otag, *ctag;
	enum tok_type type;
	unsigned line, col;
	struct tok *t;
	char close;

	while (pos < p->len) {
		otag = o == NONE ? "{{" : src + o;
		ctag = c == NONE ? "}}" : src + c;
		s = find(src, p->len, pos, otag, olen);
		if (add_text(p, pos, s) == -1)
			return -1;
		if (s == p->len)
			break;
		line_col(p, s, &line, &col);
		if (p->ntoks >= MAX_TOKENS) {
			perr(p, line, col, "more than %d lines and tags in one "
			    "template", MAX_TOKENS);
			return -1;
		}
		q = s + olen;
		type = tag_type(q < p->len ? src[q] : '\0', &close);
		if (type != TOK_VAR)
			q++;
		for (e = q;; e++) {
			e = find(src, p->len, e, ctag, clen);
			if (e == p->len || close == '\0' ||
			    (e > q && src[e - 1] == close))
				break;
		}
		if (e == p->len) {
			perr(p, line, col, "unclosed tag, expected '%.*s%.*s'",
			    close != '\0' ? 1 : 0, &close, (int)clen, ctag);
			return -1;
		}
		t = new_tok(p, type, s, e + clen);
		t->line = line;
		t->col = col;
		t->olen = olen;
		t->clen = clen;
		if (close != '\0')
			e--;
		for (a = q; a < e && is_space(src[a]); a++)
			continue;
		for (b = e; b > a && is_space(src[b - 1]); b--)
			continue;
		t->name = a;
		t->namelen = b - a;
		pos = t->end;
		if (type != TOK_DELIM) {
			check_name(p, t);
			continue;
		}
		if (!parse_delims(p, t, &no, &nolen, &nc, &nclen)) {
			perr(p, line, col, "bad set-delimiter tag '%.*s'",
			    (int)(t->end - t->start), src + t->start);
			continue;
		}
		o = no;
		olen = nolen;
		c = nc;
		clen = nclen;
	}
	return 0;
}

/*
 * Standalone lines.
 */

static bool
ends_nl(const struct parser *p, size_t i)
{
	return p->src[p->toks[i].end - 1] == '\n';
}

static bool
text_blank(const struct parser *p, size_t i)
{
	const struct tok *t = &p->toks[i];
	size_t k;

	for (k = t->start; k < t->end; k++)
		if (!is_blank(p->src[k]))
			return false;
	return true;
}

/* Is token i blanks then a line end, or blanks at the end of the source? */
static bool
text_blank_eol(const struct parser *p, size_t i)
{
	const struct tok *t = &p->toks[i];
	const char *s = p->src;
	size_t k = t->start;

	if (t->type != TOK_TEXT)
		return false;
	while (k < t->end && is_blank(s[k]))
		k++;
	if (k + 1 < t->end && s[k] == '\r' && s[k + 1] == '\n')
		k++;
	if (k < t->end && s[k] == '\n')
		return true;
	return k == t->end && i + 1 == p->ntoks;
}

static void
drop(struct parser *p, size_t i)
{
	if (i != NONE)
		p->toks[i].dead = true;
}

/*
 * Finds what is around each tag on its line. A tag other than an
 * interpolation that is alone on its line but for blanks is standalone:
 * the blanks before it and the line end after it are dropped, and the
 * blanks are its indentation.
 */
static void
mark_lines(struct parser *p)
{
	struct tok *t;
	size_t i, j;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		if (t->type == TOK_TEXT)
			continue;
		j = i;
		if (j > 0 && p->toks[j - 1].type == TOK_TEXT &&
		    !ends_nl(p, j - 1) && text_blank(p, j - 1))
			t->lead = --j;
		t->lclear = j == 0 || (p->toks[j - 1].type == TOK_TEXT &&
		    ends_nl(p, j - 1));
		if (i + 1 == p->ntoks)
			t->rclear = true;
		else if (text_blank_eol(p, i + 1)) {
			t->rclear = true;
			t->trail = i + 1;
		}
		if (t->type == TOK_VAR || t->type == TOK_RAW || !t->lclear ||
		    !t->rclear)
			continue;
		t->standalone = true;
		drop(p, t->lead);
		drop(p, t->trail);
		if (t->lead != NONE) {
			t->ind = p->toks[t->lead].start;
			t->indlen = p->toks[t->lead].end - t->ind;
		}
	}
}

static bool
same_name(const struct parser *p, const struct tok *a, const struct tok *b)
{
	return a->namelen == b->namelen &&
	    memcmp(p->src + a->name, p->src + b->name, a->namelen) == 0;
}

static const char *
kind(enum tok_type type)
{
	switch (type) {
	case TOK_PARENT:
		return "parent";
	case TOK_BLOCK:
		return "block";
	default:
		return "section";
	}
}

/*
 * Pairs each section, parent and block tag with its closing tag,
 * reporting the tags that don't pair. Past TMPL_MAX_DEPTH open tags the
 * one error "nested deeper" stands for what is wrong in there: a close
 * that does not pair is looked for among the innermost TMPL_MAX_DEPTH
 * open tags only, and neither it nor the open tags left unclosed that
 * deep are reported, so that a template of many thousand tags neither
 * takes quadratic time nor prints an error for each.
 */
static void
match_tags(struct parser *p)
{
	size_t *stack = NULL, n = 0, cap = 0, i, k;
	struct tok *t, *top;
	const char *s = p->src;
	bool deep = false;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		switch (t->type) {
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			t->arg = t->type == TOK_BLOCK && n > 0 &&
			    p->toks[stack[n - 1]].type == TOK_PARENT;
			if (n == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				stack = xreallocarray(stack, cap,
				    sizeof(*stack));
			}
			stack[n++] = i;
			if (n > TMPL_MAX_DEPTH && !deep) {
				perr(p, t->line, t->col,
				    "sections nested deeper than %d",
				    TMPL_MAX_DEPTH);
				deep = true;
			}
			break;
		case TOK_CLOSE:
			if (n == 0) {
				perr(p, t->line, t->col, "unexpected '%.*s'",
				    (int)(t->end - t->start), s + t->start);
				break;
			}
			top = &p->toks[stack[n - 1]];
			if (!same_name(p, top, t)) {
				if (n <= TMPL_MAX_DEPTH)
					perr(p, t->line, t->col,
					    "unexpected '%.*s', "
					    "expected '%.*s/%.*s%.*s'",
					    (int)(t->end - t->start),
					    s + t->start,
					    (int)t->olen, s + t->start,
					    (int)top->namelen, s + top->name,
					    (int)t->clen, s + t->end - t->clen);
				/*
				 * Close the nearest open tag of that name, or
				 * else take it for a misspelt close of the top.
				 */
				for (k = n; k-- > 0 && n - k <= TMPL_MAX_DEPTH;)
					if (same_name(p, &p->toks[stack[k]], t))
						break;
				if (k != NONE && n - k <= TMPL_MAX_DEPTH) {
					n = k + 1;
					top = &p->toks[stack[k]];
				}
			}
			top->match = i;
			t->match = stack[--n];
			break;
		default:
			break;
		}
	}
	for (k = 0; k < n && k < TMPL_MAX_DEPTH; k++) {
		t = &p->toks[stack[k]];
		perr(p, t->line, t->col, "unclosed %s '%.*s'", kind(t->type),
		    (int)t->namelen, s + t->name);
	}
	free(stack);
}

/* Sets the indentation of t to the blanks starting the line after it. */
static void
next_line_ind(struct parser *p, struct tok *t)
{
	size_t k;

	t->indlen = 0;
	if (t->trail == NONE || !ends_nl(p, t->trail))
		return;
	t->ind = k = p->toks[t->trail].end;
	while (k < p->len && is_blank(p->src[k]))
		k++;
	t->indlen = k - t->ind;
}

/*
 * Applies the whitespace rules of parents and blocks (the inheritance
 * spec and its whitespace notes), which look at both tags of a pair:
 *
 * - A parent whose opening tag starts its line and whose closing tag ends
 *   its line is standalone, like a partial: the blanks before it become
 *   its indentation, the line end after it is dropped.
 * - A block passed to a parent drops the line end after its opening tag.
 *   Its "intrinsic indentation", the blanks starting the next line, is
 *   taken off each line of its content (in build()).
 * - A block elsewhere, if its opening tag starts a line and its closing
 *   tag ends one, indents the lines of the argument replacing it: by its
 *   intrinsic indentation when the opening tag ends its line too, or else
 *   by the blanks before it (which are left in the output as text).
 */
static void
mark_pairs(struct parser *p)
{
	struct tok *t, *c;
	size_t i;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		if ((t->type != TOK_PARENT && t->type != TOK_BLOCK) ||
		    t->match == NONE)
			continue;
		c = &p->toks[t->match];
		if (t->type == TOK_PARENT) {
			if (!t->lclear || !c->rclear)
				continue;
			t->standalone = true;
			drop(p, t->lead);
			drop(p, c->trail);
			if (t->lead != NONE) {
				t->ind = p->toks[t->lead].start;
				t->indlen = p->toks[t->lead].end - t->ind;
			}
		} else if (t->arg) {
			t->standalone = false;
			t->indlen = 0;
			if (t->rclear) {
				drop(p, t->trail);
				next_line_ind(p, t);
			}
		} else if (!t->lclear || !c->rclear) {
			t->standalone = false;
			t->indlen = 0;
		} else {
			t->standalone = true;
			if (t->rclear)
				next_line_ind(p, t);
			else if (t->lead != NONE) {
				t->ind = p->toks[t->lead].start;
				t->indlen = p->toks[t->lead].end - t->ind;
			}
		}
	}
}

/*
 * Tree.
 */

static struct node *
new_node(struct parser *p, enum node_type type, const struct tok *t)
{
	struct node *n;

	if (p->nnodes == p->capnodes) {
		p->capnodes = p->capnodes == 0 ? 32 : p->capnodes * 2;
		p->nodes = xreallocarray(p->nodes, p->capnodes,
		    sizeof(*p->nodes));
	}
	n = &p->nodes[p->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = t->line;
	n->col = t->col;
	n->end = p->nnodes;
	return n;
}

/* Sets the name of n, split at dots unless it is a plain name. */
static void
node_name(struct node *n, const char *s, size_t len, bool dotted)
{
	size_t i, k;
	char *copy;

	n->name = xstrndup(s, len);
	if (!dotted || (len == 1 && s[0] == '.'))
		return;
	for (i = 0, n->nparts = 1; i < len; i++)
		if (s[i] == '.')
			n->nparts++;
	/* One allocation: the parts, then the name with NULs for dots. */
	n->parts = xmalloc(n->nparts * sizeof(*n->parts) + len + 1);
	copy = (char *)(n->parts + n->nparts);
	memcpy(copy, s, len);
	copy[len] = '\0';
	n->parts[0].s = copy;
	for (i = 0, k = 1; i < len; i++)
		if (copy[i] == '.') {
			copy[i] = '\0';
			n->parts[k++].s = copy + i + 1;
		}
	for (k = 0; k < n->nparts; k++) {
		n->parts[k].hash = (uint32_t)str_hash(n->parts[k].s);
		n->parts[k].s = intern(n->parts[k].s, n->parts[k].hash);
	}
}

/* Sets the indentation of n from [off, off+len), minus the prefix strip. */
static void
node_ind(struct parser *p, struct node *n, size_t off, size_t len,
    size_t strip, size_t striplen)
{
	if (striplen > 0 && len >= striplen &&
	    memcmp(p->src + off, p->src + strip, striplen) == 0) {
		off += striplen;
		len -= striplen;
	}
	if (len == 0)
		return;
	n->ind = xstrndup(p->src + off, len);
	n->indlen = len;
}

struct bframe {
	size_t		 node;
	enum tok_type	 type;
	size_t		 strip;		/* intrinsic indentation taken off */
	size_t		 striplen;
};

/*
 * Emits the nodes. Inside a parent only the blocks passed to it are
 * kept; other text and tags there are ignored.
 */
static void
build(struct parser *p)
{
	struct bframe *st = NULL;
	size_t n = 0, cap = 0, i, strip = 0, striplen = 0, s, len;
	const struct tok *t;
	struct node *nd;
	bool in_parent;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		in_parent = n > 0 && st[n - 1].type == TOK_PARENT;
		if (t->dead)
			continue;
		if (in_parent && t->type != TOK_BLOCK && t->type != TOK_CLOSE) {
			if (t->type == TOK_SECTION || t->type == TOK_INVERTED ||
			    t->type == TOK_PARENT)
				i = t->match;
			continue;
		}
		switch (t->type) {
		case TOK_TEXT:
			s = t->start;
			len = t->end - t->start;
			if (striplen > 0 && (s == 0 || p->src[s - 1] == '\n') &&
			    len >= striplen &&
			    memcmp(p->src + s, p->src + strip, striplen) == 0) {
				s += striplen;
				len -= striplen;
			}
			if (len == 0)
				break;
			nd = new_node(p, NODE_TEXT, t);
			nd->text = p->src + s;
			nd->len = len;
			break;
		case TOK_VAR:
		case TOK_RAW:
			nd = new_node(p, t->type == TOK_VAR ? NODE_VAR :
			    NODE_RAW, t);
			node_name(nd, p->src + t->name, t->namelen, true);
			break;
		case TOK_PARTIAL:
			nd = new_node(p, NODE_PARTIAL, t);
			s = t->name;
			len = t->namelen;
			if (p->src[s] == '*') {
				for (s++, len--; is_space(p->src[s]); s++)
					len--;
				nd->dynamic = true;
			}
			node_name(nd, p->src + s, len, nd->dynamic);
			if (t->standalone)
				node_ind(p, nd, t->ind, t->indlen, strip,
				    striplen);
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			nd = new_node(p, t->type == TOK_SECTION ?
			    NODE_SECTION : t->type == TOK_INVERTED ?
			    NODE_INVERTED : t->type == TOK_PARENT ?
			    NODE_PARENT : NODE_BLOCK, t);
			node_name(nd, p->src + t->name, t->namelen,
			    t->type == TOK_SECTION || t->type == TOK_INVERTED);
			if (t->type == TOK_BLOCK && t->arg) {
				strip = t->ind;
				striplen = t->indlen;
			} else if (t->standalone)
				node_ind(p, nd, t->ind, t->indlen, strip,
				    striplen);
			if (n == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				st = xreallocarray(st, cap, sizeof(*st));
			}
			st[n].node = p->nnodes - 1;
			st[n].type = t->type;
			st[n].strip = strip;
			st[n].striplen = striplen;
			n++;
			break;
		case TOK_CLOSE:
			assert(n > 0);
			p->nodes[st[--n].node].end = p->nnodes;
			strip = n > 0 ? st[n - 1].strip : 0;
			striplen = n > 0 ? st[n - 1].striplen : 0;
			break;
		default:
			break;
		}
	}
	assert(n == 0);
	free(st);
}

static void
nodes_free(struct node *nodes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(nodes[i].name);
		free(nodes[i].parts);
		free(nodes[i].ind);
	}
	free(nodes);
}

/* Parses t, reporting every error found. Returns 0 or -1. */
static int
tmpl_parse(struct diag *dg, struct tmpl *t)
{
	struct parser p;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	p.dg = dg;
	p.path = t->path;
	p.src = t->src;
	p.len = t->len;
	p.line = 1;
	if (lex(&p) == -1 || p.errors > 0)
		goto out;
	mark_lines(&p);
	match_tags(&p);
	if (p.errors > 0)
		goto out;
	mark_pairs(&p);
	build(&p);
	t->nodes = p.nodes;
	t->nnodes = p.nnodes;
	p.nodes = NULL;
	p.nnodes = 0;
	rc = 0;
out:
	free(p.toks);
	nodes_free(p.nodes, p.nnodes);
	return rc;
}

/*
 * Template sets.
 */

struct tmpl_set *
tmpl_set_new(struct diag *dg, tmpl_loader loader, void *arg)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));

	assert(dg != NULL);
	set->dg = dg;
	set->loader = loader;
	set->arg = arg;
	set->tabsize = 32;
	set->tab = xcalloc(set->tabsize, sizeof(*set->tab));
	return set;
}

void
tmpl_set_html_only(struct tmpl_set *set)
{
	set->html_only = true;
}

static void
tmpl_clear(struct tmpl *t)
{
	free(t->path);
	free(t->src);
	nodes_free(t->nodes, t->nnodes);
	t->path = t->src = NULL;
	t->len = 0;
	t->nodes = NULL;
	t->nnodes = 0;
	t->state = TMPL_ABSENT;
}

void
tmpl_set_free(struct tmpl_set *set)
{
	struct tmpl *t, *next;
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->tabsize; i++)
		for (t = set->tab[i]; t != NULL; t = next) {
			next = t->next;
			tmpl_clear(t);
			free(t->name);
			free(t);
		}
	free(set->tab);
	for (i = 0; i < set->nmissing; i++)
		free(set->missing[i].name);
	free(set->missing);
	free(set);
}

/* Returns the entry for name, adding an empty one if there is none. */
static struct tmpl *
set_entry(struct tmpl_set *set, const char *name, bool *added)
{
	struct tmpl *t, *next, **tab;
	size_t i, h;

	h = str_hash(name) & (set->tabsize - 1);
	for (t = set->tab[h]; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0) {
			*added = false;
			return t;
		}
	if (set->count >= set->tabsize) {
		tab = xcalloc(set->tabsize * 2, sizeof(*tab));
		for (i = 0; i < set->tabsize; i++)
			for (t = set->tab[i]; t != NULL; t = next) {
				next = t->next;
				h = str_hash(t->name) & (set->tabsize * 2 - 1);
				t->next = tab[h];
				tab[h] = t;
			}
		free(set->tab);
		set->tab = tab;
		set->tabsize *= 2;
		h = str_hash(name) & (set->tabsize - 1);
	}
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->state = TMPL_ABSENT;
	t->next = set->tab[h];
	set->tab[h] = t;
	set->count++;
	*added = true;
	return t;
}

void
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
    size_t len, const char *path)
{
	struct tmpl *t;
	size_t i;
	bool added;

	t = set_entry(set, name, &added);
	tmpl_clear(t);
	/* A new source: what the old one named is forgotten. */
	for (i = 0; i < set->nmissing; i++)
		if (set->missing[i].t == t) {
			free(set->missing[i].name);
			set->missing[i--] = set->missing[--set->nmissing];
		}
	t->src = xstrndup(src, len);
	t->len = len;
	t->path = xstrdup(path != NULL ? path : name);
	t->state = TMPL_SOURCE;
}

/* Returns the entry for name, asking the loader the first time. */
static struct tmpl *
set_load(struct tmpl_set *set, const char *name)
{
	struct buf src = BUF_INIT;
	const char *path = NULL;
	struct tmpl *t;
	bool added;
	int rc;

	t = set_entry(set, name, &added);
	if (!added || set->loader == NULL)
		return t;
	rc = set->loader(set->arg, name, &src, &path);
	if (rc < 0)
		t->state = TMPL_BROKEN;
	else if (rc > 0) {
		t->len = src.len;
		t->src = buf_detach(&src);
		t->path = xstrdup(path != NULL ? path : name);
		t->state = TMPL_SOURCE;
	}
	buf_release(&src);
	return t;
}

/*
 * Finds template name and parses it the first time. Sets *out to it, or
 * to NULL if there is no such template. Returns 0, or -1 if the loader or
 * the parser reported an error (now or before).
 */
static int
tmpl_get(struct tmpl_set *set, const char *name, struct tmpl **out)
{
	struct tmpl *t = set_load(set, name);

	*out = NULL;
	if (t->state == TMPL_SOURCE)
		t->state = tmpl_parse(set->dg, t) == 0 ? TMPL_PARSED :
		    TMPL_BROKEN;
	if (t->state == TMPL_BROKEN)
		return -1;
	if (t->state == TMPL_PARSED)
		*out = t;
	return 0;
}

/*
 * A template names a partial or parent (tag n) that neither the site nor
 * the theme has. Mustache renders it as nothing, but a site author has
 * almost always mistyped it: warned once per template and name. Returns
 * 0, or -1 when warnings are errors (and this one is new).
 */
static int
warn_missing(struct tmpl_set *set, const struct tmpl *t, const struct node *n,
    const char *name)
{
	struct pos pos = { t->path, n->line, n->col };
	size_t i;

	for (i = 0; i < set->nmissing; i++)
		if (set->missing[i].t == t &&
		    strcmp(set->missing[i].name, name) == 0)
			return 0;
	set->missing = xreallocarray(set->missing, set->nmissing + 1,
	    sizeof(*set->missing));
	set->missing[set->nmissing].t = t;
	set->missing[set->nmissing++].name = xstrdup(name);
	return diag_warning(set->dg, &pos, "%s \"%s\" not found; it renders "
	    "as nothing", n->type == NODE_PARENT ? "parent" : "partial", name);
}

/*
 * Tag n of template t writes text unescaped: a record's or a page's, which
 * may hold markup, and did here. Warned once per tag (an error under
 * --strict, which fails the build; the page is still made, so that one
 * message is enough).
 */
static void
warn_raw(struct render *r, const struct tmpl *t, const struct node *n)
{
	struct pos pos = { t->path, n->line, n->col };

	(void)diag_warning_once(r->set->dg, &pos, "\"%s\" is text, written "
	    "here without escaping: markup in it would become part of the "
	    "page; write {{%s}}", n->name, n->name);
}

static void
prepare(struct tmpl_set *set, const char *name, unsigned depth)
{
	struct tmpl *t = set_load(set, name);
	const struct node *n;
	size_t i;

	/* Each template is parsed once, so this ends; depth bounds the stack. */
	if (t->state != TMPL_SOURCE || depth > TMPL_MAX_DEPTH ||
	    tmpl_get(set, name, &t) == -1 || t == NULL)
		return;
	for (i = 0; i < t->nnodes; i++) {
		n = &t->nodes[i];
		if ((n->type != NODE_PARTIAL || n->dynamic) &&
		    n->type != NODE_PARENT)
			continue;
		prepare(set, n->name, depth + 1);
		if (set_load(set, n->name)->state == TMPL_ABSENT)
			warn_missing(set, t, n, n->name);
	}
}

void
tmpl_prepare(struct tmpl_set *set, const char *name)
{
	prepare(set, name, 0);
}

bool
tmpl_exists(struct tmpl_set *set, const char *name)
{
	return set_load(set, name)->state != TMPL_ABSENT;
}

/*
 * Rendering.
 */

static void
ctx_push(struct render *r, const struct tval *v)
{
	if (r->nctx == r->capctx) {
		r->capctx = r->capctx == 0 ? 16 : r->capctx * 2;
		r->ctx = xreallocarray(r->ctx, r->capctx, sizeof(*r->ctx));
	}
	r->ctx[r->nctx++] = v;
}

/*
 * Resolves a name: "." is the top of the context stack; otherwise the
 * first part is looked up from the top of the stack down, and the others
 * in what it gives. Returns NULL when something is missing. Each context
 * looked in is a step: partials nested in sections make a stack of
 * thousands, which a name that is not there goes all the way down.
 */
static const struct tval *
lookup(struct render *r, const struct node *n)
{
	const struct tval *v = NULL, *c;
	size_t k;
	unsigned j;

	if (n->nparts == 0)
		return r->ctx[r->nctx - 1];
	for (k = r->nctx; k-- > 0;) {
		r->steps++;
		c = r->ctx[k];
		if (c == NULL || c->type != TVAL_MAP)
			continue;
		if ((v = map_get(c, n->parts[0].s, n->parts[0].hash)) != NULL)
			break;
	}
	for (j = 1; v != NULL && j < n->nparts; j++) {
		if (v->type != TVAL_MAP)
			return NULL;
		v = map_get(v, n->parts[j].s, n->parts[j].hash);
	}
	return v;
}

/* Writes the indentation owed at the start of a line. */
static void
put_ind(struct render *r)
{
	if (r->pending) {
		buf_put(r->out, r->ind.ptr, r->ind.len);
		r->pending = false;
	}
}

static void
put_value(struct render *r, const struct tval *v, bool escape)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case TVAL_BOOL:
		put_ind(r);
		buf_puts(r->out, v->u.b ? "true" : "false");
		break;
	case TVAL_NUM:
		put_ind(r);
		put_num(r->out, v->u.num);
		break;
	case TVAL_STR:
		if (v->u.str.len == 0)
			break;
		put_ind(r);
		if (escape)
			buf_put_html(r->out, v->u.str.ptr, v->u.str.len);
		else
			buf_put(r->out, v->u.str.ptr, v->u.str.len);
		break;
	default:
		break;
	}
}

/*
 * Reports nesting deeper than TMPL_MAX_DEPTH, and stops the build. The
 * tag to blame is the first that included a template already being
 * rendered, which is where the recursion starts (a block of page.html
 * that includes page.html, inside the parent it fills); else, with no
 * template twice on the way, the tag at pos, which would go deeper.
 */
static void
recursion_error(struct render *r, const struct pos *pos, const char *name)
{
	struct pos at = *pos;
	unsigned i, j;

	for (i = 0; i < r->depth; i++) {
		for (j = 0; j < i && r->path[j].t != r->path[i].t; j++)
			continue;
		if (j < i || r->path[i].t == r->root)
			break;
	}
	if (i < r->depth) {
		at.path = r->path[i].by->path;
		at.line = r->path[i].n->line;
		at.col = r->path[i].n->col;
		name = r->path[i].t->name;
	}
	diag_error(r->set->dg, &at,
	    "template nesting deeper than %d (recursive partial '%s'?)",
	    TMPL_MAX_DEPTH, name);
	r->set->dg->stops++;
}

/*
 * Renders template name (a partial or a parent) in scope sc, for tag n
 * of template t. A missing template renders as nothing, with a warning.
 */
static int
render_include(struct render *r, const struct tmpl *t, const struct node *n,
    const char *name, const struct scope *sc)
{
	struct pos pos = { t->path, n->line, n->col };
	struct tmpl *inc;
	size_t indlen = r->ind.len;
	int rc;

	if (r->depth >= TMPL_MAX_DEPTH) {
		recursion_error(r, &pos, name);
		return -1;
	}
	if (tmpl_get(r->set, name, &inc) == -1)
		return -1;
	/*
	 * A dynamic name comes from the data: no warning, which the
	 * processes of a parallel build would each give once.
	 */
	if (inc == NULL)
		return n->dynamic ? 0 : warn_missing(r->set, t, n, name);
	buf_put(&r->ind, n->ind, n->indlen);
	r->path[r->depth].t = inc;
	r->path[r->depth].by = t;
	r->path[r->depth].n = n;
	r->depth++;
	rc = render_nodes(r, inc, 0, inc->nnodes, sc);
	r->depth--;
	buf_truncate(&r->ind, indlen);
	return rc;
}

/*
 * Renders block n of template t: the argument passed for it by the
 * outermost parent tag in scope, else its own content.
 */
static int
render_block(struct render *r, const struct tmpl *t, size_t i,
    const struct scope *sc)
{
	const struct node *n = &t->nodes[i], *a;
	const struct scope *f, *found = NULL;
	size_t k, arg = 0, indlen = r->ind.len;
	int rc;

	/*
	 * Each argument looked at is a step: thousands of blocks given to
	 * a parent that has thousands too would else be compared each with
	 * each, outside the budget.
	 */
	for (f = sc; f != NULL; f = f->outer) {
		a = &f->t->nodes[f->parent];
		for (k = f->parent + 1; k < a->end; k = f->t->nodes[k].end) {
			r->steps++;
			if (strcmp(f->t->nodes[k].name, n->name) == 0) {
				found = f;
				arg = k;
			}
		}
	}
	if (r->steps > TMPL_MAX_STEPS && over_budget(r, t, n))
		return -1;
	if (found == NULL)
		return render_nodes(r, t, i + 1, n->end, sc);
	buf_put(&r->ind, n->ind, n->indlen);
	rc = render_nodes(r, found->t, arg + 1, found->t->nodes[arg].end,
	    found->outer);
	buf_truncate(&r->ind, indlen);
	return rc;
}

/*
 * Sections nested over lists, and partials, multiply: a small template can
 * ask for more output than any page needs. Reports a render that visits
 * more than TMPL_MAX_STEPS nodes or writes more than TMPL_MAX_OUTPUT bytes
 * (once; the caller stops at the -1 it gets back). Unless the page is
 * the cause, the error is the template's: it stops the build (dg->stops).
 */
static bool
budget_error(struct render *r, const struct tmpl *t, const struct node *n)
{
	struct pos pos = { t->path, n->line, n->col };

	if (r->steps > TMPL_MAX_STEPS) {
		diag_error(r->set->dg, &pos, "template rendering takes more "
		    "than %u steps (sections nested over long lists?)",
		    TMPL_MAX_STEPS);
		r->set->dg->stops++;
		return true;
	}
	if (r->out->len - r->start > TMPL_MAX_OUTPUT && r->source != NULL) {
		struct pos at = { r->source, 0, 0 };
		struct buf where = BUF_INIT;

		/* The page is the likelier cause, and where to look first. */
		buf_printf(&where, "%s:%u:%u", t->path, n->line, n->col);
		diag_error(r->set->dg, &at, "page larger than %u MiB once "
		    "rendered (template output passed it at %s)",
		    TMPL_MAX_OUTPUT >> 20, where.ptr);
		buf_release(&where);
		return true;
	}
	if (r->out->len - r->start > TMPL_MAX_OUTPUT) {
		diag_error(r->set->dg, &pos, "template output larger than "
		    "%u MiB (sections nested over long lists?)",
		    TMPL_MAX_OUTPUT >> 20);
		r->set->dg->stops++;
		return true;
	}
	return false;
}

/* Counts a step of the render; the check of every node, kept small. */
static inline bool
over_budget(struct render *r, const struct tmpl *t, const struct node *n)
{
	if (++r->steps <= TMPL_MAX_STEPS &&
	    r->out->len - r->start <= TMPL_MAX_OUTPUT)
		return false;
	return budget_error(r, t, n);
}

static int
render_nodes(struct render *r, const struct tmpl *t, size_t from, size_t to,
    const struct scope *sc)
{
	const struct node *n;
	const struct tval *v;
	struct scope frame;
	size_t i, next, k;

	for (i = from; i < to; i = next) {
		n = &t->nodes[i];
		next = n->end;
		if (over_budget(r, t, n))
			return -1;
		switch (n->type) {
		case NODE_TEXT:
			/* Blank lines get no indentation. */
			if (r->ind.len > 0 && n->text[0] != '\n' &&
			    (n->len != 2 || n->text[0] != '\r' ||
			    n->text[1] != '\n'))
				put_ind(r);
			buf_put(r->out, n->text, n->len);
			r->pending = n->text[n->len - 1] == '\n';
			break;
		case NODE_VAR:
			put_value(r, lookup(r, n), true);
			break;
		case NODE_RAW:
			v = lookup(r, n);
			if (r->set->html_only && v != NULL &&
			    v->type == TVAL_STR && !v->html && v->u.str.len > 0)
				warn_raw(r, t, n);
			put_value(r, v, false);
			break;
		case NODE_SECTION:
			v = lookup(r, n);
			if (v != NULL && v->type == TVAL_LIST) {
				for (k = 0; k < v->u.list.len; k++) {
					ctx_push(r, v->u.list.v[k]);
					if (render_nodes(r, t, i + 1, n->end,
					    sc) == -1)
						return -1;
					r->nctx--;
				}
			} else if (truthy(v)) {
				ctx_push(r, v);
				if (render_nodes(r, t, i + 1, n->end, sc) == -1)
					return -1;
				r->nctx--;
			}
			break;
		case NODE_INVERTED:
			if (!truthy(lookup(r, n)) &&
			    render_nodes(r, t, i + 1, n->end, sc) == -1)
				return -1;
			break;
		case NODE_PARTIAL:
			if (n->dynamic) {
				v = lookup(r, n);
				if (v == NULL || v->type != TVAL_STR)
					break;
				if (render_include(r, t, n, v->u.str.ptr,
				    sc) == -1)
					return -1;
			} else if (render_include(r, t, n, n->name, sc) == -1)
				return -1;
			break;
		case NODE_PARENT:
			frame.t = t;
			frame.parent = i;
			frame.outer = sc;
			if (render_include(r, t, n, n->name, &frame) == -1)
				return -1;
			break;
		case NODE_BLOCK:
			if (render_block(r, t, i, sc) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

int
tmpl_render(struct tmpl_set *set, const char *name, const struct tval *ctx,
    struct buf *out)
{
	return tmpl_render_for(set, name, ctx, out, NULL);
}

int
tmpl_render_for(struct tmpl_set *set, const char *name,
    const struct tval *ctx, struct buf *out, const char *source)
{
	struct render r;
	struct tmpl *t;
	int rc;

	if (tmpl_get(set, name, &t) == -1)
		return -1;
	if (t == NULL)
		return diag_error(set->dg, NULL, "no template '%s'", name);
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.start = out->len;
	r.source = source;
	r.root = t;
	buf_init(&r.ind);
	r.pending = true;
	ctx_push(&r, ctx);
	rc = render_nodes(&r, t, 0, t->nnodes, NULL);
	free(r.ctx);
	buf_release(&r.ind);
	return rc;
}
