/*
 * Fuzz target: a markdown page. The first byte chooses the options (bit
 * 0: unsafe_html) and is not part of the text.
 */
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "fuzz.h"
#include "markdown.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag dg;
	struct buf out = BUF_INIT;
	struct md_src src = { .path = "content/a.md", .line = 1 };

	if (size == 0)
		return 0;
	diag_init(&dg);
	dg.quiet = true;
	src.unsafe_html = (data[0] & 1) != 0;
	src.text = (const char *)data + 1;
	src.len = size - 1;
	md_render(&out, &dg, &src);
	buf_release(&out);
	return 0;
}
