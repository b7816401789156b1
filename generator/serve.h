/*
 * docket serve: a local preview. The site is built into a temporary
 * folder and served over HTTP (libmicrohttpd); it is rebuilt when
 * content/, templates/ or docket.yml change, or the repository's HEAD
 * moves (inotify), and open pages
 * reload themselves through a script and an event stream that exist only
 * in what serve sends, never in the built files.
 */
#ifndef DOCKET_SERVE_H
#define DOCKET_SERVE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct diag;

struct serve_opts {
	const char	*source;	/* the site folder; default "." */
	const char	*bind;		/* address; default 127.0.0.1 */
	unsigned	 port;		/* 0: any free port */
	bool		 drafts;
	bool		 quiet;		/* errors and the address only */
};

/*
 * Serves until SIGINT or SIGTERM. Returns the exit status: 0 stopped, 2
 * the address cannot be used, the site folder is missing, or an I/O
 * error. A failed build is shown in the browser and is not an exit.
 */
int	serve_run(struct diag *, const struct serve_opts *);

/* The content type served for a file name, by its extension. */
const char *serve_content_type(const char *name);

/*
 * Is the decoded request path safe to map below the output folder: it
 * starts with '/', and no part is empty (but the last), is "." or "..",
 * is .git or starts with .docket (the output's own files), or holds a
 * backslash? Other names starting with '.' (.well-known) are served.
 */
bool	serve_path_ok(const char *path);

/*
 * May a request with this Host header be answered? Only when it names
 * an IP address, localhost (or a name below it) or `bind`, with any
 * port: a page elsewhere that reaches this server by DNS rebinding
 * names its own site. A request without Host (HTTP/1.0) comes from no
 * browser and is answered.
 */
bool	serve_host_ok(const char *host, const char *bind);
/*
 * Decodes %XX in the request path s in place, as libmicrohttpd does, but
 * turns a NUL into a backslash, which serve_path_ok() refuses, so that
 * "/page.html%00.png" cannot pass for "/page.html". Returns the length.
 */
size_t	serve_unescape(char *s);
/*
 * Appends the len bytes of an HTML file to out with the live-reload
 * script added: before </head>; in a page without one (HTML lets a
 * template leave it out), after the doctype, since a script before it
 * would put the preview, not the built page, in quirks mode; else at the
 * start.
 */
void	serve_inject(struct buf *out, const char *html, size_t len);

#endif
