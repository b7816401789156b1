/*
 * Records parsed ahead of the scan: see preparse.h.
 *
 * The items are the names of content/vendors/, sorted as the scan lists
 * them. Threads take the first item nobody has begun. When the scan gets
 * to the first of them, it parses the ones nobody has begun from the
 * last one back, as the threads do, until it meets theirs; then it takes
 * each item in order, waiting while a thread parses it. One mutex guards
 * the states; nothing is read or parsed while it is held.
 *
 * Threads, not the processes of jobs.h: the records are kept by this
 * process. Parsing one uses libxml2 alone (not cmark-gfm, which two
 * threads may not use at once), with a schema and a parser per thread
 * (record.c), and the diagnostics of each go to a buffer of its own.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "preparse.h"
#include "record.h"
#include "source.h"
#include "util.h"

/* Fewer records than this: not worth a thread. */
#define PREPARSE_MIN	16

enum pp_state {
	PP_WAITING,	/* nobody has begun it */
	PP_PARSING,	/* a thread reads and parses it */
	PP_PARSED,	/* rec (NULL: it failed) and what was reported */
	PP_TAKEN	/* the scan took it, or reads it itself */
};

struct pp_item {
	char		*src;		/* "content/vendors/x.xml" */
	enum pp_state	 state;
	bool		 unread;	/* the thread could not read it */
	struct record	*rec;
	struct record	*bad;		/* with errors in its values alone */
	struct buf	 held;		/* what the parse reported */
	unsigned	 errors;
	unsigned	 warnings;
};

struct preparse {
	pthread_mutex_t	 lock;
	pthread_cond_t	 parsed;	/* an item left PP_PARSING */
	pthread_t	*threads;
	unsigned	 threadsz;
	char		*dir;
	struct diag	 dg;		/* the format of diagnostics */
	bool		 blob_ids;
	struct pp_item	*items;
	size_t		 itemsz;
	size_t		 next;		/* no item before it is waiting */
	bool		 stop;
	bool		 helped;	/* the scan parsed from the end */
};

/* Reads and parses item it, with a source and a diag of this thread's. */
static void
parse_item(struct preparse *pp, struct source_tree *src, struct pp_item *it)
{
	struct buf data = BUF_INIT;
	struct diag dg = pp->dg;

	/* What the scan reads no record from, nor reads ahead: a FIFO blocks. */
	if (source_type(src, it->src) != SRC_FILE ||
	    source_read(src, it->src, &data) == -1) {
		it->unread = true;
		buf_release(&data);
		return;
	}
	dg.hold = &it->held;
	if (record_parse_held(&it->rec, &it->bad, &dg, it->src, data.ptr,
	    data.len) == -1)
		it->rec = NULL;
	else if (pp->blob_ids)
		record_set_blob(it->rec, data.ptr, data.len);
	it->errors = dg.errors;
	it->warnings = dg.warnings;
	buf_release(&data);
}

/*
 * Parses item it, which the caller has just found waiting: with the lock
 * held on entry and on return, not while it reads and parses.
 */
static void
parse_claimed(struct preparse *pp, struct source_tree *src,
    struct pp_item *it)
{
	it->state = PP_PARSING;
	pthread_mutex_unlock(&pp->lock);
	parse_item(pp, src, it);
	pthread_mutex_lock(&pp->lock);
	it->state = PP_PARSED;
	pthread_cond_broadcast(&pp->parsed);
}

static void *
thread_main(void *arg)
{
	struct preparse *pp = arg;
	struct source_tree *src = source_dir(pp->dir);

	pthread_mutex_lock(&pp->lock);
	for (;;) {
		while (pp->next < pp->itemsz &&
		    pp->items[pp->next].state != PP_WAITING)
			pp->next++;
		if (pp->stop || pp->next == pp->itemsz)
			break;
		parse_claimed(pp, src, &pp->items[pp->next++]);
	}
	pthread_mutex_unlock(&pp->lock);
	source_free(src);
	record_cleanup();
	return NULL;
}

