/*
 * docket: turns argv into options and dispatches.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "check.h"
#include "diag.h"
#include "jobs.h"
#include "record.h"
#include "scaffold.h"
#include "serve.h"
#include "sig.h"
#include "site.h"
#include "util.h"

static const char usage_main[] =
"usage: docket COMMAND [ARGS]\n"
"\n"
"docket builds a static website from a register of software vendors kept\n"
"in a git repository: markdown pages and one XML record per vendor.\n"
"\n"
"Commands:\n"
"  build [SOURCE]     build the site in SOURCE (default: the current folder)\n"
"  check [SOURCE]     check the site and every internal link, writing nothing\n"
"  serve [SOURCE]     preview the site on 127.0.0.1:8000, rebuilt on change\n"
"  new vendor ID [SOURCE]\n"
"                     write content/vendors/ID.xml, a draft record to fill in\n"
"  help COMMAND       show the options of a command\n"
"\n"
"Options:\n"
"  --help             show this help\n"
"  --version          show docket's version\n"
"\n"
"Site authors' documentation: docs/ in docket's source, starting with\n"
"docs/README.md.\n";

static const char usage_build[] =
"usage: docket build [SOURCE] [-o DIR] [--as-of REV] [--base-url URL]\n"
"                    [--cache-dir DIR] [--drafts] [--no-history] [--strict]\n"
"                    [--diagnostics gcc|github] [-j N] [-q | -v]\n"
"\n"
"Builds the site in SOURCE (default: the current folder) into the folder\n"
"named by 'output' in docket.yml (default: site/ in SOURCE). The output is\n"
"written beside the old one (inside it when it is a mount point, then\n"
"moved in entry by entry) and swapped in when the build succeeds, so a\n"
"failed build leaves the old output as it was; a file with the same bytes\n"
"as before is linked from the old output, not written again. docket\n"
"replaces only a folder it made itself (one with a .docket file in it) or\n"
"an empty one. A link written in markdown, or in docket.yml's nav, that\n"
"leads to no page or file of the site is reported as a warning ('docket\n"
"check' follows every link).\n"
"\n"
"The history of every page and record (dates, commits, and what changed\n"
"in each record) is read from the git repository that holds SOURCE.\n"
"Without a repository the site is built without history, with a warning;\n"
"a shallow clone gives a warning and pages say \"history incomplete\".\n"
"What was read is kept in a cache, by commit, so that the next build reads\n"
"only the commits made since.\n"
"\n"
"Besides the pages, a build writes the open data (data/vendors.json,\n"
"data/vendors.csv, data/actions.csv), timeline/deadlines.ics, the search\n"
"index, Atom feeds, robots.txt (unless content/static/ or content/ has\n"
"one) and sitemap.xml (see docs/data.md).\n"
"\n"
"Options:\n"
"  -o, --output DIR     write into DIR (relative to the current folder)\n"
"  --as-of REV          build the site as it was at a commit, tag or date\n"
"                       (YYYY-MM-DD: the last commit made by the end of that\n"
"                       day in history.timezone), reading docket.yml,\n"
"                       templates and content from git, not the working tree\n"
"                       (not a search of commit messages, :/text)\n"
"  --no-history         do not read the git history at all (for previews:\n"
"                       no change lists, feeds, or pages at the addresses\n"
"                       of removed and renamed records)\n"
"  --cache-dir DIR      keep the history cache in DIR (default:\n"
"                       $XDG_CACHE_HOME/docket, else ~/.cache/docket)\n"
"  --base-url URL       the site's public address (overrides docket.yml;\n"
"                       no ?query or #fragment); links stay relative,\n"
"                       canonical URLs and sitemap.xml use it (without one\n"
"                       the sitemap is left out, with a warning); with\n"
"                       one, links name folders, not index.html: serve\n"
"                       the site rather than open its files from disk\n"
"  --drafts             include pages and records marked as drafts\n"
"  --strict             treat every warning as an error\n"
"  --diagnostics FMT    gcc (path:line:col: error: ...) or github (workflow\n"
"                       commands); default github when GITHUB_ACTIONS=true\n"
"  -j, --jobs N         work in up to N processes at once: threads\n"
"                       reading the history and parsing the records while\n"
"                       the pages are read (on very large folders, git\n"
"                       processes, a range of the commits each), and\n"
"                       processes rendering the pages (default: one per\n"
"                       processor, at most 16); the site and the messages\n"
"                       are the same for any N\n"
"  -q, --quiet          print errors only\n"
"  -v, --verbose        say more about what is done\n"
"\n"
"Exit status: 0 built (warnings allowed), 1 errors in the content,\n"
"templates or history (a damaged git repository too), 2 usage,\n"
"docket.yml, path or I/O errors. Interrupted (SIGINT, SIGTERM, SIGHUP),\n"
"the build removes the folder it was writing, leaves the output as it\n"
"was, and ends by the signal (status 130, 143 or 129 in a shell).\n";

static const char usage_check[] =
"usage: docket check [SOURCE] [--drafts] [--no-history]\n"
"                    [--diagnostics gcc|github] [-j N] [-q]\n"
"\n"
"Checks the site in SOURCE (default: the current folder) as 'docket build\n"
"--strict' does, writing nothing: the site is built into a temporary\n"
"folder that is removed afterwards ($TMPDIR, /dev/shm or /tmp, as\n"
"'docket serve' does). Then every internal link of every page is\n"
"followed: it must lead to a page or file of the site and, with\n"
"a fragment (#id), to an element with that id. A broken link written in\n"
"markdown is reported at its path:line:col; one made by a template names\n"
"the page it is on.\n"
"\n"
"Warnings are reported as errors, and neither they nor an error in one\n"
"page, record or directive stop the check: the rest of the site is built\n"
"and its links are followed in the same run. Links to a page or record\n"
"in error are left until it is fixed, and so are links to the status,\n"
"country, authority, type and timeline pages while a record is left\n"
"out. Other errors (a template, a damaged history) stop it before the\n"
"links.\n"
"\n"
"Options:\n"
"  --drafts             include pages and records marked as drafts\n"
"  --no-history         do not read the git history (a site outside git)\n"
"  --diagnostics FMT    gcc (path:line:col: error: ...) or github (workflow\n"
"                       commands); default github when GITHUB_ACTIONS=true\n"
"  -j, --jobs N         build and read the pages in up to N processes and\n"
"                       threads (default: one per processor, at most 16);\n"
"                       the messages are the same for any N\n"
"  -q, --quiet          print errors only (no summary line when all is\n"
"                       well)\n"
"\n"
"Exit status: 0 no problems, 1 errors in the content, templates, links\n"
"or history, 2 usage, docket.yml, path or I/O errors. Interrupted\n"
"(SIGINT, SIGTERM, SIGHUP), the check removes its temporary folder and\n"
"ends by the signal (status 130, 143 or 129 in a shell).\n";

static const char usage_serve[] =
"usage: docket serve [SOURCE] [--port N] [--bind ADDR] [--drafts] [-q]\n"
"\n"
"Builds the site in SOURCE (default: the current folder) into a temporary\n"
"folder and serves it on http://127.0.0.1:8000/ for preview. When a file\n"
"in content/ or templates/, or docket.yml, changes, or the repository's\n"
"HEAD moves (a commit, a checkout), the site is rebuilt and the pages\n"
"open in a browser reload themselves. A failed build shows its errors\n"
"in the browser while the last good build is still served.\n"
"The site's output folder is not touched. Ctrl-C stops the server and\n"
"removes the temporary folder: $TMPDIR when set, else /dev/shm (in\n"
"memory) when it has 1 GiB free, else /tmp.\n"
"\n"
"Only requests made to localhost, to an IP address or to the --bind name\n"
"are answered (421 Misdirected Request otherwise), so that no web page\n"
"elsewhere can read the preview through a name of its own.\n"
"\n"
"Options:\n"
"  --port N             listen on port N (default 8000; 0: any free port)\n"
"  --bind ADDR          listen on ADDR (default 127.0.0.1, this machine\n"
"                       only; 0.0.0.0 or :: lets other machines connect)\n"
"  --drafts             include pages and records marked as drafts\n"
"  -q, --quiet          print errors and the address only\n"
"\n"
"Exit status: 0 stopped, 2 usage errors, a missing site folder or\n"
"docket.yml, or an address that cannot be used.\n";

static const char usage_new[] =
"usage: docket new vendor ID [SOURCE]\n"
"\n"
"Writes content/vendors/ID.xml in the site folder SOURCE (default: the\n"
"current folder): a vendor record marked draft=\"true\" with every element\n"
"present, each explained by a comment, holding example values to replace.\n"
"A draft is built only with --drafts; remove draft=\"true\" to publish it.\n"
"The path of the new file is printed. An existing file is never replaced.\n"
"\n"
"ID is made of a-z, 0-9 and '-', starts with a letter or digit, and is\n"
"the vendor's address: vendors/ID/.\n"
"\n"
"Exit status: 0 written, 1 a content/ or content/vendors/ that is a\n"
"symbolic link out of the site or into .git, 2 a bad ID, no docket.yml in\n"
"SOURCE, an existing file, or an I/O error.\n";

/*
 * Prints "docket: error: MSG 'ARG'" and where the usage of cmd is told
 * ("build"; NULL: docket's own); returns 2. The usage itself is left to
 * 'docket help CMD', as git and hugo do, so that the error stays in view.
 */
