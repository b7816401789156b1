/*
 * The build: read docket.yml, find the pages, records and files under
 * content/, check them, render everything into a folder beside the output
 * and swap it in, so that a failed build leaves the old output as it was.
 */
#define _GNU_SOURCE	/* renameat2 */
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "changes.h"
#include "config.h"
#include "diag.h"
#include "embedded.h"
#include "exports.h"
#include "facet.h"
#include "gitlib.h"
#include "history.h"
#include "links.h"
#include "markdown.h"
#include "model.h"
#include "preparse.h"
#include "record.h"
#include "sig.h"
#include "site.h"
#include "source.h"
#include "template.h"
#include "util.h"

#define MARKER		".docket"
#define MAX_DEPTH	32	/* folder nesting under content/ */
#define MAX_FOLDERS	10000	/* folders under content/ */
#define MAX_REL_PATH	1024	/* bytes of a path below the site folder */
#define MAX_NAME	255	/* bytes of a file or folder name (NAME_MAX) */

/* Output paths docket makes itself; a page there is an error. */
static const char *const generated[] = {
	"404.html", "build.json", "changes/changes.json", "changes/feed.xml",
	"changes/index.html", "index.html", "timeline/index.html",
	"vendors/index.html"
};

char *
site_root_for(const char *out)
{
	struct buf b = BUF_INIT;
	const char *p;

	for (p = out; *p != '\0'; p++)
		if (*p == '/')
			BUF_PUTSL(&b, "../");
	return buf_detach(&b);
}

char *
site_url_for(const struct site *s, const char *out)
{
	size_t n = strlen(out);

	if (s->cfg.base_url == NULL)
		return xstrdup(out);
	if (strcmp(out, "index.html") == 0)
		return xstrdup("");
	if (n > 11 && strcmp(out + n - 11, "/index.html") == 0)
		return xstrndup(out, n - 10);
	return xstrdup(out);
}

/* For qsort_r-less sorting of record indexes by id. */
static struct record **sort_records;

static int
by_id_cmp(const void *a, const void *b)
{
	return strcmp(sort_records[*(const size_t *)a]->id,
	    sort_records[*(const size_t *)b]->id);
}

/* Indexes the records by id, for site_record_index(). */
static void
index_records(struct site *s)
{
	size_t i;

	s->by_id = xreallocarray(NULL, s->recordsz + 1, sizeof(*s->by_id));
	for (i = 0; i < s->recordsz; i++)
		s->by_id[i] = i;
	sort_records = s->records;
	qsort(s->by_id, s->recordsz, sizeof(*s->by_id), by_id_cmp);
	sort_records = NULL;
}

size_t
site_record_index(const struct site *s, const char *id)
{
	size_t lo = 0, hi = s->recordsz, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, s->records[s->by_id[mid]]->id);
		if (c == 0)
			return s->by_id[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SIZE_MAX;
}

bool
site_is_draft(const struct site *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->draft_idsz; i++)
		if (strcmp(s->draft_ids[i], id) == 0)
			return true;
	return false;
}

/* Notes out as an output left out for errors told of elsewhere. */
static void
failed_out(struct site *s, const char *out)
{
	s->failed = xreallocarray(s->failed, s->failedsz + 1,
	    sizeof(*s->failed));
	s->failed[s->failedsz++] = xstrdup(out);
}

/*
 * s->hooks holds records: 'F' errors, out ("" for none); 'L' url,
 * written, path, line, col; each field ended by a NUL. Appends field f.
 */
static void
hook_put(struct buf *b, const char *f)
{
	buf_put(b, f, strlen(f) + 1);
}

void
site_failed(struct site *s, const char *out, unsigned errors)
{
	if (errors == 0)
		return;
	s->failed_errors += errors;
	if (out != NULL)
		failed_out(s, out);
	if (s->hooks != NULL) {
		buf_printf(s->hooks, "F%u", errors);
		hook_put(s->hooks, "");
		hook_put(s->hooks, out != NULL ? out : "");
	}
}

void
site_hook_link(struct site *s, const char *url, const char *written,
    const struct pos *p)
{
	if (s->hooks == NULL) {
		s->opts->on_link(s->opts->on_link_arg, url, written, p);
		return;
	}
	buf_putc(s->hooks, 'L');
	hook_put(s->hooks, url);
	hook_put(s->hooks, written);
	hook_put(s->hooks, p->path != NULL ? p->path : "");
	buf_printf(s->hooks, "%u", p->line);
	hook_put(s->hooks, "");
	buf_printf(s->hooks, "%u", p->col);
	hook_put(s->hooks, "");
}

/* The NUL-ended string at *at, before end; moves *at past it. */
static const char *
hook_field(const char **at, const char *end)
{
	const char *f = *at, *z = memchr(f, '\0', (size_t)(end - f));

	if (z == NULL)
		return NULL;
	*at = z + 1;
	return f;
}

void
site_hooks_replay(struct site *s, const char *hooks, size_t len)
{
	const char *at = hooks, *end = hooks + len, *a, *b, *c, *d, *w;
	struct pos p;

	while (at < end) {
		switch (*at++) {
		case 'F':
			if ((a = hook_field(&at, end)) == NULL ||
			    (b = hook_field(&at, end)) == NULL)
				return;
			site_failed(s, *b != '\0' ? b : NULL,
			    (unsigned)strtoul(a, NULL, 10));
			break;
		case 'L':
			if ((a = hook_field(&at, end)) == NULL ||
			    (w = hook_field(&at, end)) == NULL ||
			    (b = hook_field(&at, end)) == NULL ||
			    (c = hook_field(&at, end)) == NULL ||
			    (d = hook_field(&at, end)) == NULL)
				return;
			p.path = *b != '\0' ? b : NULL;
			p.line = (unsigned)strtoul(c, NULL, 10);
			p.col = (unsigned)strtoul(d, NULL, 10);
			if (s->opts->on_link != NULL)
				s->opts->on_link(s->opts->on_link_arg, a, w,
				    &p);
			break;
		default:
			return;
		}
	}
}

bool
site_record_failed(const struct site *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->failed_idsz; i++)
		if (strcmp(s->failed_ids[i], id) == 0)
			return true;
	return false;
}

bool
site_keep_at_exit(const struct site *s)
{
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOCKET_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(DOCKET_ASAN)
	(void)s;
	return false;
#else
	return s->opts->exiting;
#endif
}

bool
site_is_intro(const char *out)
{
	return strcmp(out, "index.html") == 0 ||
	    strcmp(out, "vendors/index.html") == 0 ||
	    strcmp(out, "timeline/index.html") == 0 ||
	    strcmp(out, "changes/index.html") == 0;
}

/*
 * Makes the folder of the output file at path, and the folders above it.
 * Outputs are written folder by folder and the output only grows while
 * it is built, so the folders shared with the last one made exist: only
 * the rest is made, one mkdir() each.
 */
