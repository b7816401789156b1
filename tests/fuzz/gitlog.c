/*
 * Fuzz target: the output of `git log --raw -z --format=%H` as a lister
 * reads it (gitlog_parse()): commit hashes, and ":oldmode newmode oldid
 * newid status" entries each followed by a path, every token ended by a
 * NUL; the paths are the repository's. The first byte chooses how the
 * output comes (bits 0-5: in chunks of 1 to 64 bytes), the folder kept
 * (bit 6: "content/", else "a/b/content/") and whether git ended well
 * (bit 7 clear). Read in chunks or all at once, the output must list the
 * same: every commit named in it is asked for from both.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "fuzz.h"
#include "gitlog.h"

static void
check(const struct gl_delta *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (d[i].status) {
		case 'A':
			if (d[i].old_path != NULL || d[i].new_path == NULL)
				abort();
			break;
		case 'D':
			if (d[i].old_path == NULL || d[i].new_path != NULL)
				abort();
			break;
		case 'M':
			if (d[i].old_path == NULL || d[i].new_path == NULL ||
			    strcmp(d[i].old_path, d[i].new_path) != 0)
				abort();
			break;
		default:
			abort();
		}
	}
}

static bool
same(const struct gl_delta *a, const struct gl_delta *b)
{
	return a->status == b->status && git_oid_equal(&a->old_id, &b->old_id) &&
	    git_oid_equal(&a->new_id, &b->new_id) &&
	    (a->old_path == NULL ? b->old_path == NULL :
	    b->old_path != NULL && strcmp(a->old_path, b->old_path) == 0) &&
	    (a->new_path == NULL ? b->new_path == NULL :
	    b->new_path != NULL && strcmp(a->new_path, b->new_path) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct gitlog *whole, *cut;
	struct gl_delta *d1, *d2;
	const char *out, *p, *end, *tok, *nul;
	size_t len, n1, n2, i;
	bool f1, f2, paired;
	git_oid id;

	if (size < 1)
		return 0;
	if (!ready) {
		git_libgit2_init();	/* gitlog_start() needs it so */
		ready = true;
	}
	out = (const char *)data + 1;
	len = size - 1;
	whole = gitlog_parse(data[0] & 64 ? "content/" : "a/b/content/", out,
	    len, 0, !(data[0] & 128));
	cut = gitlog_parse(data[0] & 64 ? "content/" : "a/b/content/", out,
	    len, 1 + (data[0] & 63), !(data[0] & 128));
	end = out + len;
	for (p = out; p < end && (nul = memchr(p, '\0',
	    (size_t)(end - p))) != NULL; p = nul + 1) {
		for (tok = p; tok < nul && *tok == '\n'; tok++)
			;
		if (nul - tok != GIT_OID_HEXSZ ||
		    git_oid_fromstrn(&id, tok, GIT_OID_HEXSZ) < 0)
			continue;
		f1 = gitlog_get(whole, &id, &d1, &n1, &paired);
		if (f1 && paired)
			abort();
		f2 = gitlog_get(cut, &id, &d2, &n2, &paired);
		if (f1 != f2 || (f1 && n1 != n2))
			abort();
		if (f1) {
			check(d1, n1);
			for (i = 0; i < n1; i++)
				if (!same(&d1[i], &d2[i]))
					abort();
			gitlog_deltas_free(d1, n1);
			gitlog_deltas_free(d2, n2);
		}
	}
	if (gitlog_finish(whole) != gitlog_finish(cut))
		abort();
	gitlog_free(whole);
	gitlog_free(cut);
	return 0;
}
