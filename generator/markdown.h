/*
 * Markdown: CommonMark with the GFM table, strikethrough, autolink and
 * tagfilter extensions, through cmark-gfm; YAML front matter; the URL
 * filter that keeps every link and image to http, https, mailto or a
 * relative URL.
 */
#ifndef DOCKET_MARKDOWN_H
#define DOCKET_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct diag;
struct dir_env;
struct pos;

/*
 * Where a run of a text is in its file, for a text that is not a copy
 * of the file's lines (XML text with entities): from column tcol of
 * line tline of the text on, up to the next span, column c is at column
 * col + c - tcol of line `line` of the file.
 */
struct md_span {
	unsigned	 tline, tcol;
	unsigned	 line, col;
};

struct md_src {
	const char	*path;	/* the file, in diagnostics */
	unsigned	 line;	/* line of the text's first line in the file */
	int		 col;	/* added to columns; -1: columns unknown */
	/* In order, at least one on each line; NULL: line and col say. */
	const struct md_span *spans;
	size_t		 spansz;
	const char	*text;
	size_t		 len;
	bool		 unsafe_html;	/* keep raw HTML (trusted pages only) */
	const struct dir_env *env;	/* directives; NULL: none */
	/*
	 * Optional: called with the URL, as written in the output and as
	 * written in the source (they differ where rewrite changed it), and
	 * position of each link and image kept.
	 */
	void		(*on_link)(void *, const char *url, const char *written,
			    const struct pos *);
	void		*on_link_arg;
	/*
	 * Optional: called first with each such URL and the path of the
	 * file it is written in (an included file's own); returns the URL
	 * to write instead (the caller frees), or NULL to keep it.
	 */
	char		*(*rewrite)(void *, const char *path, const char *url);
	void		*rewrite_arg;
};

/*
 * Where column col (0: unknown) of line `line` of src's text, both
 * counted from 1, is in its file.
 */
struct pos md_pos(const struct md_src *, unsigned line, unsigned col);

/*
 * Renders markdown to HTML, appended to out. Unsafe URLs are removed with
 * a warning. Returns 0, or -1 after reporting errors.
 */
int	md_render(struct buf *out, struct diag *, const struct md_src *);

/*
 * A parser with the options for src (raw HTML kept only with
 * unsafe_html), and no extension yet: attach the directives first, then
 * the GFM extensions with md_parser_gfm(). Free with cmark_parser_free().
 */
struct cmark_parser;
struct cmark_parser *md_parser_new(const struct md_src *);
void		 md_parser_gfm(struct cmark_parser *);
/*
 * Empties every link and image URL of the tree that is not safe, with a
 * warning at its place in src, and gives the safe ones to src->on_link.
 */
struct cmark_node;
int	md_filter_urls(struct diag *, const struct md_src *, struct cmark_node *);

/*
 * Splits "---\n<yaml>---\n<body>". Without front matter *yaml is NULL and
 * the body is all of data. Returns 0, or -1 when the front matter is not
 * closed (reported).
 */
int	md_split(struct diag *, const char *path, const char *data, size_t len,
	    const char **yaml, size_t *yamlsz, const char **body,
	    size_t *bodysz, unsigned *bodyline);

/*
 * The text of an included file: what follows its front matter, which is
 * dropped (as Hugo and Jekyll drop it), or all of it. Sets *bodysz, and
 * *bodyline to the line of the file the text starts on.
 */
const char *md_body(const char *data, size_t len, size_t *bodysz,
	    unsigned *bodyline);

/*
 * Is the URL allowed in output: http, https, mailto, or relative (no
 * scheme)? Control characters and white space that browsers drop are
 * dropped before the scheme is read.
 */
bool	url_safe(const char *);

#endif
