/*
 * Runs every unit test listed in tests.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "buf.h"
#include "util.h"

int unit_failed, unit_checks;

#define T(name) void name(void);
#include "tests.h"
#undef T

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define T(name) { #name, name },
#include "tests.h"
#undef T
};

static FILE *capture;
static int saved_fd = -1;

void
unit_capture_start(void)
{
	fflush(stderr);
	capture = tmpfile();
	if (capture == NULL)
		die("tmpfile");
	saved_fd = dup(2);
	dup2(fileno(capture), 2);
}

char *
unit_capture_end(void)
{
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(capture);
	while ((n = fread(tmp, 1, sizeof(tmp), capture)) > 0)
		buf_put(&b, tmp, n);
	fclose(capture);
	return buf_detach(&b);
}

void
unit_put(const char *dir, const char *rel, const char *text)
{
	char *p = path_join(dir, rel);

	CHECK_INT(file_write(p, text, strlen(text)), 0);
	free(p);
}

int
main(void)
{
	size_t i;
	int before;
	unsigned passed = 0, failed = 0;

	for (i = 0; i < NELEM(tests); i++) {
		before = unit_failed;
		tests[i].fn();
		if (unit_failed == before)
			passed++;
		else {
			failed++;
			fprintf(stderr, "FAIL %s\n", tests[i].name);
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
