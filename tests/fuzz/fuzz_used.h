/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/fuzz/fuzz_used.h: the shared harness of fuzz_used_split and
 * fuzz_used_packed: fuzzer bytes become what the device writes.
 */
#ifndef TESTS_FUZZ_FUZZ_USED_H
#define TESTS_FUZZ_FUZZ_USED_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

int fuzz_used_run(const uint8_t *data, size_t size, bool packed);

#endif /* TESTS_FUZZ_FUZZ_USED_H */
