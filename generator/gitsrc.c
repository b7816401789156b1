/*
 * The files a build reads, from a commit's tree: nothing in the working
 * tree is read or written. Symbolic links are followed only when they
 * lead to another place of the site folder. A submodule is an empty
 * folder, as a clone that does not fetch submodules leaves it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "gitsrc.h"
#include "source.h"
#include "util.h"

#define MAX_LINKS	40	/* as Linux follows (MAXSYMLINKS) */

struct gitsrc {
	git_repository	*repo;
	git_tree	*root;		/* the commit's whole tree */
	char		*prefix;	/* the site folder: "" or "a/b/" */
	char		 commit[GIT_OID_HEXSZ + 1];
	char		*why;		/* why the last call failed, or NULL */
};

static void
forget(struct gitsrc *g)
{
	free(g->why);
	g->why = NULL;
}

/* An object of the commit that libgit2 cannot read: a damaged repository. */
static void
damaged(struct gitsrc *g, const char *rel)
{
	const git_error *e = git_error_last();

	free(g->why);
	g->why = xasprintf("'%s' of commit %s: %s", rel, g->commit,
	    e != NULL && e->message != NULL ? e->message :
	    "unknown git error");
}

/*
 * Finds the entry of a path from the site folder, following links that
 * stay inside it in any part of the path, as the file system does: a
 * linked folder's files are found through the link. Sets *out (free with
 * git_tree_entry_free()) and returns SRC_FILE or SRC_DIR, or another type
 * with *out NULL: SRC_OTHER with g->why set when an object on the way
 * cannot be read.
 */
static enum src_type
lookup(struct gitsrc *g, const char *rel, git_tree_entry **out)
{
	const git_tree_entry *found;
	git_tree_entry *e = NULL;
	git_tree *dir = NULL, *sub;
	git_blob *blob = NULL;
	char *full = xasprintf("%s%s", g->prefix, rel), *name, *target, *next;
	const char *slash;
	enum src_type t = SRC_NONE;
	size_t done = 0, len;	/* full[0..done) is the folder dir */
	int hops = 0;

	*out = NULL;
	for (;;) {
		if (done == 0) {
			git_tree_free(dir);
			git_tree_dup(&dir, g->root);
		}
		slash = strchr(full + done, '/');
		len = slash != NULL ? (size_t)(slash - full) : strlen(full);
		name = xstrndup(full + done, len - done);
		found = git_tree_entry_byname(dir, name);
		free(name);
		if (found == NULL || git_tree_entry_dup(&e, found) < 0) {
			e = NULL;
			t = SRC_NONE;
			break;
		}
		if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK) {
			if (++hops > MAX_LINKS) {
				t = SRC_OTHER;
				break;
			}
			if (git_blob_lookup(&blob, g->repo,
			    git_tree_entry_id(e)) < 0) {
				damaged(g, rel);
				t = SRC_OTHER;
				break;
			}
			target = xstrndup(git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob));
			git_blob_free(blob);
			full[len] = '\0';
			next = path_resolve(full, target);
			free(target);
			git_tree_entry_free(e);
			e = NULL;
			if (next == NULL || strncmp(next, g->prefix,
			    strlen(g->prefix)) != 0) {
				free(next);
				t = SRC_OUTSIDE;
				break;
			}
			if (*next == '\0') {
				/* The repository's root, which holds the link. */
				free(next);
				t = SRC_OTHER;
				break;
			}
			if (slash != NULL) {
				name = xasprintf("%s/%s", next, slash + 1);
				free(next);
				next = name;
			}
			free(full);
			full = next;
			done = 0;
			continue;
		}
		if (slash != NULL) {
			/* A folder on the way, or nothing there. */
			if (git_tree_entry_filemode(e) != GIT_FILEMODE_TREE) {
				t = SRC_NONE;
				break;
			}
			if (git_tree_lookup(&sub, g->repo,
			    git_tree_entry_id(e)) < 0) {
				damaged(g, rel);
				t = SRC_OTHER;
				break;
			}
			git_tree_free(dir);
			dir = sub;
			git_tree_entry_free(e);
			e = NULL;
			done = len + 1;
			continue;
		}
		switch (git_tree_entry_filemode(e)) {
		case GIT_FILEMODE_TREE:
		case GIT_FILEMODE_COMMIT:
			t = SRC_DIR;
			break;
		case GIT_FILEMODE_BLOB:
		case GIT_FILEMODE_BLOB_EXECUTABLE:
			t = SRC_FILE;
			break;
		default:
			t = SRC_OTHER;
			break;
		}
		break;
	}
	if (t == SRC_FILE || t == SRC_DIR)
		*out = e;
	else
		git_tree_entry_free(e);
	git_tree_free(dir);
	free(full);
	return t;
}