static int
usage_error(const char *cmd, const char *msg, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "docket: error: %s '%s'\n", msg, arg);
	else
		fprintf(stderr, "docket: error: %s\n", msg);
	if (cmd != NULL)
		fprintf(stderr, "see 'docket help %s'\n", cmd);
	else
		fputs("see 'docket --help'\n", stderr);
	return 2;
}

/*
 * "unknown option 'A'" (what: "option", "command"), with the one name
 * of names A is likely a slip for; returns 2.
 */
static int
unknown(const char *cmd, const char *what, const char *a,
    const char *const *names)
{
	char name[64];
	const char *meant = NULL;
	size_t n = strcspn(a, "=");

	if (n < sizeof(name)) {
		memcpy(name, a, n);
		name[n] = '\0';
		meant = str_closest(name, names);
	}
	if (meant != NULL)
		fprintf(stderr, "docket: error: unknown %s '%s' (did you mean "
		    "'%s'?)\n", what, a, meant);
	else
		fprintf(stderr, "docket: error: unknown %s '%s'\n", what, a);
	if (cmd != NULL)
		fprintf(stderr, "see 'docket help %s'\n", cmd);
	else
		fputs("see 'docket --help'\n", stderr);
	return 2;
}

/* The long options of each command, for "did you mean". */
static const char *const opts_main[] = { "--help", "--version", NULL };
static const char *const opts_build[] = {
	"--output", "--as-of", "--no-history", "--cache-dir", "--base-url",
	"--drafts", "--strict", "--diagnostics", "--jobs", "--quiet",
	"--verbose", "--help", NULL
};
static const char *const opts_check[] = {
	"--drafts", "--no-history", "--diagnostics", "--jobs", "--quiet",
	"--help", NULL
};
static const char *const opts_serve[] = {
	"--port", "--bind", "--drafts", "--quiet", "--help", NULL
};
static const char *const opts_new[] = { "--help", NULL };
static const char *const command_names[] = {
	"build", "check", "serve", "new", "help", NULL
};

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

