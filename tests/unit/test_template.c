/*
 * Unit tests of template.c: the data tree, rendering, error messages and
 * their positions, and the nesting bound.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "buf.h"
#include "diag.h"
#include "template.h"
#include "util.h"

/* Prototypes for -Wmissing-prototypes: the list main.c uses. */
#define T(name) void name(void);
#include "tests.h"
#undef T

struct loader_arg {
	const char	**files;	/* name, source, ..., NULL */
	unsigned	  calls;
};

/* Serves the templates of arg->files as "<name>" files. */
static int
loader(void *arg, const char *name, struct buf *src, const char **path)
{
	struct loader_arg *la = arg;
	size_t i;

	la->calls++;
	for (i = 0; la->files[i] != NULL; i += 2)
		if (strcmp(la->files[i], name) == 0) {
			buf_puts(src, la->files[i + 1]);
			*path = la->files[i];
			return 1;
		}
	return 0;
}

/*
 * Renders template "t.html" from `files` (name, source pairs) with data.
 * Returns the output, or NULL if tmpl_render() failed; sets *err to what
 * was printed on stderr. The caller frees both.
 */
static char *
render_files(const char **files, const struct tval *data, char **err)
{
	struct loader_arg la = { files, 0 };
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct diag dg;
	char *res = NULL;

	diag_init(&dg);
	set = tmpl_set_new(&dg, loader, &la);
	unit_capture_start();
	if (tmpl_render(set, "t.html", data, &out) == 0)
		res = buf_detach(&out);
	*err = unit_capture_end();
	tmpl_set_free(set);
	buf_release(&out);
	return res;
}

/* Renders src as "t.html". */
static char *
render_src(const char *src, const struct tval *data, char **err)
{
	const char *files[] = { "t.html", src, NULL };

	return render_files(files, data, err);
}

/* Checks that src renders to want without errors. */
static void
check_render(const char *src, const struct tval *data, const char *want)
{
	char *err, *got = render_src(src, data, &err);

	CHECK_STR(got, want);
	CHECK_STR(err, "");
	free(got);
	free(err);
}

/* Checks that src fails with exactly the messages want. */
static void
check_error(const char *src, const char *want)
{
	char *err, *got = render_src(src, NULL, &err);

	CHECK(got == NULL);
	CHECK_STR(err, want);
	free(got);
	free(err);
}

void
test_template__tval_build(void)
{
	struct tval *m = tval_map(), *l = tval_list(), *shared;

	tval_set_str(m, "s", "text");
	tval_set_num(m, "n", 2.5);
	tval_set_bool(m, "b", true);
	tval_set(m, "z", tval_null());
	tval_set(m, "nul", tval_str(NULL));
	tval_set(m, "own", tval_str_own(xstrdup("mine")));
	tval_set(m, "part", tval_strn("abcdef", 3));
	tval_push(l, tval_str("x"));
	tval_push(l, tval_num(1));
	tval_set(m, "list", l);
	shared = tval_str("both");
	tval_push(l, tval_ref(shared));
	tval_set(m, "shared", shared);

	CHECK_INT(tval_type(m), TVAL_MAP);
	CHECK_STR(tval_get_str(m, "s"), "text");
	CHECK_STR(tval_get_str(m, "own"), "mine");
	CHECK_STR(tval_get_str(m, "part"), "abc");
	CHECK_INT(tval_type(tval_get(m, "n")), TVAL_NUM);
	CHECK_INT(tval_type(tval_get(m, "b")), TVAL_BOOL);
	CHECK_INT(tval_type(tval_get(m, "z")), TVAL_NULL);
	CHECK_INT(tval_type(tval_get(m, "nul")), TVAL_NULL);
	CHECK(tval_get(m, "missing") == NULL);
	CHECK(tval_get_str(m, "n") == NULL);
	CHECK(tval_get(l, "s") == NULL);
	CHECK_INT(tval_len(tval_get(m, "list")), 3);
	CHECK_INT(tval_len(m), 0);
	CHECK_STR(tval_strval(tval_at(l, 0)), "x");
	CHECK(tval_strval(tval_at(l, 1)) == NULL);
	CHECK(tval_at(l, 3) == NULL);
	CHECK(tval_at(l, 2) == tval_get(m, "shared"));

	/* Setting a key again replaces its value. */
	tval_set_str(m, "s", "new");
	CHECK_STR(tval_get_str(m, "s"), "new");
	tval_free(m);
	tval_free(NULL);
}

