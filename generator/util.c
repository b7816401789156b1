/*
 * Memory that cannot fail, files and paths.
 */
#define _DEFAULT_SOURCE	/* d_type */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <sys/types.h>

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>	/* TMPFS_MAGIC */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlunicode.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/utf16.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "util.h"

static void (*die_fn)(void);

void
die_hook(void (*fn)(void))
{
	die_fn = fn;
}

void
die(const char *fmt, ...)
{
	void (*fn)(void) = die_fn;
	va_list ap;

	/* Once: the hook may die too. */
	die_fn = NULL;
	if (fn != NULL)
		fn();
	fputs("docket: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		die("allocation size overflow");
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

const char *
file_strerror(int e)
{
	if (e == EFBIG)
		return "file larger than 16 MiB";
	if (e == ENODEV)
		return "not a regular file";
	return strerror(e);
}

int
file_open_regular(const char *path, int flags, struct stat *st)
{
	int fd, e;

	/* Not blocking on a FIFO or a device, which are refused below. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | flags)) == -1)
		return -1;
	if (fstat(fd, st) == -1)
		e = errno;
	else if (S_ISREG(st->st_mode))
		return fd;
	else
		e = S_ISDIR(st->st_mode) ? EISDIR : ENODEV;
	close(fd);
	errno = e;
	return -1;
}

static int
read_whole(struct buf *out, const char *path, int flags)
{
	int fd;
	ssize_t n;
	struct stat st;

	if ((fd = file_open_regular(path, flags, &st)) == -1)
		return -1;
	if (st.st_size > (off_t)MAX_FILE_SIZE) {
		errno = EFBIG;
		goto fail;
	}
	/* Room for the whole file, and a byte more to find its end. */
	buf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		if (out->cap - out->len < 2)
			buf_grow(out, 65536);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		if (out->len > MAX_FILE_SIZE) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	return 0;
fail:
	n = errno;
	close(fd);
	errno = (int)n;
	return -1;
}

int
file_read(struct buf *out, const char *path)
{
	return read_whole(out, path, 0);
}

int
file_read_nofollow(struct buf *out, const char *path)
{
	return read_whole(out, path, O_NOFOLLOW);
}

int
mkdir_p(const char *path)
{
	char *p, *s;
	int rc = 0;

	p = xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (rc == 0 && !is_dir(path)) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
write_new(const char *path, int flags, const void *data, size_t len)
{
	int fd, e;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags,
	    0666)) == -1)
		return -1;
	if (write_all(fd, data, len) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int
file_write(const char *path, const void *data, size_t len)
{
	const char *slash;
	char *dir;
	int rc;

	if ((slash = strrchr(path, '/')) != NULL && slash != path) {
		dir = xstrndup(path, (size_t)(slash - path));
		rc = mkdir_p(dir);
		free(dir);
		if (rc == -1)
			return -1;
	}
	return write_new(path, O_TRUNC, data, len);
}

int
file_put(const char *path, const void *data, size_t len)
{
	return write_new(path, O_EXCL, data, len);
}

/*
 * Removes name in folder dfd: unlinked straight away when it is not a
 * folder, so that a file costs one call and no path is looked up again
 * from the top. dir: readdir() said it is a folder.
 */
static int
remove_at(int dfd, const char *name, bool dir)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd, e, rc = 0;

	if (!dir) {
		if (unlinkat(dfd, name, 0) == 0)
			return 0;
		if ((e = errno) == ENOENT)
			return 0;
		if (e != EISDIR && e != EPERM)	/* EPERM: POSIX's folder error */
			return -1;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = e;
			return -1;
		}
	}
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	if ((d = fdopendir(fd)) == NULL) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (remove_at(dirfd(d), de->d_name, de->d_type == DT_DIR) == -1)
			rc = -1;
	}
	closedir(d);
	if (rc == 0)
		rc = unlinkat(dfd, name, AT_REMOVEDIR);
	return rc;
}

int
remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path, false);
}

bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la == 0 || strcmp(a, ".") == 0)
		return xstrdup(b);
	if (*b == '\0')
		return xstrdup(a);
	return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *
