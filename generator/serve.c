/*
 * docket serve: build into a temporary folder, serve it with
 * libmicrohttpd (one thread per connection), rebuild on inotify events,
 * and tell open pages through an event stream (/__docket/events) that a
 * build is done. HTML responses get <script src="/__docket/live.js">
 * added as they are sent; the built files never hold it.
 */
#define _GNU_SOURCE	/* realpath */
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "mhd.h"

#include "buf.h"
#include "diag.h"
#include "history.h"
#include "links.h"
#include "serve.h"
#include "sig.h"
#include "site.h"
#include "util.h"

#define LIVE_PATH	"/__docket/live.js"
#define EVENTS_PATH	"/__docket/events"
#define LIVE_TAG	"<script src=\"" LIVE_PATH "\" defer></script>\n"
#define SETTLE_MS	100	/* quiet time after a change before rebuilding */
#define PING_S		15	/* keeps an idle event stream open */
#define GONE_MS		250	/* how often a waiting stream looks for a close */
#define CONN_LIMIT	256	/* connections at once */
#define CONN_PER_ADDR	128	/* of them from one client address */
#define IDLE_S		5	/* a connection that does nothing is closed */
#define STREAM_IDLE_S	(2 * PING_S)	/* an event stream that takes nothing */
#define MAX_WATCH_DEPTH	32

/* Reloads the page after a good build; shows the errors of a bad one. */
static const char live_js[] =
"/* docket serve: reload after a rebuild, show the errors of a failed one. */\n"
"(function () {\n"
"  \"use strict\";\n"
"  if (!window.EventSource) return;\n"
"  var seen = null, box = null;\n"
"  function show(text) {\n"
"    if (box === null) {\n"
"      box = document.createElement(\"pre\");\n"
"      box.setAttribute(\"role\", \"alert\");\n"
"      var s = box.style;\n"
"      s.position = \"fixed\"; s.left = \"0\"; s.right = \"0\"; s.bottom = \"0\";\n"
"      s.maxHeight = \"60vh\"; s.overflow = \"auto\"; s.margin = \"0\";\n"
"      s.zIndex = \"2147483647\"; s.padding = \"1em\"; s.whiteSpace = \"pre-wrap\";\n"
"      s.background = \"#fff0f0\"; s.color = \"#600\"; s.borderTop = \"3px solid #c00\";\n"
"      s.font = \"14px/1.4 monospace\";\n"
"      document.body.appendChild(box);\n"
"    }\n"
"    box.textContent = \"docket: the build failed; this page is from the \" +\n"
"        \"last good build.\\n\\n\" + text;\n"
"  }\n"
"  function hide() {\n"
"    if (box !== null) { box.parentNode.removeChild(box); box = null; }\n"
"  }\n"
"  var es = new EventSource(\"" EVENTS_PATH "\");\n"
"  es.addEventListener(\"build\", function (e) {\n"
"    var nl = e.data.indexOf(\"\\n\");\n"
"    var head = (nl < 0 ? e.data : e.data.slice(0, nl)).split(\" \");\n"
"    if (head[1] === \"ok\") {\n"
"      if (seen !== null && seen !== head[0]) { location.reload(); return; }\n"
"      hide();\n"
"    } else if (head[1] === \"failed\") {\n"
"      show(nl < 0 ? \"\" : e.data.slice(nl + 1));\n"
"    }\n"
"    seen = head[0];\n"
"  });\n"
"})();\n";

struct server {
	struct diag	*dg;
	const struct serve_opts *opts;
	const char	*source;
	char		*tmp;		/* the temporary folder */
	char		*root;		/* tmp/site: what is served */
	char		 root_real[PATH_MAX];
	char		*base_url;	/* http://ADDR:PORT/ */
	struct MHD_Daemon *mhd;
	int		 inotify;
	int		 top_wd;	/* the watch on the site folder itself */
	char		*gitdir;	/* of the repository; NULL: none */
	int		 git_wd;	/* on it, and on its logs/: HEAD moved */
	int		 logs_wd;
	struct buf	 capture;	/* diagnostics of the build under way */

