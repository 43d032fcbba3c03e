// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tasks: inheritance of memory (share, copy, none), suspend counts,
 * termination of a task whose thread is blocked in the kernel, and 100
 * tasks created and terminated without a page lost. Run by
 * tests/qemu/threads.t.
 */
#include <mach/thread_switch.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

#include "debug/ktest.h"
#include "tests/ktest/ktest_sleep.h"
#include "kern/clock.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_map.h"
#include "vm/vm_user.h"

static uint64_t
read64(struct task *t, uint64_t va, kern_return_t *kr)
{
	uint64_t v = 0;

	*kr = vm_map_copy_from_user(t->tk_map, &v, va, sizeof(v));
	return v;
}

static kern_return_t
write64(struct task *t, uint64_t va, uint64_t v)
{
	return vm_map_copy_to_user(t->tk_map, va, &v, sizeof(v));
}

#define SHARE_VA 0x100000
#define COPY_VA 0x200000
#define NONE_VA 0x300000

static void
check_inheritance(void)
{
	struct task *parent, *child;
	uint64_t a;
	kern_return_t kr, kr2;
	bool ok = task_create(NULL, false, "parent", &parent) == KERN_SUCCESS;

	for (int i = 0; ok && i < 3; i++) {
		static const vm_inherit_t inh[3] = {VM_INHERIT_SHARE, VM_INHERIT_COPY,
		                                    VM_INHERIT_NONE};
		a = SHARE_VA + i * 0x100000;
		ok = vm_allocate(parent->tk_map, &a, 2 * PAGE_SIZE, false) == KERN_SUCCESS &&
		     vm_inherit(parent->tk_map, a, 2 * PAGE_SIZE, inh[i]) == KERN_SUCCESS &&
		     write64(parent, a, 100 + i) == KERN_SUCCESS;
	}
	ktap_ok(ok, "a parent with a shared, a copied and an unshared region");
	ok = ok && task_create(parent, true, "child", &child) == KERN_SUCCESS;
	ktap_ok(ok, "a child created from it with its inheritance");
	if (!ok)
		return;

	ktap_ok(
	    read64(child, SHARE_VA, &kr) == 100 && kr == KERN_SUCCESS &&
	        write64(child, SHARE_VA, 200) == KERN_SUCCESS &&
	        read64(parent, SHARE_VA, &kr2) == 200 && kr2 == KERN_SUCCESS,
	    "VM_INHERIT_SHARE: the child sees the parent's data and the parent the child's write");
	ktap_ok(read64(child, COPY_VA, &kr) == 101 && kr == KERN_SUCCESS &&
	            write64(child, COPY_VA, 301) == KERN_SUCCESS &&
	            write64(parent, COPY_VA + 8, 401) == KERN_SUCCESS &&
	            read64(parent, COPY_VA, &kr) == 101 && read64(child, COPY_VA, &kr) == 301 &&
	            read64(child, COPY_VA + 8, &kr2) == 0 && kr2 == KERN_SUCCESS,
	        "VM_INHERIT_COPY: each sees its own writes and not the other's");
	read64(child, NONE_VA, &kr);
	ktap_ok(kr == KERN_INVALID_ADDRESS, "VM_INHERIT_NONE: nothing there in the child (%d)", kr);

	ktap_ok(task_terminate(child) == KERN_SUCCESS && task_terminate(parent) == KERN_SUCCESS &&
	            task_terminate(parent) == KERN_FAILURE,
	        "both terminate; a second terminate is KERN_FAILURE");
	task_deallocate(child);
	task_deallocate(parent);
}

static void
check_counts(void)
{
	struct task *t;
	struct thread *th;

	if (task_create(NULL, false, "counts", &t) != KERN_SUCCESS ||
	    thread_create(t, &th) != KERN_SUCCESS) {
		ktap_ok(false, "a task and a thread for the suspend counts");
		return;
	}
	ktap_ok(task_suspend(t) == KERN_SUCCESS && task_suspend(t) == KERN_SUCCESS &&
	            task_resume(t) == KERN_SUCCESS && task_resume(t) == KERN_SUCCESS &&
	            task_resume(t) == KERN_FAILURE,
	        "task suspend count: two suspends, two resumes, a third resume fails");
	/* A new thread starts suspended once. */
	ktap_ok(thread_resume(th) == KERN_SUCCESS && thread_resume(th) == KERN_FAILURE &&
	            thread_suspend(th) == KERN_SUCCESS && thread_resume(th) == KERN_SUCCESS,
	        "thread suspend count: created at 1, resumed to 0, a second resume fails");
	thread_suspend(th);
	task_terminate(t);
	thread_deallocate(th);
	task_deallocate(t);
}

/*
 *	mov $-61, %rax; xor %edi, %edi; mov $SWITCH_OPTION_WAIT, %esi; mov $100000, %edx
 *	syscall; ud2
 * thread_switch(0, WAIT, 100 s): the thread blocks in the kernel, interruptibly.
 */
static const uint8_t block_code[] = {
    0x48, 0xc7, 0xc0, 0xc3, 0xff, 0xff, 0xff, 0x31, 0xff, 0xbe, SWITCH_OPTION_WAIT, 0, 0,
    0,    0xba, 0xa0, 0x86, 0x01, 0x00, 0x0f, 0x05, 0x0f, 0x0b};
#define CODE_VA 0x400000

static bool
thread_gone(void *arg)
{
	return ((struct task *)arg)->tk_thread_count == 0;
}

