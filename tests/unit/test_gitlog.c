/*
 * Unit tests: git log read as it comes. A `git` put first on PATH runs
 * the real one and then misbehaves: it fails, is cut short, writes what
 * is not git's output, or keeps running until the test lets it end.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp, setenv */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "gitlog.h"
#include "unit.h"
#include "util.h"

struct fixture {
	char	 tmpl[32];
	char	*dir;
	char	*gitdir;
	char	*oldpath;
	char	 head[GIT_OID_HEXSZ + 1];
	git_oid	 ids[3];	/* the commits, newest first */
};

static void
sh(const char *dir, const char *what)
{
	char *cmd = xasprintf("cd '%s' && GIT_CONFIG_NOSYSTEM=1 "
	    "GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_DATE=2020-01-01T00:00:00Z "
	    "GIT_COMMITTER_DATE=2020-01-01T00:00:00Z %s >/dev/null 2>&1",
	    dir, what);

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

/* The real git's path, from PATH; NULL when there is none. */
static char *
real_git(void)
{
	const char *path = getenv("PATH"), *p, *e;
	char *dir, *cand;

	for (p = path; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		dir = xstrndup(p, (size_t)(e - p));
		cand = path_join(*dir != '\0' ? dir : ".", "git");
		free(dir);
		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
	}
	return NULL;
}

/*
 * Three commits: the first adds a.md and b.md, the second changes a.md
 * and adds a file outside content/, the third removes b.md. A `git`
 * whose script is `body` (after "$REAL" "$@" has run the real one into
 * the pipe, when run_real is true) goes first on PATH until the fixture
 * is released. Returns -1 when there is no git to test with.
 */
static int
fixture_make(struct fixture *f, const char *body, bool run_real)
{
	char *git, *script, *bin, *p;
	git_repository *repo = NULL;
	git_revwalk *rw = NULL;
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	if ((git = real_git()) == NULL)
		return -1;
	strcpy(f->tmpl, "/tmp/docket-unit-XXXXXX");
	if ((f->dir = mkdtemp(f->tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		free(git);
		return -1;
	}
	sh(f->dir, "git init -q && mkdir content bin && "
	    "echo a >content/a.md && echo b >content/b.md && git add -A && "
	    "git -c user.name=T -c user.email=t@example.org commit -q -m 1 && "
	    "echo a2 >content/a.md && echo x >x.txt && git add -A && "
	    "git -c user.name=T -c user.email=t@example.org commit -q -m 2 && "
	    "git rm -q content/b.md && "
	    "git -c user.name=T -c user.email=t@example.org commit -q -m 3");
	f->gitdir = path_join(f->dir, ".git");
	git_libgit2_init();
	CHECK_INT(git_repository_open(&repo, f->gitdir), 0);
	CHECK_INT(git_revwalk_new(&rw, repo), 0);
	git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL);
	CHECK_INT(git_revwalk_push_head(rw), 0);
	while (n < 3 && git_revwalk_next(&f->ids[n], rw) == 0)
		n++;
	CHECK_INT(n, 3);
	git_oid_tostr(f->head, sizeof(f->head), &f->ids[0]);
	git_revwalk_free(rw);
	git_repository_free(repo);
	git_libgit2_shutdown();
	bin = path_join(f->dir, "bin");
	script = xasprintf("#!/bin/sh\nREAL='%s'\nDIR='%s'\n%s%s\n", git,
	    f->dir, run_real ? "\"$REAL\" \"$@\"\n" : "", body);
	p = path_join(bin, "git");
	CHECK_INT(file_write(p, script, strlen(script)), 0);
	CHECK_INT(chmod(p, 0755), 0);
	free(p);
	f->oldpath = xstrdup(getenv("PATH"));
	p = xasprintf("%s:%s", bin, f->oldpath);
	setenv("PATH", p, 1);
	free(p);
	free(script);
	free(bin);
	free(git);
	return 0;
}

static void
fixture_release(struct fixture *f)
{
	char *cmd;

	if (f->oldpath != NULL)
		setenv("PATH", f->oldpath, 1);
	cmd = xasprintf("rm -rf '%s'", f->dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(f->oldpath);
	free(f->gitdir);
}

/* A commit's deltas as "status old new" lines; "(not listed)" if none. */
static char *
listed(struct gitlog *g, const git_oid *id)
{
	struct gl_delta *d = NULL;
	struct buf b = BUF_INIT;
	size_t i, n = 0;
	bool paired;

	if (!gitlog_get(g, id, &d, &n, &paired))
		return xstrdup("(not listed)");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%c %s %s\n", d[i].status,
		    d[i].old_path ? d[i].old_path : "-",
		    d[i].new_path ? d[i].new_path : "-");
	gitlog_deltas_free(d, n);
	if (b.len == 0)
		buf_puts(&b, "(none)");
	return buf_detach(&b);
}

static void
check_listed(struct gitlog *g, const git_oid *id, const char *want)
{
	char *got = listed(g, id);

	CHECK_STR(got, want);
	free(got);
}

/* What gitlog_get() is to give for commit ids[commit]. */
struct want {
	size_t		 commit;
	const char	*listed;
};

/*
 * Runs git log through `script` (see fixture_make()) and checks what is
 * listed of each commit, in the order given, and gitlog_finish().
 */
static void
run_lister(const char *script, bool real, bool native, const struct want *w,
    size_t n, int finish)
{
	struct fixture f;
	struct gitlog *g;
	size_t i;

	if (fixture_make(&f, script, real) == -1)
		return;
	git_libgit2_init();
	g = gitlog_start(f.gitdir, f.head, NULL, NULL, 0, "content/", native,
	    NULL);
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK(gitlog_native(g) == native);
		for (i = 0; i < n; i++)
			check_listed(g, &f.ids[w[i].commit], w[i].listed);
		CHECK_INT(gitlog_finish(g), finish);
		gitlog_free(g);
	}
	git_libgit2_shutdown();
	fixture_release(&f);
}

static void
run_script(const char *script, bool real, const struct want *w, size_t n,
    int finish)
{
	run_lister(script, real, false, w, n, finish);
}

void
test_gitlog__lists_each_commit(void)
{
	static const struct want w[] = {
		{ 0, "D b.md -\n" }, { 1, "M a.md a.md\n" },
		{ 2, "A - a.md\nA - b.md\n" }
	};

	run_script("", true, w, NELEM(w), 0);
}

/* Threads comparing trees list the same, and run no git. */
void
test_gitlog__threads_list_each_commit(void)
{
	static const struct want w[] = {
		{ 0, "D b.md -\n" }, { 1, "M a.md a.md\n" },
		{ 2, "A - a.md\nA - b.md\n" }
	};

	run_lister("exit 1", false, true, w, NELEM(w), 0);
}

/*
 * git has written everything, then fails: its last commit may be cut
 * short, and is not listed; the ones before it are.
 */
void
test_gitlog__failed_git_lists_what_it_finished(void)
{
	static const struct want w[] = {
		{ 2, "(not listed)" }, { 0, "D b.md -\n" },
		{ 1, "M a.md a.md\n" }
	};

	run_script("exit 1", true, w, NELEM(w), -1);
}

/*
 * git is killed halfway through the second commit's entry: only the
 * first commit is listed.
 */
void
test_gitlog__killed_git_cut_short(void)
{
	static const struct want w[] = {
		{ 0, "D b.md -\n" }, { 1, "(not listed)" },
		{ 2, "(not listed)" }
	};

	run_script("\"$REAL\" \"$@\" | head -c 220\nkill -9 $$", false, w,
	    NELEM(w), -1);
}

/* What is not git log's output lists nothing, even when git ends well. */
void
test_gitlog__not_git_output(void)
{
	static const struct want w[] = { { 0, "(not listed)" } };

	run_script("printf 'usage: git log\\0'\nexit 0", false, w,
	    NELEM(w), -1);
}

/*
 * A commit is there as soon as git has begun the next one, while git
 * still runs; the last one once git has ended. git here waits for the
 * file "go" (at most 10 s) and writes "ended" as it ends.
 */
void
test_gitlog__lists_while_git_runs(void)
{
	struct fixture f;
	struct gitlog *g;
	char *go, *ended;

	if (fixture_make(&f, "i=0\nwhile [ ! -e \"$DIR/go\" ] && "
	    "[ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done\n"
	    ": >\"$DIR/ended\"", true) == -1)
		return;
	go = path_join(f.dir, "go");
	ended = path_join(f.dir, "ended");
	git_libgit2_init();
	g = gitlog_start(f.gitdir, f.head, NULL, NULL, 0, "content/", false, NULL);
	CHECK(g != NULL);
	if (g != NULL) {
		check_listed(g, &f.ids[0], "D b.md -\n");
		check_listed(g, &f.ids[1], "M a.md a.md\n");
		CHECK(access(ended, F_OK) == -1);
		CHECK_INT(file_write(go, "", 0), 0);
		check_listed(g, &f.ids[2], "A - a.md\nA - b.md\n");
		CHECK(access(ended, F_OK) == 0);
		CHECK_INT(gitlog_finish(g), 0);
		gitlog_free(g);
	}
	git_libgit2_shutdown();
	free(go);
	free(ended);
	fixture_release(&f);
}

/* Freeing the log stops a git that would run on. */
void
test_gitlog__free_stops_git(void)
{
	struct fixture f;
	struct gitlog *g;

	if (fixture_make(&f, "exec sleep 60", true) == -1)
		return;
	git_libgit2_init();
	g = gitlog_start(f.gitdir, f.head, NULL, NULL, 0, "content/", false, NULL);
	CHECK(g != NULL);
	if (g != NULL) {
		check_listed(g, &f.ids[0], "D b.md -\n");
		gitlog_free(g);
	}
	git_libgit2_shutdown();
	fixture_release(&f);
}

/*
 * A file moved and changed a little: the thread that reads git's output
 * pairs it into a rename, reading both blobs with its own handle.
 */
void
test_gitlog__pairs_renames_as_it_reads(void)
{
	char tmpl[] = "/tmp/docket-unit-XXXXXX", *dir, *gitdir, *cmd;
	char head[GIT_OID_HEXSZ + 1];
	git_repository *repo = NULL;
	struct gitlog *g;
	struct gl_delta *d = NULL;
	git_oid id;
	size_t n = 0;
	bool paired = false;

	if ((cmd = real_git()) == NULL)
		return;
	free(cmd);
	if ((dir = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	sh(dir, "git init -q && mkdir content && "
	    "printf 'one\\ntwo\\nthree\\nfour\\n' >content/a.md && "
	    "git add -A && "
	    "git -c user.name=T -c user.email=t@example.org commit -q -m 1 && "
	    "git mv content/a.md content/c.md && echo five >>content/c.md && "
	    "git add -A && "
	    "git -c user.name=T -c user.email=t@example.org commit -q -m 2");
	gitdir = path_join(dir, ".git");
	git_libgit2_init();
	CHECK_INT(git_repository_open(&repo, gitdir), 0);
	CHECK_INT(git_reference_name_to_id(&id, repo, "HEAD"), 0);
	git_oid_tostr(head, sizeof(head), &id);
	g = gitlog_start(gitdir, head, NULL, NULL, 0, "content/", false, NULL);
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK(gitlog_get(g, &id, &d, &n, &paired));
		CHECK(paired);
		CHECK_INT(n, 1);
		if (n == 1) {
			CHECK_INT(d[0].status, 'R');
			CHECK_STR(d[0].old_path, "a.md");
			CHECK_STR(d[0].new_path, "c.md");
		}
		gitlog_deltas_free(d, n);
		gitlog_free(g);
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	cmd = xasprintf("rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(gitdir);
}

/* A deletion or an addition of `path` with contents `id`. */
static struct gl_delta
delta(char status, const char *path, unsigned char id)
{
	struct gl_delta d;

	memset(&d, 0, sizeof(d));
	d.status = status;
	if (status == 'D') {
		d.old_path = xstrdup(path);
		memset(d.old_id.id, id, sizeof(d.old_id.id));
	} else {
		d.new_path = xstrdup(path);
		memset(d.new_id.id, id, sizeof(d.new_id.id));
	}
	return d;
}

/*
 * Files of the same contents: each addition, in path order, is paired
 * with the first deletion in path order not yet paired.
 */
void
test_gitlog__pairs_same_contents_in_path_order(void)
{
	struct gl_delta *d = xcalloc(7, sizeof(*d));
	size_t n = 0;

	d[n++] = delta('D', "a.md", 1);
	d[n++] = delta('D', "b.md", 1);
	d[n++] = delta('D', "c.md", 2);
	d[n++] = delta('A', "d.md", 1);
	d[n++] = delta('A', "e.md", 2);
	d[n++] = delta('A', "f.md", 1);
	d[n++] = delta('A', "g.md", 1);	/* one too many: stays added */
	gitlog_sort(d, n);
	gitlog_pair(NULL, d, &n);
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_STR(d[0].old_path, "a.md");
		CHECK_STR(d[0].new_path, "d.md");
		CHECK_STR(d[1].old_path, "c.md");
		CHECK_STR(d[1].new_path, "e.md");
		CHECK_STR(d[2].old_path, "b.md");
		CHECK_STR(d[2].new_path, "f.md");
		CHECK_INT(d[3].status, 'A');
		CHECK_STR(d[3].new_path, "g.md");
	}
	gitlog_deltas_free(d, n);
}

/*
 * A folder of many files of the same contents moved: every file is
 * paired with its own old name (the pairing once compared each addition
 * with every deletion: 100,000 files took 4.6 s).
 */
void
test_gitlog__pairs_a_moved_folder(void)
{
	enum { N = 20000 };
	struct gl_delta *d = xcalloc(2 * N, sizeof(*d));
	char path[32];
	size_t n = 0, i, bad = 0;

	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "a/%05zu.md", i);
		d[n++] = delta('D', path, 7);
		snprintf(path, sizeof(path), "b/%05zu.md", i);
		d[n++] = delta('A', path, 7);
	}
	gitlog_sort(d, n);
	gitlog_pair(NULL, d, &n);
	CHECK_INT(n, N);
	for (i = 0; i < n; i++)
		if (d[i].status != 'R' || strcmp(d[i].old_path + 2,
		    d[i].new_path + 2) != 0)
			bad++;
	CHECK_INT(bad, 0);
	gitlog_deltas_free(d, n);
}