/* Reads the value of --diagnostics. Returns 0, or 2 after a usage error. */
static int
diag_format(struct diag *dg, const char *opt, const char *v, const char *cmd)
{
	if (v == NULL)
		return usage_error(cmd, "gcc or github must follow", opt);
	if (strcmp(v, "gcc") == 0)
		dg->format = DIAG_GCC;
	else if (strcmp(v, "github") == 0)
		dg->format = DIAG_GITHUB;
	else
		return usage_error(cmd, "unknown diagnostics format", v);
	return 0;
}

/*
 * Takes the number after -j, -jN or --jobs at argv[*i] into *jobs. Returns
 * 0, or 2 after a usage error.
 */
static int
opt_jobs(const char *cmd, int argc, char *argv[], int *i, unsigned *jobs)
{
	const char *a = argv[*i], *v;
	unsigned long n;
	char *end;

	if (a[1] == 'j' && a[2] != '\0')
		v = a + 2;	/* -j4, as make takes it */
	else if ((v = optval(argc, argv, i, a[1] == 'j' ? "-j" :
	    "--jobs")) == NULL)
		return usage_error(cmd, "a number of jobs must follow", a);
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || n < 1 || n > 256)
		return usage_error(cmd, "not a number of jobs (1 to 256):", v);
	*jobs = (unsigned)n;
	return 0;
}

