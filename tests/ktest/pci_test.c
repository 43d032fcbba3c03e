// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-kernel PCI tests, run by tests/qemu/pci.t:
 *   pci_inventory  the inventory against the devices QEMU was given
 *                  (expect_pci=VVVV:DDDD,...; expect_ecam=0|1, default: ECAM
 *                  exactly when ACPI has an MCFG): ids, class, BAR kinds,
 *                  BAR sizes and alignment, the BAR registers restored after
 *                  sizing, and the config mechanism;
 *   pci_msix       MSI-X on a virtio function: the table programmed with
 *                  machine_msi_compose() of fresh vectors, masking, and
 *                  disabling;
 *   pci_intx       the legacy line of an e1000 (which can raise its own
 *                  interrupt through its ICS register): delivered on the
 *                  IOAPIC pin of the firmware's line, level-triggered;
 *   pci_msix_irq   an e1000e's MSI-X message (raised the same way) arrives
 *                  on the vector of the entry its IVAR names.
 */
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "debug/ktest.h"
#include "pci/pci.h"
#include "pci/pci_caps.h"
#include "kern/string.h"
#include "x86_64/acpi.h"
#include "x86_64/apic.h"
#include "x86_64/machine.h"

#define EXPECT_MAX 16

struct pci_expect {
	uint16_t pe_vendor, pe_device;
};

/* Parses 4 hex digits at *s and advances it; false when malformed. */
static bool
hex16_parse(const char **s, uint16_t *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int d = hex_digit_value((*s)[i]);
		if (d < 0)
			return false;
		v = v << 4 | (unsigned)d;
	}
	*s += 4;
	*out = (uint16_t)v;
	return true;
}

/* "1af4:1001,8086:100e" into out; the count, or -1 when malformed. */
static int
expect_parse(const char *s, struct pci_expect *out, int max)
{
	int n = 0;

	while (s && *s) {
		if (n == max || !hex16_parse(&s, &out[n].pe_vendor) || *s++ != ':' ||
		    !hex16_parse(&s, &out[n].pe_device))
			return -1;
		n++;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return n;
}

struct pci_known {
	uint16_t pk_vendor, pk_device;
	uint8_t pk_class, pk_subclass;
	const char *pk_name;
};

static const struct pci_known pci_known[] = {
    {0x1af4, 0x1000, 0x02, 0x00, "virtio-net"}, {0x1af4, 0x1041, 0x02, 0x00, "virtio-net"},
    {0x1af4, 0x1001, 0x01, 0x00, "virtio-blk"}, {0x1af4, 0x1042, 0x01, 0x00, "virtio-blk"},
    {0x8086, 0x100e, 0x02, 0x00, "ethernet"},
};

static const struct pci_known *
known_find(uint16_t vendor, uint16_t device)
{
	for (unsigned i = 0; i < sizeof(pci_known) / sizeof(pci_known[0]); i++)
		if (pci_known[i].pk_vendor == vendor && pci_known[i].pk_device == device)
			return &pci_known[i];
	return NULL;
}

/*
 * A decoded BAR is believable: a power-of-two size, a non-zero address
 * aligned to it, and the register holding that address again (sizing
 * restored it).
 */
static bool
bar_sane(const struct pci_dev *d, unsigned i)
{
	const struct pci_bar *b = &d->pd_bars[i];
	uint32_t reg = pci_cfg_read32(d, 0x10 + 4 * i);
	uint64_t addr;

	if (b->pb_size == 0 || (b->pb_size & (b->pb_size - 1)) || b->pb_addr == 0 ||
	    (b->pb_addr & (b->pb_size - 1)))
		return false;
	if (b->pb_kind == PCI_BAR_IO)
		return (reg & 1) && (reg & ~3u) == b->pb_addr;
	addr = reg & ~0xfu;
	if (b->pb_kind == PCI_BAR_MEM64)
		addr |= (uint64_t)pci_cfg_read32(d, 0x14 + 4 * i) << 32;
	return !(reg & 1) && addr == b->pb_addr && !!(reg & 8) == b->pb_prefetchable;
}

static bool
bar_is(const struct pci_dev *d, unsigned i, enum pci_bar_kind kind, bool pref)
{
	const struct pci_bar *b = &d->pd_bars[i];

	return b->pb_kind == kind && b->pb_prefetchable == pref && bar_sane(d, i);
}

/* The BAR layout QEMU gives each kind of device. */
static bool
bars_expected(const struct pci_dev *d, const char **what)
{
	bool modern = d->pd_device >= 0x1040, io0 = d->pd_bars[0].pb_kind == PCI_BAR_IO;

	if (d->pd_vendor == 0x1af4 && d->pd_device >= 0x1000 && d->pd_device <= 0x107f) {
		*what = modern ? "bar4 mem64 pref, no I/O bar0" : "bar0 io, bar4 mem64 pref";
		return bar_is(d, 4, PCI_BAR_MEM64, true) &&
		       (modern ? !io0 : bar_is(d, 0, PCI_BAR_IO, false));
	}
	if (d->pd_vendor == 0x8086 && d->pd_device == 0x100e) {
		*what = "bar0 mem32, bar1 io";
		return bar_is(d, 0, PCI_BAR_MEM32, false) && bar_is(d, 1, PCI_BAR_IO, false);
	}
	*what = "every BAR sane";
	for (unsigned i = 0; i < PCI_MAX_BARS; i++)
		if (d->pd_bars[i].pb_kind != PCI_BAR_NONE && !bar_sane(d, i))
			return false;
	return true;
}

static void
bars_diag(const struct pci_dev *d)
{
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		const struct pci_bar *b = &d->pd_bars[i];
		if (b->pb_kind != PCI_BAR_NONE)
			ktap_diag("  bar%u %s%s %#lx size %#lx", i, pci_bar_kind_name(b->pb_kind),
			          b->pb_prefetchable ? " pref" : "", b->pb_addr, b->pb_size);
	}
}