void
test_template__tval_big_map(void)
{
	struct tval *m = tval_map();
	char key[32];
	int i, found = 0;

	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		tval_set_num(m, key, i);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		if (tval_type(tval_get(m, key)) == TVAL_NUM)
			found++;
	}
	CHECK_INT(found, 1000);
	tval_set_str(m, "key500", "replaced");
	CHECK_STR(tval_get_str(m, "key500"), "replaced");
	CHECK(tval_get(m, "key1000") == NULL);
	tval_free(m);
}

/* A map whose keys no map had before, made on a thread of its own. */
static void *
thread_map(void *arg)
{
	struct tval *m = tval_map();

	tval_set_str(m, arg, "thread");
	tval_set_str(m, "threads-only key", "both");
	return m;
}

/*
 * Keys first set on threads (tval_threads()) outlive them: kept, and
 * found after, by maps made on any thread (under LeakSanitizer: still
 * held once the threads have ended).
 */
void
test_template__tval_threads(void)
{
	static char ka[] = "threads-a key", kb[] = "threads-b key";
	struct tval *a, *b, *c = tval_map();
	pthread_t ta, tb;

	tval_threads(true);
	CHECK(pthread_create(&ta, NULL, thread_map, ka) == 0);
	CHECK(pthread_create(&tb, NULL, thread_map, kb) == 0);
	tval_set_str(c, "threads-only key", "main");
	CHECK(pthread_join(ta, (void **)&a) == 0);
	CHECK(pthread_join(tb, (void **)&b) == 0);
	tval_threads(false);
	tval_set_str(c, "threads-a key", "after");

	CHECK_STR(tval_get_str(a, "threads-a key"), "thread");
	CHECK_STR(tval_get_str(b, "threads-b key"), "thread");
	CHECK(tval_get(a, "threads-b key") == NULL);
	CHECK_STR(tval_get_str(a, "threads-only key"), "both");
	CHECK_STR(tval_get_str(b, "threads-only key"), "both");
	CHECK_STR(tval_get_str(c, "threads-only key"), "main");
	CHECK_STR(tval_get_str(c, "threads-a key"), "after");
	tval_free(a);
	tval_free(b);
	tval_free(c);
}

/* A map over a base: its own keys first, then the base's. */
void
test_template__tval_map_over(void)
{
	struct tval *base = tval_map(), *a, *b, *l = tval_list();
	struct tval *m = tval_map();

	tval_set_str(base, "id", "c0ffee");
	tval_set_str(base, "short", "c0f");
	tval_set_bool(base, "author", false);
	a = tval_map_over(tval_ref(base));
	b = tval_map_over(tval_ref(base));
	tval_set_str(a, "note", "first");
	tval_set_str(b, "short", "mine");
	CHECK_STR(tval_get_str(a, "id"), "c0ffee");
	CHECK_STR(tval_get_str(a, "short"), "c0f");
	CHECK_STR(tval_get_str(a, "note"), "first");
	CHECK_STR(tval_get_str(b, "short"), "mine");
	CHECK(tval_get(b, "note") == NULL);
	CHECK(tval_get(base, "note") == NULL);
	tval_push(l, a);
	tval_push(l, b);
	tval_free(base);	/* a and b hold it */
	tval_set(m, "list", l);
	check_render("{{#list}}{{short}}/{{id}}/{{note}}{{^author}}-{{/author}} "
	    "{{/list}}", m, "c0f/c0ffee/first- mine/c0ffee/- ");
	tval_free(m);
}

