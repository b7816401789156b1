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

#define MHD_SYM(name)	extern __typeof__(name) *sym_##name
MHD_SYM(MHD_add_response_header);
MHD_SYM(MHD_create_response_from_buffer);
MHD_SYM(MHD_create_response_from_callback);
MHD_SYM(MHD_create_response_from_fd);
MHD_SYM(MHD_destroy_response);
MHD_SYM(MHD_lookup_connection_value);
MHD_SYM(MHD_queue_response);
MHD_SYM(MHD_set_connection_option);
MHD_SYM(MHD_start_daemon);
MHD_SYM(MHD_stop_daemon);
#undef MHD_SYM

int	mhd_load(struct diag *);

#endif