static int
out_mkdir(struct site *s, const char *path)
{
	const char *slash = strrchr(path, '/'), *o = s->madedir;
	char *dir, *p;
	size_t n, i, known = 0;
	int rc = 0;

	if (slash == NULL || slash == path)
		return 0;
	n = (size_t)(slash - path);
	if (o != NULL) {
		for (i = 0; i < n && path[i] == o[i]; i++)
			;
		if (i == n && (o[i] == '\0' || o[i] == '/'))
			return 0;	/* that folder or one below it */
		if (i < n && path[i] == '/' && (o[i] == '\0' || o[i] == '/'))
			known = i;
		else
			while (i > 0 && path[--i] != '/')
				;
		if (known == 0)
			known = i;
	}
	dir = xstrndup(path, n);
	for (p = dir + known + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(dir, 0777) == -1 && (errno != EEXIST ||
		    (c == '\0' && !is_dir(dir)))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			rc = -1;
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(s->madedir);
	s->madedir = rc == 0 ? dir : NULL;
	if (rc == -1)
		free(dir);
	return rc;
}

/*
 * Is the old output's file `rel` exactly these bytes? Then it is linked
 * into the new output instead of written again: a file that did not
 * change keeps its inode and time, and the output is still swapped in
 * whole.
 */
static bool
reuse_old(struct site *s, const char *path, const char *rel,
    const char *data, size_t len)
{
	char chunk[65536], *old;
	struct stat st;
	size_t off = 0;
	ssize_t n;
	bool same = false;
	int fd;

	if (s->olddir == NULL)
		return false;
	old = path_join(s->olddir, rel);
	if ((fd = open(old, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		free(old);
		return false;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size == (uintmax_t)len) {
		same = true;
		while (same && off < len) {
			n = read(fd, chunk, len - off < sizeof(chunk) ?
			    len - off : sizeof(chunk));
			if (n <= 0 || memcmp(chunk, data + off, (size_t)n) != 0)
				same = false;
			else
				off += (size_t)n;
		}
	}
	close(fd);
	if (same && out_mkdir(s, path) == -1)
		same = false;
	if (same && link(old, path) == -1)
		same = false;
	if (same)
		s->reused++;
	free(old);
	return same;
}

/*
 * Writes a new file. A file linked from the old output is never written
 * through: a path written again is unlinked and made anew.
 */
static int
out_write(struct site *s, const char *path, const char *data, size_t len)
{
	if (out_mkdir(s, path) == -1)
		return -1;
	if (file_put(path, data, len) == 0)
		return 0;
	if (errno != EEXIST || unlink(path) == -1)
		return -1;
	return file_put(path, data, len);
}

int
site_write(struct site *s, const char *rel, const char *data, size_t len)
{
	char *path = path_join(s->tmpdir, rel);
	int rc = 0;

	if (!reuse_old(s, path, rel, data, len) &&
	    (rc = out_write(s, path, data, len)) == -1) {
		diag_error(s->dg, NULL, "cannot write '%s': %s", path,
		    strerror(errno));
		s->io_failed = true;
	} else
		diag_progress(s->dg, "writing", ++s->written);
	free(path);
	return rc;
}

int
site_write_redirect(struct site *s, const char *out, const char *url,
    const char *title, const char *what)
{
	struct buf b = BUF_INIT, target = BUF_INIT;
	char *root = site_root_for(out), *home = NULL;
	int rc;

	buf_printf(&target, "%s%s", root, url);
	BUF_PUTSL(&b, "<!DOCTYPE html>\n<html lang=\"");
	buf_puts_html(&b, s->cfg.language);
	/*
	 * Readable on a phone where the browser does not follow the
	 * refresh (a setting some readers choose).
	 */
	BUF_PUTSL(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	buf_puts_html(&b, title);
	BUF_PUTSL(&b, "</title>\n");
	/* As a Hugo alias: search engines credit the page it moved to. */
	if (s->cfg.base_url != NULL) {
		BUF_PUTSL(&b, "<link rel=\"canonical\" href=\"");
		buf_puts_html(&b, s->cfg.base_url);
		buf_puts_html(&b, url);
		BUF_PUTSL(&b, "\">\n");
	}
	BUF_PUTSL(&b, "<meta name=\"robots\" content=\"noindex\">\n"
	    "<meta http-equiv=\"refresh\" content=\"0; url=");
	buf_puts_html(&b, target.ptr);
	/*
	 * Shown by a browser that does not follow the refresh: the site's
	 * stylesheet, its name linked to its home page, and the link on.
	 */
	BUF_PUTSL(&b, "\">\n<meta name=\"color-scheme\" content=\"light dark\">\n"
	    "<link rel=\"stylesheet\" href=\"");
	buf_puts_html(&b, root);
	BUF_PUTSL(&b, "assets/style.css\">\n<link rel=\"icon\" href=\"");
	buf_puts_html(&b, root);
	BUF_PUTSL(&b, "assets/favicon.svg\" type=\"image/svg+xml\">\n</head>\n"
	    "<body class=\"kind-redirect\">\n");
	home = site_url_for(s, "index.html");
	BUF_PUTSL(&b, "<header class=\"site-header\">\n"
	    "<div class=\"wrap site-header-inner\">\n"
	    "<a class=\"site-title\" href=\"");
	buf_puts_html(&b, root);
	buf_puts_html(&b, home);
	BUF_PUTSL(&b, "\">");
	buf_puts_html(&b, s->cfg.title);
	BUF_PUTSL(&b, "</a>\n</div>\n</header>\n");
	buf_printf(&b, "<main id=\"main\" class=\"wrap\">\n"
	    "<p>This %s has moved to <a href=\"", what);
	buf_puts_html(&b, target.ptr);
	BUF_PUTSL(&b, "\">");
	buf_puts_html(&b, title);
	BUF_PUTSL(&b, "</a>.</p>\n</main>\n</body>\n</html>\n");
	rc = site_write(s, out, b.ptr, b.len);
	buf_release(&b);
	buf_release(&target);
	free(home);
	free(root);
	return rc;
}

/* Copies a file of the site (src, from the site folder) to the output. */
static int
file_copy(struct site *s, const char *src, const char *rel)
{
	char *to = path_join(s->tmpdir, rel);
	int rc;

	rc = out_mkdir(s, to);
	if (rc == 0 && s->reused > 0)
		unlink(to);
	if (rc == 0)
		rc = source_copy(s->src, src, to);
	if (rc == -1 && source_why(s->src) != NULL) {
		/* A damaged object of the commit: an error in the history. */
		struct pos p = { src, 0, 0 };

		diag_error(s->dg, &p, "cannot read %s", source_why(s->src));
	} else if (rc == -1) {
		int e = errno;

		diag_error(s->dg, NULL, "cannot copy '%s' to '%s': %s", src, to,
		    file_strerror(e));
		/* Not a file any more: the content's fault, not the disk's. */
		s->io_failed = e != ENODEV && e != EISDIR;
	} else
		diag_progress(s->dg, "writing", ++s->written);
	free(to);
	return rc;
}

/* Reads a file below the site folder. */
static int
read_site_file(struct site *s, const char *rel, struct buf *out)
{
	struct pos p = { rel, 0, 0 };

	if (source_read(s->src, rel, out) == -1)
		return source_why(s->src) != NULL ?
		    diag_error(s->dg, &p, "cannot read %s",
		    source_why(s->src)) :
		    diag_error(s->dg, &p, "cannot read: %s",
		    file_strerror(errno));
	return 0;
}

static void
add_copy(struct site *s, const char *src, const char *out)
{
	s->copies = xreallocarray(s->copies, s->copiesz + 1, sizeof(*s->copies));
	s->copies[s->copiesz].src = xstrdup(src);
	s->copies[s->copiesz].out = xstrdup(out);
	s->copiesz++;
}

/* The output path of content/<rel>.md: "a/b.md" and "a/b/index.md" give "a/b/index.html". */
static char *
page_out(const char *rel)
{
	size_t n = strlen(rel);

	if (strcmp(rel, "index.md") == 0)
		return xstrdup("index.html");
	if (str_endswith(rel, "/index.md"))
		return xasprintf("%.*s/index.html", (int)(n - 9), rel);
	return xasprintf("%.*s/index.html", (int)(n - 3), rel);
}

static int	load_record(struct site *, const char *rel);

/*
 * Is name one docket keeps at the root of an output folder: the marker
 * .docket, or the .docket-new-PID and .docket-old-PID folders a build
 * into a mount point works in (swap_entries())?
 */
static bool
is_docket_name(const char *name)
{
	return strcmp(name, MARKER) == 0 ||
	    str_startswith(name, MARKER "-new") ||
	    str_startswith(name, MARKER "-old");
}

/*
 * Walks content/<rel> (rel "" for content/ itself) in sorted order,
 * sorting each entry into pages, records and copies.
 */
/* What a scan has seen: folders, and whether it went too deep. */
struct scan_state {
	size_t	folders;
	bool	deep;
};

/* Does a file name end in ".xml" in any case ("beta.XML")? */
static bool
xml_name(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

/*
 * Notes the errors found in the file content/<sub> (site_failed()): a
 * record's are in all of its outputs, and it leaves a name that
 * directives must not say is unknown, as the record's errors said it.
 */
static void
file_failed(struct site *s, const char *sub, unsigned errors)
{
	const char *name = strrchr(sub, '/') != NULL ? strrchr(sub, '/') + 1 :
	    sub;
	char *out;

	if (errors == 0)
		return;
	if (str_startswith(sub, "vendors/") && xml_name(name)) {
		out = xasprintf("vendors/%.*s/", (int)(strlen(name) - 4), name);
		s->failed_ids = xreallocarray(s->failed_ids, s->failed_idsz + 1,
		    sizeof(*s->failed_ids));
		s->failed_ids[s->failed_idsz++] = xstrndup(name,
		    strlen(name) - 4);
	} else if (str_startswith(sub, "static/"))
		out = xasprintf("%s/", sub + 7);
	else if (str_endswith(sub, ".md"))
		out = page_out(sub);
	else
		out = xasprintf("%s/", sub);
	site_failed(s, out, errors);
	free(out);
}

/*
 * Reports a name in content/ that no build could write or link to as it
 * is: a backslash (which browsers read as '/' in a URL, and which the
 * source refuses in a path), a name longer than a file system takes, or
 * a path so long that the output path would pass PATH_MAX wherever the
 * output folder is. p names the path; returns -1 when reported.
 */
static int
name_problem(struct site *s, const struct pos *p, const char *name)
{
	if (strchr(name, '\\') != NULL)
		return diag_error(s->dg, p, "the file or folder name holds "
		    "'\\', which browsers read as '/' in a link: rename it");
	if (strlen(name) > MAX_NAME)
		return diag_error(s->dg, p, "the file or folder name is %zu "
		    "bytes long, more than the %d a file system takes: "
		    "shorten it", strlen(name), MAX_NAME);
	if (strlen(p->path) > MAX_REL_PATH)
		return diag_error(s->dg, p, "the path is %zu bytes long, "
		    "more than the %d docket takes: shorten the names of its "
		    "folders", strlen(p->path), MAX_REL_PATH);
	return 0;
}

static int
scan(struct site *s, const char *rel, unsigned depth, struct scan_state *ss)
{
	char *sub, *srcrel;
	char **names = NULL;
	size_t namesz = 0, i;
	struct pos p = { NULL, 0, 0 };
	bool in_static = str_startswith(rel, "static") &&
	    (rel[6] == '\0' || rel[6] == '/');
	int rc = 0;

	/* Links to folders inside the site can make loops: stop early. */
	if (++ss->folders > MAX_FOLDERS)
		return -1;
	srcrel = path_join("content", rel);
	p.path = srcrel;
	if (ss->folders == MAX_FOLDERS) {
		rc = diag_error(s->dg, &p, "more than %d folders under "
		    "content/ (a symbolic link loop?)", MAX_FOLDERS);
		free(srcrel);
		return rc;
	}
	if (depth > MAX_DEPTH) {
		/* Said once: a loop would say it at every turn. */
		rc = ss->deep ? -1 : diag_error(s->dg, &p, "folders nested "
		    "deeper than %d (a symbolic link loop?)", MAX_DEPTH);
		ss->deep = true;
		free(srcrel);
		return rc;
	}
	if (source_list(s->src, srcrel, &names, &namesz) == -1) {
		rc = source_why(s->src) != NULL ?
		    diag_error(s->dg, &p, "cannot read %s",
		    source_why(s->src)) :
		    diag_error(s->dg, &p, "cannot open folder: %s",
		    strerror(errno));
		free(srcrel);
		return rc;
	}
	free(srcrel);

	for (i = 0; i < namesz; i++) {
		unsigned errors = s->dg->errors;
		enum src_type type;

		if (sig_caught() != 0) {
			rc = -1;	/* site_build() stops */
			break;
		}

		/*
		 * Hidden files are left out, but for content/static/, which
		 * is copied whole (.well-known/, .nojekyll, .htaccess): there
		 * only a nested repository is.
		 */
		if (names[i][0] == '.' &&
		    (!in_static || strcmp(names[i], ".git") == 0))
			continue;
		sub = path_join(rel, names[i]);
		srcrel = path_join("content", sub);
		p.path = srcrel;
		if (strcmp(rel, "static") == 0 && is_docket_name(names[i])) {
			rc = diag_error(s->dg, &p, "'%s' at the root of "
			    "content/static/ would clash with docket's own "
			    "files in the output folder: rename it",
			    names[i]);
			site_failed(s, NULL, 1);	/* left out: no output */
			free(sub);
			free(srcrel);
			continue;
		}
		if (name_problem(s, &p, names[i]) == -1) {
			rc = -1;
			free(sub);
			free(srcrel);
			continue;
		}
		switch ((type = source_type(s->src, srcrel))) {
		case SRC_OUTSIDE:
			rc = diag_error(s->dg, &p,
			    "symbolic link leads outside the site folder, "
			    "or into .git");
			break;
		case SRC_NONE:
		case SRC_OTHER:
			rc = source_why(s->src) != NULL ?
			    diag_error(s->dg, &p, "cannot read %s",
			    source_why(s->src)) :
			    diag_error(s->dg, &p,
			    "not a regular file or folder");
			break;
		case SRC_DIR:
			if (names[i][0] == '_' && !in_static)
				break;	/* snippets for include */
			if (scan(s, sub, depth + 1, ss) == -1)
				rc = -1;
			break;
		case SRC_FILE:
			/* Hugo's folder page: say why it is not one here. */
			if (strcmp(names[i], "_index.md") == 0 && !in_static)
				diag_warning(s->dg, &p, "'_index.md' is not a "
				    "page: files whose names start with '_' are "
				    "for ::include; a folder's own page is "
				    "index.md");
			if (names[i][0] == '_' && !in_static)
				break;
			if (in_static)
				add_copy(s, srcrel, sub + 7);
			else if (strcmp(rel, "vendors") == 0 &&
			    str_endswith(names[i], ".xml")) {
				if (load_record(s, srcrel) == -1)
					rc = -1;
			} else if (strcmp(rel, "vendors") == 0 &&
			    xml_name(names[i])) {
				/* Copied as it is, a draft would be published. */
				rc = diag_error(s->dg, &p, "a record's file is "
				    "named <id>.xml, in lower case; rename it");
			} else if (str_startswith(rel, "vendors/") &&
			    xml_name(names[i])) {
				/* Copied as it is, a draft would be published. */
				rc = diag_error(s->dg, &p, "records belong "
				    "directly in content/vendors/; move the file "
				    "there, or out of content/vendors/ if it is "
				    "not a record");
			} else if (str_endswith(names[i], ".md")) {
				if (site_load_page(s, sub) == -1)
					rc = -1;
			} else
				add_copy(s, srcrel, sub);
			break;
		}
		/* A folder's own files say theirs. */
		if (type != SRC_DIR)
			file_failed(s, sub, s->dg->errors - errors);
		free(sub);
		free(srcrel);
		diag_progress(s->dg, "reading",
		    s->pagesz + s->recordsz + s->copiesz);
	}
	source_list_free(names, namesz);
	return rc;
}

static int
load_record(struct site *s, const char *src)
{
	struct buf data = BUF_INIT;
	struct record *r = NULL, *held = NULL;
	int rc;

	if (s->ahead == NULL ||
	    !preparse_take(s->ahead, src, s->dg, &r, &held)) {
		if ((rc = read_site_file(s, src, &data)) == 0)
			rc = record_parse_held(&r, &held, s->dg, src, data.ptr,
			    data.len);
		if (rc == 0 && s->hist != NULL)
			record_set_blob(r, data.ptr, data.len);
		buf_release(&data);
	}
	if (r == NULL) {
		/*
		 * Errors in its values hide none of its markdown's: held, for
		 * model_render() to tell those in the same build. Not a
		 * draft's, which would not be built.
		 */
		if (held != NULL && !(held->draft && !s->opts->drafts)) {
			s->held_records = xreallocarray(s->held_records,
			    s->held_recordsz + 1, sizeof(*s->held_records));
			s->held_records[s->held_recordsz++] = held;
		} else
			record_free(held);
		return -1;
	}
	if (r->draft && !s->opts->drafts) {
		s->draft_ids = xreallocarray(s->draft_ids, s->draft_idsz + 1,
		    sizeof(*s->draft_ids));
		s->draft_ids[s->draft_idsz++] = xstrdup(r->id);
		record_free(r);
		return 0;
	}
	s->records = xreallocarray(s->records, s->recordsz + 1,
	    sizeof(*s->records));
	s->records[s->recordsz++] = r;
	return 0;
}

/*
 * The record read from the work tree at `src` ("content/vendors/x.xml"),
 * when the bytes it was read from are the blob `id`: the history takes
 * it for that version instead of parsing the same bytes again
 * (history.h).
 */
static const struct record *
current_record(void *arg, const char *src, const git_oid *id)
{
	const struct site *s = arg;
	const struct record *r;
	const char *base = strrchr(src, '/');
	char *rid;
	size_t i;

	if (base == NULL || !str_endswith(base, ".xml"))
		return NULL;
	rid = xstrndup(base + 1, strlen(base + 1) - 4);
	i = site_record_index(s, rid);
	free(rid);
	if (i == SIZE_MAX || strcmp((r = s->records[i])->path, src) != 0)
		return NULL;
	return memcmp(r->blob, id->id, sizeof(r->blob)) == 0 ? r : NULL;
}

/*
 * What in a page's path below content/ cannot go into its URL as it is
 * (links, the sitemap, the search index are made from the path), said
 * into what[]: false when nothing. A ':' before the first '/' would make
 * a link a scheme's, such as javascript:.
 */
static bool
path_url_problem(const char *rel, char what[32])
{
	static const char bad[] = "\"#%<>?[\\]^`{|}:";
	const unsigned char *p;

	if (!utf8_valid(rel, strlen(rel), NULL)) {
		snprintf(what, 32, "bytes that are not UTF-8");
		return true;
	}
	for (p = (const unsigned char *)rel; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			snprintf(what, 32, "a control character");
		else if (*p == ' ')
			snprintf(what, 32, "a space");
		else if (strchr(bad, *p) != NULL)
			snprintf(what, 32, "'%c'", *p);
		else
			continue;
		return true;
	}
	return false;
}

/*
 * Leaves out the files beside a draft page in its own folder (an image,
 * a PDF), and below it, as Hugo does with a draft's page bundle: they
 * are not published before the page is.
 */
static void
drop_drafts(struct site *s)
{
	size_t i, j, k = 0;

	for (i = 0; i < s->copiesz; i++) {
		for (j = 0; j < s->draft_dirsz; j++)
			if (str_startswith(s->copies[i].src, s->draft_dirs[j]))
				break;
		if (j < s->draft_dirsz) {
			free(s->copies[i].src);
			free(s->copies[i].out);
		} else
			s->copies[k++] = s->copies[i];
	}
	s->copiesz = k;
}

/*
 * The site path of alias of the page whose output is own: as written
 * when it starts with '/', else in the folder of the page's address, as
 * Hugo has it: "old"
 * on content/guides/setup.md (guides/setup/) is /guides/old, and on
 * content/about.md or the home page /old. Then without "." and empty
 * segments, as Hugo's path.Join() leaves it: "./old//x/" is "old/x/",
 * so that two ways of writing one path are one output. Caller frees.
 */
static char *
alias_path(const char *own, const char *alias)
{
	struct buf b = BUF_INIT;
	char *out, *slash, *joined;
	const char *p;
	size_t n;

	if (alias[0] == '/')
		joined = xstrdup(alias);
	else {
		out = xstrdup(own);		/* "guides/setup/index.html" */
		if ((slash = strrchr(out, '/')) != NULL) {
			*slash = '\0';		/* "guides/setup" */
			slash = strrchr(out, '/');
		}
		if (slash != NULL)
			slash[1] = '\0';	/* "guides/" */
		joined = xasprintf("%s%s", slash != NULL ? out : "", alias);
		free(out);
	}
	for (p = joined; *p != '\0'; p += n) {
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && *p == '.'))
			continue;
		buf_putc(&b, '/');
		buf_put(&b, p, n);
	}
	if (b.len == 0 || str_endswith(joined, "/") ||
	    str_endswith(joined, "/.") || strcmp(joined, ".") == 0)
		buf_putc(&b, '/');
	free(joined);
	return buf_detach(&b);
}

#define ALIAS_MAX	1024	/* bytes, well within PATH_MAX with -o */

/* Is every name of alias at most NAME_MAX bytes, and all ALIAS_MAX? */
static bool
alias_fits(const char *alias)
{
	size_t n;

	if (strlen(alias) > ALIAS_MAX)
		return false;
	for (; *alias != '\0'; alias += n + (alias[n] == '/'))
		if ((n = strcspn(alias, "/")) > NAME_MAX)
			return false;
	return true;
}

/*
 * Adds alias ap of page pg, written at *p, by its site path; an error
 * when it is the page's own address.
 */
static void
alias_add(struct site *s, struct page *pg, const char *ap,
    const struct pos *p)
{
	char *own = page_out(pg->rel);
	char *path = alias_path(own, ap), *out = site_alias_out(path);

	if (strcmp(out, own) == 0) {
		diag_error(s->dg, p, "alias '%s' is the page's own address "
		    "('%s'): it would overwrite the page; leave it out", ap,
		    own);
		free(path);
	} else {
		pg->aliases = xreallocarray(pg->aliases, pg->aliasesz + 1,
		    sizeof(char *));
		pg->aliaspos = xreallocarray(pg->aliaspos, pg->aliasesz + 1,
		    sizeof(struct pos));
		pg->aliaspos[pg->aliasesz] = *p;
		pg->aliases[pg->aliasesz++] = path;
	}
	free(out);
	free(own);
}

/* An alias's output, and its place among the page's aliases. */
struct alias_at {
	char	*out;
	size_t	 i;
};

static int
alias_at_cmp(const void *a, const void *b)
{
	const struct alias_at *x = a, *y = b;
	int c = strcmp(x->out, y->out);

	return c != 0 ? c : x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Keeps the first of the aliases of pg that give one output ("x/y",
 * "./x/y" and "/x/y/" on a page at the top), as Hugo takes them.
 */
static void
aliases_once(struct page *pg)
{
	struct alias_at *v;
	bool *drop;
	size_t i, k;

	if (pg->aliasesz < 2)
		return;
	v = xreallocarray(NULL, pg->aliasesz, sizeof(*v));
	drop = xcalloc(pg->aliasesz, sizeof(*drop));
	for (i = 0; i < pg->aliasesz; i++)
		v[i] = (struct alias_at){ site_alias_out(pg->aliases[i]), i };
	qsort(v, pg->aliasesz, sizeof(*v), alias_at_cmp);
	for (i = 1; i < pg->aliasesz; i++)
		if (strcmp(v[i - 1].out, v[i].out) == 0)
			drop[v[i].i] = true;
	for (i = 0, k = 0; i < pg->aliasesz; i++) {
		free(v[i].out);
		if (drop[i]) {
			free(pg->aliases[i]);
			continue;
		}
		pg->aliases[k] = pg->aliases[i];
		pg->aliaspos[k++] = pg->aliaspos[i];
	}
	pg->aliasesz = k;
	free(drop);
	free(v);
}

/* Reads the front matter keys docket knows; keeps all of them as params. */
static int
front_matter(struct site *s, struct page *pg, const char *yaml, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root, *k, *v;
	yaml_node_pair_t *pr;
	yaml_node_item_t *it;
	struct pos p = { pg->src, 2, 1 };
	const char *key, *val;
	char what[32];
	unsigned errors = s->dg->errors;

	if (yaml_load(&doc, s->dg, pg->src, yaml, len, 1) == -1) {
		if (s->aliases_unknown == NULL)
			s->aliases_unknown = xstrdup(pg->src);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || (root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0)) {
		yaml_document_delete(&doc);
		return 0;
	}
	if (root->type != YAML_MAPPING_NODE) {
		p.line = (unsigned)root->start_mark.line + 2;
		p.col = (unsigned)root->start_mark.column + 1;
		yaml_document_delete(&doc);
		return diag_error(s->dg, &p, "front matter must be a mapping");
	}
	tval_free(pg->params);
	if ((pg->params = yaml_to_tval(&doc, root)) == NULL) {
		p.line = (unsigned)root->start_mark.line + 2;
		p.col = (unsigned)root->start_mark.column + 1;
		yaml_document_delete(&doc);
		return diag_error(s->dg, &p, "front matter nested deeper than "
		    "%d or holding more than %d values (YAML aliases?)",
		    YAML_MAX_DEPTH, YAML_MAX_NODES);
	}
	for (pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&doc, pr->key);
		v = yaml_document_get_node(&doc, pr->value);
		if (k->type != YAML_SCALAR_NODE)
			continue;
		key = (const char *)k->data.scalar.value;
		if (yaml_is_null(v))
			continue;	/* not set */
		p.line = (unsigned)v->start_mark.line + 2;
		p.col = (unsigned)v->start_mark.column + 1;
		val = v->type == YAML_SCALAR_NODE ?
		    (const char *)v->data.scalar.value : NULL;
		if (strcmp(key, "title") == 0 || strcmp(key, "description") == 0 ||
		    strcmp(key, "layout") == 0) {
			char **dst = key[0] == 't' ? &pg->title :
			    key[0] == 'd' ? &pg->description : &pg->layout;
			if (val == NULL) {
				diag_error(s->dg, &p, "'%s' must be a string", key);
				continue;
			}
			free(*dst);
			*dst = xstrdup(val);
			if (dst != &pg->layout)
				yaml_control_check(s->dg, &p, v, key);
			if (dst == &pg->title)
				yaml_bidi_check(s->dg, pg->src, yaml, len, 1, v,
				    "'title'");
			if (dst == &pg->layout)
				pg->layoutpos = p;
		} else if (strcmp(key, "date") == 0) {
			char why[64], day[11];
			/*
			 * A time after the day (2024-06-20T10:00:00+02:00),
			 * as Hugo and Jekyll take it: the day as written.
			 */
			if (val != NULL && strlen(val) > 10 &&
			    date_time_tail(val + 10)) {
				memcpy(day, val, 10);
				day[10] = '\0';
				val = day;
			}
			if (val != NULL &&
			    date_impossible(why, sizeof(why), val) != NULL)
				diag_error(s->dg, &p, "invalid date '%s' in "
				    "'date': %s", val, why);
			else if (val == NULL || !date_parse(&pg->date, val))
				diag_error(s->dg, &p,
				    "'date' must be a date (YYYY-MM-DD)");
		} else if (strcmp(key, "draft") == 0) {
			if (val != NULL && strcmp(val, "true") == 0)
				pg->draft = true;
			else if (val != NULL && strcmp(val, "false") == 0)
				pg->draft = false;
			else
				diag_error(s->dg, &p, "'draft' must be true or false");
		} else if (strcmp(key, "weight") == 0) {
			char *end;
			if (val == NULL || *val == '\0' ||
			    (pg->weight = strtol(val, &end, 10), *end != '\0'))
				diag_error(s->dg, &p, "'weight' must be a whole number");
		} else if (strcmp(key, "aliases") == 0) {
			if (v->type != YAML_SEQUENCE_NODE) {
				diag_error(s->dg, &p, "'aliases' must be a list of paths");
				continue;
			}
			for (it = v->data.sequence.items.start;
			    it < v->data.sequence.items.top; it++) {
				yaml_node_t *a = yaml_document_get_node(&doc, *it);
				const char *ap = (const char *)a->data.scalar.value;
				p.line = (unsigned)a->start_mark.line + 2;
				p.col = (unsigned)a->start_mark.column + 1;
				if (a->type != YAML_SCALAR_NODE || *ap == '\0' ||
				    strstr(ap, "..") != NULL ||
				    path_url_problem(ap, what)) {
					diag_error(s->dg, &p,
					    "'aliases' must be site paths such as /old/page/");
					continue;
				}
				if (!alias_fits(ap)) {
					diag_error(s->dg, &p, "an alias may have "
					    "at most %d bytes, %d in a folder "
					    "or file name, as file systems "
					    "take them", ALIAS_MAX, NAME_MAX);
					continue;
				}
				alias_add(s, pg, ap, &p);
			}
			aliases_once(pg);
		}
	}
	yaml_document_delete(&doc);
	return s->dg->errors == errors ? 0 : -1;
}

/* Notes an output of a page left out as a draft (out: taken). */
static void
draft_add(struct site *s, const char *src, char *out)
{
	s->drafts = xreallocarray(s->drafts, s->draftsz + 1,
	    sizeof(*s->drafts));
	s->drafts[s->draftsz++] = (struct copy){ xstrdup(src), out };
}

int
site_load_page(struct site *s, const char *rel)
{
	struct buf data = BUF_INIT;
	struct page pg;
	const char *yaml, *body;
	size_t yamlsz, bodysz;
	struct pos p = { NULL, 0, 0 };
	char *msg, what[32];
	bool held = false;
	int rc = -1;

	memset(&pg, 0, sizeof(pg));
	pg.rel = xstrdup(rel);
	pg.src = path_join("content", rel);
	if (path_url_problem(rel, what)) {
		p.path = pg.src;
		diag_error(s->dg, &p, "the page's file or folder name holds %s, "
		    "which cannot be in its URL: rename it (letters, digits, "
		    "'-', '_' and '.')", what);
		goto fail;
	}
	if (read_site_file(s, pg.src, &data) == -1)
		goto fail;
	if ((msg = text_problem(data.ptr, data.len, "page", &p.line,
	    &p.col)) != NULL) {
		p.path = pg.src;
		diag_error(s->dg, &p, "%s", msg);
		free(msg);
		goto fail;
	}
	if (md_split(s->dg, pg.src, data.ptr, data.len, &yaml, &yamlsz, &body,
	    &bodysz, &pg.bodyline) == -1)
		goto fail;
	if (yaml == NULL && data.len >= 4 && memcmp(data.ptr, "+++", 3) == 0 &&
	    (data.ptr[3] == '\n' || data.ptr[3] == '\r')) {
		p = (struct pos){ pg.src, 1, 1 };
		diag_warning(s->dg, &p, "front matter between '+++' lines "
		    "(TOML) is not read, and shows as text: docket reads "
		    "YAML front matter, between '---' lines");
	}
	if (yaml != NULL && front_matter(s, &pg, yaml, yamlsz) == -1) {
		/* Its params are set once its front matter is a mapping. */
		held = pg.params != NULL;
		goto fail;
	}
	if (pg.draft && !s->opts->drafts) {
		/* The files of its folder are the draft's too (drop_drafts()). */
		if (str_endswith(pg.src, "/index.md") &&
		    strcmp(pg.src, "content/index.md") != 0) {
			s->draft_dirs = xreallocarray(s->draft_dirs,
			    s->draft_dirsz + 1, sizeof(char *));
			s->draft_dirs[s->draft_dirsz++] = xstrndup(pg.src,
			    strlen(pg.src) - 8);
		}
		/* For the links to it and its aliases: a draft, they say. */
		draft_add(s, pg.src, page_out(rel));
		for (size_t i = 0; i < pg.aliasesz; i++)
			draft_add(s, pg.src, site_alias_out(pg.aliases[i]));
		rc = 0;
		goto fail;
	}
	pg.body = xstrndup(body, bodysz);
	pg.bodysz = bodysz;
	pg.out = page_out(rel);
	if (pg.params == NULL)
		pg.params = tval_map();
	s->pages = xreallocarray(s->pages, s->pagesz + 1, sizeof(*s->pages));
	s->pages[s->pagesz++] = pg;
	buf_release(&data);
	return 0;
fail:
	/* Left out for its errors: so are the redirects it names. */
	for (size_t i = 0; rc == -1 && i < pg.aliasesz; i++) {
		char *out = site_alias_out(pg.aliases[i]);
		failed_out(s, out);
		free(out);
	}
	/*
	 * Its front matter read, with errors in its values, which hide none
	 * of its layout's or body's: held, for model_render() to tell those
	 * in the same build. Not a draft's, which would not be built.
	 */
	if (held && !(pg.draft && !s->opts->drafts)) {
		pg.body = xstrndup(body, bodysz);
		pg.bodysz = bodysz;
		pg.out = page_out(rel);
		s->held = xreallocarray(s->held, s->heldsz + 1,
		    sizeof(*s->held));
		s->held[s->heldsz++] = pg;
	} else
		site_page_release(&pg);
	buf_release(&data);
	return rc;
}

void
site_page_release(struct page *pg)
{
	size_t i;

	free(pg->src);
	free(pg->rel);
	free(pg->out);
	free(pg->title);
	free(pg->description);
	free(pg->layout);
	for (i = 0; i < pg->aliasesz; i++)
		free(pg->aliases[i]);
	free(pg->aliases);
	free(pg->aliaspos);
	tval_free(pg->params);
	free(pg->body);
}

char *
site_alias_out(const char *alias)
{
	while (*alias == '/')
		alias++;
	if (*alias == '\0' || str_endswith(alias, "/"))
		return xasprintf("%sindex.html", alias);
	if (str_endswith(alias, ".html"))
		return xstrdup(alias);
	return xasprintf("%s/index.html", alias);
}

/* An output path with the file that makes it, for the collision check. */
struct outpath {
	const char	*out;
	const char	*by;
	const struct pos *at;	/* where `by` names it; NULL: the file */
};

static int
outpath_cmp(const void *a, const void *b)
{
	return strcmp(((const struct outpath *)a)->out,
	    ((const struct outpath *)b)->out);
}

/*
 * Adds to *v the paths below templates/assets/ of what the folder dir
 * ("templates/assets" or one inside it) holds, its folders' too, but for
 * names starting with '.': "logo.svg", "fonts/a.woff2". What is not a
 * folder is listed whatever it is; copy_assets() says what is wrong.
 * Returns -1, errno set, when a folder cannot be read.
 */
static int
assets_list(struct site *s, const char *dir, unsigned depth, char ***v,
    size_t *n)
{
	char **names = NULL, *rel;
	size_t i, namesz = 0;
	int rc = 0;

	if (source_list(s->src, dir, &names, &namesz) == -1)
		return -1;
	for (i = 0; i < namesz; i++) {
		if (names[i][0] == '.')
			continue;
		rel = xasprintf("%s/%s", dir, names[i]);
		if (source_type(s->src, rel) == SRC_DIR) {
			if (depth < MAX_DEPTH &&
			    assets_list(s, rel, depth + 1, v, n) == -1)
				rc = -1;
			free(rel);
			continue;
		}
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = xstrdup(rel + strlen("templates/assets/"));
		free(rel);
	}
	source_list_free(names, namesz);
	return rc;
}

/*
 * Keeps the output paths (v, sorted, n of them) and the assets' for the
 * links followed while rendering (site_check_link()).
 */
/*
 * The assets' output paths, docket's and the site's (templates/assets/),
 * into *out (grown; *n of them, in no order).
 */
static void
asset_outputs(struct site *s, char ***out, size_t *n)
{
	char **names = NULL;
	size_t i, namesz = 0;

	if (source_type(s->src, "templates/assets") == SRC_DIR)
		(void)assets_list(s, "templates/assets", 1, &names, &namesz);
	*out = xreallocarray(*out, *n + embedded_count + namesz + 1,
	    sizeof(**out));
	for (i = 0; i < embedded_count; i++)
		if (str_startswith(embedded_files[i].name, "templates/assets/"))
			(*out)[(*n)++] = xasprintf("assets/%s",
			    embedded_files[i].name + 17);
	for (i = 0; i < namesz; i++)
		(*out)[(*n)++] = xasprintf("assets/%s", names[i]);
	source_list_free(names, namesz);
}

static void
keep_outputs(struct site *s, const struct outpath *v, size_t n)
{
	size_t i;

	for (i = 0; i < s->outsz; i++)
		free(s->outs[i]);
	free(s->outs);
	free(s->srcs);
	s->srcs = NULL;
	s->srcsz = 0;
	s->outsz = 0;
	s->outs = xcalloc(n + 1, sizeof(*s->outs));
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i - 1].out, v[i].out) != 0)
			s->outs[s->outsz++] = xstrdup(v[i].out);
	asset_outputs(s, &s->outs, &s->outsz);
	qsort(s->outs, s->outsz, sizeof(*s->outs), strp_cmp);
}