void
test_template__render_values(void)
{
	struct tval *m = tval_map(), *l = tval_list(), *sub = tval_map();

	tval_set_str(m, "html", "<a href=\"x\">Tom & Jerry's</a>");
	tval_set_num(m, "int", 85);
	tval_set_num(m, "neg", -3);
	tval_set_num(m, "dec", 1.21);
	tval_set_num(m, "third", 1.0 / 3);
	tval_set_bool(m, "yes", true);
	tval_set_bool(m, "no", false);
	tval_set(m, "nil", tval_null());
	tval_set_str(m, "empty", "");
	tval_set(m, "list", l);
	tval_set(m, "sub", sub);
	tval_set_str(sub, "name", "inner");
	tval_push(l, tval_str("a"));
	tval_push(l, tval_str("b"));

	check_render("{{html}}|{{{html}}}|{{& html}}", m,
	    "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;|"
	    "<a href=\"x\">Tom & Jerry's</a>|<a href=\"x\">Tom & Jerry's</a>");
	check_render("{{int}} {{neg}} {{dec}} {{third}}", m,
	    "85 -3 1.21 0.3333333333333333");
	check_render("{{yes}} {{no}} [{{nil}}] [{{missing}}] [{{list}}]", m,
	    "true false [] [] []");
	check_render("{{#list}}<{{.}}>{{/list}}{{^list}}none{{/list}}", m,
	    "<a><b>");
	check_render("{{#empty}}x{{/empty}}{{^empty}}empty is false{{/empty}}",
	    m, "empty is false");
	check_render("{{#sub}}{{name}} {{int}}{{/sub}} {{sub.name}}", m,
	    "inner 85 inner");
	check_render("{{#no}}x{{/no}}{{#nil}}x{{/nil}}{{^int}}x{{/int}}.", m,
	    ".");
	check_render("{{.}}", NULL, "");
	tval_free(m);
}

void
test_template__partials_and_inheritance(void)
{
	const char *files[] = {
		"t.html",
		"{{<layout}}\n"
		"{{$title}}My page{{/title}}\n"
		"{{$body}}\n"
		"  <p>{{text}}</p>\n"
		"{{/body}}\n"
		"{{/layout}}\n",
		"layout",
		"<title>{{$title}}Site{{/title}}</title>\n"
		"<body>\n"
		"  {{>nav}}\n"
		"  {{$body}}\n"
		"  {{/body}}\n"
		"</body>\n",
		"nav",
		"<nav>\n"
		"{{#links}}\n"
		"  <a>{{.}}</a>\n"
		"{{/links}}\n"
		"</nav>\n",
		NULL
	};
	struct tval *m = tval_map(), *l = tval_list();
	char *err, *got;

	tval_set_str(m, "text", "Hello");
	tval_push(l, tval_str("one"));
	tval_push(l, tval_str("two"));
	tval_set(m, "links", l);
	got = render_files(files, m, &err);
	CHECK_STR(got,
	    "<title>My page</title>\n"
	    "<body>\n"
	    "  <nav>\n"
	    "    <a>one</a>\n"
	    "    <a>two</a>\n"
	    "  </nav>\n"
	    "  <p>Hello</p>\n"
	    "</body>\n");
	CHECK_STR(err, "");
	free(got);
	free(err);
	tval_free(m);
}

void
test_template__missing_partial(void)
{
	char *err, *got;

	/* Nothing, as the specification says, but a site author is told. */
	got = render_src("a{{>nope}}b{{<nope2}}{{$x}}y{{/x}}{{/nope2}}c", NULL,
	    &err);
	CHECK_STR(got, "abc");
	CHECK_STR(err, "t.html:1:2: warning: partial \"nope\" not found; it "
	    "renders as nothing\nt.html:1:12: warning: parent \"nope2\" not "
	    "found; it renders as nothing\n");
	free(got);
	free(err);
}

