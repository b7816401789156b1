/*
 * Runs the examples of the GitHub Flavored Markdown specification (the
 * spec.txt that cmark-gfm ships, gzipped or not) through docket's own
 * markdown path, as a page's body is rendered: md_render() with the
 * directives on, from a register of one record.
 *
 *	gfm_test [-v] SPEC	renders each example with raw HTML kept
 *				(unsafe_html) and compares it with the
 *				spec's HTML; then without, and compares it
 *				with cmark-gfm's own rendering (raw HTML
 *				left out); -v tells each listed difference
 *	gfm_test -s DIR SPEC	writes a site in DIR with a page per example
 *				(content/NNN.md) and a layout that shows the
 *				page's HTML alone, for docket build
 *	gfm_test -b OUT SPEC	compares each built page OUT/NNN/index.html
 *				with what the runner renders, byte for byte
 *
 * Before comparing, the ids docket gives headings (for ::toc and links to
 * them) are taken out. Every other difference must be in `differs`
 * below, with its reason, and every example there must still differ,
 * and as it says.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmark-gfm.h>
#include <zlib.h>

#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"
#include "../fuzz/register.h"
#include "site.h"
#include "source.h"
#include "util.h"

/*
 * The examples docket renders otherwise than the spec, on purpose; each
 * is told to authors in docs/README.md ("Markdown"). What docket makes of
 * them is checked too: with its extensions, cmark-gfm's own rendering;
 * with a URL scheme it does not allow, the spec's HTML without that link
 * (its text kept) and one warning.
 */
enum differ_kind {
	DIFF_EXTENSIONS,	/* table, strikethrough, autolink, tagfilter,
				   always, and no other */
	DIFF_SCHEME		/* the link is removed, with a warning */
};

static const struct differ {
	unsigned	 n;
	enum differ_kind kind;
	const char	*why;
} differs[] = {
	{ 140, DIFF_EXTENSIONS, "tagfilter: <script> is written as text" },
	{ 141, DIFF_EXTENSIONS, "tagfilter: <style> is written as text" },
	{ 142, DIFF_EXTENSIONS, "tagfilter: <style> is written as text" },
	{ 145, DIFF_EXTENSIONS, "tagfilter: <style> is written as text" },
	{ 147, DIFF_EXTENSIONS, "tagfilter: <script> is written as text" },
	{ 279, DIFF_EXTENSIONS, "no task lists: '[ ]', '[x]' stay text" },
	{ 280, DIFF_EXTENSIONS, "no task lists: '[ ]', '[x]' stay text" },
	{ 604, DIFF_SCHEME, "URL scheme irc: not allowed" },
	{ 606, DIFF_SCHEME, "URL scheme a+b+c: not allowed" },
	{ 607, DIFF_SCHEME, "URL scheme made-up-scheme: not allowed" },
	{ 609, DIFF_SCHEME, "URL scheme localhost: not allowed" },
	{ 610, DIFF_EXTENSIONS, "autolink: a bare URL in '<...>' is a link" },
	{ 614, DIFF_EXTENSIONS, "autolink: a bare address in '<...>' is a "
	    "link" },
	{ 616, DIFF_EXTENSIONS, "autolink: a bare URL in '<...>' is a link" },
	{ 619, DIFF_EXTENSIONS, "autolink: a bare URL is a link" },
	{ 620, DIFF_EXTENSIONS, "autolink: a bare address is a link" },
	{ 628, DIFF_SCHEME, "URL scheme ftp: not allowed" },
};

struct example {
	unsigned	 n;
	unsigned	 line;		/* of its opening fence in the spec */
	char		*ext;		/* the fence's extension, or "" */
	char		*md;
	char		*html;
};

static struct site site;
static struct dir_env env;
static struct diag dg;

static void
usage(void)
{
	fprintf(stderr, "usage: gfm_test [-v] [-s DIR | -b OUT] SPEC\n");
	exit(2);
}

/* The spec, gunzipped when it is gzipped (gzread() reads both). */
static int
read_spec(struct buf *out, const char *path)
{
	char chunk[65536];
	gzFile f;
	int n;

	if ((f = gzopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = gzread(f, chunk, sizeof(chunk))) > 0)
		buf_put(out, chunk, (size_t)n);
	if (n < 0) {
		fprintf(stderr, "%s: error: cannot read\n", path);
		gzclose(f);
		return -1;
	}
	gzclose(f);
	return 0;
}