bool
site_copies(const struct site *s, const char *out)
{
	size_t i;

	for (i = 0; i < s->copiesz; i++)
		if (strcmp(s->copies[i].out, out) == 0)
			return true;
	return false;
}

bool
site_has_output(const struct site *s, const char *out)
{
	if (s->outs == NULL)
		return true;	/* not listed yet: taken as there */
	return bsearch(&out, s->outs, s->outsz, sizeof(*s->outs),
	    strp_cmp) != NULL;
}

bool
site_failed_target(char *const *failed, size_t n, const char *target)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		k = strlen(failed[i]);
		if (k > 0 && failed[i][k - 1] == '/') {
			/* All of the folder, and the folder itself. */
			if (strncmp(target, failed[i], k - 1) == 0 &&
			    (target[k - 1] == '\0' || target[k - 1] == '/'))
				return true;
		} else if (strcmp(target, failed[i]) == 0 ||
		    (str_endswith(failed[i], "/index.html") &&
		    strlen(target) == k - 11 &&
		    strncmp(target, failed[i], k - 11) == 0))
			return true;
	}
	return false;
}

/* Is the start of `path` the folder `dir`, or all of it? */
static bool
in_folder(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/');
}

bool
site_failed_lists(char *const *failed, size_t n, const char *target)
{
	size_t i;
	int k;
	bool record = false;

	for (i = 0; i < n && !record; i++)
		record = str_startswith(failed[i], "vendors/") &&
		    str_endswith(failed[i], "/");
	if (!record)
		return false;
	if (in_folder(target, "timeline"))
		return true;
	for (k = 0; k < FACET__MAX; k++)
		if (in_folder(target, facet_kind_key((enum facet_kind)k)))
			return true;
	return false;
}