path_resolve(const char *from, const char *target)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(from, '/'), *p, *e;
	char *last;
	size_t n;

	if (*target == '/')
		return NULL;
	if (slash != NULL)
		buf_put(&b, from, (size_t)(slash - from));
	for (p = target; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (b.len == 0) {
				buf_release(&b);
				return NULL;
			}
			last = strrchr(b.ptr, '/');
			buf_truncate(&b, last != NULL ? (size_t)(last - b.ptr) : 0);
			continue;
		}
		if (b.len > 0)
			buf_putc(&b, '/');
		buf_put(&b, p, n);
	}
	return buf_detach(&b);
}

bool
str_endswith(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool
str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
str_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

uint64_t
hash64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t w;

	/*
	 * FNV-1a over 8 bytes at a time, folded: a cache entry of 11 MB
	 * took 15 ms a byte at a time, on every build that saved one.
	 */
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 32;
	}
	for (; n > 0; s++, n--) {
		h ^= *s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

size_t
utf8_char(const unsigned char *s, size_t len, unsigned *cp)
{
	size_t n, k;
	unsigned min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 1, *cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 2, *cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 3, *cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len <= n)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[k] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n + 1;
}

bool
utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		/* Eight bytes at once while they are ASCII and none is NUL. */
		while (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, sizeof(w));
			if (((w | (w - 0x0101010101010101ULL)) &
			    0x8080808080808080ULL) != 0)
				break;
			i += 8;
		}
		if (i == len)
			break;
		if (s[i] == 0)
			goto fail;
		if ((n = utf8_char(s + i, len - i, &cp)) == 0)
			goto fail;
		i += n;
	}
	return true;
fail:
	if (bad != NULL)
		*bad = i;
	return false;
}

char *
text_problem(const char *s, size_t len, const char *what, unsigned *line,
    unsigned *col)
{
	size_t bad = 0, i;

	*line = 1;
	*col = 1;
	if (len >= 2 && ((s[0] == '\xff' && s[1] == '\xfe') ||
	    (s[0] == '\xfe' && s[1] == '\xff')))
		return xasprintf("%s in UTF-16 or UTF-32 (save it as UTF-8)",
		    what);
	if (utf8_valid(s, len, &bad))
		return NULL;
	for (i = 0; i < bad; i++)
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))
			++*line, *col = 1;
		else if (s[i] != '\r')
			++*col;
	return xasprintf("%s in %s", s[bad] == '\0' ? "NUL byte" :
	    "invalid UTF-8", what);
}

char *
text_clean(const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	struct buf b = BUF_INIT;
	size_t i = 0, len = strlen(str), n;
	unsigned cp;

	while (i < len) {
		if (b.len >= max) {
			buf_puts(&b, "\xe2\x80\xa6");	/* … */
			break;
		}
		if ((n = utf8_char(s + i, len - i, &cp)) == 0) {
			buf_puts(&b, "\xef\xbf\xbd");	/* U+FFFD */
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f)
			buf_putc(&b, ' ');
		else if (bidi_name(cp) != NULL)
			;	/* would reorder the text after it: left out */
		else if (cp == 0xfffe || cp == 0xffff)
			buf_puts(&b, "\xef\xbf\xbd");
		else
			buf_put(&b, str + i, n);
		i += n;
	}
	return buf_detach(&b);
}

void
keep_at_exit(void *p)
{
	static void **kept;
	static size_t n;

	kept = xreallocarray(kept, n + 1, sizeof(*kept));
	kept[n++] = p;
}

bool
str_fold(char *out, size_t outsz, const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s == '-' || *s == '_')
			continue;
		if (n + 1 >= outsz)
			return false;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
	return true;
}

/*
 * The collator of str_collate(): the root collation of the Unicode
 * Collation Algorithm, or a language's (str_collate_language()).
 * ucol_strcollUTF8() is a const operation, which ICU makes safe to call
 * from several threads on one collator.
 */
static UCollator *collator;
static pthread_once_t root_once = PTHREAD_ONCE_INIT;
static UCollator *root_collator;

/* Opens the collator of locale ("" for the root); NULL if ICU cannot. */
static UCollator *
collator_open(const char *locale)
{
	UErrorCode e = U_ZERO_ERROR;
	UCollator *c = ucol_open(locale, &e);

	if (U_FAILURE(e))
		return NULL;
	/* "Cafe\u0301" and "Caf\u00e9" are one name (NFD and NFC). */
	ucol_setAttribute(c, UCOL_NORMALIZATION_MODE, UCOL_ON, &e);
	if (U_FAILURE(e)) {
		ucol_close(c);
		return NULL;
	}
	return c;
}