/* The next unclaimed function with these ids. */
static struct pci_dev *
expect_claim(const struct pci_expect *e, bool *claimed)
{
	for (struct pci_dev *d = pci_find(NULL, e->pe_vendor, e->pe_device); d;
	     d = pci_find(d, e->pe_vendor, e->pe_device)) {
		unsigned i = 0;
		while (pci_get(i) != d)
			i++;
		if (!claimed[i]) {
			claimed[i] = true;
			return d;
		}
	}
	return NULL;
}

static void
expect_check(const struct pci_expect *e, bool *claimed)
{
	struct pci_dev *d = expect_claim(e, claimed);
	const struct pci_known *k = known_find(e->pe_vendor, e->pe_device);
	const char *what = "";

	if (!ktap_ok(d != NULL, "%04x:%04x present", e->pe_vendor, e->pe_device)) {
		ktap_ok(false, "%04x:%04x class", e->pe_vendor, e->pe_device);
		ktap_ok(false, "%04x:%04x BARs", e->pe_vendor, e->pe_device);
		return;
	}
	if (k)
		ktap_ok(d->pd_class == k->pk_class && d->pd_subclass == k->pk_subclass &&
		            !strcmp(pci_describe(d), k->pk_name),
		        "%02x:%02x.%x class %02x:%02x %s (expected %02x:%02x %s)", d->pd_bus,
		        d->pd_slot, d->pd_func, d->pd_class, d->pd_subclass, pci_describe(d),
		        k->pk_class, k->pk_subclass, k->pk_name);
	else
		ktap_ok(d->pd_class != 0xff, "%02x:%02x.%x class %02x:%02x %s", d->pd_bus,
		        d->pd_slot, d->pd_func, d->pd_class, d->pd_subclass, pci_describe(d));
	bool ok = bars_expected(d, &what);
	ktap_ok(ok, "%02x:%02x.%x BARs: %s", d->pd_bus, d->pd_slot, d->pd_func, what);
	if (!ok)
		bars_diag(d);
}

/* No virtio function beyond those expected (QEMU runs with -nodefaults). */
static void
virtio_count_check(const struct pci_expect *e, int n)
{
	unsigned want = 0, got = 0;

	for (int i = 0; i < n; i++)
		want += e[i].pe_vendor == 0x1af4;
	for (struct pci_dev *d = pci_find(NULL, 0x1af4, 0xffff); d; d = pci_find(d, 0x1af4, 0xffff))
		got++;
	ktap_ok(got == want, "%u virtio functions, %u expected", got, want);
}