/* Appends s to b with each "→" (the spec's way to show a tab) a tab. */
static void
put_tabs(struct buf *b, const char *s, size_t n)
{
	const char *p, *end = s + n;

	while (s < end) {
		if ((p = memmem(s, (size_t)(end - s), "\xe2\x86\x92", 3)) ==
		    NULL)
			p = end;
		buf_put(b, s, (size_t)(p - s));
		if (p == end)
			break;
		buf_putc(b, '\t');
		s = p + 3;
	}
}

#define FENCE	"```````````````````````````````` example"

/*
 * The examples: a line FENCE [extension], the markdown, a line ".", the
 * HTML, a line of 32 backticks. Returns the count, or -1 when the spec
 * is not laid out so.
 */
static long
parse_spec(struct example **out, const char *path, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *nl, *md = NULL, *html = NULL;
	struct example *ex = NULL, *e;
	struct buf b = BUF_INIT;
	size_t n = 0, k;
	unsigned line = 0, start = 0;
	enum { OUT, MD, HTML } state = OUT;

	for (; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		k = (size_t)(nl - p);
		switch (state) {
		case OUT:
			if (k >= sizeof(FENCE) - 1 &&
			    memcmp(p, FENCE, sizeof(FENCE) - 1) == 0) {
				ex = xreallocarray(ex, n + 1, sizeof(*ex));
				e = &ex[n++];
				e->n = (unsigned)n;
				e->line = start = line;
				e->md = e->html = NULL;
				e->ext = xstrndup(p + sizeof(FENCE) - 1,
				    k - (sizeof(FENCE) - 1));
				md = nl + 1;
				state = MD;
			}
			break;
		case MD:
			if (k == 1 && *p == '.') {
				buf_truncate(&b, 0);
				put_tabs(&b, md, (size_t)(p - md));
				ex[n - 1].md = xstrndup(b.ptr, b.len);
				html = nl + 1;
				state = HTML;
			}
			break;
		case HTML:
			if (k >= 32 && memcmp(p, FENCE, 32) == 0) {
				buf_truncate(&b, 0);
				put_tabs(&b, html, (size_t)(p - html));
				ex[n - 1].html = xstrndup(b.ptr, b.len);
				state = OUT;
			}
			break;
		}
		if (nl == end)
			break;
	}
	buf_release(&b);
	if (state != OUT || n == 0) {
		fprintf(stderr, "%s:%u: error: %s\n", path, start,
		    n == 0 ? "no examples" : "example not closed");
		*out = ex;
		return -1;
	}
	*out = ex;
	return (long)n;
}

/*
 * The example as a page's body: directives on, raw HTML kept. Returns
 * the number of errors and warnings it gave.
 */
static unsigned
render(struct buf *out, const struct example *e, bool unsafe, bool quiet)
{
	char path[32];
	struct md_src src = { .path = path, .line = 1, .unsafe_html = unsafe,
		.env = &env };
	unsigned before = dg.errors + dg.warnings;

	dg.quiet = quiet;
	snprintf(path, sizeof(path), "example-%u", e->n);
	src.text = e->md;
	src.len = strlen(e->md);
	md_render(out, &dg, &src);
	return dg.errors + dg.warnings - before;
}

/* Takes out the ids docket gives headings: <h2 id="slug"> is <h2>. */
static void
strip_heading_ids(struct buf *b)
{
	char *p = b->ptr, *end, *q;
	size_t w = 0, r = 0;

	if (b->len == 0)
		return;
	end = p + b->len;
	while (p + r < end) {
		if (end - (p + r) > 8 && p[r] == '<' && p[r + 1] == 'h' &&
		    p[r + 2] >= '1' && p[r + 2] <= '6' &&
		    memcmp(p + r + 3, " id=\"", 5) == 0 &&
		    (q = memchr(p + r + 8, '"', (size_t)(end - (p + r + 8)))) !=
		    NULL && q + 1 < end && q[1] == '>') {
			memmove(p + w, p + r, 3);
			w += 3;
			r = (size_t)(q + 1 - p);
			continue;
		}
		p[w++] = p[r++];
	}
	b->len = w;
	p[w] = '\0';
}

/* cmark-gfm's own HTML, with docket's extensions and raw HTML kept. */
static void
cmark_html(struct buf *out, const char *md, int options)
{
	cmark_parser *p = cmark_parser_new(options);
	cmark_node *doc;
	char *html;

	md_parser_gfm(p);
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, options,
	    cmark_parser_get_syntax_extensions(p));
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
}

