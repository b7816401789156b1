/*
 * Version history from git (libgit2): which commits changed each page and
 * record of a site, read in one walk over the non-merge commits, and what
 * each commit changed in each record.
 */
#ifndef DOCKET_HISTORY_H
#define DOCKET_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

struct buf;
struct config;
struct diag;
struct git_mailmap;
struct git_oid;
struct gitlog;
struct hist_change;
struct recqueue;
struct source_tree;
typedef struct git_repository git_repository;

#define HIST_SHORT	10	/* length of short hashes */
#define HIST_TEXT_MAX	1000	/* bytes kept of a commit's subject or author */

struct hist_commit {
	char		 id[41];	/* full hash */
	char		 short_id[HIST_SHORT + 1];
	char		*subject;
	char		*author;	/* after .mailmap; NULL unless history.authors */
	long long	 time;		/* author time, seconds since the epoch */
	struct date	 date;		/* author date in history.timezone */
	char		*url;		/* through repo_url; NULL without it */
};

/* One commit that changed a file. */
struct hist_rev {
	size_t		 commit;	/* index in history.commits */
	char		*path;		/* the file's path after the commit */
	struct hist_change *changes;	/* records: field changes */
	size_t		 changesz;
	bool		 substantive;	/* records: changed a field or text */
};

/*
 * A version of a record that does not parse, and the version it was made
 * from (blob ids in hex; prev NULL when it was added, or was no record):
 * a commit that mends it is compared with the newest version that parses
 * on its way back through these, which may be in an older walk's cache.
 */
struct hist_link {
	char		*id;
	char		*prev;
	char		*prev_path;
};

/* A file of the site's content/, followed through renames. */
struct hist_file {
	char		*path;		/* path from the site folder, as built */
	char		*vendor;	/* records: the id (file name) */
	char		*name;		/* records: the name in the last version */
	bool		 record;
	bool		 removed;	/* not in the tree built */
	bool		 incomplete;	/* older than a shallow clone's boundary */
	bool		 uncommitted;	/* differs from the commit built */
	struct hist_rev	*revs;		/* newest first */
	size_t		 revsz;
	char		**old_paths;	/* names it had before renames */
	size_t		 old_pathsz;
	struct hist_link *links;	/* records: newest first */
	size_t		 linksz;
};

/* A commit's changes to one record: one line of the change lists. */
struct hist_entry {
	size_t		 file;		/* index in history.files */
	size_t		 rev;		/* index in that file's revs */
};

struct hist_cachejob;
struct hist_graph;
struct hist_heads;
struct hist_status;
struct record;

struct history {
	git_repository	*repo;		/* NULL: no repository */
	char		*prefix;	/* the site folder in the repository: "" or "a/b/" */
	bool		 walked;	/* history was read */
	bool		 shallow;	/* a shallow clone: history is incomplete */
	bool		 dirty;		/* content differs from the commit built */
	bool		 as_of;		/* built from another commit than HEAD */
	bool		 drafts;	/* drafts are built: their changes count */
	bool		 damaged;	/* hist_open() found the repository damaged */
	char		 head[41];	/* the commit built; "" on an unborn branch */
	char		 head_short[HIST_SHORT + 1];
	struct date	 head_date;
	long long	 head_time;	/* its committer time */
	char		*as_of_rev;	/* --as-of as given */
	char		*root_id;	/* the oldest commit reached */
	struct hist_commit *commits;	/* newest first */
	size_t		 commitsz;
	struct hist_file *files;	/* sorted by path */
	size_t		 filesz;
	struct hist_entry *entries;	/* newest first, a year at a time */
	size_t		 entrysz;
	/* From docket.yml, for formatting. */
	char		*date_format;
	char		*repo_url;
	bool		 dir_urls;	/* base_url is set: links end in '/' */
	unsigned	 limit;
	struct gitlog	*log;		/* listers started by hist_prefetch() */
	unsigned	 log_procs;	/* listers it may run at once */
	size_t		 log_used;	/* the walk read from so many; 0: none */
	bool		 log_native;	/* they were threads, not git */
	size_t		 log_missed;	/* commits not listed, read by libgit2 */
	struct recqueue	*rq;		/* records it lists, parsed ahead */
	struct hist_status *status;	/* the working tree's, being read */
	struct hist_graph *graph;	/* the commits, being found */
	size_t		 ahead;		/* versions of records asked for ahead */
	size_t		 ahead_used;	/* of those, the ones the walk wanted */
	bool		 log_based;	/* it lists only commits since log_base */
	char		 log_base[41];
	/*
	 * Set by the build, or NULL: the record it read from the work tree
	 * at `path` ("content/vendors/x.xml"), when those bytes are the blob
	 * `id`. A record's version at HEAD is then taken from it, not read
	 * and parsed again (nor ahead, on the worker).
	 */
	const struct record *(*current)(void *arg, const char *path,
			    const struct git_oid *id);
	void		*current_arg;
	struct hist_heads *heads;	/* the records' blobs at HEAD */
	/* The history cache (histcache.h). */
	char		*cache_dir;	/* NULL: none */
	char		*cache_key;	/* NULL: not used */
	struct hist_cachejob *cachejob;	/* the walk being written there */
	size_t		 cache_reused;	/* commits read from the cache */
	size_t		 cache_walked;	/* commits read from git */
};

