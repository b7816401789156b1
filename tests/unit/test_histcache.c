/*
 * Unit tests: the history cache's entries, written and read back, and
 * the entries that must miss.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "histcache.h"
#include "recdiff.h"
#include "unit.h"
#include "util.h"

static const char key[] = "docket history cache 1\ntest\n";
static char acme[] = "content/vendors/acme.xml", newmd[] = "content/new.md",
    oldmd[] = "content/old.md", subj0[] = "Acme: banned", subj1[] = "Start",
    alice[] = "Alice", name[] = "Acme", status[] = "status",
    text[] = "status: approved \xe2\x86\x92 banned", approved[] = "approved";

/* A walk of two commits and two files, one renamed. */
static void
make_entry(struct hc_entry *e, struct hist_commit *c, struct hist_file *f,
    struct hist_rev *r, struct hist_change *ch, git_oid *order, bool *top,
    char **names, size_t *name_file)
{
	static char *old[] = { oldmd };

	memset(e, 0, sizeof(*e));
	memset(c, 0, 2 * sizeof(*c));
	strcpy(c[0].id, "1111111111111111111111111111111111111111");
	strcpy(c[1].id, "2222222222222222222222222222222222222222");
	c[0].subject = subj0;
	c[0].author = alice;
	c[0].time = 1500000000;
	c[1].subject = subj1;
	c[1].time = -5;
	memset(f, 0, 2 * sizeof(*f));
	f[0].path = acme;
	f[0].name = name;
	f[0].record = true;
	f[0].revs = r;
	f[0].revsz = 2;
	f[1].path = newmd;
	f[1].incomplete = true;
	f[1].old_paths = old;
	f[1].old_pathsz = 1;
	memset(r, 0, 2 * sizeof(*r));
	r[0].commit = 0;
	r[0].path = acme;
	r[0].substantive = true;
	r[0].changes = ch;
	r[0].changesz = 1;
	r[1].commit = 1;
	r[1].path = acme;
	ch->field = status;
	ch->text = text;
	ch->before = approved;
	ch->after = NULL;
	git_oid_fromstr(&order[0], c[0].id);
	git_oid_fromstr(&order[1], c[1].id);
	top[0] = true;
	top[1] = false;
	names[0] = acme;
	names[1] = oldmd;
	names[2] = newmd;
	name_file[0] = 0;
	name_file[1] = 1;
	name_file[2] = SIZE_MAX;
	e->commits = c;
	e->commitsz = 2;
	e->files = f;
	e->filesz = 2;
	e->top = top;
	e->order = order;
	e->ordersz = 2;
	e->names = names;
	e->name_file = name_file;
	e->namesz = 3;
	e->root_id = c[1].id;
	e->shallow = true;
}

