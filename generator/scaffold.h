/*
 * docket new: scaffolds for new content.
 */
#ifndef DOCKET_SCAFFOLD_H
#define DOCKET_SCAFFOLD_H

struct buf;
struct diag;

/*
 * Appends the text of a new vendor record: a draft with every element
 * present, each explained by a comment, with example values; dated
 * `today` (YYYY-MM-DD).
 */
void	scaffold_vendor_text(struct buf *out, const char *id, const char *today);

/*
 * Writes SOURCE/content/vendors/<id>.xml (source NULL: the current
 * folder) and prints its path on stdout. Refuses a bad id and never
 * replaces a file. Returns the exit status: 0 written, 2 a bad id, not a
 * site folder, an existing file or an I/O error (reported).
 */
int	scaffold_vendor(struct diag *, const char *source, const char *id);

#endif
