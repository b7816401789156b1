/*
 * No script from content: every text, markdown and URL field of records,
 * front matter, pages and docket.yml gets each payload of a table, the
 * site is built, and every HTML file written is parsed with libxml2's
 * HTML parser. No element or attribute may appear that a build of the
 * same site with harmless text does not make, no attribute may be an
 * event handler, and every URL must be http, https, mailto or relative.
 */
#define _DEFAULT_SOURCE	/* mkdtemp */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "unit.h"
#include "buf.h"
#include "diag.h"
#include "site.h"
#include "util.h"

/* Payloads for text and markdown fields. */
static const char *const text_payloads[] = {
	"<script>alert(1)</script>",
	"\"><script>alert(1)</script>",
	"'><img src=x onerror=alert(1)>",
	"\" onmouseover=\"alert(1)\" x=\"",
	"' onmouseover='alert(1)' x='",
	"</title><script>alert(1)</script>",
	"</script><script>alert(1)</script>",
	"<svg onload=alert(1)><a xlink:href=\"javascript:alert(1)\">x</a></svg>",
	"<iframe src=\"javascript:alert(1)\"></iframe>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<style>*{background:url(javascript:alert(1))}</style>",
	"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1))",
	"[x](&#106;avascript:alert(1)) [y](java&#9;script:alert(1))",
	"[x](&#x20;javascript:alert(1)) <javascript:alert(1)>",
	"![x](data:image/svg+xml,<svg/onload=alert(1)>) [d](data:text/html,x)",
	"[v](vbscript:msgbox(1)) [f](file:///etc/passwd) [t](tel:1)",
	"[r][ref]\n\n[ref]: javascript:alert(1)",
	"{{site.title}} {{{page.content}}} {{#x}}{{/x}}",
};

/* Payloads for URL fields: refused, or written so that they are safe. */
static const char *const url_payloads[] = {
	"javascript:alert(1)",
	"JaVaScRiPt:alert(1)",
	" javascript:alert(1)",
	"java\tscript:alert(1)",
	"&#106;avascript:alert(1)",
	"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
	"vbscript:msgbox(1)",
	"https://example.org/\"><script>alert(1)</script>",
	"https://example.org/' onmouseover='alert(1)",
	"//example.org/x",
};

/* Appends s escaped for an XML text or attribute value. */
static void
put_xml(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '<': BUF_PUTSL(b, "&lt;"); break;
		case '>': BUF_PUTSL(b, "&gt;"); break;
		case '&': BUF_PUTSL(b, "&amp;"); break;
		case '"': BUF_PUTSL(b, "&quot;"); break;
		case '\n': BUF_PUTSL(b, "&#10;"); break;
		case '\t': BUF_PUTSL(b, "&#9;"); break;
		default: buf_putc(b, *s);
		}
}

/* Appends s as a double-quoted YAML scalar. */
static void
put_yaml(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++)
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			BUF_PUTSL(b, "\\n");
		else if (*s == '\t')
			BUF_PUTSL(b, "\\t");
		else
			buf_putc(b, *s);
	buf_putc(b, '"');
}

static void
write_file(const char *dir, const char *rel, const struct buf *b)
{
	char *path = path_join(dir, rel);

	if (file_write(path, b->ptr, b->len) == -1)
		die("cannot write %s", path);
	free(path);
}

/*
 * Writes a site: text and md fill every text and markdown field, url
 * every URL field (a harmless one when NULL).
 */
