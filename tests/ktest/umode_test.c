// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User mode, the machine side: thread state flavours on a user thread,
 * copyin/copyout/copyinstr against NULL, kernel-half, unmapped, crossing
 * and read-only ranges, and round trips through user mode: a syscall
 * (rax = -31 gives back 4, the registers GNU Mach keeps are kept), then
 * faults and exceptions from user mode that come back as Mach exceptions
 * while the kernel carries on, timer interrupts taken in user mode, and a
 * non-canonical rip that no return instruction may restore.
 *
 * The user mapping is test-only (umap.h) until the pmap lands; the user
 * thread is switched to by hand, and an exception from it is caught by
 * trap_set_user_catch(), which switches back to the test.
 */
#include <mach/exception.h>
#include <mach/thread_status.h>

#include "debug/ktest.h"
#include "kern/clock.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "umap.h"
#include "x86_64/fpu.h"
#include "x86_64/gdt.h"
#include "x86_64/machine.h"
#include "x86_64/trap.h"

/* ---- user code, copied to UMAP_CODE ---- */

extern const char ku_start[], ku_syscall[], ku_after_syscall[], ku_ud[], ku_div[], ku_gp[],
    ku_int3[], ku_hole_read[], ku_div_insn[], ku_spin[], ku_spin_ud[], ku_write_ro[], ku_loop[],
    ku_loop_end[], ku_end[];
__asm__(".section .rodata\n"
        "ku_start:\n"
        "ku_syscall:\n"
        "	mov $-31, %rax\n"
        "	mov $0x1001, %rbx\n"
        "	mov $0x1002, %rbp\n"
        "	mov $0x1003, %r12\n"
        "	mov $0x1004, %r13\n"
        "	mov $0x1005, %r14\n"
        "	mov $0x1006, %r15\n"
        "	mov $0x1007, %rdi\n"
        "	mov $0x1008, %rsi\n"
        "	mov $0x1009, %rdx\n"
        "	mov $0x100a, %r10\n"
        "	mov $0x100b, %r8\n"
        "	mov $0x100c, %r9\n"
        "	syscall\n"
        "ku_after_syscall:\n"
        "	push %rcx\n"
        "	push %r11\n"
        "	mov $0x401000, %ecx\n"
        "	mov %rax, 0(%rcx)\n"
        "	mov %rbx, 8(%rcx)\n"
        "	mov %rbp, 16(%rcx)\n"
        "	mov %r12, 24(%rcx)\n"
        "	mov %r13, 32(%rcx)\n"
        "	mov %r14, 40(%rcx)\n"
        "	mov %r15, 48(%rcx)\n"
        "	mov %rdi, 56(%rcx)\n"
        "	mov %rsi, 64(%rcx)\n"
        "	mov %rdx, 72(%rcx)\n"
        "	mov %r10, 80(%rcx)\n"
        "	mov %r8, 88(%rcx)\n"
        "	mov %r9, 96(%rcx)\n"
        "	mov %cs, %eax\n"
        "	mov %rax, 104(%rcx)\n"
        "	mov %ss, %eax\n"
        "	mov %rax, 112(%rcx)\n"
        "ku_hole_read:\n"
        "	movq 0x402000, %rax\n" /* the hole: EXC_BAD_ACCESS */
        "	ud2\n"
        "ku_ud:\n"
        "	ud2\n"
        "ku_div:\n"
        "	xor %ecx, %ecx\n"
        "	xor %edx, %edx\n"
        "	mov $1, %eax\n"
        "ku_div_insn:\n"
        "	div %ecx\n"
        "ku_gp:\n"
        "	cli\n"
        "ku_int3:\n"
        "	int3\n"
        /* Spins rdi TSC cycles (timer interrupts land in user mode), then SSE and FPU probes. */
        "ku_spin:\n"
        "	mov $0x401000, %r8d\n"
        "	stmxcsr 136(%r8)\n"
        "	fnstcw 140(%r8)\n"
        "	rdtsc\n"
        "	shl $32, %rdx\n"
        "	or %rdx, %rax\n"
        "	mov %rax, %rsi\n"
        "1:	rdtsc\n"
        "	shl $32, %rdx\n"
        "	or %rdx, %rax\n"
        "	sub %rsi, %rax\n"
        "	cmp %rdi, %rax\n"
        "	jb 1b\n"
        "	movdqu 256(%r8), %xmm1\n"
        "	paddq %xmm1, %xmm1\n"
        "	movdqu %xmm1, 272(%r8)\n"
        "	mov %rbx, 128(%r8)\n"
        "ku_spin_ud:\n"
        "	ud2\n"
        "ku_write_ro:\n"
        "	movq $1, 0x403000\n"
        "	ud2\n"
        /* rdi null traps (-31) in a loop; the last result is left in rax. */
        "ku_loop:\n"
        "1:	mov $-31, %rax\n"
        "	syscall\n"
        "	dec %rdi\n"
        "	jnz 1b\n"
        "	mov %rax, 0x401000\n"
        "ku_loop_end:\n"
        "	ud2\n"
        "ku_end:\n"
        ".text\n");

