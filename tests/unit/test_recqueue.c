/*
 * Unit tests: versions of records parsed ahead of the history walk, and
 * git log telling of each change as it reads it.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "gitlog.h"
#include "history.h"
#include "record.h"
#include "recqueue.h"
#include "unit.h"
#include "util.h"

static const char v1[] =
"<vendor id=\"acme\">\n"
"  <name>Acme</name>\n"
"  <country code=\"US\">United States</country>\n"
"  <status>banned</status>\n"
"  <summary>S.</summary>\n"
"</vendor>\n";

static const char v2[] =
"<vendor id=\"acme\">\n"
"  <name>Acme Corp</name>\n"
"  <country code=\"US\">United States</country>\n"
"  <status>restricted</status>\n"
"  <summary>S.</summary>\n"
"</vendor>\n";

static const char bad[] = "<vendor id=\"bad\">\n";

/* Every field a record can have, for the copy the queue keeps. */
static const char full[] =
"<vendor id=\"full\" draft=\"true\">\n"
"  <name>Full Ltd</name>\n"
"  <alias>Full</alias>\n"
"  <alias>Full Holdings</alias>\n"
"  <country code=\"GB\">United Kingdom</country>\n"
"  <website>https://full.example.org/</website>\n"
"  <status>under-review</status>\n"
"  <products><product>Router</product><product>Camera</product></products>\n"
"  <summary>\n"
"    A *summary*\n"
"    on two lines.\n"
"  </summary>\n"
"  <action id=\"a1\" type=\"law\" date=\"2019-05-01\" authority=\"Congress\"\n"
"      deadline-days=\"90\">\n"
"    <title>An act</title>\n"
"    <scope>Federal agencies</scope>\n"
"    <description>What it does.</description>\n"
"    <source href=\"https://example.org/1\" publisher=\"P1\" date=\"2019-05-01\"\n"
"        accessed=\"2020-01-02\" archived=\"https://archive.example.org/1\"/>\n"
"    <source href=\"https://example.org/2\" publisher=\"P2\" date=\"2019-05-03\"/>\n"
"  </action>\n"
"  <action id=\"a2\" type=\"directive\" date=\"2020-02-03\" authority=\"DHS\"\n"
"      deadline=\"2020-06-30\">\n"
"    <title>A directive</title>\n"
"    <source href=\"https://example.org/3\" publisher=\"P3\" date=\"2020-02-03\"/>\n"
"  </action>\n"
"  <response date=\"2020-03-01\" href=\"https://full.example.org/r\">We object.</response>\n"
"  <response date=\"2020-04-01\">Again.</response>\n"
"  <note>A note.</note>\n"
"</vendor>\n";

static bool
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static bool
same_date(const struct date *a, const struct date *b)
{
	return a->y == b->y && a->m == b->m && a->d == b->d;
}

static bool
same_md(const struct mdtext *a, const struct mdtext *b)
{
	return same_str(a->text, b->text) && a->line == b->line &&
	    a->col == b->col;
}

static bool
same_strv(char *const *a, size_t an, char *const *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return false;
	for (i = 0; i < an; i++)
		if (!same_str(a[i], b[i]))
			return false;
	return true;
}

/* Are two records the same, field by field (see record_free())? */
static bool
same_record(const struct record *a, const struct record *b)
{
	const struct action *x, *y;
	size_t i, j;

	if (!same_str(a->path, b->path) || !same_str(a->id, b->id) ||
	    a->draft != b->draft || !same_str(a->name, b->name) ||
	    !same_strv(a->aliases, a->aliasesz, b->aliases, b->aliasesz) ||
	    !same_str(a->country_code, b->country_code) ||
	    !same_str(a->country, b->country) ||
	    !same_str(a->website, b->website) || a->status != b->status ||
	    !same_strv(a->products, a->productsz, b->products, b->productsz) ||
	    !same_md(&a->summary, &b->summary) ||
	    a->actionsz != b->actionsz || a->responsesz != b->responsesz ||
	    !same_md(&a->note, &b->note))
		return false;
	for (i = 0; i < a->actionsz; i++) {
		x = &a->actions[i];
		y = &b->actions[i];
		if (!same_str(x->id, y->id) || x->type != y->type ||
		    !same_date(&x->date, &y->date) ||
		    !same_str(x->authority, y->authority) ||
		    !same_str(x->title, y->title) ||
		    !same_str(x->scope, y->scope) ||
		    !same_md(&x->description, &y->description) ||
		    !same_date(&x->deadline, &y->deadline) ||
		    x->deadline_days != y->deadline_days ||
		    x->line != y->line || x->sourcesz != y->sourcesz)
			return false;
		for (j = 0; j < x->sourcesz; j++)
			if (!same_str(x->sources[j].href, y->sources[j].href) ||
			    !same_str(x->sources[j].publisher,
			    y->sources[j].publisher) ||
			    !same_date(&x->sources[j].date, &y->sources[j].date) ||
			    !same_date(&x->sources[j].accessed,
			    &y->sources[j].accessed) ||
			    !same_str(x->sources[j].archived,
			    y->sources[j].archived))
				return false;
	}
	for (i = 0; i < a->responsesz; i++)
		if (!same_date(&a->responses[i].date, &b->responses[i].date) ||
		    !same_str(a->responses[i].href, b->responses[i].href) ||
		    !same_md(&a->responses[i].text, &b->responses[i].text))
			return false;
	return true;
}