/* The spec's HTML without the links url_safe() refuses: their text. */
static void
without_unsafe_links(struct buf *out, const char *html)
{
	const char *p = html, *a, *q, *end;
	char *url;
	bool safe;

	while ((a = strstr(p, "<a href=\"")) != NULL &&
	    (q = strchr(a + 9, '"')) != NULL && q[1] == '>' &&
	    (end = strstr(q, "</a>")) != NULL) {
		url = xstrndup(a + 9, (size_t)(q - (a + 9)));
		safe = url_safe(url);
		free(url);
		if (safe) {
			buf_put(out, p, (size_t)(end + 4 - p));
		} else {
			buf_put(out, p, (size_t)(a - p));
			buf_put(out, q + 2, (size_t)(end - (q + 2)));
		}
		p = end + 4;
	}
	buf_puts(out, p);
}

/*
 * Is docket's HTML (got, after msgs messages) for listed example e what
 * d says it differs by? Otherwise fills why.
 */
static bool
differs_as_listed(const struct differ *d, const struct example *e,
    const struct buf *got, unsigned msgs, const char **why)
{
	struct buf want = BUF_INIT;
	bool ok;

	if (d->kind == DIFF_EXTENSIONS) {
		cmark_html(&want, e->md, CMARK_OPT_UNSAFE);
		ok = msgs == 0 && strcmp(got->ptr, want.ptr) == 0;
		*why = "listed as differing by docket's extensions, but "
		    "not as cmark-gfm renders it with them";
	} else {
		without_unsafe_links(&want, e->html);
		ok = msgs == 1 && strcmp(got->ptr, want.ptr) == 0;
		*why = "listed as losing a link of a scheme not allowed, but "
		    "not the spec's HTML without it, with one warning";
	}
	buf_release(&want);
	return ok;
}

static const struct differ *
find_differ(unsigned n)
{
	size_t i;

	for (i = 0; i < NELEM(differs); i++)
		if (differs[i].n == n)
			return &differs[i];
	return NULL;
}

static void
show(const struct example *e, const char *spec, const char *what,
    const char *want, const struct buf *got, unsigned msgs)
{
	fprintf(stderr, "%s:%u: example %u%s%s: %s\n--- markdown\n%s"
	    "--- expected\n%s--- docket%s\n%s\n", spec, e->line, e->n,
	    *e->ext != '\0' ? " " : "", e->ext, what, e->md, want,
	    msgs > 0 ? " (and the messages above)" : "", got->ptr);
}

/*
 * Without unsafe_html, as a page is by default: cmark-gfm's own HTML
 * (raw HTML left out), with docket's extensions; a link of a scheme
 * docket does not allow is removed, with a warning, in this mode too.
 */
static bool
same_without_raw_html(const struct example *e, const struct differ *d,
    const char *spec)
{
	struct buf got = BUF_INIT, cm = BUF_INIT, want = BUF_INIT;
	unsigned msgs, expect = 0;
	bool same;

	msgs = render(&got, e, false, true);
	strip_heading_ids(&got);
	cmark_html(&cm, e->md, CMARK_OPT_DEFAULT);
	if (d != NULL && d->kind == DIFF_SCHEME) {
		without_unsafe_links(&want, cm.ptr);
		expect = 1;
	} else
		buf_put(&want, cm.ptr, cm.len);
	same = msgs == expect && strcmp(got.ptr, want.ptr) == 0;
	if (!same) {
		buf_truncate(&got, 0);
		render(&got, e, false, false);
		strip_heading_ids(&got);
		show(e, spec, "without unsafe_html, differs from cmark-gfm",
		    want.ptr, &got, msgs);
	}
	buf_release(&got);
	buf_release(&cm);
	buf_release(&want);
	return same;
}

