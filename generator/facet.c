/*
 * Facets: the terms of each kind found in the records, their path
 * segments and which records and actions belong to them.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>

#include "buf.h"
#include "facet.h"
#include "record.h"
#include "util.h"

static const char *const kind_keys[] = {
	"status", "country", "authority", "type"
};
static const char *const kind_labels[] = {
	"Status", "Country", "Authority", "Action type"
};
static const char *const kind_plurals[] = {
	"Statuses", "Countries", "Authorities", "Action types"
};

const char *
facet_kind_key(enum facet_kind k)
{
	return kind_keys[k];
}

const char *
facet_kind_label(enum facet_kind k)
{
	return kind_labels[k];
}

const char *
facet_kind_plural(enum facet_kind k)
{
	return kind_plurals[k];
}

/*
 * Decodes the UTF-8 sequence at s (valid: the input was checked when
 * read) into *cp; returns its length.
 */
static size_t
utf8_next(const char *s, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
	*cp = u[0] & (0x3F >> (n - 1));
	for (i = 1; i < n && (u[i] & 0xC0) == 0x80; i++)
		*cp = (*cp << 6) | (u[i] & 0x3F);
	return i;
}

/* Punctuation and spaces outside ASCII that separate words in a slug. */
static bool
is_separator(unsigned long cp)
{
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	    (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F);
}

/* Appends the slug of s to b: nothing when s has no letter or digit. */
static void
slug_put(struct buf *b, const char *s)
{
	unsigned long cp;
	size_t n, start = b->len;
	bool dash = false;

	for (; *s != '\0'; s += n) {
		n = utf8_next(s, &cp);
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			;
		else if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (cp < 0x80 || is_separator(cp) || (n > 1 &&
		    !u_isalnum((UChar32)cp) && !((U_GET_GC_MASK((UChar32)cp) &
		    U_GC_M_MASK) && b->len > start && !dash))) {
			/*
			 * Not a letter or a digit, nor a mark on one
			 * ("हिन्दी" keeps its vowel signs): an emoji, an
			 * invisible format character or a mark alone.
			 */
			dash = b->len > start;
			continue;
		}
		if (dash)
			buf_putc(b, '-');
		dash = false;
		if (cp >= 0x80 && cp <= 0x10FFFF)
			/* "Ü" gives "ü", "Ł" "ł", "ФСБ" "фсб" */
			cp = (unsigned long)u_tolower((UChar32)cp);
		if (cp < 0x80 || n > 1)
			buf_put_utf8(b, cp);
		else
			buf_put(b, s, n);	/* a byte that is not UTF-8 */
	}
}

char *
facet_slug(const char *s)
{
	struct buf b = BUF_INIT;

	slug_put(&b, s);
	if (b.len == 0)
		BUF_PUTSL(&b, "unnamed");
	return buf_detach(&b);
}

#define SLUG_MAX_CODES	8	/* code points in a slug made of them */
#define SLUG_MAX_BYTES	100	/* a folder name well under NAME_MAX */

/*
 * The slug of an authority name before names that share it are told
 * apart: facet_slug()'s, cut after a word within SLUG_MAX_BYTES (a
 * longer name would be a folder name the system refuses), else one made
 * of the name's code points (spaces left out), else "authority". Caller
 * frees.
 */
static char *
name_base(const char *name)
{
	struct buf b = BUF_INIT;
	unsigned long cp;
	size_t n, codes = 0, cut;

	slug_put(&b, name);
	if (b.len > SLUG_MAX_BYTES) {
		/* At the last '-' that leaves a word; else a whole character. */
		for (cut = SLUG_MAX_BYTES; cut > 0 && b.ptr[cut] != '-'; cut--)
			;
		if (cut == 0)
			for (cut = SLUG_MAX_BYTES;
			    ((unsigned char)b.ptr[cut] & 0xc0) == 0x80; cut--)
				;
		buf_truncate(&b, cut);
	}
	if (b.len > 0)
		return buf_detach(&b);
	for (; *name != '\0'; name += n) {
		n = utf8_next(name, &cp);
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
			continue;
		if (++codes > SLUG_MAX_CODES)
			break;
		buf_printf(&b, codes == 1 ? "u%lx" : "-%lx", cp);
	}
	if (b.len == 0 || codes > SLUG_MAX_CODES) {
		buf_truncate(&b, 0);
		BUF_PUTSL(&b, "authority");
	}
	return buf_detach(&b);
}

