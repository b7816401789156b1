/*
 * Versions of records parsed ahead of the history walk.
 *
 * The worker owns a git_repository of its own (libgit2 objects are not
 * shared between threads) and parses with record_parse(), which keeps a
 * compiled schema per thread and reports through a silent diag of its
 * own. The queue is a list in the order asked for, with a table from
 * (blob, path) to its place; one mutex guards both, and nothing is
 * parsed while it is held.
 *
 * Each record parsed is copied into one block of a slab, memory mapped
 * by the worker alone, and the parse's own allocations are freed at
 * once. A record held until the walk takes it is then one block, not
 * some thirty allocations of the worker's malloc arena (which the rest
 * of the build does not allocate from, and which kept what the walk
 * had freed), and the slabs go back to the system with the queue.
 */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS */
#include <sys/mman.h>

#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "markdown.h"
#include "rawobj.h"
#include "record.h"
#include "recqueue.h"
#include "util.h"

enum rq_state {
	RQ_WAITING,	/* asked for, not begun */
	RQ_PARSING,	/* the worker is parsing it */
	RQ_PARSED,	/* rec is the result */
	RQ_TAKEN	/* the caller took it, or parses it itself */
};

struct rq_item {
	git_oid		 id;
	char		*path;
	enum rq_state	 state;
	struct record	*rec;
};

/* Memory for records, mapped by the worker, freed with the queue. */
struct rq_slab {
	struct rq_slab	*next;
	size_t		 size;		/* bytes mapped, this header included */
	size_t		 used;
};

#define SLAB_SIZE	((size_t)1 << 20)

struct recqueue {
	pthread_mutex_t	 lock;
	pthread_cond_t	 more;		/* an item was added, or stop */
	pthread_cond_t	 parsed;	/* an item left RQ_PARSING */
	pthread_t	 worker;
	char		*gitdir;
	bool		 stop;
	bool		 gone;		/* the worker has returned */
	struct rq_item	*items;		/* in the order asked for */
	size_t		 itemsz;
	size_t		 next;		/* the worker's next item */
	size_t		 wanted;	/* items recqueue_take() asked for */
	size_t		*table;		/* item index + 1; 0: free */
	size_t		 tablecap;
	struct rq_slab	*slabs;		/* the worker's alone; newest first */
};

struct record *
recqueue_parse(git_repository *repo, const git_oid *id, const char *path)
{
	struct rawobj blob;
	struct record *rec = NULL;
	struct diag quiet;

	diag_init(&quiet);
	quiet.silent = true;
	if (rawobj_read(&blob, repo, id, GIT_OBJECT_BLOB) == 0 &&
	    blob.size <= MAX_FILE_SIZE)
		record_parse(&rec, &quiet, path, blob.data, blob.size);
	rawobj_free(&blob);
	return rec;
}

/* ---- records in one block ---- */

/* Where a record is copied; base NULL: only the size is counted. */
struct pack {
	char	*base;
	size_t	 off;
};

#define PACK_ALIGN	alignof(max_align_t)

/* Stores a value into the copy, unless the pass only counts. */
#define PUT(pk, dst, val) do {			\
	void *put_ = (val);			\
	if ((pk)->base != NULL)			\
		(dst) = put_;			\
} while (0)

static void *
pack_mem(struct pack *pk, const void *src, size_t n, size_t align)
{
	char *p = NULL;

	if (src == NULL)
		return NULL;
	pk->off = (pk->off + align - 1) & ~(align - 1);
	if (pk->base != NULL) {
		p = pk->base + pk->off;
		memcpy(p, src, n);
	}
	pk->off += n;
	return p;
}

static char *
pack_str(struct pack *pk, const char *s)
{
	return s != NULL ? pack_mem(pk, s, strlen(s) + 1, 1) : NULL;
}

/* Copies where the runs of t are. */
static struct md_span *
pack_spans(struct pack *pk, const struct mdtext *t)
{
	return pack_mem(pk, t->spans, t->spansz * sizeof(*t->spans),
	    PACK_ALIGN);
}

static char **
pack_strv(struct pack *pk, char *const *v, size_t n)
{
	char **c = pack_mem(pk, v, n * sizeof(*v), PACK_ALIGN);
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		PUT(pk, c[i], pack_str(pk, v[i]));
	return c;
}

/*
 * A field added to a record, an action, a source or a response must be
 * copied by pack_record() when it points to memory: these sizes remind
 * whoever adds one (on x86_64, where docket is built and tested).
 */
#if defined(__x86_64__)
_Static_assert(sizeof(struct record) == 208 &&
    sizeof(struct action) == 128 && sizeof(struct source) == 48 &&
    sizeof(struct response) == 56 && sizeof(struct mdtext) == 32,
    "a record's fields changed: copy the new ones in pack_record()");
#endif

/*
 * Copies r and all it points to, every field of struct record and of
 * what it holds (see record_free()), into pk. Returns the copy (NULL
 * when the pass only counts).
 */
