/*
 * Fuzz target: the changes between two versions of a record, as the
 * history lists them from two commits (recdiff.h). The input is the old
 * version, a NUL, and the new one; a version that does not parse is
 * there but unparseable, an empty one absent. A version compared with
 * itself must give no change, and every change must name its field and
 * say what it is, and its text as HTML (recdiff_put_html()) must be
 * escaped: no '<' of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fuzz.h"
#include "recdiff.h"
#include "record.h"

static void
version(struct recver *v, struct record **r, const char *data, size_t len)
{
	struct diag dg;

	diag_init(&dg);
	dg.silent = true;
	*r = NULL;
	v->rec = NULL;
	v->bad = false;
	if (len == 0)
		return;
	if (record_parse(r, &dg, "content/vendors/acme.xml", data, len) == 0)
		v->rec = *r;
	else
		v->bad = true;
	diag_release(&dg);
}

static void
compare(const struct recver *old, const struct recver *new, bool same)
{
	struct hist_change *ch = NULL;
	struct buf html = BUF_INIT;
	size_t n = 0, i;

	recdiff(&ch, &n, old, new, "%-d %B %Y");
	if (same && n > 0 && old->rec != NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (ch[i].field == NULL || ch[i].text == NULL ||
		    ch[i].text[0] == '\0')
			abort();
		buf_truncate(&html, 0);
		recdiff_put_html(&html, ch[i].text);
		if (html.len == 0 || memchr(html.ptr, '<', html.len) != NULL)
			abort();
	}
	buf_release(&html);
	recdiff_free(ch, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nul;
	struct recver old, new;
	struct record *ro, *rn;

	if ((nul = memchr(text, '\0', size)) == NULL)
		return 0;
	version(&old, &ro, text, (size_t)(nul - text));
	version(&new, &rn, nul + 1, size - (size_t)(nul + 1 - text));
	compare(&old, &new, false);
	compare(&new, &old, false);
	compare(&old, &old, true);
	compare(&new, &new, true);
	record_free(ro);
	record_free(rn);
	return 0;
}
