// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The time bench family (bench/time, docs/bench.md, docs/vdso.md):
 * `time-bench HOST-PORT DEVICE-PORT`, on vmach and on GNU Mach 2025 alike.
 * Per read, in cycles (instructions under icount): the vDSO's
 * clock_gettime of CLOCK_MONOTONIC and CLOCK_REALTIME, gettimeofday
 * (where there is a vDSO: AT_SYSINFO_EHDR), host_get_time through its MIG
 * stub, and a read of GNU Mach's mapped `time` page (where device_open
 * "time" and device_map serve it). Each is N calls in a loop less the same
 * loop without the call, best of three. Then each clock's resolution: the
 * smallest nonzero step between consecutive reads. Lines:
 *
 *   time-bench: # bench time.NAME ops=N cycles=C loop_cycles=E
 *   time-bench: # bench time.res.NAME ns=S
 */
#include <device/device.h>
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/time_value.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <tap.h>
#include <traps.h>
#include <vdso.h>

#define NS 1000000000LL

/*
 * tb_loop(n, fn, clk, ts): n calls fn(clk, ts); the cycles. tb_empty: the
 * same loop without the call.
 */
uint64_t tb_loop(uint64_t n, void *fn, long clk, void *ts);
uint64_t tb_empty(uint64_t n, void *fn, long clk, void *ts);
#define TB_LOOP(name, insn)                                                                        \
	".text\n"                                                                                  \
	".globl " name "\n" name ":\n"                                                             \
	"	push %rbx\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"                         \
	"	mov %rdi, %r12\n	mov %rsi, %r13\n	mov %rdx, %r15\n	mov %rcx, %rbx\n"              \
	"	rdtsc\n	shl $32, %rdx\n	or %rdx, %rax\n	mov %rax, %r14\n"                              \
	"1:	mov %r15, %rdi\n	mov %rbx, %rsi\n"                                                 \
	"	" insn "\n"                                                                        \
	"	dec %r12\n	jnz 1b\n"                                                                \
	"	rdtsc\n	shl $32, %rdx\n	or %rdx, %rax\n	sub %r14, %rax\n"                              \
	"	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbx\n	ret\n"
__asm__(TB_LOOP("tb_loop", "call *%r13") TB_LOOP("tb_empty", ""));

static mach_port_t host;
static volatile struct mapped_time_value *mtime;

/* host_get_time through its MIG stub, shaped for tb_loop. */
static long
rpc_time(long clk, void *tv)
{
	(void)clk;
	return host_get_time(host, tv);
}

/* GNU Mach's reader of the mapped time page (seconds, fraction, check: retry if they differ). */
static long
mapped_read(long clk, void *out)
{
	time_value_t *tv = out;

	(void)clk;
	do {
		tv->seconds = mtime->seconds;
		tv->microseconds = mtime->microseconds;
	} while (tv->seconds != mtime->check_seconds);
	return 0;
}

/* fn(a0, a1) ops times; a1 NULL: a buffer of its own (the clock read's output). */
static void
figure(const char *name, void *fn, long a0, void *a1, uint64_t ops)
{
	uint64_t with = UINT64_MAX, without = UINT64_MAX;
	char buf[64];

	if (!a1)
		a1 = buf;
	tb_loop(16, fn, a0, a1); /* warm-up */
	for (int i = 0; i < 3; i++) {
		uint64_t c = tb_loop(ops, fn, a0, a1);
		with = c < with ? c : with;
		c = tb_empty(ops, fn, a0, a1);
		without = c < without ? c : without;
	}
	if (tap_ok(with > without, "%s: %lu reads", name, (unsigned long)ops))
		tap_diag("bench time.%s ops=%lu cycles=%lu loop_cycles=%lu", name, (unsigned long)ops,
		         (unsigned long)(with - without), (unsigned long)without);
}

typedef int64_t reader_fn(void);
static vdso_clock_gettime_fn *cg;

static int64_t
r_mono(void)
{
	struct vdso_timespec ts;
	cg(1, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}
static int64_t
r_real(void)
{
	struct vdso_timespec ts;
	cg(0, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}
static int64_t
r_rpc(void)
{
	time_value_t tv;
	host_get_time(host, &tv);
	return (int64_t)tv.seconds * NS + tv.microseconds * 1000LL;
}
static int64_t
r_mapped(void)
{
	time_value_t tv;
	mapped_read(0, &tv);
	return (int64_t)tv.seconds * NS + tv.microseconds * 1000LL;
}

/* The smallest nonzero step among reads; several steps wanted, up to max reads. */
static void
resolution(const char *name, reader_fn *rd, long max)
{
	int64_t last = rd(), now, step = INT64_MAX;
	int steps = 0;

	for (long i = 0; i < max && steps < 20; i++) {
		now = rd();
		if (now != last) {
			steps++;
			if (now > last && now - last < step)
				step = now - last;
		}
		last = now;
	}
	if (tap_ok(steps > 0, "%s: resolution from %d steps", name, steps))
		tap_diag("bench time.res.%s ns=%ld", name, (long)step);
}

int
main(int argc, char **argv)
{
	mach_port_t master = argc > 2 ? (mach_port_t)strtoul(argv[2], NULL, 10) : 0;
	uint64_t base = auxv_get(AT_SYSINFO_EHDR);
	mach_port_t dev, pager;
	vm_address_t at = 0;
	int has_map = 0;

	host = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 10) : 0;
	cg = base ? vdso_sym(base, "__vdso_clock_gettime", VDSO_VERSION) : NULL;
	if (master && device_open(master, D_READ, "time", &dev) == KERN_SUCCESS &&
	    device_map(dev, VM_PROT_READ, 0, 4096, &pager, 0) == KERN_SUCCESS &&
	    vm_map(mach_task_self(), &at, 4096, 0, TRUE, pager, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
	           VM_INHERIT_NONE) == KERN_SUCCESS) {
		mtime = (volatile struct mapped_time_value *)at;
		has_map = 1;
	}
	tap_plan((cg ? 5 : 0) + 2 + (has_map ? 2 : 0));
	tap_diag("bench time.have vdso=%d mapped=%d", cg != NULL, has_map);
	if (cg) {
		struct vdso_timeval tv;
		figure("vdso_monotonic", (void *)cg, 1, NULL, 100000);
		figure("vdso_realtime", (void *)cg, 0, NULL, 100000);
		/* gettimeofday(tv, NULL): a0 is the output. */
		figure("vdso_gettimeofday", vdso_sym(base, "gettimeofday", VDSO_VERSION), (long)&tv,
		       (void *)0x0, 100000);
	}
	figure("host_get_time", (void *)rpc_time, 0, NULL, 2000);
	if (has_map)
		figure("mapped", (void *)mapped_read, 0, NULL, 100000);
	if (cg) {
		resolution("vdso_monotonic", r_mono, 100000);
		resolution("vdso_realtime", r_real, 100000);
	}
	resolution("host_get_time", r_rpc, 100000);
	if (has_map)
		resolution("mapped", r_mapped, 20000000);
	return tap_done();
}