static void
root_open(void)
{
	root_collator = collator_open("");
}

_Static_assert(STR_LOCALE_MAX == ULOC_FULLNAME_CAPACITY,
    "STR_LOCALE_MAX: ICU's ULOC_FULLNAME_CAPACITY");

bool
str_language_tag(const char *tag, char locale[STR_LOCALE_MAX])
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t parsed = 0;

	/* All of it a tag: ICU would read "sv" of "sv_SE" and stop. */
	if (tag == NULL || tag[0] == '\0')
		return false;
	uloc_forLanguageTag(tag, locale, STR_LOCALE_MAX, &parsed, &e);
	return U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING &&
	    (size_t)parsed == strlen(tag);
}

void
str_collate_language(const char *tag)
{
	char locale[STR_LOCALE_MAX];
	UCollator *c = NULL;

	if (str_language_tag(tag, locale))
		c = collator_open(locale);
	if (collator != NULL)
		ucol_close(collator);
	collator = c;
}

int
str_collate(const char *a, const char *b)
{
	UErrorCode e = U_ZERO_ERROR;
	UCollator *c = collator;
	UCollationResult r = UCOL_EQUAL;
	int d;

	if (c == NULL) {
		pthread_once(&root_once, root_open);
		c = root_collator;
	}
	if (c != NULL) {
		r = ucol_strcollUTF8(c, a, -1, b, -1, &e);
		if (U_FAILURE(e))
			r = UCOL_EQUAL;
	}
	if (r != UCOL_EQUAL)
		return r == UCOL_LESS ? -1 : 1;
	d = strcmp(a, b);
	return d < 0 ? -1 : d > 0;
}

/*
 * s (UTF-8; a byte that is not UTF-8 becomes U+FFFD) in UTF-16, its
 * length in *len; NULL if ICU cannot. Caller frees.
 */
static UChar *
utf16_of(const char *s, int32_t *len)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar *u;

	u_strFromUTF8WithSub(NULL, 0, len, s, -1, 0xfffd, NULL, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	e = U_ZERO_ERROR;
	u = xreallocarray(NULL, (size_t)*len + 1, sizeof(*u));
	u_strFromUTF8WithSub(u, *len + 1, NULL, s, -1, 0xfffd, NULL, &e);
	if (U_FAILURE(e)) {
		free(u);
		return NULL;
	}
	return u;
}

/* u[0..len) (UTF-16) in UTF-8; NULL if ICU cannot. Caller frees. */
static char *
utf8_of(const UChar *u, int32_t len)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n;
	char *out;

	u_strToUTF8(NULL, 0, &n, u, len, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	e = U_ZERO_ERROR;
	out = xmalloc((size_t)n + 1);
	u_strToUTF8(out, n + 1, NULL, u, len, &e);
	if (U_FAILURE(e)) {
		free(out);
		return NULL;
	}
	return out;
}

#define NONSTARTERS_MAX	30	/* in a row: UAX #15's Stream-Safe Text */

/*
 * Makes u[0..*len) Stream-Safe Text (UAX #15, section 13): a combining
 * grapheme joiner (U+034F) before any non-starter past 30 in a row.
 * Normalizing reorders a run of non-starters with an insertion sort,
 * so that one run of 160,000 marks took ICU a minute; runs of 30 keep
 * it linear, and no text of any script needs more. Returns whether it
 * inserted any.
 */
