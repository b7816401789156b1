/*
 * The records of content/vendors/, read and parsed ahead of the scan of
 * content/ on other threads, so that a build reads its markdown pages
 * while they are parsed. When the scan gets to the first of them, it
 * parses those no thread has begun, from the last one back; then it
 * takes each record (preparse_take()) with the diagnostics its parse
 * reported, in the order it would have reported them itself. Either way
 * the build gets what record_parse_held() gives for the same bytes.
 */
#ifndef DOCKET_PREPARSE_H
#define DOCKET_PREPARSE_H

#include <stdbool.h>

struct diag;
struct preparse;
struct record;

/*
 * Lists content/vendors/ below the site folder `dir` and starts `threads`
 * threads, each reading with a source of its own (source_dir()) and
 * parsing with record_parse_held(). With `blob_ids`, each record's blob
 * id is set from the bytes it was parsed from. Diagnostics are formatted as
 * `dg` formats them. Call it from the main thread, before the scan.
 * Returns NULL when there are too few records to be worth it, or no
 * thread can be started.
 */
struct preparse	*preparse_start(const char *dir, const struct diag *dg,
		    unsigned threads, bool blob_ids);
/*
 * The first call parses every record nobody has begun, from the last
 * one back, on the caller's thread. Then, when `src`
 * ("content/vendors/x.xml") was read and parsed, waits for it, reports
 * what its parse reported to `dg`, sets *out to the record (the caller's
 * from now on; NULL when it did not parse) and *held to what
 * record_parse_held() held of one that did not, and returns true.
 * Returns false when src was not listed, was not begun (the threads
 * stopped) or could not be read: the caller reads and parses it.
 */
bool		 preparse_take(struct preparse *, const char *src,
		    struct diag *dg, struct record **out, struct record **held);
/* Stops the threads and frees what was not taken. */
void		 preparse_end(struct preparse *);

#endif
