/*
 * Objects read from the object stores directly (see rawobj.h).
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gitlib.h"
#include "rawobj.h"
#include "util.h"

int
rawobj_read(struct rawobj *b, git_repository *repo, const git_oid *id,
    git_object_t want)
{
	git_odb *odb = NULL;
	git_odb_backend *be;
	git_object_t type = GIT_OBJECT_INVALID;
	void *data;
	size_t i, n, len;
	int rc = GIT_ENOTFOUND;

	memset(b, 0, sizeof(*b));
	if (git_repository_odb(&odb, repo) < 0)
		return -1;
	n = git_odb_num_backends(odb);
	for (i = 0; i < n; i++) {
		if (git_odb_get_backend(&be, odb, i) < 0 || be->read == NULL)
			continue;
		rc = be->read(&data, &len, &type, be, id);
		if (rc == 0) {
			b->backend = be;
			b->data = data;
			b->size = len;
			break;
		}
		if (rc != GIT_ENOTFOUND && rc != GIT_PASSTHROUGH)
			break;	/* git_odb_read() tells why */
	}
	if (rc != 0 && (rc = git_odb_read(&b->object, odb, id)) == 0) {
		b->data = git_odb_object_data(b->object);
		b->size = git_odb_object_size(b->object);
		type = git_odb_object_type(b->object);
	}
	git_odb_free(odb);
	if (rc != 0)
		return -1;
	if (type != want) {
		git_error_set_str(GIT_ERROR_INVALID,
		    "the object is not of the type expected");
		return -1;
	}
	return 0;
}

void
rawobj_free(struct rawobj *b)
{
	if (b->backend != NULL)
		git_odb_backend_data_free(b->backend, (void *)b->data);
	git_odb_object_free(b->object);
	memset(b, 0, sizeof(*b));
}

/* ---- loose objects ---- */

/*
 * The highest priority of the object stores: libgit2's packs are 2, its
 * loose objects 1, and the packs of gitlog.c's own_packs() 3.
 */
#define LOOSE_PRIORITY	100
/* zlib inflates at most 1032 bytes from one. */
#define ZLIB_RATIO_MAX	1032
/* The header "blob 123\0" is read first, within this many bytes. */
#define LOOSE_HEADER_MAX	64

/* The loose objects found, shared by the handles of one repository. */
struct loose_ids {
	atomic_uint	 refs;
	git_oid		*ids;		/* sorted */
	size_t		 idsz;
};

struct loose {
	git_odb_backend	 be;
	char		*dir;		/* ".../objects/" */
	struct loose_ids *set;
};

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* Lists the loose objects of the folder dir ("objects/"), sorted. */
static struct loose_ids *
loose_scan(const char *dir)
{
	struct loose_ids *l = xcalloc(1, sizeof(*l));
	DIR *top, *sub;
	struct dirent *e, *f;
	char hex[GIT_OID_HEXSZ + 1], *path;
	size_t cap = 0;
	git_oid id;

	atomic_init(&l->refs, 1);
	if ((top = opendir(dir)) == NULL)
		return l;
	while ((e = readdir(top)) != NULL) {
		if (strlen(e->d_name) != 2 || !isxdigit((unsigned char)e->d_name[0]) ||
		    !isxdigit((unsigned char)e->d_name[1]))
			continue;
		path = xasprintf("%s%s", dir, e->d_name);
		sub = opendir(path);
		free(path);
		if (sub == NULL)
			continue;
		while ((f = readdir(sub)) != NULL) {
			if (strlen(f->d_name) != GIT_OID_HEXSZ - 2)
				continue;
			memcpy(hex, e->d_name, 2);
			memcpy(hex + 2, f->d_name, GIT_OID_HEXSZ - 2);
			hex[GIT_OID_HEXSZ] = '\0';
			if (git_oid_fromstr(&id, hex) < 0)
				continue;
			if (l->idsz == cap) {
				cap = cap == 0 ? 256 : cap * 2;
				l->ids = xreallocarray(l->ids, cap, sizeof(*l->ids));
			}
			l->ids[l->idsz++] = id;
		}
		closedir(sub);
	}
	closedir(top);
	if (l->idsz > 1)
		qsort(l->ids, l->idsz, sizeof(*l->ids), oid_cmp);
	return l;
}

static void
loose_ids_free(struct loose_ids *l)
{
	if (l == NULL || atomic_fetch_sub(&l->refs, 1) != 1)
		return;
	free(l->ids);
	free(l);
}

static int
loose_damaged(const char *hex, const char *why)
{
	char *msg = xasprintf("loose object %s is damaged (%s); 'git fsck' "
	    "lists the damaged objects", hex, why);

	git_error_set_str(GIT_ERROR_ODB, msg);
	free(msg);
	return GIT_ERROR;
}

/*
 * Reads and inflates the loose object `id`: GIT_PASSTHROUGH when it is
 * not one (a packed object), or not one this reader can take (larger
 * than zlib counts in one call): libgit2's stores read it.
 */