/* Every function reads the same ids through the accessors and mechanism #1 (and ECAM). */
static void
mechanism_check(void)
{
	const char *opt = kernel_option("expect_ecam");
	bool want_ecam = opt ? !strcmp(opt, "1") : acpi_get()->ai_nmcfg > 0;
	bool ecam = pci_cfg_mech() == PCI_CFG_ECAM, agree = true;

	ktap_ok(ecam == want_ecam && pci_cfg_mech() != PCI_CFG_NONE, "config access through %s",
	        ecam ? "ECAM" : "mechanism #1");
	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_dev *d = pci_get(i);
		struct pci_cfg_addr a = {d->pd_segment, d->pd_bus, d->pd_slot, d->pd_func};
		uint32_t ids = d->pd_vendor | (uint32_t)d->pd_device << 16;
		for (unsigned off = 0; off <= 8; off += 8) {
			uint32_t v = pci_cfg_read32(d, off);
			agree &= pci_cfg_read_via(PCI_CFG_MECH1, &a, off, 4) == v;
			if (ecam)
				agree &= pci_cfg_read_via(PCI_CFG_ECAM, &a, off, 4) == v;
		}
		agree &= pci_cfg_read32(d, 0) == ids;
		agree &= pci_cfg_read16(d, 2) == d->pd_device &&
		         pci_cfg_read8(d, 1) == (uint8_t)(ids >> 8);
		agree &= pci_cfg_read8(d, 0x0b) == d->pd_class;
	}
	ktap_ok(agree && pci_count() > 0, "%u functions read alike through every mechanism",
	        pci_count());
}

/* pci_find() and pci_find_class() agree with the inventory. */
static void
find_check(void)
{
	unsigned by_any = 0, by_class = 0, bridges = 0;

	for (struct pci_dev *d = pci_find(NULL, 0xffff, 0xffff); d; d = pci_find(d, 0xffff, 0xffff))
		by_any++;
	for (unsigned i = 0; i < pci_count(); i++)
		bridges += pci_get(i)->pd_class == 0x06 && pci_get(i)->pd_subclass == 0x00;
	for (struct pci_dev *d = pci_find_class(NULL, 0x06, 0x00); d;
	     d = pci_find_class(d, 0x06, 0x00))
		by_class++;
	ktap_ok(by_any == pci_count() && by_class == bridges && bridges >= 1 &&
	            pci_get(pci_count()) == NULL,
	        "find: %u functions, %u host bridges", by_any, by_class);
}

KTEST(pci_inventory, "the PCI inventory matches the devices QEMU was given")
{
	struct pci_expect exp[EXPECT_MAX];
	bool claimed[PCI_MAX_DEVICES] = {false};
	int n = expect_parse(kernel_option("expect_pci"), exp, EXPECT_MAX);

	if (n <= 0) {
		ktap_plan(1);
		ktap_ok(false, "expect_pci=VVVV:DDDD,... is given and well-formed");
		return;
	}
	ktap_plan(3 * n + 4);
	for (int i = 0; i < n; i++)
		expect_check(&exp[i], claimed);
	virtio_count_check(exp, n);
	mechanism_check();
	find_check();
}

/* --- MSI-X --- */

static void
msix_dummy(void *arg)
{
}

/* The address of MSI-X table entry i, computed here from the capability. */
static volatile uint32_t *
msix_entry(struct pci_dev *d, unsigned i)
{
	uint32_t t = pci_cfg_read32(d, d->pd_msix_cap + 4);
	void *bar;

	if (pci_map_bar(d, t & 7, &bar) != KERN_SUCCESS)
		return NULL;
	return (volatile uint32_t *)((uint8_t *)bar + (t & ~7u) + 16 * i);
}

/* The vector of MSI-X entry i, or -1 when it has none (for messages). */
static int
msix_vec(const struct pci_dev *d, unsigned i)
{
	int v;

	return pci_msix_vector(d, i, &v) == KERN_SUCCESS ? v : -1;
}

static bool
msix_entry_programmed(struct pci_dev *d, unsigned i)
{
	volatile uint32_t *e = msix_entry(d, i);
	uint64_t addr;
	uint32_t data;
	int v;

	if (!e || pci_msix_vector(d, i, &v) != KERN_SUCCESS)
		return false;
	machine_msi_compose((uint8_t)v, machine_cpu_id(), &addr, &data);
	return v >= 48 && v <= 238 && e[0] == (uint32_t)addr && e[1] == (uint32_t)(addr >> 32) &&
	       e[2] == data && !(e[3] & 1);
}

/* The virtio function with the largest MSI-X table (2 entries at least). */
static struct pci_dev *
msix_victim(void)
{
	struct pci_dev *best = NULL;

	/* A function no driver has claimed (virtio devices are claimed at boot). */
	for (struct pci_dev *d = pci_find(NULL, 0xffff, 0xffff); d; d = pci_find(d, 0xffff, 0xffff))
		if (d->pd_msix_cap && d->pd_msix_count >= 2 && !d->pd_driver &&
		    (!best || d->pd_msix_count > best->pd_msix_count))
			best = d;
	return best;
}