static struct record *
pack_record(struct pack *pk, const struct record *r)
{
	struct record *c = pack_mem(pk, r, sizeof(*r), PACK_ALIGN);
	struct action *a;
	struct source *src;
	struct response *rs;
	size_t i, j;

	PUT(pk, c->path, pack_str(pk, r->path));
	PUT(pk, c->id, pack_str(pk, r->id));
	PUT(pk, c->name, pack_str(pk, r->name));
	PUT(pk, c->aliases, pack_strv(pk, r->aliases, r->aliasesz));
	PUT(pk, c->country_code, pack_str(pk, r->country_code));
	PUT(pk, c->country, pack_str(pk, r->country));
	PUT(pk, c->website, pack_str(pk, r->website));
	PUT(pk, c->products, pack_strv(pk, r->products, r->productsz));
	PUT(pk, c->summary.text, pack_str(pk, r->summary.text));
	PUT(pk, c->summary.spans, pack_spans(pk, &r->summary));
	a = pack_mem(pk, r->actions, r->actionsz * sizeof(*a), PACK_ALIGN);
	PUT(pk, c->actions, a);
	for (i = 0; r->actions != NULL && i < r->actionsz; i++) {
		const struct action *ra = &r->actions[i];
		PUT(pk, a[i].id, pack_str(pk, ra->id));
		PUT(pk, a[i].authority, pack_str(pk, ra->authority));
		PUT(pk, a[i].title, pack_str(pk, ra->title));
		PUT(pk, a[i].scope, pack_str(pk, ra->scope));
		PUT(pk, a[i].description.text,
		    pack_str(pk, ra->description.text));
		PUT(pk, a[i].description.spans,
		    pack_spans(pk, &ra->description));
		src = pack_mem(pk, ra->sources,
		    ra->sourcesz * sizeof(*src), PACK_ALIGN);
		PUT(pk, a[i].sources, src);
		for (j = 0; ra->sources != NULL && j < ra->sourcesz; j++) {
			PUT(pk, src[j].href, pack_str(pk, ra->sources[j].href));
			PUT(pk, src[j].publisher,
			    pack_str(pk, ra->sources[j].publisher));
			PUT(pk, src[j].archived,
			    pack_str(pk, ra->sources[j].archived));
		}
	}
	rs = pack_mem(pk, r->responses, r->responsesz * sizeof(*rs),
	    PACK_ALIGN);
	PUT(pk, c->responses, rs);
	for (i = 0; r->responses != NULL && i < r->responsesz; i++) {
		PUT(pk, rs[i].href, pack_str(pk, r->responses[i].href));
		PUT(pk, rs[i].text.text, pack_str(pk, r->responses[i].text.text));
		PUT(pk, rs[i].text.spans, pack_spans(pk, &r->responses[i].text));
	}
	PUT(pk, c->note.text, pack_str(pk, r->note.text));
	PUT(pk, c->note.spans, pack_spans(pk, &r->note));
	return c;
}

/* The record as one block of the queue's slabs, r freed (on the worker). */
static struct record *
pack(struct recqueue *q, struct record *r)
{
	struct pack pk = { NULL, 0 };
	struct rq_slab *s = q->slabs;
	struct record *c;
	size_t need, size, start;

	if (r == NULL)
		return NULL;
	pack_record(&pk, r);
	need = pk.off;
	start = (sizeof(*s) + PACK_ALIGN - 1) & ~(PACK_ALIGN - 1);
	if (s == NULL || s->size - s->used < need) {
		size = start + need > SLAB_SIZE ? start + need : SLAB_SIZE;
		s = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s == MAP_FAILED)
			die("out of memory");
		s->next = q->slabs;
		s->size = size;
		s->used = start;
		q->slabs = s;
	}
	pk.base = (char *)s + s->used;
	pk.off = 0;
	c = pack_record(&pk, r);
	/* The next block starts aligned too. */
	s->used += (pk.off + PACK_ALIGN - 1) & ~(PACK_ALIGN - 1);
	record_free(r);
	return c;
}

static size_t
item_hash(const git_oid *id, const char *path)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	for (; *path != '\0'; path++)
		h = h * 33 + (unsigned char)*path;
	return h;
}

/* The slot of (id, path) in the table: its own, or the free one to use. */
static size_t
slot(const struct recqueue *q, const git_oid *id, const char *path)
{
	size_t j = item_hash(id, path) & (q->tablecap - 1);
	const struct rq_item *it;

	for (; q->table[j] != 0; j = (j + 1) & (q->tablecap - 1)) {
		it = &q->items[q->table[j] - 1];
		if (git_oid_equal(&it->id, id) && strcmp(it->path, path) == 0)
			break;
	}
	return j;
}

static void
table_grow(struct recqueue *q)
{
	size_t i;

	free(q->table);
	q->tablecap = q->tablecap == 0 ? 256 : q->tablecap * 2;
	q->table = xcalloc(q->tablecap, sizeof(*q->table));
	for (i = 0; i < q->itemsz; i++)
		q->table[slot(q, &q->items[i].id, q->items[i].path)] = i + 1;
}

