/*
 * Replays inputs through a fuzz target without libFuzzer, so that the
 * seed corpus runs under any compiler in `make test` (after libgit2's
 * standalone_driver.c). Each argument is a file or a folder of files.
 *   tests/fuzz/record-replay tests/fuzz/corpus/record
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "record.h"
#include "util.h"

static unsigned runs;

static int
replay(const char *path)
{
	struct buf b = BUF_INIT;
	uint8_t *copy;
	size_t n;

	if (file_read(&b, path) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	/* An exact copy, as libFuzzer gives: no NUL after the data. */
	n = b.len;
	copy = xmalloc(n);
	memcpy(copy, b.ptr, n);
	buf_release(&b);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	runs++;
	return 0;
}

static int
replay_dir(const char *dir)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, *path;
	size_t n = 0, i;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(char *));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(char *), strp_cmp);
	for (i = 0; i < n; i++) {
		path = path_join(dir, names[i]);
		if (replay(path) == -1)
			rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char *argv[])
{
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if ((is_dir(argv[i]) ? replay_dir(argv[i]) :
		    replay(argv[i])) == -1)
			rc = 1;
	record_cleanup();
	printf("%s: %u inputs replayed\n", argv[0], runs);
	return rc;
}
