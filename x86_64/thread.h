/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine side of threads inside x86_64/ (machine.h has the interface kern/ uses). */
#ifndef X86_64_THREAD_H
#define X86_64_THREAD_H

#include <stdbool.h>

#include "x86_64/machine.h"

/* STAR, LSTAR, FMASK and EFER.SCE of this CPU. */
void thread_syscall_init_cpu(void);
/* Where a thread's user frame lies: right below its kernel stack top. */
struct trap_frame *machine_thread_uframe(uint64_t kstack_top);
/* True when mt is the thread this CPU runs (its FPU and bases are live in registers). */
bool machine_thread_is_running(const struct machine_thread *mt);
/*
 * For a running user thread: machine_thread_sync() copies the live FPU
 * registers and FS/GS bases into mt (before reading them), and
 * machine_thread_load() loads them back (after changing them). Nothing for
 * a thread that is switched out, whose state is already in mt.
 */
void machine_thread_sync(struct machine_thread *mt);
void machine_thread_load(struct machine_thread *mt);

#endif
