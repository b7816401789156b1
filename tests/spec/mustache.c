/*
 * Runs the Mustache specification tests.
 *
 *	mustache_test [-v] DIR	renders each test of each .json file in DIR
 *				and compares it with the expected output
 *	mustache_test -d FILE	prints FILE back as JSON, as it was read
 *
 * The JSON reader is a strict one of its own: libyaml, which reads JSON
 * as YAML flow syntax, rejects escaped UTF-16 surrogate pairs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "template.h"
#include "util.h"

#define MAIN_NAME	"(test)"	/* no spec partial has this name */
#define JSON_MAX_DEPTH	256

enum jtype {
	J_NULL,
	J_BOOL,
	J_NUM,
	J_STR,
	J_ARR,
	J_OBJ
};

/* A JSON value; objects keep their keys in order, duplicates included. */
struct jval {
	enum jtype	  type;
	bool		  b;
	double		  num;
	char		 *str;		/* NUL-terminated */
	size_t		  len;
	char		**keys;		/* objects */
	struct jval	**items;	/* arrays and objects */
	size_t		  n;
};

struct jparser {
	const char	*path;
	const char	*src;
	const char	*p;
	const char	*end;
	unsigned	 depth;
};

static struct jval	*json_value(struct jparser *);

static void
jval_free(struct jval *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys != NULL)
			free(v->keys[i]);
		jval_free(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v->str);
	free(v);
}

static void json_error(struct jparser *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Reports an error at the current position. */
static void
json_error(struct jparser *jp, const char *fmt, ...)
{
	const char *s;
	unsigned line = 1, col = 1;
	va_list ap;

	for (s = jp->src; s < jp->p; s++) {
		col++;
		if (*s == '\n') {
			line++;
			col = 1;
		}
	}
	fprintf(stderr, "%s:%u:%u: error: ", jp->path, line, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
skip_ws(struct jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
	    *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

/* Reads the four hex digits after "\u". Returns -1 if they aren't. */
static long
hex4(struct jparser *jp)
{
	long v = 0;
	int i;
	char c;

	if (jp->end - jp->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = *jp->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
put_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80)
		buf_putc(b, (int)cp);
	else if (cp < 0x800) {
		buf_putc(b, (int)(0xc0 | cp >> 6));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xe0 | cp >> 12));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | cp >> 18));
		buf_putc(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	}
}

/* Reads a string after its opening quote into b. Returns 0 or -1. */
static int
json_string(struct jparser *jp, struct buf *b)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *e;
	long cp, lo;
	char c;

	for (;;) {
		if (jp->p == jp->end) {
			json_error(jp, "unterminated string");
			return -1;
		}
		c = *jp->p++;
		if (c == '"')
			return 0;
		if ((unsigned char)c < 0x20) {
			jp->p--;
			json_error(jp, "control character in a string");
			return -1;
		}
		if (c != '\\') {
			buf_putc(b, c);
			continue;
		}
		if (jp->p == jp->end) {
			json_error(jp, "unterminated string");
			return -1;
		}
		c = *jp->p++;
		if (c != 'u') {
			for (e = esc; *e != '\0' && *e != c; e += 2)
				continue;
			if (*e == '\0') {
				jp->p--;
				json_error(jp, "bad escape '\\%c'", c);
				return -1;
			}
			buf_putc(b, e[1]);
			continue;
		}
		if ((cp = hex4(jp)) == -1)
			goto bad_u;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			goto bad_u;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (jp->end - jp->p < 2 || jp->p[0] != '\\' ||
			    jp->p[1] != 'u')
				goto bad_u;
			jp->p += 2;
			if ((lo = hex4(jp)) == -1 || lo < 0xdc00 || lo > 0xdfff)
				goto bad_u;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		if (cp == 0)
			goto bad_u;
		put_utf8(b, (unsigned long)cp);
	}
bad_u:
	json_error(jp, "bad \\u escape (NUL, or a lone surrogate)");
	return -1;
}