static int
loose_read(void **out, size_t *outlen, git_object_t *outtype,
    git_odb_backend *be, const git_oid *id)
{
	struct loose *l = (struct loose *)be;
	char hex[GIT_OID_HEXSZ + 1], *path, *sp, *end, *num;
	unsigned char hdr[LOOSE_HEADER_MAX], *file = NULL, *data = NULL;
	unsigned long long size;
	git_object_t type;
	struct stat st;
	z_stream zs;
	size_t have = 0, got, hlen, body;
	ssize_t n;
	int fd, zr, rc = GIT_PASSTHROUGH;

	if (bsearch(id, l->set->ids, l->set->idsz, sizeof(*l->set->ids),
	    oid_cmp) == NULL)
		return GIT_PASSTHROUGH;
	git_oid_tostr(hex, sizeof(hex), id);
	path = xasprintf("%s%.2s/%s", l->dir, hex, hex + 2);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return GIT_PASSTHROUGH;	/* packed since, as a rule */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return loose_damaged(hex, "not a file");
	}
	if ((unsigned long long)st.st_size > UINT_MAX / ZLIB_RATIO_MAX) {
		close(fd);
		return GIT_PASSTHROUGH;
	}
	file = xmalloc((size_t)st.st_size + 1);
	while (have < (size_t)st.st_size &&
	    ((n = read(fd, file + have, (size_t)st.st_size - have)) > 0 ||
	    (n == -1 && errno == EINTR)))
		if (n > 0)
			have += (size_t)n;
	close(fd);
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		free(file);
		git_error_set_oom();
		return GIT_ERROR;
	}
	/* All the input at once: one call inflates what it can, and stops. */
	zs.next_in = file;
	zs.avail_in = (uInt)have;
	zs.next_out = hdr;
	zs.avail_out = sizeof(hdr);
	zr = inflate(&zs, Z_SYNC_FLUSH);
	if (zr != Z_OK && zr != Z_STREAM_END) {
		rc = loose_damaged(hex, zs.avail_in == 0 ? "cut short" :
		    "not zlib data");
		goto out;
	}
	got = sizeof(hdr) - zs.avail_out;
	if ((end = memchr(hdr, '\0', got)) == NULL ||
	    (sp = memchr(hdr, ' ', (size_t)(end - (char *)hdr))) == NULL) {
		rc = loose_damaged(hex, zr != Z_STREAM_END && zs.avail_in == 0 ?
		    "cut short" : "no header");
		goto out;
	}
	*sp = '\0';
	type = git_object_string2type((char *)hdr);
	errno = 0;
	size = strtoull(sp + 1, &num, 10);
	if ((type != GIT_OBJECT_COMMIT && type != GIT_OBJECT_TREE &&
	    type != GIT_OBJECT_BLOB && type != GIT_OBJECT_TAG) ||
	    !isdigit((unsigned char)sp[1]) || num != end || errno != 0 ||
	    size > (unsigned long long)have * ZLIB_RATIO_MAX) {
		rc = loose_damaged(hex, "bad header");
		goto out;
	}
	hlen = (size_t)(end - (char *)hdr) + 1;
	body = got - hlen;
	if (body > size) {
		rc = loose_damaged(hex, "longer than its header says");
		goto out;
	}
	data = git_odb_backend_data_alloc(be, (size_t)size + 1);
	if (data == NULL) {
		rc = GIT_ERROR;
		goto out;
	}
	memcpy(data, hdr + hlen, body);
	if (zr != Z_STREAM_END) {
		/* Room for one byte more: a longer object does not end. */
		zs.next_out = data + body;
		zs.avail_out = (uInt)(size - body + 1);
		zr = inflate(&zs, Z_FINISH);
		body = (size_t)size + 1 - zs.avail_out;
	}
	if (zr != Z_STREAM_END || body != size) {
		rc = loose_damaged(hex, zr == Z_STREAM_END ? "not the size "
		    "its header says" : zs.avail_in == 0 ? "cut short" :
		    "not zlib data");
		goto out;
	}
	data[size] = '\0';
	*out = data;
	*outlen = (size_t)size;
	*outtype = type;
	data = NULL;
	rc = 0;
out:
	if (data != NULL)
		git_odb_backend_data_free(be, data);
	inflateEnd(&zs);
	free(file);
	return rc;
}

static int
loose_read_header(size_t *len, git_object_t *type, git_odb_backend *be,
    const git_oid *id)
{
	void *data;
	int rc;

	if ((rc = loose_read(&data, len, type, be, id)) == 0)
		git_odb_backend_data_free(be, data);
	return rc;
}

static void
loose_free(git_odb_backend *be)
{
	struct loose *l = (struct loose *)be;

	free(l->dir);
	loose_ids_free(l->set);
	free(l);
}

/* The list of the loose objects of a handle rawobj_guard() guarded. */
static struct loose_ids *
loose_of(git_repository *repo)
{
	git_odb *odb = NULL;
	git_odb_backend *be;
	struct loose_ids *set = NULL;
	size_t i, n;

	if (repo == NULL || git_repository_odb(&odb, repo) < 0)
		return NULL;
	n = git_odb_num_backends(odb);
	for (i = 0; i < n && set == NULL; i++)
		if (git_odb_get_backend(&be, odb, i) == 0 &&
		    be->read == loose_read) {
			set = ((struct loose *)be)->set;
			atomic_fetch_add(&set->refs, 1);
		}
	git_odb_free(odb);
	return set;
}

int
rawobj_guard(git_repository *repo, git_repository *like)
{
	git_odb *odb = NULL;
	struct loose *l;
	int rc = -1;

	l = xcalloc(1, sizeof(*l));
	git_odb_init_backend(&l->be, GIT_ODB_BACKEND_VERSION);
	l->be.read = loose_read;
	l->be.read_header = loose_read_header;
	l->be.free = loose_free;
	l->dir = xasprintf("%sobjects/", git_repository_commondir(repo));
	if ((l->set = loose_of(like)) == NULL)
		l->set = loose_scan(l->dir);
	if (l->set->idsz == 0)
		rc = 0;		/* nothing to read */
	else if (git_repository_odb(&odb, repo) == 0 &&
	    git_odb_add_backend(odb, &l->be, LOOSE_PRIORITY) == 0) {
		l = NULL;	/* the store's now */
		rc = 0;
	}
	if (l != NULL)
		loose_free(&l->be);
	git_odb_free(odb);
	return rc;
}