static int
cmd_check(int argc, char *argv[], struct diag *dg)
{
	struct check_opts o;
	const char *a;
	int i;

	memset(&o, 0, sizeof(o));
	o.jobs = jobs_default();
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_check, stdout);
			return 0;
		} else if (is_opt(a, "--diagnostics")) {
			if (diag_format(dg, a, optval(argc, argv, &i,
			    "--diagnostics"), "check") != 0)
				return 2;
		} else if (strcmp(a, "--drafts") == 0)
			o.drafts = true;
		else if (strcmp(a, "--no-history") == 0)
			o.no_history = true;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			o.quiet = true;
		else if (strncmp(a, "-j", 2) == 0 || is_opt(a, "--jobs")) {
			if (opt_jobs("check", argc, argv, &i, &o.jobs) != 0)
				return 2;
		} else if (a[0] == '-' && a[1] != '\0')
			return unknown("check", "option", a, opts_check);
		else if (o.source != NULL)
			return usage_error("check",
			    "more than one site folder:", a);
		else
			o.source = a;
	}
	if (dg->format == DIAG_GITHUB)
		diag_set_root(dg, o.source != NULL ? o.source : ".");
	dg->progress = !o.quiet && isatty(STDERR_FILENO);
	return check_run(dg, &o);
}

static int
cmd_serve(int argc, char *argv[], struct diag *dg)
{
	struct serve_opts o;
	const char *v, *a;
	char *end;
	unsigned long port;
	int i;

	memset(&o, 0, sizeof(o));
	o.bind = "127.0.0.1";
	o.port = 8000;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_serve, stdout);
			return 0;
		} else if (is_opt(a, "--port")) {
			if ((v = optval(argc, argv, &i, "--port")) == NULL)
				return usage_error("serve",
				    "a port number must follow", a);
			port = strtoul(v, &end, 10);
			if (*v < '0' || *v > '9' || *end != '\0' || port > 65535)
				return usage_error("serve",
				    "not a port number (0 to 65535):", v);
			o.port = (unsigned)port;
		} else if (is_opt(a, "--bind")) {
			if ((v = optval(argc, argv, &i, "--bind")) == NULL ||
			    *v == '\0')
				return usage_error("serve",
				    "an address must follow", a);
			o.bind = v;
		} else if (strcmp(a, "--drafts") == 0)
			o.drafts = true;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			o.quiet = dg->quiet = true;
		else if (a[0] == '-' && a[1] != '\0')
			return unknown("serve", "option", a, opts_serve);
		else if (o.source != NULL)
			return usage_error("serve",
			    "more than one site folder:", a);
		else
			o.source = a;
	}
	dg->progress = !o.quiet && isatty(STDERR_FILENO);
	return serve_run(dg, &o);
}

static int
cmd_new(int argc, char *argv[], struct diag *dg)
{
	const char *args[3] = { NULL, NULL, NULL };
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(usage_new, stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return unknown("new", "option", argv[i], opts_new);
		if (n == 3)
			return usage_error("new",
			    "too many arguments:", argv[i]);
		args[n++] = argv[i];
	}
	if (n == 0)
		return usage_error("new", "say what to make: 'vendor ID'",
		    NULL);
	if (strcmp(args[0], "vendor") != 0)
		return usage_error("new", "docket new makes only 'vendor', not",
		    args[0]);
	if (n < 2)
		return usage_error("new", "a vendor ID must follow 'vendor'",
		    NULL);
	return scaffold_vendor(dg, args[2], args[1]);
}

