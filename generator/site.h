/*
 * A site: its configuration, pages, records and files, and the build that
 * renders them into an output folder.
 */
#ifndef DOCKET_SITE_H
#define DOCKET_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "date.h"

/*
 * Said of a folder without docket.yml given as a site, by every command:
 * "no docket.yml in '%s': " NOT_A_SITE.
 */
#define NOT_A_SITE	"not a site folder (a site needs a docket.yml with " \
			"its title and a content/ folder)"

struct diag;
struct facet_names;
struct history;
struct pos;
struct record;
struct source_tree;
struct tmpl_set;
struct tval;

struct build_opts {
	const char	*source;	/* the site folder; default "." */
	const char	*output;	/* -o, relative to the current folder */
	const char	*base_url;	/* --base-url */
	const char	*as_of;		/* --as-of REV|YYYY-MM-DD */
	const char	*cache_dir;	/* --cache-dir; NULL: the default */
	bool		 no_history;	/* --no-history */
	bool		 drafts;
	bool		 verbose;
	bool		 quiet;
	/*
	 * docket check: nothing is published. After errors in single pages
	 * and records, the rest of the site is rendered and the output kept
	 * (site_build() still returns 1), for its links to be followed.
	 */
	bool		 checking;
	unsigned	 jobs;		/* -j: processes rendering pages; 0 is 1 */
	bool		 exiting;	/* the process ends after the build */
	/* Optional: called with the URL and position of each markdown link. */
	void		(*on_link)(void *, const char *url, const char *written,
			    const struct pos *);
	void		*on_link_arg;
	/*
	 * Optional, with checking: called, when the output is kept after
	 * errors, with each output those errors were in (site_failed()).
	 */
	void		(*on_failed)(void *, const char *out);
	/*
	 * And with the source of the first page whose front matter could
	 * not be read, when there is one: the aliases it names are unknown.
	 */
	void		(*on_aliases_unknown)(void *, const char *src);
	/* And, with checking, with each page left out as a draft. */
	void		(*on_draft)(void *, const char *src, const char *out);
	void		*on_failed_arg;
};

struct page {
	char		*src;		/* path in diagnostics: "content/a/b.md" */
	char		*rel;		/* path below content/: "a/b.md" */
	char		*out;		/* output path: "a/b/index.html" */
	char		*title;
	char		*description;
	char		*layout;	/* NULL: the default */
	struct pos	 layoutpos;	/* where the front matter names it */
	struct date	 date;
	bool		 draft;
	long		 weight;
	char		**aliases;
	struct pos	*aliaspos;	/* where each is written */
	size_t		 aliasesz;
	struct tval	*params;	/* every front matter key */
	char		*body;		/* the markdown after the front matter */
	size_t		 bodysz;
	unsigned	 bodyline;
};

/* A file copied as it is: content/static/..., images beside pages. */
struct copy {
	char	*src;		/* path from the site folder */
	char	*out;		/* output path */
};