char *
site_link_srctarget(const char *base_path, const char *src, const char *url)
{
	char *frag, *t;

	if (src == NULL || !str_startswith(src, "content/") ||
	    (t = links_target(base_path, src, url, &frag)) == NULL)
		return NULL;
	free(frag);
	return t;
}

char *
site_no_page(const char *target, const char *aliases_unknown,
    const struct copy *drafts, size_t n, const char *srctarget)
{
	size_t i, tl = strlen(target);

	for (i = 0; i < n; i++)
		if (strcmp(drafts[i].out, target) == 0 ||
		    (strncmp(drafts[i].out, target, tl) == 0 &&
		    strcmp(drafts[i].out + tl, "/index.html") == 0) ||
		    (srctarget != NULL && strcmp(drafts[i].src, srctarget) == 0))
			return xasprintf("'%s' is a draft, left out of the "
			    "site (build with --drafts, or set 'draft: false' "
			    "in its front matter)", drafts[i].src);
	/* A link to a markdown file is read as on GitHub too. */
	if (srctarget != NULL && str_endswith(srctarget, ".md") &&
	    str_startswith(srctarget, "content/") && aliases_unknown == NULL)
		return xasprintf("no page or file '%s' in the site, nor a "
		    "page made of '%s'", target, srctarget);
	if (aliases_unknown != NULL)
		return xasprintf("no page or file '%s' in the site (unless it "
		    "is an alias of %s, whose front matter could not be read)",
		    target, aliases_unknown);
	return xasprintf("no page or file '%s' in the site", target);
}

/* Is target an output, or a folder with an index.html (no slash)? */
static bool
leads_to_output(const struct site *s, const char *target)
{
	char *dir;
	bool found;

	if (site_has_output(s, target))
		return true;
	dir = xasprintf("%s/index.html", target);
	found = site_has_output(s, dir);
	free(dir);
	return found;
}

static int
copy_src_cmp(const void *a, const void *b)
{
	return strcmp(((const struct copy *)a)->src,
	    ((const struct copy *)b)->src);
}

/* Every page and copied file by its input path, once. */
static void
index_sources(struct site *s)
{
	size_t i, n = 0;

	s->srcs = xreallocarray(NULL, s->pagesz + s->copiesz + 1,
	    sizeof(*s->srcs));
	for (i = 0; i < s->pagesz; i++)
		s->srcs[n++] = (struct copy){ s->pages[i].src, s->pages[i].out };
	for (i = 0; i < s->copiesz; i++)
		s->srcs[n++] = s->copies[i];
	qsort(s->srcs, n, sizeof(*s->srcs), copy_src_cmp);
	s->srcsz = n;
}

/*
 * The output of the page content/<x>.md that target names when the page
 * is left out for errors of its own, which were told (its front matter);
 * NULL for any other. Caller frees.
 */
static char *
failed_page(const struct site *s, const char *target)
{
	char *out;

	if (!str_startswith(target, "content/") ||
	    !str_endswith(target, ".md"))
		return NULL;
	out = page_out(target + 8);
	if (site_failed_target(s->failed, s->failedsz, out))
		return out;
	free(out);
	return NULL;
}

/*
 * The output of a folder of content/ that a link names, as GitHub shows
 * it: its index page, else its README.md page. target is the path of the
 * link from the site folder ("content/a" or "content/a/index.html");
 * NULL when no such folder is, or it makes no page. Caller frees.
 */
