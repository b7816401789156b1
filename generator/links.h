/*
 * Internal links: how a link written on one page of the output leads to
 * a file of the output. Shared by docket check, which follows every link
 * of the built site, and the build, which follows those written in
 * markdown.
 */
#ifndef DOCKET_LINKS_H
#define DOCKET_LINKS_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes %XX escapes but %00 (others are kept as they are); caller frees. */
char	*links_decode(const char *, size_t);
/*
 * A path of the output ("a b/100%.pdf") as a URL path: '%', '#', '?',
 * ':' and the bytes a URL does not hold as they are percent-encoded,
 * '/' kept. Caller frees.
 */
char	*links_encode(const char *path);
/* Does the URL leave the site: a scheme ("https:", "mailto:") or "//host"? */
bool	 links_external(const char *url);
/*
 * Resolves path (decoded, without query or fragment) from the page at
 * output path `from` to a path below the output root; a path from the
 * root ("/a/") starts at base_path, the path of base_url ("/" or
 * "/sub/"). Returns NULL when it climbs out of the site; caller frees.
 */
char	*links_resolve(const char *base_path, const char *from,
	    const char *path);
/*
 * Where the link href, as written (%XX, query, fragment), on the page at
 * output path `from` leads: the output path it names, "index.html" added
 * to a folder's ("a/" gives "a/index.html"), `from` itself for "" and
 * "#id"; NULL when it climbs out of the site. Sets *frag to the decoded
 * fragment, or NULL without one. Caller frees both; an external href
 * (links_external()) is the caller's to leave alone.
 */
char	*links_target(const char *base_path, const char *from,
	    const char *href, char **frag);
/* The path of a base_url ("https://h/sub/" gives "/sub/"); "/" for NULL. */
char	*links_base_path(const char *base_url);

#endif
