/*
 * Unit tests: the working tree backend follows a symbolic link only when
 * it stays inside the site folder, whatever folder it read before.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp, symlink */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "source.h"
#include "unit.h"
#include "util.h"

static char *
at(const char *top, const char *rel)
{
	return path_join(top, rel);
}

static void
link_to(const char *top, const char *target, const char *rel)
{
	char *p = at(top, rel);

	CHECK_INT(symlink(target, p), 0);
	free(p);
}

static void
check_read(struct source_tree *s, const char *rel, const char *want)
{
	struct buf b = BUF_INIT;

	errno = 0;
	if (want == NULL) {
		CHECK_INT(source_read(s, rel, &b), -1);
		CHECK_INT(errno, EACCES);
	} else {
		CHECK_INT(source_read(s, rel, &b), 0);
		CHECK_STR(b.ptr != NULL ? b.ptr : "", want);
	}
	buf_release(&b);
}

void
test_source__links_inside_and_outside(void)
{
	char tmpl[] = "/tmp/docket-source-XXXXXX", *top, *site;
	struct source_tree *s;

	if ((top = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	unit_put(top, "outside/secret.md", "secret\n");
	unit_put(top, "site/content/notes/a.md", "a\n");
	unit_put(top, "site/content/notes/b.md", "b\n");
	unit_put(top, "site/content/real/c.md", "c\n");
	link_to(top, "a.md", "site/content/notes/in.md");
	link_to(top, "../../../outside/secret.md", "site/content/notes/out.md");
	link_to(top, "real", "site/content/linked");
	link_to(top, "../../outside", "site/content/away");
	link_to(top, "site", "site-link");

	/* The site folder reached through a link of its own. */
	site = at(top, "site-link");
	s = source_dir(site);
	CHECK_INT(source_type(s, "content/notes/a.md"), SRC_FILE);
	CHECK_INT(source_type(s, "content/notes/in.md"), SRC_FILE);
	CHECK_INT(source_type(s, "content/notes/out.md"), SRC_OUTSIDE);
	CHECK_INT(source_type(s, "content/notes/none.md"), SRC_NONE);
	CHECK_INT(source_type(s, "content/linked"), SRC_DIR);
	CHECK_INT(source_type(s, "content/away"), SRC_OUTSIDE);
	/* Files of a linked folder, one inside and one outside, in turn. */
	CHECK_INT(source_type(s, "content/linked/c.md"), SRC_FILE);
	CHECK_INT(source_type(s, "content/away/secret.md"), SRC_OUTSIDE);
	CHECK_INT(source_type(s, "content/linked/c.md"), SRC_FILE);
	check_read(s, "content/notes/a.md", "a\n");
	check_read(s, "content/notes/b.md", "b\n");
	check_read(s, "content/notes/in.md", "a\n");
	check_read(s, "content/notes/out.md", NULL);
	check_read(s, "content/linked/c.md", "c\n");
	check_read(s, "content/away/secret.md", NULL);
	check_read(s, "content/notes/b.md", "b\n");
	source_free(s);
	free(site);
	CHECK_INT(remove_tree(top), 0);
}

/*
 * A file found inside is read without a second look, but a link put in
 * its place after it was looked at is not followed out of the site.
 */
void
test_source__file_become_link(void)
{
	char tmpl[] = "/tmp/docket-source-XXXXXX", *top, *site, *p;
	struct source_tree *s;

	if ((top = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	unit_put(top, "outside/secret.md", "secret\n");
	unit_put(top, "site/content/a.md", "a\n");
	unit_put(top, "site/content/b.md", "b\n");
	unit_put(top, "site/content/c.md", "c\n");
	site = at(top, "site");
	s = source_dir(site);
	CHECK_INT(source_type(s, "content/a.md"), SRC_FILE);
	check_read(s, "content/a.md", "a\n");
	/* Looked at as a file, then a link out of the site. */
	CHECK_INT(source_type(s, "content/b.md"), SRC_FILE);
	p = at(top, "site/content/b.md");
	CHECK_INT(unlink(p), 0);
	free(p);
	link_to(top, "../../outside/secret.md", "site/content/b.md");
	check_read(s, "content/b.md", NULL);
	/* And a link inside: followed, as any link inside is. */
	CHECK_INT(source_type(s, "content/c.md"), SRC_FILE);
	p = at(top, "site/content/c.md");
	CHECK_INT(unlink(p), 0);
	free(p);
	link_to(top, "a.md", "site/content/c.md");
	check_read(s, "content/c.md", "a\n");
	source_free(s);
	free(site);
	CHECK_INT(remove_tree(top), 0);
}

/*
 * After a folder is listed, its regular files are told by the listing,
 * without looking at each again; its links, folders and other files are
 * looked at as before, and a file made a link out of the site since the
 * listing is still not read.
 */
void
test_source__types_from_listing(void)
{
	char tmpl[] = "/tmp/docket-source-XXXXXX", *top, *site, *p;
	struct source_tree *s;
	char **names = NULL;
	size_t namesz = 0;

	if ((top = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	unit_put(top, "outside/secret.md", "secret\n");
	unit_put(top, "site/content/a.md", "a\n");
	unit_put(top, "site/content/b.md", "b\n");
	unit_put(top, "site/content/sub/c.md", "c\n");
	link_to(top, "a.md", "site/content/in.md");
	link_to(top, "../../outside/secret.md", "site/content/out.md");
	p = at(top, "site/content/fifo.md");
	CHECK_INT(mkfifo(p, 0600), 0);
	free(p);
	site = at(top, "site");
	s = source_dir(site);
	CHECK_INT(source_list(s, "content", &names, &namesz), 0);
	CHECK_INT((long long)namesz, 6);
	CHECK_STR(namesz == 6 ? names[0] : "", "a.md");
	CHECK_STR(namesz == 6 ? names[5] : "", "sub");
	CHECK_INT(source_type(s, "content/a.md"), SRC_FILE);
	CHECK_INT(source_type(s, "content/in.md"), SRC_FILE);
	CHECK_INT(source_type(s, "content/out.md"), SRC_OUTSIDE);
	CHECK_INT(source_type(s, "content/fifo.md"), SRC_OTHER);
	CHECK_INT(source_type(s, "content/sub"), SRC_DIR);
	check_read(s, "content/a.md", "a\n");
	/* Listed as a file, then a link out of the site. */
	p = at(top, "site/content/b.md");
	CHECK_INT(unlink(p), 0);
	free(p);
	link_to(top, "../../outside/secret.md", "site/content/b.md");
	CHECK_INT(source_type(s, "content/b.md"), SRC_FILE);
	check_read(s, "content/b.md", NULL);
	/* Listed as a file, then gone. */
	p = at(top, "site/content/a.md");
	CHECK_INT(unlink(p), 0);
	free(p);
	CHECK_INT(source_type(s, "content/a.md"), SRC_FILE);
	errno = 0;
	{
		struct buf b = BUF_INIT;

		CHECK_INT(source_read(s, "content/a.md", &b), -1);
		CHECK_INT(errno, ENOENT);
		buf_release(&b);
	}
	/* Made after the listing: looked at. */
	unit_put(top, "site/content/new.md", "new\n");
	CHECK_INT(source_type(s, "content/new.md"), SRC_FILE);
	check_read(s, "content/new.md", "new\n");
	/* Another folder listed: the first one's files are looked at again. */
	source_list_free(names, namesz);
	CHECK_INT(source_list(s, "content/sub", &names, &namesz), 0);
	CHECK_INT(source_type(s, "content/b.md"), SRC_OUTSIDE);
	CHECK_INT(source_type(s, "content/sub/c.md"), SRC_FILE);
	check_read(s, "content/sub/c.md", "c\n");
	source_list_free(names, namesz);
	source_free(s);
	free(site);
	CHECK_INT(remove_tree(top), 0);
}

/*
 * A listed file whose path is longer than PATH_MAX, in a folder whose
 * path is not, is looked at again rather than taken for one outside the
 * site: lstat() says the name is too long, as before the listing told
 * regular files.
 */
void
test_source__listed_path_too_long(void)
{
	char tmpl[] = "/tmp/docket-source-XXXXXX", *top, *site, *rel, *p;
	char part[201], file[256];
	struct source_tree *s;
	struct buf dir = BUF_INIT;
	char **names = NULL;
	size_t namesz = 0, len, i;
	int fds[32], fd, depth = 0;

	if ((top = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	memset(part, 'd', 200);
	part[200] = '\0';
	unit_put(top, "site/content/index.md", "i\n");
	site = at(top, "site");
	p = at(site, "content");
	fds[0] = open(p, O_RDONLY | O_DIRECTORY);
	free(p);
	CHECK(fds[0] != -1);
	buf_puts(&dir, "content");
	/* Folders until the folder's path is just short of PATH_MAX. */
	len = strlen(site) + 1 + strlen("content");
	while (fds[depth] != -1 && len + 201 < PATH_MAX - 20 && depth < 30) {
		CHECK_INT(mkdirat(fds[depth], part, 0700), 0);
		fds[depth + 1] = openat(fds[depth], part, O_RDONLY | O_DIRECTORY);
		depth++;
		buf_putc(&dir, '/');
		buf_puts(&dir, part);
		len += 201;
	}
	/* A name that takes the file's path one byte past PATH_MAX. */
	memset(file, 'f', PATH_MAX - len - 3);
	memcpy(file + PATH_MAX - len - 3, ".md", 4);
	CHECK(len + 1 + strlen(file) == PATH_MAX + 1 && strlen(file) < 256);
	fd = openat(fds[depth], file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd != -1 && write(fd, "x\n", 2) == 2);
	close(fd);
	s = source_dir(site);
	CHECK_INT(source_list(s, dir.ptr, &names, &namesz), 0);
	CHECK_INT((long long)namesz, 1);
	rel = xasprintf("%s/%s", dir.ptr, file);
	CHECK_INT(source_type(s, rel), SRC_NONE);
	free(rel);
	source_list_free(names, namesz);
	source_free(s);
	/* Removed from the inside out, through the folders kept open. */
	CHECK_INT(unlinkat(fds[depth], file, 0), 0);
	for (i = (size_t)depth; i > 0; i--) {
		close(fds[i]);
		CHECK_INT(unlinkat(fds[i - 1], part, AT_REMOVEDIR), 0);
	}
	close(fds[0]);
	buf_release(&dir);
	free(site);
	CHECK_INT(remove_tree(top), 0);
}

static void
on_alarm(int sig)
{
	(void)sig;	/* only to end a call that blocks */
}

/*
 * A file copied as it is (content/static/) that has become a FIFO since
 * the content was read is refused at once, not waited on.
 */
void
test_source__copy_refuses_fifo(void)
{
	char tmpl[] = "/tmp/docket-source-XXXXXX", *top, *site, *p, *to;
	struct source_tree *s;
	struct sigaction sa, old;

	if ((top = mkdtemp(tmpl)) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	unit_put(top, "site/content/static/a.txt", "a\n");
	p = at(top, "site/content/static/pipe.txt");
	CHECK_INT(mkfifo(p, 0600), 0);
	free(p);
	site = at(top, "site");
	to = at(top, "copy.txt");
	s = source_dir(site);
	CHECK_INT(source_copy(s, "content/static/a.txt", to), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: open() gives EINTR */
	sigaction(SIGALRM, &sa, &old);
	alarm(5);
	errno = 0;
	CHECK_INT(source_copy(s, "content/static/pipe.txt", to), -1);
	CHECK_INT(errno, ENODEV);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	source_free(s);
	free(to);
	free(site);
	CHECK_INT(remove_tree(top), 0);
}