/* Renders t.html of files; returns what was printed (caller frees). */
static char *
render_diag(const char **files, const struct tval *data, bool strict,
    bool prepare, int *rc, unsigned *warnings)
{
	struct loader_arg la = { files, 0 };
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct diag dg;
	char *err;

	diag_init(&dg);
	dg.strict = strict;
	set = tmpl_set_new(&dg, loader, &la);
	unit_capture_start();
	if (prepare)
		tmpl_prepare(set, "t.html");
	*rc = tmpl_render(set, "t.html", data, &out);
	err = unit_capture_end();
	*warnings = dg.warnings + dg.errors;
	tmpl_set_free(set);
	buf_release(&out);
	return err;
}

void
test_template__missing_partial_checks(void)
{
	const char *files[] = { "t.html", "{{>p}}\n  {{>headr}}\n{{>headr}}",
	    "p", "{{>headr}}", NULL };
	const char *dyn[] = { "t.html", "{{#l}}{{>*which}}{{/l}}", "card", "C",
	    NULL };
	struct tval *m = tval_map(), *l = tval_list(), *it;
	unsigned n;
	char *err;
	int rc;

	/* Once per template and name, found before rendering by prepare. */
	err = render_diag(files, NULL, false, true, &rc, &n);
	CHECK_INT(rc, 0);
	CHECK_INT(n, 2);
	CHECK_STR(err, "p:1:1: warning: partial \"headr\" not found; it "
	    "renders as nothing\nt.html:2:3: warning: partial \"headr\" not "
	    "found; it renders as nothing\n");
	free(err);
	/* An error with --strict, and the render fails. */
	err = render_diag(files, NULL, true, false, &rc, &n);
	CHECK_INT(rc, -1);
	CHECK_STR(err, "p:1:1: error: partial \"headr\" not found; it "
	    "renders as nothing\n");
	free(err);
	/* A dynamic name: none, whatever it resolves to. */
	err = render_diag(dyn, NULL, false, true, &rc, &n);
	CHECK_INT(rc, 0);
	CHECK_STR(err, "");
	free(err);
	it = tval_map(), tval_set_str(it, "which", "card"), tval_push(l, it);
	it = tval_map(), tval_set_str(it, "which", "crad"), tval_push(l, it);
	it = tval_map(), tval_set_str(it, "which", "crad"), tval_push(l, it);
	tval_set(m, "l", l);
	err = render_diag(dyn, m, false, true, &rc, &n);
	CHECK_INT(rc, 0);
	CHECK_INT(n, 0);
	CHECK_STR(err, "");
	free(err);
	tval_free(m);
}

void
test_template__missing_template(void)
{
	struct loader_arg la = { NULL, 0 };
	const char *files[] = { NULL };
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct diag dg;
	char *err;

	la.files = files;
	diag_init(&dg);
	set = tmpl_set_new(&dg, loader, &la);
	CHECK(!tmpl_exists(set, "nope"));
	unit_capture_start();
	CHECK_INT(tmpl_render(set, "nope", NULL, &out), -1);
	err = unit_capture_end();
	CHECK_STR(err, "docket: error: no template 'nope'\n");
	CHECK_INT(dg.errors, 1);
	/* The loader was asked once: the answer is kept. */
	CHECK_INT(la.calls, 1);
	tmpl_set_add(set, "nope", "now {{x}}", 9, "added.html");
	CHECK(tmpl_exists(set, "nope"));
	CHECK_INT(tmpl_render(set, "nope", NULL, &out), 0);
	CHECK_STR(out.ptr, "now ");
	free(err);
	buf_release(&out);
	tmpl_set_free(set);
}

void
test_template__parsed_once(void)
{
	const char *files[] = { "t.html", "{{>p}}{{>p}}{{>q}}{{>q}}", "p",
	    "P", NULL };
	struct loader_arg la = { files, 0 };
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct diag dg;
	int i;

	char *err;

	diag_init(&dg);
	set = tmpl_set_new(&dg, loader, &la);
	unit_capture_start();
	for (i = 0; i < 3; i++)
		CHECK_INT(tmpl_render(set, "t.html", NULL, &out), 0);
	err = unit_capture_end();
	CHECK_STR(out.ptr, "PPPPPP");
	CHECK_INT(la.calls, 3);		/* t.html, p, and q which is absent */
	/* Said once, not at each tag or render. */
	CHECK_STR(err, "t.html:1:13: warning: partial \"q\" not found; it "
	    "renders as nothing\n");
	free(err);
	buf_release(&out);
	tmpl_set_free(set);
}

