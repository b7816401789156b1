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

/* Is the real location of path inside the site folder? */
static bool
inside(const struct source_tree *s, const char *path)
{
	char real[PATH_MAX];
	const char *root = s->arg;	/* the site folder's real path */
	size_t n;

	if (root == NULL || realpath(path, real) == NULL)
		return false;
	n = strlen(root);
	return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
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

static enum src_type
fs_type(struct source_tree *s, const char *rel)
{
	struct stat st;
	char *full = fs_path(s, rel);
	enum src_type t;

	if (full == NULL)
		return SRC_OTHER;
	if (lstat(full, &st) == -1)
		t = SRC_NONE;
	else if (!inside(s, full))
		t = stat(full, &st) == -1 ? SRC_OTHER : SRC_OUTSIDE;
	else if (stat(full, &st) == -1)
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

static int
fs_read(struct source_tree *s, const char *rel, struct buf *out)
{
	char *full = fs_path(s, rel);
	int rc;

	if (full == NULL)
		return -1;
	if (!inside(s, full)) {
		free(full);
		errno = errno == ENOENT ? ENOENT : EACCES;
		return -1;
	}
	rc = file_read(out, full);
	free(full);
	return rc;
}

static int
fs_list(struct source_tree *s, const char *rel, char ***out, size_t *outsz)
{
	char *full = fs_path(s, rel);
	char **v = NULL;
	size_t n = 0;
	DIR *d;
	struct dirent *de;

	*out = NULL;
	*outsz = 0;
	if (full == NULL)
		return -1;
	if (!inside(s, full) || (d = opendir(full)) == NULL) {
		if (errno == 0)
			errno = EACCES;
		free(full);
		return -1;
	}
	free(full);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof(char *));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(char *), strp_cmp);
	*out = v;
	*outsz = n;
	return 0;
}

static int
fs_copy(struct source_tree *s, const char *rel, const char *to)
{
	char *from = fs_path(s, rel);
	char tmp[65536];
	ssize_t n;
	int in = -1, out = -1, rc = -1, e;

	if (from == NULL)
		return -1;
	if (!inside(s, from)) {
		errno = EACCES;
		goto done;
	}
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
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
	free(s->arg);
}

static const struct source_ops fs_ops = {
	fs_type, fs_read, fs_list, fs_copy, fs_free
};

struct source_tree *
source_dir(const char *dir)
{
	struct source_tree *s = xcalloc(1, sizeof(*s));

	char real[PATH_MAX];

	s->ops = &fs_ops;
	s->dir = xstrdup(dir);
	s->arg = realpath(dir, real) != NULL ? xstrdup(real) : NULL;
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

void
source_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