static void
write_site(const char *dir, const char *text, const char *md,
    const char *url)
{
	struct buf b = BUF_INIT;
	const char *u = url != NULL ? url : "https://example.org/";

	BUF_PUTSL(&b, "title: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\ndescription: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\nlicense: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\nbase_url: ");
	put_yaml(&b, url != NULL ? url : "https://example.org/register/");
	BUF_PUTSL(&b, "\nrepo_url: ");
	put_yaml(&b, u);
	BUF_PUTSL(&b, "\nnav:\n  - title: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\n    url: ");
	put_yaml(&b, url != NULL ? url : "/about/");
	BUF_PUTSL(&b, "\n  - title: Vendors\n    url: /vendors/\n");
	write_file(dir, "docket.yml", &b);
	buf_truncate(&b, 0);

	BUF_PUTSL(&b, "---\ntitle: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\ndescription: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\nx: ");
	put_yaml(&b, text);
	BUF_PUTSL(&b, "\n---\n\n");
	buf_puts(&b, md);
	BUF_PUTSL(&b, "\n\n- ");
	buf_puts(&b, md);
	BUF_PUTSL(&b, "\n\n> ");
	buf_puts(&b, md);
	BUF_PUTSL(&b, "\n\n| a |\n| - |\n| ");
	buf_puts(&b, md);
	BUF_PUTSL(&b, " |\n");
	write_file(dir, "content/about.md", &b);
	buf_truncate(&b, 0);
	BUF_PUTSL(&b, "---\ntitle: Home\n---\n\n");
	buf_puts(&b, md);
	buf_putc(&b, '\n');
	write_file(dir, "content/index.md", &b);
	buf_truncate(&b, 0);

	BUF_PUTSL(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<vendor id=\"acme\">\n<name>");
	put_xml(&b, text);
	BUF_PUTSL(&b, "</name>\n<alias>");
	put_xml(&b, text);
	BUF_PUTSL(&b, "</alias>\n<country code=\"US\">");
	put_xml(&b, text);
	BUF_PUTSL(&b, "</country>\n<website>");
	put_xml(&b, u);
	BUF_PUTSL(&b, "</website>\n<status>banned</status>\n"
	    "<products><product>");
	put_xml(&b, text);
	BUF_PUTSL(&b, "</product></products>\n<summary>");
	put_xml(&b, md);
	BUF_PUTSL(&b, "</summary>\n<action id=\"a\" type=\"directive\" "
	    "date=\"2017-09-13\" authority=\"");
	put_xml(&b, text);
	BUF_PUTSL(&b, "\" deadline-days=\"90\">\n<title>");
	put_xml(&b, text);
	BUF_PUTSL(&b, "</title>\n<scope>");
	put_xml(&b, text);
	BUF_PUTSL(&b, "</scope>\n<description>");
	put_xml(&b, md);
	BUF_PUTSL(&b, "</description>\n<source href=\"");
	put_xml(&b, u);
	BUF_PUTSL(&b, "\" publisher=\"");
	put_xml(&b, text);
	BUF_PUTSL(&b, "\" date=\"2017-09-13\" archived=\"");
	put_xml(&b, u);
	BUF_PUTSL(&b, "\"/>\n</action>\n<response date=\"2017-09-14\" href=\"");
	put_xml(&b, u);
	BUF_PUTSL(&b, "\">");
	put_xml(&b, md);
	BUF_PUTSL(&b, "</response>\n<note>");
	put_xml(&b, md);
	BUF_PUTSL(&b, "</note>\n</vendor>\n");
	write_file(dir, "content/vendors/acme.xml", &b);
	buf_release(&b);
}

/* Element and attribute names seen, as "el" and "el@attr" lines. */
struct names {
	struct buf	b;
};

static bool
names_has(const struct names *n, const char *s)
{
	const char *p = n->b.ptr;
	size_t len = strlen(s);

	while ((p = strstr(p, s)) != NULL) {
		if ((p == n->b.ptr || p[-1] == '\n') && p[len] == '\n')
			return true;
		p += len;
	}
	return false;
}

static void
names_add(struct names *n, const char *s)
{
	if (!names_has(n, s)) {
		buf_puts(&n->b, s);
		buf_putc(&n->b, '\n');
	}
}

/*
 * An independent URL check: after dropping what browsers drop, the
 * scheme, if any, must be http, https or mailto.
 */
static bool
url_ok(const char *url)
{
	char s[64];
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)url;

	while (*p != '\0' && *p <= ' ')
		p++;
	for (; *p != '\0' && n + 1 < sizeof(s); p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':' || *p == '/' || *p == '?' || *p == '#')
			break;
		s[n++] = (char)tolower(*p);
	}
	s[n] = '\0';
	if (*p != ':')
		return true;
	return strcmp(s, "http") == 0 || strcmp(s, "https") == 0 ||
	    strcmp(s, "mailto") == 0;
}

