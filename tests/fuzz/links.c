/*
 * Fuzz target: links written in markdown pages (links.h), as the build
 * and docket check follow them. The first byte chooses the site's
 * base_url (bits 0-1) and the page the link is on (bits 2-3); the rest
 * is the href. What a link resolves to must be a clean path below the
 * output root: no leading '/', no "", "." or ".." part.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "links.h"
#include "util.h"

static const char *const base_urls[] = {
	NULL, "https://example.org/", "https://example.org/sub/",
	"https://example.org/a/b/"
};

static const char *const pages[] = {
	"index.html", "about/index.html", "vendors/acme/index.html",
	"changes/2017/page/2/index.html"
};

static void
check_target(const char *t)
{
	const char *p, *e;
	size_t seg;

	if (t[0] == '\0' || t[strlen(t) - 1] == '/')
		abort();
	for (p = t; ; p = e + 1) {
		e = strchr(p, '/');
		seg = e != NULL ? (size_t)(e - p) : strlen(p);
		if (seg == 0 || (seg == 1 && p[0] == '.') ||
		    (seg == 2 && p[0] == '.' && p[1] == '.'))
			abort();
		if (e == NULL)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *href, *base, *target, *frag, *dec;
	const char *from;

	if (size < 1)
		return 0;
	base = links_base_path(base_urls[data[0] & 3]);
	from = pages[(data[0] >> 2) & 3];
	href = xstrndup((const char *)data + 1, size - 1);

	dec = links_decode((const char *)data + 1, size - 1);
	free(dec);
	if (!links_external(href)) {
		target = links_target(base, from, href, &frag);
		if ((frag != NULL) != (strchr(href, '#') != NULL))
			abort();
		if (target != NULL)
			check_target(target);
		free(target);
		free(frag);
	}
	free(href);
	free(base);
	return 0;
}