struct facet_name {
	const char	*name;	/* borrowed from a record */
	char		*slug;
};

struct facet_names {
	struct facet_name *v;	/* sorted by name, byte-wise */
	size_t		   n;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct facet_name *)a)->name,
	    ((const struct facet_name *)b)->name);
}

/* A set of strings: open addressing, a power of two slots. */
struct slug_set {
	const char	**slot;
	size_t		  cap;
};

/* Adds s (borrowed); false when it was there already. */
static bool
slug_set_add(struct slug_set *set, const char *s)
{
	size_t h = str_hash(s) & (set->cap - 1);

	while (set->slot[h] != NULL) {
		if (strcmp(set->slot[h], s) == 0)
			return false;
		h = (h + 1) & (set->cap - 1);
	}
	set->slot[h] = s;
	return true;
}

/* Which name has which base: sorted by base, then name. */
struct name_base {
	char	*base;
	size_t	 i;	/* in facet_names.v */
};

static int
name_base_cmp(const void *a, const void *b)
{
	const struct name_base *x = a, *y = b;
	int c = strcmp(x->base, y->base);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

struct facet_names *
facet_names_new(struct record *const *recs, size_t nrec)
{
	struct facet_names *fn = xcalloc(1, sizeof(*fn));
	struct name_base *nb;
	struct slug_set set = { NULL, 16 };
	struct buf b = BUF_INIT;
	size_t i, j, k, n = 0, total = 0;
	unsigned long suffix;

	for (i = 0; i < nrec; i++)
		total += recs[i]->actionsz;
	fn->v = xcalloc(total + 1, sizeof(*fn->v));
	for (i = 0; i < nrec; i++)
		for (j = 0; j < recs[i]->actionsz; j++)
			fn->v[n++].name = recs[i]->actions[j].authority;
	if (n > 1)
		qsort(fn->v, n, sizeof(*fn->v), name_cmp);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || strcmp(fn->v[k - 1].name, fn->v[i].name) != 0)
			fn->v[k++] = fn->v[i];
	fn->n = n = k;

	/* Each base goes to the first name that has it... */
	nb = xcalloc(n + 1, sizeof(*nb));
	for (i = 0; i < n; i++)
		nb[i] = (struct name_base){ name_base(fn->v[i].name), i };
	if (n > 1)
		qsort(nb, n, sizeof(*nb), name_base_cmp);
	while (set.cap < 4 * (n + 1))
		set.cap *= 2;
	set.slot = xcalloc(set.cap, sizeof(*set.slot));
	for (i = 0; i < n; i++)
		slug_set_add(&set, nb[i].base);
	/* ... and the others have "-2", "-3" ... that no name has. */
	for (i = 0; i < n; i = j) {
		fn->v[nb[i].i].slug = xstrdup(nb[i].base);
		suffix = 2;
		for (j = i + 1; j < n && strcmp(nb[j].base, nb[i].base) == 0;
		    j++) {
			do {
				buf_truncate(&b, 0);
				buf_printf(&b, "%s-%lu", nb[i].base, suffix++);
			} while (!slug_set_add(&set, b.ptr));
			/* The set keeps the string, which the name now owns. */
			fn->v[nb[j].i].slug = buf_detach(&b);
		}
	}
	for (i = 0; i < n; i++)
		free(nb[i].base);
	free(nb);
	free(set.slot);
	buf_release(&b);
	return fn;
}