void
test_template__error_positions(void)
{
	check_error("a\nb\nc   {{#x}}\n",
	    "t.html:3:5: error: unclosed section 'x'\n");
	check_error("{{#bar}}\n  {{/foo}}",
	    "t.html:2:3: error: unexpected '{{/foo}}', expected '{{/bar}}'\n");
	check_error("x{{/foo}}", "t.html:1:2: error: unexpected '{{/foo}}'\n");
	check_error("{{=<% %>=}}<%#a%><%/b%>",
	    "t.html:1:18: error: unexpected '<%/b%>', expected '<%/a%>'\n");
	check_error("<p>\n  {{name\n", "t.html:2:3: error: unclosed tag, "
	    "expected '}}'\n");
	check_error("{{{name}}", "t.html:1:1: error: unclosed tag, "
	    "expected '}}}'\n");
	check_error("{{=<% %>}}", "t.html:1:1: error: unclosed tag, "
	    "expected '=}}'\n");
	check_error("x {{=<%=}}", "t.html:1:3: error: bad set-delimiter tag "
	    "'{{=<%=}}'\n");
	check_error("{{#}}{{/}}", "t.html:1:1: error: missing name in '{{#}}'\n"
	    "t.html:1:6: error: missing name in '{{/}}'\n");
	check_error("{{a b}} {{a..b}} {{>p q}}",
	    "t.html:1:1: error: bad name 'a b'\n"
	    "t.html:1:9: error: bad name 'a..b'\n"
	    "t.html:1:18: error: bad name 'p q'\n");
	/* A '}' short: the tag would end at the next tag's end. */
	check_error("<title>{{title}</title>\n{{{content}}}\n",
	    "t.html:1:8: error: '{{title}</title>' is not closed on its line "
	    "(a '}' missing?)\n");
	/* A file with CRLF line endings: the tag as far as its line goes. */
	check_error("<title>{{title}</title>\r\n{{{content}}}\r\n",
	    "t.html:1:8: error: '{{title}</title>' is not closed on its line "
	    "(a '}' missing?)\n");
	/* Old Mac line endings, a '\r' alone: lines as an editor shows them. */
	check_error("a\rb\r  {{#x}}\r",
	    "t.html:3:3: error: unclosed section 'x'\n");
	check_error("<title>{{title}</title>\r{{{content}}}\r",
	    "t.html:1:8: error: '{{title}</title>' is not closed on its line "
	    "(a '}' missing?)\n");
	check_error("a\r\n\rb {{/y}}", "t.html:3:3: error: unexpected '{{/y}}'\n");
	/* Columns count bytes: "é" is two. */
	check_error("é {{^x}}", "t.html:1:4: error: unclosed section 'x'\n");
	/* Every error of a template is reported. */
	check_error("{{<p}}\n{{$b}}\n{{#s}}{{/t}}\n",
	    "t.html:3:7: error: unexpected '{{/t}}', expected '{{/s}}'\n"
	    "t.html:1:1: error: unclosed parent 'p'\n"
	    "t.html:2:1: error: unclosed block 'b'\n");
	/* A close of an outer section closes the inner ones. */
	check_error("{{#a}}{{#b}}{{/a}}{{/b}}",
	    "t.html:1:13: error: unexpected '{{/a}}', expected '{{/b}}'\n"
	    "t.html:1:19: error: unexpected '{{/b}}'\n");
}

void
test_template__error_in_partial(void)
{
	const char *files[] = { "t.html", "a\n{{>p}}", "p", "\n\n {{#x}}",
	    NULL };
	char *err, *got = render_files(files, NULL, &err);

	CHECK(got == NULL);
	CHECK_STR(err, "p:3:2: error: unclosed section 'x'\n");
	free(got);
	free(err);
}