	/* Shared with the connection threads, under mu. */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cond;
	unsigned	 gen;		/* builds done */
	bool		 ok;		/* the last one succeeded */
	bool		 have_site;	/* some build succeeded */
	char		*errors;	/* of the last build, if it failed */
	bool		 stopping;
	char		 instance[24];	/* tells one serve from the next */
};

/* One event-stream connection. */
struct stream {
	struct server	*srv;
	unsigned	 sent;		/* the build last announced */
	bool		 started;
	int		 fd;		/* the connection's socket; -1: unknown */
	struct buf	 out;		/* not yet sent */
	size_t		 off;
};

const char *
serve_content_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".xml", "application/xml" },
		{ ".atom", "application/atom+xml" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".ics", "text/calendar; charset=utf-8" },
		{ ".md", "text/markdown; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".webp", "image/webp" },
		{ ".avif", "image/avif" },
		{ ".ico", "image/vnd.microsoft.icon" },
		{ ".pdf", "application/pdf" },
		{ ".woff", "font/woff" },
		{ ".woff2", "font/woff2" },
		{ ".mp4", "video/mp4" },
		{ ".webm", "video/webm" },
		{ ".mp3", "audio/mpeg" },
		{ ".zip", "application/zip" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot != NULL && strchr(dot, '/') == NULL)
		for (i = 0; i < NELEM(types); i++)
			if (strcasecmp(dot, types[i][0]) == 0)
				return types[i][1];
	return "application/octet-stream";
}

/*
 * A part of a path that starts with '.': content/static/ publishes such
 * files (.well-known/security.txt), but "." and ".." move about, .git
 * is never published and .docket* are the output's own.
 */
static bool
dot_name_ok(const char *p, size_t n)
{
	if (n == 1 || (n == 2 && p[1] == '.'))
		return false;
	if (n == 4 && memcmp(p, ".git", 4) == 0)
		return false;
	return n < 7 || memcmp(p, ".docket", 7) != 0;
}

bool
serve_path_ok(const char *path)
{
	const char *p, *e;

	if (path[0] != '/')
		return false;
	for (p = path + 1; *p != '\0'; p = e + 1) {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		if (e == p && *e == '/')
			return false;	/* "//" */
		if (*p == '.' && !dot_name_ok(p, (size_t)(e - p)))
			return false;
		if (memchr(p, '\\', (size_t)(e - p)) != NULL)
			return false;
		if (*e == '\0')
			break;
	}
	return true;
}

bool
serve_host_ok(const char *host, const char *bind)
{
	char name[256];
	const char *end, *rest;
	unsigned char addr[sizeof(struct in6_addr)];
	size_t n, len;
	bool ip = false;

	if (host == NULL)
		return true;
	if (host[0] == '[') {
		if ((end = strchr(host, ']')) == NULL)
			return false;
		n = (size_t)(end - host - 1);
		if (n == 0 || n >= sizeof(name))
			return false;
		memcpy(name, host + 1, n);
		name[n] = '\0';
		if (inet_pton(AF_INET6, name, addr) != 1)
			return false;
		ip = true;
		rest = end + 1;
	} else {
		n = strcspn(host, ":");
		if (n == 0 || n >= sizeof(name))
			return false;
		memcpy(name, host, n);
		name[n] = '\0';
		rest = host + n;
	}
	if (*rest == ':') {
		len = strspn(rest + 1, "0123456789");
		if (len == 0 || len > 5 || rest[1 + len] != '\0')
			return false;
	} else if (*rest != '\0')
		return false;
	if (ip || inet_pton(AF_INET, name, addr) == 1)
		return true;
	/* localhost and its subdomains never leave the machine (RFC 6761). */
	if (strcasecmp(name, "localhost") == 0 || (n > 10 &&
	    strcasecmp(name + n - 10, ".localhost") == 0))
		return true;
	return bind != NULL && strcasecmp(name, bind) == 0;
}

