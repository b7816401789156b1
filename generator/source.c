/*
 * The files a build reads: the working tree backend.
 */
#define _DEFAULT_SOURCE	/* realpath */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "source.h"
#include "util.h"

int
source_path_ok(const char *rel)
{
	const char *p = rel, *e;
	size_t n;

	if (*rel == '\0')
		return 1;	/* the site folder itself */
	if (*rel == '/' || strchr(rel, '\\') != NULL)
		return 0;
	for (;;) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (e == NULL)
			return 1;
		p = e + 1;
	}
}

/* What the working tree backend keeps. */
struct fs_state {
	char	*root;		/* the site folder's real path, or NULL */
	char	*dir;		/* the folder last resolved, as given */
	char	*dirreal;	/* its real path, or NULL */
	char	*typed;		/* the path fs_type() last found a file
				   inside, not a link (fs_read()) */
	char	*listed;	/* the folder fs_list() last listed */
	struct entry *entries;	/* its names, sorted, with their types */
	size_t	 entriesz;
};

/* A name of a folder, and whether it was a regular file when listed. */
struct entry {
	char	*name;
	bool	 regular;
};

/*
 * The real path of a folder, kept for the next call: a build reads the
 * files of a folder one after another, and realpath() reads every part
 * of the path again each time.
 */
static const char *
dir_real(struct fs_state *fs, const char *dir, size_t n)
{
	char real[PATH_MAX];

	if (fs->dir != NULL && strlen(fs->dir) == n &&
	    memcmp(fs->dir, dir, n) == 0)
		return fs->dirreal;
	free(fs->dir);
	free(fs->dirreal);
	fs->dir = xstrndup(dir, n);
	fs->dirreal = realpath(fs->dir, real) != NULL ? xstrdup(real) : NULL;
	return fs->dirreal;
}

/*
 * Is the real location of path inside the site folder? lst is path's
 * lstat(): a name that is not a symbolic link resolves to its folder's
 * real path and the name, so only links and folders are resolved.
 */
static bool
inside(const struct source_tree *s, const char *path, const struct stat *lst)
{
	struct fs_state *fs = s->arg;
	char real[PATH_MAX];
	const char *root = fs->root, *slash, *base, *dr;
	size_t n;
	int len;

	if (root == NULL)
		return false;
	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : NULL;
	if (!S_ISLNK(lst->st_mode) && slash != NULL && slash != path &&
	    *base != '\0' && strcmp(base, ".") != 0 && strcmp(base, "..") != 0) {
		if ((dr = dir_real(fs, path, (size_t)(slash - path))) == NULL)
			return false;
		len = snprintf(real, sizeof(real), "%s%s%s", dr,
		    strcmp(dr, "/") == 0 ? "" : "/", base);
		if (len < 0 || (size_t)len >= sizeof(real))
			return false;
	} else if (realpath(path, real) == NULL)
		return false;
	n = strlen(root);
	if (strncmp(real, root, n) != 0 || (real[n] != '/' && real[n] != '\0'))
		return false;
	/*
	 * Nor in a repository's .git folder inside the site (its config can
	 * hold CI's token): a link there is as good as one outside.
	 */
	for (base = real + n; (base = strstr(base, "/.git")) != NULL; base++)
		if (base[5] == '/' || base[5] == '\0')
			return false;
	return true;
}

/* inside() for a path not yet looked at; errno 0 when it is outside. */
static bool
inside_path(const struct source_tree *s, const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return false;
	errno = 0;
	return inside(s, path, &st);
}

/*
 * Every part of the path may be a link; the whole must resolve inside.
 * Returns the full path (caller frees) or NULL with errno set.
 */
static char *
fs_path(struct source_tree *s, const char *rel)
{
	char *full;

	if (!source_path_ok(rel)) {
		errno = EINVAL;
		return NULL;
	}
	full = path_join(s->dir, rel);
	return full;
}

/*
 * Was rel a regular file when its folder was last listed? A build looks
 * at every name of a folder right after listing it: the folder's entries
 * tell the type without a lstat() of each. What was so is checked again
 * where it matters: fs_read() opens without following a link.
 */
static bool
listed_regular(const struct fs_state *fs, const char *rel)
{
	const char *slash = strrchr(rel, '/'), *base;
	size_t lo = 0, hi = fs->entriesz, mid;
	int c;

	if (fs->listed == NULL || slash == NULL ||
	    strlen(fs->listed) != (size_t)(slash - rel) ||
	    memcmp(fs->listed, rel, (size_t)(slash - rel)) != 0)
		return false;
	base = slash + 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(fs->entries[mid].name, base)) == 0)
			return fs->entries[mid].regular;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static enum src_type