static void
check_blocked_terminate(void)
{
	struct task *t;
	struct thread *th;
	uint64_t a = CODE_VA, t0;
	bool ok =
	    task_create(NULL, false, "blocker", &t) == KERN_SUCCESS &&
	    vm_allocate(t->tk_map, &a, PAGE_SIZE, false) == KERN_SUCCESS &&
	    vm_map_copy_to_user(t->tk_map, a, block_code, sizeof(block_code)) == KERN_SUCCESS &&
	    vm_protect(t->tk_map, a, PAGE_SIZE, false, VM_PROT_READ | VM_PROT_EXECUTE) ==
	        KERN_SUCCESS &&
	    thread_create(t, &th) == KERN_SUCCESS;

	if (!ok) {
		ktap_ok(false, "a task whose thread blocks in thread_switch");
		return;
	}
	machine_thread_set_user_pc_sp(&th->th_machine, CODE_VA, 0);
	thread_resume(th);
	ktest_sleep_ms(50);
	ktap_ok((thread_state(th) & (TH_WAIT | TH_UNINT)) == TH_WAIT,
	        "its thread waits in the kernel, interruptibly (state %#x)", thread_state(th));
	t0 = clock_monotonic_ns();
	task_terminate(t);
	for (int i = 0; i < 200 && !thread_gone(t); i++)
		ktest_sleep_ms(5);
	uint64_t us = (clock_monotonic_ns() - t0) / 1000;
	ktap_ok(thread_gone(t) && (thread_state(th) & TH_TERMINATED) && us < 100000,
	        "task_terminate stops it within 100 ms: %lu us (state %#x)", us, thread_state(th));
	thread_deallocate(th);
	task_deallocate(t);
}

/* One task with memory and a stopped thread, created and terminated. */
static bool
task_cycle(void)
{
	struct task *t;
	struct thread *th;
	uint64_t a = 0;
	static const char data[64] = "some data";

	if (task_create(NULL, false, "cycle", &t) != KERN_SUCCESS)
		return false;
	bool ok =
	    vm_allocate(t->tk_map, &a, 16 * PAGE_SIZE, true) == KERN_SUCCESS &&
	    vm_map_copy_to_user(t->tk_map, a + 5 * PAGE_SIZE, data, sizeof(data)) == KERN_SUCCESS &&
	    thread_create(t, &th) == KERN_SUCCESS;
	if (ok) {
		task_suspend(t);
		thread_resume(th);
		thread_deallocate(th);
	}
	task_terminate(t);
	task_deallocate(t);
	return ok;
}

static bool
hundred_tasks(void)
{
	bool ok = true;

	for (int i = 0; i < 100; i++)
		ok = task_cycle() && ok;
	ktest_sleep_ms(30); /* the last threads are reaped by the next to run */
	kmalloc_reclaim();
	return ok;
}

/*
 * 1,000 generations: each task is created from its parent's map (copy
 * inheritance), writes one of its 16 pages, and the parent ends. Copy-on-
 * write must not pile up: the memory in use stays bounded, and each
 * generation sees its ancestors' last writes.
 */
#define GEN_VA 0x100000
#define GEN_PAGES 16

static void
check_generations(unsigned n)
{
	struct task *parent, *child;
	struct page_stats st;
	uint64_t a = GEN_VA, lowest, start, v;
	kern_return_t kr;
	bool ok = task_create(NULL, false, "gen0", &parent) == KERN_SUCCESS &&
	          vm_allocate(parent->tk_map, &a, GEN_PAGES * PAGE_SIZE, false) == KERN_SUCCESS;
	unsigned g;

	for (unsigned p = 0; ok && p < GEN_PAGES; p++)
		ok = write64(parent, GEN_VA + p * PAGE_SIZE, p) == KERN_SUCCESS;
	page_alloc_stats(&st);
	start = lowest = st.free_pages;
	for (g = 1; ok && g <= n; g++) {
		if (task_create(parent, true, "gen", &child) != KERN_SUCCESS)
			break;
		uint64_t va = GEN_VA + (g % GEN_PAGES) * PAGE_SIZE;
		/* The page still holds what the last writer of it, GEN_PAGES generations ago, left.
		 */
		v = read64(child, va, &kr);
		ok = kr == KERN_SUCCESS && v == (g > GEN_PAGES ? g - GEN_PAGES : g % GEN_PAGES) &&
		     write64(child, va, g) == KERN_SUCCESS;
		task_terminate(parent);
		task_deallocate(parent);
		parent = child;
		page_alloc_stats(&st);
		if (st.free_pages < lowest)
			lowest = st.free_pages;
	}
	ktap_ok(ok && g == n + 1, "%u generations, each sees its ancestors' writes (stopped at %u)",
	        n, g - 1);
	ktap_ok(start - lowest < 256,
	        "memory stays bounded: at most %lu pages more in use than at the start",
	        start - lowest);
	task_terminate(parent);
	task_deallocate(parent);
}

KTEST(tasks, "tasks: inheritance, suspend counts, termination, no page lost")
{
	struct page_stats before, after;
	unsigned tasks_before = task_count();

	ktap_plan(14);
	check_inheritance();
	check_counts();
	check_blocked_terminate();
	check_generations(1000);

	bool ok = hundred_tasks(); /* the first round fills the heap's caches */
	page_alloc_stats(&before);
	ok = hundred_tasks() && ok;
	page_alloc_stats(&after);
	ktap_ok(
	    ok && after.free_pages == before.free_pages,
	    "100 tasks with memory and a thread, created and terminated: free pages %lu, then %lu",
	    before.free_pages, after.free_pages);
	ktap_ok(task_count() == tasks_before, "no task is left (%u, %u before)", task_count(),
	        tasks_before);
}
