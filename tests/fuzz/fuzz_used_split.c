// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/fuzz/fuzz_used_split.c: libFuzzer target: split-ring used processing
 * against a device whose ring writes are the fuzzer's (fuzz_used.c).
 */
#include "tests/fuzz/fuzz_used.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_used_run(data, size, false);
}
