/*
 * The files a build reads, by path from the site folder ("docket.yml",
 * "content/a.md"): the working tree, or another tree with the same
 * operations (a commit's, for --as-of). Paths are relative, use '/', and
 * never hold "." or ".." parts; a symbolic link is followed only when it
 * stays inside the site folder.
 */
#ifndef DOCKET_SOURCE_H
#define DOCKET_SOURCE_H

#include <stddef.h>

struct buf;

enum src_type {
	SRC_NONE,	/* nothing there */
	SRC_FILE,
	SRC_DIR,
	SRC_OUTSIDE,	/* a symbolic link that leads out of the site */
	SRC_OTHER	/* a device, socket, broken link ... */
};

struct source_tree;

struct source_ops {
	enum src_type	(*type)(struct source_tree *, const char *rel);
	/* Appends the file to out; -1 with errno (EFBIG past MAX_FILE_SIZE). */
	int		(*read)(struct source_tree *, const char *rel, struct buf *out);
	/* The names in a folder, sorted, without "." and ".."; caller frees. */
	int		(*list)(struct source_tree *, const char *rel, char ***out,
			    size_t *outsz);
	/* Copies a file of any size to a path outside the source. */
	int		(*copy)(struct source_tree *, const char *rel, const char *to);
	void		(*free)(struct source_tree *);
	/* source_why(); NULL when the backend knows no more than errno. */
	const char	*(*why)(struct source_tree *);
};

struct source_tree {
	const struct source_ops	*ops;
	char			*dir;	/* the site folder */
	void			*arg;	/* the backend's own */
};

/* The working tree below dir. */
struct source_tree	*source_dir(const char *dir);
void		 source_free(struct source_tree *);
enum src_type	 source_type(struct source_tree *, const char *rel);
int		 source_read(struct source_tree *, const char *rel, struct buf *);
int		 source_list(struct source_tree *, const char *rel, char ***,
		     size_t *);
int		 source_copy(struct source_tree *, const char *rel, const char *to);
void		 source_list_free(char **, size_t);
/*
 * Why the last call failed, when errno does not say it: "'<rel>' of
 * commit <id>: <reason>" for an object of a commit that cannot be read
 * (a damaged repository), or NULL. Valid until the next call.
 */
const char	*source_why(struct source_tree *);
/* Is rel a clean relative path (no "", ".", ".." parts, no leading '/')? */
int		 source_path_ok(const char *rel);

#endif