static void
blob_id(git_oid *out, const char *s)
{
	git_odb_hash(out, s, strlen(s), GIT_OBJECT_BLOB);
}

static void
run(const char *dir, const char *what)
{
	char *cmd = xasprintf("cd '%s' && GIT_CONFIG_NOSYSTEM=1 "
	    "GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_DATE=2020-01-01T00:00:00Z "
	    "GIT_COMMITTER_DATE=2020-01-01T00:00:00Z git -c user.name=T "
	    "-c user.email=t@example.org %s >/dev/null 2>&1", dir, what);

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

/*
 * A repository of two commits: the first adds a record, a page and a
 * file beside the records; the second changes the record and adds a
 * record that does not parse and an XML file below a subfolder.
 */
static char *
make_repo(char *tmpl)
{
	char *dir;

	if ((dir = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return NULL;
	}
	run(dir, "init -q");
	unit_put(dir, "docket.yml", "title: T\n");
	unit_put(dir, "content/vendors/acme.xml", v1);
	unit_put(dir, "content/a.md", "# A\n");
	unit_put(dir, "content/vendors/notes.txt", "notes\n");
	run(dir, "add -A");
	run(dir, "commit -q -m one");
	unit_put(dir, "content/vendors/acme.xml", v2);
	unit_put(dir, "content/vendors/bad.xml", bad);
	unit_put(dir, "content/vendors/sub/x.xml", v1);
	run(dir, "add -A");
	run(dir, "commit -q -m two");
	return dir;
}

static void
remove_repo(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

void
test_recqueue__parses_ahead(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *gitdir;
	const char *good = "content/vendors/acme.xml";
	git_repository *repo = NULL;
	struct recqueue *q;
	struct record *r, *direct, *taken, *taken_v2;
	git_oid i1, i2, ib, ifull, none;
	size_t asked, wanted;

	if ((dir = make_repo(tmpl)) == NULL)
		return;
	git_libgit2_init();
	gitdir = path_join(dir, ".git");
	CHECK_INT(git_repository_open(&repo, gitdir), 0);
	blob_id(&i1, v1);
	blob_id(&i2, v2);
	blob_id(&ib, bad);
	/* Not in any commit; the worker reads blobs by id all the same. */
	CHECK_INT(git_blob_create_from_buffer(&ifull, repo, full,
	    strlen(full)), 0);
	memset(&none, 0x42, sizeof(none));

	/* What the worker gives is what the caller would have parsed. */
	direct = recqueue_parse(repo, &i2, good);
	CHECK(direct != NULL && strcmp(direct->name, "Acme Corp") == 0);
	taken_v2 = direct;
	CHECK(recqueue_parse(repo, &i2, "content/vendors/other.xml") == NULL);
	CHECK(recqueue_parse(repo, &ib, "content/vendors/bad.xml") == NULL);

	q = recqueue_start(gitdir);
	CHECK(q != NULL);
	if (q == NULL)
		goto out;
	recqueue_add(q, &i2, good);
	recqueue_add(q, &i1, good);
	recqueue_add(q, &i2, good);	/* asked for again: once */
	recqueue_add(q, &i2, "content/vendors/other.xml");
	recqueue_add(q, &ib, "content/vendors/bad.xml");
	recqueue_add(q, &none, good);	/* not in the repository */
	recqueue_add(q, &i1, "content/vendors/untaken.xml");
	recqueue_counts(q, &asked, &wanted);
	CHECK_INT(asked, 6);
	CHECK_INT(wanted, 0);
	recqueue_wait(q);
	CHECK(recqueue_take(q, &i2, good, &r));
	CHECK(r != NULL && strcmp(r->name, "Acme Corp") == 0 &&
	    r->status == STATUS_RESTRICTED);
	/* The queue's own copy; it stays until the queue is freed. */
	taken = r;
	CHECK(recqueue_take(q, &i1, good, &r));
	CHECK(r != NULL && strcmp(r->name, "Acme") == 0);
	CHECK(taken != r && strcmp(taken->name, "Acme Corp") == 0);
	/* Taken once; then it is the caller's to parse. */
	CHECK(!recqueue_take(q, &i1, good, &r) && r == NULL);
	/* The id and the file name differ, as they would in the walk. */
	CHECK(recqueue_take(q, &i2, "content/vendors/other.xml", &r) &&
	    r == NULL);
	CHECK(recqueue_take(q, &ib, "content/vendors/bad.xml", &r) && r == NULL);
	CHECK(recqueue_take(q, &none, good, &r) && r == NULL);
	/* Never asked for. */
	CHECK(!recqueue_take(q, &ib, good, &r) && r == NULL);
	recqueue_counts(q, &asked, &wanted);
	CHECK_INT(asked, 6);
	CHECK_INT(wanted, 5);
	/* One parsed and never taken: freed with the queue. */
	recqueue_free(q);

	/* Every field of the queue's copy is the parse's. */
	direct = recqueue_parse(repo, &ifull, "content/vendors/full.xml");
	CHECK(direct != NULL && direct->actionsz == 2 &&
	    direct->actions[0].sources[0].archived != NULL &&
	    direct->responses[0].href != NULL && direct->note.text != NULL);
	q = recqueue_start(gitdir);
	CHECK(q != NULL);
	if (q != NULL && direct != NULL) {
		recqueue_add(q, &ifull, "content/vendors/full.xml");
		recqueue_wait(q);
		CHECK(recqueue_take(q, &ifull, "content/vendors/full.xml", &r));
		CHECK(r != NULL && r != direct && same_record(r, direct));
		/* And the comparison sees a difference. */
		CHECK(r != NULL && !same_record(r, taken_v2));
	}
	recqueue_free(q);
	record_free(direct);

	/* A worker with no repository leaves everything to the caller. */
	q = recqueue_start("/nonexistent/.git");
	CHECK(q != NULL);
	if (q != NULL) {
		recqueue_add(q, &i1, good);
		recqueue_wait(q);
		CHECK(!recqueue_take(q, &i1, good, &r) && r == NULL);
		recqueue_free(q);
	}
out:
	record_free(taken_v2);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(gitdir);
	remove_repo(dir);
}

#define STRESS_VERSIONS	300

/* Is rec version i of stress_record()? */
static bool
stress_is(const struct record *rec, size_t i)
{
	char want[32];

	snprintf(want, sizeof(want), "Acme %zu", i);
	return rec != NULL && same_str(rec->name, want);
}

/*
 * The walk asking for versions while the worker parses them: each one
 * is taken parsed, waited for while the worker parses it, or left to
 * the caller before the worker begins it, and is the same record every
 * way. Under make test-tsan, the queue's lock and condition variables
 * are checked on all three paths.
 */
void
test_recqueue__taken_while_parsing(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *gitdir, *text;
	const char *path = "content/vendors/acme.xml";
	git_repository *repo = NULL;
	struct recqueue *q;
	struct record *r;
	git_oid ids[STRESS_VERSIONS];
	size_t i, k, round, wrong = 0;
	bool took;

	if ((dir = make_repo(tmpl)) == NULL)
		return;
	git_libgit2_init();
	gitdir = path_join(dir, ".git");
	CHECK_INT(git_repository_open(&repo, gitdir), 0);
	for (i = 0; i < STRESS_VERSIONS; i++) {
		text = xasprintf("<vendor id=\"acme\">\n  <name>Acme %zu</name>\n"
		    "  <country code=\"US\">United States</country>\n"
		    "  <status>banned</status>\n  <summary>S.</summary>\n"
		    "</vendor>\n", i);
		CHECK_INT(git_blob_create_from_buffer(&ids[i], repo, text,
		    strlen(text)), 0);
		free(text);
	}
	/*
	 * All asked for, then taken in order, and from the last; taken as
	 * soon as asked for.
	 */
	for (round = 0; round < 3; round++) {
		if ((q = recqueue_start(gitdir)) == NULL) {
			CHECK(q != NULL);
			break;
		}
		for (i = 0; i < 2 * STRESS_VERSIONS; i++) {
			if (i < STRESS_VERSIONS)
				recqueue_add(q, &ids[i], path);
			if (round == 2 && i < STRESS_VERSIONS)
				k = i;
			else if (round == 2 || i < STRESS_VERSIONS)
				continue;
			else if (round == 0)
				k = i - STRESS_VERSIONS;
			else
				k = 2 * STRESS_VERSIONS - 1 - i;
			if (!(took = recqueue_take(q, &ids[k], path, &r)))
				r = recqueue_parse(repo, &ids[k], path);
			if (!stress_is(r, k))
				wrong++;
			if (!took)
				record_free(r);
		}
		recqueue_free(q);
	}
	CHECK_INT(wrong, 0);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(gitdir);
	remove_repo(dir);
}

/* Each change the hook is told of, one line each. */
static void
seen(void *arg, const char *path, const git_oid *o, const git_oid *n)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	buf_printf(arg, "%s %s %s\n", path, git_oid_tostr(a, sizeof(a), o),
	    git_oid_tostr(b, sizeof(b), n));
}

void
test_recqueue__git_log_tells(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *gitdir, *want;
	char head[GIT_OID_HEXSZ + 1];
	git_repository *repo = NULL;
	struct buf got = BUF_INIT;
	struct gitlog_hook hook = { seen, NULL };
	struct gitlog *g;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1], hb[GIT_OID_HEXSZ + 1];
	char hp[GIT_OID_HEXSZ + 1], hn[GIT_OID_HEXSZ + 1];
	const char *zero = "0000000000000000000000000000000000000000";
	git_oid id;

	if ((dir = make_repo(tmpl)) == NULL)
		return;
	gitdir = path_join(dir, ".git");
	git_libgit2_init();
	CHECK_INT(git_repository_open(&repo, gitdir), 0);
	CHECK_INT(git_reference_name_to_id(&id, repo, "HEAD"), 0);
	git_oid_tostr(head, sizeof(head), &id);
	git_repository_free(repo);
	hook.arg = &got;
	g = gitlog_start(gitdir, head, NULL, NULL, 0, "content/", false, &hook);
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK_INT(gitlog_finish(g), 0);
		gitlog_free(g);
	}
	git_libgit2_shutdown();
	blob_id(&id, v1);
	git_oid_tostr(h1, sizeof(h1), &id);
	blob_id(&id, v2);
	git_oid_tostr(h2, sizeof(h2), &id);
	blob_id(&id, bad);
	git_oid_tostr(hb, sizeof(hb), &id);
	blob_id(&id, "# A\n");
	git_oid_tostr(hp, sizeof(hp), &id);
	blob_id(&id, "notes\n");
	git_oid_tostr(hn, sizeof(hn), &id);
	/* Newest commit first, each in path order. */
	want = xasprintf(
	    "vendors/acme.xml %s %s\n"
	    "vendors/bad.xml %s %s\n"
	    "vendors/sub/x.xml %s %s\n"
	    "a.md %s %s\n"
	    "vendors/acme.xml %s %s\n"
	    "vendors/notes.txt %s %s\n",
	    h1, h2, zero, hb, zero, h1, zero, hp, zero, h1, zero, hn);
	CHECK_STR(got.ptr, want);
	free(want);
	buf_release(&got);
	free(gitdir);
	remove_repo(dir);
}