struct site {
	struct diag	 *dg;
	struct source_tree *src;		/* the files read */
	const struct build_opts *opts;
	char		 *dir;		/* the site folder */
	struct config	  cfg;
	struct page	 *pages;
	size_t		  pagesz;
	/*
	 * Pages left out for errors in their front matter's values, kept
	 * for the errors of their layout and body (model_render()).
	 */
	struct page	 *held;
	size_t		  heldsz;
	/*
	 * Records left out for errors in their values, kept for the errors
	 * of their markdown (model_render()).
	 */
	struct record	**held_records;
	size_t		  held_recordsz;
	struct record	**records;	/* sorted by name */
	size_t		  recordsz;
	size_t		 *by_id;	/* indexes of records, by id */
	struct facet_names *authorities;	/* their path segments */
	struct copy	 *copies;
	size_t		  copiesz;
	struct tmpl_set	 *tmpl;
	char		**tmpl_paths;	/* kept for diagnostics */
	size_t		  tmpl_pathsz;
	struct history	 *hist;		/* NULL: --no-history */
	struct preparse	 *ahead;	/* records parsed ahead, while scanning */
	struct tval	**commit_maps;	/* each commit's, for templates (changes.c) */
	size_t		  commit_mapsz;
	char		 *tmpdir;	/* the output being written */
	char		 *olddir;	/* the output it replaces, or NULL */
	bool		  mounted;	/* olddir is a mount point */
	size_t		  written;	/* files written */
	bool		  io_failed;	/* a write failed: exit status 2 */
	size_t		  reused;	/* of them, linked from olddir */
	char		 *madedir;	/* the output folder last made */
	unsigned	  procs;	/* the most processes rendering at once */
	char		**draft_ids;	/* records left out as drafts */
	size_t		  draft_idsz;
	char		**draft_dirs;	/* "content/x/" of draft x/index.md */
	size_t		  draft_dirsz;
	struct copy	 *drafts;	/* the pages left out as drafts */
	size_t		  draftsz;
	char		**outs;		/* every output path, sorted */
	size_t		  outsz;
	/* Inputs by path from the site folder, sorted (site_link_source()). */
	struct copy	 *srcs;
	size_t		  srcsz;
	char		 *base_path;	/* the path of base_url: "/", "/sub/" */
	char		**failed;	/* outputs with errors (site_failed()) */
	size_t		  failedsz;
	unsigned	  failed_errors;	/* the errors they had */
	char		**failed_ids;	/* records that did not load */
	size_t		  failed_idsz;
	char		 *aliases_unknown; /* a page whose front matter did not
					    parse: the aliases it names */
	/*
	 * In a process of -j, for docket check: what the item being done
	 * told the check's hooks (on_link) and site_failed(), for the
	 * build to replay in item order (site_hooks_replay()).
	 */
	struct buf	 *hooks;
};

/*
 * Reads content/<rel> from s->src as a build does: a page into
 * s->pages; one whose front matter has errors in its values into
 * s->held (its outputs noted in s->failed); a draft left out unless
 * s->opts->drafts. Returns 0, or -1 after reporting errors.
 */
int	site_load_page(struct site *, const char *rel);
/* Frees what a page holds, not the page itself. */
void	site_page_release(struct page *);
/*
 * Builds the site. Returns the exit status: 0 built, 1 errors in the
 * content or templates, 2 configuration, usage or I/O errors.
 */
int	site_build(struct diag *, const struct build_opts *);

/*
 * Should what the build holds be left to the end of the process rather
 * than freed? Only when the process ends right after the build, and not
 * in a sanitizer build, which checks the freeing too. Freeing a large
 * site's values one by one takes a tenth of its build.
 */
bool	site_keep_at_exit(const struct site *);

/*
 * Writes a page at output path `out` that sends readers to `url` (a path
 * from the site root): "This <what> has moved to <title>". Returns 0 or -1.
 */
int	site_write_redirect(struct site *, const char *out, const char *url,
	    const char *title, const char *what);
/* Writes one output file below the folder being built. Returns 0 or -1. */
int	site_write(struct site *, const char *rel, const char *, size_t);
/*
 * Follows a link written in markdown on the page at output path `from`
 * to a file the build writes; warns at p when it leads nowhere (docket
 * check also follows fragments and the links templates make).
 */
void	site_check_link(struct site *, const char *from, const char *url,
	    const struct pos *p);
/* The index in s->records of the record `id`, or SIZE_MAX. */
size_t	site_record_index(const struct site *, const char *id);
/* Is `id` a record left out of the build as a draft? */
bool	site_is_draft(const struct site *, const char *id);
/*
 * Notes that `errors` errors (0: nothing is noted) were found in what
 * makes the output `out` alone: "a/index.html" for a page, "vendors/x/"
 * (ending in '/') for all of a record's. When every error of a build is
 * one of these, the build goes on to render the pages for their errors,
 * and docket check renders the rest too and follows its links, but none
 * that leads to these outputs. The errors found while rendering are
 * noted in the process of -j that renders them, which sends them to the
 * build (s->hooks).
 */
