/*
 * libmicrohttpd, loaded by the preview server when it starts rather than
 * by every run of docket: it brings GnuTLS and its dependencies, whose
 * loading and set-up took 2 of the 7 ms of CPU time every run of docket
 * spent starting (docs/performance.md, item 57). Each function is called through its
 * pointer, sym_<name>, whose type is that of the declaration in
 * <microhttpd.h>.
 */
#ifndef DOCKET_MHD_H
#define DOCKET_MHD_H

#include <microhttpd.h>

#include "diag.h"

/* The functions docket calls, each given to X(). */
#define MHD_SYMS(X)					\
	X(MHD_add_response_header)			\
	X(MHD_create_response_from_buffer)		\
	X(MHD_create_response_from_callback)		\
	X(MHD_create_response_from_fd)			\
	X(MHD_destroy_response)				\
	X(MHD_get_connection_info)			\
	X(MHD_lookup_connection_value)			\
	X(MHD_queue_response)				\
	X(MHD_set_connection_option)			\
	X(MHD_start_daemon)				\
	X(MHD_stop_daemon)

#define MHD_SYM_EXTERN(name)	extern __typeof__(name) *sym_##name;
MHD_SYMS(MHD_SYM_EXTERN)
#undef MHD_SYM_EXTERN

int	mhd_load(struct diag *);

#endif