/*
 * Walks make_repo()'s history with the build's current() (NULL: none)
 * and checks acme.xml's; the counts of versions asked for ahead, and
 * used, in *ahead and *used.
 */
static void
walk_repo(const struct record *(*current)(void *, const char *,
    const git_oid *), void *arg, size_t *ahead, size_t *used)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir;
	struct history *h = NULL;
	const struct hist_file *f;
	struct config cfg;
	struct diag dg;

	*ahead = *used = 0;
	if ((dir = make_repo(tmpl)) == NULL)
		return;
	diag_init(&dg);
	memset(&cfg, 0, sizeof(cfg));
	CHECK_INT(config_load(&cfg, &dg, "docket.yml", "title: T\n", 9), 0);
	CHECK_INT(hist_open(&h, &dg, dir), 0);
	h->current = current;
	h->current_arg = arg;
	hist_prefetch(h, &cfg);
	CHECK_INT(hist_walk(h, &dg, &cfg), 0);
	*ahead = h->ahead;
	*used = h->ahead_used;
	f = hist_file(h, "content/vendors/acme.xml");
	CHECK(f != NULL && f->record && f->revsz == 2 &&
	    strcmp(f->name, "Acme Corp") == 0);
	if (f != NULL && f->revsz == 2)
		CHECK(f->revs[0].substantive && f->revs[0].changesz > 0);
	hist_free(h);
	config_release(&cfg);
	remove_repo(dir);
}