static void
add_headers(struct MHD_Response *r, const char *type)
{
	sym_MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	sym_MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	sym_MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* What the published site must work under (docs/README.md). */
	sym_MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'");
}

/* Queues a response made from a heap buffer (taken over). */
static enum MHD_Result
reply_buf(struct MHD_Connection *conn, unsigned code, const char *type,
    struct buf *b)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = b->len;
	char *data = buf_detach(b);

	r = sym_MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(data);
		return MHD_NO;
	}
	add_headers(r, type);
	ret = sym_MHD_queue_response(conn, code, r);
	sym_MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *conn, unsigned code, const char *text)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, text);
	return reply_buf(conn, code, "text/plain; charset=utf-8", &b);
}

void
serve_inject(struct buf *out, const char *html, size_t len)
{
	const char *p = NULL, *s, *end = html + len;

	for (s = html; s + 7 <= end; s++)
		if (*s == '<' && strncasecmp(s, "</head>", 7) == 0) {
			p = s;
			break;
		}
	if (p == NULL) {
		s = html;
		if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		while (s < end && *s != '\0' &&
		    strchr(" \t\r\n\f", *s) != NULL)
			s++;
		if (end - s >= 9 && strncasecmp(s, "<!doctype", 9) == 0 &&
		    (p = memchr(s, '>', (size_t)(end - s))) != NULL) {
			p++;
			if (p < end && *p == '\n')
				p++;
		} else
			p = html;
	}
	buf_put(out, html, (size_t)(p - html));
	BUF_PUTSL(out, LIVE_TAG);
	buf_put(out, p, len - (size_t)(p - html));
}