static void *
worker_main(void *arg)
{
	struct recqueue *q = arg;
	git_repository *repo = NULL;
	struct record *rec;
	git_oid id;
	char *path;
	size_t i;

	/* Without a repository, every item is left to the caller. */
	if (git_repository_open_ext(&repo, q->gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		pthread_mutex_lock(&q->lock);
		goto out;
	}
	rawobj_guard(repo, NULL);
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->stop && q->next == q->itemsz) {
			/* Idle: recqueue_wait() may be waiting for that. */
			pthread_cond_broadcast(&q->parsed);
			pthread_cond_wait(&q->more, &q->lock);
		}
		if (q->stop)
			break;
		i = q->next++;
		if (q->items[i].state != RQ_WAITING)
			continue;
		q->items[i].state = RQ_PARSING;
		/* The path is not moved when items grow. */
		git_oid_cpy(&id, &q->items[i].id);
		path = q->items[i].path;
		pthread_mutex_unlock(&q->lock);
		rec = pack(q, recqueue_parse(repo, &id, path));
		pthread_mutex_lock(&q->lock);
		q->items[i].rec = rec;
		q->items[i].state = RQ_PARSED;
		pthread_cond_broadcast(&q->parsed);
	}
out:
	q->gone = true;
	pthread_cond_broadcast(&q->parsed);
	pthread_mutex_unlock(&q->lock);
	git_repository_free(repo);
	record_cleanup();
	return NULL;
}

struct recqueue *
recqueue_start(const char *gitdir)
{
	struct recqueue *q;

	if ((git_libgit2_features() & GIT_FEATURE_THREADS) == 0)
		return NULL;
	/* libxml2 and the schema types are made ready here, once. */
	record_init();
	q = xcalloc(1, sizeof(*q));
	q->gitdir = xstrdup(gitdir);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->parsed, NULL);
	if (pthread_create(&q->worker, NULL, worker_main, q) != 0) {
		pthread_cond_destroy(&q->parsed);
		pthread_cond_destroy(&q->more);
		pthread_mutex_destroy(&q->lock);
		free(q->gitdir);
		free(q);
		return NULL;
	}
	return q;
}

void
recqueue_add(struct recqueue *q, const git_oid *id, const char *path)
{
	struct rq_item *it;
	size_t j;

	pthread_mutex_lock(&q->lock);
	if ((q->itemsz + 1) * 2 > q->tablecap)
		table_grow(q);
	j = slot(q, id, path);
	if (q->table[j] == 0) {
		if ((q->itemsz & (q->itemsz - 1)) == 0)
			q->items = xreallocarray(q->items,
			    q->itemsz == 0 ? 1 : q->itemsz * 2,
			    sizeof(*q->items));
		it = &q->items[q->itemsz++];
		memset(it, 0, sizeof(*it));
		git_oid_cpy(&it->id, id);
		it->path = xstrdup(path);
		it->state = RQ_WAITING;
		q->table[j] = q->itemsz;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->lock);
}

bool
recqueue_take(struct recqueue *q, const git_oid *id, const char *path,
    struct record **out)
{
	struct rq_item *it;
	size_t i;
	bool took = false;

	*out = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->tablecap == 0 || (i = q->table[slot(q, id, path)]) == 0)
		goto out;
	/* Indexes stay; items and the table may move while this waits. */
	i--;
	if (q->items[i].state != RQ_TAKEN)
		q->wanted++;
	while (q->items[i].state == RQ_PARSING)
		pthread_cond_wait(&q->parsed, &q->lock);
	it = &q->items[i];
	if (it->state == RQ_PARSED) {
		*out = it->rec;
		it->rec = NULL;
		took = true;
	}
	it->state = RQ_TAKEN;
out:
	pthread_mutex_unlock(&q->lock);
	return took;
}

void
recqueue_counts(struct recqueue *q, size_t *asked, size_t *wanted)
{
	pthread_mutex_lock(&q->lock);
	*asked = q->itemsz;
	*wanted = q->wanted;
	pthread_mutex_unlock(&q->lock);
}

void
recqueue_wait(struct recqueue *q)
{
	pthread_mutex_lock(&q->lock);
	while (!q->gone && (q->next < q->itemsz ||
	    (q->next > 0 && q->items[q->next - 1].state == RQ_PARSING)))
		pthread_cond_wait(&q->parsed, &q->lock);
	pthread_mutex_unlock(&q->lock);
}

void
recqueue_free(struct recqueue *q)
{
	struct rq_slab *s;
	size_t i;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->worker, NULL);
	for (i = 0; i < q->itemsz; i++)
		free(q->items[i].path);
	while ((s = q->slabs) != NULL) {
		q->slabs = s->next;
		munmap(s, s->size);
	}
	free(q->items);
	free(q->table);
	free(q->gitdir);
	pthread_cond_destroy(&q->parsed);
	pthread_cond_destroy(&q->more);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