void
test_histcache__round_trip(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *cmd;
	struct hist_commit c[2];
	struct hist_file f[2];
	struct hist_rev r[2];
	struct hist_change ch;
	git_oid order[2], head, *ids;
	bool top[2];
	char *names[3];
	size_t name_file[3], n;
	struct hc_entry e, got;

	if ((dir = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	make_entry(&e, c, f, r, &ch, order, top, names, name_file);
	git_oid_fromstr(&head, c[0].id);
	CHECK_INT(histcache_save(dir, key, &head, &e), 0);
	n = histcache_list(dir, key, &ids);
	CHECK_INT(n, 1);
	CHECK(n == 1 && git_oid_equal(&ids[0], &head));
	free(ids);
	CHECK_INT(histcache_load(dir, key, &head, &got), 0);
	CHECK_INT(got.commitsz, 2);
	CHECK_INT(got.filesz, 2);
	CHECK_INT(got.namesz, 3);
	CHECK_INT(got.ordersz, 2);
	if (got.commitsz == 2 && got.filesz == 2 && got.namesz == 3) {
		CHECK_STR(got.commits[0].id, c[0].id);
		CHECK_STR(got.commits[0].short_id, "1111111111");
		CHECK_STR(got.commits[0].subject, "Acme: banned");
		CHECK_STR(got.commits[0].author, "Alice");
		CHECK(got.commits[1].author == NULL);
		CHECK_INT(got.commits[1].time, -5);
		CHECK_STR(got.files[0].path, "content/vendors/acme.xml");
		CHECK_STR(got.files[0].name, "Acme");
		CHECK(got.files[0].record && !got.files[0].incomplete);
		CHECK(got.files[1].incomplete && got.files[1].name == NULL);
		CHECK(got.top[0] && !got.top[1]);
		CHECK_INT(got.files[0].revsz, 2);
		CHECK_INT(got.files[0].revs[1].commit, 1);
		CHECK(got.files[0].revs[0].substantive);
		CHECK_INT(got.files[0].revs[0].changesz, 1);
		CHECK_STR(got.files[0].revs[0].changes[0].text,
		    "status: approved \xe2\x86\x92 banned");
		CHECK(got.files[0].revs[0].changes[0].after == NULL);
		CHECK_INT(got.files[1].old_pathsz, 1);
		CHECK_STR(got.files[1].old_paths[0], "content/old.md");
		CHECK_STR(got.names[1], "content/old.md");
		CHECK_INT(got.name_file[1], 1);
		CHECK(got.name_file[2] == SIZE_MAX);
		CHECK(git_oid_equal(&got.order[1], &order[1]));
		CHECK_STR(got.root_id, c[1].id);
		CHECK(got.shallow);
	}
	histcache_release(&got);

	/* Another key, another commit: misses. */
	CHECK_INT(histcache_load(dir, "docket history cache 1\nother\n", &head,
	    &got), -1);
	git_oid_fromstr(&head, c[1].id);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);

	/* One byte changed anywhere in the payload: misses. */
	git_oid_fromstr(&head, c[0].id);
	cmd = xasprintf("for f in %s/history-*; do printf Z | dd of=\"$f\" "
	    "bs=1 seek=120 conv=notrunc 2>/dev/null; done", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);

	/* A file cut short: misses. */
	CHECK_INT(histcache_save(dir, key, &head, &e), 0);
	cmd = xasprintf("for f in %s/history-*; do truncate -s 150 \"$f\"; done",
	    dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);

	/* Only the newest three entries of a key are kept. */
	for (n = 0; n < 5; n++) {
		memset(head.id, (int)n + 1, sizeof(head.id));
		histcache_save(dir, key, &head, &e);
	}
	n = histcache_list(dir, key, &ids);
	CHECK_INT(n, 3);
	free(ids);
	cmd = xasprintf("rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
}

/*
 * Entries whose checksum holds but whose walk could not have been
 * written by one: a commit that is not a hash, a file outside content/
 * (the walk reads its path past "content/"). They miss.
 */
void
test_histcache__not_a_walk(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *cmd;
	static char bad_id[] = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
	    short_path[] = "x";
	struct hist_commit c[2];
	struct hist_file f[2];
	struct hist_rev r[2];
	struct hist_change ch;
	git_oid order[2], head;
	bool top[2];
	char *names[3];
	size_t name_file[3];
	struct hc_entry e, got;

	if ((dir = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	git_libgit2_init();	/* a hash refused is reported through it */
	make_entry(&e, c, f, r, &ch, order, top, names, name_file);
	git_oid_fromstr(&head, c[0].id);
	CHECK_INT(histcache_save(dir, key, &head, &e), 0);
	CHECK_INT(histcache_load(dir, key, &head, &got), 0);
	histcache_release(&got);

	memcpy(c[1].id, bad_id, sizeof(bad_id));
	CHECK_INT(histcache_save(dir, key, &head, &e), 0);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);

	make_entry(&e, c, f, r, &ch, order, top, names, name_file);
	f[1].path = short_path;
	CHECK_INT(histcache_save(dir, key, &head, &e), 0);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);

	/*
	 * A file grown to 64 GB (sparse) past a good header, and one of
	 * zeros: both miss from their first bytes, neither is read whole.
	 */
	make_entry(&e, c, f, r, &ch, order, top, names, name_file);
	CHECK_INT(histcache_save(dir, key, &head, &e), 0);
	cmd = xasprintf("for f in %s/history-*; do truncate -s 64G \"$f\"; "
	    "done", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);
	cmd = xasprintf("for f in %s/history-*; do truncate -s 0 \"$f\"; "
	    "truncate -s 64G \"$f\"; done", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	CHECK_INT(histcache_load(dir, key, &head, &got), -1);

	git_libgit2_shutdown();
	cmd = xasprintf("rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
}
