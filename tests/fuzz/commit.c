/*
 * Fuzz target: the text of a commit the history shows, its subject and
 * its author, in the encoding its "encoding" header names. The input is
 * that name, a newline, and the text (up to a NUL, as libgit2 gives it).
 * The text is turned into UTF-8 (hist_to_utf8()) and cleaned as the walk
 * cleans it (text_clean()): what comes out must be UTF-8 with no control
 * character, and no longer than HIST_TEXT_MAX bytes, the character
 * that passes them (up to 4 bytes) and "…" (3).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "history.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl;
	char *enc, *text, *conv, *clean;
	size_t i, n;

	if ((nl = memchr(data, '\n', size)) == NULL)
		return 0;
	enc = xstrndup((const char *)data, (size_t)(nl - (const char *)data));
	text = xstrndup(nl + 1, size - (size_t)(nl + 1 - (const char *)data));
	conv = hist_to_utf8(enc, text);
	clean = text_clean(conv != NULL ? conv : text, HIST_TEXT_MAX);
	n = strlen(clean);
	if (!utf8_valid(clean, n, NULL) || n > HIST_TEXT_MAX + 3 + 3)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)clean[i] < 0x20 || clean[i] == 0x7f)
			abort();
	free(clean);
	free(conv);
	free(text);
	free(enc);
	return 0;
}