fs_type(struct source_tree *s, const char *rel)
{
	struct fs_state *fs = s->arg;
	struct stat st;
	char *full = fs_path(s, rel);
	enum src_type t;

	free(fs->typed);
	fs->typed = NULL;
	if (full == NULL)
		return SRC_OTHER;
	/*
	 * A regular file of the folder just listed is not looked at again;
	 * anything else is, and so is one not found inside, to tell why.
	 */
	if (listed_regular(fs, rel)) {
		memset(&st, 0, sizeof(st));
		st.st_mode = S_IFREG;
		if (inside(s, full, &st)) {
			fs->typed = full;
			return SRC_FILE;
		}
	}
	if (lstat(full, &st) == -1)
		t = SRC_NONE;
	else if (!inside(s, full, &st))
		t = stat(full, &st) == -1 ? SRC_OTHER : SRC_OUTSIDE;
	else if (S_ISREG(st.st_mode)) {
		/* Read next, as a rule: fs_read() need not look again. */
		fs->typed = full;
		return SRC_FILE;
	} else if (S_ISLNK(st.st_mode) && stat(full, &st) == -1)
		t = SRC_OTHER;
	else if (S_ISDIR(st.st_mode))
		t = SRC_DIR;
	else if (S_ISREG(st.st_mode))
		t = SRC_FILE;
	else
		t = SRC_OTHER;
	free(full);
	return t;
}

/*
 * A file fs_type() has just found inside, and no link, is opened without
 * following one, in case it has become one since; else it is looked at
 * again.
 */
static int
fs_read(struct source_tree *s, const char *rel, struct buf *out)
{
	struct fs_state *fs = s->arg;
	char *full = fs_path(s, rel);
	int rc;

	if (full == NULL)
		return -1;
	if (fs->typed != NULL && strcmp(fs->typed, full) == 0 &&
	    ((rc = file_read_nofollow(out, full)) == 0 || errno != ELOOP)) {
		free(full);
		return rc;
	}
	if (!inside_path(s, full)) {
		free(full);
		errno = errno == ENOENT ? ENOENT : EACCES;
		return -1;
	}
	rc = file_read(out, full);
	free(full);
	return rc;
}

/* Forgets the folder fs_list() last listed. */
static void
listed_free(struct fs_state *fs)
{
	size_t i;

	for (i = 0; i < fs->entriesz; i++)
		free(fs->entries[i].name);
	free(fs->entries);
	free(fs->listed);
	fs->listed = NULL;
	fs->entries = NULL;
	fs->entriesz = 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

static int
fs_list(struct source_tree *s, const char *rel, char ***out, size_t *outsz)
{
	struct fs_state *fs = s->arg;
	char *full = fs_path(s, rel);
	struct entry *v = NULL;
	size_t n = 0, i;
	DIR *d;
	struct dirent *de;

	*out = NULL;
	*outsz = 0;
	listed_free(fs);
	if (full == NULL)
		return -1;
	if (!inside_path(s, full) || (d = opendir(full)) == NULL) {
		if (errno == 0)
			errno = EACCES;
		free(full);
		return -1;
	}
	free(full);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n].name = xstrdup(de->d_name);
		v[n++].regular = de->d_type == DT_REG;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), entry_cmp);
	*out = xreallocarray(NULL, n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		(*out)[i] = xstrdup(v[i].name);
	*outsz = n;
	fs->entries = v;	/* kept for fs_type() */
	fs->entriesz = n;
	fs->listed = xstrdup(rel);
	return 0;
}

static int
fs_copy(struct source_tree *s, const char *rel, const char *to)
{
	char *from = fs_path(s, rel);
	struct stat st;
	char tmp[65536];
	ssize_t n;
	int in = -1, out = -1, rc = -1, e;

	if (from == NULL)
		return -1;
	if (!inside_path(s, from)) {
		errno = EACCES;
		goto done;
	}
	/* Looked at when the content was read, but a FIFO may be there now. */
	if ((in = file_open_regular(from, 0, &st)) == -1)
		goto done;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) == -1)
		goto done;
	while ((n = read(in, tmp, sizeof(tmp))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto done;
		}
		if (write(out, tmp, (size_t)n) != n) {
			if (errno == 0)
				errno = ENOSPC;
			goto done;
		}
	}
	rc = close(out);
	out = -1;
done:
	e = errno;
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	free(from);
	errno = e;
	return rc;
}

static void
fs_free(struct source_tree *s)
{
	struct fs_state *fs = s->arg;

	free(fs->root);
	free(fs->dir);
	free(fs->dirreal);
	free(fs->typed);
	listed_free(fs);
	free(fs);
}

static const struct source_ops fs_ops = {
	fs_type, fs_read, fs_list, fs_copy, fs_free, NULL
};

struct source_tree *
source_dir(const char *dir)
{
	struct source_tree *s = xcalloc(1, sizeof(*s));
	struct fs_state *fs = xcalloc(1, sizeof(*fs));
	char real[PATH_MAX];

	s->ops = &fs_ops;
	s->dir = xstrdup(dir);
	fs->root = realpath(dir, real) != NULL ? xstrdup(real) : NULL;
	s->arg = fs;
	return s;
}

void
source_free(struct source_tree *s)
{
	if (s == NULL)
		return;
	s->ops->free(s);
	free(s->dir);
	free(s);
}

enum src_type
source_type(struct source_tree *s, const char *rel)
{
	return s->ops->type(s, rel);
}

int
source_read(struct source_tree *s, const char *rel, struct buf *out)
{
	return s->ops->read(s, rel, out);
}

int
source_list(struct source_tree *s, const char *rel, char ***out, size_t *outsz)
{
	return s->ops->list(s, rel, out, outsz);
}

int
source_copy(struct source_tree *s, const char *rel, const char *to)
{
	return s->ops->copy(s, rel, to);
}

const char *
source_why(struct source_tree *s)
{
	return s->ops->why != NULL ? s->ops->why(s) : NULL;
}

void
source_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
