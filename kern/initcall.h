/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Start-up hooks in named, ordered levels. kmain brings up the CPU, the
 * clock, memory and interrupts itself, then runs every hook level by
 * level (in link order within a level):
 *
 *   INIT_BUS     buses are enumerated (PCI)
 *   INIT_DRIVER  drivers register with their cores (virtio-blk, -net...)
 *   INIT_ATTACH  bus glue attaches the devices found, which bind to the
 *                registered drivers as they are added (vd0, eth0...)
 *   INIT_LATE    work that needs every device (boot options acting on them)
 *   INIT_TEST    the in-kernel test runner (test image, test=NAME only)
 *   INIT_RUN     what the kernel does once up: the monitor
 *
 * A hook at INIT_TEST or INIT_RUN may not return; kmain idles when all
 * have returned. docs/architecture.md shows the whole boot sequence.
 */
#ifndef KERN_INITCALL_H
#define KERN_INITCALL_H

/* Digits, because the linker sorts the sections by name. */
#define INIT_BUS 1
#define INIT_DRIVER 2
#define INIT_ATTACH 3
#define INIT_LATE 4
#define INIT_TEST 5
#define INIT_RUN 6

struct initcall {
	const char *ic_name;
	void (*ic_fn)(void);
	unsigned ic_level;
};

#define INITCALL_SECTION_(level) ".initcall." #level
#define INITCALL_SECTION(level) INITCALL_SECTION_(level)

#define INITCALL(level, name, fn)                                                                  \
	static const struct initcall initcall_##fn                                                 \
	    __attribute__((section(INITCALL_SECTION(level)), used, aligned(8))) = {name, fn,       \
	                                                                           level}

void initcalls_run(void);

/* The table in the order initcalls_run() takes it; *end is one past the last. */
const struct initcall *initcall_table(const struct initcall **end);
/* How many hooks have been called so far. */
unsigned initcalls_done(void);

#endif