/*
 * With tmpl_set_html_only(), {{{x}}} and {{&x}} over text are warned at
 * the tag, once each however many times they render; over HTML docket
 * made, an empty string, a number or nothing, not at all. The value is
 * written as it is either way. Without it (the Mustache specification's
 * tests), no warning.
 */
void
test_template__raw_text_warned(void)
{
	const char *files[] = { "t.html",
	    "{{{text}}}|{{&text}}|{{{html}}}|{{{empty}}}|{{{n}}}|{{{none}}}\n"
	    "{{#html}}{{{.}}}{{/html}}{{#list}}{{{.}}}{{/list}}\n", NULL };
	struct loader_arg la = { files, 0 };
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct tval *data = tval_map(), *list = tval_list();
	struct diag dg;
	char *err;
	int checked;

	tval_set_str(data, "text", "<b>x</b>");
	tval_set(data, "html", tval_html("<i>y</i>"));
	tval_set_str(data, "empty", "");
	tval_set_num(data, "n", 3);
	tval_push(list, tval_str("<u>z</u>"));
	tval_push(list, tval_str("<u>w</u>"));
	tval_set(data, "list", list);
	for (checked = 0; checked < 2; checked++) {
		diag_init(&dg);
		set = tmpl_set_new(&dg, loader, &la);
		if (checked)
			tmpl_set_html_only(set);
		unit_capture_start();
		CHECK_INT(tmpl_render(set, "t.html", data, &out), 0);
		CHECK_INT(tmpl_render(set, "t.html", data, &out), 0);
		err = unit_capture_end();
		CHECK_STR(out.ptr, "<b>x</b>|<b>x</b>|<i>y</i>||3|\n"
		    "<i>y</i><u>z</u><u>w</u>\n"
		    "<b>x</b>|<b>x</b>|<i>y</i>||3|\n"
		    "<i>y</i><u>z</u><u>w</u>\n");
		if (checked)
			CHECK_STR(err,
			    "t.html:1:1: warning: \"text\" is text, written here "
			    "without escaping: markup in it would become part of "
			    "the page; write {{text}}\n"
			    "t.html:1:12: warning: \"text\" is text, written here "
			    "without escaping: markup in it would become part of "
			    "the page; write {{text}}\n"
			    "t.html:2:35: warning: \".\" is text, written here "
			    "without escaping: markup in it would become part of "
			    "the page; write {{.}}\n");
		else
			CHECK_STR(err, "");
		CHECK_INT(dg.warnings, checked ? 3 : 0);
		free(err);
		buf_truncate(&out, 0);
		tmpl_set_free(set);
		diag_release(&dg);
	}
	tval_free(data);
	buf_release(&out);
}

void
test_template__error_reported_once(void)
{
	const char *files[] = { "t.html", "{{#x}}", NULL };
	struct loader_arg la = { files, 0 };
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct diag dg;
	char *err;

	diag_init(&dg);
	set = tmpl_set_new(&dg, loader, &la);
	unit_capture_start();
	CHECK_INT(tmpl_render(set, "t.html", NULL, &out), -1);
	CHECK_INT(tmpl_render(set, "t.html", NULL, &out), -1);
	err = unit_capture_end();
	CHECK_STR(err, "t.html:1:1: error: unclosed section 'x'\n");
	CHECK_INT(dg.errors, 1);
	free(err);
	buf_release(&out);
	tmpl_set_free(set);
}

void
test_template__recursive_partial(void)
{
	const char *self[] = { "t.html", "x\n  {{>t.html}}", NULL };
	const char *parent[] = { "t.html", "{{<p}}{{/p}}", "p",
	    "{{$b}}{{<p}}{{/p}}{{/b}}", NULL };
	const char *pair[] = { "t.html", "{{>a}}", "a", "{{>b}}", "b",
	    "{{#x}}{{>a}}{{/x}}", NULL };
	struct tval *m = tval_map();
	char *err, *got;

	got = render_files(self, NULL, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "t.html:2:3: error: template nesting deeper than 64 "
	    "(recursive partial 't.html'?)\n");
	free(got);
	free(err);

	got = render_files(parent, NULL, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "p:1:7: error: template nesting deeper than 64 "
	    "(recursive partial 'p'?)\n");
	free(got);
	free(err);

	tval_set_bool(m, "x", true);
	got = render_files(pair, m, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "b:1:7: error: template nesting deeper than 64 "
	    "(recursive partial 'a'?)\n");
	free(got);
	free(err);
	tval_free(m);
}

