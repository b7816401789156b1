/*
 * Diagnostics: "path:line:col: error: message" on stderr, or GitHub
 * workflow commands.  Errors are counted so that one run reports all.
 */
#ifndef DOCKET_DIAG_H
#define DOCKET_DIAG_H

#include <stdbool.h>

struct pos {
	const char	*path;	/* relative to the site folder; NULL: none */
	unsigned	 line;	/* 0: unknown */
	unsigned	 col;	/* 0: unknown */
};

enum diag_format {
	DIAG_GCC,
	DIAG_GITHUB
};

struct diag {
	enum diag_format format;
	bool		 strict;	/* warnings count as errors */
	bool		 quiet;		/* no warnings printed */
	bool		 silent;	/* nothing printed; errors still counted */
	const char	*prefix;	/* prepended to paths (GitHub: repo-relative) */
	unsigned	 errors;
	unsigned	 warnings;
};

void	diag_init(struct diag *);
/* Reports an error at pos (NULL: no file). Returns -1. */
int	diag_error(struct diag *, const struct pos *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Reports a warning (an error under strict). Returns 0, or -1 if strict. */
int	diag_warning(struct diag *, const struct pos *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