static int
run(const struct example *ex, size_t n, const char *spec, bool verbose)
{
	struct buf got = BUF_INIT;
	const struct differ *d;
	const char *why;
	unsigned passed = 0, intended = 0, failed = 0, safe = 0, msgs;
	size_t i;
	bool same;

	for (i = 0; i < n; i++) {
		buf_truncate(&got, 0);
		msgs = render(&got, &ex[i], true, true);
		strip_heading_ids(&got);
		same = msgs == 0 && strcmp(got.ptr, ex[i].html) == 0;
		d = find_differ(ex[i].n);
		why = d != NULL ? "listed as differing but rendered as the "
		    "spec says" : "differs";
		if (same && d == NULL)
			passed++;
		else if (!same && d != NULL &&
		    differs_as_listed(d, &ex[i], &got, msgs, &why)) {
			intended++;
			if (verbose)
				fprintf(stderr, "example %u: differs: %s\n",
				    ex[i].n, d->why);
		} else {
			failed++;
			if (msgs > 0) {		/* told again, aloud */
				buf_truncate(&got, 0);
				render(&got, &ex[i], true, false);
				strip_heading_ids(&got);
			}
			show(&ex[i], spec, why, ex[i].html, &got, msgs);
		}
		if (same_without_raw_html(&ex[i], d, spec))
			safe++;
		else
			failed++;
	}
	buf_release(&got);
	printf("gfm spec: %u passed (%u of %zu without unsafe_html), %u differ "
	    "as documented, %u failed\n", passed, safe, n, intended, failed);
	return failed == 0 ? 0 : 1;
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A site of a page per example, each with the layout "spec", which
 * writes the page's HTML alone, and raw HTML kept.
 */
static int
write_site(const char *dir, const struct example *ex, size_t n)
{
	static const char yml[] = "title: GFM spec\nunsafe_html: true\n";
	static const char layout[] = "{{{page.content}}}";
	struct buf b = BUF_INIT;
	char *path;
	size_t i;
	int rc = 0;

	path = xasprintf("%s/content", dir);
	mkdir(dir, 0777);
	if (mkdir(path, 0777) == -1 && errno != EEXIST) {
		fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	path = xasprintf("%s/templates", dir);
	mkdir(path, 0777);
	free(path);
	path = xasprintf("%s/docket.yml", dir);
	rc |= write_file(path, yml, sizeof(yml) - 1);
	free(path);
	path = xasprintf("%s/templates/spec.html", dir);
	rc |= write_file(path, layout, sizeof(layout) - 1);
	free(path);
	for (i = 0; i < n && rc == 0; i++) {
		buf_truncate(&b, 0);
		buf_printf(&b, "---\ntitle: Example %u\nlayout: spec\n---\n%s",
		    ex[i].n, ex[i].md);
		path = xasprintf("%s/content/%03u.md", dir, ex[i].n);
		rc |= write_file(path, b.ptr, b.len);
		free(path);
	}
	buf_release(&b);
	return rc;
}

/* Each built page, byte for byte, against what render() makes of it. */
static int
compare_built(const char *outdir, const struct example *ex, size_t n)
{
	struct buf got = BUF_INIT, built = BUF_INIT;
	unsigned same = 0, failed = 0;
	char *path;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_truncate(&got, 0);
		buf_truncate(&built, 0);
		render(&got, &ex[i], true, true);
		path = xasprintf("%s/%03u/index.html", outdir, ex[i].n);
		if (read_spec(&built, path) == -1 || got.len != built.len ||
		    (got.len > 0 && memcmp(got.ptr, built.ptr, got.len) != 0)) {
			fprintf(stderr, "%s: differs from the runner's "
			    "rendering of example %u\n--- runner\n%s\n"
			    "--- build\n%s\n", path, ex[i].n,
			    got.ptr,
			    built.ptr);
			failed++;
		} else
			same++;
		free(path);
	}
	buf_release(&got);
	buf_release(&built);
	printf("gfm spec, built: %u passed, %u failed\n", same, failed);
	return failed == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	struct buf spec = BUF_INIT;
	struct example *ex = NULL;
	const char *site_dir = NULL, *built = NULL;
	bool verbose = false;
	long n;
	size_t i;
	int ch, rc;

	while ((ch = getopt(argc, argv, "b:s:v")) != -1) {
		switch (ch) {
		case 'b':
			built = optarg;
			break;
		case 's':
			site_dir = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || (site_dir != NULL && built != NULL))
		usage();
	if (read_spec(&spec, argv[optind]) == -1)
		return 1;
	if ((n = parse_spec(&ex, argv[optind], spec.ptr, spec.len)) == -1)
		return 1;
	diag_init(&dg);
	site.src = source_dir("/nonexistent-docket-gfm-spec");
	register_setup(&site, &env, &dg);
	if (site_dir != NULL)
		rc = write_site(site_dir, ex, (size_t)n) == 0 ? 0 : 1;
	else if (built != NULL)
		rc = compare_built(built, ex, (size_t)n);
	else
		rc = run(ex, (size_t)n, argv[optind], verbose);
	for (i = 0; i < (size_t)n; i++) {
		free(ex[i].ext);
		free(ex[i].md);
		free(ex[i].html);
	}
	free(ex);
	buf_release(&spec);
	diag_release(&dg);
	return rc;
}