void
test_template__recursion_by_data(void)
{
	const char *files[] = { "t.html", "{{>node}}", "node",
	    "{{name}}{{#kids}}({{>node}}){{/kids}}", NULL };
	struct tval *root = tval_map(), *n = root, *kids, *kid;
	char *err, *got;
	int i;

	/* 60 levels are fine. */
	for (i = 0; i < 60; i++) {
		tval_set_str(n, "name", "n");
		kids = tval_list();
		tval_set(n, "kids", kids);
		if (i == 59)
			break;
		kid = tval_map();
		tval_push(kids, kid);
		n = kid;
	}
	got = render_files(files, root, &err);
	CHECK(got != NULL && strlen(got) == 60 + 59 * 2);
	CHECK_STR(err, "");
	free(got);
	free(err);
	tval_free(root);
}

void
test_template__standalone_and_indent(void)
{
	const char *files[] = { "t.html",
	    "<ul>\n"
	    "  {{#items}}\n"
	    "  <li>{{.}}</li>\n"
	    "  {{/items}}\n"
	    "</ul>\n"
	    "\t{{>p}}\n"
	    "{{! comment }}\n"
	    "end\n",
	    "p", "a\r\n\r\n\nb\n", NULL };
	struct tval *m = tval_map(), *l = tval_list();
	char *err, *got;

	tval_push(l, tval_num(1));
	tval_push(l, tval_num(2));
	tval_set(m, "items", l);
	got = render_files(files, m, &err);
	CHECK_STR(got, "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n"
	    "\ta\r\n\r\n\n\tb\nend\n");
	CHECK_STR(err, "");
	free(got);
	free(err);
	tval_free(m);
}

void
test_template__dynamic_partial(void)
{
	const char *files[] = { "t.html", "[{{>*which}}]", "card", "C{{x}}",
	    NULL };
	struct tval *m = tval_map();
	char *err, *got;

	tval_set_str(m, "which", "card");
	tval_set_str(m, "x", "!");
	got = render_files(files, m, &err);
	CHECK_STR(got, "[C!]");
	free(got);
	free(err);
	tval_free(m);
}

/* Builds "{{#l}}" n times, then body, then "{{/l}}" n times. */
static char *
nested_sections(unsigned n, const char *body)
{
	struct buf b = BUF_INIT;
	unsigned i;

	for (i = 0; i < n; i++)
		BUF_PUTSL(&b, "{{#l}}");
	buf_puts(&b, body);
	for (i = 0; i < n; i++)
		BUF_PUTSL(&b, "{{/l}}");
	return buf_detach(&b);
}

