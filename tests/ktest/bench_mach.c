// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test=mach_bench: the in-kernel figures of `make bench`'s mach family
 * (bench/mach, docs/bench.md "mach"). Each figure is one TAP check (ok when
 * the operation did what it should, so a broken path cannot give a figure)
 * and one line for bench/mach:
 *
 *   bench mach.NAME ops=N cycles=C ns=T per_op_ns=P
 *
 * C is the cycle counter's delta over the N operations, T the same in
 * nanoseconds (clock_tsc_to_ns). Under `-icount shift=0` one nanosecond is
 * one guest instruction. Figures (option mach_bench=NAME,... picks some;
 * mach_bench_ops=N sets every count, for a quick smoke run):
 *
 *   trap       user mode syscall with rax = -31 and back, less an empty loop
 *   swtch_pri  user mode swtch_pri(0) and back, nothing else runnable,
 *              less the same empty loop
 *   ctxsw      two kernel threads waking each other: per switch, the wake,
 *              the block and the switch included
 *   zero_fill  vm_fault() for write on fresh anonymous pages of a map
 *              (the fault handler alone: no trap entry or exit)
 *   cow        vm_fault() for write in a map forked with copy
 *              inheritance, on pages the parent had written
 *   task       task_create + thread_create + task_terminate, until the
 *              task and its thread are gone
 *
 * The user-mode figures run user code in the test-only user mapping
 * (umap.h), on this thread's kernel side, as tests/ktest/umode_test.c
 * does; the user programs of user/bench/ measure the same traps from a
 * real boot task.
 */
#include <mach/thread_status.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

#include "debug/ktest.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "umap.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"
#include "x86_64/trap.h"

#define MB_TRAP_OPS 20000
#define MB_SWTCH_OPS 5000
#define MB_CTXSW_ROUNDS 5000
#define MB_FAULT_PAGES 2000
#define MB_TASK_OPS 200
#define MB_WARMUP 16

/* The bench's options: which figures, and one count for all (smoke runs). */
static bool
mb_wanted(const char *name)
{
	const char *opt = kernel_option("mach_bench");
	size_t n = strlen(name);

	if (!opt || !*opt || !strcmp(opt, "all"))
		return true;
	for (const char *p = opt; *p;) {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
		while (*p && *p != ',')
			p++;
		if (*p)
			p++;
	}
	return false;
}

static unsigned
mb_ops(unsigned dflt)
{
	const char *opt = kernel_option("mach_bench_ops");
	unsigned v = 0;

	if (!opt)
		return dflt;
	for (; *opt >= '0' && *opt <= '9'; opt++)
		v = v * 10 + (unsigned)(*opt - '0');
	return v ? v : dflt;
}

static void
mb_report(const char *name, unsigned ops, uint64_t cycles)
{
	uint64_t ns = clock_tsc_to_ns(cycles);

	kprintf("bench mach.%s ops=%u cycles=%lu ns=%lu per_op_ns=%lu.%03lu\n", name, ops, cycles,
	        ns, ns / ops, (ns % ops) * 1000 / ops);
}

/* ---- user mode: the trap round trips ---- */

/*
 * mb_loop(rdi = iterations, rsi = trap number): rdtsc, the loop, rdtsc;
 * the delta goes to the data page's word 0, the last rax to word 1, then
 * ud2 hands control back. mb_empty is the same loop without the syscall.
 * Both loops have the same instructions but the syscall: rsi, rdi and
 * r12-r14 survive a syscall (umode_test checks it), rcx and r11 do not.
 */
extern const char mb_ustart[], mb_loop[], mb_empty[], mb_uend[];
__asm__(".section .rodata\n"
        "mb_ustart:\n"
        "mb_loop:\n"
        "	mov %rdi, %r12\n"
        "	rdtsc\n"
        "	shl $32, %rdx\n"
        "	or %rdx, %rax\n"
        "	mov %rax, %r14\n"
        "1:	mov %rsi, %rax\n"
        "	xor %edi, %edi\n"
        "	syscall\n"
        "	dec %r12\n"
        "	jnz 1b\n"
        "	mov %rax, %r13\n"
        "	rdtsc\n"
        "	shl $32, %rdx\n"
        "	or %rdx, %rax\n"
        "	sub %r14, %rax\n"
        "	mov $0x401000, %ecx\n"
        "	mov %rax, 0(%rcx)\n"
        "	mov %r13, 8(%rcx)\n"
        "	ud2\n"
        "mb_empty:\n"
        "	mov %rdi, %r12\n"
        "	rdtsc\n"
        "	shl $32, %rdx\n"
        "	or %rdx, %rax\n"
        "	mov %rax, %r14\n"
        "1:	mov %rsi, %rax\n"
        "	xor %edi, %edi\n"
        "	dec %r12\n"
        "	jnz 1b\n"
        "	mov %rax, %r13\n"
        "	rdtsc\n"
        "	shl $32, %rdx\n"
        "	or %rdx, %rax\n"
        "	sub %r14, %rax\n"
        "	mov $0x401000, %ecx\n"
        "	mov %rax, 0(%rcx)\n"
        "	mov %r13, 8(%rcx)\n"
        "	ud2\n"
        "mb_uend:\n"
        ".text\n");

