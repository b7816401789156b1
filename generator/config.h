/*
 * docket.yml, and the YAML reading shared with page front matter.
 */
#ifndef DOCKET_CONFIG_H
#define DOCKET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct diag;
struct pos;
struct tval;

struct nav_item {
	char	*title;
	char	*url;		/* as written: a site path or an http(s) URL */
	unsigned line, col;
	unsigned url_line, url_col;	/* of the url's value */
};

struct config {
	char		*title;
	char		*description;
	char		*base_url;	/* NULL, or http(s) ending in '/' */
	char		*language;	/* default "en" */
	char		*license;
	char		*repo_url;
	char		*date_format;	/* default "%-d %B %Y" */
	char		*output;	/* default "site" */
	unsigned	 output_line;	/* where docket.yml sets it; 0: default */
	unsigned	 output_col;
	struct nav_item	*nav;
	size_t		 navsz;
	bool		 unsafe_html;
	bool		 hist_authors;
	char		*hist_timezone;	/* default "UTC" */
	unsigned	 hist_limit;	/* default 10 */
};

/*
 * Reads docket.yml from memory; `path` names it in diagnostics. Every
 * error is reported; returns 0 or -1. Release with config_release() in
 * either case.
 */
int	config_load(struct config *, struct diag *, const char *path,
	    const char *data, size_t len);
void	config_release(struct config *);

/*
 * Parses one YAML document from memory. Positions in diagnostics are
 * shifted down by `line0` lines (front matter starts below line 1).
 * Returns 0 (the caller then calls yaml_document_delete()) or -1.
 */
int	yaml_load(yaml_document_t *out, struct diag *, const char *path,
	    const char *data, size_t len, unsigned line0);
/*
 * yaml_load() without its shortcut: libyaml reads every document, plain
 * or not. For tests that compare the two.
 */
int	yaml_load_full(yaml_document_t *out, struct diag *, const char *path,
	    const char *data, size_t len, unsigned line0);
/*
 * The document of data (len bytes) as yaml_load() reads it, when data is
 * a mapping of plain one-line pairs (see config.c); false, and *doc
 * untouched, when it is not. It checks nothing yaml_load() checks
 * before parsing.
 */
bool	yaml_load_plain(yaml_document_t *doc, const char *data, size_t len);
/*
 * Converts a node to a template value: scalars to strings (true/false to
 * booleans, null to null). Returns NULL when the tree, with its aliases expanded, is
 * deeper than YAML_MAX_DEPTH or holds more than YAML_MAX_NODES values.
 */
#define YAML_MAX_DEPTH	64
#define YAML_MAX_NODES	100000
struct tval *yaml_to_tval(yaml_document_t *, yaml_node_t *);
/*
 * Is n YAML's null (an untagged plain "null", "~" or nothing, or one
 * tagged !!null)? A key whose value is null is not set.
 */
bool	yaml_is_null(const yaml_node_t *);
/*
 * Warns of each bidirectional control character (see bidi_name()) in
 * scalar n of the YAML data (len bytes) read by yaml_load() with the
 * same path and line0, written as it is or, in double quotes, as a
 * \u escape; `what` names the value in the message. Returns 0, or -1
 * when a warning counts as an error.
 */
int	yaml_bidi_check(struct diag *, const char *path, const char *data,
	    size_t len, unsigned line0, const yaml_node_t *n, const char *what);
/*
 * Reports, at p, a character of scalar n's value that no page, feed or
 * calendar may hold: a control character but tab and line breaks (NUL
 * too, which would cut the value short), U+FFFE or U+FFFF; `key` names
 * the value. Returns 0, or -1 after the error.
 */
int	yaml_control_check(struct diag *, const struct pos *p,
	    const yaml_node_t *n, const char *key);
/* Is a URL http(s) with a host? */
bool	url_is_web(const char *);
/* Why a URL is not one url_is_web() takes; NULL: it is one. */
const char *url_web_problem(const char *);

#endif
