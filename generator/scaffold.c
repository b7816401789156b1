/*
 * docket new vendor ID: a new record to fill in, marked as a draft.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "record.h"
#include "scaffold.h"
#include "site.h"
#include "source.h"
#include "util.h"

/* "acme-corp" gives "Acme Corp": a name to start from. */
static void
put_name(struct buf *b, const char *id)
{
	bool start = true;

	for (; *id != '\0'; id++) {
		if (*id == '-') {
			buf_putc(b, ' ');
			start = true;
		} else {
			buf_putc(b, start && *id >= 'a' && *id <= 'z' ?
			    *id - 'a' + 'A' : *id);
			start = false;
		}
	}
}

void
scaffold_vendor_text(struct buf *b, const char *id, const char *today)
{
	struct buf name = BUF_INIT;

	put_name(&name, id);
	buf_printf(b,
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<!--\n"
"  Vendor record '%s', made by 'docket new vendor'. Every element docket\n"
"  knows is here, in the order the schema wants, with example values to\n"
"  replace; delete the optional ones you do not need. The record is a\n"
"  draft: it is built only with the drafts option (docket build, check or\n"
"  serve) until you remove draft=\"true\". See docs/records.md.\n"
"-->\n"
"<vendor id=\"%s\" draft=\"true\">\n"
"  <!-- The name the vendor is known by. -->\n"
"  <name>%s</name>\n"
"  <!-- Other names, one element each (optional, any number). -->\n"
"  <alias>%s Ltd</alias>\n"
"  <!-- Where it is based: ISO 3166-1 alpha-2 code, and the country. -->\n"
"  <country code=\"XX\">Unknown</country>\n"
"  <!-- Its website, http or https (optional). -->\n"
"  <website>https://www.example.org/</website>\n"
"  <!-- One of: approved, under-review, restricted, banned, lifted. -->\n"
"  <status>under-review</status>\n"
"  <!-- The products concerned (optional). -->\n"
"  <products>\n"
"    <product>Product name</product>\n"
"  </products>\n"
"  <!-- Who the vendor is and why it is in the register (markdown). -->\n"
"  <summary>\n"
"    One or two sentences about %s.\n"
"  </summary>\n"
"  <!--\n"
"    A government action (any number). The id is unique in this record\n"
"    and is the action's anchor on the vendor page. type is one of:\n"
"    directive, law, regulation, delisting, listing, hearing,\n"
"    investigation, guidance, sanction, lifting. A deadline is given as\n"
"    deadline-days=\"90\" or deadline=\"YYYY-MM-DD\" (optional, not both).\n"
"  -->\n"
"  <action id=\"first-action\" type=\"investigation\" date=\"%s\"\n"
"          authority=\"Authority\" deadline-days=\"90\">\n"
"    <!-- The action's title, as the authority gives it. -->\n"
"    <title>Title of the action</title>\n"
"    <!-- Whom or what it covers (optional). -->\n"
"    <scope>Federal information systems</scope>\n"
"    <!-- What it requires, and of whom (optional, markdown). -->\n"
"    <description>\n"
"      What the action does.\n"
"    </description>\n"
"    <!--\n"
"      Where it is documented (at least one): the address, its publisher\n"
"      and date; optionally when it was read and an archived copy.\n"
"    -->\n"
"    <source href=\"https://www.example.org/source\" publisher=\"Publisher\"\n"
"            date=\"%s\" accessed=\"%s\"\n"
"            archived=\"https://web.archive.org/web/https://www.example.org/source\"/>\n"
"  </action>\n"
"  <!-- What the vendor said, quoted (optional, any number; markdown). -->\n"
"  <response date=\"%s\" href=\"https://www.example.org/statement\">\n"
"    The vendor's statement.\n"
"  </response>\n"
"  <!-- Anything else readers should know (optional, markdown). -->\n"
"  <note>\n"
"    Editorial note.\n"
"  </note>\n"
"</vendor>\n",
	    id, id, name.ptr, name.ptr, name.ptr, today, today, today, today);
	buf_release(&name);
}

/* Today in UTC, or the day of SOURCE_DATE_EPOCH when it is set. */
static void
today_iso(struct buf *out)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct date d;
	char *end;
	long long t = (long long)time(NULL);

	if (sde != NULL && *sde != '\0') {
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0)
			t = v;
	}
	date_from_days(&d, (long)(t / 86400));
	date_iso(out, &d);
}

/*
 * Are content/ and content/vendors/ where the record goes, if they are
 * there, inside the site? A build refuses links that lead out of it or
 * into .git; the record is not written through one either. Returns 0, or
 * -1 after reporting as the build does.
 */
static int
check_folders(struct diag *dg, const char *source)
{
	static const char *const rels[] = { "content", "content/vendors" };
	struct source_tree *src = source_dir(source);
	struct pos p = { NULL, 0, 0 };
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < NELEM(rels); i++)
		if (source_type(src, rels[i]) == SRC_OUTSIDE) {
			p.path = rels[i];
			rc = diag_error(dg, &p, "symbolic link leads outside "
			    "the site folder, or into .git");
		}
	source_free(src);
	return rc;
}

int
scaffold_vendor(struct diag *dg, const char *source, const char *id)
{
	struct buf text = BUF_INIT, today = BUF_INIT;
	struct record *rec = NULL;
	char *dir = NULL, *path = NULL, *yml = NULL, *rel = NULL;
	int fd = -1, status = 2;

	if (source == NULL)
		source = ".";
	if (!id_valid(id)) {
		diag_error(dg, NULL, "invalid vendor id '%s' (" ID_RULE ")", id);
		goto out;
	}
	yml = path_join(source, "docket.yml");
	if (!is_file(yml)) {
		diag_error(dg, NULL, "no docket.yml in '%s': " NOT_A_SITE,
		    source);
		goto out;
	}
	rel = xasprintf("content/vendors/%s.xml", id);
	dir = path_join(source, "content/vendors");
	path = path_join(source, rel);
	today_iso(&today);
	scaffold_vendor_text(&text, id, today.ptr);
	/* The scaffold must itself be a valid record. */
	if (record_parse(&rec, dg, rel, text.ptr, text.len) == -1) {
		status = 1;
		goto out;
	}
	if (check_folders(dg, source) == -1) {
		status = 1;
		goto out;
	}
	if (mkdir_p(dir) == -1) {
		diag_error(dg, NULL, "cannot make '%s': %s", dir,
		    strerror(errno));
		goto out;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1) {
		if (errno == EEXIST)
			diag_error(dg, NULL, "'%s' already exists; docket new "
			    "does not replace files", path);
		else
			diag_error(dg, NULL, "cannot create '%s': %s", path,
			    strerror(errno));
		goto out;
	}
	if (write_all(fd, text.ptr, text.len) == -1) {
		diag_error(dg, NULL, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(path);
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		diag_error(dg, NULL, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(path);
		goto out;
	}
	fd = -1;
	printf("%s\n", path);
	status = 0;
out:
	if (fd != -1)
		close(fd);
	record_free(rec);
	buf_release(&text);
	buf_release(&today);
	free(dir);
	free(path);
	free(yml);
	free(rel);
	return status;
}
