/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Partitions of the block layer's disks: each whole disk's MBR or GPT
 * (device/partition.h) is read once and every partition found becomes a
 * disk of its own (blk_register_partition: vd0s1, vd0s5...).
 *
 * Every whole disk registered before INIT_LATE (the virtio disks) is
 * scanned by an INIT_LATE hook of device/, which runs before the boot
 * tasks start (kern/bootstrap.c, INIT_LATE too, links after device/).
 * A disk registered later (a RAM disk) is scanned by whoever registers it.
 * The kernel option partitions=off reads no table at all.
 */
#ifndef DEVICE_BLK_PART_H
#define DEVICE_BLK_PART_H

#include "device/blk.h"

/*
 * Reads d's partition table and registers its partitions, once per disk
 * (later calls do nothing). Returns how many were registered. Waits for
 * the reads: thread context, no lock held.
 */
unsigned blk_scan_partitions(struct blk_disk *d);

#endif