#define KU_PC(label) (UMAP_CODE + (uint64_t)((label)-ku_start))

static struct machine_thread kmain_mt, ku_mt;

static struct {
	unsigned n;
	int exc, code;
	uint64_t subcode, rip;
} caught;

static bool
catch_user(struct trap_frame *tf, int exc, int code, uint64_t subcode)
{
	caught.n++;
	caught.exc = exc;
	caught.code = code;
	caught.subcode = subcode;
	caught.rip = tf->rip;
	irq_disable();
	machine_switch(&ku_mt, &kmain_mt); /* for good: the next run starts afresh */
	return true;
}

static void
ku_enter(void *arg)
{
	machine_thread_enter_user();
}

static uint64_t ku_kstack;

/* Makes the user thread at pc with the stack at the data page's end. */
static bool
ku_prepare(uint64_t pc)
{
	if (!ku_kstack) {
		uint64_t pa = page_alloc_bytes(KSTACK_SIZE, PAGE_ZERO);
		if (!pa)
			return false;
		ku_kstack = (uint64_t)phys_to_virt(pa) + KSTACK_SIZE;
	}
	if (machine_thread_init_user(&ku_mt, ku_kstack, ku_enter, NULL) != KERN_SUCCESS)
		return false;
	machine_thread_set_user_pc_sp(&ku_mt, pc, UMAP_DATA + PAGE_SIZE);
	return true;
}

/* Runs the prepared user thread until its first exception. */
static void
ku_run(void)
{
	trap_user_catch_fn old = trap_set_user_catch(catch_user);
	uint64_t f = irq_save();

	caught.n = 0;
	machine_switch(&kmain_mt, &ku_mt);
	irq_restore(f);
	trap_set_user_catch(old);
	machine_thread_release(&ku_mt);
}

static bool
ku_expect(uint64_t pc, int exc, int code, uint64_t subcode, uint64_t at, const char *what)
{
	bool ok = ku_prepare(pc);

	if (ok)
		ku_run();
	return ktap_ok(ok && caught.n == 1 && caught.exc == exc && caught.code == code &&
	                   caught.subcode == subcode && caught.rip == at,
	               "%s: exception %d code %d subcode %#lx at %#lx", what, caught.exc,
	               caught.code, caught.subcode, caught.rip);
}

