/*
 * The floor of a build, for the benchmark: in one process, read every file
 * under a folder, render every markdown file with cmark-gfm (the same
 * extensions docket uses) and write one output file for each.
 *
 *   floor SRC OUT
 */
#define _DEFAULT_SOURCE
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

static const char *const exts[] = {
	"table", "strikethrough", "autolink", "tagfilter"
};
static unsigned long files, pages;

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n + 1)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

static void
render(const char *path, const char *out)
{
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_node *doc;
	cmark_syntax_extension *e;
	size_t len, i;
	char *src = slurp(path, &len), *html;
	FILE *f;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if ((e = cmark_find_syntax_extension(exts[i])) != NULL)
			cmark_parser_attach_syntax_extension(p, e);
	cmark_parser_feed(p, src, len);
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT,
	    cmark_parser_get_syntax_extensions(p));
	if ((f = fopen(out, "wb")) == NULL ||
	    fwrite(html, 1, strlen(html), f) != strlen(html) || fclose(f) != 0) {
		fprintf(stderr, "floor: %s: %s\n", out, strerror(errno));
		exit(1);
	}
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
	free(src);
	pages++;
}

static void
walk(const char *dir, const char *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char path[4096], to[4096];
	size_t n;

	if (d == NULL) {
		fprintf(stderr, "floor: %s: %s\n", dir, strerror(errno));
		exit(1);
	}
	mkdir(out, 0777);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", out, de->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, to);
			continue;
		}
		n = strlen(to);
		if (n > 3 && strcmp(to + n - 3, ".md") == 0) {
			strcpy(to + n - 3, ".html");
			render(path, to);
		} else {
			free(slurp(path, &n));	/* read, as a build reads records */
		}
		files++;
	}
	closedir(d);
}

int
main(int argc, char *argv[])
{
	if (argc != 3) {
		fprintf(stderr, "usage: floor SRC OUT\n");
		return 2;
	}
	cmark_gfm_core_extensions_ensure_registered();
	walk(argv[1], argv[2]);
	fprintf(stderr, "floor: read %lu files, rendered %lu pages\n", files,
	    pages);
	return 0;
}
