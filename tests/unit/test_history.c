/*
 * Unit tests: .git-blame-ignore-revs and .git/shallow read from their
 * bytes (hist_ignore_parse(), hist_shallow_parse()).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "history.h"
#include "unit.h"

#define H1	"1111111111111111111111111111111111111111"
#define H2	"abcdefabcdefabcdefabcdefabcdefabcdefabcd"

void
test_history__ignore_revs(void)
{
	static const char text[] =
	    "# reformatting\n"
	    H1 "\n"
	    "\n"
	    "  " H2 "  # moved\r\n"
	    "abc123 # short\n"
	    "\x1b[2Jcleared\x07\n";
	struct buf b = BUF_INIT, msgs = BUF_INIT;
	struct diag dg;
	git_oid *ids = NULL, want;
	size_t idsz = 0;

	git_libgit2_init();
	buf_put(&b, text, sizeof(text) - 1);
	diag_init(&dg);
	dg.capture = &msgs;
	unit_capture_start();
	CHECK_INT(hist_ignore_parse(&dg, "../.git-blame-ignore-revs", &b, &ids,
	    &idsz), 0);
	free(unit_capture_end());
	CHECK_INT(idsz, 2);
	if (idsz == 2) {
		git_oid_fromstr(&want, H1);
		CHECK(git_oid_equal(&ids[0], &want));
		git_oid_fromstr(&want, H2);
		CHECK(git_oid_equal(&ids[1], &want));
	}
	/* The terminal gets no escape sequence from the repository. */
	CHECK_STR(msgs.ptr,
	    "../.git-blame-ignore-revs:5:1: warning: 'abc123' is not a full "
	    "commit hash; line ignored\n"
	    "../.git-blame-ignore-revs:6:1: warning: ' [2Jcleared ' is not a "
	    "full commit hash; line ignored\n");
	CHECK_INT(dg.warnings, 2);
	free(ids);
	buf_release(&b);
	buf_release(&msgs);
	git_libgit2_shutdown();
}

/* A NUL byte ends its line's text, not the file. */
void
test_history__ignore_revs_nul(void)
{
	static const char text[] = "# a \0 comment\n" H1 "\nab\0cd\n" H2 "\n"
	    "\t  xyz # indented\n";
	struct buf b = BUF_INIT, msgs = BUF_INIT;
	struct diag dg;
	git_oid *ids = NULL;
	size_t idsz = 0;

	git_libgit2_init();
	buf_put(&b, text, sizeof(text) - 1);
	diag_init(&dg);
	dg.capture = &msgs;
	unit_capture_start();
	CHECK_INT(hist_ignore_parse(&dg, ".git-blame-ignore-revs", &b, &ids,
	    &idsz), 0);
	free(unit_capture_end());
	CHECK_INT(idsz, 2);
	CHECK_STR(msgs.ptr, ".git-blame-ignore-revs:3:1: warning: 'ab' is not "
	    "a full commit hash; line ignored\n"
	    ".git-blame-ignore-revs:5:4: warning: 'xyz' is not a full commit "
	    "hash; line ignored\n");
	free(ids);
	buf_release(&b);
	buf_release(&msgs);
	git_libgit2_shutdown();
}

void
test_history__shallow(void)
{
	static const char text[] = H1 "\nnot a hash\n" H2 "\n";
	struct buf b = BUF_INIT;
	git_oid *ids = NULL;
	size_t idsz = 0;

	git_libgit2_init();
	buf_put(&b, text, sizeof(text) - 1);
	hist_shallow_parse(&b, &ids, &idsz);
	CHECK_INT(idsz, 2);
	free(ids);
	buf_release(&b);
	git_libgit2_shutdown();
}

/* A line with no email to replace leaves the others working. */
void
test_history__mailmap(void)
{
	static const char text[] =
	    "# names\n"
	    "Mapped Person <editor@example.org>\n"
	    "Nobody <nobody@example.org> <>  # no email\n"
	    "Other <o@example.org> <>\n"
	    "Kept <k@example.org> <old@example.org>";
	git_mailmap *mm;
	const char *name, *email;

	git_libgit2_init();
	mm = hist_mailmap_parse(text, sizeof(text) - 1);
	CHECK(mm != NULL);
	if (mm == NULL) {
		git_libgit2_shutdown();
		return;
	}
	CHECK_INT(git_mailmap_resolve(&name, &email, mm, "Editor",
	    "editor@example.org"), 0);
	CHECK_STR(name, "Mapped Person");
	CHECK_INT(git_mailmap_resolve(&name, &email, mm, "Old",
	    "old@example.org"), 0);
	CHECK_STR(name, "Kept");
	CHECK_STR(email, "k@example.org");
	git_mailmap_free(mm);
	git_libgit2_shutdown();
}

/*
 * Names found as git finds them: emails and the name to replace without
 * regard to case, the names given kept as written; a NUL ends its line.
 */
void
test_history__mailmap_name(void)
{
	static const char text[] =
	    "New Name <E@X.org>\n"
	    "Proper <p@x.org> Old NAME <OLD@x.org>\n"
	    "<only@x.org> <Email@X.org>\n"
	    "Before Nul <n@x.org>\0 After <a@x.org>\n"
	    "After Nul <after@x.org>\n"
	    "Nested <a<B> Old One <C@x.org>\n";
	git_mailmap *mm;
	const char *name;

	git_libgit2_init();
	mm = hist_mailmap_parse(text, sizeof(text) - 1);
	CHECK(mm != NULL);
	if (mm == NULL) {
		git_libgit2_shutdown();
		return;
	}
	CHECK_STR(hist_mailmap_name(mm, "ed", "e@x.org"), "New Name");
	CHECK_STR(hist_mailmap_name(mm, "ed", "E@x.ORG"), "New Name");
	CHECK_STR(hist_mailmap_name(mm, "old name", "old@X.org"), "Proper");
	CHECK(hist_mailmap_name(mm, "Other", "old@x.org") == NULL);
	CHECK(hist_mailmap_name(mm, "Someone", "email@x.org") == NULL);
	CHECK_STR(hist_mailmap_name(mm, "n", "N@x.org"), "Before Nul");
	CHECK(hist_mailmap_name(mm, "a", "a@x.org") == NULL);
	CHECK_STR(hist_mailmap_name(mm, "x", "after@x.org"), "After Nul");
	CHECK_STR(hist_mailmap_name(mm, "Old One", "C@x.org"), "Nested");
	CHECK_STR(hist_mailmap_name(mm, "old one", "c@X.org"), "Nested");
	name = hist_mailmap_name(mm, "x", "nobody@x.org");
	CHECK(name == NULL);
	git_mailmap_free(mm);
	git_libgit2_shutdown();
}

