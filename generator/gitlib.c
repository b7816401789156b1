/*
 * Loads libgit2 and finds the functions docket calls (gitlib.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define GITLIB_NO_SHORTHAND
#include "gitlib.h"

#ifndef GIT2_SONAME
#define GIT2_SONAME	"libgit2.so.1.5"
#endif

struct gitlib	gitlib_syms;
atomic_bool	gitlib_loaded;

/*
 * Where each pointer is, and the name it is found by. dlsym() returns a
 * void *, which ISO C does not convert to a function pointer; POSIX
 * makes the two the same size, so it is copied through a void **.
 */
static const struct {
	void		**ptr;
	const char	 *name;
} syms[] = {
#define GIT2_SYM_ENTRY(name)	{ (void **)&gitlib_syms.name, #name },
	GIT2_SYMS(GIT2_SYM_ENTRY)
#undef GIT2_SYM_ENTRY
};

/*
 * libgit2 1.5 built with mbedTLS, as Debian builds it, reads and parses
 * every certificate of the system's CA bundle in git_libgit2_init(), for
 * HTTPS connections docket never makes: 288 certificates, 55 million
 * instructions, 4 ms before any history can be read. The program's own
 * symbols come first when the dynamic linker binds a library's calls,
 * and the docket binary exports these two (the Makefile's link line),
 * so libgit2 is given an empty list of trusted certificates instead. A
 * libgit2 built with another TLS library never calls them. The
 * arguments are mbedTLS's (mbedtls_x509_crt *, const char *); 0 is
 * success.
 */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_path(void *chain, const char *path);

int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int
mbedtls_x509_crt_parse_path(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

/*
 * Without libgit2 no history can be read, and docket was built with it:
 * a broken installation, said as such, not a diagnostic of the site.
 */
static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "docket: error: %s %s (%s), which docket was built "
	    "with: install libgit2 again (on Debian 12 the package "
	    "libgit2-1.5)\n", what, GIT2_SONAME, detail);
	exit(2);
}

static void
load(void)
{
	void *lib;
	size_t i;

	if ((lib = dlopen(GIT2_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		fail("cannot load", dlerror());
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if ((*syms[i].ptr = dlsym(lib, syms[i].name)) == NULL)
			fail("cannot find a function in", syms[i].name);
	atomic_store_explicit(&gitlib_loaded, true, memory_order_release);
}

struct gitlib *
gitlib_load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, load);
	return &gitlib_syms;
}
