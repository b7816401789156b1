/*
 * Objects read from the object stores directly (see rawobj.h).
 */
#include <string.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "rawobj.h"

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