static char *
folder_output(struct site *s, const char *target)
{
	struct copy key, *hit;
	char *dir, *rel, *out = NULL;
	size_t n;

	if (!str_startswith(target, "content/"))
		return NULL;
	dir = xstrdup(target);
	n = strlen(dir);
	if (str_endswith(dir, "/index.html"))
		dir[n - 11] = '\0';
	if (source_type(s->src, dir) != SRC_DIR) {
		free(dir);
		return NULL;
	}
	rel = dir + (dir[7] == '\0' ? 7 : 8);
	if (str_startswith(rel, "static/"))
		rel += 7;
	out = xasprintf("%s%sindex.html", rel, *rel != '\0' ? "/" : "");
	if (!site_has_output(s, out)) {
		free(out);
		out = NULL;
		key.src = rel = xasprintf("%s/README.md", dir);
		hit = bsearch(&key, s->srcs, s->srcsz, sizeof(*s->srcs),
		    copy_src_cmp);
		if (hit != NULL)
			out = xstrdup(hit->out);
		free(rel);
	}
	free(dir);
	return out;
}

/* Does the path (n bytes) end in a segment "." or ".."? */
static bool
dot_segment(const char *path, size_t n)
{
	size_t dots = 0;

	while (dots < n && path[n - dots - 1] == '.')
		dots++;
	return (dots == 1 || dots == 2) &&
	    (dots == n || path[n - dots - 1] == '/');
}

/*
 * Is url a link to another page or file that may be rewritten: relative,
 * with a path, once the outputs are listed? Sets s->base_path.
 */
static bool
link_rewritable(struct site *s, const char *url)
{
	if (s->outs == NULL || url[0] == '\0' || url[0] == '/' ||
	    url[0] == '#' || url[0] == '?' || links_external(url))
		return false;
	if (s->base_path == NULL)
		s->base_path = links_base_path(s->cfg.base_url);
	return true;
}

/*
 * Does the link url, on the page at from, lead to an output as written
 * (*found)? Built without a base URL, one to a folder ("guide/", "guide",
 * "./") is returned naming its index.html, as the links docket makes do,
 * for the site to be browsed from disk; else NULL. Caller frees.
 */
static char *
link_folder(struct site *s, const char *from, const char *url, bool *found)
{
	char *target, *frag;
	size_t n;
	bool folder;

	*found = false;
	if ((target = links_target(s->base_path, from, url, &frag)) == NULL)
		return NULL;
	*found = leads_to_output(s, target);
	n = strcspn(url, "?#");	/* > 0: the callers take no "?x", "#x" */
	folder = *found && s->cfg.base_url == NULL && (url[n - 1] == '/' ||
	    !site_has_output(s, target) || dot_segment(url, n));
	free(frag);
	free(target);
	if (!folder)
		return NULL;
	return xasprintf("%.*s%sindex.html%s", (int)n, url,
	    url[n - 1] == '/' ? "" : "/", url + n);
}

char *
site_link_folder(struct site *s, const char *from, const char *url)
{
	bool found;

	if (s->cfg.base_url != NULL || !link_rewritable(s, url))
		return NULL;
	return link_folder(s, from, url, &found);
}

char *
site_link_source(struct site *s, const char *from, const char *src,
    const char *url)
{
	struct copy key, *hit;
	const char *rest;
	char *target, *frag, *root, *to, *enc, *res, *out = NULL, *id;
	size_t n;
	bool found;

	if (!link_rewritable(s, url))
		return NULL;
	/* A link that leads somewhere as it is stays as it is, or nearly. */
	if ((res = link_folder(s, from, url, &found)) != NULL || found)
		return res;
	/* From the input's folder, to an input in content/. */
	if ((target = links_target(s->base_path, src, url, &frag)) == NULL)
		return NULL;
	free(frag);
	if (s->srcs == NULL)
		index_sources(s);
	key.src = target;
	hit = bsearch(&key, s->srcs, s->srcsz, sizeof(*s->srcs), copy_src_cmp);
	if (hit != NULL && str_startswith(hit->src, "content/"))
		out = xstrdup(hit->out);
	else if (str_startswith(target, "content/vendors/") &&
	    (n = strlen(target)) > 20 && strcmp(target + n - 4, ".xml") == 0 &&
	    strchr(target + 16, '/') == NULL) {
		/*
		 * A record: its vendor page, or where it would be when the
		 * record has errors, which were told.
		 */
		id = xstrndup(target + 16, n - 20);
		if (site_record_index(s, id) != SIZE_MAX ||
		    site_record_failed(s, id))
			out = xasprintf("vendors/%s/index.html", id);
		free(id);
	} else if ((out = failed_page(s, target)) == NULL)
		out = folder_output(s, target);
	free(target);
	if (out == NULL)
		return NULL;
	rest = url + strcspn(url, "?#");
	root = site_root_for(from);
	to = site_url_for(s, out);
	enc = links_encode(to);
	res = xasprintf("%s%s%s", root, enc, rest);
	free(root);
	free(enc);
	free(to);
	free(out);
	return res;
}

/* site_check_link(), saying the link as written. */
static void
check_link_as(struct site *s, const char *from, const char *url,
    const char *written, const struct pos *p)
{
	char *target, *frag, *why = NULL, *st = NULL;

	if (s->outs == NULL || links_external(url))
		return;
	if (s->base_path == NULL)
		s->base_path = links_base_path(s->cfg.base_url);
	if ((target = links_target(s->base_path, from, url, &frag)) == NULL)
		why = xstrdup("it leads outside the site");
	else if (site_failed_target(s->failed, s->failedsz, target))
		;	/* its own errors were told */
	else if (!leads_to_output(s, target) &&
	    !site_failed_lists(s->failed, s->failedsz, target)) {
		st = site_link_srctarget(s->base_path, p->path, written);
		why = site_no_page(target, s->aliases_unknown, s->drafts,
		    s->draftsz, st);
	}
	if (why != NULL) {
		diag_warning(s->dg, p, "broken link '%s': %s", written, why);
		s->dg->broken_links++;
	}
	free(st);
	free(why);
	free(frag);
	free(target);
}

void
site_check_link(struct site *s, const char *from, const char *url,
    const struct pos *p)
{
	check_link_as(s, from, url, url, p);
}

/*
 * Reports the site paths of nav in docket.yml that lead to no page or
 * file, as site_check_link() does a markdown link: the menu is on every
 * page. Their paths are from the site's root, as from its home page.
 * docket check is given them instead, and follows them on the pages,
 * as every link.
 */
static void
check_nav(struct site *s)
{
	const struct nav_item *ni;
	struct pos p = { "docket.yml", 0, 0 };
	const char *url;
	size_t i;

	for (i = 0; i < s->cfg.navsz; i++) {
		ni = &s->cfg.nav[i];
		if (ni->url == NULL || links_external(ni->url))
			continue;
		for (url = ni->url; *url == '/'; url++)
			;
		p.line = ni->url_line;
		p.col = ni->url_col;
		if (s->opts->on_link != NULL)
			site_hook_link(s, url, ni->url, &p);
		else
			check_link_as(s, "index.html", url, ni->url, &p);
	}
}

/* An output and the key of its path, by which its twins are found. */
struct twin {
	const struct outpath *o;
	char		*key;	/* str_twin_key() */
};

/* By key, then as it is. */
static int
twin_cmp(const void *a, const void *b)
{
	const struct twin *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->o->out, y->o->out);
}

/*
 * Warns of outputs whose paths differ only in case ("a/index.html" of
 * content/a.md, "A/index.html" of content/A.md; "É" and "é" too), or
 * only in the Unicode form of a name ("café" of "e" and U+0301, as
 * macOS tools write names, and "café" of U+00E9): where case does not
 * count in file names (macOS, Windows), or the form of a name does not
 * (macOS), one would overwrite the other when the site is built or
 * copied there.
 */
static void
case_twins(struct site *s, const struct outpath *v, size_t n)
{
	struct twin *w;
	const struct outpath *a, *b;
	struct pos p;
	char *na, *nb;
	size_t i;

	if (n < 2)
		return;
	w = xreallocarray(NULL, n, sizeof(*w));
	for (i = 0; i < n; i++)
		w[i] = (struct twin){ &v[i], str_twin_key(v[i].out) };
	qsort(w, n, sizeof(*w), twin_cmp);
	for (i = 1; i < n; i++) {
		a = w[i - 1].o;
		b = w[i].o;
		if (strcmp(w[i - 1].key, w[i].key) != 0 ||
		    strcmp(a->out, b->out) == 0)
			continue;
		if (b->by == NULL) {
			a = w[i].o;
			b = w[i - 1].o;
		}
		if (b->by == NULL)
			continue;	/* docket's own outputs are lower case */
		p = b->at != NULL ? *b->at : (struct pos){ b->by, 0, 0 };
		na = str_nfc(a->out);
		nb = str_nfc(b->out);
		if (strcmp(na, nb) != 0)
			diag_warning(s->dg, &p, "output '%s' differs only in "
			    "case from '%s' (%s%s%s): on a file system that "
			    "ignores case (macOS, Windows), one would "
			    "overwrite the other; rename one", b->out, a->out,
			    a->by != NULL ? "written by '" :
			    "which docket generates",
			    a->by != NULL ? a->by : "",
			    a->by != NULL ? "'" : "");
		else
			diag_warning(s->dg, &p, "output '%s' (in Unicode "
			    "%s) is '%s' (%s%s%s) in another form (%s): on "
			    "macOS, one would overwrite the other, and a link "
			    "typed in one form does not reach the other; "
			    "rename one", b->out, str_unicode_form(b->out),
			    a->out, a->by != NULL ? "written by '" :
			    "which docket generates",
			    a->by != NULL ? a->by : "",
			    a->by != NULL ? "'" : "",
			    str_unicode_form(a->out));
		free(na);
		free(nb);
	}
	for (i = 0; i < n; i++)
		free(w[i].key);
	free(w);
}

