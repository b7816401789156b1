/*
 * Memory that cannot fail, files and paths.
 */
#ifndef DOCKET_UTIL_H
#define DOCKET_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct stat;

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_FILE_SIZE	(16u * 1024 * 1024)	/* largest input file read */

void	 die(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
/*
 * Has die() call fn (once) before it prints its message: diag's, for the
 * messages it kept to be printed rather than lost. NULL: none.
 */
void	 die_hook(void (*fn)(void));
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reads a whole regular file into out (appending). Returns 0, or -1 with
 * errno set: EFBIG when it is larger than MAX_FILE_SIZE, ENODEV when it
 * is not a regular file (a FIFO, a device: never waited on), EISDIR.
 */
int	 file_read(struct buf *out, const char *path);
/* The same, but -1 (ELOOP) when path itself is a symbolic link. */
int	 file_read_nofollow(struct buf *out, const char *path);
/*
 * Opens a regular file for reading, with open()'s extra flags (O_NOFOLLOW),
 * and fills *st. Returns the descriptor, or -1 with errno set: ENODEV when
 * it is not a regular file (a FIFO is not waited on), EISDIR.
 */
int	 file_open_regular(const char *path, int flags, struct stat *st);
/* strerror() for file_read()'s errors, in words for a site's author. */
const char *file_strerror(int);
/* Writes all of data to fd, again after EINTR. Returns 0, or -1 (errno). */
int	 write_all(int fd, const void *, size_t);
/* Writes a file, creating parent folders. Returns 0 or -1 with errno. */
int	 file_write(const char *path, const void *, size_t);
/* Writes a new file into a folder that exists; EEXIST if there is one. */
int	 file_put(const char *path, const void *, size_t);
int	 mkdir_p(const char *path);
/* Removes a file or folder tree. Returns 0 or -1 with errno. */
int	 remove_tree(const char *path);
bool	 is_dir(const char *path);
bool	 is_file(const char *path);
/*
 * Resolves target, relative to the folder of the file `from`, into a
 * clean path ("a/b/../c" gives "a/c"). Returns NULL for an absolute
 * target or one that climbs above the top; the caller frees.
 */
char	*path_resolve(const char *from, const char *target);
/* Joins two path parts with one slash; caller frees. */
char	*path_join(const char *, const char *);
bool	 str_endswith(const char *, const char *);
bool	 str_startswith(const char *, const char *);
/* Compares two strings for qsort through pointers to char *. */
int	 strp_cmp(const void *, const void *);
/* FNV-1a of a string, for hash tables. */
size_t	 str_hash(const char *);
/*
 * FNV-1a, 64 bits, of n bytes, continued from h (HASH64_INIT to start):
 * checksums, and identities where 32 bits would meet.
 */
#define HASH64_INIT	0xcbf29ce484222325ULL
uint64_t hash64(uint64_t h, const void *, size_t);
/*
 * Decodes one UTF-8 character at s (len bytes left, len > 0) into *cp;
 * returns its length, or 0 when the bytes are not one.
 */
size_t	 utf8_char(const unsigned char *s, size_t len, unsigned *cp);
/*
 * The width of UTF-8 text s as drawn, in widths of a Latin letter (a
 * combining mark 0, an East Asian wide character 2), or max + 1 when it
 * is wider than max; *cut is where the part of s that fits in max ends,
 * after the marks of its last character.
 */
size_t	 text_width(const char *s, size_t max, const char **cut);
/* Is s valid UTF-8 without NUL bytes? Sets *bad to the offset of the first bad byte. */
bool	 utf8_valid(const char *s, size_t len, size_t *bad);
/*
 * A copy of s fit for HTML and XML text: each byte that is not UTF-8
 * and each U+FFFE, U+FFFF becomes U+FFFD, each control character a
 * space, each bidirectional control character (bidi_name()) is left
 * out, and past max bytes the rest becomes "…". Caller frees.
 */
char	*text_clean(const char *s, size_t max);
/*
 * Checks that s is text docket reads: UTF-8 without NUL bytes. Returns
 * NULL, or a message naming the file as `what` ("invalid UTF-8 in page")
 * that the caller frees, with *line and *col (in bytes) set to the first
 * bad byte; lines end at LF, CR or CRLF.
 */
char	*text_problem(const char *s, size_t len, const char *what,
	     unsigned *line, unsigned *col);

/*
 * The name of cp ("right-to-left override") when it is a bidirectional
 * control character, U+202A..U+202E or U+2066..U+2069, which can make
 * text display in another order than it is read; NULL when it is not.
 */
const char *bidi_name(unsigned long cp);

/*
 * The one name of names (NULL-terminated) that s is most likely a typing
 * slip for, as git's "did you mean": the same once case, '-' and '_' are
 * set aside ("--nohistory" for "--no-history"), else within two letters
 * added, dropped, changed or swapped ("--stirct", "biuld"). NULL when
 * none is that close, or when two are equally close.
 */
const char *str_closest(const char *s, const char *const *names);
/* s in lower case without '-' and '_', into out; false if too long. */
bool	 str_fold(char *out, size_t outsz, const char *s);

/*
 * Compares two names (UTF-8) for lists sorted by name, as a reader looks
 * them up: by the Unicode Collation Algorithm (ICU), in the order of the
 * language str_collate_language() set, else of no language in
 * particular (the root collation): case and accents count only between
 * names otherwise equal ("Émile" between "delta" and "zeta"), every
 * script in its alphabet's order ("банк" before "Яндекс"), and the NFC
 * and NFD forms of a name are one. Names still equal go byte by byte.
 */
int	 str_collate(const char *a, const char *b);
/*
 * Sets the order of str_collate() to that of the language of BCP 47 tag
 * ("sv" puts "Ö" after "Z"; "en" is the root order). A tag ICU does not
 * know gives the root order. Call it with no other thread sorting.
 */
void	 str_collate_language(const char *tag);
/*
 * Is tag all a BCP 47 language tag, as ICU reads it, whose locale ID
 * (into locale) fits ICU's limit? "sv_SE", a POSIX locale, is not.
 */
#define STR_LOCALE_MAX	157	/* ULOC_FULLNAME_CAPACITY */
bool	 str_language_tag(const char *tag, char locale[STR_LOCALE_MAX]);
/*
 * A copy of s (UTF-8) in Unicode Normalization Form C: "e" followed by
 * U+0301 becomes "é". Caller frees.
 */
char	*str_nfc(const char *s);
/*
 * s (malloc'd) in NFC: s itself when it is in NFC already, else a new
 * copy, and s is freed.
 */
char	*str_nfc_own(char *s);
/*
 * The name s stands for where case does not count and the two forms
 * are one (macOS): s in NFC, its case folded ("Café" and "CAFÉ" typed
 * in NFD give "café"). Caller frees.
 */
char	*str_twin_key(const char *s);
/* "NFC" or "NFD" when s (UTF-8) is in that form, else "neither NFC nor NFD". */
const char *str_unicode_form(const char *s);

/*
 * The folder in which serve and check make the temporary folder they
 * build into: env ($TMPDIR) when set and not empty; else shm
 * ("/dev/shm") when it is a tmpfs this user can write that has at least
 * 1 GiB free, so that the thousands of files of a build are made in
 * memory rather than on a disk; else "/tmp".
 */
const char *scratch_base(const char *env, const char *shm);
/*
 * Makes the temporary folder "BASE/docket-WHAT-PID-XXXXXX" in base (see
 * scratch_base()), after removing those of WHAT that processes of this
 * user left there when they were killed (their PID is gone). Returns it
 * (free it), or NULL with errno set.
 */
char	*scratch_mkdtemp(const char *base, const char *what);

/* Seconds on the monotonic clock, for timing. */
double	 mono_now(void);

/*
 * Keeps the block p reachable until the process ends, for memory left
 * to the end of the process on purpose (see site_keep_at_exit()).
 */
void	 keep_at_exit(void *p);

#endif