static bool
url_attr(const char *name)
{
	static const char *const names[] = {
		"href", "src", "action", "formaction", "poster", "srcset",
		"data", "background", "cite", "ping", "xlink:href"
	};
	size_t i;

	for (i = 0; i < NELEM(names); i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

struct check {
	struct names	*allowed;	/* NULL: record into seen */
	struct names	 seen;
	unsigned	 bad;
	unsigned	 texts;		/* text nodes holding "alert(1)" */
	unsigned	 mustache;	/* text nodes holding "{{site.title}}" */
	const char	*file;
};

static void
check_init(struct check *c, struct names *allowed)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->seen.b);
	c->allowed = allowed;
}

static void
complain(struct check *c, const char *what, const char *name)
{
	c->bad++;
	if (c->allowed != NULL)
		fprintf(stderr, "%s: %s '%s'\n", c->file, what, name);
}

static void
walk(struct check *c, xmlNodePtr n)
{
	xmlAttrPtr a;
	xmlChar *v;
	char key[256];

	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content != NULL) {
			if (strstr((const char *)n->content, "alert(1)"))
				c->texts++;
			if (strstr((const char *)n->content, "{{site.title}}"))
				c->mustache++;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		snprintf(key, sizeof(key), "%s", (const char *)n->name);
		if (c->allowed != NULL && !names_has(c->allowed, key))
			complain(c, "element", key);
		names_add(&c->seen, key);
		for (a = n->properties; a != NULL; a = a->next) {
			snprintf(key, sizeof(key), "%s@%s",
			    (const char *)n->name, (const char *)a->name);
			if (strncasecmp((const char *)a->name, "on", 2) == 0)
				complain(c, "event handler", key);
			if (c->allowed != NULL && !names_has(c->allowed, key))
				complain(c, "attribute", key);
			names_add(&c->seen, key);
			v = xmlNodeGetContent((xmlNodePtr)a);
			if (v != NULL && url_attr((const char *)a->name) &&
			    !url_ok((const char *)v))
				complain(c, "URL", (const char *)v);
			if (v != NULL && strcasecmp((const char *)a->name,
			    "content") == 0 && strstr((const char *)v, "url=")
			    != NULL && !url_ok(strstr((const char *)v,
			    "url=") + 4))
				complain(c, "refresh URL", (const char *)v);
			xmlFree(v);
		}
		walk(c, n->children);
	}
}

