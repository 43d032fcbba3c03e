/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Start-up hooks: drivers register a function that kmain calls once, after
 * memory, interrupts and PCI are up, in link order within each level.
 */
#ifndef KERN_INITCALL_H
#define KERN_INITCALL_H

struct initcall {
	const char *ic_name;
	void (*ic_fn)(void);
};

#define INITCALL(name, fn)                                                                         \
	static const struct initcall initcall_##fn                                                 \
	    __attribute__((section(".initcall"), used, aligned(8))) = {name, fn}

void initcalls_run(void);

#endif
