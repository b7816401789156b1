/*
 * Runs the directive examples of spec.txt, in cmark's spec format:
 *
 *	```````````````````````````````` example
 *	markdown
 *	.
 *	expected HTML
 *	.
 *	expected diagnostics (optional)
 *	````````````````````````````````
 *
 * Each example becomes content/ex.md of a copy of site/ (whose page
 * template writes the page's HTML alone) and is built by docket; the
 * HTML and the diagnostics must match byte for byte, and an example with
 * an error must fail the build with exit status 1.
 *
 *	run DOCKET SPECDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FENCE	"````````````````````````````````"

struct example {
	int	 line;
	char	*md, *html, *diag;
};

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(s);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

static int
spit(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	fputs(s, f);
	return fclose(f);
}

/* Appends a line to *dst; the spec writes tabs as the arrow U+2192. */
static void
addline(char **dst, const char *line, size_t n)
{
	size_t old = *dst != NULL ? strlen(*dst) : 0, i, j;
	char *s = realloc(*dst, old + n * 3 + 2);

	if (s == NULL)
		abort();
	for (i = 0, j = old; i < n; i++) {
		if ((unsigned char)line[i] == 0xe2 && i + 2 < n &&
		    (unsigned char)line[i + 1] == 0x86 &&
		    (unsigned char)line[i + 2] == 0x92) {
			s[j++] = '\t';
			i += 2;
		} else
			s[j++] = line[i];
	}
	s[j++] = '\n';
	s[j] = '\0';
	*dst = s;
}

/*
 * Drops the summary lines ("docket: built ...", "docket: build failed ...")
 * and the warning every build of a site without base_url gives (no
 * sitemap): neither belongs to an example.
 */
static void
drop_summary(char *s)
{
	char *p = s, *nl, *w = s;
	size_t n;

	for (; *p != '\0'; p = nl) {
		nl = strchr(p, '\n');
		nl = nl != NULL ? nl + 1 : p + strlen(p);
		n = (size_t)(nl - p);
		if (strncmp(p, "docket: buil", 12) == 0 ||
		    strncmp(p, "docket: warning: no base_url", 28) == 0)
			continue;
		memmove(w, p, n);
		w += n;
	}
	*w = '\0';
}

int
main(int argc, char *argv[])
{
	char *spec, *p, *nl, *out, *err, cmd[4096], tmp[] = "/tmp/docket-spec-XXXXXX";
	struct example ex;
	int line = 0, state = 0, status, passed = 0, failed = 0, n = 0;
	size_t len;

	if (argc != 3) {
		fprintf(stderr, "usage: run DOCKET SPECDIR\n");
		return 2;
	}
	snprintf(cmd, sizeof(cmd), "%s/spec.txt", argv[2]);
	if ((spec = slurp(cmd)) == NULL || mkdtemp(tmp) == NULL) {
		perror(cmd);
		return 2;
	}
	memset(&ex, 0, sizeof(ex));
	for (p = spec; *p != '\0'; p = nl + 1) {
		line++;
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (state == 0) {
			if (len >= 40 && strncmp(p, FENCE " example", 40) == 0) {
				state = 1;
				ex.line = line;
			}
		} else if (len == 32 && strncmp(p, FENCE, 32) == 0) {
			/* Build the example and compare. */
			n++;
			snprintf(cmd, sizeof(cmd), "rm -rf %s/s %s/o && cp -R %s/site "
			    "%s/s && mkdir -p %s/s/content", tmp, tmp, argv[2], tmp, tmp);
			if (system(cmd) != 0)
				return 2;
			snprintf(cmd, sizeof(cmd), "%s/s/content/ex.md", tmp);
			spit(cmd, ex.md != NULL ? ex.md : "");
			snprintf(cmd, sizeof(cmd), "TZ=UTC LC_ALL=C %s build %s/s -o "
			    "%s/o --no-history 2>%s/err; echo $? >%s/status", argv[1], tmp,
			    tmp, tmp, tmp);
			if (system(cmd) == -1)
				return 2;
			snprintf(cmd, sizeof(cmd), "%s/status", tmp);
			out = slurp(cmd);
			status = out != NULL ? atoi(out) : 99;
			free(out);
			snprintf(cmd, sizeof(cmd), "%s/o/ex/index.html", tmp);
			out = slurp(cmd);
			snprintf(cmd, sizeof(cmd), "%s/err", tmp);
			err = slurp(cmd);
			if (out == NULL)
				out = strdup("");
			if (err == NULL)
				err = strdup("");
			drop_summary(err);
			if (ex.html == NULL)
				ex.html = strdup("");
			if (ex.diag == NULL)
				ex.diag = strdup("");
			if (strcmp(out, ex.html) == 0 && strcmp(err, ex.diag) == 0 &&
			    (status == 0) == (strstr(ex.diag, ": error: ") == NULL)) {
				passed++;
			} else {
				failed++;
				printf("FAIL example %d (spec.txt line %d), exit %d\n"
				    "--- markdown\n%s--- want HTML\n%s--- got HTML\n%s"
				    "--- want diagnostics\n%s--- got diagnostics\n%s\n",
				    n, ex.line, status, ex.md ? ex.md : "", ex.html, out,
				    ex.diag, err);
			}
			free(out);
			free(err);
			free(ex.md);
			free(ex.html);
			free(ex.diag);
			memset(&ex, 0, sizeof(ex));
			state = 0;
		} else if (len == 1 && *p == '.' && state < 3) {
			state++;
		} else {
			addline(state == 1 ? &ex.md : state == 2 ? &ex.html :
			    &ex.diag, p, len);
		}
		if (*nl == '\0')
			break;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	system(cmd);
	free(spec);
	printf("directives spec: %d passed, %d failed\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