/* Reads a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
json_number(struct jparser *jp, double *out)
{
	const char *s = jp->p, *q = jp->p;
	char *end;

	if (q < jp->end && *q == '-')
		q++;
	if (q < jp->end && *q == '0')
		q++;
	else if (q < jp->end && *q >= '1' && *q <= '9')
		while (q < jp->end && *q >= '0' && *q <= '9')
			q++;
	else
		goto bad;
	if (q < jp->end && *q == '.') {
		if (++q == jp->end || *q < '0' || *q > '9')
			goto bad;
		while (q < jp->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < jp->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < jp->end && (*q == '+' || *q == '-'))
			q++;
		if (q == jp->end || *q < '0' || *q > '9')
			goto bad;
		while (q < jp->end && *q >= '0' && *q <= '9')
			q++;
	}
	/* The source ends in a NUL, so strtod() stops where q does. */
	*out = strtod(s, &end);
	if (end != q)
		goto bad;
	jp->p = q;
	return 0;
bad:
	json_error(jp, "bad number");
	return -1;
}

static struct jval *
jval_new(enum jtype type)
{
	struct jval *v = xcalloc(1, sizeof(*v));

	v->type = type;
	return v;
}

static void
jval_add(struct jval *v, char *key, struct jval *item)
{
	v->items = xreallocarray(v->items, v->n + 1, sizeof(*v->items));
	if (v->type == J_OBJ) {
		v->keys = xreallocarray(v->keys, v->n + 1, sizeof(*v->keys));
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
}

/* Reads an array or object after its opening bracket. */
static struct jval *
json_container(struct jparser *jp, enum jtype type)
{
	struct jval *v = jval_new(type), *item;
	struct buf key = BUF_INIT;
	char close = type == J_ARR ? ']' : '}';

	skip_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return v;
	}
	for (;;) {
		skip_ws(jp);
		if (type == J_OBJ) {
			if (jp->p == jp->end || *jp->p != '"') {
				json_error(jp, "expected a string key");
				goto fail;
			}
			jp->p++;
			if (json_string(jp, &key) == -1)
				goto fail;
			skip_ws(jp);
			if (jp->p == jp->end || *jp->p != ':') {
				json_error(jp, "expected ':'");
				goto fail;
			}
			jp->p++;
		}
		if ((item = json_value(jp)) == NULL)
			goto fail;
		jval_add(v, type == J_OBJ ? buf_detach(&key) : NULL, item);
		skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			return v;
		}
		json_error(jp, "expected ',' or '%c'", close);
		goto fail;
	}
fail:
	buf_release(&key);
	jval_free(v);
	return NULL;
}

/* Reads a value. Returns NULL after reporting an error. */
static struct jval *
json_value(struct jparser *jp)
{
	struct buf b = BUF_INIT;
	struct jval *v = NULL;
	size_t left;

	skip_ws(jp);
	if (jp->p == jp->end) {
		json_error(jp, "expected a value");
		return NULL;
	}
	if (++jp->depth > JSON_MAX_DEPTH) {
		json_error(jp, "nested deeper than %d", JSON_MAX_DEPTH);
		return NULL;
	}
	left = (size_t)(jp->end - jp->p);
	switch (*jp->p) {
	case '{':
	case '[':
		jp->p++;
		v = json_container(jp, jp->p[-1] == '[' ? J_ARR : J_OBJ);
		break;
	case '"':
		jp->p++;
		if (json_string(jp, &b) == -1)
			break;
		v = jval_new(J_STR);
		v->len = b.len;
		v->str = buf_detach(&b);
		break;
	case 't':
	case 'f':
	case 'n':
		if (left >= 4 && memcmp(jp->p, "null", 4) == 0) {
			v = jval_new(J_NULL);
			jp->p += 4;
		} else if (left >= 4 && memcmp(jp->p, "true", 4) == 0) {
			v = jval_new(J_BOOL);
			v->b = true;
			jp->p += 4;
		} else if (left >= 5 && memcmp(jp->p, "false", 5) == 0) {
			v = jval_new(J_BOOL);
			jp->p += 5;
		} else
			json_error(jp, "expected a value");
		break;
	default:
		if (*jp->p != '-' && (*jp->p < '0' || *jp->p > '9')) {
			json_error(jp, "expected a value");
			break;
		}
		v = jval_new(J_NUM);
		if (json_number(jp, &v->num) == -1) {
			jval_free(v);
			v = NULL;
		}
		break;
	}
	jp->depth--;
	buf_release(&b);
	return v;
}

