/*
 * Markdown directives (the generic directives proposal, as
 * micromark-extension-directive reads them): leaf `::name[label]{attrs}`,
 * container `:::name[label]{attrs}` ... `:::`, and inline
 * `:name[label]{attrs}`, parsed by a cmark-gfm syntax extension so that
 * positions, escapes and nesting come from the real parser, and rendered
 * from the register's data.
 */
#ifndef DOCKET_DIRECTIVE_H
#define DOCKET_DIRECTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

struct buf;
struct diag;
struct md_src;
struct site;
struct tval;

/*
 * Links in directive output start with this marker instead of the way
 * back to the site root; model.c puts the real root of each page in its
 * place, so that record text can be rendered once and shown anywhere.
 */
#define DIR_ROOT	"\x01root\x01"

/* What directives are rendered from. */
struct dir_env {
	struct site		*site;
	const struct tval	*vendors;	/* vendor values by name; NULL: records */
	const struct tval	*actions;	/* every action value, by date */
	bool			 blocks;	/* block directives allowed */
};

struct dir_ctx;

/*
 * Attaches the directive extension to a parser for src (its path, text,
 * first line, column shift and src->env, which must not be NULL). src is
 * copied; its strings must outlive the context. Returns the context to
 * pass to dir_finish() and dir_free().
 */
struct dir_ctx	*dir_attach(cmark_parser *, struct diag *, const struct md_src *);
/*
 * After parsing: splices includes, gives headings their ids, and renders
 * every directive. Returns 0, or -1 after reporting errors.
 */
int		 dir_finish(struct dir_ctx *, cmark_node *doc);
void		 dir_free(struct dir_ctx *);

/* Replaces every DIR_ROOT in s by root, in place in the buffer. */
void		 dir_put_root(struct buf *, const char *root);

/* GitHub's slug of a heading text, appended to out. */
void		 dir_slug(struct buf *out, const char *text);

#endif