/* Reports two inputs that would write the same output file. */
static int
check_collisions(struct site *s)
{
	struct outpath *v;
	struct facets fc;
	size_t n = 0, i, j, cap, aliasesz = 0, na = 0, facetsz = 0, histsz, ownsz;
	char **vendor_outs, **alias_outs, **facet_outs, **hist_outs, **own;
	struct pos p;
	int k, rc = 0;

	/* With the history read, what it adds too; and the timeline's years. */
	histsz = changes_outputs(s, &hist_outs);
	for (i = 0; i < s->pagesz; i++)
		aliasesz += s->pages[i].aliasesz;
	facets_collect(&fc, s->authorities, s->records, s->recordsz);
	for (k = 0; k < FACET__MAX; k++)
		facetsz += 1 + fc.termsz[k];
	facet_outs = xcalloc(facetsz + 1, sizeof(char *));
	cap = NELEM(generated) + exports_outputsz + facetsz + s->pagesz +
	    s->copiesz + s->recordsz + aliasesz + histsz;
	v = xcalloc(cap, sizeof(*v));
	vendor_outs = xcalloc(s->recordsz + 1, sizeof(char *));
	alias_outs = xcalloc(aliasesz + 1, sizeof(char *));
	for (i = 0; i < NELEM(generated); i++)
		v[n++] = (struct outpath){ generated[i], NULL, NULL };
	for (i = 0; i < exports_outputsz; i++) {
		/*
		 * A robots.txt of the site's own replaces docket's, as a
		 * static one does Hugo's and Jekyll's (see write_robots()).
		 */
		if (strcmp(exports_outputs[i], "robots.txt") == 0 &&
		    site_copies(s, "robots.txt"))
			continue;
		v[n++] = (struct outpath){ exports_outputs[i], NULL, NULL };
	}
	for (i = 0; i < histsz; i++)
		v[n++] = (struct outpath){ hist_outs[i], NULL, NULL };
	for (k = 0, j = 0; k < FACET__MAX; k++) {
		facet_outs[j] = facet_out((enum facet_kind)k, NULL);
		v[n++] = (struct outpath){ facet_outs[j++], NULL, NULL };
		for (i = 0; i < fc.termsz[k]; i++) {
			facet_outs[j] = facet_out((enum facet_kind)k,
			    fc.terms[k][i].key);
			v[n++] = (struct outpath){ facet_outs[j++], NULL, NULL };
		}
	}
	for (i = 0; i < s->recordsz; i++) {
		vendor_outs[i] = xasprintf("vendors/%s/index.html",
		    s->records[i]->id);
		v[n++] = (struct outpath){ vendor_outs[i],
		    s->records[i]->path, NULL };
	}
	for (i = 0; i < s->pagesz; i++)
		v[n++] = (struct outpath){ s->pages[i].out,
		    s->pages[i].src, NULL };
	for (i = 0; i < s->copiesz; i++)
		v[n++] = (struct outpath){ s->copies[i].out,
		    s->copies[i].src, NULL };
	/* A redirect written over a page would lose the page. */
	for (i = 0; i < s->pagesz; i++)
		for (j = 0; j < s->pages[i].aliasesz; j++) {
			alias_outs[na] = site_alias_out(s->pages[i].aliases[j]);
			v[n++] = (struct outpath){ alias_outs[na++],
				s->pages[i].src, &s->pages[i].aliaspos[j] };
		}
	qsort(v, n, sizeof(*v), outpath_cmp);
	/* Said once: the check runs again with the history's outputs. */
	if (s->outs == NULL)
		case_twins(s, v, n);
	keep_outputs(s, v, n);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].out, v[i].out) != 0)
			continue;
		/* Generated lists take their introduction from these pages. */
		if (v[i - 1].by == NULL && v[i].by != NULL &&
		    (strcmp(v[i].by, "content/index.md") == 0 ||
		    strcmp(v[i].by, "content/vendors/index.md") == 0 ||
		    strcmp(v[i].by, "content/changes/index.md") == 0 ||
		    strcmp(v[i].by, "content/timeline/index.md") == 0))
			continue;
		if (v[i].by != NULL)
			p = v[i].at != NULL ? *v[i].at :
			    (struct pos){ v[i].by, 0, 0 };
		else
			p = v[i - 1].at != NULL ? *v[i - 1].at :
			    (struct pos){ v[i - 1].by, 0, 0 };
		if (v[i - 1].by == NULL || v[i].by == NULL)
			rc = diag_error(s->dg, &p,
			    "output '%s' is a page docket generates", v[i].out);
		else
			rc = diag_error(s->dg, &p, "output '%s' is also written by '%s'",
			    v[i].out, v[i - 1].by);
	}
	/*
	 * A file where another output needs a folder ("a" and "a/b"), the
	 * assets and the folder's marker among them.
	 */
	own = NULL;
	ownsz = 0;
	asset_outputs(s, &own, &ownsz);
	own[ownsz++] = xstrdup(MARKER);
	qsort(own, ownsz, sizeof(*own), strp_cmp);
	for (i = 0; i < n; i++) {
		struct outpath key, *f, mine = { NULL, NULL, NULL };
		char *dir = xstrdup(v[i].out), *slash;

		while ((slash = strrchr(dir, '/')) != NULL) {
			*slash = '\0';
			key.out = dir;
			if ((f = bsearch(&key, v, n, sizeof(*v),
			    outpath_cmp)) == NULL) {
				if (bsearch(&dir, own, ownsz, sizeof(*own),
				    strp_cmp) == NULL)
					continue;
				f = &mine;
			}
			if (v[i].by != NULL)
				p = v[i].at != NULL ? *v[i].at :
				    (struct pos){ v[i].by, 0, 0 };
			else
				p = f->at != NULL ? *f->at :
				    (struct pos){ f->by, 0, 0 };
			rc = diag_error(s->dg, &p, "output '%s' needs a folder "
			    "'%s', which is a file %s%s%s", v[i].out, dir,
			    f->by != NULL ? "written by '" : "docket generates",
			    f->by != NULL ? f->by : "", f->by != NULL ? "'" : "");
			break;
		}
		free(dir);
	}
	for (i = 0; i < ownsz; i++)
		free(own[i]);
	free(own);
	for (i = 0; i < s->recordsz; i++)
		free(vendor_outs[i]);
	free(vendor_outs);
	for (i = 0; i < na; i++)
		free(alias_outs[i]);
	free(alias_outs);
	for (i = 0; i < facetsz; i++)
		free(facet_outs[i]);
	free(facet_outs);
	for (i = 0; i < histsz; i++)
		free(hist_outs[i]);
	free(hist_outs);
	facets_release(&fc);
	free(v);
	return rc;
}

static int
record_cmp(const void *a, const void *b)
{
	const struct record *ra = *(struct record *const *)a;
	const struct record *rb = *(struct record *const *)b;
	int c = str_collate(ra->name, rb->name);

	return c != 0 ? c : strcmp(ra->id, rb->id);
}

/*
 * Template loader: the site's templates/NAME.html, else the default
 * compiled into docket. Names are plain file names. A byte order mark
 * that an editor put at the start of the file is left out: in a partial
 * it would land in the middle of the page.
 */
static int
load_template(void *arg, const char *name, struct buf *src, const char **path)
{
	struct site *s = arg;
	char *rel;
	const struct embedded *e;
	const char *c;
	char *msg;
	struct pos p = { NULL, 0, 0 };
	int rc = 0;

	for (c = name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    (*c == '.' && c != name)))
			return 0;
	if (*name == '\0')
		return 0;
	rel = xasprintf("templates/%s.html", name);
	p.path = rel;
	/* A templates/ that is not a folder inside the site was told. */
	switch (source_type(s->src, "templates") != SRC_DIR ? SRC_NONE :
	    source_type(s->src, rel)) {
	case SRC_NONE:
		break;
	case SRC_FILE:
		if (read_site_file(s, rel, src) == -1)
			rc = -1;
		else if ((msg = text_problem(src->ptr, src->len, "template",
		    &p.line, &p.col)) != NULL) {
			rc = diag_error(s->dg, &p, "%s", msg);
			free(msg);
		} else {
			if (src->len >= 3 &&
			    memcmp(src->ptr, "\xef\xbb\xbf", 3) == 0) {
				memmove(src->ptr, src->ptr + 3, src->len - 3);
				buf_truncate(src, src->len - 3);
			}
			*path = rel;
			s->tmpl_paths = xreallocarray(s->tmpl_paths,
			    s->tmpl_pathsz + 1, sizeof(char *));
			s->tmpl_paths[s->tmpl_pathsz++] = rel;
			return 1;
		}
		free(rel);
		return rc;
	case SRC_OUTSIDE:
		rc = diag_error(s->dg, &p,
		    "symbolic link leads outside the site folder, "
		    "or into .git");
		free(rel);
		return rc;
	default:
		rc = diag_error(s->dg, &p, "not a regular file");
		free(rel);
		return rc;
	}
	if ((e = embedded_find(rel)) != NULL) {
		buf_put(src, e->data, e->len);
		*path = e->name;
		rc = 1;
	}
	free(rel);
	return rc;
}

/* Copies the default assets, then the site's templates/assets/ over them. */
int
site_folder(struct site *s, const char *rel)
{
	struct pos p = { rel, 0, 0 };

	switch (source_type(s->src, rel)) {
	case SRC_DIR:
		return 1;
	case SRC_OUTSIDE:	/* as for a template, or content/vendors/ */
		return diag_error(s->dg, &p, "symbolic link leads outside "
		    "the site folder, or into .git");
	case SRC_FILE:
	case SRC_OTHER:
		return diag_error(s->dg, &p, "not a folder");
	default:
		return 0;
	}
}

static int
copy_assets(struct site *s)
{
	char *rel, *out, **names = NULL;
	size_t i, namesz = 0;
	int rc = 0;

	for (i = 0; i < embedded_count; i++) {
		const struct embedded *e = &embedded_files[i];
		if (!str_startswith(e->name, "templates/assets/"))
			continue;
		rel = xasprintf("assets/%s", e->name + 17);
		if (source_type(s->src, e->name) == SRC_NONE &&
		    site_write(s, rel, (const char *)e->data, e->len) == -1)
			rc = -1;
		free(rel);
	}
	/* A templates/ that is not a folder inside the site was told. */
	if (source_type(s->src, "templates") != SRC_DIR)
		return rc;
	switch (site_folder(s, "templates/assets")) {
	case 1:
		break;
	case 0:
		return rc;
	default:
		return -1;
	}
	if (assets_list(s, "templates/assets", 1, &names, &namesz) == -1) {
		s->io_failed = true;
		rc = diag_error(s->dg, NULL, "cannot read templates/assets: %s",
		    strerror(errno));
	}
	for (i = 0; i < namesz; i++) {
		struct pos p;

		rel = xasprintf("templates/assets/%s", names[i]);
		out = xasprintf("assets/%s", names[i]);
		p = (struct pos){ rel, 0, 0 };
		switch (source_type(s->src, rel)) {
		case SRC_FILE:
			if (file_copy(s, rel, out) == -1)
				rc = -1;
			break;
		case SRC_OUTSIDE:	/* as for any other template */
			rc = diag_error(s->dg, &p, "symbolic link leads "
			    "outside the site folder, or into .git");
			break;
		default:
			rc = diag_error(s->dg, &p, "not a regular file");
		}
		free(rel);
		free(out);
	}
	source_list_free(names, namesz);
	return rc;
}

/*
 * Resolves a path that may not exist yet: the real path of its deepest
 * existing folder, and the rest as written (with "." and ".." taken out).
 * Makes nothing: a refused output must leave no trace. Caller frees.
 */
static char *
abspath(const char *path)
{
	char real[PATH_MAX], *head, *res, *t;
	const char *p, *e;
	size_t keep = strlen(path);	/* the part of path resolved */

	for (;;) {
		head = keep == 0 ? xstrdup(*path == '/' ? "/" : ".") :
		    xstrndup(path, keep);
		if (realpath(head, real) != NULL)
			break;
		free(head);
		if (errno != ENOENT && errno != ENOTDIR)
			return NULL;
		if (keep == 0)
			return NULL;
		while (keep > 0 && path[keep - 1] == '/')
			keep--;
		while (keep > 0 && path[keep - 1] != '/')
			keep--;
	}
	free(head);
	res = xstrdup(real);
	for (p = path + keep; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		if ((e = strchr(p, '/')) == NULL)
			e = p + strlen(p);
		if (e == p || (e - p == 1 && p[0] == '.'))
			continue;
		if (e - p == 2 && p[0] == '.' && p[1] == '.') {
			if ((t = strrchr(res, '/')) != NULL)
				*(t == res ? t + 1 : t) = '\0';
			continue;
		}
		t = xasprintf("%s%s%.*s", res, str_endswith(res, "/") ? "" : "/",
		    (int)(e - p), p);
		free(res);
		res = t;
	}
	return res;
}

static bool
path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Did docket make the folder at path (its marker), or is it empty? */
static bool
folder_ours(const char *path)
{
	struct stat st;
	struct dirent *de;
	char *marker;
	bool ours;
	DIR *d;

	if (lstat(path, &st) == -1 || !S_ISDIR(st.st_mode))
		return false;
	marker = path_join(path, MARKER);
	ours = is_file(marker);
	free(marker);
	if (ours || (d = opendir(path)) == NULL)
		return ours;
	ours = true;
	while (ours && (de = readdir(d)) != NULL)
		ours = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0;
	closedir(d);
	return ours;
}

/*
 * Checks that the output folder may be replaced: absent, empty, or made
 * by docket (it holds .docket); not the site, not inside content/, not
 * around the site. `at` is where docket.yml names it (NULL: -o or the
 * default). Returns 0, or -1 after reporting.
 */
static int
check_output(struct site *s, const char *out, const char *abs,
    const struct pos *at)
{
	char siteabs[PATH_MAX], *content;
	struct stat st;
	int rc = 0;

	if (realpath(s->dir, siteabs) == NULL)
		return diag_error(s->dg, NULL, "cannot resolve '%s': %s", s->dir,
		    strerror(errno));
	content = path_join(siteabs, "content");
	if (strcmp(abs, siteabs) == 0 || path_within(siteabs, abs))
		rc = diag_error(s->dg, at,
		    "output folder '%s' would replace the site folder", out);
	else if (path_within(abs, content))
		rc = diag_error(s->dg, at,
		    "output folder '%s' is inside content/", out);
	free(content);
	content = path_join(siteabs, "templates");
	if (rc == 0 && path_within(abs, content))
		rc = diag_error(s->dg, at,
		    "output folder '%s' is inside templates/", out);
	free(content);
	if (rc == -1)
		return rc;
	if (lstat(abs, &st) == -1)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return diag_error(s->dg, NULL,
		    "output '%s' exists and is not a folder", out);
	if (!folder_ours(abs))
		return diag_error(s->dg, NULL,
		    "refusing to replace '%s': a folder docket did not make "
		    "(it has no %s file); build into a new or empty folder",
		    out, MARKER);
	return 0;
}