void
facet_names_free(struct facet_names *fn)
{
	size_t i;

	if (fn == NULL)
		return;
	for (i = 0; i < fn->n; i++)
		free(fn->v[i].slug);
	free(fn->v);
	free(fn);
}

const char *
facet_names_slug(const struct facet_names *fn, const char *name)
{
	struct facet_name key = { name, NULL }, *f;

	f = bsearch(&key, fn->v, fn->n, sizeof(*fn->v), name_cmp);
	return f != NULL ? f->slug : NULL;
}

char *
facet_vendor_key(enum facet_kind k, const struct record *r)
{
	char *key, *p;

	if (k == FACET_STATUS)
		return xstrdup(status_key(r->status));
	key = xstrdup(r->country_code);
	for (p = key; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return key;
}

char *
facet_action_key(const struct facet_names *fn, enum facet_kind k,
    const struct action *a)
{
	const char *slug;

	if (k == FACET_TYPE)
		return xstrdup(action_type_key(a->type));
	slug = facet_names_slug(fn, a->authority);
	assert(slug != NULL);	/* fn is made from the same records */
	return slug != NULL ? xstrdup(slug) : facet_slug(a->authority);
}

char *
facet_out(enum facet_kind k, const char *key)
{
	if (key == NULL)
		return xasprintf("%s/index.html", kind_keys[k]);
	return xasprintf("%s/%s/index.html", kind_keys[k], key);
}

bool
facet_has_vendor(enum facet_kind k, const char *key, const struct record *r)
{
	char *v;
	bool yes;

	if (k != FACET_STATUS && k != FACET_COUNTRY)
		return false;
	v = facet_vendor_key(k, r);
	yes = strcmp(v, key) == 0;
	free(v);
	return yes;
}

bool
facet_has_action(const struct facet_names *fn, enum facet_kind k,
    const char *key, const struct action *a)
{
	char *v;
	bool yes;

	if (k != FACET_AUTHORITY && k != FACET_TYPE)
		return false;
	v = facet_action_key(fn, k, a);
	yes = strcmp(v, key) == 0;
	free(v);
	return yes;
}

/* The index of a status or type key in the schema's order; 0 for others. */
static int
schema_rank(enum facet_kind k, const char *key)
{
	enum status st;
	enum action_type t;

	if (k == FACET_STATUS && status_from_key(&st, key))
		return (int)st;
	if (k == FACET_TYPE && action_type_from_key(&t, key))
		return (int)t;
	return 0;
}

/*
 * Where the terms of one kind are while they are collected: a hash table
 * of their keys (positions in f->terms[k], plus one; 0 is empty), and for
 * each term the record that counted it last (plus one).
 */
struct term_index {
	size_t	*slot;
	size_t	 cap;
	size_t	*stamp;
};

/* The slot of key: where it is, or the empty one where it would go. */
static size_t
index_find(const struct term_index *ix, const struct facet_term *terms,
    const char *key)
{
	size_t h = str_hash(key) & (ix->cap - 1);

	while (ix->slot[h] != 0 && strcmp(terms[ix->slot[h] - 1].key, key) != 0)
		h = (h + 1) & (ix->cap - 1);
	return h;
}

/*
 * The position of the term of key in kind k, added when new with its
 * label. Takes over key.
 */
static size_t
term_get(struct facets *f, struct term_index *ix, enum facet_kind k,
    char *key, const char *label)
{
	size_t h, i, n = f->termsz[k];

	if (2 * (n + 1) > ix->cap) {
		free(ix->slot);
		ix->cap = ix->cap == 0 ? 16 : 2 * ix->cap;
		ix->slot = xcalloc(ix->cap, sizeof(*ix->slot));
		for (i = 0; i < n; i++)
			ix->slot[index_find(ix, f->terms[k],
			    f->terms[k][i].key)] = i + 1;
	}
	h = index_find(ix, f->terms[k], key);
	if (ix->slot[h] != 0) {
		free(key);
		return ix->slot[h] - 1;
	}
	f->terms[k] = xreallocarray(f->terms[k], n + 1, sizeof(*f->terms[k]));
	f->terms[k][n] = (struct facet_term){ key, xstrdup(label), 0, 0,
	    schema_rank(k, key) };
	ix->stamp = xreallocarray(ix->stamp, n + 1, sizeof(*ix->stamp));
	ix->stamp[n] = 0;
	ix->slot[h] = n + 1;
	f->termsz[k]++;
	return n;
}

/* Statuses and types keep the schema's order (rank), others go by label. */
static int
term_cmp(const void *a, const void *b)
{
	const struct facet_term *x = a, *y = b;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((c = str_collate(x->label, y->label)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static int
bykey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct facet_keyref *)a)->key,
	    ((const struct facet_keyref *)b)->key);
}

