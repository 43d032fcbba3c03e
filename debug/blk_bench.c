// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `blk bench vdN PATTERN QD COUNT [halt|spin]`: the in-kernel block
 * benchmark (issue 3 item 8; docs/bench.md).
 *
 * PATTERN is randread4k, randwrite4k or seqread1m. QD requests are kept in
 * flight: each completion callback (interrupt context) resubmits its
 * request with the next offset until COUNT have been issued, so the path
 * measured is exactly blk_submit -> driver -> device -> interrupt ->
 * completion. Offsets come from a fixed-seed PRNG (runs are repeatable),
 * buffers and requests are allocated before the run, and nothing is
 * logged or allocated per I/O. A warm-up of max(QD, COUNT/8) requests
 * runs first and is not measured.
 *
 * While waiting, the CPU either halts in cpu_idle_wait() ("halt", the
 * default: idle = the kernel's halted time) or spins on the completion
 * count with interrupts on ("spin": idle = spin iterations times the cost
 * of one iteration, calibrated with interrupts off). CPU cost per I/O is
 * (elapsed - idle) / ios. The kernel ends an idle period at the entry of
 * the interrupt that wakes the CPU, so under halt the interrupt path
 * (completion and resubmission) is busy time; spin is a cross-check that
 * does not depend on the kernel's accounting. Both are exact under QEMU
 * -icount (one instruction = 1 ns).
 *
 * Output: one machine-readable line, then one line for people:
 *   bench blk.PATTERN.qdQD ios= bytes= elapsed_ns= idle_ns= irqs= kicks= errors= mode=
 * Latency is the mean by Little's law: elapsed * QD / ios.
 */
#include "debug/blk_monitor.h"
#include "drivers/vioblk_glue.h"

#include "kern/clock.h"
#include "kern/cpu.h"
#include "debug/monitor.h"
#include "kern/page_alloc.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define BB_USAGE "usage: blk bench vdN randread4k|randwrite4k|seqread1m QD COUNT [halt|spin]"
#define BB_QD_MAX 256
#define BB_BUF_MAX (64u << 20) /* QD * request size */
#define BB_SEED 0x9e3779b97f4a7c15ull
#define BB_CALIB_SPINS 100000

struct bb_pattern {
	const char *bp_name;
	enum blk_op bp_op;
	uint32_t bp_bytes;
	bool bp_random;
};

static const struct bb_pattern bb_patterns[] = {
    {"randread4k", BLK_OP_READ, 4096, true},
    {"randwrite4k", BLK_OP_WRITE, 4096, true},
    {"seqread1m", BLK_OP_READ, 1u << 20, false},
};

/* One run. The callback and the waiting loop share the counters. */
struct bb_run {
	struct blk_disk *b_disk;
	const struct bb_pattern *b_pat;
	struct blk_req *b_reqs;
	unsigned b_qd;
	uint64_t b_nblocks;         /* request-sized blocks on the disk */
	uint64_t b_seq;             /* next block (sequential) */
	uint64_t b_rng;             /* xorshift64 state */
	volatile uint64_t b_target; /* requests to issue in this phase */
	uint64_t b_issued;
	volatile uint64_t b_completed;
	uint64_t b_errors;
	io_return_t b_first_err;
};

struct bb_sample {
	uint64_t s_ns, s_idle_ns;
	struct vq_stats s_vq;
};

/* The next block: xorshift64 scaled without a division, or the next one in order. */
static uint64_t
bb_next_sector(struct bb_run *b)
{
	uint64_t blk;

	if (b->b_pat->bp_random) {
		uint64_t x = b->b_rng;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b->b_rng = x;
		blk = (uint64_t)(((unsigned __int128)x * b->b_nblocks) >> 64);
	} else {
		blk = b->b_seq;
		b->b_seq = blk + 1 < b->b_nblocks ? blk + 1 : 0;
	}
	return blk * (b->b_pat->bp_bytes / BLK_SECTOR);
}

static void bb_done(struct blk_req *req);

static void
bb_issue(struct bb_run *b, struct blk_req *req)
{
	io_return_t err;

	req->br_sector = bb_next_sector(b);
	b->b_issued++;
	err = blk_submit(b->b_disk, req);
	if (err) {
		/* Nothing sent and no callback: count it as finished and
		 * issue no more, so the phase ends whatever the device does. */
		b->b_errors++;
		if (!b->b_first_err)
			b->b_first_err = err;
		b->b_target = b->b_issued;
		b->b_completed++;
	}
}

/* Interrupt context: account, then keep the queue full. */
static void
bb_done(struct blk_req *req)
{
	struct bb_run *b = req->br_arg;

	if (req->br_error) {
		b->b_errors++;
		if (!b->b_first_err)
			b->b_first_err = req->br_error;
	}
	b->b_completed++;
	if (b->b_issued < b->b_target)
		bb_issue(b, req);
}

/*
 * Spins until *count reaches *want or limit iterations pass; returns the
 * iterations. The calibration runs this same code, so an iteration costs
 * the same in both.
 */
static __attribute__((noinline)) uint64_t
bb_spin(volatile uint64_t *count, volatile uint64_t *want, uint64_t limit)
{
	uint64_t n = 0;

	while (*count < *want && n < limit)
		n++;
	return n;
}

/* Picoseconds per bb_spin iteration, measured with interrupts off. */
static uint64_t
bb_spin_calibrate(void)
{
	volatile uint64_t never = 0, one = 1;
	uint64_t flags = irq_save();
	uint64_t t0 = clock_monotonic_ns();

	bb_spin(&never, &one, BB_CALIB_SPINS);
	uint64_t t1 = clock_monotonic_ns();
	irq_restore(flags);
	return (t1 - t0) * 1000 / BB_CALIB_SPINS;
}

/* Issue n requests, QD at a time, and wait for all; returns the spin time in ns. */
static uint64_t
bb_phase(struct bb_run *b, uint64_t n, bool spin, uint64_t spin_ps)
{
	uint64_t flags, spins = 0;
	unsigned first = n < b->b_qd ? (unsigned)n : b->b_qd;

	b->b_target = n;
	b->b_issued = 0;
	b->b_completed = 0;
	flags = irq_save();
	for (unsigned i = 0; i < first && b->b_issued < b->b_target; i++)
		bb_issue(b, &b->b_reqs[i]);
	if (spin) {
		irq_enable();
		spins = bb_spin(&b->b_completed, &b->b_target, ~0ull);
	} else {
		while (b->b_completed < b->b_target)
			cpu_idle_wait();
	}
	irq_restore(flags);
	return spins * spin_ps / 1000;
}

static void
bb_sample(struct blk_disk *d, struct bb_sample *s)
{
	struct vioblk *sc = blk_virtio_softc(d);

	memset(s, 0, sizeof(*s));
	if (sc)
		vq_stats_get(sc->sc_vq, &s->s_vq);
	s->s_idle_ns = cpu_idle_ns(cpu_self());
	s->s_ns = clock_monotonic_ns();
}

static void
bb_free(struct bb_run *b)
{
	for (unsigned i = 0; i < b->b_qd && b->b_reqs; i++)
		if (b->b_reqs[i].br_buf)
			page_free_bytes(virt_to_phys(b->b_reqs[i].br_buf), b->b_pat->bp_bytes);
	if (b->b_reqs)
		page_free_bytes(virt_to_phys(b->b_reqs), b->b_qd * sizeof(struct blk_req));
}

/* Requests and their buffers, all before the run (the error recorded on failure). */
static kern_return_t
bb_alloc(struct bb_run *b)
{
	uint64_t pa = page_alloc_bytes(b->b_qd * sizeof(struct blk_req), PAGE_ZERO);

	if (!pa)
		return monitor_error(KERN_RESOURCE_SHORTAGE, "blk bench: no memory for %u requests",
		                     b->b_qd);
	b->b_reqs = phys_to_virt(pa);
	for (unsigned i = 0; i < b->b_qd; i++) {
		struct blk_req *r = &b->b_reqs[i];
		pa = page_alloc_bytes(b->b_pat->bp_bytes, 0);
		if (!pa) {
			bb_free(b);
			return monitor_error(KERN_RESOURCE_SHORTAGE,
			                     "blk bench: no memory for the buffers");
		}
		r->br_buf = phys_to_virt(pa);
		/* Written data is not all zeros, so no layer can skip it. */
		memset(r->br_buf, 0x5a ^ (int)i, b->b_pat->bp_bytes);
		r->br_op = b->b_pat->bp_op;
		r->br_count = b->b_pat->bp_bytes / BLK_SECTOR;
		r->br_done = bb_done;
		r->br_arg = b;
	}
	return KERN_SUCCESS;
}

/* num / den with three decimals (no floating point in the kernel). */
static void
bb_fmt_ratio(char *out, size_t len, uint64_t num, uint64_t den)
{
	ksnprintf(out, len, "%lu.%03lu", num / den, num % den * 1000 / den);
}

static void
bb_report(const struct bb_run *b, const struct bb_sample *s0, const struct bb_sample *s1,
          uint64_t idle, bool spin)
{
	uint64_t ios = b->b_target, el = s1->s_ns - s0->s_ns;
	uint64_t bytes = ios * b->b_pat->bp_bytes;
	uint64_t irqs = s1->s_vq.vqs_interrupts - s0->s_vq.vqs_interrupts;
	uint64_t kicks = s1->s_vq.vqs_kicks - s0->s_vq.vqs_kicks;
	uint64_t busy = el > idle ? el - idle : 0;
	char iops[24], mbps[24], irq_io[24], kick_io[24];

	if (el == 0)
		el = 1;
	kprintf("bench blk.%s.qd%u ios=%lu bytes=%lu elapsed_ns=%lu idle_ns=%lu irqs=%lu kicks=%lu "
	        "errors=%lu mode=%s\n",
	        b->b_pat->bp_name, b->b_qd, ios, bytes, el, idle, irqs, kicks, b->b_errors,
	        spin ? "spin" : "halt");
	bb_fmt_ratio(iops, sizeof(iops), ios * 1000000000, el);
	bb_fmt_ratio(mbps, sizeof(mbps), bytes * 1000, el);
	bb_fmt_ratio(irq_io, sizeof(irq_io), irqs, ios);
	bb_fmt_ratio(kick_io, sizeof(kick_io), kicks, ios);
	kprintf("%s %s qd%u: %lu I/Os in %lu us: %s IOPS, %s MB/s, latency %lu ns, "
	        "CPU %lu ns/IO, %s irqs/IO, %s kicks/IO\n",
	        b->b_disk->bd_name, b->b_pat->bp_name, b->b_qd, ios, el / 1000, iops, mbps,
	        el * b->b_qd / ios, busy / ios, irq_io, kick_io);
}

static kern_return_t
bb_measure(struct bb_run *b, uint64_t count, bool spin)
{
	struct bb_sample s0, s1;
	uint64_t spin_ps = spin ? bb_spin_calibrate() : 0, idle, warm = count / 8;

	bb_phase(b, warm > b->b_qd ? warm : b->b_qd, spin, spin_ps);
	b->b_errors = 0;
	b->b_first_err = D_SUCCESS;
	bb_sample(b->b_disk, &s0);
	idle = bb_phase(b, count, spin, spin_ps);
	bb_sample(b->b_disk, &s1);
	if (!spin)
		idle = s1.s_idle_ns - s0.s_idle_ns;
	bb_report(b, &s0, &s1, idle, spin);
	if (b->b_errors)
		return monitor_error(b->b_first_err, "blk bench: %lu of %lu requests failed: %s",
		                     b->b_errors, count, blk_strerror(b->b_first_err));
	return KERN_SUCCESS;
}

/* PATTERN QD COUNT [MODE] checked against the disk (the error recorded on failure). */
static kern_return_t
bb_parse(struct bb_run *b, int argc, char **argv, uint64_t *count, bool *spin)
{
	unsigned long qd, n;

	if (argc < 6 || argc > 7)
		return monitor_error(KERN_INVALID_ARGUMENT, BB_USAGE);
	for (unsigned i = 0; i < sizeof(bb_patterns) / sizeof(bb_patterns[0]); i++)
		if (!strcmp(argv[3], bb_patterns[i].bp_name))
			b->b_pat = &bb_patterns[i];
	if (!b->b_pat)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "unknown pattern '%s' (randread4k, randwrite4k, seqread1m)",
		                     argv[3]);
	if (parse_u64(argv[4], &qd) != KERN_SUCCESS || qd < 1 || qd > BB_QD_MAX)
		return monitor_error(KERN_INVALID_ARGUMENT, "bad queue depth '%s' (1 to %u)",
		                     argv[4], BB_QD_MAX);
	if (parse_u64(argv[5], &n) != KERN_SUCCESS || n < 1 || n > 100000000)
		return monitor_error(KERN_INVALID_ARGUMENT, "bad count '%s' (1 to 100000000)",
		                     argv[5]);
	*spin = argc == 7 && !strcmp(argv[6], "spin");
	if (argc == 7 && !*spin && strcmp(argv[6], "halt"))
		return monitor_error(KERN_INVALID_ARGUMENT, "bad wait mode '%s' (halt or spin)",
		                     argv[6]);
	if (qd * b->b_pat->bp_bytes > BB_BUF_MAX)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "QD x request size must stay within %u MiB", BB_BUF_MAX >> 20);
	if (b->b_pat->bp_op == BLK_OP_WRITE && b->b_disk->bd_ro)
		return monitor_error(D_READ_ONLY, "%s is read-only", b->b_disk->bd_name);
	if (b->b_pat->bp_bytes % b->b_disk->bd_block_size)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "%s has %u-byte blocks, larger than the pattern's requests",
		                     b->b_disk->bd_name, b->b_disk->bd_block_size);
	b->b_nblocks = b->b_disk->bd_sectors / (b->b_pat->bp_bytes / BLK_SECTOR);
	if (b->b_nblocks == 0)
		return monitor_error(KERN_INVALID_ARGUMENT, "%s is smaller than one request",
		                     b->b_disk->bd_name);
	b->b_qd = (unsigned)qd;
	*count = n;
	return KERN_SUCCESS;
}

kern_return_t
blk_cmd_bench(struct blk_disk *d, int argc, char **argv)
{
	struct bb_run b = {.b_disk = d, .b_rng = BB_SEED};
	uint64_t count = 0;
	bool spin = false;
	kern_return_t kr;

	kr = bb_parse(&b, argc, argv, &count, &spin);
	if (kr == KERN_SUCCESS)
		kr = bb_alloc(&b);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = bb_measure(&b, count, spin);
	bb_free(&b);
	return kr;
}
