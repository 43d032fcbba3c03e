// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot-level kernel tests: the boot itself, memory (up to and above 4 GiB),
 * caught and uncaught faults, panic and assert, and the timer against the TSC.
 */
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "kern/irq.h"
#include "kern/kmalloc.h"
#include "debug/ktest.h"
#include "kern/mem_init.h"
#include "debug/monitor.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "x86_64/apic.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"
#include "x86_64/trap.h"

static void
irq_nop(void *arg)
{
}

/*
 * Takes every free vector and gives them all back. Returns how many there
 * were; *kr is the allocator's answer to the request after the last one.
 */
static unsigned
irq_vectors_free(kern_return_t *kr)
{
	static int vec[IRQ_VECTOR_LAST - IRQ_VECTOR_FIRST + 2];
	unsigned n = 0;

	*kr = KERN_SUCCESS;
	while (n < sizeof(vec) / sizeof(vec[0]) &&
	       (*kr = irq_alloc_vector(irq_nop, NULL, "ktest-boot", &vec[n])) == KERN_SUCCESS)
		n++;
	for (unsigned i = 0; i < n; i++)
		irq_free_vector(vec[i]);
	return n;
}

KTEST(boot, "the kernel boots: memory, heap, interrupts, clock")
{
	struct page_stats ps;
	kern_return_t kr, kr_after;
	unsigned nfree;

	ktap_plan(7);
	page_alloc_stats(&ps);
	ktap_ok(ps.free_pages > 1024, "page allocator has %lu free pages", ps.free_pages);
	char *p = kmalloc(100);
	ktap_ok(p != NULL, "kmalloc(100) works");
	kfree(p);
	ktap_ok(machine_flags() & (1 << 9), "interrupts are enabled");
	uint64_t t0 = clock_ticks();
	while (clock_ticks() < t0 + 3)
		cpu_idle_wait();
	ktap_ok(clock_ticks() >= t0 + 3, "the timer ticks (%lu ticks since boot)", clock_ticks());
	ktap_ok(cpu_idle_ns(cpu_self()) > 0, "idle time is accounted (%lu ns)",
	        cpu_idle_ns(cpu_self()));
	nfree = irq_vectors_free(&kr);
	ktap_ok(nfree > 0 && kr == KERN_RESOURCE_SHORTAGE,
	        "%u free vectors taken, then KERN_RESOURCE_SHORTAGE (%d)", nfree, kr);
	/* GSI 0xffff: beyond any IOAPIC, so the route fails after taking its vector. */
	kr = irq_route_gsi(0xffff, false, false, irq_nop, NULL, "ktest-boot", NULL);
	ktap_ok(kr == KERN_INVALID_ARGUMENT && irq_vectors_free(&kr_after) == nfree,
	        "a GSI no IOAPIC serves: KERN_INVALID_ARGUMENT (%d), its vector released", kr);
}

/* Fills and checks every page of a block with a pattern that names the page's address. */
static bool
pattern_check(uint64_t pa, unsigned order)
{
	for (uint64_t off = 0; off < ((uint64_t)PAGE_SIZE << order); off += PAGE_SIZE) {
		uint64_t *w = phys_to_virt(pa + off);
		for (int i = 0; i < 512; i++)
			w[i] = (pa + off) ^ (uint64_t)i;
	}
	for (uint64_t off = 0; off < ((uint64_t)PAGE_SIZE << order); off += PAGE_SIZE) {
		uint64_t *w = phys_to_virt(pa + off);
		for (int i = 0; i < 512; i++)
			if (w[i] != ((pa + off) ^ (uint64_t)i))
				return false;
	}
	return true;
}

KTEST(mem, "all of RAM is usable, above 4 GiB included")
{
	unsigned long want_mb = 0;
	const char *opt = kernel_option("expect_mem_mb");
	struct page_stats ps;

	ktap_plan(4);
	if (opt && parse_u64(opt, &want_mb) != KERN_SUCCESS)
		panic("expect_mem_mb=%s is not a number", opt);
	page_alloc_stats(&ps);
	/*
	 * Besides the kernel image (loaded at 1 MiB; it grows with the kernel),
	 * the first MiB, the allocator's metadata and the boot page tables may
	 * take a few percent.
	 */
	uint64_t image = machine_image_end_phys() - 0x100000;
	ktap_ok(ps.total_pages * 4096 + image >= want_mb * 1024 * 1024 / 100 * 94,
	        "%lu MiB managed of %lu MiB given, besides the kernel's %lu KiB",
	        ps.total_pages >> 8, want_mb, image >> 10);

	/* Take every block of 4 MiB, check each one's memory, give them back. */
	static uint64_t blocks[4096]; /* 32 KiB: too big for the boot stack */
	unsigned n = 0, high = 0;
	bool good = true;
	while (n < 4096) {
		uint64_t pa = page_alloc(PAGE_MAX_ORDER, 0);
		if (!pa)
			break;
		blocks[n++] = pa;
		if (pa >= (1ULL << 32))
			high++;
		good &= pattern_check(pa, PAGE_MAX_ORDER);
	}
	ktap_ok(good && n > 0, "%u blocks of 4 MiB written and read back", n);
	ktap_ok(want_mb <= 4096 || high > 0, "%u blocks above 4 GiB", high);
	for (unsigned i = 0; i < n; i++)
		page_free(blocks[i], PAGE_MAX_ORDER);
	struct page_stats after;
	page_alloc_stats(&after);
	ktap_ok(after.free_pages == ps.free_pages, "every page returned (%lu free)",
	        after.free_pages);
}