static bool
stream_safe(UChar **u, int32_t *len)
{
	UChar *w = NULL;
	int32_t i = 0, prev, n = 0, run = 0;
	UChar32 c;

	while (i < *len) {
		prev = i;
		U16_NEXT(*u, i, *len, c);
		if (u_getIntPropertyValue(c,
		    UCHAR_LEAD_CANONICAL_COMBINING_CLASS) == 0)
			run = u_getIntPropertyValue(c,
			    UCHAR_TRAIL_CANONICAL_COMBINING_CLASS) != 0;
		else if (++run > NONSTARTERS_MAX) {
			if (w == NULL) {
				/* At most one more unit for each 30. */
				w = xreallocarray(NULL, (size_t)*len +
				    (size_t)*len / NONSTARTERS_MAX + 2,
				    sizeof(*w));
				memcpy(w, *u, (size_t)prev * sizeof(*w));
				n = prev;
			}
			w[n++] = 0x034f;
			run = 1;
		}
		if (w != NULL) {
			memcpy(w + n, *u + prev, (size_t)(i - prev) * sizeof(*w));
			n += i - prev;
		}
	}
	if (w == NULL)
		return false;
	w[n] = 0;
	free(*u);
	*u = w;
	*len = n;
	return true;
}

char *
str_nfc_own(char *s)
{
	const unsigned char *p;
	const UNormalizer2 *nfc;
	UErrorCode e = U_ZERO_ERROR;
	UChar *u = NULL, *v = NULL;
	int32_t ulen, vlen;
	char *out;

	/* A character from U+0300 on starts with a byte from 0xCC on. */
	for (p = (const unsigned char *)s; *p != '\0' && *p < 0xcc; p++)
		;
	if (*p == '\0')		/* ASCII, Latin-1, Latin Extended: NFC */
		return s;
	if ((nfc = unorm2_getNFCInstance(&e)) == NULL || U_FAILURE(e) ||
	    (u = utf16_of(s, &ulen)) == NULL)
		return s;
	if (!stream_safe(&u, &ulen) &&
	    (unorm2_isNormalized(nfc, u, ulen, &e) || U_FAILURE(e)))
		goto same;
	/* NFC is at most three times as long as its source (UAX #15). */
	v = xreallocarray(NULL, 3 * (size_t)ulen + 1, sizeof(*v));
	vlen = unorm2_normalize(nfc, u, ulen, v, 3 * ulen + 1, &e);
	if (U_FAILURE(e))
		goto same;
	if ((out = utf8_of(v, vlen)) == NULL)
		goto same;
	free(s);
	s = out;
same:
	free(u);
	free(v);
	return s;
}

char *
str_nfc(const char *s)
{
	return str_nfc_own(xstrdup(s));
}

char *
str_twin_key(const char *s)
{
	UErrorCode e = U_ZERO_ERROR;
	char *nfc, *out, *q;
	const char *p;
	UChar *u, *v;
	int32_t ulen, vlen;

	for (p = s; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0') {	/* ASCII: folded as tolower() does */
		out = xstrdup(s);
		for (q = out; *q != '\0'; q++)
			*q = (char)tolower((unsigned char)*q);
		return out;
	}
	nfc = str_nfc(s);
	if ((u = utf16_of(nfc, &ulen)) == NULL)
		return nfc;
	/* Full case folding: "ß" is "ss", at most three units a unit. */
	v = xreallocarray(NULL, 3 * (size_t)ulen + 1, sizeof(*v));
	vlen = u_strFoldCase(v, 3 * ulen + 1, u, ulen, U_FOLD_CASE_DEFAULT,
	    &e);
	out = U_SUCCESS(e) ? utf8_of(v, vlen) : NULL;
	free(u);
	free(v);
	if (out == NULL)
		return nfc;
	free(nfc);
	return out;
}

const char *
str_unicode_form(const char *s)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
	const char *form = "neither NFC nor NFD";
	UChar *u;
	int32_t ulen;

	if (U_FAILURE(e) || (u = utf16_of(s, &ulen)) == NULL)
		return form;
	if (unorm2_isNormalized(nfc, u, ulen, &e) && U_SUCCESS(e))
		form = "NFC";
	else if ((e = U_ZERO_ERROR, unorm2_isNormalized(nfd, u, ulen, &e)) &&
	    U_SUCCESS(e))
		form = "NFD";
	free(u);
	return form;
}

/*
 * The optimal string alignment distance between a and b (Levenshtein's,
 * with a swap of two neighbours as one edit), both shorter than NAME_LEN.
 */
