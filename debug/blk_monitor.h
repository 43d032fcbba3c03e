/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the `blk` monitor command (debug/blk_monitor.c) and the
 * in-kernel benchmark (debug/blk_bench.c).
 */
#ifndef DEVICE_BLK_MONITOR_H
#define DEVICE_BLK_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "device/blk.h"

/* zlib's crc32(crc, p, len): start with crc = 0. */
uint32_t blk_crc32(uint32_t crc, const uint8_t *p, size_t len);

/* The disk named name in *d, or D_NO_SUCH_DEVICE with the error recorded. */
kern_return_t blk_mon_disk(const char *name, struct blk_disk **d);

/*
 * "SECTOR [COUNT]" parsed and checked against d: KERN_SUCCESS, or
 * KERN_INVALID_ARGUMENT / D_INVALID_RECNUM with the error recorded.
 */
kern_return_t blk_mon_range(struct blk_disk *d, const char *s_sec, const char *s_cnt,
                            uint64_t *sector, uint32_t *count);

/*
 * `blk bench vdN ...` (argv[0] is "blk"). Only the test image has it
 * (debug/blk_bench.c is in KTEST_SRCS): weak, NULL in the release image.
 */
kern_return_t blk_cmd_bench(struct blk_disk *d, int argc, char **argv) __attribute__((weak));

#endif
