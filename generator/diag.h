/*
 * Diagnostics: "path:line:col: error: message" on stderr, or GitHub
 * workflow commands.  Errors are counted so that one run reports all.
 *
 * A run keeps its messages (ordered) and prints them at its end with
 * diag_flush(), file by file and each file from top to bottom, whatever
 * order the build found them in. Other processes and threads of the
 * build hold theirs (hold), each with its position, and the build takes
 * them in with diag_replay(). A run that ends in die() prints what it
 * kept first, in the order reported.
 */
#ifndef DOCKET_DIAG_H
#define DOCKET_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

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
	bool		 warn_as_error;	/* strict, but the work goes on */
	bool		 quiet;		/* no warnings printed */
	bool		 silent;	/* nothing printed; errors still counted */
	const char	*prefix;	/* prepended to paths (GitHub: repo-relative) */
	unsigned	 errors;
	unsigned	 warnings;
	unsigned	 broken_links;	/* of the warnings: docket check counts
					   them apart */
	/*
	 * Errors that are not in one page or record (a template's, found
	 * while rendering a page): the work stops after the item that
	 * reported one, lest every page report it again.
	 */
	unsigned	 stops;
	struct buf	*capture;	/* not NULL: messages are also appended here */
	struct buf	*hold;		/* not NULL: messages go here, for
					   diag_replay(), not to stderr */
	bool		 ordered;	/* messages wait for diag_flush() */
	struct buf	*kept;		/* what waits, as hold has it */
	bool		 progress;	/* show progress on stderr (a terminal) */
	double		 progress_delay; /* seconds before it shows; default 0.5 */
	double		 progress_t0;	/* 0: no progress under way */
	double		 progress_last;	/* when the line was last drawn */
	bool		 progress_shown; /* a progress line is on the screen */
	char		*prefix_own;	/* the prefix diag_set_root() made */
	uint64_t	*once;		/* diag_warning_once(): hashes of those had */
	size_t		 oncesz;
	size_t		 oncecap;
};

void	diag_init(struct diag *);
void	diag_release(struct diag *);
/* Reports an error at pos (NULL: no file). Returns -1. */
int	diag_error(struct diag *, const struct pos *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * Reports a warning (an error under strict). Returns 0, or -1 if strict.
 * Under warn_as_error it is printed as an error, even when quiet, but
 * counted in warnings and 0 is returned: the caller goes on, and the
 * warnings fail the run at its end (docket check).
 */
int	diag_warning(struct diag *, const struct pos *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A warning that a run reports once, however many of its processes find
 * it (a template's, found while rendering pages): another with the same
 * place and words is left out, and not counted, here and when taken in
 * by diag_replay(). Returns as diag_warning().
 */
int	diag_warning_once(struct diag *, const struct pos *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * Takes messages that were held (dg->hold) elsewhere, with the errors
 * and warnings they counted, as if they were reported here: held again,
 * kept or printed. held and len are what the hold buffer had.
 */
void	diag_replay(struct diag *, const char *held, size_t len,
	    unsigned errors, unsigned warnings);
/* Appends to out the text of held messages, as printed, in the order held. */
void	diag_held_text(struct buf *out, const char *held, size_t len);
/*
 * Prints the messages kept (dg->ordered) since the last call, and forgets
 * them: grouped by file, the files in byte order of their paths; in a
 * file, those without a line first, then by line, then by column;
 * messages without a file after every file's. Messages at the same place
 * keep the order they were reported in.
 */
void	diag_flush(struct diag *);

/*
 * Shows "docket: PHASE COUNT files" on one line of stderr, redrawn at most
 * ten times a second, once progress_delay seconds have passed since the
 * first call. Does nothing unless dg->progress is set.
 */
void	diag_progress(struct diag *, const char *phase, size_t count);
/* Clears the progress line, if shown; the next call starts afresh. */
void	diag_progress_end(struct diag *);
/*
 * Makes paths in diagnostics relative to the root of the git repository
 * that holds the site folder dir (found from dir upward), as GitHub wants
 * them. Without a repository paths stay relative to the site folder.
 * Returns 0, or -1 when dir cannot be resolved (nothing is reported).
 */
int	diag_set_root(struct diag *, const char *dir);

#endif