#define NAME_LEN	64
static size_t
name_distance(const char *a, const char *b)
{
	size_t d[NAME_LEN][NAME_LEN], la = strlen(a), lb = strlen(b), i, j, c;

	assert(la < NAME_LEN && lb < NAME_LEN);
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

const char *
str_closest(const char *s, const char *const *names)
{
	char fs[NAME_LEN], fn[NAME_LEN];
	const char *best = NULL;
	size_t i, dist, bestd = 3;
	bool tie = false;

	if (strlen(s) >= NAME_LEN || !str_fold(fs, sizeof(fs), s))
		return NULL;
	for (i = 0; names[i] != NULL; i++) {
		if (strlen(names[i]) >= NAME_LEN ||
		    !str_fold(fn, sizeof(fn), names[i]))
			continue;
		dist = strcmp(fs, fn) == 0 ? 0 : name_distance(s, names[i]);
		/* Two slips in a name of three letters is another name. */
		if (dist > 0 && dist * 2 >= strlen(fn))
			continue;
		if (dist < bestd) {
			best = names[i];
			bestd = dist;
			tie = false;
		} else if (dist == bestd)
			tie = true;
	}
	return tie ? NULL : best;
}

#define SCRATCH_ROOM	(1ULL << 30)

const char *
scratch_base(const char *env, const char *shm)
{
	struct statfs fs;
	struct statvfs vfs;

	if (env != NULL && *env != '\0')
		return env;
	if (shm != NULL && statfs(shm, &fs) == 0 &&
	    (unsigned long)fs.f_type == TMPFS_MAGIC &&
	    access(shm, W_OK | X_OK) == 0 && statvfs(shm, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize >= SCRATCH_ROOM)
		return shm;
	return "/tmp";
}

/*
 * Is name "docket-WHAT-PID-XXXXXX" for a PID other than this process's,
 * of no process now?
 */
static bool
scratch_stale(const char *name, const char *what)
{
	size_t n = strlen(what);
	unsigned long pid;
	char *end;

	if (strncmp(name, "docket-", 7) != 0 || strncmp(name + 7, what, n) != 0 ||
	    name[7 + n] != '-' || name[8 + n] < '1' || name[8 + n] > '9')
		return false;
	errno = 0;
	pid = strtoul(name + 8 + n, &end, 10);
	if (errno != 0 || *end != '-' || strlen(end + 1) != 6 ||
	    pid > INT32_MAX || (pid_t)pid == getpid())
		return false;
	return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

char *
scratch_mkdtemp(const char *base, const char *what)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char *dir, *path;
	int saved;

	if ((d = opendir(base)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!scratch_stale(de->d_name, what))
				continue;
			path = path_join(base, de->d_name);
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
			    st.st_uid == getuid())
				remove_tree(path);
			free(path);
		}
		closedir(d);
	}
	dir = xasprintf("%s/docket-%s-%ld-XXXXXX", base, what, (long)getpid());
	if (mkdtemp(dir) == NULL) {
		saved = errno;
		free(dir);
		errno = saved;
		return NULL;
	}
	return dir;
}

double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
bidi_name(unsigned long cp)
{
	static const char *const names[] = {
		"left-to-right embedding", "right-to-left embedding",
		"pop directional formatting", "left-to-right override",
		"right-to-left override"
	}, *const isolates[] = {
		"left-to-right isolate", "right-to-left isolate",
		"first strong isolate", "pop directional isolate"
	};

	if (cp >= 0x202a && cp <= 0x202e)
		return names[cp - 0x202a];
	if (cp >= 0x2066 && cp <= 0x2069)
		return isolates[cp - 0x2066];
	return NULL;
}

/*
 * How wide code point cp is drawn: 0 for a combining mark, 2 for the
 * wide characters of East Asian scripts (CJK, kana, Hangul, fullwidth
 * forms), 1 for the rest.
 */
static unsigned
cp_width(unsigned cp)
{
	if (cp >= 0x300 && xmlUCSIsCatM((int)cp))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

size_t
text_width(const char *s, size_t max, const char **cut)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n, w = 0;
	unsigned cp, cw;

	while (len > 0) {
		if ((n = utf8_char(p, len, &cp)) == 0)
			n = 1, cp = '?';	/* a byte that is no UTF-8 */
		if (w + (cw = cp_width(cp)) > max)
			break;
		w += cw;
		p += n, len -= n;
	}
	*cut = (const char *)p;
	return len > 0 ? max + 1 : w;
}
