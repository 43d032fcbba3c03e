// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Threads, the machine side (x86_64/machine.h): the first frames of new
 * threads, the context switch (stacks in x86_64/switch.S; here the FPU,
 * the user FS/GS bases, TSS rsp0 and %gs:CPU_OFF_KSTACK_TOP), the syscall
 * MSRs, and copying a user thread.
 *
 * While a thread runs in the kernel its user GS base sits in
 * MSR_KERNEL_GS_BASE (swapgs put it there) and its FS base in MSR_FS_BASE;
 * its FPU registers are live (the kernel never uses them).
 */
#include "x86_64/thread.h"

#include "kern/cpu.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "x86_64/cpu.h"
#include "x86_64/fpu.h"
#include "x86_64/gdt.h"
#include "x86_64/trap.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE 0x1
/* Cleared by syscall: IF, DF, TF, AC, and NT (an iretq with NT set faults). */
#define SYSCALL_FMASK ((1u << 9) | (1u << 10) | (1u << 8) | (1u << 18) | (1u << 14))
#define USER_RFLAGS_INIT 0x202

void switch_stacks(uint64_t *save_ksp, uint64_t new_ksp);
extern char thread_trampoline[], syscall_entry[];

/* The machine thread running on each CPU, once machine_switch() has run there. */
static struct machine_thread *mt_running[MAX_CPUS];

void
thread_syscall_init_cpu(void)
{
	wrmsr(MSR_STAR, ((uint64_t)STAR_SYSRET_BASE << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

struct trap_frame *
machine_thread_uframe(uint64_t kstack_top)
{
	return (struct trap_frame *)(kstack_top - sizeof(struct trap_frame));
}

/*
 * The made-up frame a new thread's first switch_stacks() pops: rbp, rbx,
 * r12 = fn, r13 = arg, r14, r15, then the return into thread_trampoline.
 */
static void
first_frame(struct machine_thread *mt, uint64_t top, void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)(top & ~15ULL) - 8;

	memset(sp, 0, 8 * sizeof(*sp));
	sp[0] = 0;                           /* r15 */
	sp[1] = 0;                           /* r14 */
	sp[2] = (uint64_t)arg;               /* r13 */
	sp[3] = (uint64_t)fn;                /* r12 */
	sp[4] = 0;                           /* rbx */
	sp[5] = 0;                           /* rbp */
	sp[6] = (uint64_t)thread_trampoline; /* return address */
	mt->mt_ksp = (uint64_t)sp;
}

void
machine_thread_init_kernel(struct machine_thread *mt, uint64_t kstack_top, void (*fn)(void *),
                           void *arg)
{
	/* The CPU aligns a trap's frame to 16 bytes: the user frame must end at the top. */
	assert((kstack_top & 15) == 0);
	memset(mt, 0, sizeof(*mt));
	mt->mt_kstack_top = kstack_top;
	first_frame(mt, kstack_top, fn, arg);
}

kern_return_t
machine_thread_init_user(struct machine_thread *mt, uint64_t kstack_top, void (*fn)(void *),
                         void *arg)
{
	struct trap_frame *tf = machine_thread_uframe(kstack_top);
	struct fxsave_area *fpu;

	assert((kstack_top & 15) == 0);
	fpu = fpu_area_alloc();
	if (!fpu)
		return KERN_RESOURCE_SHORTAGE;
	memset(mt, 0, sizeof(*mt));
	mt->mt_kstack_top = kstack_top;
	mt->mt_fpu = fpu;
	mt->mt_uframe = tf;
	memset(tf, 0, sizeof(*tf));
	tf->rflags = USER_RFLAGS_INIT;
	tf->cs = USER_CS;
	tf->ss = USER_SS;
	tf->vector = T_SYSCALL;
	first_frame(mt, (uint64_t)tf, fn, arg);
	return KERN_SUCCESS;
}

void
machine_thread_release(struct machine_thread *mt)
{
	fpu_area_free(mt->mt_fpu);
	mt->mt_fpu = NULL;
}

void
machine_thread_set_user_pc_sp(struct machine_thread *mt, uint64_t pc, uint64_t sp)
{
	mt->mt_uframe->rip = pc;
	mt->mt_uframe->rsp = sp;
}

uint64_t
machine_thread_user_sp(const struct machine_thread *mt)
{
	return mt->mt_uframe->rsp;
}

bool
machine_thread_is_running(const struct machine_thread *mt)
{
	return mt_running[cpu_self()->cpu_index] == mt;
}

void
machine_thread_sync(struct machine_thread *mt)
{
	if (!machine_thread_is_running(mt) || !mt->mt_uframe)
		return;
	fpu_save(mt->mt_fpu);
	mt->mt_fs_base = rdmsr(MSR_FS_BASE);
	mt->mt_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
}

void
machine_thread_load(struct machine_thread *mt)
{
	if (!machine_thread_is_running(mt) || !mt->mt_uframe)
		return;
	fpu_restore(mt->mt_fpu);
	wrmsr(MSR_FS_BASE, mt->mt_fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, mt->mt_gs_base);
}

void
machine_thread_copy_user(struct machine_thread *dst, const struct machine_thread *src)
{
	machine_thread_sync((struct machine_thread *)src);
	*dst->mt_uframe = *src->mt_uframe;
	memcpy(dst->mt_fpu, src->mt_fpu, fpu_area_size());
	dst->mt_fs_base = src->mt_fs_base;
	dst->mt_gs_base = src->mt_gs_base;
	machine_thread_load(dst);
}

void
machine_switch(struct machine_thread *from, struct machine_thread *to)
{
	struct cpu *c = cpu_self();

	if (from->mt_fpu)
		fpu_save(from->mt_fpu);
	if (from->mt_uframe) {
		from->mt_fs_base = rdmsr(MSR_FS_BASE);
		from->mt_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	}
	if (to->mt_fpu)
		fpu_restore(to->mt_fpu);
	if (to->mt_uframe) {
		wrmsr(MSR_FS_BASE, to->mt_fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, to->mt_gs_base);
	}
	gdt_set_kernel_stack(c->cpu_index, to->mt_kstack_top);
	c->cpu_kstack_top = to->mt_kstack_top;
	mt_running[c->cpu_index] = to;
	switch_stacks(&from->mt_ksp, to->mt_ksp);
}
