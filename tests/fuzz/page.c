/*
 * Fuzz target: a markdown page loaded from its bytes as a build loads it
 * (site_load_page(): its front matter, then its body), from a source of
 * the target's own that holds that one file. The first byte chooses
 * options (bit 0: drafts built; bit 1: raw HTML kept; bits 2-3: the
 * page's path, among names[]); the rest is the file. A page that loads,
 * and one held for errors in its front matter's values, has its layout
 * looked for and its body rendered with directives, from a register of
 * one record with the default templates, as tests/fuzz/markdown.c does;
 * then its layout is rendered with the page's values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "fuzz.h"
#include "markdown.h"
#include "record.h"
#include "register.h"
#include "site.h"
#include "source.h"
#include "template.h"
#include "util.h"

/* Where the page is, below content/. */
static const char *const names[] = {
	"a.md", "index.md", "about/index.md", "vendors/index.md"
};

/* The file of the source: content/<name>, and any other .md there. */
static const uint8_t *file;
static size_t filesz;
static const char *filename;

/* The page, and every other .md of content/, which it may include. */
static bool
mem_is_file(const char *rel)
{
	return strcmp(rel, filename) == 0 ||
	    (strncmp(rel, "content/", 8) == 0 && str_endswith(rel, ".md"));
}

static enum src_type
mem_type(struct source_tree *t, const char *rel)
{
	(void)t;
	if (mem_is_file(rel))
		return SRC_FILE;
	if (strcmp(rel, "content") == 0)
		return SRC_DIR;
	return SRC_NONE;
}

static int
mem_read(struct source_tree *t, const char *rel, struct buf *out)
{
	(void)t;
	if (!mem_is_file(rel)) {
		errno = ENOENT;
		return -1;
	}
	buf_put(out, (const char *)file, filesz);
	return 0;
}

static int
mem_list(struct source_tree *t, const char *rel, char ***out, size_t *outsz)
{
	(void)t;
	(void)rel;
	*out = NULL;
	*outsz = 0;
	errno = ENOENT;
	return -1;
}

static int
mem_copy(struct source_tree *t, const char *rel, const char *to)
{
	(void)t;
	(void)rel;
	(void)to;
	errno = EPERM;
	return -1;
}

static void
mem_free(struct source_tree *t)
{
	(void)t;
}

static const struct source_ops mem_ops = {
	mem_type, mem_read, mem_list, mem_copy, mem_free, NULL
};

static char treedir[] = "/nonexistent-docket-fuzz";
static struct source_tree tree = { &mem_ops, treedir, NULL };
static struct build_opts opts;
static struct site site;
static struct dir_env env;
static void
setup(struct diag *dg)
{
	site.opts = &opts;
	site.src = &tree;
	register_setup(&site, &env, dg);
}

/* What a build does with a page it has read: its layout, its body. */
static void
render(struct diag *dg, const struct page *pg, bool unsafe_html)
{
	struct md_src src = { .path = pg->src, .line = pg->bodyline,
		.text = pg->body, .len = pg->bodysz,
		.unsafe_html = unsafe_html, .env = &env };
	const char *layout = pg->layout != NULL ? pg->layout : "page";
	struct buf html = BUF_INIT, out = BUF_INIT;
	struct tval *ctx, *page;

	md_render(&html, dg, &src);
	if (!tmpl_exists(site.tmpl, layout)) {
		buf_release(&html);
		return;
	}
	ctx = tval_map();
	page = tval_map();
	tval_set_str(page, "title", pg->title);
	tval_set_str(page, "description", pg->description);
	tval_set(page, "params", tval_ref(pg->params));
	tval_set(ctx, "page", page);
	tval_set(ctx, "content", tval_html_own(buf_detach(&html)));
	tmpl_render_for(site.tmpl, layout, ctx, &out, pg->src);
	tval_free(ctx);
	buf_release(&out);
	buf_release(&html);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct diag dg;
	size_t i;

	if (size == 0)
		return 0;
	diag_init(&dg);
	dg.quiet = true;
	setup(&dg);
	site.dg = &dg;
	opts.drafts = (data[0] & 1) != 0;
	filename = xasprintf("content/%s", names[(data[0] >> 2) & 3]);
	file = data + 1;
	filesz = size - 1;
	site_load_page(&site, filename + strlen("content/"));
	for (i = 0; i < site.pagesz; i++)
		render(&dg, &site.pages[i], (data[0] & 2) != 0);
	for (i = 0; i < site.heldsz; i++)
		render(&dg, &site.held[i], (data[0] & 2) != 0);

	for (i = 0; i < site.pagesz; i++)
		site_page_release(&site.pages[i]);
	free(site.pages);
	site.pages = NULL;
	site.pagesz = 0;
	for (i = 0; i < site.heldsz; i++)
		site_page_release(&site.held[i]);
	free(site.held);
	site.held = NULL;
	site.heldsz = 0;
	source_list_free(site.failed, site.failedsz);
	site.failed = NULL;
	site.failedsz = 0;
	source_list_free(site.draft_dirs, site.draft_dirsz);
	site.draft_dirs = NULL;
	site.draft_dirsz = 0;
	free(site.aliases_unknown);
	site.aliases_unknown = NULL;
	free((char *)filename);
	diag_release(&dg);
	return 0;
}
