/*
 * A small unit-test harness, after cmark's api_test: each test is a
 * function test_<module>__<case>(void) listed in tests.h.
 */
#ifndef DOCKET_UNIT_H
#define DOCKET_UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_failed, unit_checks;

#define CHECK(cond) do {						\
	unit_checks++;							\
	if (!(cond)) {							\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	unit_checks++;							\
	if (g_ == NULL || strcmp(g_, w_) != 0) {			\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, g_ ? g_ : "(null)", w_);		\
	}								\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (got), w_ = (want);				\
	unit_checks++;							\
	if (g_ != w_) {							\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: got %lld, want %lld\n",		\
		    __FILE__, __LINE__, g_, w_);			\
	}								\
} while (0)

/* Every test's prototype, from the generated list. */
#define T(name) void name(void);
#include "tests.h"
#undef T

/* Writes text to the file dir/rel, making its folders. */
void	unit_put(const char *dir, const char *rel, const char *text);

/* Redirects stderr to a temporary file and reads it back. */
void	unit_capture_start(void);
char	*unit_capture_end(void);	/* caller frees */

#endif