struct preparse *
preparse_start(const char *dir, const struct diag *dg, unsigned threads,
    bool blob_ids)
{
	struct source_tree *src;
	struct preparse *pp;
	char **names = NULL;
	size_t namesz = 0, i;

	if (threads == 0)
		return NULL;
	src = source_dir(dir);
	if (source_list(src, "content/vendors", &names, &namesz) == -1) {
		source_free(src);
		return NULL;
	}
	source_free(src);
	pp = xcalloc(1, sizeof(*pp));
	pp->items = xcalloc(namesz + 1, sizeof(*pp->items));
	for (i = 0; i < namesz; i++)
		if (names[i][0] != '.' && names[i][0] != '_' &&
		    str_endswith(names[i], ".xml")) {
			pp->items[pp->itemsz].src =
			    xasprintf("content/vendors/%s", names[i]);
			buf_init(&pp->items[pp->itemsz].held);
			pp->itemsz++;
		}
	source_list_free(names, namesz);
	if (pp->itemsz < PREPARSE_MIN) {
		preparse_end(pp);
		return NULL;
	}
	pp->dir = xstrdup(dir);
	pp->dg = *dg;
	pp->dg.errors = pp->dg.warnings = 0;
	pp->dg.capture = NULL;
	pp->dg.ordered = false;
	pp->dg.kept = NULL;
	pp->dg.progress = false;
	pp->dg.progress_t0 = 0;
	pp->dg.progress_shown = false;
	pp->dg.prefix_own = NULL;
	pp->blob_ids = blob_ids;
	/* libxml2 and the schema types are made ready here, once. */
	record_init();
	pthread_mutex_init(&pp->lock, NULL);
	pthread_cond_init(&pp->parsed, NULL);
	pp->threads = xcalloc(threads, sizeof(*pp->threads));
	for (i = 0; i < threads; i++) {
		if (pthread_create(&pp->threads[i], NULL, thread_main, pp) != 0)
			break;
		pp->threadsz++;
	}
	if (pp->threadsz == 0) {
		preparse_end(pp);
		return NULL;
	}
	return pp;
}

/*
 * The scan, got to the records, parses those nobody has begun from the
 * last one back (the threads go forward from the first), so that both
 * processors work until the last is parsed.
 */
static void
parse_from_end(struct preparse *pp)
{
	struct source_tree *src = source_dir(pp->dir);
	size_t i;

	pthread_mutex_lock(&pp->lock);
	for (i = pp->itemsz; i > 0 && !pp->stop &&
	    pp->items[i - 1].state == PP_WAITING; i--)
		parse_claimed(pp, src, &pp->items[i - 1]);
	pthread_mutex_unlock(&pp->lock);
	source_free(src);
}

/* The item of src, or NULL. */
static struct pp_item *
find(struct preparse *pp, const char *src)
{
	size_t lo = 0, hi = pp->itemsz, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(pp->items[mid].src, src)) == 0)
			return &pp->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool
preparse_take(struct preparse *pp, const char *src, struct diag *dg,
    struct record **out, struct record **held)
{
	struct pp_item *it;
	bool done;

	*out = *held = NULL;
	if ((it = find(pp, src)) == NULL)
		return false;
	if (!pp->helped) {
		pp->helped = true;
		parse_from_end(pp);
	}
	pthread_mutex_lock(&pp->lock);
	while (it->state == PP_PARSING)
		pthread_cond_wait(&pp->parsed, &pp->lock);
	done = it->state == PP_PARSED && !it->unread;
	it->state = PP_TAKEN;
	pthread_mutex_unlock(&pp->lock);
	if (!done)
		return false;
	diag_replay(dg, it->held.ptr, it->held.len, it->errors, it->warnings);
	*out = it->rec;
	*held = it->bad;
	it->rec = it->bad = NULL;
	return true;
}

void
preparse_end(struct preparse *pp)
{
	size_t i;

	if (pp == NULL)
		return;
	if (pp->threadsz > 0) {
		pthread_mutex_lock(&pp->lock);
		pp->stop = true;
		pthread_mutex_unlock(&pp->lock);
		for (i = 0; i < pp->threadsz; i++)
			pthread_join(pp->threads[i], NULL);
	}
	if (pp->threads != NULL) {
		pthread_cond_destroy(&pp->parsed);
		pthread_mutex_destroy(&pp->lock);
	}
	for (i = 0; i < pp->itemsz; i++) {
		free(pp->items[i].src);
		record_free(pp->items[i].rec);
		record_free(pp->items[i].bad);
		buf_release(&pp->items[i].held);
	}
	free(pp->items);
	free(pp->threads);
	free(pp->dir);
	free(pp);
}