KTEST(user_mode, "syscall round trip, user faults and interrupts from user mode")
{
	struct umap um;
	uint64_t *data, t0 = clock_ticks(),
	                want[13] = {4,      0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006,
	                            0x1007, 0x1008, 0x1009, 0x100a, 0x100b, 0x100c};
	bool regs_ok = true;

	ktap_plan(15);
	if (!ktap_ok(umap_create(&um), "a test-only user mapping at %#llx", UMAP_CODE))
		return;
	memcpy(umap_kva(&um, UMAP_CODE), ku_start, ku_end - ku_start);
	data = umap_kva(&um, UMAP_DATA);

	ku_expect(KU_PC(ku_syscall), EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, UMAP_HOLE,
	          KU_PC(ku_hole_read), "after the syscall, a read of an unmapped page");
	for (int i = 0; i < 13; i++)
		regs_ok &= data[i] == want[i];
	ktap_ok(data[0] == 4, "syscall with rax = -31 returns %lu (KERN_INVALID_ARGUMENT)",
	        data[0]);
	ktap_ok(regs_ok, "rbx, rbp, r12-r15 and the argument registers survive the syscall");
	ktap_ok(data[511] == KU_PC(ku_after_syscall) && (data[510] & MACHINE_RFLAGS_IF),
	        "rcx holds the return rip %#lx, r11 the rflags %#lx", data[511], data[510]);
	ktap_ok(data[13] == USER_CS && data[14] == USER_SS, "user mode runs with cs %#lx, ss %#lx",
	        data[13], data[14]);

	ku_expect(KU_PC(ku_ud), EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, KU_PC(ku_ud), "ud2");
	ku_expect(KU_PC(ku_div), EXC_ARITHMETIC, EXC_I386_DIV, 0, KU_PC(ku_div_insn),
	          "divide by 0");
	ku_expect(KU_PC(ku_gp), EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, 0, KU_PC(ku_gp), "cli: #GP");
	ku_expect(KU_PC(ku_int3), EXC_BREAKPOINT, EXC_I386_BPT, 0, KU_PC(ku_int3) + 1,
	          "int3 (a trap: rip after it)");
	ku_expect(KU_PC(ku_write_ro), EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, UMAP_RO,
	          KU_PC(ku_write_ro), "a write to a read-only page");

	/* Timer interrupts while user code spins 100 ms; registers set through thread state. */
	memset(data, 0, PAGE_SIZE);
	data[32] = 0x1111111111111111ULL, data[33] = 0x2222222222222222ULL;
	if (ku_prepare(KU_PC(ku_spin))) {
		struct i386_thread_state s;
		uint32_t n = i386_THREAD_STATE_COUNT;
		machine_thread_get_state(&ku_mt, i386_THREAD_STATE, (uint32_t *)&s, &n);
		s.rdi = clock_tsc_hz() / 10;
		s.rbx = 0x77;
		machine_thread_set_state(&ku_mt, i386_THREAD_STATE, (uint32_t *)&s, n);
		t0 = clock_ticks();
		ku_run();
	}
	ktap_ok(caught.n == 1 && caught.rip == KU_PC(ku_spin_ud) && data[16] == 0x77 &&
	            clock_ticks() >= t0 + 2,
	        "user code spun through %lu timer ticks and reached its end (rbx %#lx)",
	        clock_ticks() - t0, data[16]);
	ktap_ok((data[17] & 0xffffffff) == 0x1f80 && (data[17] >> 32 & 0xffff) == 0x37f &&
	            data[34] == 0x2222222222222222ULL && data[35] == 0x4444444444444444ULL,
	        "user SSE works; a new thread's MXCSR %#lx, control word %#lx",
	        data[17] & 0xffffffff, data[17] >> 32 & 0xffff);

	/*
	 * A syscall in the last bytes of the user half returns to
	 * 0x800000000000, which sysret must not be given (Intel raises its #GP
	 * in ring 0): the user takes the #GP instead, with the result in rax.
	 */
	static const uint8_t top_syscall[] = {0x48, 0xc7, 0xc0, 0xe1,
	                                      0xff, 0xff, 0xff, /* mov $-31, %rax */
	                                      0x0f, 0x05 /* syscall */};
	bool top = umap_map_top(&um);
	if (top) {
		memcpy((char *)umap_kva(&um, UMAP_TOP) + PAGE_SIZE - sizeof(top_syscall),
		       top_syscall, sizeof(top_syscall));
		top = ku_prepare(USER_SPACE_END - sizeof(top_syscall));
	}
	if (top)
		ku_run(); /* the frame stays readable on its kernel stack */
	ktap_ok(top && caught.n == 1 && caught.exc == EXC_BAD_INSTRUCTION &&
	            caught.code == EXC_I386_GPFLT && caught.rip == USER_SPACE_END &&
	            ku_mt.mt_uframe->rax == 4,
	        "a syscall ending at the top of the user half: the user's #GP at %#lx, rax %lu",
	        caught.rip, top ? ku_mt.mt_uframe->rax : 0);

	/* A rip no return instruction can restore: the user's #GP, not the kernel's. */
	if (ku_prepare(0x0000800000000000ULL))
		ku_run();
	ktap_ok(caught.n == 1 && caught.exc == EXC_BAD_INSTRUCTION &&
	            caught.code == EXC_I386_GPFLT && caught.rip == 0x0000800000000000ULL,
	        "a non-canonical rip raises EXC_BAD_INSTRUCTION/EXC_I386_GPFLT (%d/%d)", caught.exc,
	        caught.code);
	umap_destroy(&um);
}