/* The page shown while no build has succeeded yet. */
static enum MHD_Result
reply_no_site(struct server *srv, struct MHD_Connection *conn)
{
	struct buf b = BUF_INIT;
	unsigned code;

	BUF_PUTSL(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>docket serve</title>\n"
	    LIVE_TAG "</head>\n<body>\n");
	pthread_mutex_lock(&srv->mu);
	if (srv->gen == 0) {
		BUF_PUTSL(&b, "<h1>Building the site</h1>\n"
		    "<p>This page reloads when the build is done.</p>\n");
		code = MHD_HTTP_SERVICE_UNAVAILABLE;
	} else {
		BUF_PUTSL(&b, "<h1>The build failed</h1>\n<p>Fix these errors "
		    "and this page reloads with the site:</p>\n<pre>");
		buf_puts_html(&b, srv->errors != NULL ? srv->errors : "");
		BUF_PUTSL(&b, "</pre>\n");
		code = MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	pthread_mutex_unlock(&srv->mu);
	BUF_PUTSL(&b, "</body>\n</html>\n");
	return reply_buf(conn, code, "text/html; charset=utf-8", &b);
}

/*
 * Sends the file at `path` (an absolute path below the served root) with
 * `code`; HTML gets the live-reload script. Returns MHD_NO on failure
 * to queue; sets *missing when there is no such regular file.
 */
static enum MHD_Result
reply_file(struct server *srv, struct MHD_Connection *conn, const char *path,
    unsigned code, bool *missing)
{
	char real[PATH_MAX];
	size_t n = strlen(srv->root_real);
	struct MHD_Response *r;
	struct stat st;
	struct buf data = BUF_INIT, html = BUF_INIT;
	const char *type = serve_content_type(path);
	enum MHD_Result ret;
	int fd;

	*missing = true;
	/* Never a file outside the build, whatever links lie on the way. */
	if (realpath(path, real) == NULL || strncmp(real, srv->root_real, n) != 0 ||
	    real[n] != '/')
		return MHD_YES;
	if ((fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return MHD_YES;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return MHD_YES;
	}
	*missing = false;
	if (str_endswith(real, ".html")) {
		char tmp[65536];
		ssize_t k;
		while ((k = read(fd, tmp, sizeof(tmp))) > 0)
			buf_put(&data, tmp, (size_t)k);
		close(fd);
		if (k == -1) {
			buf_release(&data);
			return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "cannot read the file\n");
		}
		serve_inject(&html, data.ptr, data.len);
		buf_release(&data);
		return reply_buf(conn, code, type, &html);
	}
	if ((r = sym_MHD_create_response_from_fd((uint64_t)st.st_size, fd)) == NULL) {
		close(fd);
		return MHD_NO;
	}
	add_headers(r, type);
	ret = sym_MHD_queue_response(conn, code, r);
	sym_MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_not_found(struct server *srv, struct MHD_Connection *conn)
{
	char *page = path_join(srv->root, "404.html");
	enum MHD_Result ret;
	bool missing;

	ret = reply_file(srv, conn, page, MHD_HTTP_NOT_FOUND, &missing);
	free(page);
	if (missing)
		ret = reply_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
	return ret;
}

/* Formats the event for the current build into st->out (under mu). */
static void
stream_event(struct stream *st)
{
	struct server *srv = st->srv;
	const char *p, *e;

	buf_truncate(&st->out, 0);
	st->off = 0;
	if (!st->started)
		BUF_PUTSL(&st->out, "retry: 1000\n");
	st->started = true;
	st->sent = srv->gen;
	buf_printf(&st->out, "event: build\ndata: %s-%u %s\n", srv->instance,
	    srv->gen, srv->gen == 0 ? "building" : srv->ok ? "ok" : "failed");
	if (!srv->ok && srv->errors != NULL)
		for (p = srv->errors; *p != '\0'; p = *e == '\0' ? e : e + 1) {
			e = strchr(p, '\n');
			if (e == NULL)
				e = p + strlen(p);
			BUF_PUTSL(&st->out, "data: ");
			buf_put(&st->out, p, (size_t)(e - p));
			buf_putc(&st->out, '\n');
		}
	buf_putc(&st->out, '\n');
}

/*
 * Whether the client closed the stream: a page closed or reloaded. The
 * browser sends nothing after its request, so the end of what it sends
 * (or a reset) is its close.
 */
static bool
stream_gone(const struct stream *st)
{
	char c;
	ssize_t n;

	if (st->fd == -1)
		return false;
	n = recv(st->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n == -1 && errno != EAGAIN &&
	    errno != EWOULDBLOCK && errno != EINTR);
}

/*
 * The event stream: one "build" event at once, then one after each
 * build; a comment every PING_S seconds keeps it open. Runs in the
 * connection's own thread, so it may wait; it looks every GONE_MS for a
 * client that closed the stream, and lets its connection go, which a
 * failed ping would tell only after PING_S or more: pages reloaded
 * quickly would fill the connections an address may have.
 */
static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	struct server *srv = st->srv;
	struct timespec until, step;
	size_t n;
	bool last;
	int rc = 0;

	(void)pos;
	if (st->off >= st->out.len) {
		pthread_mutex_lock(&srv->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += PING_S;
		while (st->started && !srv->stopping && srv->gen == st->sent &&
		    rc != ETIMEDOUT) {
			/* At most GONE_MS, then a look at the socket. */
			clock_gettime(CLOCK_REALTIME, &step);
			step.tv_nsec += GONE_MS * 1000000L;
			if (step.tv_nsec >= 1000000000L) {
				step.tv_sec++;
				step.tv_nsec -= 1000000000L;
			}
			last = step.tv_sec > until.tv_sec ||
			    (step.tv_sec == until.tv_sec &&
			    step.tv_nsec >= until.tv_nsec);
			rc = pthread_cond_timedwait(&srv->cond, &srv->mu,
			    last ? &until : &step);
			if (rc != ETIMEDOUT || last)
				continue;
			rc = 0;
			pthread_mutex_unlock(&srv->mu);
			if (stream_gone(st))
				return MHD_CONTENT_READER_END_WITH_ERROR;
			pthread_mutex_lock(&srv->mu);
		}
		if (srv->stopping) {
			pthread_mutex_unlock(&srv->mu);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (st->started && srv->gen == st->sent) {
			buf_truncate(&st->out, 0);
			BUF_PUTSL(&st->out, ": ping\n\n");
			st->off = 0;
		} else
			stream_event(st);
		pthread_mutex_unlock(&srv->mu);
	}
	n = st->out.len - st->off;
	if (n > max)
		n = max;
	memcpy(buf, st->out.ptr + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void
stream_free(void *cls)
{
	struct stream *st = cls;

	buf_release(&st->out);
	free(st);
}

static enum MHD_Result
reply_events(struct server *srv, struct MHD_Connection *conn)
{
	struct stream *st = xcalloc(1, sizeof(*st));
	const union MHD_ConnectionInfo *info;
	struct MHD_Response *r;
	enum MHD_Result ret;

	/* It stays open between builds: the pings keep it busy, not IDLE_S. */
	sym_MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
	    (unsigned)STREAM_IDLE_S);
	st->srv = srv;
	info = sym_MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	st->fd = info != NULL ? (int)info->connect_fd : -1;
	buf_init(&st->out);
	r = sym_MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
	    stream_read, st, stream_free);
	if (r == NULL) {
		stream_free(st);
		return MHD_NO;
	}
	sym_MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/event-stream");
	sym_MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = sym_MHD_queue_response(conn, MHD_HTTP_OK, r);
	sym_MHD_destroy_response(r);
	return ret;
}

size_t
serve_unescape(char *s)
{
	char *r = s, *w = s, hex[3] = { 0, 0, 0 };
	long c;

	while (*r != '\0') {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) &&
		    isxdigit((unsigned char)r[2])) {
			hex[0] = r[1];
			hex[1] = r[2];
			c = strtol(hex, NULL, 16);
			*w++ = c == 0 ? '\\' : (char)c;
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return serve_unescape(s);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *uploadsz, void **state)
{
	struct server *srv = cls;
	struct buf b = BUF_INIT;
	char *path;
	enum MHD_Result ret;
	bool missing, have_site;
	struct stat st;

	(void)version;
	(void)upload;
	(void)uploadsz;
	(void)state;
	/*
	 * A page of another site whose name the attacker points at this
	 * machine (DNS rebinding) is same-origin with the preview, drafts
	 * and all; its requests name that site in Host. Refuse them.
	 */
	if (!serve_host_ok(sym_MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST), srv->opts->bind))
		return reply_text(conn, MHD_HTTP_MISDIRECTED_REQUEST,
		    "docket serve answers requests for localhost, an IP address "
		    "or the --bind address only\n");
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		struct MHD_Response *r;
		size_t len;
		char *text;
		BUF_PUTSL(&b, "only GET and HEAD\n");
		/* (Not in one call: the length would be read after the detach.) */
		len = b.len;
		text = buf_detach(&b);
		r = sym_MHD_create_response_from_buffer(len, text,
		    MHD_RESPMEM_MUST_FREE);
		if (r == NULL) {
			free(text);
			return MHD_NO;
		}
		add_headers(r, "text/plain; charset=utf-8");
		sym_MHD_add_response_header(r, "Allow", "GET, HEAD");
		ret = sym_MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED, r);
		sym_MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, LIVE_PATH) == 0) {
		BUF_PUTSL(&b, live_js);
		return reply_buf(conn, MHD_HTTP_OK, serve_content_type(LIVE_PATH),
		    &b);
	}
	if (strcmp(url, EVENTS_PATH) == 0)
		return reply_events(srv, conn);
	pthread_mutex_lock(&srv->mu);
	have_site = srv->have_site;
	pthread_mutex_unlock(&srv->mu);
	if (!have_site)
		return reply_no_site(srv, conn);
	if (!serve_path_ok(url))
		return reply_not_found(srv, conn);

	path = xasprintf("%s%s", srv->root, url);
	if (str_endswith(path, "/")) {
		char *index = xasprintf("%sindex.html", path);
		free(path);
		path = index;
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		/* A folder: send the browser to its "/" form. */
		struct MHD_Response *r;
		char *enc = links_encode(url);

		buf_puts(&b, enc);
		buf_putc(&b, '/');
		free(enc);
		free(path);
		r = sym_MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (r == NULL) {
			buf_release(&b);
			return MHD_NO;
		}
		sym_MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, b.ptr);
		buf_release(&b);
		ret = sym_MHD_queue_response(conn, MHD_HTTP_MOVED_PERMANENTLY, r);
		sym_MHD_destroy_response(r);
		return ret;
	}
	ret = reply_file(srv, conn, path, MHD_HTTP_OK, &missing);
	free(path);
	if (missing)
		return reply_not_found(srv, conn);
	return ret;
}