static enum src_type
git_type(struct source_tree *s, const char *rel)
{
	git_tree_entry *e;
	enum src_type t;

	forget(s->arg);
	if (!source_path_ok(rel))
		return SRC_OTHER;
	if (*rel == '\0')
		return SRC_DIR;
	t = lookup(s->arg, rel, &e);
	git_tree_entry_free(e);
	return t;
}

static int
git_read(struct source_tree *s, const char *rel, struct buf *out)
{
	struct gitsrc *g = s->arg;
	git_tree_entry *e;
	git_blob *blob = NULL;
	enum src_type t;
	int rc = -1;

	forget(g);
	if (!source_path_ok(rel) || *rel == '\0') {
		errno = EINVAL;
		return -1;
	}
	if ((t = lookup(g, rel, &e)) != SRC_FILE) {
		errno = g->why != NULL ? EIO : t == SRC_NONE ? ENOENT :
		    t == SRC_DIR ? EISDIR : EACCES;
		git_tree_entry_free(e);
		return -1;
	}
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(e)) < 0) {
		damaged(g, rel);
		errno = EIO;
	} else if (git_blob_rawsize(blob) > MAX_FILE_SIZE)
		errno = EFBIG;
	else {
		buf_put(out, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob));
		rc = 0;
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	return rc;
}

static int
git_list(struct source_tree *s, const char *rel, char ***out, size_t *outsz)
{
	struct gitsrc *g = s->arg;
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	char **v = NULL;
	size_t n, i;

	*out = NULL;
	*outsz = 0;
	forget(g);
	if (!source_path_ok(rel)) {
		errno = EINVAL;
		return -1;
	}
	if (*rel == '\0' && *g->prefix == '\0')
		git_tree_dup(&t, g->root);
	else if (*rel == '\0') {
		char *p = xstrndup(g->prefix, strlen(g->prefix) - 1);
		if (git_tree_entry_bypath(&e, g->root, p) == 0 &&
		    git_tree_entry_filemode(e) == GIT_FILEMODE_TREE &&
		    git_tree_lookup(&t, g->repo, git_tree_entry_id(e)) < 0)
			damaged(g, p);
		free(p);
	} else if (lookup(g, rel, &e) == SRC_DIR) {
		if (git_tree_entry_filemode(e) == GIT_FILEMODE_COMMIT) {
			/* A submodule: its commit is another repository's. */
			git_tree_entry_free(e);
			*out = xcalloc(1, sizeof(char *));
			return 0;
		}
		if (git_tree_lookup(&t, g->repo, git_tree_entry_id(e)) < 0)
			damaged(g, rel);
	}
	git_tree_entry_free(e);
	if (t == NULL) {
		errno = g->why != NULL ? EIO : ENOTDIR;
		return -1;
	}
	n = git_tree_entrycount(t);
	v = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		v[i] = xstrdup(git_tree_entry_name(git_tree_entry_byindex(t, i)));
	git_tree_free(t);
	if (n > 1)
		qsort(v, n, sizeof(char *), strp_cmp);
	*out = v;
	*outsz = n;
	return 0;
}

static int
git_copy(struct source_tree *s, const char *rel, const char *to)
{
	struct buf b = BUF_INIT;
	int fd, rc = -1, e;

	if (s->ops->read(s, rel, &b) == -1)
		return -1;
	if ((fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) == -1)
		goto out;
	if (write_all(fd, b.ptr, b.len) == -1) {
		e = errno;
		close(fd);
		errno = e;
		goto out;
	}
	rc = close(fd);
out:
	buf_release(&b);
	return rc;
}

static void
git_src_free(struct source_tree *s)
{
	struct gitsrc *g = s->arg;

	git_tree_free(g->root);
	free(g->prefix);
	free(g->why);
	free(g);
}

static const char *
git_why(struct source_tree *s)
{
	return ((struct gitsrc *)s->arg)->why;
}

static const struct source_ops git_ops = {
	git_type, git_read, git_list, git_copy, git_src_free, git_why
};

struct source_tree *
gitsrc_new(git_repository *repo, const git_oid *commit, const char *prefix)
{
	struct source_tree *s;
	struct gitsrc *g;
	git_commit *c = NULL;
	git_tree *root = NULL;

	if (git_commit_lookup(&c, repo, commit) < 0)
		return NULL;
	if (git_commit_tree(&root, c) < 0) {
		git_commit_free(c);
		return NULL;
	}
	git_commit_free(c);
	g = xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->root = root;
	g->prefix = xstrdup(prefix);
	git_oid_tostr(g->commit, sizeof(g->commit), commit);
	s = xcalloc(1, sizeof(*s));
	s->ops = &git_ops;
	s->dir = xstrdup(*prefix != '\0' ? prefix : ".");
	s->arg = g;
	return s;
}
