/*
 * Fuzz targets: each file defines LLVMFuzzerTestOneInput(). Built with
 * clang -fsanitize=fuzzer for `make fuzz`, or with standalone.c, which
 * replays the seed corpus under any compiler for `make test`.
 */
#ifndef DOCKET_FUZZ_H
#define DOCKET_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