/* Is a changed file one the build reads? Editors' scratch files are not. */
static bool
relevant(const char *name, bool top)
{
	size_t n = strlen(name);

	if (top)
		return strcmp(name, "docket.yml") == 0 ||
		    strcmp(name, "content") == 0 || strcmp(name, "templates") == 0;
	/* Editors' swap, lock and backup files. */
	if (n == 0 || name[0] == '#' || name[n - 1] == '~' ||
	    strcmp(name, "4913") == 0 || strncmp(name, ".#", 2) == 0 ||
	    strcmp(name, ".git") == 0)
		return false;
	if (name[0] == '.' && n > 4 && strncmp(name + n - 4, ".sw", 3) == 0)
		return false;
	return true;
}

/* Watches a folder and the folders below it. */
static void
watch_tree(struct server *srv, const char *dir, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char *sub;

	if (depth > MAX_WATCH_DEPTH)
		return;
	if (inotify_add_watch(srv->inotify, dir, IN_CLOSE_WRITE | IN_CREATE |
	    IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB |
	    IN_ONLYDIR | IN_DONT_FOLLOW) == -1)
		return;
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		sub = path_join(dir, de->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			watch_tree(srv, sub, depth + 1);
		free(sub);
	}
	closedir(d);
}

/*
 * (Re)adds the watches: the site folder itself, content/ and templates/,
 * and the repository's HEAD: a commit, a checkout or a reset changes the
 * history and what is uncommitted, with no file of the site changed. It
 * moves HEAD or its branch, and adds a line to logs/HEAD (the index is
 * not watched: "git status" rewrites it).
 */
