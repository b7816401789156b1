/*
 * Fuzz target: a history cache entry read back (histcache_load()), as a
 * file under --cache-dir may be: garbage, cut short, or written by
 * another version. The first byte chooses what the rest is: with bit 0
 * set, the whole file; else the payload only, to which the target puts
 * the header of a good entry (key, commit, length, checksum), so that
 * what follows the checksum is read. An entry read must hold what the
 * walk relies on, and be written and read back the same.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "history.h"
#include "histcache.h"
#include "recdiff.h"
#include "util.h"

#define MAGIC	"docket history cache\n"

static const char key[] = "docket history cache fuzz\n";
static char *dir, *path;
static git_oid id;

static void
cleanup(void)
{
	rmdir(dir);
}

static void
setup(void)
{
	static char tmpl[] = "/tmp/docket-fuzz-histcache-XXXXXX";
	char hex[GIT_OID_HEXSZ + 1];

	if (dir != NULL)
		return;
	git_libgit2_init();	/* as the walk has it */
	if ((dir = mkdtemp(tmpl)) == NULL)
		abort();
	atexit(cleanup);
	git_oid_fromstr(&id, "5f3c1b2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b");
	git_oid_tostr(hex, sizeof(hex), &id);
	path = xasprintf("%s/history-%016llx-%s", dir, (unsigned long long)
	    hash64(HASH64_INIT, key, strlen(key)), hex);
}

/* What the walk and cache_merge() take for granted. */
static void
check(const struct hc_entry *e)
{
	const struct hist_file *f;
	const struct hist_rev *r;
	git_oid x;
	size_t i, j, k;

	for (i = 0; i < e->commitsz; i++)
		if (git_oid_fromstr(&x, e->commits[i].id) < 0 ||
		    e->commits[i].subject == NULL)
			abort();
	for (i = 0; i < e->namesz; i++)
		if (e->names[i] == NULL || (e->name_file[i] != SIZE_MAX &&
		    e->name_file[i] >= e->filesz))
			abort();
	for (i = 0; i < e->filesz; i++) {
		f = &e->files[i];
		if (f->path == NULL || !str_startswith(f->path, "content/"))
			abort();
		for (j = 0; j < f->old_pathsz; j++)
			if (f->old_paths[j] == NULL)
				abort();
		for (j = 0; j < f->linksz; j++)
			if (git_oid_fromstr(&x, f->links[j].id) < 0 ||
			    (f->links[j].prev != NULL &&
			    git_oid_fromstr(&x, f->links[j].prev) < 0) ||
			    (f->links[j].prev == NULL) !=
			    (f->links[j].prev_path == NULL))
				abort();
		for (j = 0; j < f->revsz; j++) {
			r = &f->revs[j];
			if (r->commit >= e->commitsz || r->path == NULL)
				abort();
			for (k = 0; k < r->changesz; k++)
				if (r->changes[k].field == NULL ||
				    r->changes[k].text == NULL)
					abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT, again = BUF_INIT;
	struct hc_entry e, e2;
	uint32_t kl = (uint32_t)strlen(key);
	uint64_t len, sum;

	if (size < 1)
		return 0;
	setup();
	if (data[0] & 1)
		buf_put(&b, data + 1, size - 1);
	else {
		len = size - 1;
		sum = hash64(HASH64_INIT, data + 1, size - 1);
		BUF_PUTSL(&b, MAGIC);
		buf_put(&b, &kl, sizeof(kl));
		buf_put(&b, key, kl);
		buf_put(&b, id.id, GIT_OID_RAWSZ);
		buf_put(&b, &len, sizeof(len));
		buf_put(&b, &sum, sizeof(sum));
		buf_put(&b, data + 1, size - 1);
	}
	if (file_write(path, b.ptr, b.len) == -1)
		abort();
	if (histcache_load(dir, key, &id, &e) == 0) {
		check(&e);
		/* Written again, it reads back, and is written the same. */
		buf_truncate(&b, 0);
		if (histcache_save(dir, key, &id, &e) == -1 ||
		    file_read(&b, path) == -1 ||
		    histcache_load(dir, key, &id, &e2) == -1)
			abort();
		check(&e2);
		if (histcache_save(dir, key, &id, &e2) == -1 ||
		    file_read(&again, path) == -1 || again.len != b.len ||
		    memcmp(again.ptr, b.ptr, b.len) != 0)
			abort();
		histcache_release(&e2);
		histcache_release(&e);
	}
	unlink(path);
	buf_release(&again);
	buf_release(&b);
	return 0;
}
