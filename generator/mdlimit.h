/*
 * Bounds on markdown that cmark-gfm itself does not keep: its table
 * extension takes time quadratic in the cells of a row, and pads every
 * short row to the header's width, so a few bytes can ask for millions of
 * cells; its autolink extension reads from every "www." after a '_' to
 * the end of the word, and copies the rest of a text node for each of
 * its email autolinks; and a node of its tree takes some 200 bytes, made
 * for as little as one byte of text (a line end, a '>', a ':'), so that
 * the 16 MiB of a file could ask for gigabytes. The text is checked
 * before it is parsed.
 */
#ifndef DOCKET_MDLIMIT_H
#define DOCKET_MDLIMIT_H

struct diag;
struct md_src;

#define MD_MAX_TABLE_COLUMNS	100		/* cells in a table row */
#define MD_MAX_TABLE_PADDING	0x80000		/* empty cells added per text */
#define MD_MAX_WORD_WWW		16		/* "_www." in one word */
#define MD_MAX_MARKUP		2000000		/* bytes that may make a node */
#define MD_MAX_EMAIL_COPY	0x4000000	/* bytes copied by email autolinks */
#define MD_EMAIL_LINKS		1000		/* cmark-gfm's, a text node */

/*
 * Reports the first table that passes a bound, at its line, the word
 * where the autolink bound is passed, the byte that passes the bound
 * of markup, or the '@' that passes the bound of email autolinks.
 * Returns 0, or -1 after reporting.
 */
int	mdlimit_check(struct diag *, const struct md_src *);

#endif