void
facets_collect(struct facets *f, const struct facet_names *fn,
    struct record *const *recs, size_t n)
{
	struct term_index ix[FACET__MAX];
	const struct record *r;
	const struct action *a;
	size_t i, j, t;
	int k;

	memset(f, 0, sizeof(*f));
	memset(ix, 0, sizeof(ix));
	for (i = 0; i < n; i++) {
		r = recs[i];
		t = term_get(f, &ix[FACET_STATUS], FACET_STATUS,
		    facet_vendor_key(FACET_STATUS, r), status_label(r->status));
		f->terms[FACET_STATUS][t].vendors++;
		t = term_get(f, &ix[FACET_COUNTRY], FACET_COUNTRY,
		    facet_vendor_key(FACET_COUNTRY, r), r->country);
		f->terms[FACET_COUNTRY][t].vendors++;
		for (k = FACET_AUTHORITY; k <= FACET_TYPE; k++) {
			for (j = 0; j < r->actionsz; j++) {
				a = &r->actions[j];
				t = term_get(f, &ix[k], (enum facet_kind)k,
				    facet_action_key(fn, (enum facet_kind)k, a),
				    k == FACET_TYPE ? action_type_label(a->type) :
				    a->authority);
				f->terms[k][t].actions++;
				/* A vendor counts once for each term it has. */
				if (ix[k].stamp[t] != i + 1) {
					ix[k].stamp[t] = i + 1;
					f->terms[k][t].vendors++;
				}
			}
		}
	}
	for (k = 0; k < FACET__MAX; k++) {
		free(ix[k].slot);
		free(ix[k].stamp);
		if (f->termsz[k] > 1)
			qsort(f->terms[k], f->termsz[k], sizeof(*f->terms[k]),
			    term_cmp);
		/* Keys are unique: a sorted list of positions finds them. */
		f->bykey[k] = xreallocarray(NULL, f->termsz[k] + 1,
		    sizeof(*f->bykey[k]));
		for (i = 0; i < f->termsz[k]; i++)
			f->bykey[k][i] = (struct facet_keyref){
				f->terms[k][i].key, i };
		if (f->termsz[k] > 1)
			qsort(f->bykey[k], f->termsz[k], sizeof(*f->bykey[k]),
			    bykey_cmp);
	}
}

size_t
facets_find(const struct facets *f, enum facet_kind k, const char *key)
{
	size_t lo = 0, hi = f->termsz[k], mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(key, f->bykey[k][mid].key);
		if (c == 0)
			return f->bykey[k][mid].pos;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (size_t)-1;
}

void
facets_release(struct facets *f)
{
	size_t i;
	int k;

	for (k = 0; k < FACET__MAX; k++) {
		for (i = 0; i < f->termsz[k]; i++) {
			free(f->terms[k][i].key);
			free(f->terms[k][i].label);
		}
		free(f->terms[k]);
		free(f->bykey[k]);
		f->terms[k] = NULL;
		f->bykey[k] = NULL;
		f->termsz[k] = 0;
	}
}
