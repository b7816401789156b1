/*
 * Unit tests: buf, util, date.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp, symlink */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "unit.h"
#include "util.h"

void
test_buf__grows_and_escapes(void)
{
	struct buf b = BUF_INIT;
	char *s;
	int i;

	CHECK_STR(b.ptr, "");
	for (i = 0; i < 1000; i++)
		BUF_PUTSL(&b, "ab");
	CHECK_INT(b.len, 2000);
	buf_truncate(&b, 3);
	CHECK_STR(b.ptr, "aba");
	buf_release(&b);
	buf_puts_html(&b, "<a href=\"x\">'&'</a>");
	CHECK_STR(b.ptr, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_truncate(&b, 0);
	buf_put_json(&b, "a\"b\\c\n</script>\x01", 16);
	CHECK_STR(b.ptr, "a\\\"b\\\\c\\n\\u003c/script>\\u0001");
	/* Every other control character, a NUL inside; DEL and UTF-8 kept. */
	buf_truncate(&b, 0);
	buf_put_json(&b, "\r\t\0\x1f\x7f\xc3\xa9", 7);
	CHECK_STR(b.ptr, "\\r\\t\\u0000\\u001f\x7f\xc3\xa9");
	/*
	 * U+2028 and U+2029, which end a string literal in scripts before
	 * ES2019 (search-index.js), escaped; other characters after their
	 * first byte E2 kept.
	 */
	buf_truncate(&b, 0);
	buf_put_json(&b, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xe2\x80\x94\xe2", 13);
	CHECK_STR(b.ptr, "a\\u2028b\\u2029c\xe2\x80\x94\xe2");
	buf_truncate(&b, 0);
	buf_put_html(&b, "a\0<\xc3\xa9", 5);
	CHECK_INT(b.len, 8);
	CHECK(memcmp(b.ptr, "a\0&lt;\xc3\xa9", 8) == 0);
	s = buf_detach(&b);
	CHECK_STR(b.ptr, "");
	free(s);
	s = buf_detach(&b);
	CHECK_STR(s, "");
	free(s);

	/* Formatted text that fits the room left, then text that does not. */
	buf_printf(&b, "%s-%d", "ab", 7);
	CHECK_STR(b.ptr, "ab-7");
	buf_printf(&b, "%0200d|%s", 5, "end");
	CHECK_INT(b.len, 4 + 200 + 4);
	CHECK_STR(b.ptr + 4 + 199, "5|end");
	CHECK(b.ptr[4] == '0');
	buf_release(&b);
	for (i = 0; i < 300; i++)
		buf_putc(&b, 'a' + i % 26);
	CHECK_INT(b.len, 300);
	CHECK(b.ptr[299] == 'a' + 299 % 26 && b.ptr[300] == '\0');
	buf_release(&b);
	s = xasprintf("%s/%s", "a", "b");
	CHECK_STR(s, "a/b");
	free(s);
}

/* Each format gives the text snprintf() gives. */
#define SAME_AS_SNPRINTF(b, want, ...) do {				\
	buf_truncate((b), 0);						\
	BUF_PUTSL((b), "kept:");					\
	buf_printf((b), __VA_ARGS__);					\
	snprintf((want), sizeof(want), "kept:" __VA_ARGS__);		\
	CHECK_STR((b)->ptr, (want));					\
} while (0)

void
test_buf__printf(void)
{
	struct buf b = BUF_INIT;
	char want[512];

	/* What buf_printf() writes itself. */
	SAME_AS_SNPRINTF(&b, want, "plain text");
	SAME_AS_SNPRINTF(&b, want, "%s", "");
	SAME_AS_SNPRINTF(&b, want, "%s%s%s", "a", "", "bc");
	SAME_AS_SNPRINTF(&b, want, "%d|%d|%d|%d", 0, -1, INT_MAX, INT_MIN);
	SAME_AS_SNPRINTF(&b, want, "%u|%u", 0u, UINT_MAX);
	SAME_AS_SNPRINTF(&b, want, "%zu|%zu", (size_t)0, SIZE_MAX);
	SAME_AS_SNPRINTF(&b, want, "%c%c%c", 'x', '\xc3', '\xa9');
	SAME_AS_SNPRINTF(&b, want, "100%% %s%%", "done");
	SAME_AS_SNPRINTF(&b, want, "%s:%u:%u: %s", "a/b.md", 12u, 3u, "msg");
	/* What it leaves to vsnprintf(), also after a part of its own. */
	SAME_AS_SNPRINTF(&b, want, "%02d:%.3s|%x|%ld|%5s|%g", 7, "abcdef",
	    255u, -3L, "ab", 0.5);
	SAME_AS_SNPRINTF(&b, want, "%s then %03d", "mixed", 5);
	SAME_AS_SNPRINTF(&b, want, "%zu then %zx", (size_t)7, (size_t)255);
	SAME_AS_SNPRINTF(&b, want, "%s then %-4s|", "a", "b");
	/* Numbers padded with zeros, as dates want them. */
	buf_truncate(&b, 0);
	buf_put_uint(&b, 7, 3);
	buf_put_uint(&b, 2017, 2);
	buf_put_uint(&b, 0, 0);
	CHECK_STR(b.ptr, "00720170");
	buf_release(&b);
}

void
test_util__utf8(void)
{
	size_t bad = 99;

	CHECK(utf8_valid("plain", 5, NULL));
	CHECK(utf8_valid("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80", 14, NULL));
	CHECK(!utf8_valid("caf\xe9", 4, &bad));
	CHECK_INT(bad, 3);
	CHECK(!utf8_valid("a\0b", 3, &bad));
	CHECK_INT(bad, 1);
	CHECK(!utf8_valid("\xc0\x80", 2, NULL));	/* overlong NUL */
	CHECK(!utf8_valid("\xed\xa0\x80", 3, NULL));	/* surrogate */
	CHECK(!utf8_valid("\xe2\x86", 2, NULL));	/* truncated */
	/* Longer text, read eight bytes at a time while it is ASCII. */
	CHECK(utf8_valid("sixteen letters. caf\xc3\xa9 and more text", 36, NULL));
	CHECK(!utf8_valid("sixteen letters, then\0 a NUL", 28, &bad));
	CHECK_INT(bad, 21);
	CHECK(!utf8_valid("twelve bytes\x7f\x80 and a stray byte", 31, &bad));
	CHECK_INT(bad, 13);
	CHECK(!utf8_valid("exactly eight..\xf0\x9f\x98", 18, &bad));
	CHECK_INT(bad, 15);
}

void
test_util__paths(void)
{
	char *s;

	s = path_join("a", "b");
	CHECK_STR(s, "a/b");
	free(s);
	s = path_join("a/", "b");
	CHECK_STR(s, "a/b");
	free(s);
	s = path_join(".", "b");
	CHECK_STR(s, "b");
	free(s);
	CHECK(str_endswith("a.xml", ".xml"));
	CHECK(!str_endswith("xml", ".xml"));
	CHECK(str_startswith("static/x", "static"));
}

void
test_date__impossible(void)
{
	char why[64];

	CHECK_STR(date_impossible(why, sizeof(why), "2017-02-29"),
	    "February 2017 has 28 days");
	CHECK_STR(date_impossible(why, sizeof(why), "2016-02-30"),
	    "February 2016 has 29 days");
	CHECK_STR(date_impossible(why, sizeof(why), "2017-09-31"),
	    "September 2017 has 30 days");
	CHECK_STR(date_impossible(why, sizeof(why), "2017-13-01"),
	    "there is no month 13");
	CHECK_STR(date_impossible(why, sizeof(why), "2017-00-01"),
	    "there is no month 00");
	CHECK_STR(date_impossible(why, sizeof(why), "2017-01-00"),
	    "there is no day 00");
	CHECK_STR(date_impossible(why, sizeof(why), "0000-01-01"),
	    "there is no year 0000");
	/* A real day, or one not written YYYY-MM-DD: nothing to say. */
	CHECK(date_impossible(why, sizeof(why), "2016-02-29") == NULL);
	CHECK(date_impossible(why, sizeof(why), "2017-9-31") == NULL);
	CHECK(date_impossible(why, sizeof(why), "2017-09-31x") == NULL);
	CHECK(date_impossible(why, sizeof(why), "2017/09/31") == NULL);
	CHECK(date_impossible(why, sizeof(why), "yesterday") == NULL);
}

void
test_date__time_tail(void)
{
	/* RFC 3339 (Hugo), YAML's timestamps and Jekyll's. */
	CHECK(date_time_tail(""));
	CHECK(date_time_tail("T10:30:00Z"));
	CHECK(date_time_tail("t10:30:00z"));
	CHECK(date_time_tail("T23:30:00-05:00"));
	CHECK(date_time_tail("T10:30:00.123456789+01:00"));
	CHECK(date_time_tail("T10:30"));
	CHECK(date_time_tail(" 10:30:00"));
	CHECK(date_time_tail(" 9:05:00 +0100"));
	CHECK(date_time_tail("  21:59:43.10 -5"));
	CHECK(date_time_tail("T23:59:60Z"));
	/* Not a time, or a time out of its range. */
	CHECK(!date_time_tail("x"));
	CHECK(!date_time_tail("T"));
	CHECK(!date_time_tail(" "));
	CHECK(!date_time_tail("T24:00:00Z"));
	CHECK(!date_time_tail("T10:60"));
	CHECK(!date_time_tail("T10:30:61"));
	CHECK(!date_time_tail("T10"));
	CHECK(!date_time_tail("T10:30:00Zx"));
	CHECK(!date_time_tail("T10:30:00+24:00"));
	CHECK(!date_time_tail("T10:30:00+01:60"));
	CHECK(!date_time_tail("T10:30:00."));
	CHECK(!date_time_tail("10:30"));
}

void
test_date__parse_and_format(void)
{
	struct date d, e;
	struct buf b = BUF_INIT;

	CHECK(date_parse(&d, "2017-09-13"));
	CHECK(!date_parse(&e, "2017-02-29"));
	CHECK(date_parse(&e, "2016-02-29"));
	CHECK(!date_parse(&e, "1900-02-29"));
	CHECK(date_parse(&e, "2000-02-29"));
	CHECK(!date_parse(&e, "2017-9-13"));
	CHECK(!date_parse(&e, "2017-13-01"));
	CHECK(!date_parse(&e, "2017-00-10"));
	CHECK(!date_parse(&e, "2017-09-13x"));
	date_add_days(&e, &d, 90);
	date_format(&b, "%-d %B %Y", &e);
	CHECK_STR(b.ptr, "12 December 2017");
	buf_truncate(&b, 0);
	date_format(&b, "%d %b %Y, %m/%-m, 100%%", &d);
	CHECK_STR(b.ptr, "13 Sep 2017, 09/9, 100%");
	buf_truncate(&b, 0);
	date_iso(&b, &e);
	CHECK_STR(b.ptr, "2017-12-12");
	/* Numbers padded to their width, or not with "-". */
	buf_truncate(&b, 0);
	date_format(&b, "%-d.%-m.%Y %d.%m", &(struct date){ 7, 1, 5 });
	date_iso(&b, &(struct date){ 999, 10, 31 });
	CHECK_STR(b.ptr, "5.1.0007 05.010999-10-31");
	buf_release(&b);
	CHECK(date_cmp(&d, &e) < 0);
	CHECK_INT(date_to_days(&(struct date){ 1970, 1, 1 }), 0);
	date_from_days(&e, date_to_days(&(struct date){ 2024, 2, 29 }) + 1);
	CHECK(e.y == 2024 && e.m == 3 && e.d == 1);
	CHECK(date_format_valid("%-d %B %Y"));
	CHECK(!date_format_valid("%H:%M"));
	CHECK(!date_format_valid("%-B"));
	CHECK(!date_format_valid("trailing %"));
	{
		static const char f[] = "%Y %-d %q %H";
		CHECK(date_format_bad(f) == f + 7);
		CHECK(date_format_bad("%Y %%") == NULL);
	}
}

void
test_util__path_resolve(void)
{
	char *s;

	s = path_resolve("content/a/b.md", "../c/d.md");
	CHECK_STR(s, "content/c/d.md");
	free(s);
	s = path_resolve("content/a.md", "./_p//x.md");
	CHECK_STR(s, "content/_p/x.md");
	free(s);
	s = path_resolve("a.md", "b.md");
	CHECK_STR(s, "b.md");
	free(s);
	CHECK(path_resolve("content/a.md", "../../x") == NULL);
	CHECK(path_resolve("content/a.md", "/etc/passwd") == NULL);
}

void
test_util__remove_tree_and_file_put(void)
{
	char tmpl[] = "/tmp/docket-util-XXXXXX", *top, *p, *keep, *f;
	struct buf b = BUF_INIT;

	if ((top = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	keep = path_join(top, "keep");
	f = path_join(top, "keep/file");
	CHECK_INT(file_write(f, "kept\n", 5), 0);
	/* A new file only: an existing one is never written through. */
	CHECK_INT(file_put(f, "new\n", 4), -1);
	CHECK_INT(errno, EEXIST);
	CHECK_INT(file_read(&b, f), 0);
	CHECK_STR(b.ptr, "kept\n");
	p = path_join(top, "tree/a/b/c");
	CHECK_INT(mkdir_p(p), 0);
	free(p);
	p = path_join(top, "tree/a/b/c/f");
	CHECK_INT(file_put(p, "", 0), 0);
	free(p);
	p = path_join(top, "tree/a/g");
	CHECK_INT(file_put(p, "g", 1), 0);
	free(p);
	/* Links are removed, not followed. */
	p = path_join(top, "tree/a/b/dirlink");
	CHECK_INT(symlink(keep, p), 0);
	free(p);
	p = path_join(top, "tree/filelink");
	CHECK_INT(symlink(f, p), 0);
	free(p);
	p = path_join(top, "tree");
	CHECK_INT(remove_tree(p), 0);
	CHECK(!is_dir(p));
	CHECK_INT(remove_tree(p), 0);	/* nothing there */
	free(p);
	CHECK(is_file(f));
	CHECK_INT(remove_tree(top), 0);
	CHECK(!is_dir(top));
	buf_release(&b);
	free(keep);
	free(f);
}

void
test_util__text_clean(void)
{
	char *s;

	s = text_clean("a\tb\001c\x7f" "d \xc3\xa9 \xff\xfe \xef\xbf\xbe e", 100);
	CHECK_STR(s, "a b c d \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd e");
	free(s);
	s = text_clean("abcdef", 3);
	CHECK_STR(s, "abc\xe2\x80\xa6");
	free(s);
	s = text_clean("", 3);
	CHECK_STR(s, "");
	free(s);
	s = text_clean("\xe2\x82", 10);	/* cut short */
	CHECK_STR(s, "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	/*
	 * Bidirectional controls (a subject "Fix \u202Eevil" shows as "Fix
	 * live", and turns what follows it too) are left out; the marks
	 * U+200E, U+200F and other text of both directions stay.
	 */
	s = text_clean("a\xe2\x80\xaa" "b\xe2\x80\xae" "c\xe2\x81\xa6" "d"
	    "\xe2\x81\xa9" "e\xe2\x80\xa9" "f\xe2\x80\x8f" "\xd7\x90", 100);
	CHECK_STR(s, "abcde\xe2\x80\xa9" "f\xe2\x80\x8f" "\xd7\x90");
	free(s);
}

void
test_util__str_collate(void)
{
	/* Case and the accents of Latin letters count only to break ties. */
	CHECK(str_collate("delta", "Emile") < 0);
	CHECK(str_collate("\xc3\x89mile", "delta") > 0);	/* Émile */
	CHECK(str_collate("\xc3\x89mile", "zeta") < 0);
	CHECK(str_collate("\xc3\x85ngstr\xc3\xb6m", "Beta") < 0);	/* Ångström */
	CHECK(str_collate("\xc5\xa0koda", "Sony") < 0);	/* Škoda */
	CHECK(str_collate("\xc5\xa0koda", "Samsung") > 0);
	CHECK(str_collate("Stra\xc3\x9f" "e", "Strasse") > 0);	/* Straße */
	CHECK(str_collate("Stra\xc3\x9f" "e", "Strasz") < 0);
	CHECK(str_collate("\xc5\x81" "ad", "Lab") > 0);	/* Ład */
	CHECK(str_collate("\xc5\x81" "ad", "Lae") < 0);
	/* A combining accent is set aside like a precomposed one. */
	CHECK(str_collate("E\xcc\x81mile", "Ezra") < 0);
	/* Ties: unaccented first, then lower case first; equal is 0. */
	CHECK(str_collate("Cote", "C\xc3\xb4te") < 0);
	CHECK(str_collate("acme", "ACME") < 0);
	CHECK(str_collate("Acme", "Acme") == 0);
	CHECK(str_collate("Acme", "Acme Corp") < 0);
	/* NFD and NFC forms of one name: equal but for their bytes. */
	CHECK(str_collate("Cafe\xcc\x81 B", "Caf\xc3\xa9 A") > 0);
	CHECK(str_collate("Cafe\xcc\x81", "Caf\xc3\xa9") ==
	    -str_collate("Caf\xc3\xa9", "Cafe\xcc\x81"));
	CHECK(str_collate("Cafe\xcc\x81", "Caf\xc3\xa9") != 0);
	/* Other scripts after Latin, each in its alphabet's order. */
	CHECK(str_collate("Zeta", "\xce\x91\xce\xbb\xcf\x86\xce\xb1") < 0);
	/* "банк" before "Яндекс", whatever the case. */
	CHECK(str_collate("\xd0\xb1\xd0\xb0\xd0\xbd\xd0\xba",
	    "\xd0\xaf\xd0\xbd\xd0\xb4\xd0\xb5\xd0\xba\xd1\x81") < 0);
	/* "Ёлка" with the "Е"s, not before "А". */
	CHECK(str_collate("\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0",
	    "\xd0\x90\xd0\xb1") > 0);
	CHECK(str_collate("\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0",
	    "\xd0\x96\xd0\xb0") < 0);
	/* "ωμέγα" before "Ψ", lower case before upper. */
	CHECK(str_collate("\xcf\x89\xce\xbc\xce\xad\xce\xb3\xce\xb1",
	    "\xce\xa8") > 0);
	CHECK(str_collate("\xce\xb1", "\xce\x91") < 0);
	/* A language's own order: Swedish has "Ö" after "Z", German not. */
	str_collate_language("sv");
	CHECK(str_collate("\xc3\x96rebro", "Zeta") > 0);
	str_collate_language("de");
	CHECK(str_collate("\xc3\x96rebro", "Zeta") < 0);
	str_collate_language("not a tag!");
	CHECK(str_collate("\xc3\x96rebro", "Zeta") < 0);
	{
		char loc[STR_LOCALE_MAX], tag[200];
		CHECK(str_language_tag("pt-BR", loc) && strcmp(loc, "pt_BR") == 0);
		CHECK(!str_language_tag("sv_SE", loc));
		CHECK(!str_language_tag("", loc));
		/* Well formed, but its locale ID is longer than ICU takes. */
		memcpy(tag, "sv-x", 4);
		for (size_t k = 4; k + 9 < sizeof(tag); k += 9)
			memcpy(tag + k, "-abcdefgh", 10);
		CHECK(strlen(tag) > STR_LOCALE_MAX && !str_language_tag(tag, loc));
	}
	str_collate_language("sv_SE");	/* a POSIX locale: the root order */
	CHECK(str_collate("\xc3\x96rebro", "Zeta") < 0);
	CHECK(str_collate("\xd0\xb1", "\xd0\xaf") < 0);
	str_collate_language(NULL);
	CHECK(str_collate("\xc3\x96rebro", "Zeta") < 0);
}

void
test_util__str_nfc(void)
{
	static const struct { const char *in, *nfc, *form; } cases[] = {
		/* "e" and U+0301: "é" */
		{ "Cafe\xcc\x81", "Caf\xc3\xa9", "NFD" },
		{ "Caf\xc3\xa9 \xe2\x80\x94 Ko\xcc\x88ln",
		    "Caf\xc3\xa9 \xe2\x80\x94 K\xc3\xb6ln",
		    "neither NFC nor NFD" },
		{ "plain", "plain", "NFC" },
		/* Hangul jamo compose; U+212B (Angstrom sign) is U+00C5. */
		{ "\xe1\x84\x80\xe1\x85\xa1 \xe2\x84\xab",
		    "\xea\xb0\x80 \xc3\x85", "neither NFC nor NFD" },
		{ "", "", "NFC" },
	};
	size_t i;
	char *s;

	struct buf b = BUF_INIT, want = BUF_INIT;

	for (i = 0; i < NELEM(cases); i++) {
		s = str_nfc(cases[i].in);
		CHECK_STR(s, cases[i].nfc);
		CHECK_STR(str_unicode_form(cases[i].in), cases[i].form);
		CHECK_STR(str_unicode_form(s), "NFC");
		free(s);
	}
	/*
	 * Stream-Safe Text: a grapheme joiner (U+034F) before each mark
	 * past 30 in a row, so that 100 marks (U+0323 and U+0301, which
	 * NFC reorders) are put in order 30 at a time.
	 */
	BUF_PUTSL(&b, "x");
	BUF_PUTSL(&want, "x");
	for (i = 0; i < 50; i++)
		BUF_PUTSL(&b, "\xcc\x81\xcc\xa3");
	for (i = 0; i < 100; i++) {
		if (i > 0 && i % 30 == 0)
			BUF_PUTSL(&want, "\xcd\x8f");
		if (i % 30 < (i < 90 ? 15 : 5))
			BUF_PUTSL(&want, "\xcc\xa3");
		else
			BUF_PUTSL(&want, "\xcc\x81");
	}
	s = str_nfc(b.ptr);
	CHECK_STR(s, want.ptr);
	CHECK_STR(str_unicode_form(s), "NFC");
	free(s);
	buf_release(&b);
	buf_release(&want);
}

void
test_util__str_closest(void)
{
	static const char *const opts[] = {
		"--output", "--no-history", "--drafts", "--strict", "--quiet",
		"--port", "--help", NULL
	};
	static const char *const cmds[] = {
		"build", "check", "serve", "new", "help", NULL
	};

	/* The same once case, '-' and '_' are set aside. */
	CHECK_STR(str_closest("--nohistory", opts), "--no-history");
	CHECK_STR(str_closest("--No_History", opts), "--no-history");
	CHECK_STR(str_closest("-drafts", opts), "--drafts");
	/* One or two letters added, dropped, changed or swapped. */
	CHECK_STR(str_closest("--draft", opts), "--drafts");
	CHECK_STR(str_closest("--stirct", opts), "--strict");
	CHECK_STR(str_closest("--quite", opts), "--quiet");
	CHECK_STR(str_closest("--outptu", opts), "--output");
	CHECK_STR(str_closest("biuld", cmds), "build");
	CHECK_STR(str_closest("chekc", cmds), "check");
	CHECK_STR(str_closest("nwe", cmds), "new");
	CHECK_STR(str_closest("ne", cmds), "new");
	/* Too far, too short to tell, or as close to two names. */
	CHECK(str_closest("--frobnicate", opts) == NULL);
	CHECK(str_closest("-x", opts) == NULL);
	CHECK(str_closest("x", cmds) == NULL);
	CHECK(str_closest("n", cmds) == NULL);
	CHECK(str_closest("", cmds) == NULL);
	CHECK(str_closest("bild", (const char *const[]){ "build", "bind",
	    NULL }) == NULL);
	/* A name too long to compare is no slip for any. */
	CHECK(str_closest("--no-history-------------------------------"
	    "------------------------------", opts) == NULL);
}

/*
 * Text widths in Latin letters: East Asian wide characters count 2,
 * combining marks 0 and stay with their letter when the text is cut.
 */
void
test_util__text_width(void)
{
	const char *cut;
	/* "e" and a combining acute, four times: 4 wide. */
	static const char marks[] = "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
	    "e\xcc\x81";
	/* 経済産業省: 10 wide. */
	static const char cjk[] = "\xe7\xb5\x8c\xe6\xb8\x88\xe7\x94\xa3"
	    "\xe6\xa5\xad\xe7\x9c\x81";

	CHECK_INT((int)text_width("", 5, &cut), 0);
	CHECK_INT((int)text_width("Senate", 28, &cut), 6);
	CHECK_INT((int)text_width(marks, 28, &cut), 4);
	CHECK(*cut == '\0');
	CHECK_INT((int)text_width(marks, 2, &cut), 3);	/* wider than 2 */
	CHECK_INT((int)(cut - marks), 6);	/* after the second mark */
	CHECK_INT((int)text_width(cjk, 28, &cut), 10);
	CHECK_INT((int)text_width(cjk, 9, &cut), 10);
	CHECK_INT((int)(cut - cjk), 12);	/* four whole characters */
	CHECK_INT((int)text_width("ab\xff" "c", 28, &cut), 4);
}

/*
 * Where serve and check build: $TMPDIR when set; a tmpfs with room;
 * else /tmp.
 */
void
test_util__scratch_base(void)
{
	CHECK_STR(scratch_base("/var/tmp", "/dev/shm"), "/var/tmp");
	/* Not a tmpfs (procfs), or not there: /tmp. */
	CHECK_STR(scratch_base("", "/proc"), "/tmp");
	CHECK_STR(scratch_base(NULL, "/no/such/folder"), "/tmp");
	CHECK_STR(scratch_base(NULL, NULL), "/tmp");
}

/*
 * A temporary folder of serve or check: those a killed process of this
 * user left are removed first; others are kept.
 */
void
test_util__scratch_mkdtemp(void)
{
	char base[] = "/tmp/docket-unit-XXXXXX", path[512], *dir;
	char keep[4][64];
	struct stat st;
	pid_t dead;
	size_t i;

	CHECK(mkdtemp(base) != NULL);
	/* A process that is gone. */
	if ((dead = fork()) == 0)
		_exit(0);
	CHECK(dead > 0 && waitpid(dead, NULL, 0) == dead);
	snprintf(path, sizeof(path), "%s/docket-check-%ld-abcdef", base,
	    (long)dead);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/docket-check-%ld-abcdef/site", base,
	    (long)dead);
	CHECK(mkdir(path, 0700) == 0);
	/* Another command's; not six letters at the end; alive; not a PID. */
	snprintf(keep[0], sizeof(keep[0]), "docket-serve-%ld-abcdef", (long)dead);
	snprintf(keep[1], sizeof(keep[1]), "docket-check-%ld-abc", (long)dead);
	snprintf(keep[2], sizeof(keep[2]), "docket-check-1-abcdef");
	snprintf(keep[3], sizeof(keep[3]), "docket-check-0%ld-abcdef", (long)dead);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, keep[i]);
		CHECK(mkdir(path, 0700) == 0);
	}
	/* A file, not a folder, with the name of a stale one. */
	snprintf(path, sizeof(path), "%s/docket-check-%ld-ghijkl", base,
	    (long)dead);
	CHECK(file_put(path, "x", 1) == 0);

	dir = scratch_mkdtemp(base, "check");
	snprintf(path, sizeof(path), "%s/docket-check-%ld-", base,
	    (long)getpid());
	CHECK(dir != NULL && strncmp(dir, path, strlen(path)) == 0 &&
	    strlen(dir) == strlen(path) + 6);
	CHECK(dir != NULL && stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	snprintf(path, sizeof(path), "%s/docket-check-%ld-abcdef", base,
	    (long)dead);
	CHECK(stat(path, &st) == -1 && errno == ENOENT);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, keep[i]);
		CHECK(stat(path, &st) == 0);
	}
	snprintf(path, sizeof(path), "%s/docket-check-%ld-ghijkl", base,
	    (long)dead);
	CHECK(stat(path, &st) == 0);
	free(dir);
	CHECK(remove_tree(base) == 0);
}