void	site_failed(struct site *, const char *out, unsigned errors);
/*
 * Is rel a folder inside the site? 1: yes; 0: there is nothing there;
 * -1: it leads outside the site, or is a file or another thing, which is
 * reported at rel.
 */
int	site_folder(struct site *, const char *rel);
/*
 * Gives opts->on_link the link url at p (written so in the source), or,
 * in a process of -j, keeps it in s->hooks for the build.
 */
void	site_hook_link(struct site *, const char *url, const char *written,
	    const struct pos *p);
/* Does what a process of -j kept in its s->hooks (len bytes of it). */
void	site_hooks_replay(struct site *, const char *hooks, size_t len);
/*
 * Does target, an output path (a folder's without its slash), lead to
 * one of the n outputs in failed (site_failed())?
 */
bool	site_failed_target(char *const *failed, size_t n, const char *target);
/*
 * Is target one of the outputs made of all the records (the facets'
 * pages, the timeline and its years) when a record was left out for its
 * errors? Such a page, or an id on it, may be missing for want of that
 * record alone: a link to it is checked once the record is fixed.
 */
bool	site_failed_lists(char *const *failed, size_t n, const char *target);
/*
 * Why a link to target, which is no output, is broken; naming the page
 * whose aliases are unknown (aliases_unknown, NULL: none), which might
 * have made it one; or the draft it leads to, of the pages left out as
 * drafts (drafts, n of them), by its output or by srctarget, the link
 * read from the folder of the file it is written in ("content/x.md";
 * NULL: none). The caller frees the text.
 */
char	*site_no_page(const char *target, const char *aliases_unknown,
	    const struct copy *drafts, size_t n, const char *srctarget);
/*
 * srctarget for site_no_page(): the link url written in the file src,
 * read from src's folder; NULL when src is no file of content/.
 */
char	*site_link_srctarget(const char *base_path, const char *src,
	    const char *url);
/* Is `id` a record that was left out for its errors? */
bool	site_record_failed(const struct site *, const char *id);

/*
 * Is the page at output path `out` the introduction of a page docket
 * makes (index.html, vendors/, timeline/, changes/)? It is rendered
 * with that page, not on its own.
 */
bool	site_is_intro(const char *out);
/* The page-relative way to the root for an output path: "a/b/index.html" gives "../../". */
char	*site_root_for(const char *out);
/* The output path of a redirect from alias: "/old/" gives "old/index.html"; caller frees. */
char	*site_alias_out(const char *alias);
/* The link form of an output path: "a/index.html", or "a/" with base_url. */
char	*site_url_for(const struct site *, const char *out);
/*
 * Does the build write out ("vendors/acme/index.html")? True before the
 * outputs are listed (the collision check lists them, before rendering).
 */
bool	 site_has_output(const struct site *, const char *out);
/* Is out ("robots.txt") a file of content/ copied as it is? */
bool	 site_copies(const struct site *, const char *out);
/*
 * Built without a base URL, a relative link from the page at `from` to a
 * folder of the output ("../about/", "../about"): the link naming its
 * index.html ("../about/index.html"), query and fragment kept; NULL to
 * keep url as it is (also with a base URL). Caller frees.
 */
char	*site_link_folder(struct site *, const char *from, const char *url);
/*
 * A relative link written as on GitHub, from the input file src
 * ("content/a/b.md") to another input ("c.md", "pic.png",
 * "vendors/x.xml"), that does not lead to an output from the page at
 * `from`: the link to that input's output from there; else what
 * site_link_folder() makes of it, or NULL to keep url as it is. Caller
 * frees.
 */
char	*site_link_source(struct site *, const char *from, const char *src,
	    const char *url);

#endif