static void
watch_all(struct server *srv)
{
	char *p;

	if (srv->gitdir != NULL) {
		srv->git_wd = inotify_add_watch(srv->inotify, srv->gitdir,
		    IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR);
		p = path_join(srv->gitdir, "logs");
		srv->logs_wd = inotify_add_watch(srv->inotify, p, IN_CLOSE_WRITE |
		    IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_ONLYDIR);
		free(p);
	}

	srv->top_wd = inotify_add_watch(srv->inotify, srv->source, IN_CLOSE_WRITE |
	    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY |
	    IN_ONLYDIR);
	p = path_join(srv->source, "content");
	watch_tree(srv, p, 0);
	free(p);
	p = path_join(srv->source, "templates");
	watch_tree(srv, p, 0);
	free(p);
}

/* Reads the pending inotify events; true when one calls for a build. */
static bool
read_events(struct server *srv)
{
	char tmp[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;
	bool want = false;

	while ((n = read(srv->inotify, tmp, sizeof(tmp))) > 0)
		for (p = tmp; p < tmp + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->mask & IN_Q_OVERFLOW)
				want = true;
			else if (ev->wd == srv->git_wd || ev->wd == srv->logs_wd) {
				if (ev->len > 0 && strcmp(ev->name, "HEAD") == 0)
					want = true;
			}
			else if (ev->len > 0 && relevant(ev->name,
			    ev->wd == srv->top_wd))
				want = true;
			else if (ev->len == 0 && ev->wd != srv->top_wd &&
			    (ev->mask & (IN_MODIFY | IN_ATTRIB)) == 0)
				want = true;	/* a watched folder itself */
		}
	return want;
}

