/*
 * Loads libmicrohttpd and finds the functions the preview server calls.
 */
#include <dlfcn.h>
#include <stddef.h>

#include "mhd.h"

#ifndef MHD_SONAME
#define MHD_SONAME	"libmicrohttpd.so.12"
#endif

#define MHD_SYM_DEFINE(name)	__typeof__(name) *sym_##name;
MHD_SYMS(MHD_SYM_DEFINE)
#undef MHD_SYM_DEFINE

/*
 * Where each pointer is, and the name it is found by. dlsym() returns a
 * void *, which ISO C does not convert to a function pointer; POSIX
 * makes the two the same size, so it is copied through a void **.
 */
static const struct {
	void		**ptr;
	const char	 *name;
} syms[] = {
#define MHD_SYM_ENTRY(name)	{ (void **)&sym_##name, #name },
	MHD_SYMS(MHD_SYM_ENTRY)
#undef MHD_SYM_ENTRY
};

/*
 * Loads the library once. Returns 0, or -1 after an error that names
 * the library and the Debian package that has it.
 */
int
mhd_load(struct diag *dg)
{
	static void *lib;
	size_t i;

	if (lib != NULL)
		return 0;
	if ((lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		diag_error(dg, NULL, "the preview server needs %s, which "
		    "cannot be loaded (%s); on Debian and Ubuntu it is in "
		    "the package libmicrohttpd12 (libmicrohttpd12t64 since "
		    "Debian 13 and Ubuntu 24.04)", MHD_SONAME, dlerror());
		return -1;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if ((*syms[i].ptr = dlsym(lib, syms[i].name)) == NULL) {
			diag_error(dg, NULL, "%s has no function %s",
			    MHD_SONAME, syms[i].name);
			dlclose(lib);
			lib = NULL;
			return -1;
		}
	return 0;
}
