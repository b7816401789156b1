/*
 * Files compiled into the binary: the default templates and assets
 * (named "templates/...") and the record schema ("schema/vendor.rng").
 * generator/embedded.c is written by embedgen at build time.
 */
#ifndef DOCKET_EMBEDDED_H
#define DOCKET_EMBEDDED_H

#include <stddef.h>

struct embedded {
	const char		*name;
	const unsigned char	*data;	/* NUL-terminated */
	size_t			 len;
};

extern const struct embedded	embedded_files[];
extern const size_t		embedded_count;

/* Returns the file of that name, or NULL. */
const struct embedded	*embedded_find(const char *name);

#endif