#define MB_PC(label) (UMAP_CODE + (uint64_t)((label)-mb_ustart))

static struct machine_thread mb_kmt, mb_umt;
static uint64_t mb_ukstack;
static unsigned mb_caught;

/* The user code's ud2: back to the bench, for good. */
static bool
mb_catch(struct trap_frame *tf, int exc, int code, uint64_t subcode)
{
	(void)tf, (void)exc, (void)code, (void)subcode;
	mb_caught++;
	irq_disable();
	machine_switch(&mb_umt, &mb_kmt);
	return true;
}

static void
mb_uenter(void *arg)
{
	(void)arg;
	machine_thread_enter_user();
}

/* Runs the user code at pc with rdi, rsi; false when it could not run. */
static bool
mb_urun(uint64_t pc, uint64_t rdi, uint64_t rsi)
{
	struct i386_thread_state s;
	uint32_t n = i386_THREAD_STATE_COUNT;
	trap_user_catch_fn old;
	uint64_t f;

	if (!mb_ukstack) {
		uint64_t pa = page_alloc_bytes(KSTACK_SIZE, PAGE_ZERO);
		if (!pa)
			return false;
		mb_ukstack = (uint64_t)phys_to_virt(pa) + KSTACK_SIZE;
	}
	if (machine_thread_init_user(&mb_umt, mb_ukstack, mb_uenter, NULL) != KERN_SUCCESS)
		return false;
	machine_thread_set_user_pc_sp(&mb_umt, pc, UMAP_DATA + PAGE_SIZE);
	machine_thread_get_state(&mb_umt, i386_THREAD_STATE, (uint32_t *)&s, &n);
	s.rdi = rdi;
	s.rsi = rsi;
	machine_thread_set_state(&mb_umt, i386_THREAD_STATE, (uint32_t *)&s, n);
	old = trap_set_user_catch(mb_catch);
	mb_caught = 0;
	f = irq_save();
	machine_switch(&mb_kmt, &mb_umt);
	irq_restore(f);
	trap_set_user_catch(old);
	machine_thread_release(&mb_umt);
	return mb_caught == 1;
}

/*
 * One trap figure: the loop with the trap, less the empty loop, each the
 * best of three runs (a timer tick may land in one). want_rax is what the
 * trap must answer on its last call.
 */
static void
mb_trap_figure(struct umap *um, const char *name, int64_t number, unsigned ops, uint64_t want_rax)
{
	uint64_t *data = umap_kva(um, UMAP_DATA), with = UINT64_MAX, without = UINT64_MAX;
	uint64_t answer = UINT64_MAX;
	bool ok = true;

	mb_urun(MB_PC(mb_loop), MB_WARMUP, (uint64_t)number);
	for (int i = 0; i < 3 && ok; i++) {
		ok &= mb_urun(MB_PC(mb_loop), ops, (uint64_t)number) && data[1] == want_rax;
		answer = data[1];
		with = data[0] < with ? data[0] : with;
		ok &= mb_urun(MB_PC(mb_empty), ops, (uint64_t)number);
		without = data[0] < without ? data[0] : without;
	}
	ok &= with > without;
	if (ktap_ok(ok, "%s from user mode, %u calls answered %lu (want %lu)", name, ops, answer,
	            want_rax)) {
		mb_report(name, ops, with - without);
		kprintf("bench mach.%s.loop ops=%u cycles=%lu ns=%lu\n", name, ops, without,
		        clock_tsc_to_ns(without));
	}
}

static void
mb_user_traps(void)
{
	struct umap um;

	if (!ktap_ok(umap_create(&um), "a test-only user mapping at %#llx", UMAP_CODE)) {
		if (mb_wanted("trap"))
			ktap_ok(false, "trap: no user mapping");
		if (mb_wanted("swtch_pri"))
			ktap_ok(false, "swtch_pri: no user mapping");
		return;
	}
	memcpy(umap_kva(&um, UMAP_CODE), mb_ustart, mb_uend - mb_ustart);
	if (mb_wanted("trap"))
		mb_trap_figure(&um, "trap", -31, mb_ops(MB_TRAP_OPS), KERN_INVALID_ARGUMENT);
	/* swtch_pri answers whether others could run: nothing else may be runnable here. */
	if (mb_wanted("swtch_pri"))
		mb_trap_figure(&um, "swtch_pri", -59, mb_ops(MB_SWTCH_OPS), 0);
	umap_destroy(&um);
}