/* Builds the site and tells the open pages. */
static void
rebuild(struct server *srv)
{
	struct build_opts bo;
	int status;

	memset(&bo, 0, sizeof(bo));
	bo.source = srv->source;
	bo.output = srv->root;
	bo.base_url = srv->base_url;
	bo.drafts = srv->opts->drafts;
	bo.quiet = srv->opts->quiet;
	buf_truncate(&srv->capture, 0);
	/*
	 * A template error that stopped the last build does not stop this,
	 * and a warning given once in the last is given again.
	 */
	srv->dg->errors = srv->dg->warnings = srv->dg->stops = 0;
	srv->dg->oncesz = 0;
	status = site_build(srv->dg, &bo);
	diag_flush(srv->dg);
	if (sig_caught() != 0)
		return;		/* stopped, and serve stops: nothing to tell */
	if (status != 0 && srv->capture.len == 0)
		BUF_PUTSL(&srv->capture, "docket: error: the build failed\n");

	pthread_mutex_lock(&srv->mu);
	srv->gen++;
	srv->ok = status == 0;
	if (status == 0)
		srv->have_site = true;
	free(srv->errors);
	srv->errors = status == 0 ? NULL : xstrdup(srv->capture.ptr);
	pthread_cond_broadcast(&srv->cond);
	pthread_mutex_unlock(&srv->mu);
	if (status != 0 && !srv->opts->quiet)
		fprintf(stderr, "docket: %s\n", srv->have_site ?
		    "serving the last good build until the errors are fixed" :
		    "nothing to serve until the errors are fixed");
}

/* Makes the listening socket. Returns it, or -1 after reporting. */
static int
listen_on(struct server *srv, unsigned *port, bool *v6)
{
	struct addrinfo hints, *res = NULL;
	char portstr[16];
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} addr;
	socklen_t len = sizeof(addr);
	int fd = -1, one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%u", srv->opts->port);
	if ((rc = getaddrinfo(srv->opts->bind, portstr, &hints, &res)) != 0) {
		diag_error(srv->dg, NULL, "cannot use the address '%s': %s",
		    srv->opts->bind, gai_strerror(rc));
		return -1;
	}
	if ((fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
	    res->ai_protocol)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    listen(fd, 64) == -1 ||
	    getsockname(fd, &addr.sa, &len) == -1) {
		int e = errno;

		diag_error(srv->dg, NULL, "cannot listen on %s port %u: %s%s",
		    srv->opts->bind, srv->opts->port, strerror(e),
		    e == EADDRINUSE ? " (another docket serve? give "
		    "another port with --port N, or --port 0 for any free "
		    "one)" : "");
		if (fd != -1)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	*v6 = res->ai_family == AF_INET6;
	*port = ntohs(*v6 ? addr.in6.sin6_port : addr.in.sin_port);
	freeaddrinfo(res);
	return fd;
}