void
test_template__amplification(void)
{
	const char *files[] = { "t.html", NULL, NULL };
	struct tval *m = tval_map(), *l = tval_list();
	char *err, *got, *src;
	int i;

	for (i = 0; i < 10; i++)
		tval_push(l, tval_num(i));
	tval_set(m, "l", l);
	tval_set_str(m, "big", "0123456789abcdef0123456789abcdef0123456789"
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

	/* 10^4 is fine... */
	files[1] = src = nested_sections(4, "x");
	got = render_files(files, m, &err);
	CHECK(got != NULL && strlen(got) == 10000);
	CHECK_STR(err, "");
	free(got);
	free(err);
	free(src);

	/* ...10^40 steps are not, nor 10^7 * 100 bytes of output. */
	files[1] = src = nested_sections(40, "x");
	got = render_files(files, m, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "t.html:1:241: error: template rendering takes more "
	    "than 20000000 steps (sections nested over long lists?)\n");
	free(got);
	free(err);
	free(src);

	files[1] = src = nested_sections(7, "{{big}}{{big}}");
	got = render_files(files, m, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "t.html:1:50: error: template output larger than 64 MiB "
	    "(sections nested over long lists?)\n");
	free(got);
	free(err);
	free(src);
	tval_free(m);
}

/*
 * A parent given 200000 blocks, whose template has 2000: each block is
 * looked for among the arguments, 4 * 10^8 compares, which count in the
 * budget of steps and end there.
 */
void
test_template__many_blocks_in_budget(void)
{
	const char *files[] = { "t.html", NULL, "p", NULL, NULL };
	struct buf t = BUF_INIT, p = BUF_INIT;
	char *err, *got;
	int i;

	buf_puts(&t, "{{<p}}");
	for (i = 0; i < 200000; i++)
		buf_puts(&t, "{{$b}}x{{/b}}");
	buf_puts(&t, "{{/p}}");
	for (i = 0; i < 2000; i++)
		buf_puts(&p, "{{$b}}{{/b}}");
	files[1] = t.ptr;
	files[3] = p.ptr;
	got = render_files(files, NULL, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "p:1:1189: error: template rendering takes more "
	    "than 20000000 steps (sections nested over long lists?)\n");
	free(got);
	free(err);
	buf_release(&t);
	buf_release(&p);
}

/*
 * 60 partials, each in 60 sections of a map, make a stack of 3600
 * contexts, which each name that is not there is looked for in: the
 * contexts looked in count in the budget of steps.
 */
void
test_template__deep_lookup_in_budget(void)
{
	const char *files[2 * 61 + 1];
	char names[61][8];
	struct buf src[61];
	struct tval *m = tval_map();
	char *err, *got;
	int i, k;

	tval_set(m, "m", tval_map());
	for (i = 0; i <= 60; i++) {
		snprintf(names[i], sizeof(names[i]), i == 0 ? "t.html" : "p%d",
		    i);
		buf_init(&src[i]);
		for (k = 0; k < 60 && i > 0; k++)
			buf_puts(&src[i], "{{#m}}");
		if (i < 60)
			buf_printf(&src[i], "{{> p%d}}", i + 1);
		for (k = 0; k < 20000 && i == 60; k++)
			buf_puts(&src[i], "{{nope}}");
		for (k = 0; k < 60 && i > 0; k++)
			buf_puts(&src[i], "{{/m}}");
		files[2 * i] = names[i];
		files[2 * i + 1] = src[i].ptr;
	}
	files[2 * 61] = NULL;
	got = render_files(files, m, &err);
	CHECK(got == NULL);
	CHECK_STR(err, "p60:1:30377: error: template rendering takes more "
	    "than 20000000 steps (sections nested over long lists?)\n");
	free(got);
	free(err);
	for (i = 0; i <= 60; i++)
		buf_release(&src[i]);
	tval_free(m);
}

void
test_template__output_bound_names_page(void)
{
	struct loader_arg la = { NULL, 0 };
	const char *files[] = { "t.html", NULL, NULL };
	struct tval *m = tval_map(), *l = tval_list();
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	struct diag dg;
	char *err, *src;
	int i;

	for (i = 0; i < 10; i++)
		tval_push(l, tval_num(i));
	tval_set(m, "l", l);
	tval_set_str(m, "big", "0123456789abcdef0123456789abcdef0123456789"
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	/* Stopped at text: its position is known too. */
	files[1] = src = nested_sections(7, "\n {{big}}{{big}}");
	la.files = files;
	diag_init(&dg);
	set = tmpl_set_new(&dg, loader, &la);
	unit_capture_start();
	CHECK_INT(tmpl_render_for(set, "t.html", m, &out, "content/p.md"), -1);
	err = unit_capture_end();
	CHECK_STR(err, "content/p.md: error: page larger than 64 MiB once "
	    "rendered (template output passed it at t.html:1:43)\n");
	CHECK_INT(dg.errors, 1);
	free(err);
	buf_release(&out);
	tmpl_set_free(set);
	free(src);
	tval_free(m);
}
