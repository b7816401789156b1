/*
 * docket check: the build with --strict, written into a temporary folder
 * that is removed afterwards, and then every internal link and fragment
 * of every page of the output.
 */
#ifndef DOCKET_CHECK_H
#define DOCKET_CHECK_H

#include <stdbool.h>

struct diag;

struct check_opts {
	const char	*source;	/* the site folder; default "." */
	bool		 drafts;	/* include drafts */
	bool		 no_history;	/* do not read the git history */
	bool		 quiet;		/* no summary line */
	unsigned	 jobs;		/* processes and threads, at least 1 */
};

/*
 * Checks the site. A broken link made by markdown is reported at the
 * markdown's path:line:col; one made by a template names the output page.
 * Returns the exit status: 0 no problems, 1 errors in the content,
 * templates or links, 2 configuration, usage or I/O errors.
 */
int	check_run(struct diag *, const struct check_opts *);

#endif