KTEST(pci_msix, "MSI-X tables are programmed, masked and disabled")
{
	struct pci_dev *d = msix_victim();
	irq_handler_fn fns[2] = {msix_dummy, msix_dummy};
	void *args[2] = {NULL, NULL};
	int v;

	ktap_plan(11);
	if (!ktap_ok(d != NULL, "an unclaimed function with MSI-X (2+ entries)"))
		return;
	ktap_ok(pci_msix_enable(d, d->pd_msix_count + 1, fns, args, "t") == KERN_INVALID_ARGUMENT,
	        "more vectors than table entries refused (KERN_INVALID_ARGUMENT)");
	ktap_ok(pci_msix_enable(d, 2, fns, args, "pci_msix test") == KERN_SUCCESS,
	        "enable 2 of %u entries", d->pd_msix_count);
	ktap_ok(pci_msix_enable(d, 2, fns, args, "t") == KERN_INVALID_ARGUMENT,
	        "enabling again while on refused (KERN_INVALID_ARGUMENT)");
	uint16_t ctrl = pci_cfg_read16(d, d->pd_msix_cap + 2);
	uint16_t cmd = pci_cfg_read16(d, 0x04);
	ktap_ok((ctrl & 0xc000) == 0x8000 && (cmd & 0x0406) == 0x0406,
	        "MSI-X enabled, function unmasked, bus master and memory on, INTx off "
	        "(ctrl %#x cmd %#x)",
	        ctrl, cmd);
	ktap_ok(msix_entry_programmed(d, 0) && msix_entry_programmed(d, 1) &&
	            msix_vec(d, 0) != msix_vec(d, 1),
	        "entries 0 and 1: address, data of vectors %d and %d, unmasked", msix_vec(d, 0),
	        msix_vec(d, 1));
	ktap_ok(pci_msix_vector(d, 2, &v) == KERN_INVALID_ARGUMENT,
	        "no vector for an entry not enabled (KERN_INVALID_ARGUMENT)");
	ktap_ok(d->pd_msix_count < 3 || (msix_entry(d, 2)[3] & 1), "unused entries stay masked");
	pci_msix_mask(d, 1, true);
	bool masked = msix_entry(d, 1)[3] & 1;
	pci_msix_mask(d, 1, false);
	ktap_ok(masked && !(msix_entry(d, 1)[3] & 1), "entry 1 masked and unmasked");
	pci_msix_disable(d);
	ctrl = pci_cfg_read16(d, d->pd_msix_cap + 2);
	ktap_ok(!(ctrl & 0x8000) && (msix_entry(d, 0)[3] & 1) &&
	            pci_msix_vector(d, 0, &v) == KERN_INVALID_ARGUMENT,
	        "disabled: enable bit clear, entries masked, vectors released");
	ktap_ok(pci_msix_enable(d, 2, fns, args, "pci_msix again") == KERN_SUCCESS &&
	            msix_entry_programmed(d, 0),
	        "enabled again");
	pci_msix_disable(d);
}

/* --- INTx --- */

#define E1000_ICR 0xc0
#define E1000_ICS 0xc8
#define E1000_IMS 0xd0
#define E1000_IMC 0xd8
#define E1000_ICR_LSC 0x4

struct intx_state {
	volatile uint32_t *regs;
	volatile unsigned count, empty;
	volatile uint32_t icr;
};

static uint32_t
e1000_read(struct intx_state *s, unsigned reg)
{
	return s->regs[reg / 4];
}

static void
e1000_write(struct intx_state *s, unsigned reg, uint32_t v)
{
	s->regs[reg / 4] = v;
}

/* The ICR read acknowledges the cause, which lowers the level-triggered line. */
static void
intx_handler(void *arg)
{
	struct intx_state *s = arg;
	uint32_t icr = e1000_read(s, E1000_ICR);

	if (icr) {
		s->count++;
		s->icr = icr;
	} else {
		s->empty++;
	}
}

/* Waits up to ms milliseconds for the count to reach want. */
static void
intx_wait(struct intx_state *s, unsigned want, unsigned ms)
{
	uint64_t end = clock_monotonic_ns() + (uint64_t)ms * 1000000;

	while (s->count < want && clock_monotonic_ns() < end)
		cpu_idle_wait();
}

