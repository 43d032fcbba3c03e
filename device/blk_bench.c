// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `blk bench vdN ...`: the in-kernel block benchmark (issue 3 item 8).
 */
#include "device/blk_monitor.h"

#include "kern/monitor.h"

int
blk_cmd_bench(struct blk_disk *d, int argc, char **argv)
{
	return monitor_error("blk bench: not implemented yet");
}
