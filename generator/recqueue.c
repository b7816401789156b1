/*
 * Versions of records parsed ahead of the history walk.
 *
 * The worker owns a git_repository of its own (libgit2 objects are not
 * shared between threads) and parses with record_parse(), which keeps a
 * compiled schema per thread and reports through a silent diag of its
 * own. The queue is a list in the order asked for, with a table from
 * (blob, path) to its place; one mutex guards both, and nothing is
 * parsed while it is held.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
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
};

struct record *
recqueue_parse(git_repository *repo, const git_oid *id, const char *path)
{
	git_blob *blob = NULL;
	struct record *rec = NULL;
	struct diag quiet;

	diag_init(&quiet);
	quiet.silent = true;
	if (git_blob_lookup(&blob, repo, id) == 0 &&
	    git_blob_rawsize(blob) <= MAX_FILE_SIZE)
		record_parse(&rec, &quiet, path, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rec;
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
		rec = recqueue_parse(repo, &id, path);
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
	size_t i;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->worker, NULL);
	for (i = 0; i < q->itemsz; i++) {
		record_free(q->items[i].rec);
		free(q->items[i].path);
	}
	free(q->items);
	free(q->table);
	free(q->gitdir);
	pthread_cond_destroy(&q->parsed);
	pthread_cond_destroy(&q->more);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