/* Reads JSON file path. Returns NULL after reporting an error. */
static struct jval *
json_load(const char *path)
{
	struct buf src = BUF_INIT;
	struct jparser jp;
	struct jval *v = NULL;
	size_t bad;

	memset(&jp, 0, sizeof(jp));
	jp.path = path;
	if (file_read(&src, path) == -1) {
		fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
		goto out;
	}
	jp.src = jp.p = src.ptr;
	jp.end = src.ptr + src.len;
	if (!utf8_valid(src.ptr, src.len, &bad)) {
		jp.p += bad;
		json_error(&jp, "not UTF-8");
		goto out;
	}
	if ((v = json_value(&jp)) == NULL)
		goto out;
	skip_ws(&jp);
	if (jp.p != jp.end) {
		json_error(&jp, "text after the JSON value");
		jval_free(v);
		v = NULL;
	}
out:
	buf_release(&src);
	return v;
}

static struct jval *
jval_get(const struct jval *obj, const char *key, enum jtype type)
{
	size_t i;

	if (obj == NULL || obj->type != J_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i]->type == type ? obj->items[i] :
			    NULL;
	return NULL;
}

/* Converts a JSON value into template data; the caller frees it. */
static struct tval *
jval_to_tval(const struct jval *v)
{
	struct tval *t;
	size_t i;

	switch (v->type) {
	case J_BOOL:
		return tval_bool(v->b);
	case J_NUM:
		return tval_num(v->num);
	case J_STR:
		return tval_strn(v->str, v->len);
	case J_ARR:
		t = tval_list();
		for (i = 0; i < v->n; i++)
			tval_push(t, jval_to_tval(v->items[i]));
		return t;
	case J_OBJ:
		t = tval_map();
		for (i = 0; i < v->n; i++)
			tval_set(t, v->keys[i], jval_to_tval(v->items[i]));
		return t;
	default:
		return tval_null();
	}
}

static void
put_json_str(struct buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	buf_put_json(b, s, len);
	buf_putc(b, '"');
}

static void
jval_dump(struct buf *b, const struct jval *v)
{
	size_t i;

	switch (v->type) {
	case J_NULL:
		BUF_PUTSL(b, "null");
		break;
	case J_BOOL:
		buf_puts(b, v->b ? "true" : "false");
		break;
	case J_NUM:
		buf_printf(b, "%.17g", v->num);
		break;
	case J_STR:
		put_json_str(b, v->str, v->len);
		break;
	case J_ARR:
	case J_OBJ:
		buf_putc(b, v->type == J_ARR ? '[' : '{');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			if (v->type == J_OBJ) {
				put_json_str(b, v->keys[i], strlen(v->keys[i]));
				buf_putc(b, ':');
			}
			jval_dump(b, v->items[i]);
		}
		buf_putc(b, v->type == J_ARR ? ']' : '}');
		break;
	}
}

