/*
 * docket: turns argv into options and dispatches.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "diag.h"
#include "record.h"
#include "site.h"

static const char usage_main[] =
"usage: docket COMMAND [ARGS]\n"
"\n"
"docket builds a static website from a register of software vendors kept\n"
"in a git repository: markdown pages and one XML record per vendor.\n"
"\n"
"Commands:\n"
"  build [SOURCE]     build the site in SOURCE (default: the current folder)\n"
"  help COMMAND       show the options of a command\n"
"\n"
"Options:\n"
"  --help             show this help\n"
"  --version          show docket's version\n"
"\n"
"Site authors' documentation: docs/ in docket's source, starting with\n"
"docs/README.md.\n";

static const char usage_build[] =
"usage: docket build [SOURCE] [-o DIR] [--base-url URL] [--drafts]\n"
"                    [--strict] [--diagnostics gcc|github] [-q | -v]\n"
"\n"
"Builds the site in SOURCE (default: the current folder) into the folder\n"
"named by 'output' in docket.yml (default: site/ in SOURCE). The output is\n"
"written beside the old one and swapped in when the build succeeds, so a\n"
"failed build leaves the old output as it was. docket replaces only a\n"
"folder it made itself (one with a .docket file in it) or an empty one.\n"
"\n"
"Options:\n"
"  -o, --output DIR     write into DIR (relative to the current folder)\n"
"  --base-url URL       the site's public address (overrides docket.yml);\n"
"                       links stay relative, canonical URLs use it\n"
"  --drafts             include pages and records marked as drafts\n"
"  --strict             treat every warning as an error\n"
"  --diagnostics FMT    gcc (path:line:col: error: ...) or github (workflow\n"
"                       commands); default github when GITHUB_ACTIONS=true\n"
"  -q, --quiet          print errors only\n"
"  -v, --verbose        say more about what is done\n"
"\n"
"Exit status: 0 built (warnings allowed), 1 errors in the content or\n"
"templates, 2 usage, docket.yml, path or I/O errors.\n";

/* Prints "docket: error: MSG 'ARG'" and the usage; returns 2. */
static int
usage_error(const char *msg, const char *arg, const char *usage)
{
	if (arg != NULL)
		fprintf(stderr, "docket: error: %s '%s'\n\n%s", msg, arg, usage);
	else
		fprintf(stderr, "docket: error: %s\n\n%s", msg, usage);
	return 2;
}

/* Takes an option's value: "--opt=value" or the next argument. */
static const char *
optval(int argc, char *argv[], int *i, const char *name)
{
	const char *a = argv[*i], *eq = strchr(a, '=');
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=' && eq == a + n)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool
is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);

	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int
cmd_build(int argc, char *argv[], struct diag *dg)
{
	struct build_opts o;
	const char *v, *a;
	int i;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_build, stdout);
			return 0;
		} else if (strcmp(a, "-o") == 0 || is_opt(a, "--output")) {
			if ((v = optval(argc, argv, &i, "--output")) == NULL)
				return usage_error("a folder must follow", a, usage_build);
			o.output = v;
		} else if (is_opt(a, "--base-url")) {
			if ((v = optval(argc, argv, &i, "--base-url")) == NULL)
				return usage_error("a URL must follow", a, usage_build);
			o.base_url = v;
		} else if (is_opt(a, "--diagnostics")) {
			if ((v = optval(argc, argv, &i, "--diagnostics")) == NULL)
				return usage_error("gcc or github must follow", a,
				    usage_build);
			if (strcmp(v, "gcc") == 0)
				dg->format = DIAG_GCC;
			else if (strcmp(v, "github") == 0)
				dg->format = DIAG_GITHUB;
			else
				return usage_error("unknown diagnostics format",
				    v, usage_build);
		} else if (strcmp(a, "--drafts") == 0)
			o.drafts = true;
		else if (strcmp(a, "--strict") == 0)
			dg->strict = true;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			o.quiet = dg->quiet = true;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			o.verbose = true;
		else if (a[0] == '-' && a[1] != '\0')
			return usage_error("unknown option", a, usage_build);
		else if (o.source != NULL)
			return usage_error("more than one site folder:", a,
			    usage_build);
		else
			o.source = a;
	}
	if (o.quiet && o.verbose)
		return usage_error("-q and -v cannot go together", NULL,
		    usage_build);
	return site_build(dg, &o);
}

int
main(int argc, char *argv[])
{
	struct diag dg;
	const char *gh = getenv("GITHUB_ACTIONS");
	int rc;

	/*
	 * Past a file size limit (ulimit -f), let write() fail with EFBIG and
	 * be reported like a full disk instead of killing the build midway.
	 */
	signal(SIGXFSZ, SIG_IGN);
	diag_init(&dg);
	if (gh != NULL && strcmp(gh, "true") == 0)
		dg.format = DIAG_GITHUB;
	if (argc < 2)
		return usage_error("no command given", NULL, usage_main);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("docket %s\n", DOCKET_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			fputs(usage_main, stdout);
			return 0;
		}
		if (strcmp(argv[2], "build") == 0) {
			fputs(usage_build, stdout);
			return 0;
		}
		return usage_error("no help for", argv[2], usage_main);
	}
	if (strcmp(argv[1], "build") == 0) {
		LIBXML_TEST_VERSION
		rc = cmd_build(argc - 1, argv + 1, &dg);
		record_cleanup();
		xmlCleanupParser();
		return rc;
	}
	return usage_error("unknown command", argv[1], usage_main);
}