KTEST(pci_intx, "an e1000 interrupt arrives on its INTx line")
{
	static struct intx_state s;
	struct pci_dev *d = pci_find(NULL, 0x8086, 0x100e);
	kern_return_t kr;
	void *regs;
	int v = -1;

	ktap_plan(6);
	if (!ktap_ok(d && pci_map_bar(d, 0, &regs) == KERN_SUCCESS, "e1000 found, BAR0 mapped"))
		return;
	s.regs = regs;
	e1000_write(&s, E1000_IMC, 0xffffffffu);
	(void)e1000_read(&s, E1000_ICR);
	kr = pci_intx_enable(d, intx_handler, &s, "pci_intx test", &v);
	ktap_ok(kr == KERN_SUCCESS && v >= 48 && v <= 238 && !(pci_cfg_read16(d, 0x04) & 0x400),
	        "INTx%c line %u routed to vector %d (error %d)", 'A' + d->pd_irq_pin - 1,
	        d->pd_irq_line, v, kr);
	e1000_write(&s, E1000_IMS, E1000_ICR_LSC);
	e1000_write(&s, E1000_ICS, E1000_ICR_LSC);
	intx_wait(&s, 1, 1000);
	ktap_ok(s.count == 1 && (s.icr & E1000_ICR_LSC), "the interrupt arrived (icr %#x)", s.icr);
	intx_wait(&s, 2, 50);
	ktap_ok(s.count == 1, "once: the level line dropped after the ack (%u, %u empty)", s.count,
	        s.empty);
	e1000_write(&s, E1000_ICS, E1000_ICR_LSC);
	intx_wait(&s, 2, 1000);
	ktap_ok(s.count == 2, "a second interrupt arrived");
	e1000_write(&s, E1000_IMC, 0xffffffffu);
	e1000_write(&s, E1000_ICS, E1000_ICR_LSC);
	intx_wait(&s, 3, 50);
	ktap_ok(s.count == 2 && (e1000_read(&s, E1000_ICR) & E1000_ICR_LSC),
	        "masked in the device: no interrupt, the cause stays pending");
}

/* --- MSI-X delivery --- */

#define E1000E_IVAR 0xe4
#define E1000E_IVAR_OTHER(vec) ((0x8u | (vec)) << 16) /* valid bit 3, vector 2:0 */
#define E1000E_ICR_OTHER (1u << 24)
#define E1000E_VECTORS 5

static volatile unsigned msix_hits[E1000E_VECTORS];

static void
msix_count(void *arg)
{
	msix_hits[(uintptr_t)arg]++;
}

static void
msix_wait(unsigned i, unsigned ms)
{
	uint64_t end = clock_monotonic_ns() + (uint64_t)ms * 1000000;

	while (!msix_hits[i] && clock_monotonic_ns() < end)
		cpu_idle_wait();
}

/*
 * An e1000e (82574) can raise its "other" cause on the MSI-X entry its
 * IVAR register names, from a write to ICS: the message reaches the vector
 * pci_msix_enable() gave that entry, and no other.
 */
KTEST(pci_msix_irq, "an e1000e MSI-X message arrives on the vector of its entry")
{
	struct intx_state s = {0};
	struct pci_dev *d = pci_find(NULL, 0x8086, 0x10d3);
	irq_handler_fn fns[E1000E_VECTORS];
	void *args[E1000E_VECTORS];
	unsigned others = 0;
	void *regs;

	ktap_plan(3);
	if (!ktap_ok(d && d->pd_msix_count >= E1000E_VECTORS &&
	                 pci_map_bar(d, 0, &regs) == KERN_SUCCESS,
	             "e1000e with %u MSI-X entries, BAR0 mapped", d ? d->pd_msix_count : 0))
		return;
	s.regs = regs;
	for (unsigned i = 0; i < E1000E_VECTORS; i++) {
		fns[i] = msix_count;
		args[i] = (void *)(uintptr_t)i;
	}
	e1000_write(&s, E1000_IMC, 0xffffffffu);
	ktap_ok(pci_msix_enable(d, E1000E_VECTORS, fns, args, "pci_msix_irq test") == KERN_SUCCESS,
	        "MSI-X enabled with %u vectors", E1000E_VECTORS);
	e1000_write(&s, E1000E_IVAR, E1000E_IVAR_OTHER(3));
	e1000_write(&s, E1000_IMS, E1000_ICR_LSC | E1000E_ICR_OTHER);
	e1000_write(&s, E1000_ICS, E1000_ICR_LSC | E1000E_ICR_OTHER);
	msix_wait(3, 1000);
	for (unsigned i = 0; i < E1000E_VECTORS; i++)
		others += i != 3 ? msix_hits[i] : 0;
	ktap_ok(msix_hits[3] >= 1 && others == 0, "entry 3 (vector %d) fired %u times, others %u",
	        msix_vec(d, 3), msix_hits[3], others);
	e1000_write(&s, E1000_IMC, 0xffffffffu);
	pci_msix_disable(d);
}