/* ---- helper thread plumbing ---- */

static struct wait_event mb_done_ev = WAIT_EVENT_INIT("mach bench done");
static volatile unsigned mb_done;

static bool
mb_done_reached(void *arg)
{
	return mb_done >= (unsigned)(uintptr_t)arg;
}

static void
mb_finished(void)
{
	__atomic_add_fetch(&mb_done, 1, __ATOMIC_SEQ_CST);
	thread_wakeup(&mb_done_ev);
}

static bool
mb_wait_done(unsigned n)
{
	return wait_until(&mb_done_ev, mb_done_reached, (void *)(uintptr_t)n, 60000000000ULL) ==
	       KERN_SUCCESS;
}

/* ---- thread to thread: two kernel threads waking each other ---- */

static struct wait_event mb_cs_ev[2] = {WAIT_EVENT_INIT("ping"), WAIT_EVENT_INIT("pong")};
static volatile unsigned mb_cs_turn; /* even: ping's turn, odd: pong's */
static unsigned mb_cs_rounds;
static uint64_t mb_cs_t0, mb_cs_t1, mb_cs_switches;

static void
mb_cs_thread(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	struct thread *self = current_thread();
	uint64_t sw0 = 0;

	for (unsigned i = 0; i < MB_WARMUP + mb_cs_rounds; i++) {
		if (i == MB_WARMUP) {
			sw0 = self->th_switches;
			if (me == 0)
				mb_cs_t0 = machine_cycles();
		}
		for (;;) {
			thread_assert_wait(&mb_cs_ev[me], false);
			if (mb_cs_turn % 2 == me) {
				thread_clear_wait();
				break;
			}
			thread_block(WAIT_FOREVER);
		}
		mb_cs_turn++;
		thread_wakeup(&mb_cs_ev[!me]);
	}
	if (me == 1)
		mb_cs_t1 = machine_cycles();
	__atomic_add_fetch(&mb_cs_switches, self->th_switches - sw0, __ATOMIC_SEQ_CST);
	mb_finished();
}

static void
mb_ctxsw(void)
{
	unsigned rounds = mb_ops(MB_CTXSW_ROUNDS), switches;
	bool ok;

	mb_done = 0;
	mb_cs_turn = 0;
	mb_cs_rounds = rounds;
	mb_cs_switches = 0;
	ok =
	    kthread_create(mb_cs_thread, (void *)1, "pong", BASEPRI_SYSTEM, NULL) == KERN_SUCCESS &&
	    kthread_create(mb_cs_thread, (void *)0, "ping", BASEPRI_SYSTEM, NULL) == KERN_SUCCESS &&
	    mb_wait_done(2);
	/* ping's last hand-off and pong's last turn: 2 x rounds switches between t0 and t1. */
	switches = 2 * rounds;
	ok &= mb_cs_turn == 2 * (MB_WARMUP + rounds) && mb_cs_switches >= switches;
	if (ktap_ok(ok, "two kernel threads took %u turns, switched in %lu times", mb_cs_turn,
	            mb_cs_switches))
		mb_report("ctxsw", switches, mb_cs_t1 - mb_cs_t0);
}

/* ---- faults on a map ---- */

/* A map with pages pages of anonymous memory at *addr. */
static bool
mb_map(struct vm_map **map, uint64_t *addr, unsigned pages)
{
	if (vm_map_create(map) != KERN_SUCCESS)
		return false;
	*addr = 0;
	if (vm_allocate(*map, addr, (uint64_t)pages * PAGE_SIZE, true) == KERN_SUCCESS)
		return true;
	vm_map_deallocate(*map);
	return false;
}

/* Write-faults every page; false at the first failure or unmapped result. */
static bool
mb_fault_all(struct vm_map *map, uint64_t addr, unsigned pages, uint64_t *cycles)
{
	uint64_t t0 = machine_cycles(), pa;

	for (unsigned i = 0; i < pages; i++)
		if (vm_fault(map, addr + (uint64_t)i * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE) !=
		    KERN_SUCCESS)
			return false;
	*cycles = machine_cycles() - t0;
	for (unsigned i = 0; i < pages; i++)
		if (!pmap_extract(vm_map_pmap(map), addr + (uint64_t)i * PAGE_SIZE, &pa))
			return false;
	return true;
}

