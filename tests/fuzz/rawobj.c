/*
 * Fuzz target: a loose object of a repository, read by docket's own
 * reader (rawobj.h) ahead of libgit2's. The first byte chooses how the
 * rest becomes the object's file: bit 0 set, it is the object as it is
 * inflated ("blob 5\0hello") and is deflated here, cut short by the
 * other bits' count of bytes; clear, it is the file. The file is the
 * only object of a bare repository in a folder of its own, read as a
 * blob. What is read must be the object's bytes after its header, as
 * many as the header says, and a deflated "blob N\0" of N bytes, not
 * cut short, must be read.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <zlib.h>

#include "buf.h"
#include "fuzz.h"
#include "rawobj.h"
#include "util.h"

static const char hex[] = "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";
static char *dir, *file;

static void
cleanup(void)
{
	remove_tree(dir);
}

static void
setup(void)
{
	char tmpl[] = "/tmp/docket-fuzz-rawobj-XXXXXX", *sub;
	git_repository *repo;

	git_libgit2_init();
	if (mkdtemp(tmpl) == NULL)
		abort();
	dir = xstrdup(tmpl);
	atexit(cleanup);
	if (git_repository_init(&repo, dir, 1) < 0)
		abort();
	git_repository_free(repo);
	sub = xasprintf("%s/objects/%.2s", dir, hex);
	if (mkdir(sub, 0777) == -1)
		abort();
	file = xasprintf("%s/%s", sub, hex + 2);
	free(sub);
}

/* Is the object the inflated bytes obj, "blob N\0" and N bytes? */
static bool
whole_blob(const uint8_t *obj, size_t len, size_t *hlen)
{
	const uint8_t *nul = memchr(obj, '\0', len);
	char *end;
	unsigned long long n;

	if (len < 7 || memcmp(obj, "blob ", 5) != 0 || nul == NULL ||
	    nul - obj > 60 || obj[5] < '0' || obj[5] > '9' ||
	    (obj[5] == '0' && nul - obj != 6))
		return false;
	n = strtoull((const char *)obj + 5, &end, 10);
	*hlen = (size_t)(nul - obj) + 1;
	return end == (const char *)nul && n == len - *hlen;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	git_repository *repo;
	git_oid id;
	struct rawobj b;
	uLongf zlen = 0;
	uint8_t *z = NULL;
	const uint8_t *bytes = data + 1;
	size_t len = size - 1, cut, hlen = 0;
	bool deflated, expect;
	FILE *f;
	int rc;

	if (size == 0 || size > 65536)
		return 0;
	if (dir == NULL)
		setup();
	deflated = (data[0] & 1) != 0;
	cut = data[0] >> 1;
	expect = deflated && cut == 0 && whole_blob(bytes, len, &hlen);
	if (deflated) {
		zlen = compressBound(len);
		z = xmalloc(zlen);
		if (compress(z, &zlen, bytes, len) != Z_OK)
			abort();
		bytes = z;
		len = zlen > cut ? zlen - cut : 0;
	}
	if ((f = fopen(file, "wb")) == NULL ||
	    (len > 0 && fwrite(bytes, 1, len, f) != len) || fclose(f) != 0)
		abort();

	if (git_repository_open(&repo, dir) < 0 ||
	    rawobj_guard(repo, NULL) == -1 || git_oid_fromstr(&id, hex) < 0)
		abort();
	rc = rawobj_read(&b, repo, &id, GIT_OBJECT_BLOB);
	if (expect && (rc != 0 || b.size != size - 1 - hlen ||
	    memcmp(b.data, data + 1 + hlen, b.size) != 0))
		abort();
	if (rc == 0 && b.data[b.size] != '\0')
		abort();
	rawobj_free(&b);
	git_repository_free(repo);
	free(z);
	return 0;
}