/*
 * Each build writes into a folder of its own beside the output,
 * OUT.docket-new-PID, so that two builds into one output do not remove
 * each other's files: the last to finish swaps its site in. This
 * removes what a build that was killed left there (its process is gone)
 * and the OUT.docket-new of older versions: only folders docket made.
 * The folders are the entries of dir whose names are base followed by
 * those endings (base "" for an output that is a mount point, whose
 * builds work inside it).
 */
static void
remove_stale(const char *dir, const char *base)
{
	const char *rest;
	size_t n = strlen(base);
	struct dirent *de;
	char *path, *end;
	long pid;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, base, n) != 0)
			continue;
		rest = de->d_name + n;
		if (strcmp(rest, ".docket-new") == 0 ||
		    strcmp(rest, ".docket-old") == 0)
			pid = 0;
		else if (str_startswith(rest, ".docket-new-") ||
		    str_startswith(rest, ".docket-old-")) {
			errno = 0;
			pid = strtol(rest + 12, &end, 10);
			if (errno != 0 || *end != '\0' || pid <= 0 ||
			    pid == (long)getpid() ||
			    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
		} else
			continue;
		path = path_join(dir, de->d_name);
		if (folder_ours(path))
			remove_tree(path);
		free(path);
	}
	closedir(d);
}

/*
 * Is the folder at path the root of a mounted file system (a Docker
 * volume, a tmpfs), which rename() cannot move? A bind mount of a folder
 * of the same file system is one too, which only statx() tells.
 */
static bool
is_mount_point(const char *path)
{
	struct stat st, up;
	char *parent;
	bool yes;
#ifdef STATX_ATTR_MOUNT_ROOT
	struct statx sx;

	if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx) == 0 &&
	    (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0)
		return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
#endif
	parent = path_join(path, "..");
	yes = stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    stat(parent, &up) == 0 &&
	    (st.st_dev != up.st_dev || st.st_ino == up.st_ino);
	free(parent);
	return yes;
}