int
serve_run(struct diag *dg, const struct serve_opts *opts)
{
	struct server srv;
	struct sigaction sa, old_pipe;
	struct pollfd pfd[2];
	struct stat st;
	const char *base;
	char *cfg;
	unsigned port = 0;
	bool v6 = false, pending = false, nosite;
	double changed = 0;
	int lfd = -1, status = 2, timeout;

	memset(&srv, 0, sizeof(srv));
	srv.dg = dg;
	srv.opts = opts;
	srv.source = opts->source != NULL ? opts->source : ".";
	srv.inotify = -1;
	srv.top_wd = srv.git_wd = srv.logs_wd = -1;
	buf_init(&srv.capture);
	pthread_mutex_init(&srv.mu, NULL);
	pthread_cond_init(&srv.cond, NULL);
	snprintf(srv.instance, sizeof(srv.instance), "%lx%lx",
	    (unsigned long)getpid(), (unsigned long)time(NULL));

	if (!is_dir(srv.source)) {
		diag_error(dg, NULL, "site folder '%s' not found", srv.source);
		goto out;
	}
	/* A folder that is no site at all: say so now, not at every edit. */
	cfg = path_join(srv.source, "docket.yml");
	nosite = lstat(cfg, &st) == -1 && errno == ENOENT;
	free(cfg);
	if (nosite) {
		diag_error(dg, NULL, "no docket.yml in '%s': " NOT_A_SITE,
		    srv.source);
		goto out;
	}
	if (mhd_load(dg) == -1)
		goto out;
	base = scratch_base(getenv("TMPDIR"), "/dev/shm");
	if ((srv.tmp = scratch_mkdtemp(base, "serve")) == NULL) {
		diag_error(dg, NULL, "cannot make a temporary folder in '%s': "
		    "%s", base, strerror(errno));
		goto out;
	}
	srv.root = path_join(srv.tmp, "site");
	if (mkdir_p(srv.root) == -1 || realpath(srv.root, srv.root_real) == NULL) {
		diag_error(dg, NULL, "cannot make '%s': %s", srv.root,
		    strerror(errno));
		goto out;
	}
	if ((srv.inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		diag_error(dg, NULL, "cannot watch the site for changes: %s",
		    strerror(errno));
		goto out;
	}
	if ((lfd = listen_on(&srv, &port, &v6)) == -1)
		goto out;
	srv.base_url = xasprintf(v6 ? "http://[%s]:%u/" : "http://%s:%u/",
	    opts->bind, port);

	/* SIGINT, SIGTERM and SIGHUP are caught by main() (sig.h). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, &old_pipe);

	srv.mhd = sym_MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | (v6 ? MHD_USE_IPv6 : 0),
	    0, NULL, NULL, handle, &srv,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)lfd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)CONN_PER_ADDR,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_S,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, (void *)NULL,
	    MHD_OPTION_END);
	if (srv.mhd == NULL) {
		diag_error(dg, NULL, "cannot start the HTTP server on %s",
		    srv.base_url);
		close(lfd);
		goto restore;
	}
	dg->capture = &srv.capture;
	srv.gitdir = hist_gitdir(srv.source);
	watch_all(&srv);
	rebuild(&srv);
	if (sig_caught() == 0)
		fprintf(stderr, "docket: serving %s at %s (Ctrl-C to stop)\n",
		    srv.source, srv.base_url);

	pfd[0] = (struct pollfd){ srv.inotify, POLLIN, 0 };
	pfd[1] = (struct pollfd){ sig_fd(), POLLIN, 0 };
	for (;;) {
		timeout = -1;
		if (pending) {
			double left = changed + SETTLE_MS / 1000.0 - mono_now();
			timeout = left <= 0 ? 0 : (int)(left * 1000) + 1;
		}
		if (poll(pfd, 2, timeout) == -1 && errno != EINTR) {
			diag_error(dg, NULL, "poll: %s", strerror(errno));
			break;
		}
		if ((pfd[1].revents & POLLIN) || sig_caught() != 0) {
			status = 0;
			break;
		}
		if ((pfd[0].revents & POLLIN) && read_events(&srv)) {
			pending = true;
			changed = mono_now();
		}
		/*
		 * The watches first: a file made in a new folder while the
		 * build runs, after the scan has read that folder, is told
		 * by its watch and built next.
		 */
		if (pending && mono_now() - changed >= SETTLE_MS / 1000.0) {
			pending = false;
			watch_all(&srv);
			rebuild(&srv);
		}
	}
	dg->capture = NULL;
	pthread_mutex_lock(&srv.mu);
	srv.stopping = true;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.mu);
	sym_MHD_stop_daemon(srv.mhd);
	if (status == 0 && !srv.opts->quiet)
		fprintf(stderr, "docket: stopped\n");
restore:
	sigaction(SIGPIPE, &old_pipe, NULL);
out:
	dg->capture = NULL;
	if (srv.tmp != NULL)
		remove_tree(srv.tmp);
	if (srv.inotify != -1)
		close(srv.inotify);
	pthread_mutex_destroy(&srv.mu);
	pthread_cond_destroy(&srv.cond);
	buf_release(&srv.capture);
	free(srv.errors);
	free(srv.gitdir);
	free(srv.tmp);
	free(srv.root);
	free(srv.base_url);
	return status;
}