static void
check_html(struct check *c, const char *path, const char *data, size_t len)
{
	htmlDocPtr doc;

	c->file = path;
	doc = htmlReadMemory(data, (int)len, path, "UTF-8", HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc == NULL) {
		complain(c, "unparsable HTML", path);
		return;
	}
	walk(c, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

/* Checks every .html file below dir. Returns the number of files. */
static unsigned
check_tree(struct check *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct buf b = BUF_INIT;
	char *path;
	unsigned n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		if (is_dir(path))
			n += check_tree(c, path);
		else if (str_endswith(path, ".html") && file_read(&b, path) == 0) {
			check_html(c, path, b.ptr, b.len);
			n++;
		}
		buf_truncate(&b, 0);
		free(path);
	}
	closedir(d);
	buf_release(&b);
	return n;
}

/* Builds the site in dir into dir/out; returns the exit status. */
static int
build(const char *dir)
{
	struct diag dg;
	struct build_opts o;
	char *out = path_join(dir, "out");
	char *err;
	int status;

	memset(&o, 0, sizeof(o));
	o.source = dir;
	o.output = out;
	o.quiet = true;
	diag_init(&dg);
	dg.quiet = true;
	unit_capture_start();
	status = site_build(&dg, &o);
	err = unit_capture_end();
	free(err);
	free(out);
	return status;
}

static char *
new_site(void)
{
	char tmpl[] = "/tmp/docket-xss-XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		die("mkdtemp");
	return xstrdup(tmpl);
}

/* The names a harmless build makes, with the same markdown constructs. */
static void
baseline(struct names *out)
{
	char *dir = new_site(), *o;
	struct check c;

	check_init(&c, NULL);
	write_site(dir, "Harmless text", "Some *text*, [a link](https://"
	    "example.org/) and ![an image](a.png).\n\n[r][ref] <https://"
	    "example.org/>\n\n[ref]: https://example.org/", NULL);
	CHECK_INT(build(dir), 0);
	o = path_join(dir, "out");
	CHECK(check_tree(&c, o) >= 5);
	CHECK_INT(c.bad, 0);
	*out = c.seen;
	free(o);
	remove_tree(dir);
	free(dir);
}

/* The checker itself finds what it is meant to find. */
void
test_xss__checker(void)
{
	static const char *const bad[] = {
		"<p onclick=\"x()\">a</p>",
		"<a href=\"javascript:alert(1)\">a</a>",
		"<a href=\" JaVa&#x09;Script:alert(1)\">a</a>",
		"<img src=\"data:image/png,x\">",
		"<script>alert(1)</script>",
		"<meta http-equiv=\"refresh\" content=\"0; url=javascript:x\">",
		"<p><svg><a xlink:href=\"javascript:x\">a</a></svg></p>",
	};
	struct names allowed;
	struct check c;
	size_t i;

	buf_init(&allowed.b);
	names_add(&allowed, "html");
	names_add(&allowed, "head");
	names_add(&allowed, "body");
	names_add(&allowed, "p");
	names_add(&allowed, "p@onclick");
	names_add(&allowed, "a");
	names_add(&allowed, "a@href");
	names_add(&allowed, "img");
	names_add(&allowed, "img@src");
	names_add(&allowed, "meta");
	names_add(&allowed, "meta@http-equiv");
	names_add(&allowed, "meta@content");
	for (i = 0; i < NELEM(bad); i++) {
		check_init(&c, &allowed);
		unit_capture_start();
		check_html(&c, "t.html", bad[i], strlen(bad[i]));
		free(unit_capture_end());
		CHECK(c.bad > 0);
		buf_release(&c.seen.b);
	}
	check_init(&c, &allowed);
	check_html(&c, "t.html", "<p>a <a href=\"../x/\">b</a> "
	    "<a href=\"mailto:a@example.org\">c</a></p>", 60);
	CHECK_INT(c.bad, 0);
	buf_release(&c.seen.b);
	buf_release(&allowed.b);
}

void
test_xss__text_fields(void)
{
	struct names allowed;
	struct check c;
	char *dir, *o;
	size_t i;

	baseline(&allowed);
	for (i = 0; i < NELEM(text_payloads); i++) {
		dir = new_site();
		write_site(dir, text_payloads[i], text_payloads[i], NULL);
		check_init(&c, &allowed);
		o = path_join(dir, "out");
		/* Warnings for removed links are fine; errors are not. */
		CHECK_INT(build(dir), 0);
		CHECK(check_tree(&c, o) >= 5);
		if (c.bad > 0)
			fprintf(stderr, "payload %zu: %s\n", i, text_payloads[i]);
		CHECK_INT(c.bad, 0);
		/* The text was written, as text. */
		if (strstr(text_payloads[i], "alert(1)") != NULL &&
		    text_payloads[i][0] != '[' && text_payloads[i][0] != '!')
			CHECK(c.texts > 0);
		if (text_payloads[i][0] == '{')
			CHECK(c.mustache > 0);
		buf_release(&c.seen.b);
		free(o);
		remove_tree(dir);
		free(dir);
	}
	buf_release(&allowed.b);
}

void
test_xss__url_fields(void)
{
	struct names allowed;
	struct check c;
	char *dir, *o;
	size_t i;
	int status;

	baseline(&allowed);
	for (i = 0; i < NELEM(url_payloads); i++) {
		dir = new_site();
		write_site(dir, "Harmless", "Harmless", url_payloads[i]);
		check_init(&c, &allowed);
		o = path_join(dir, "out");
		status = build(dir);
		/* A URL that is not http(s) is refused... */
		CHECK(status != 0 || str_startswith(url_payloads[i], "https:"));
		/* ...and whatever was built is safe. */
		if (status == 0)
			CHECK(check_tree(&c, o) >= 5);
		if (c.bad > 0)
			fprintf(stderr, "payload %zu: %s\n", i, url_payloads[i]);
		CHECK_INT(c.bad, 0);
		buf_release(&c.seen.b);
		free(o);
		remove_tree(dir);
		free(dir);
	}
	buf_release(&allowed.b);
}