/*
 * Opens the repository holding the site folder `dir`, searching upward.
 * Reads no global or system git configuration and does not check the
 * owner. Returns 0 and sets *out (free with hist_free()); (*out)->repo is
 * NULL when there is no repository. Returns -1 after reporting an error,
 * with (*out)->damaged set when the error is in the repository itself (a
 * HEAD or a .git/shallow that cannot be read, a partial clone): an error
 * in the history, not in the paths given.
 */
int	hist_open(struct history **out, struct diag *, const char *dir);
/*
 * The git folder ("/r/.git/", or a worktree's) of the repository with a
 * working tree that holds the folder `dir`, searching upward; NULL when
 * there is none. Caller frees.
 */
char	*hist_gitdir(const char *dir);
/*
 * Keeps what the walk reads in a cache in `dir` (NULL: the default,
 * histcache_dir()), and reads from there what earlier builds read.
 * Optional; call it before hist_prefetch(). A `dir` given that cannot be
 * made or written is a warning; the default one is used when it can be.
 */
void	hist_cache(struct history *, struct diag *, const char *dir);
/*
 * Waits until the walk hist_walk() gave the cache is written (on a
 * thread of its own while the build goes on). Call it before forking,
 * and before the build ends; hist_free() does too.
 */
void	hist_cache_wait(struct history *);
/*
 * Resolves --as-of: a revision, or YYYY-MM-DD (the last commit reachable
 * from HEAD committed on or before the end of that day in `tz`). Sets the
 * commit to build and returns 0, or -1 after reporting.
 */
int	hist_as_of(struct history *, struct diag *, const char *rev,
	    const char *tz);
/*
 * The files of the commit built, as a source tree rooted at the site
 * folder. Free with source_free(); the history must outlive it.
 */
struct source_tree *hist_source(struct history *);
/*
 * Starts reading the changes of every commit (every commit since the
 * newest in the cache) with `git log` in a child process, so that git
 * works while the site is read; hist_walk() uses them, or libgit2 alone
 * when git is not there or fails. Call it once the commit built is
 * known (after hist_as_of()), with the configuration hist_walk() gets.
 * Optional.
 */
void	hist_prefetch(struct history *, const struct config *);
/*
 * Reads the history of every file under content/ in one walk from the
 * commit built. Returns 0, or -1 after reporting an error; warns about a
 * shallow clone (an error under --strict).
 */
int	hist_walk(struct history *, struct diag *, const struct config *);
void	hist_free(struct history *);
/* The file at a path from the site folder ("content/a.md"), or NULL. */
const struct hist_file *hist_file(const struct history *, const char *path);
/* The index of the last substantive revision; f->revsz when none. */
size_t	hist_last(const struct hist_file *);
/*
 * Converts seconds since the epoch to a date in an IANA time zone, and
 * the end of a day in that zone back (the last second of it).
 */
int	hist_date_in(struct date *out, long long t, const char *tz);
int	hist_day_end(long long *out, const struct date *, const char *tz);
/*
 * The commit ids of .git/shallow (a full hash a line), and those of
 * .git-blame-ignore-revs (a full hash a line, '#' comments, a line that
 * is not one warned of at shown:line), appended to *ids. Both change
 * b's bytes. hist_ignore_parse() returns 0, or -1 when a warning was an
 * error (--strict).
 */
void	hist_shallow_parse(struct buf *b, struct git_oid **ids, size_t *idsz);
int	hist_ignore_parse(struct diag *, const char *shown, struct buf *b,
	    struct git_oid **ids, size_t *idsz);
/*
 * The names of a .mailmap's bytes, as libgit2 reads them, but for lines
 * it would refuse the whole file for; NULL when it refuses it still.
 */
struct git_mailmap	*hist_mailmap_parse(const char *, size_t);
/*
 * The name .mailmap gives the author name <email>, matched as git
 * matches, without regard to case; NULL: none. Valid while mm is.
 */
const char	*hist_mailmap_name(const struct git_mailmap *mm,
		    const char *name, const char *email);
/*
 * text, of a commit whose "encoding" header names enc (i18n.commitEncoding
 * of the one who made it), in UTF-8, as git log shows it; NULL when it
 * is in UTF-8 already, or enc is unknown or text is not in it (its bytes
 * are then shown as they are). Caller frees.
 */
char	*hist_to_utf8(const char *enc, const char *text);

/*
 * HTML fragments for the ::changes and ::history directives, appended to
 * out, escaped. `root` is the way from the page to the site root. Lists
 * the latest `limit` record changes (of one vendor, or of all when vendor
 * is NULL), and the commits that changed the file `src` ("content/a.md").
 */
/* Free arrays of commits and of files, with what they own. */
void	hist_commits_free(struct hist_commit *, size_t);
void	hist_files_free(struct hist_file *, size_t);

/*
 * The latest record changes as HTML, of one vendor or all; each names its
 * vendor, linked to its page where has_page(arg, id) says it has one.
 */
int	hist_html_changes(struct buf *out, const struct history *,
	    const char *vendor, unsigned limit, const char *root,
	    bool (*has_page)(const void *arg, const char *id),
	    const void *arg);
int	hist_html_page(struct buf *out, const struct history *,
	    const char *src, unsigned limit, const char *root);

#endif