/* Where a caught fault resumes: each probe below ends at the label fault_resume_*. */
static uint64_t caught_addr, caught_error, caught_vector;
extern uint64_t ktest_resume_rip;
__attribute__((used)) uint64_t ktest_resume_rip; /* the probes name it from asm */

static bool
catch_fault(struct trap_frame *tf)
{
	caught_vector = tf->vector;
	caught_error = tf->error;
	caught_addr = read_cr(2);
	tf->rip = ktest_resume_rip;
	return true;
}

static uint64_t
probe_read(uint64_t addr)
{
	uint64_t v = 0;
	__asm__ volatile("leaq 1f(%%rip), %%rax; movq %%rax, ktest_resume_rip(%%rip);"
	                 "movq (%1), %0; 1:"
	                 : "+r"(v)
	                 : "r"(addr)
	                 : "rax", "memory");
	return v;
}

static void
probe_write(uint64_t addr)
{
	__asm__ volatile("leaq 1f(%%rip), %%rax; movq %%rax, ktest_resume_rip(%%rip);"
	                 "movb $0x5a, (%0); 1:"
	                 :
	                 : "r"(addr)
	                 : "rax", "memory");
}

static void
probe_call(uint64_t addr)
{
	__asm__ volatile("leaq 1f(%%rip), %%rax; movq %%rax, ktest_resume_rip(%%rip);"
	                 "call *%0; 1:"
	                 :
	                 : "r"(addr)
	                 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
}

static uint8_t some_data[64];

KTEST(page_fault, "page faults are caught and report address and cause")
{
	extern char kernel_text_start[];
	ktap_plan(6);
	trap_set_catch(catch_fault);

	probe_read(0x1000);
	ktap_ok(caught_vector == T_PAGE_FAULT && caught_addr == 0x1000,
	        "read of unmapped 0x1000 faults there (cr2 %#lx)", caught_addr);
	ktap_ok(!(caught_error & (PF_PRESENT | PF_WRITE | PF_USER | PF_FETCH)),
	        "cause: not present, read, kernel (error %#lx)", caught_error);

	probe_write((uint64_t)kernel_text_start + 64);
	ktap_ok(caught_addr == (uint64_t)kernel_text_start + 64 &&
	            (caught_error & (PF_PRESENT | PF_WRITE)) == (PF_PRESENT | PF_WRITE),
	        "write to kernel text is a protection fault (error %#lx)", caught_error);

	caught_error = 0;
	probe_call((uint64_t)some_data);
	ktap_ok(caught_addr == (uint64_t)some_data && (caught_error & PF_FETCH),
	        "executing data faults as an instruction fetch (error %#lx)", caught_error);

	caught_error = 0;
	probe_write(DIRECT_MAP_BASE + (1ULL << 40));
	ktap_ok(caught_vector == T_PAGE_FAULT && !(caught_error & PF_PRESENT),
	        "the direct map ends with RAM (1 TiB in is unmapped)");

	trap_set_catch(NULL);
	ktap_ok(probe_read((uint64_t)&some_data[0]) == 0, "normal reads work after faults");
}

KTEST(page_fault_panic, "an uncaught page fault panics with a report")
{
	ktap_plan(1);
	ktap_diag("about to fault on purpose");
	*(volatile uint64_t *)0xdead000 = 1;
	ktap_ok(false, "still running after the fault");
}

KTEST(panic, "panic() reports and exits with EXIT_PANIC")
{
	ktap_plan(1);
	panic("deliberate panic %d", 42);
}

KTEST(assert, "a failed assert() panics")
{
	int x = 1;
	ktap_plan(1);
	assert(x == 2);
}

/* The timer runs at 100 Hz (TIMER_HZ, kern/main.c): 20 ticks in 200 ms. */
#define MONO_NS 200000000ull /* the monotonic check reads the clock this long */
#define MONO_TICKS 20        /* ticks expected meanwhile */
#define MONO_MIN_READS 1000  /* reads at the very least, in 200 ms */

/* Cycles to nanoseconds at the measured frequency, computed here, not by clock.c. */
static uint64_t
cycles_to_ns(uint64_t cycles, uint64_t hz)
{
	/* In two parts: the kernel has no 128-bit division; the remainder times 1e9 fits. */
	return cycles / hz * 1000000000u + cycles % hz * 1000000000u / hz;
}

struct mono_sample {
	uint64_t ns;            /* clock_monotonic_ns() */
	uint64_t before, after; /* the cycle counter around that read */
};

static struct mono_sample
mono_sample_take(void)
{
	struct mono_sample m;

	m.before = machine_cycles();
	m.ns = clock_monotonic_ns();
	m.after = machine_cycles();
	return m;
}

/*
 * Reads the clock back to back until it has advanced MONO_NS, interrupts
 * on (ticks land between reads), or until far too many ticks have passed
 * (a stuck clock). Returns the number of reads; *backwards counts reads
 * smaller than the one before, *ticks the timer ticks meanwhile.
 */
static uint64_t
mono_read(struct mono_sample *first, struct mono_sample *last, uint64_t *backwards, uint64_t *ticks)
{
	uint64_t k0 = clock_ticks(), reads = 2;

	*first = mono_sample_take();
	uint64_t prev = first->ns;
	*backwards = 0;
	while (prev >= first->ns && prev - first->ns < MONO_NS &&
	       clock_ticks() - k0 < 3 * MONO_TICKS) {
		uint64_t now = clock_monotonic_ns();
		*backwards += now < prev;
		prev = now;
		reads++;
	}
	*last = mono_sample_take();
	*backwards += last->ns < prev;
	*ticks = clock_ticks() - k0;
	return reads;
}

KTEST(timer, "the timer's tick count agrees with the TSC; the clock is monotonic")
{
	ktap_plan(5);
	uint64_t hz = clock_tsc_hz();
	ktap_ok(hz > 100000000, "TSC frequency measured: %lu Hz", hz);
	/* Wait for 50 ticks of the 100 Hz timer and compare with the TSC clock. */
	uint64_t t0 = clock_ticks();
	while (clock_ticks() == t0)
		cpu_idle_wait();
	uint64_t ns0 = clock_monotonic_ns(), k0 = clock_ticks();
	while (clock_ticks() < k0 + 50)
		cpu_idle_wait();
	uint64_t ns = clock_monotonic_ns() - ns0;
	/*
	 * A tick is never early, but under a loaded host QEMU may deliver it
	 * late (the vCPU thread was not running): allow lateness up to 3x (a
	 * divider programmed wrong is 16x off), not speed.
	 */
	ktap_ok(ns > 490000000 && ns < 1500000000,
	        "50 ticks took %lu us of TSC time (500000 expected, late allowed)", ns / 1000);

	struct mono_sample a, b;
	uint64_t backwards, ticks;
	uint64_t reads = mono_read(&a, &b, &backwards, &ticks);
	uint64_t span = b.ns - a.ns;
	ktap_ok(backwards == 0 && reads >= MONO_MIN_READS && b.ns > a.ns,
	        "%lu consecutive reads over %lu ms never went back (%lu did)", reads,
	        span / 1000000, backwards);
	/*
	 * The first read happened between a.before and a.after, the last
	 * between b.before and b.after: the span must lie between those
	 * distances in cycles, converted here (1 us for rounding). This holds
	 * under any load, and fails if the conversion to nanoseconds is off.
	 */
	uint64_t lo = cycles_to_ns(b.before - a.after, hz),
	         hi = cycles_to_ns(b.after - a.before, hz);
	ktap_ok(span + 1000 >= lo && span <= hi + 1000,
	        "the clock advanced %lu ns, the cycle counter %lu..%lu ns", span, lo, hi);
	/*
	 * Against the timer: a tick is never early, so 200 ms of clock hold at
	 * most 20 ticks (+1 for the phase, +1 for the timer's calibration): a
	 * clock running 15% slow fails. A loaded host delivers ticks late
	 * (those due while QEMU's timer thread waits merge into one), so fewer
	 * are allowed, down to a quarter; a clock running fast fails the two
	 * checks above.
	 */
	ktap_ok(span >= MONO_NS && ticks >= MONO_TICKS / 4 && ticks <= MONO_TICKS + 2,
	        "%lu timer ticks in %lu us of clock time (%d expected, fewer if late)", ticks,
	        span / 1000, MONO_TICKS);
}

static void
busy_5ms(void *arg)
{
	clock_delay_ns(5000000);
	*(int *)arg += 1;
}

KTEST(idle, "idle time stops when an interrupt arrives: handlers count as busy")
{
	static int fired;
	struct cpu *c = cpu_self();

	int v;

	ktap_plan(3);
	if (!ktap_ok(irq_alloc_vector(busy_5ms, &fired, "ktest-idle", &v) == KERN_SUCCESS,
	             "a free vector for the self-interrupt"))
		return;
	irq_disable();
	machine_irq_self(v); /* pending until the halt enables interrupts */
	uint64_t idle0 = c->cpu_idle_tsc, t0 = machine_cycles();
	cpu_idle_wait();
	uint64_t idle = clock_tsc_to_ns(c->cpu_idle_tsc - idle0);
	uint64_t busy = clock_tsc_to_ns(machine_cycles() - t0) - idle;
	irq_enable();
	irq_free_vector(v);
	ktap_ok(fired == 1, "the self-interrupt woke the halt");
	ktap_ok(busy >= 5000000 && idle < 1000000,
	        "the 5 ms handler is busy time (busy %lu ns, idle %lu ns)", busy, idle);
}