/* Renders one test and compares. Returns true if it passes. */
static bool
run_test(const char *file, const struct jval *test)
{
	const struct jval *name, *tmpl, *expected, *partials, *data;
	struct tval *ctx = NULL;
	struct tmpl_set *set;
	struct buf out = BUF_INIT, msg = BUF_INIT;
	struct diag dg;
	size_t i;
	bool ok = false;
	int rc = -1;

	name = jval_get(test, "name", J_STR);
	tmpl = jval_get(test, "template", J_STR);
	expected = jval_get(test, "expected", J_STR);
	partials = jval_get(test, "partials", J_OBJ);
	data = jval_get(test, "data", J_OBJ);
	for (i = 0; data == NULL && i < test->n; i++)
		if (strcmp(test->keys[i], "data") == 0)
			data = test->items[i];
	if (name == NULL || tmpl == NULL || expected == NULL) {
		printf("FAIL %s: a test lacks a name, template or expected "
		    "output\n", file);
		return false;
	}
	diag_init(&dg);
	/* The spec's missing partials render as nothing; docket warns. */
	dg.quiet = true;
	set = tmpl_set_new(&dg, NULL, NULL);
	buf_printf(&msg, "%s: %s", file, name->str);
	tmpl_set_add(set, MAIN_NAME, tmpl->str, tmpl->len, msg.ptr);
	for (i = 0; partials != NULL && i < partials->n; i++)
		if (partials->items[i]->type == J_STR)
			tmpl_set_add(set, partials->keys[i],
			    partials->items[i]->str, partials->items[i]->len,
			    partials->keys[i]);
	if (data != NULL)
		ctx = jval_to_tval(data);
	rc = tmpl_render(set, MAIN_NAME, ctx, &out);
	ok = rc == 0 && out.len == expected->len &&
	    memcmp(out.ptr, expected->str, out.len) == 0;
	if (!ok) {
		buf_truncate(&msg, 0);
		buf_printf(&msg, "FAIL %s: %s\n  template: ", file, name->str);
		put_json_str(&msg, tmpl->str, tmpl->len);
		BUF_PUTSL(&msg, "\n  expected: ");
		put_json_str(&msg, expected->str, expected->len);
		BUF_PUTSL(&msg, "\n  got:      ");
		put_json_str(&msg, out.ptr, out.len);
		buf_printf(&msg, "%s\n", rc == 0 ? "" : " (error)");
		fputs(msg.ptr, stdout);
	}
	tval_free(ctx);
	tmpl_set_free(set);
	buf_release(&out);
	buf_release(&msg);
	return ok;
}

/*
 * Runs the tests of one file, adding to the counts. A file that can't
 * be read counts as one failure.
 */
static void
run_file(const char *dir, const char *file, unsigned *passed,
    unsigned *failed, bool verbose)
{
	char *path = path_join(dir, file);
	const struct jval *tests;
	struct jval *doc;
	unsigned p = 0, f = 0;
	size_t i;

	doc = json_load(path);
	tests = jval_get(doc, "tests", J_ARR);
	if (tests == NULL) {
		if (doc != NULL)
			printf("FAIL %s: no \"tests\" list\n", file);
		f++;
	}
	for (i = 0; tests != NULL && i < tests->n; i++) {
		if (tests->items[i]->type == J_OBJ &&
		    run_test(file, tests->items[i]))
			p++;
		else
			f++;
	}
	if (verbose)
		printf("%s: %u passed, %u failed\n", file, p, f);
	*passed += p;
	*failed += f;
	jval_free(doc);
	free(path);
}

/* Prints a JSON file as it was read. */
static int
dump_file(const char *path)
{
	struct buf out = BUF_INIT;
	struct jval *v;

	if ((v = json_load(path)) == NULL)
		return -1;
	jval_dump(&out, v);
	buf_putc(&out, '\n');
	fputs(out.ptr, stdout);
	buf_release(&out);
	jval_free(v);
	return 0;
}

static void
usage(void)
{
	fputs("usage: mustache_test [-v] DIR\n"
	    "       mustache_test -d FILE.json\n", stderr);
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	unsigned passed = 0, failed = 0;
	bool verbose = false;
	DIR *d;
	int ch;

	while ((ch = getopt(argc, argv, "d:v")) != -1) {
		switch (ch) {
		case 'd':
			return dump_file(optarg) == 0 ? 0 : 1;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if ((d = opendir(argv[optind])) == NULL) {
		fprintf(stderr, "%s: error: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		/* Lambdas need a host language. */
		if (!str_endswith(de->d_name, ".json") ||
		    strstr(de->d_name, "lambdas") != NULL)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), strp_cmp);
	for (i = 0; i < n; i++) {
		run_file(argv[optind], names[i], &passed, &failed, verbose);
		free(names[i]);
	}
	free(names);
	printf("mustache spec: %u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