static void
mb_zero_fill(void)
{
	unsigned pages = mb_ops(MB_FAULT_PAGES);
	struct vm_map *map;
	uint64_t addr, cycles = 0;
	bool ok = mb_map(&map, &addr, pages);

	if (ok) {
		ok = mb_fault_all(map, addr, pages, &cycles);
		vm_map_deallocate(map);
	}
	if (ktap_ok(ok, "%u zero-fill write faults on a fresh map, every page mapped", pages))
		mb_report("zero_fill", pages, cycles);
}

static void
mb_cow(void)
{
	unsigned pages = mb_ops(MB_FAULT_PAGES), differ = 0;
	struct vm_map *parent, *child = NULL;
	uint64_t addr, cycles = 0, scratch, pa, pb;
	bool ok = mb_map(&parent, &addr, pages);

	if (!ok)
		goto out;
	ok = mb_fault_all(parent, addr, pages, &scratch) &&
	     vm_inherit(parent, addr, (uint64_t)pages * PAGE_SIZE, VM_INHERIT_COPY) ==
	         KERN_SUCCESS &&
	     vm_map_fork(parent, &child) == KERN_SUCCESS;
	if (ok)
		ok = mb_fault_all(child, addr, pages, &cycles);
	for (unsigned i = 0; ok && i < pages; i++) {
		uint64_t va = addr + (uint64_t)i * PAGE_SIZE;
		if (pmap_extract(vm_map_pmap(parent), va, &pa) &&
		    pmap_extract(vm_map_pmap(child), va, &pb) && pa != pb)
			differ++;
	}
	ok &= differ == pages;
	if (child)
		vm_map_deallocate(child);
	vm_map_deallocate(parent);
out:
	if (ktap_ok(ok,
	            "%u copy-on-write faults in a forked map, each gave the child its own page "
	            "(%u did)",
	            pages, differ))
		mb_report("cow", pages, cycles);
}

/* ---- task create + terminate ---- */

static unsigned mb_task_ops;
static uint64_t mb_task_cycles;
static bool mb_task_ok;

/* One task with one thread, terminated; returns once both are gone. */
static bool
mb_task_once(unsigned base)
{
	struct task *t;
	struct thread *th;

	if (task_create(NULL, false, "bench", &t) != KERN_SUCCESS)
		return false;
	if (thread_create(t, &th) != KERN_SUCCESS) {
		task_terminate(t);
		task_deallocate(t);
		return false;
	}
	thread_deallocate(th);
	if (task_terminate(t) != KERN_SUCCESS)
		return false;
	task_deallocate(t);
	/* Its thread (priority BASEPRI_USER) ends at its safe point; this thread is lower. */
	while (task_count() > base) {
		thread_yield();
		sched_reap(); /* the thread switched from, if it was that one */
	}
	return true;
}

static void
mb_task_thread(void *arg)
{
	unsigned base = task_count();
	uint64_t t0 = 0;

	(void)arg;
	mb_task_ok = true;
	for (unsigned i = 0; i < MB_WARMUP + mb_task_ops && mb_task_ok; i++) {
		if (i == MB_WARMUP)
			t0 = machine_cycles();
		mb_task_ok = mb_task_once(base);
	}
	mb_task_cycles = machine_cycles() - t0;
	mb_finished();
}

static void
mb_task(void)
{
	struct page_stats before, after;
	bool ok;

	mb_task_ops = mb_ops(MB_TASK_OPS);
	mb_done = 0;
	page_alloc_stats(&before);
	/* Below the user threads, so that yielding lets them run to their end. */
	ok = kthread_create(mb_task_thread, NULL, "task bench", PRI_LOWEST - 1, NULL) ==
	         KERN_SUCCESS &&
	     mb_wait_done(1) && mb_task_ok;
	kmalloc_reclaim();
	page_alloc_stats(&after);
	if (ktap_ok(ok, "%u tasks with a thread each created and terminated (%ld pages not back)",
	            mb_task_ops, (long)(before.free_pages - after.free_pages)))
		mb_report("task", mb_task_ops, mb_task_cycles);
}

KTEST(mach_bench, "the mach benchmark family's in-kernel figures (bench/mach)")
{
	static const char *const names[] = {"trap",      "swtch_pri", "ctxsw",
	                                    "zero_fill", "cow",       "task"};
	int plan = 0;

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		plan += mb_wanted(names[i]);
	if (mb_wanted("trap") || mb_wanted("swtch_pri"))
		plan++; /* the user mapping */
	ktap_plan(plan);
	kprintf("bench mach.clock tsc_hz=%lu\n", clock_tsc_hz());
	if (mb_wanted("trap") || mb_wanted("swtch_pri"))
		mb_user_traps();
	if (mb_wanted("ctxsw"))
		mb_ctxsw();
	if (mb_wanted("zero_fill"))
		mb_zero_fill();
	if (mb_wanted("cow"))
		mb_cow();
	if (mb_wanted("task"))
		mb_task();
}
