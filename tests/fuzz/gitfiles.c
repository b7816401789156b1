/*
 * Fuzz target: the files of a repository that docket reads itself, the
 * same bytes as each: .git/shallow, .git-blame-ignore-revs (whose lines
 * that are not hashes are warned of) and .mailmap (hist_mailmap_parse(),
 * the names it gives cleaned as the walk cleans them). Every line that
 * is a full hash and nothing else must be taken; every warning must be
 * one line of printable UTF-8 at .git-blame-ignore-revs:line:col.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "fuzz.h"
#include "history.h"
#include "util.h"

static const char shown[] = ".git-blame-ignore-revs";

static bool
has(const git_oid *v, size_t n, const git_oid *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (git_oid_equal(&v[i], id))
			return true;
	return false;
}

static void
check_text(const char *s, size_t len, bool lines)
{
	size_t i;

	if (!utf8_valid(s, len, NULL))
		abort();
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && !(lines && s[i] == '\n')) ||
		    s[i] == 0x7f)
			abort();
}

static void
check_warnings(const struct buf *m)
{
	const char *p, *nl, *end = m->ptr + m->len;

	check_text(m->ptr, m->len, true);
	for (p = m->ptr; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    strncmp(p, shown, sizeof(shown) - 1) != 0 ||
		    p[sizeof(shown) - 1] != ':')
			abort();
	}
}

static void
mailmap(const uint8_t *data, size_t size)
{
	static const char *const who[][2] = {
		{ "Kaspersky Lab", "press@kaspersky.com" },
		{ "A. Author", "a@example.org" },
		{ "", "" }
	};
	git_mailmap *mm;
	const char *name;
	char *clean;
	size_t i;

	if ((mm = hist_mailmap_parse((const char *)data, size)) == NULL)
		return;
	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		if ((name = hist_mailmap_name(mm, who[i][0],
		    who[i][1])) == NULL)
			continue;
		clean = text_clean(name, HIST_TEXT_MAX);
		check_text(clean, strlen(clean), false);
		free(clean);
	}
	git_mailmap_free(mm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct buf b = BUF_INIT, held = BUF_INIT, msgs = BUF_INIT;
	struct diag dg;
	git_oid *ids = NULL, id;
	size_t idsz = 0;
	const char *p, *nl, *end = (const char *)data + size;

	if (!ready) {
		git_libgit2_init();
		ready = true;
	}
	buf_put(&b, data, size);
	hist_shallow_parse(&b, &ids, &idsz);
	free(ids);
	ids = NULL;
	idsz = 0;

	buf_truncate(&b, 0);
	buf_put(&b, data, size);
	diag_init(&dg);
	dg.hold = &held;
	hist_ignore_parse(&dg, shown, &b, &ids, &idsz);
	diag_held_text(&msgs, held.ptr, held.len);
	check_warnings(&msgs);
	for (p = (const char *)data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p == GIT_OID_HEXSZ && memchr(p, '\0',
		    GIT_OID_HEXSZ) == NULL && memchr(p, '#', GIT_OID_HEXSZ) ==
		    NULL && git_oid_fromstrn(&id, p, GIT_OID_HEXSZ) == 0 &&
		    !has(ids, idsz, &id))
			abort();
	}
	free(ids);
	buf_release(&held);
	buf_release(&msgs);
	buf_release(&b);

	mailmap(data, size);
	return 0;
}