KTEST(thread_state, "a new user thread's state, and machine_thread_copy_user")
{
	uint64_t pa = page_alloc(1, PAGE_ZERO); /* two stacks of one page */
	uint64_t top_a = (uint64_t)phys_to_virt(pa) + PAGE_SIZE, top_b = top_a + PAGE_SIZE;
	struct machine_thread a, b;
	struct i386_thread_state s;
	struct i386_float_state fs;
	struct i386_fp_save env;
	struct i386_fsgs_base_state gs = {0x10000, 0x20000};
	uint32_t n = i386_THREAD_STATE_COUNT;
	bool zero = true;

	ktap_plan(5);
	if (!ktap_ok(pa && machine_thread_init_user(&a, top_a, ku_enter, NULL) == KERN_SUCCESS &&
	                 machine_thread_init_user(&b, top_b, ku_enter, NULL) == KERN_SUCCESS,
	             "two user threads"))
		return;
	machine_thread_get_state(&a, i386_THREAD_STATE, (uint32_t *)&s, &n);
	for (int i = 0; i < 17; i++)
		zero &= ((uint64_t *)&s)[i] == 0;
	ktap_ok(zero && s.rfl == 0x202 && s.cs == USER_CS && s.ss == USER_SS && s.ursp == 0,
	        "fresh registers all zero, rflags %#lx, cs %#x, ss %#x", s.rfl, s.cs, s.ss);
	n = i386_FLOAT_STATE_COUNT;
	machine_thread_get_state(&a, i386_FLOAT_STATE, (uint32_t *)&fs, &n);
	memcpy(&env, fs.hw_state, sizeof(env));
	ktap_ok(env.fp_control == 0x37f && env.fp_tag == 0xffff && fs.initialized &&
	            ((struct fxsave_area *)a.mt_fpu)->fx_mxcsr == 0x1f80,
	        "fresh FPU: control word %#x, all registers empty, MXCSR 0x1f80", env.fp_control);
	s.rax = 0xabc, s.r15 = 0xdef, s.rip = 0x400123, s.ursp = 0x401f00;
	machine_thread_set_state(&a, i386_THREAD_STATE, (uint32_t *)&s, i386_THREAD_STATE_COUNT);
	machine_thread_set_state(&a, i386_FSGS_BASE_STATE, (uint32_t *)&gs, 4);
	env.fp_control = 0x27f;
	memcpy(fs.hw_state, &env, sizeof(env));
	machine_thread_set_state(&a, i386_FLOAT_STATE, (uint32_t *)&fs, i386_FLOAT_STATE_COUNT);
	machine_thread_copy_user(&b, &a);
	n = i386_THREAD_STATE_COUNT;
	machine_thread_get_state(&b, i386_THREAD_STATE, (uint32_t *)&s, &n);
	ktap_ok(s.rax == 0xabc && s.r15 == 0xdef && s.rip == 0x400123 && s.ursp == 0x401f00 &&
	            machine_thread_user_sp(&b) == 0x401f00 && b.mt_fs_base == 0x10000 &&
	            b.mt_gs_base == 0x20000,
	        "copy_user copies the registers and FS/GS bases");
	n = i386_FLOAT_STATE_COUNT;
	machine_thread_get_state(&b, i386_FLOAT_STATE, (uint32_t *)&fs, &n);
	memcpy(&env, fs.hw_state, sizeof(env));
	ktap_ok(env.fp_control == 0x27f, "copy_user copies the FPU state (control word %#x)",
	        env.fp_control);
	machine_thread_release(&a);
	machine_thread_release(&b);
	page_free(pa, 1);
}

#define TRAP_LOOPS 10000

KTEST(user_trap_cost,
      "the null trap round trip (-31), timed; in instructions under -icount shift=0")
{
	struct umap um;
	struct i386_thread_state s;
	uint32_t n = i386_THREAD_STATE_COUNT;
	uint64_t t0, t1, *data;

	ktap_plan(2);
	if (!ktap_ok(umap_create(&um), "a test-only user mapping"))
		return;
	memcpy(umap_kva(&um, UMAP_CODE), ku_start, ku_end - ku_start);
	data = umap_kva(&um, UMAP_DATA);
	if (ku_prepare(KU_PC(ku_loop))) {
		machine_thread_get_state(&ku_mt, i386_THREAD_STATE, (uint32_t *)&s, &n);
		s.rdi = TRAP_LOOPS;
		machine_thread_set_state(&ku_mt, i386_THREAD_STATE, (uint32_t *)&s, n);
		t0 = clock_monotonic_ns();
		ku_run();
		t1 = clock_monotonic_ns();
		/* Under -icount shift=0 a nanosecond is an instruction; 4 of each loop are the
		 * user's. */
		ktap_diag(
		    "null trap round trip: %lu ns per trap, about %lu kernel instructions under "
		    "icount",
		    (t1 - t0) / TRAP_LOOPS, (t1 - t0) / TRAP_LOOPS - 4);
	}
	ktap_ok(caught.n == 1 && caught.rip == KU_PC(ku_loop_end) && data[0] == 4,
	        "%u traps each returned 4 and the loop ended", TRAP_LOOPS);
	umap_destroy(&um);
}