/* The names in folder fd but ".", ".." and those skip() says; caller frees. */
static int
list_entries(int fd, char ***out, size_t *outsz, bool (*skip)(const char *))
{
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;
	DIR *d;
	int dup_fd;

	*out = NULL;
	*outsz = 0;
	if ((dup_fd = dup(fd)) == -1)
		return -1;
	if ((d = fdopendir(dup_fd)) == NULL) {
		close(dup_fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || skip(de->d_name))
			continue;
		v = xreallocarray(v, n + 1, sizeof(char *));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	*out = v;
	*outsz = n;
	return 0;
}

/* Moves the first n of names from folder fd `from` to `to`; -1 at once. */
static int
move_entries(int from, int to, char **names, size_t n, size_t *moved)
{
	for (*moved = 0; *moved < n; (*moved)++)
		if (renameat(from, names[*moved], to, names[*moved]) == -1)
			return -1;
	return 0;
}

/*
 * Puts the new output in place of the old one for an output folder that
 * is a mount point, which cannot be renamed: the build was made in
 * OUT/.docket-new-PID. The old entries are moved into OUT/.docket-old-PID,
 * the new ones into OUT, then the old ones are removed. Not atomic, but
 * the marker stays in OUT throughout, and a failed move puts the old
 * entries back. Builds into one mount point take turns here (flock()).
 */
static int
swap_entries(struct site *s, const char *abs)
{
	char *old = xasprintf("%s/%s-old-%ld", abs, MARKER, (long)getpid());
	char *marker = path_join(old, MARKER);
	char **olds = NULL, **news = NULL;
	size_t oldsz = 0, newsz = 0, moved = 0, placed = 0, back = 0;
	int outfd = -1, oldfd = -1, newfd = -1, rc = -1, e = 0;
	bool made_old = false, keep_old = false;

	if ((outfd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    flock(outfd, LOCK_EX) == -1 ||
	    (newfd = open(s->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto fail;
	if (folder_ours(old))
		remove_tree(old);
	if (mkdir(old, 0700) == -1)
		goto fail;
	made_old = true;
	if (file_put(marker, "docket\n", 7) == -1 ||
	    (oldfd = open(old, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto fail;
	/* The marker stays: a build stopped halfway finds OUT still ours. */
	if (list_entries(outfd, &olds, &oldsz, is_docket_name) == -1 ||
	    list_entries(newfd, &news, &newsz, is_docket_name) == -1)
		goto fail;
	if (move_entries(outfd, oldfd, olds, oldsz, &moved) == -1)
		goto undo;
	if (move_entries(newfd, outfd, news, newsz, &placed) == -1 ||
	    renameat(newfd, MARKER, outfd, MARKER) == -1)
		goto undo;
	rc = 0;
	goto out;
undo:
	e = errno;
	move_entries(outfd, newfd, news, placed, &back);
	/* Old entries that did not go back are left where they are. */
	keep_old = move_entries(oldfd, outfd, olds, moved, &back) == -1;
	errno = e;
fail:
	diag_error(s->dg, NULL, "cannot replace the files of '%s': %s", abs,
	    strerror(errno));
out:
	if (oldfd != -1)
		close(oldfd);
	if (newfd != -1)
		close(newfd);
	if (outfd != -1)
		close(outfd);	/* and with it the lock */
	if (keep_old)
		diag_error(s->dg, NULL, "the rest of the old files are in '%s'",
		    old);
	else if (made_old)
		remove_tree(old);
	if (rc == 0)
		remove_tree(s->tmpdir);
	source_list_free(olds, oldsz);
	source_list_free(news, newsz);
	free(marker);
	free(old);
	return rc;
}

/* Puts the new output in place of the old one. */
static int
swap_output(struct site *s, const char *abs)
{
	char *old;
	int rc = 0;

	if (!is_dir(abs)) {
		rmdir(abs);
		if (rename(s->tmpdir, abs) == -1)
			return diag_error(s->dg, NULL, "cannot rename '%s': %s",
			    s->tmpdir, strerror(errno));
		return 0;
	}
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, s->tmpdir, AT_FDCWD, abs, RENAME_EXCHANGE) == 0)
		return remove_tree(s->tmpdir) == -1 ? diag_error(s->dg, NULL,
		    "cannot remove '%s': %s", s->tmpdir, strerror(errno)) : 0;
#endif
	old = xasprintf("%s.docket-old-%ld", abs, (long)getpid());
	if (folder_ours(old))
		remove_tree(old);
	if (rename(abs, old) == -1 || rename(s->tmpdir, abs) == -1)
		rc = diag_error(s->dg, NULL, "cannot replace '%s': %s%s", abs,
		    strerror(errno), errno == EBUSY ? " (a mount point? "
		    "build into a folder inside it)" : "");
	else
		remove_tree(old);
	free(old);
	return rc;
}

static void
site_release(struct site *s)
{
	size_t i;

	config_release(&s->cfg);
	for (i = 0; i < s->pagesz; i++)
		site_page_release(&s->pages[i]);
	free(s->pages);
	for (i = 0; i < s->heldsz; i++)
		site_page_release(&s->held[i]);
	free(s->held);
	for (i = 0; i < s->held_recordsz; i++)
		record_free(s->held_records[i]);
	free(s->held_records);
	for (i = 0; i < s->recordsz; i++)
		record_free(s->records[i]);
	free(s->records);
	free(s->by_id);
	facet_names_free(s->authorities);
	for (i = 0; i < s->copiesz; i++) {
		free(s->copies[i].src);
		free(s->copies[i].out);
	}
	free(s->copies);
	for (i = 0; i < s->draft_idsz; i++)
		free(s->draft_ids[i]);
	free(s->draft_ids);
	for (i = 0; i < s->draft_dirsz; i++)
		free(s->draft_dirs[i]);
	free(s->draft_dirs);
	for (i = 0; i < s->draftsz; i++) {
		free(s->drafts[i].src);
		free(s->drafts[i].out);
	}
	free(s->drafts);
	for (i = 0; i < s->outsz; i++)
		free(s->outs[i]);
	free(s->outs);
	free(s->srcs);
	free(s->base_path);
	for (i = 0; i < s->failedsz; i++)
		free(s->failed[i]);
	free(s->failed);
	for (i = 0; i < s->failed_idsz; i++)
		free(s->failed_ids[i]);
	free(s->failed_ids);
	free(s->aliases_unknown);
	tmpl_set_free(s->tmpl);
	for (i = 0; i < s->tmpl_pathsz; i++)
		free(s->tmpl_paths[i]);
	free(s->tmpl_paths);
	free(s->tmpdir);
	free(s->olddir);
	free(s->madedir);
	free(s->dir);
	source_free(s->src);
	changes_release(s);
	hist_free(s->hist);
}

/*
 * --as-of: opens the repository, finds the commit (a date is placed in
 * the history.timezone of the docket.yml committed at HEAD) and reads
 * the site from that commit's tree instead of the working tree.
 */
static int
open_as_of(struct site *s)
{
	struct config cfg;
	struct diag quiet;
	struct buf data = BUF_INIT;
	struct source_tree *head;
	char *tz = NULL;
	int rc;

	if (hist_open(&s->hist, s->dg, s->dir) == -1)
		return -1;
	s->hist->drafts = s->opts->drafts;
	if (s->hist->repo != NULL && s->hist->head[0] != '\0' &&
	    (head = hist_source(s->hist)) != NULL) {
		diag_init(&quiet);
		quiet.silent = true;
		memset(&cfg, 0, sizeof(cfg));
		if (source_read(head, "docket.yml", &data) == 0 &&
		    config_load(&cfg, &quiet, "docket.yml", data.ptr,
		    data.len) == 0)
			tz = xstrdup(cfg.hist_timezone);
		config_release(&cfg);
		buf_release(&data);
		source_free(head);
	}
	rc = hist_as_of(s->hist, s->dg, s->opts->as_of,
	    tz != NULL ? tz : "UTC");
	free(tz);
	if (rc == -1)
		return -1;
	source_free(s->src);
	if ((s->src = hist_source(s->hist)) == NULL) {
		/* The commit is there, its tree is not: a damaged repository. */
		const git_error *e = git_error_last();

		s->hist->damaged = true;
		return diag_error(s->dg, NULL, "cannot read commit %s: %s",
		    s->hist->head, e != NULL && e->message != NULL ?
		    e->message : "unknown git error");
	}
	return 0;
}

/*
 * A page or record that is in no commit of the repository (a file of a
 * submodule, which the status of the working tree does not list) is
 * uncommitted, as its page says: so is the build.
 */
static void
in_no_commit(struct site *s)
{
	size_t i;

	for (i = 0; i < s->pagesz && !s->hist->dirty; i++)
		if (hist_file(s->hist, s->pages[i].src) == NULL)
			s->hist->dirty = true;
	for (i = 0; i < s->recordsz && !s->hist->dirty; i++)
		if (hist_file(s->hist, s->records[i]->path) == NULL)
			s->hist->dirty = true;
}

/*
 * Was each error the build found in one page or record (site_failed())?
 * Then it goes on to render the pages, for their errors: one run tells
 * of all. docket check renders the rest too, and keeps the output, for
 * its links to be followed.
 */
static bool
localized(const struct site *s)
{
	return s->dg->errors == s->failed_errors && s->dg->stops == 0;
}

static bool
going_on(const struct site *s)
{
	return s->opts->checking && localized(s);
}

/*
 * Under --verbose, how long the phase that just ended took, and the most
 * memory the build (its main process, and the largest of the processes
 * it started: git, -j) had used by its end.
 */
static void
phase(const struct build_opts *opts, const char *name, double *tp)
{
	struct rusage self, kids;
	double t = mono_now();

	if (opts->verbose && getrusage(RUSAGE_SELF, &self) == 0 &&
	    getrusage(RUSAGE_CHILDREN, &kids) == 0) {
		fprintf(stderr, "docket: took %.3f s %s (memory: %ld MB",
		    t - *tp, name, self.ru_maxrss / 1024);
		if (kids.ru_maxrss > 0)
			fprintf(stderr, "; other processes: %ld MB",
			    kids.ru_maxrss / 1024);
		fputs(")\n", stderr);
	}
	*tp = t;
}

int
site_build(struct diag *dg, const struct build_opts *opts)
{
	struct site s;
	struct buf data = BUF_INIT;
	char *cfgpath = NULL, *out = NULL, *abs = NULL, *content = NULL;
	char *parent;
	const char *slash, *why;
	char real[PATH_MAX];
	struct pos outat;
	struct scan_state ss = { 0, false };
	size_t i;
	unsigned errors;
	bool kept_going = false;
	int status = 2;
	double t0 = mono_now(), tp = t0;

	memset(&s, 0, sizeof(s));
	s.dg = dg;
	s.opts = opts;
	s.dir = xstrdup(opts->source != NULL ? opts->source : ".");

	if (!is_dir(s.dir)) {
		diag_error(dg, NULL, "site folder '%s' not found", s.dir);
		goto out;
	}
	s.src = source_dir(s.dir);
	if (opts->as_of != NULL && open_as_of(&s) == -1) {
		if (s.hist != NULL && s.hist->damaged)
			status = 1;	/* an error in the history */
		goto out;
	}
	cfgpath = path_join(s.dir, "docket.yml");
	if (source_read(s.src, "docket.yml", &data) == -1) {
		if (errno == ENOENT && opts->as_of != NULL)
			diag_error(dg, NULL, "cannot read '%s': no docket.yml "
			    "in the site folder at commit %s", cfgpath,
			    s.hist->head_short);
		else if (errno == ENOENT)
			diag_error(dg, NULL, "no docket.yml in '%s': "
			    NOT_A_SITE, s.dir);
		else if (source_why(s.src) != NULL) {
			diag_error(dg, NULL, "cannot read %s",
			    source_why(s.src));
			status = 1;	/* a damaged repository */
		} else
			diag_error(dg, NULL, "cannot read '%s': %s", cfgpath,
			    file_strerror(errno));
		goto out;
	}
	if (config_load(&s.cfg, dg, "docket.yml", data.ptr, data.len) == -1)
		goto out;
	str_collate_language(s.cfg.language);
	/*
	 * Records are parsed on other threads while libgit2 and git start
	 * and the pages are read.
	 */
	if (opts->as_of == NULL && opts->jobs > 1)
		s.ahead = preparse_start(s.dir, dg, opts->jobs - 1,
		    !opts->no_history);
	if (opts->as_of == NULL && !opts->no_history &&
	    hist_open(&s.hist, dg, s.dir) == -1) {
		if (s.hist->damaged)
			status = 1;	/* an error in the history */
		goto out;
	}
	if (s.hist != NULL) {
		s.hist->drafts = opts->drafts;
		s.hist->log_procs = opts->jobs;
		s.hist->current = current_record;
		s.hist->current_arg = &s;
		hist_cache(s.hist, dg, opts->cache_dir);
	}
	if (opts->base_url != NULL) {
		if ((why = url_web_problem(opts->base_url)) != NULL) {
			diag_error(dg, NULL, "--base-url %s", why);
			goto out;
		}
		free(s.cfg.base_url);
		s.cfg.base_url = str_endswith(opts->base_url, "/") ?
		    xstrdup(opts->base_url) : xasprintf("%s/", opts->base_url);
	}
	out = opts->output != NULL ? xstrdup(opts->output) :
	    path_join(s.dir, s.cfg.output);
	outat = (struct pos){ "docket.yml", s.cfg.output_line,
	    s.cfg.output_col };
	if ((abs = abspath(out)) == NULL) {
		diag_error(dg, NULL, "cannot make output folder '%s': %s", out,
		    strerror(errno));
		goto out;
	}
	/* docket.yml's output stays in the site, symbolic links too. */
	if (opts->output == NULL && (realpath(s.dir, real) == NULL ||
	    !path_within(abs, real))) {
		diag_error(dg, outat.line > 0 ? &outat : NULL, "output folder "
		    "'%s' of docket.yml leads outside the site folder (use -o "
		    "to build elsewhere)", out);
		goto out;
	}
	if (check_output(&s, out, abs, opts->output == NULL &&
	    outat.line > 0 ? &outat : NULL) == -1)
		goto out;
	if (is_dir(abs))
		s.olddir = xstrdup(abs);

	/* git reads the history while the content is read. */
	if (s.hist != NULL && !opts->no_history)
		hist_prefetch(s.hist, &s.cfg);
	/* Read and check every input; stop before writing on any error. */
	if (source_type(s.src, "content") != SRC_DIR) {
		/* A path error, as a missing docket.yml is: not the site. */
		diag_error(dg, NULL, "no content/ folder in '%s': a site "
		    "keeps its pages in content/ (content/index.md is the "
		    "home page) and its records in content/vendors/", s.dir);
		status = 2;
		goto out;
	}
	status = 1;
	scan(&s, "", 0, &ss);
	drop_drafts(&s);
	preparse_end(s.ahead);
	s.ahead = NULL;
	if (s.recordsz > 1)
		qsort(s.records, s.recordsz, sizeof(*s.records), record_cmp);
	index_records(&s);
	s.authorities = facet_names_new(s.records, s.recordsz);
	phase(opts, "reading the content", &tp);
	if ((dg->errors > 0 && !localized(&s)) || sig_caught() != 0)
		goto out;
	if (check_collisions(&s) == -1)
		goto out;
	/*
	 * Under --strict an error, and the build goes on to tell the rest:
	 * it fails before the output is swapped in.
	 */
	if (s.hist != NULL && s.hist->repo == NULL)
		diag_warning(dg, NULL, "no git repository in '%s' or above it: "
		    "building without history; pass --no-history if that is "
		    "meant", s.dir);
	if (s.hist != NULL && !opts->no_history &&
	    hist_walk(s.hist, dg, &s.cfg) == -1)
		goto out;
	if (s.hist != NULL && s.hist->walked) {
		phase(opts, "reading the history", &tp);
		in_no_commit(&s);
	}
	/* The history's own pages, which it alone tells of. */
	if (s.hist != NULL && s.hist->walked && check_collisions(&s) == -1)
		goto out;
	check_nav(&s);
	if (opts->verbose && s.hist != NULL && s.hist->walked &&
	    s.hist->head[0] != '\0') {
		fprintf(stderr, "docket: history: %zu commit%s from the cache, "
		    "%zu read from git", s.hist->cache_reused,
		    s.hist->cache_reused == 1 ? "" : "s", s.hist->cache_walked);
		if (s.hist->log_native)
			fputs(" by comparing trees", stderr);
		else if (s.hist->log_used == 1)
			fputs(" by git log", stderr);
		else if (s.hist->log_used > 1)
			fprintf(stderr, " by %zu git processes",
			    s.hist->log_used);
		if (s.hist->log_missed > 0)
			fprintf(stderr, " (%zu of them by libgit2)",
			    s.hist->log_missed);
		fputc('\n', stderr);
	}
	s.tmpl = tmpl_set_new(dg, load_template, &s);
	tmpl_set_html_only(s.tmpl);
	if (sig_caught() != 0)
		goto out;

	/*
	 * Write everything beside the output, then swap it in; inside it
	 * when it is a mount point, which cannot be swapped.
	 */
	slash = strrchr(abs, '/');
	parent = xstrndup(abs, slash == abs ? 1 : (size_t)(slash - abs));
	remove_stale(parent, slash + 1);
	free(parent);
	if (s.olddir != NULL && (s.mounted = is_mount_point(abs))) {
		remove_stale(abs, "");
		s.tmpdir = xasprintf("%s/%s-new-%ld", abs, MARKER,
		    (long)getpid());
	} else
		s.tmpdir = xasprintf("%s.docket-new-%ld", abs, (long)getpid());
	if (!folder_ours(s.tmpdir) && access(s.tmpdir, F_OK) == 0) {
		diag_error(dg, NULL, "refusing to replace '%s': a folder docket "
		    "did not make (it has no %s file)", s.tmpdir, MARKER);
		free(s.tmpdir);
		s.tmpdir = NULL;
		status = 2;
		goto out;
	}
	/* Inside a mount point, hidden from a server of it until done. */
	if (remove_tree(s.tmpdir) == -1 || mkdir_p(s.tmpdir) == -1 ||
	    (s.mounted && chmod(s.tmpdir, 0700) == -1)) {
		diag_error(dg, NULL, "cannot make '%s': %s", s.tmpdir,
		    strerror(errno));
		status = 2;
		goto out;
	}
	if (site_write(&s, MARKER, "This folder was made by docket; "
	    "'docket build' replaces it whole.\n", 57) == -1) {
		status = 2;
		goto fail;
	}
	if ((model_render(&s) == -1 && !going_on(&s)) || sig_caught() != 0)
		goto fail;
	if (opts->verbose) {
		char *what = xasprintf("rendering the pages, feeds, search "
		    "and data in %u process%s", s.procs,
		    s.procs == 1 ? "" : "es");
		phase(opts, what, &tp);
		free(what);
	}
	if (copy_assets(&s) == -1)
		goto fail;	/* 2 when it could not write or read */
	for (i = 0; i < s.copiesz && sig_caught() == 0; i++)
		if (file_copy(&s, s.copies[i].src, s.copies[i].out) == -1)
			goto fail;	/* 2 when it could not write */
	/* The last moment a signal stops the build: the swap is not. */
	if ((dg->errors > 0 && !going_on(&s)) || sig_caught() != 0)
		goto fail;
	if ((s.mounted ? swap_entries(&s, abs) : swap_output(&s, abs)) == -1) {
		status = 2;
		goto fail;
	}
	for (i = 0; i < s.draftsz && opts->on_draft != NULL; i++)
		opts->on_draft(opts->on_failed_arg, s.drafts[i].src,
		    s.drafts[i].out);
	if (dg->errors > 0) {
		/* docket check's: it follows the links of what was rendered. */
		for (i = 0; i < s.failedsz && opts->on_failed != NULL; i++)
			opts->on_failed(opts->on_failed_arg, s.failed[i]);
		if (s.aliases_unknown != NULL &&
		    opts->on_aliases_unknown != NULL)
			opts->on_aliases_unknown(opts->on_failed_arg,
			    s.aliases_unknown);
		kept_going = true;
		goto out;
	}
	phase(opts, "copying files and swapping the output in", &tp);
	status = 0;
	diag_progress_end(dg);
	diag_flush(dg);
	if (!opts->quiet)
		fprintf(stderr, "docket: built %zu page%s and %zu record%s "
		    "from %zu commit%s (%zu file%s) in %.2f s into %s\n",
		    s.pagesz, s.pagesz == 1 ? "" : "s", s.recordsz,
		    s.recordsz == 1 ? "" : "s",
		    s.hist != NULL ? s.hist->commitsz : 0,
		    s.hist != NULL && s.hist->commitsz == 1 ? "" : "s",
		    s.written, s.written == 1 ? "" : "s", mono_now() - t0, out);
	goto out;
fail:
	if (s.io_failed)
		status = 2;	/* a full disk is no fault of the content */
	remove_tree(s.tmpdir);
out:
	preparse_end(s.ahead);	/* when the build stopped before the scan */
	hist_cache_wait(s.hist);	/* written while the pages were made */
	diag_progress_end(dg);
	/*
	 * Stopped by a signal, with the folder being built removed: main()
	 * says so, after the messages held.
	 */
	if (status != 0 && sig_caught() != 0)
		status = sig_status();
	/* Warnings docket check printed as errors are counted as such. */
	errors = dg->errors + (dg->warn_as_error ? dg->warnings : 0);
	/*
	 * docket check publishes nothing: no output folder to speak of.
	 * When it goes on to the links, it says how it ended itself.
	 */
	if (status != 0 && dg->errors > 0 && !kept_going &&
	    sig_caught() == 0) {
		diag_flush(dg);
		fprintf(stderr, "docket: %s failed: %u error%s%s\n",
		    opts->checking ? "check" : "build",
		    errors, errors == 1 ? "" : "s",
		    !opts->checking && (s.tmpdir != NULL || status == 1) ?
		    "; the output folder was left as it was" : "");
	}
	buf_release(&data);
	free(cfgpath);
	free(out);
	free(abs);
	free(content);
	if (status == 0 && site_keep_at_exit(&s)) {
		struct site *kept = xmalloc(sizeof(*kept));
		*kept = s;
		keep_at_exit(kept);
	} else
		site_release(&s);
	return status;
}