void
test_recqueue__walk_asks(void)
{
	size_t ahead, used;

	walk_repo(NULL, NULL, &ahead, &used);
	/*
	 * The three versions of records git log names (acme.xml before and
	 * after, bad.xml), each once, not notes.txt nor sub/x.xml; and the
	 * walk wanted each of them by the same blob and path.
	 */
	CHECK_INT(ahead, 3);
	CHECK_INT(used, 3);
}

/* The history of dir, with git started (hist_prefetch()) and cache. */
static struct history *
prefetched(const char *dir, const char *cache, const struct config *cfg,
    struct diag *dg)
{
	struct history *h = NULL;

	if (hist_open(&h, dg, dir) == -1)
		die("cannot open the history of '%s'", dir);
	hist_cache(h, dg, cache);
	hist_prefetch(h, cfg);
	return h;
}

/*
 * Registers built on one machine share the cache folder: git lists the
 * commits of another repository from none of the first one's commits
 * (it would refuse one it does not have, and be started again).
 */
void
test_recqueue__prefetch_skips_other_repository(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", otmpl[] = "/tmp/docket-unit-XXXXXX";
	char ctmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *other, *cache;
	struct history *h;
	struct config cfg;
	struct diag dg;

	if ((dir = make_repo(tmpl)) == NULL)
		return;
	if ((other = mkdtemp(otmpl)) == NULL || (cache = mkdtemp(ctmpl)) == NULL) {
		CHECK(!"mkdtemp");
		remove_repo(dir);
		return;
	}
	run(other, "init -q");
	unit_put(other, "docket.yml", "title: T\n");
	unit_put(other, "content/b.md", "# B\n");
	run(other, "add -A");
	run(other, "commit -q -m other");
	diag_init(&dg);
	memset(&cfg, 0, sizeof(cfg));
	CHECK_INT(config_load(&cfg, &dg, "docket.yml", "title: T\n", 9), 0);

	/* The first repository's history goes into the cache... */
	h = prefetched(dir, cache, &cfg, &dg);
	CHECK_INT(hist_walk(h, &dg, &cfg), 0);
	hist_free(h);
	/* ...and is a base for git again in the same repository, */
	h = prefetched(dir, cache, &cfg, &dg);
	CHECK(h->log_based);
	hist_free(h);
	/* not in another one, */
	h = prefetched(other, cache, &cfg, &dg);
	CHECK(!h->log_based);
	CHECK_INT(hist_walk(h, &dg, &cfg), 0);
	CHECK_INT(h->commitsz, 1);
	hist_free(h);
	/* and still in the first, behind the other's newer entry. */
	h = prefetched(dir, cache, &cfg, &dg);
	CHECK(h->log_based && strcmp(h->log_base, h->head) == 0);
	hist_free(h);

	config_release(&cfg);
	remove_repo(dir);
	remove_repo(other);
	remove_repo(cache);
}

static const struct record *
no_current(void *arg, const char *path, const git_oid *id)
{
	(void)path, (void)id;
	(*(int *)arg)++;
	return NULL;
}

/*
 * When the build can give the records it read from the work tree, the
 * versions at HEAD are not parsed ahead but asked of it (here it has
 * none to give, and the walk parses them itself): the same history.
 */
void
test_recqueue__heads_asked_of_the_build(void)
{
	size_t ahead, used;
	int asked = 0;

	walk_repo(no_current, &asked, &ahead, &used);
	/* acme.xml before; after, and bad.xml, are HEAD's. */
	CHECK_INT(ahead, 1);
	CHECK_INT(used, 1);
	CHECK_INT(asked, 2);
}
