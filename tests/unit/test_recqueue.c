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

static void
blob_id(git_oid *out, const char *s)
{
	git_odb_hash(out, s, strlen(s), GIT_OBJECT_BLOB);
}

static void
put(const char *dir, const char *path, const char *s)
{
	char *p = path_join(dir, path);

	CHECK_INT(file_write(p, s, strlen(s)), 0);
	free(p);
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
	put(dir, "docket.yml", "title: T\n");
	put(dir, "content/vendors/acme.xml", v1);
	put(dir, "content/a.md", "# A\n");
	put(dir, "content/vendors/notes.txt", "notes\n");
	run(dir, "add -A");
	run(dir, "commit -q -m one");
	put(dir, "content/vendors/acme.xml", v2);
	put(dir, "content/vendors/bad.xml", bad);
	put(dir, "content/vendors/sub/x.xml", v1);
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
	struct record *r, *direct;
	git_oid i1, i2, ib, none;
	size_t asked, wanted;

	if ((dir = make_repo(tmpl)) == NULL)
		return;
	git_libgit2_init();
	gitdir = path_join(dir, ".git");
	CHECK_INT(git_repository_open(&repo, gitdir), 0);
	blob_id(&i1, v1);
	blob_id(&i2, v2);
	blob_id(&ib, bad);
	memset(&none, 0x42, sizeof(none));

	/* What the worker gives is what the caller would have parsed. */
	direct = recqueue_parse(repo, &i2, good);
	CHECK(direct != NULL && strcmp(direct->name, "Acme Corp") == 0);
	record_free(direct);
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
	record_free(r);
	CHECK(recqueue_take(q, &i1, good, &r));
	CHECK(r != NULL && strcmp(r->name, "Acme") == 0);
	record_free(r);
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
	git_libgit2_shutdown();
	hook.arg = &got;
	g = gitlog_start(gitdir, head, NULL, NULL, 0, "content/", &hook);
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK_INT(gitlog_finish(g), 0);
		gitlog_free(g);
	}
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

void
test_recqueue__walk_asks(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir;
	struct history *h = NULL;
	const struct hist_file *f;
	struct config cfg;
	struct diag dg;

	if ((dir = make_repo(tmpl)) == NULL)
		return;
	diag_init(&dg);
	memset(&cfg, 0, sizeof(cfg));
	CHECK_INT(config_load(&cfg, &dg, "docket.yml", "title: T\n", 9), 0);
	CHECK_INT(hist_open(&h, &dg, dir), 0);
	hist_prefetch(h, &cfg);
	CHECK_INT(hist_walk(h, &dg, &cfg), 0);
	/*
	 * The three versions of records git log names (acme.xml before and
	 * after, bad.xml), each once, not notes.txt nor sub/x.xml; and the
	 * walk wanted each of them by the same blob and path.
	 */
	CHECK_INT(h->ahead, 3);
	CHECK_INT(h->ahead_used, 3);
	f = hist_file(h, "content/vendors/acme.xml");
	CHECK(f != NULL && f->record && f->revsz == 2 &&
	    strcmp(f->name, "Acme Corp") == 0);
	if (f != NULL && f->revsz == 2)
		CHECK(f->revs[0].substantive && f->revs[0].changesz > 0);
	hist_free(h);
	config_release(&cfg);
	remove_repo(dir);
}