static int
cmd_build(int argc, char *argv[], struct diag *dg)
{
	struct build_opts o;
	const char *v, *a;
	int i;

	memset(&o, 0, sizeof(o));
	o.jobs = jobs_default();
	o.exiting = true;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_build, stdout);
			return 0;
		} else if (strcmp(a, "-o") == 0 || is_opt(a, "--output")) {
			if ((v = optval(argc, argv, &i, "--output")) == NULL)
				return usage_error("build",
				    "a folder must follow", a);
			o.output = v;
		} else if (is_opt(a, "--as-of")) {
			if ((v = optval(argc, argv, &i, "--as-of")) == NULL)
				return usage_error("build",
				    "a revision or date must follow", a);
			o.as_of = v;
		} else if (is_opt(a, "--base-url")) {
			if ((v = optval(argc, argv, &i, "--base-url")) == NULL)
				return usage_error("build", "a URL must follow",
				    a);
			if (strpbrk(v, "?#") != NULL)
				return usage_error("build", "--base-url must "
				    "not hold a query (?) or a fragment (#):", v);
			o.base_url = v;
		} else if (is_opt(a, "--cache-dir")) {
			if ((v = optval(argc, argv, &i, "--cache-dir")) == NULL ||
			    *v == '\0')
				return usage_error("build",
				    "a folder must follow", a);
			o.cache_dir = v;
		} else if (is_opt(a, "--diagnostics")) {
			if (diag_format(dg, a, optval(argc, argv, &i,
			    "--diagnostics"), "build") != 0)
				return 2;
		} else if (strcmp(a, "--drafts") == 0)
			o.drafts = true;
		else if (strcmp(a, "--no-history") == 0)
			o.no_history = true;
		else if (strcmp(a, "--strict") == 0)
			dg->strict = true;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			o.quiet = dg->quiet = true;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			o.verbose = true;
		else if (strncmp(a, "-j", 2) == 0 || is_opt(a, "--jobs")) {
			if (opt_jobs("build", argc, argv, &i, &o.jobs) != 0)
				return 2;
		} else if (a[0] == '-' && a[1] != '\0')
			return unknown("build", "option", a, opts_build);
		else if (o.source != NULL)
			return usage_error("build",
			    "more than one site folder:", a);
		else
			o.source = a;
	}
	if (o.quiet && o.verbose)
		return usage_error("build", "-q and -v cannot go together",
		    NULL);
	if (dg->format == DIAG_GITHUB)
		diag_set_root(dg, o.source != NULL ? o.source : ".");
	dg->progress = !o.quiet && isatty(STDERR_FILENO);
	return site_build(dg, &o);
}

/*
 * The commands. Those that stop on SIGINT, SIGTERM and SIGHUP (sig.h)
 * clean up after themselves first; with `stopped`, what they say then.
 */
static const struct {
	const char	*name;
	int		(*fn)(int, char *[], struct diag *);
	const char	*usage;
	bool		 catches;
	const char	*stopped;
} commands[] = {
	{ "build", cmd_build, usage_build, true,
	    "build interrupted; the output folder was left as it was" },
	{ "check", cmd_check, usage_check, true, "check interrupted" },
	{ "serve", cmd_serve, usage_serve, true, NULL },
	{ "new", cmd_new, usage_new, false, NULL },
};

int
main(int argc, char *argv[])
{
	struct diag dg;
	const char *gh = getenv("GITHUB_ACTIONS");
	size_t i;
	int rc, sig;

	/*
	 * Past a file size limit (ulimit -f), let write() fail with EFBIG and
	 * be reported like a full disk instead of killing the build midway.
	 */
	signal(SIGXFSZ, SIG_IGN);
	/* Inherited as ignored, it would take the status of git and of -j. */
	signal(SIGCHLD, SIG_DFL);
	diag_init(&dg);
	/* Messages are printed at the end, by file and line: diag_flush(). */
	dg.ordered = true;
	if (gh != NULL && strcmp(gh, "true") == 0)
		dg.format = DIAG_GITHUB;
	if (argc < 2) {
		fprintf(stderr, "docket: error: no command given\n\n%s",
		    usage_main);
		return 2;
	}
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
		for (i = 0; i < NELEM(commands); i++)
			if (strcmp(argv[2], commands[i].name) == 0) {
				fputs(commands[i].usage, stdout);
				return 0;
			}
		if (strcmp(argv[2], "help") == 0) {
			fputs(usage_main, stdout);
			return 0;
		}
		return unknown(NULL, "command", argv[2], command_names);
	}
	for (i = 0; i < NELEM(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			LIBXML_TEST_VERSION
			if (commands[i].catches && sig_catch() == -1) {
				fprintf(stderr, "docket: error: pipe: %s\n",
				    strerror(errno));
				return 2;
			}
			rc = commands[i].fn(argc - 1, argv + 1, &dg);
			diag_flush(&dg);
			/*
			 * Stopped by a signal, once the command has removed
			 * what it was writing: what it found, then its end.
			 */
			if ((sig = sig_caught()) != 0 && rc == sig_status() &&
			    commands[i].stopped != NULL) {
				fprintf(stderr, "docket: %s\n",
				    commands[i].stopped);
				fflush(stdout);
				sig_raise(sig);
			}
			sig_release();
			diag_release(&dg);
			record_cleanup();
			xmlCleanupParser();
			return rc;
		}
	if (argv[1][0] == '-')
		return unknown(NULL, "option", argv[1], opts_main);
	return unknown(NULL, "command", argv[1], command_names);
}
