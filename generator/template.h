/*
 * Mustache templates (https://mustache.github.io/mustache.5.html) with
 * partials and the inheritance module ({{<parent}} {{$block}}), and the
 * data tree that templates are rendered with.
 */
#ifndef DOCKET_TEMPLATE_H
#define DOCKET_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct diag;

/*
 * A value in the data tree: null, boolean, number, string, list or map.
 * Values are reference-counted: tval_push() and tval_set() take over the
 * caller's reference, so a value shared by two parents needs tval_ref().
 * Maps keep their keys in insertion order.
 */
enum tval_type {
	TVAL_NULL,
	TVAL_BOOL,
	TVAL_NUM,
	TVAL_STR,
	TVAL_LIST,
	TVAL_MAP
};

struct tval;

struct tval	*tval_null(void);
struct tval	*tval_bool(bool);
struct tval	*tval_num(double);
struct tval	*tval_str(const char *);	/* copies; NULL gives null */
struct tval	*tval_strn(const char *, size_t);	/* copies */
struct tval	*tval_str_own(char *);		/* takes ownership (free()) */
/*
 * A string of HTML that docket made (rendered markdown): what {{{x}}} is
 * for. Every other string is text, and a template that writes one with
 * {{{x}}} or {{&x}} is warned (tmpl_set_html_only()).
 */
struct tval	*tval_html(const char *);	/* copies; NULL gives null */
struct tval	*tval_html_own(char *);		/* takes ownership (free()) */
struct tval	*tval_list(void);
struct tval	*tval_map(void);
/*
 * A map over `base` (taken, as tval_set() takes its value): a key not
 * set in it is looked up in base. For maps that share most of their
 * values, such as a commit in every list that shows it.
 */
struct tval	*tval_map_over(struct tval *base);
struct tval	*tval_ref(struct tval *);	/* returns its argument */
/*
 * Says that values are made on more than one thread (on), or on one
 * alone again (off), calling it before the others start and after they
 * end. Meanwhile a value is used by one thread at a time: they share
 * only the keys of maps.
 */
void		 tval_threads(bool on);
void		 tval_free(struct tval *);	/* drops one reference; NULL ok */

void		 tval_push(struct tval *list, struct tval *);
void		 tval_set(struct tval *map, const char *key, struct tval *);
/* Shorthands for tval_set(map, key, tval_str(s)) and friends. */
void		 tval_set_str(struct tval *map, const char *key, const char *);
void		 tval_set_bool(struct tval *map, const char *key, bool);
void		 tval_set_num(struct tval *map, const char *key, double);

enum tval_type	 tval_type(const struct tval *);
/* Borrowed lookups; NULL when absent or of another type. */
struct tval	*tval_get(const struct tval *map, const char *key);
const char	*tval_get_str(const struct tval *map, const char *key);
size_t		 tval_len(const struct tval *list);	/* 0 if not a list */
struct tval	*tval_at(const struct tval *list, size_t);
const char	*tval_strval(const struct tval *);	/* NULL if not a string */

/*
 * A set of named templates. Templates are parsed once, on first use.
 * A name not yet added is asked of the loader, which appends the source
 * to `src`, sets *path (a string the loader keeps alive, used in
 * diagnostics) and returns 1; returns 0 when there is no such template,
 * or -1 after reporting an error itself.
 */
typedef int (*tmpl_loader)(void *arg, const char *name, struct buf *src,
    const char **path);

struct tmpl_set;

struct tmpl_set	*tmpl_set_new(struct diag *, tmpl_loader, void *arg);
void		 tmpl_set_free(struct tmpl_set *);
/*
 * {{{x}}} and {{&x}} are for HTML docket made: one that writes a string
 * of text that is not empty is warned, once per tag, while rendering (as
 * the Mustache specification's own tests do not want).
 */
void		 tmpl_set_html_only(struct tmpl_set *);
/* Adds (or replaces) a template from memory; `path` names it in errors. */
void		 tmpl_set_add(struct tmpl_set *, const char *name,
		     const char *src, size_t len, const char *path);
/* Does the set have, or can the loader give, a template of that name? */
bool		 tmpl_exists(struct tmpl_set *, const char *name);

/*
 * Parses template `name` and every template it names as a partial or a
 * parent, reporting their syntax errors now, so that renders in other
 * processes (a parallel build) find them parsed and report nothing
 * twice. Dynamic partials are parsed when a render names them.
 */
void		 tmpl_prepare(struct tmpl_set *, const char *name);

/*
 * Renders template `name` with `ctx` as the bottom of the context stack,
 * appending to out. Returns 0, or -1 after reporting each error through
 * the diag as "path:line:col: error: ..." (syntax errors, a missing
 * top-level template, partial or parent nesting deeper than
 * TMPL_MAX_DEPTH, a render that visits more than TMPL_MAX_STEPS template
 * nodes or writes more than TMPL_MAX_OUTPUT bytes). A missing partial
 * renders as nothing, as the specification says. Nesting too deep, too
 * many steps, and output too large with no source to blame are the
 * template's errors, not the page's: each also counts in the diag's
 * stops, for the build to end there, not report it again for each page.
 */
#define TMPL_MAX_DEPTH	64
#define TMPL_MAX_STEPS	20000000u
#define TMPL_MAX_OUTPUT	(64u * 1024 * 1024)
int		 tmpl_render(struct tmpl_set *, const char *name,
		     const struct tval *ctx, struct buf *out);
/*
 * tmpl_render() for the page made from the file `source` (a markdown
 * page or a record; NULL: none): output past TMPL_MAX_OUTPUT is reported
 * at source, with the place in the template where it passed the bound.
 */
int		 tmpl_render_for(struct tmpl_set *, const char *name,
		     const struct tval *ctx, struct buf *out,
		     const char *source);

#endif
