// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI: enumeration of every bus at boot and the interface drivers use.
 *
 * Sections: PCI Local Bus 3.0 §6.1 (header), §6.2.2 (Command), §6.2.5.1
 * (BAR sizing), §6.8.1 (MSI); PCI-to-PCI Bridge 1.2 §3.2.5.3 (bus numbers);
 * PCI Express Base 4.0 §6.1.4.2 and §7.7.2 (MSI-X, its table and masking).
 * Virtio device ids: virtio 1.2 §4.1.2.1.
 *
 * Enumeration starts at bus 0 (or at bus N for each function N of a
 * multi-function host bridge 00:00.N) and follows each PCI-to-PCI bridge to
 * its secondary bus; a bus is scanned at most once, so a bridge that points
 * back cannot loop (the option pci_scan=all also probes every bus number,
 * for root buses only ACPI names). Config space goes through x86_64/pci_cfg.c, under its
 * one lock; BAR sizing holds that lock with decoding disabled throughout.
 *
 * INTx: in QEMU (pc and q35) a function's INTx arrives on the IOAPIC pin
 * equal to the interrupt line the firmware programmed, level-triggered and
 * active-high; the AML _PRT is not parsed. Lines are shared: one vector per
 * GSI calls every handler registered on it.
 */
#include "pci/pci.h"

#include "kern/cmdline.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "pci/pci_caps.h"
#include "x86_64/machine.h"

/* Header offsets (§6.1) and Command bits (§6.2.2). */
#define PCI_VENDOR 0x00
#define PCI_DEVICE 0x02
#define PCI_COMMAND 0x04
#define PCI_CMD_IO 0x0001
#define PCI_CMD_MEM 0x0002
#define PCI_CMD_MASTER 0x0004
#define PCI_CMD_INTX_DISABLE 0x0400
#define PCI_REVISION 0x08
#define PCI_CLASS_DWORD 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_MULTI 0x80
#define PCI_BAR0 0x10
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID 0x2e
#define PCI_IRQ_LINE 0x3c
#define PCI_IRQ_PIN 0x3d
#define PCI_BRIDGE_SECONDARY 0x19

/* BAR low bits (§6.2.5.1). */
#define PCI_BAR_IO_BIT 0x1
#define PCI_BAR_MEM_TYPE(v) (((v) >> 1) & 3)
#define PCI_BAR_MEM_PREF 0x8

/* MSI-X capability (PCIe §7.7.2). */
#define MSIX_CTRL 2
#define MSIX_CTRL_ENABLE 0x8000
#define MSIX_CTRL_FMASK 0x4000
#define MSIX_CTRL_SIZE(v) (((v)&0x7ff) + 1)
#define MSIX_TABLE 4
#define MSIX_BIR(v) ((v)&7)
#define MSIX_OFFSET(v) ((v) & ~7u)
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_ADDR_LO 0
#define MSIX_ENTRY_ADDR_HI 4
#define MSIX_ENTRY_DATA 8
#define MSIX_ENTRY_CTRL 12
#define MSIX_ENTRY_MASKED 1
#define MSI_CTRL 2
#define MSI_CTRL_ENABLE 0x0001

#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_MAX_DEPTH 32

/* What the interface keeps per device beyond struct pci_dev. */
struct pci_priv {
	void *pp_bar_map[PCI_MAX_BARS];  /* pci_map_bar() mappings */
	volatile uint8_t *pp_msix_table; /* the MSI-X table, mapped */
	int *pp_msix_vectors;            /* vector of each enabled entry */
	unsigned pp_msix_nvec;           /* entries enabled, 0 when off */
};

static struct pci_dev pci_devs[PCI_MAX_DEVICES];
static struct pci_priv pci_privs[PCI_MAX_DEVICES];
static unsigned pci_ndevs;
static bool pci_full_logged;
static uint64_t pci_bus_seen[256 / 64];

static struct pci_cfg_addr
pci_addr(const struct pci_dev *d)
{
	return (struct pci_cfg_addr){d->pd_segment, d->pd_bus, d->pd_slot, d->pd_func};
}

static struct pci_priv *
pci_priv(const struct pci_dev *d)
{
	return &pci_privs[d - pci_devs];
}

/* --- Config access --- */

uint8_t
pci_cfg_read8(const struct pci_dev *d, unsigned off)
{
	struct pci_cfg_addr a = pci_addr(d);
	return (uint8_t)pci_cfg_read(&a, off, 1);
}

uint16_t
pci_cfg_read16(const struct pci_dev *d, unsigned off)
{
	struct pci_cfg_addr a = pci_addr(d);
	return (uint16_t)pci_cfg_read(&a, off, 2);
}

uint32_t
pci_cfg_read32(const struct pci_dev *d, unsigned off)
{
	struct pci_cfg_addr a = pci_addr(d);
	return pci_cfg_read(&a, off, 4);
}

void
pci_cfg_write8(const struct pci_dev *d, unsigned off, uint8_t v)
{
	struct pci_cfg_addr a = pci_addr(d);
	pci_cfg_write(&a, off, 1, v);
}

void
pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	struct pci_cfg_addr a = pci_addr(d);
	pci_cfg_write(&a, off, 2, v);
}

void
pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	struct pci_cfg_addr a = pci_addr(d);
	pci_cfg_write(&a, off, 4, v);
}

/* Sets and clears Command bits in one locked read-modify-write. */
static void
pci_command_update(const struct pci_dev *d, uint16_t set, uint16_t clear)
{
	struct pci_cfg_addr a = pci_addr(d);
	uint64_t f = pci_cfg_lock_acquire();
	uint16_t cmd = (uint16_t)pci_cfg_read_locked(&a, PCI_COMMAND, 2);

	pci_cfg_write_locked(&a, PCI_COMMAND, 2, (cmd & ~clear) | set);
	pci_cfg_lock_release(f);
}

/* --- Capabilities --- */

static uint8_t
pci_caps_dev_read8(void *ctx, unsigned off)
{
	return pci_cfg_read8(ctx, off);
}

void
pci_caps_source(const struct pci_dev *d, struct pci_caps_src *src)
{
	*src = (struct pci_caps_src){pci_caps_dev_read8, (void *)d, 256};
}

unsigned
pci_find_cap(const struct pci_dev *d, uint8_t cap_id, unsigned after)
{
	struct pci_caps_src src;

	pci_caps_source(d, &src);
	return pci_caps_find(&src, cap_id, after);
}

static void
pci_caps_decode(struct pci_dev *d)
{
	d->pd_msi_cap = (uint8_t)pci_find_cap(d, PCI_CAP_ID_MSI, 0);
	d->pd_msix_cap = (uint8_t)pci_find_cap(d, PCI_CAP_ID_MSIX, 0);
	if (d->pd_msix_cap)
		d->pd_msix_count = MSIX_CTRL_SIZE(pci_cfg_read16(d, d->pd_msix_cap + MSIX_CTRL));
}

/* --- BARs --- */

/* Writes all ones to the BAR dword at off, returns what reads back, restores it. */
static uint32_t
pci_bar_probe_dword(const struct pci_cfg_addr *a, unsigned off, uint32_t *orig)
{
	uint32_t rb;

	*orig = pci_cfg_read_locked(a, off, 4);
	pci_cfg_write_locked(a, off, 4, 0xffffffffu);
	rb = pci_cfg_read_locked(a, off, 4);
	pci_cfg_write_locked(a, off, 4, *orig);
	return rb;
}

/*
 * Decodes BAR i into d->pd_bars[i]; returns how many BAR slots it used
 * (2 for a 64-bit BAR). Called with the config lock held, decoding off.
 */
static unsigned
pci_bar_decode(struct pci_dev *d, const struct pci_cfg_addr *a, unsigned i, unsigned nbars)
{
	struct pci_bar *b = &d->pd_bars[i];
	unsigned off = PCI_BAR0 + 4 * i, used = 1;
	uint32_t orig, rb, orig_hi, rb_hi;
	uint64_t mask;

	rb = pci_bar_probe_dword(a, off, &orig);
	if (rb == 0)
		return 1; /* an absent BAR reads back as zero */
	if (rb & PCI_BAR_IO_BIT) {
		b->pb_kind = PCI_BAR_IO;
		b->pb_addr = orig & ~3u;
		mask = rb & ~3u;
		if (!(mask & 0xffff0000u))
			mask &= 0xffff; /* a 16-bit decoder: the top half reads zero */
	} else if (PCI_BAR_MEM_TYPE(rb) == 0) {
		b->pb_kind = PCI_BAR_MEM32;
		b->pb_addr = orig & ~0xfu;
		mask = rb & ~0xfu;
	} else if (PCI_BAR_MEM_TYPE(rb) == 2 && i + 1 < nbars) {
		rb_hi = pci_bar_probe_dword(a, off + 4, &orig_hi);
		b->pb_kind = PCI_BAR_MEM64;
		b->pb_addr = (uint64_t)orig_hi << 32 | (orig & ~0xfu);
		mask = (uint64_t)rb_hi << 32 | (rb & ~0xfu);
		used = 2;
	} else {
		log_warn("pci %02x:%02x.%x bar%u: memory type %u not usable (%#x), absent",
		         d->pd_bus, d->pd_slot, d->pd_func, i, PCI_BAR_MEM_TYPE(rb), rb);
		return 1;
	}
	b->pb_prefetchable = b->pb_kind != PCI_BAR_IO && (rb & PCI_BAR_MEM_PREF);
	b->pb_size = pci_bar_size(mask);
	if (b->pb_kind == PCI_BAR_IO && b->pb_size > 0x10000)
		b->pb_size = 0; /* a port range past 64 KiB is no I/O BAR */
	if (!pci_bar_size_valid(b->pb_size)) {
		log_warn("pci %02x:%02x.%x bar%u: size %#lx is zero or not a power of two "
		         "(read back %#x), absent",
		         d->pd_bus, d->pd_slot, d->pd_func, i, b->pb_size, rb);
		*b = (struct pci_bar){0};
	}
	return used;
}

/*
 * Sizes every BAR of the function with I/O and memory decoding off
 * (§6.2.5.1), so a half-written BAR never claims addresses. Host bridges
 * keep decoding: on some chipsets that turns off the path to memory.
 */
static void
pci_bars_decode(struct pci_dev *d, unsigned nbars)
{
	struct pci_cfg_addr a = pci_addr(d);
	uint64_t f = pci_cfg_lock_acquire();
	uint16_t cmd = (uint16_t)pci_cfg_read_locked(&a, PCI_COMMAND, 2);
	bool host = d->pd_class == 0x06 && d->pd_subclass == 0x00;

	if (!host)
		pci_cfg_write_locked(&a, PCI_COMMAND, 2, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	for (unsigned i = 0; i < nbars;)
		i += pci_bar_decode(d, &a, i, nbars);
	pci_cfg_write_locked(&a, PCI_COMMAND, 2, cmd);
	pci_cfg_lock_release(f);
}

/* --- Enumeration --- */

static void pci_scan_bus(uint8_t bus, unsigned depth);

static struct pci_dev *
pci_dev_add(uint8_t bus, uint8_t slot, uint8_t func)
{
	if (pci_ndevs == PCI_MAX_DEVICES) {
		if (!pci_full_logged)
			log_warn("pci: more than %u functions, %02x:%02x.%x and later left out",
			         PCI_MAX_DEVICES, bus, slot, func);
		pci_full_logged = true;
		return NULL;
	}
	struct pci_dev *d = &pci_devs[pci_ndevs++];
	*d = (struct pci_dev){.pd_segment = 0, .pd_bus = bus, .pd_slot = slot, .pd_func = func};
	return d;
}

static void
pci_dev_read_header(struct pci_dev *d)
{
	uint32_t cls = pci_cfg_read32(d, PCI_CLASS_DWORD);

	d->pd_vendor = pci_cfg_read16(d, PCI_VENDOR);
	d->pd_device = pci_cfg_read16(d, PCI_DEVICE);
	d->pd_revision = (uint8_t)cls;
	d->pd_progif = (uint8_t)(cls >> 8);
	d->pd_subclass = (uint8_t)(cls >> 16);
	d->pd_class = (uint8_t)(cls >> 24);
	d->pd_header_type = pci_cfg_read8(d, PCI_HEADER_TYPE);
	d->pd_irq_line = pci_cfg_read8(d, PCI_IRQ_LINE);
	d->pd_irq_pin = pci_cfg_read8(d, PCI_IRQ_PIN);
	if ((d->pd_header_type & 0x7f) == 0) {
		d->pd_subsys_vendor = pci_cfg_read16(d, PCI_SUBSYS_VENDOR);
		d->pd_subsys_id = pci_cfg_read16(d, PCI_SUBSYS_ID);
	}
	if (d->pd_irq_pin > 4)
		d->pd_irq_pin = 0; /* not a pin: treat as none */
}

/* Follows a PCI-to-PCI bridge to its secondary bus. */
static void
pci_bridge_follow(const struct pci_dev *d, unsigned depth)
{
	uint8_t sec = pci_cfg_read8(d, PCI_BRIDGE_SECONDARY);

	if (sec == 0 || sec <= d->pd_bus) {
		log_warn("pci %02x:%02x.%x: bridge secondary bus %u not configured, not scanned",
		         d->pd_bus, d->pd_slot, d->pd_func, sec);
		return;
	}
	pci_scan_bus(sec, depth + 1);
}

static bool
pci_func_present(uint8_t bus, uint8_t slot, uint8_t func)
{
	struct pci_cfg_addr a = {0, bus, slot, func};
	uint16_t vendor = (uint16_t)pci_cfg_read(&a, PCI_VENDOR, 2);

	return vendor != 0xffff && vendor != 0;
}

static void
pci_scan_func(uint8_t bus, uint8_t slot, uint8_t func, unsigned depth)
{
	struct pci_dev *d = pci_dev_add(bus, slot, func);
	unsigned type;

	if (!d)
		return;
	pci_dev_read_header(d);
	type = d->pd_header_type & 0x7f;
	if (type == 0)
		pci_bars_decode(d, 6);
	else if (type == 1)
		pci_bars_decode(d, 2);
	pci_caps_decode(d);
	if (type == 1)
		pci_bridge_follow(d, depth);
}

static void
pci_scan_slot(uint8_t bus, uint8_t slot, unsigned depth)
{
	struct pci_cfg_addr a = {0, bus, slot, 0};
	unsigned nfunc;

	if (!pci_func_present(bus, slot, 0))
		return;
	nfunc = (pci_cfg_read(&a, PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTI) ? 8 : 1;
	for (unsigned f = 0; f < nfunc; f++)
		if (pci_func_present(bus, slot, (uint8_t)f))
			pci_scan_func(bus, slot, (uint8_t)f, depth);
}

static void
pci_scan_bus(uint8_t bus, unsigned depth)
{
	uint64_t bit = UINT64_C(1) << (bus % 64);

	if (pci_bus_seen[bus / 64] & bit)
		return; /* already scanned: a bridge loop or a shared number */
	if (depth > PCI_MAX_DEPTH) {
		log_warn("pci: bus %u is nested too deep, not scanned", bus);
		return;
	}
	pci_bus_seen[bus / 64] |= bit;
	for (unsigned slot = 0; slot < 32; slot++)
		pci_scan_slot(bus, (uint8_t)slot, depth);
}

/* Root buses: bus 0, or bus N for each function N of a multi-function host bridge 00:00. */
static void
pci_scan_roots(void)
{
	struct pci_cfg_addr host = {0, 0, 0, 0};

	if (!pci_func_present(0, 0, 0) ||
	    !(pci_cfg_read(&host, PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTI)) {
		pci_scan_bus(0, 0);
		return;
	}
	for (unsigned f = 0; f < 8; f++) {
		struct pci_cfg_addr a = {0, 0, 0, (uint8_t)f};
		if (pci_func_present(0, 0, (uint8_t)f) && pci_cfg_read(&a, 0x0b, 1) == 0x06 &&
		    pci_cfg_read(&a, 0x0a, 1) == 0x00)
			pci_scan_bus((uint8_t)f, 0);
	}
	pci_scan_bus(0, 0); /* in case 00:00.0's functions are not host bridges */
}

/*
 * pci_scan=all: every bus number, for root buses that only ACPI names
 * (_BBN, e.g. QEMU's pxb). Off by default: under ECAM each bus probed costs
 * a 1 MiB mapping.
 */
static void
pci_scan_all(void)
{
	const char *opt = kernel_option("pci_scan");

	if (!opt || strcmp(opt, "all"))
		return;
	for (unsigned bus = 0; bus < 256; bus++)
		pci_scan_bus((uint8_t)bus, 0);
}

static void
pci_init(void)
{
	char line[96];

	pci_cfg_init();
	pci_scan_roots();
	pci_scan_all();
	for (unsigned i = 0; i < pci_ndevs; i++) {
		pci_format(&pci_devs[i], line, sizeof(line));
		log_info("%s", line);
	}
	log_info("pci: %u functions", pci_ndevs);
}
INITCALL(INIT_BUS, "pci", pci_init);

/* --- Inventory --- */

unsigned
pci_count(void)
{
	return pci_ndevs;
}

struct pci_dev *
pci_get(unsigned i)
{
	return i < pci_ndevs ? &pci_devs[i] : NULL;
}

/* Index after `from` (0 for NULL); pci_ndevs for a pointer not in the inventory. */
static unsigned
pci_next_index(const struct pci_dev *from)
{
	if (!from)
		return 0;
	if (from < pci_devs || from >= pci_devs + pci_ndevs)
		return pci_ndevs;
	return (unsigned)(from - pci_devs) + 1;
}

struct pci_dev *
pci_find(struct pci_dev *from, uint16_t vendor, uint16_t device)
{
	for (unsigned i = pci_next_index(from); i < pci_ndevs; i++) {
		struct pci_dev *d = &pci_devs[i];
		if ((vendor == 0xffff || d->pd_vendor == vendor) &&
		    (device == 0xffff || d->pd_device == device))
			return d;
	}
	return NULL;
}

struct pci_dev *
pci_find_class(struct pci_dev *from, uint8_t cls, uint8_t subclass)
{
	for (unsigned i = pci_next_index(from); i < pci_ndevs; i++) {
		struct pci_dev *d = &pci_devs[i];
		if (d->pd_class == cls && d->pd_subclass == subclass)
			return d;
	}
	return NULL;
}

/* --- Names --- */

static const char *
pci_virtio_name(unsigned id)
{
	static const char *const names[] = {
	    [1] = "virtio-net",    [2] = "virtio-blk",     [3] = "virtio-console",
	    [4] = "virtio-rng",    [5] = "virtio-balloon", [8] = "virtio-scsi",
	    [9] = "virtio-9p",     [16] = "virtio-gpu",    [18] = "virtio-input",
	    [19] = "virtio-vsock", [26] = "virtio-fs",
	};

	if (id < sizeof(names) / sizeof(names[0]) && names[id])
		return names[id];
	return "virtio";
}

/* The virtio device id (virtio 1.2 §5) of a virtio PCI function, 0 when none. */
static unsigned
pci_virtio_id(const struct pci_dev *d)
{
	static const uint8_t transitional[] = {1, 2, 5, 3, 8, 4, 0, 0, 0, 9};

	if (d->pd_vendor != PCI_VENDOR_VIRTIO || d->pd_device < 0x1000 || d->pd_device > 0x107f)
		return 0;
	if (d->pd_device >= 0x1040)
		return d->pd_device - 0x1040u;
	if (d->pd_device - 0x1000u < sizeof(transitional) && transitional[d->pd_device - 0x1000])
		return transitional[d->pd_device - 0x1000];
	return d->pd_subsys_id; /* legacy devices carry the id in the subsystem id */
}

struct pci_class_name {
	uint8_t cn_class, cn_subclass; /* subclass 0xff: any */
	const char *cn_name;
};

static const struct pci_class_name pci_class_names[] = {
    {0x01, 0x00, "scsi"},       {0x01, 0x01, "ide"},           {0x01, 0x05, "ata"},
    {0x01, 0x06, "sata"},       {0x01, 0x08, "nvme"},          {0x01, 0xff, "storage"},
    {0x02, 0x00, "ethernet"},   {0x02, 0xff, "network"},       {0x03, 0x00, "vga"},
    {0x03, 0xff, "display"},    {0x04, 0x01, "audio"},         {0x04, 0x03, "hda"},
    {0x04, 0xff, "multimedia"}, {0x05, 0xff, "memory"},        {0x06, 0x00, "host bridge"},
    {0x06, 0x01, "isa bridge"}, {0x06, 0x04, "pci bridge"},    {0x06, 0xff, "bridge"},
    {0x07, 0x00, "serial"},     {0x07, 0xff, "communication"}, {0x08, 0xff, "system"},
    {0x09, 0xff, "input"},      {0x0c, 0x03, "usb"},           {0x0c, 0x05, "smbus"},
    {0x0c, 0xff, "serial bus"},
};

const char *
pci_describe(const struct pci_dev *d)
{
	unsigned id = pci_virtio_id(d);

	if (d->pd_vendor == PCI_VENDOR_VIRTIO && d->pd_device >= 0x1000 && d->pd_device <= 0x107f)
		return pci_virtio_name(id);
	for (unsigned i = 0; i < sizeof(pci_class_names) / sizeof(pci_class_names[0]); i++) {
		const struct pci_class_name *n = &pci_class_names[i];
		if (n->cn_class == d->pd_class &&
		    (n->cn_subclass == d->pd_subclass || n->cn_subclass == 0xff))
			return n->cn_name;
	}
	return "device";
}

void
pci_format(const struct pci_dev *d, char *buf, size_t size)
{
	ksnprintf(buf, size, "pci %02x:%02x.%x %04x:%04x class %02x:%02x %s", d->pd_bus, d->pd_slot,
	          d->pd_func, d->pd_vendor, d->pd_device, d->pd_class, d->pd_subclass,
	          pci_describe(d));
}

const char *
pci_bar_kind_name(enum pci_bar_kind kind)
{
	switch (kind) {
	case PCI_BAR_IO:
		return "io";
	case PCI_BAR_MEM32:
		return "mem32";
	case PCI_BAR_MEM64:
		return "mem64";
	default:
		return "none";
	}
}

/* --- Resources --- */

kern_return_t
pci_map_bar(struct pci_dev *d, unsigned bar, void **va)
{
	struct pci_priv *p;
	struct pci_bar *b;
	kern_return_t kr;

	if (!d || !va || bar >= PCI_MAX_BARS)
		return KERN_INVALID_ARGUMENT;
	p = pci_priv(d);
	b = &d->pd_bars[bar];
	if (b->pb_kind != PCI_BAR_MEM32 && b->pb_kind != PCI_BAR_MEM64)
		return KERN_INVALID_ARGUMENT;
	if (b->pb_addr == 0 || b->pb_size == 0 || b->pb_size > SIZE_MAX / 2) {
		log_warn("pci %02x:%02x.%x bar%u: not assigned by the firmware, not mapped",
		         d->pd_bus, d->pd_slot, d->pd_func, bar);
		return KERN_INVALID_ADDRESS;
	}
	if (!p->pp_bar_map[bar]) {
		kr = mmio_map(b->pb_addr, (size_t)b->pb_size, &p->pp_bar_map[bar]);
		if (kr != KERN_SUCCESS) {
			log_warn("pci %02x:%02x.%x bar%u: %#lx bytes not mapped (error %d)",
			         d->pd_bus, d->pd_slot, d->pd_func, bar, b->pb_size, kr);
			return kr;
		}
	}
	pci_command_update(d, PCI_CMD_MEM, 0);
	*va = p->pp_bar_map[bar];
	return KERN_SUCCESS;
}

void
pci_enable_io(struct pci_dev *d)
{
	pci_command_update(d, PCI_CMD_IO, 0);
}

void
pci_enable_bus_master(struct pci_dev *d)
{
	pci_command_update(d, PCI_CMD_MASTER, 0);
}

/* --- MSI-X --- */

static inline void
msix_write32(volatile uint8_t *table, unsigned entry, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(table + entry * MSIX_ENTRY_SIZE + off) = v;
}

static inline uint32_t
msix_read32(volatile uint8_t *table, unsigned entry, unsigned off)
{
	return *(volatile uint32_t *)(table + entry * MSIX_ENTRY_SIZE + off);
}

/*
 * Maps the MSI-X table after checking it lies inside a memory BAR (the
 * device says where: it is not trusted) and stores its address in *table.
 * Returns KERN_SUCCESS, KERN_INVALID_VALUE when the table is not inside a
 * memory BAR, or the error of pci_map_bar().
 */
static kern_return_t
pci_msix_table_map(struct pci_dev *d, volatile uint8_t **table)
{
	uint32_t t = pci_cfg_read32(d, d->pd_msix_cap + MSIX_TABLE);
	unsigned bir = MSIX_BIR(t);
	uint64_t off = MSIX_OFFSET(t), len = (uint64_t)d->pd_msix_count * MSIX_ENTRY_SIZE;
	kern_return_t kr;
	void *bar;

	if (bir >= PCI_MAX_BARS || d->pd_bars[bir].pb_kind == PCI_BAR_IO ||
	    off + len > d->pd_bars[bir].pb_size) {
		log_warn("pci %02x:%02x.%x: MSI-X table bar%u+%#lx is not inside a memory BAR",
		         d->pd_bus, d->pd_slot, d->pd_func, bir, off);
		return KERN_INVALID_VALUE;
	}
	kr = pci_map_bar(d, bir, &bar);
	if (kr != KERN_SUCCESS)
		return kr;
	*table = (volatile uint8_t *)bar + off;
	return KERN_SUCCESS;
}

/*
 * Allocates count vectors into a new array *out. Returns KERN_SUCCESS,
 * KERN_RESOURCE_SHORTAGE when memory or vectors run out, or the error of
 * irq_alloc_vector(); on failure nothing stays allocated.
 */
static kern_return_t
pci_msix_vectors_alloc(unsigned count, irq_handler_fn *fns, void **args, const char *name,
                       int **out)
{
	int *vec = kmalloc(count * sizeof(int));
	kern_return_t kr;

	if (!vec)
		return KERN_RESOURCE_SHORTAGE;
	for (unsigned i = 0; i < count; i++) {
		kr = irq_alloc_vector(fns[i], args ? args[i] : NULL, name, &vec[i]);
		if (kr != KERN_SUCCESS) {
			while (i--)
				irq_free_vector(vec[i]);
			kfree(vec);
			return kr;
		}
	}
	*out = vec;
	return KERN_SUCCESS;
}

/*
 * Programs the table with the function masked (PCIe §6.1.4.2): enable and
 * function mask first, then every entry (masked until written), then the
 * function mask off. Unused entries stay masked.
 */
static void
pci_msix_program(struct pci_dev *d, volatile uint8_t *table, const int *vec, unsigned count)
{
	uint32_t cpu = machine_cpu_id();
	unsigned ctrl = d->pd_msix_cap + MSIX_CTRL;
	uint16_t c = pci_cfg_read16(d, ctrl);

	if (d->pd_msi_cap) /* MSI and MSI-X together are undefined */
		pci_cfg_write16(d, d->pd_msi_cap + MSI_CTRL,
		                pci_cfg_read16(d, d->pd_msi_cap + MSI_CTRL) & ~MSI_CTRL_ENABLE);
	pci_cfg_write16(d, ctrl, c | MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);
	for (unsigned i = 0; i < d->pd_msix_count; i++) {
		msix_write32(table, i, MSIX_ENTRY_CTRL, MSIX_ENTRY_MASKED);
		if (i >= count)
			continue;
		uint64_t addr;
		uint32_t data;
		machine_msi_compose((uint8_t)vec[i], cpu, &addr, &data);
		msix_write32(table, i, MSIX_ENTRY_ADDR_LO, (uint32_t)addr);
		msix_write32(table, i, MSIX_ENTRY_ADDR_HI, (uint32_t)(addr >> 32));
		msix_write32(table, i, MSIX_ENTRY_DATA, data);
		msix_write32(table, i, MSIX_ENTRY_CTRL, 0);
	}
	pci_command_update(d, PCI_CMD_MASTER | PCI_CMD_INTX_DISABLE, 0);
	pci_cfg_write16(d, ctrl, (c | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK);
}

kern_return_t
pci_msix_enable(struct pci_dev *d, unsigned count, irq_handler_fn *fns, void **args,
                const char *name)
{
	struct pci_priv *p;
	volatile uint8_t *table;
	kern_return_t kr;
	int *vec;

	if (!d || !d->pd_msix_cap || count == 0 || count > d->pd_msix_count || !fns)
		return KERN_INVALID_ARGUMENT;
	p = pci_priv(d);
	if (p->pp_msix_nvec)
		return KERN_INVALID_ARGUMENT; /* already enabled: disable first */
	kr = pci_msix_table_map(d, &table);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = pci_msix_vectors_alloc(count, fns, args, name, &vec);
	if (kr != KERN_SUCCESS)
		return kr;
	p->pp_msix_table = table;
	p->pp_msix_vectors = vec;
	p->pp_msix_nvec = count;
	pci_msix_program(d, table, vec, count);
	log_debug("pci %02x:%02x.%x: MSI-X on, %u vectors from %d", d->pd_bus, d->pd_slot,
	          d->pd_func, count, vec[0]);
	return KERN_SUCCESS;
}

void
pci_msix_disable(struct pci_dev *d)
{
	struct pci_priv *p;
	unsigned ctrl;

	if (!d || !d->pd_msix_cap)
		return;
	p = pci_priv(d);
	if (!p->pp_msix_nvec)
		return;
	ctrl = d->pd_msix_cap + MSIX_CTRL;
	for (unsigned i = 0; i < p->pp_msix_nvec; i++)
		msix_write32(p->pp_msix_table, i, MSIX_ENTRY_CTRL, MSIX_ENTRY_MASKED);
	pci_cfg_write16(d, ctrl, pci_cfg_read16(d, ctrl) & ~(MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK));
	pci_command_update(d, 0, PCI_CMD_INTX_DISABLE);
	for (unsigned i = 0; i < p->pp_msix_nvec; i++)
		irq_free_vector(p->pp_msix_vectors[i]);
	kfree(p->pp_msix_vectors);
	p->pp_msix_vectors = NULL;
	p->pp_msix_nvec = 0;
}

void
pci_msix_mask(struct pci_dev *d, unsigned i, bool masked)
{
	struct pci_priv *p;

	if (!d)
		return;
	p = pci_priv(d);
	if (i >= p->pp_msix_nvec)
		return;
	msix_write32(p->pp_msix_table, i, MSIX_ENTRY_CTRL, masked ? MSIX_ENTRY_MASKED : 0);
	(void)msix_read32(p->pp_msix_table, i, MSIX_ENTRY_CTRL); /* flush the posted write */
}

kern_return_t
pci_msix_vector(const struct pci_dev *d, unsigned i, int *vector)
{
	const struct pci_priv *p;

	if (!d || !vector)
		return KERN_INVALID_ARGUMENT;
	p = pci_priv(d);
	if (i >= p->pp_msix_nvec)
		return KERN_INVALID_ARGUMENT;
	*vector = p->pp_msix_vectors[i];
	return KERN_SUCCESS;
}

unsigned
pci_msix_enabled(const struct pci_dev *d)
{
	return d ? pci_priv(d)->pp_msix_nvec : 0;
}

/* --- INTx --- */

#define PCI_INTX_LINES 16
#define PCI_INTX_HANDLERS 8

/*
 * One shared level-triggered GSI and the handlers of the functions on it.
 * Lines and handlers are added under pci_intx_lock and never removed; the
 * dispatcher reads them without it: il_count is published after the
 * handler it counts (release) and read before them (acquire).
 */
struct pci_intx_line {
	unsigned il_gsi;
	int il_vector; /* 0: slot unused */
	unsigned il_count;
	irq_handler_fn il_fn[PCI_INTX_HANDLERS];
	void *il_arg[PCI_INTX_HANDLERS];
};

static struct pci_intx_line pci_intx_lines[PCI_INTX_LINES];
static struct spinlock pci_intx_lock = SPINLOCK_INIT("pci_intx", LOCK_RANK_PCI_INTX);

/* Calls every handler on the line: each checks whether its device interrupted. */
static void
pci_intx_dispatch(void *arg)
{
	struct pci_intx_line *l = arg;
	unsigned n = __atomic_load_n(&l->il_count, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < n; i++)
		l->il_fn[i](l->il_arg[i]);
}

/*
 * The line's slot in *out, routing the GSI on first use. Called with
 * pci_intx_lock held. Returns KERN_SUCCESS, KERN_RESOURCE_SHORTAGE when
 * every slot is taken, or the error of irq_route_gsi().
 */
static kern_return_t
pci_intx_line_get(unsigned gsi, const char *name, struct pci_intx_line **out)
{
	struct pci_intx_line *free = NULL;
	kern_return_t kr;
	int v;

	assert_held(&pci_intx_lock);
	for (unsigned i = 0; i < PCI_INTX_LINES; i++) {
		struct pci_intx_line *l = &pci_intx_lines[i];
		if (l->il_vector > 0 && l->il_gsi == gsi) {
			*out = l;
			return KERN_SUCCESS;
		}
		if (!l->il_vector && !free)
			free = l;
	}
	if (!free)
		return KERN_RESOURCE_SHORTAGE;
	/* QEMU (pc, q35): INTx on the IOAPIC pin = the line, level, active-high. */
	kr = irq_route_gsi(gsi, true, false, pci_intx_dispatch, free, name, &v);
	if (kr != KERN_SUCCESS)
		return kr;
	free->il_gsi = gsi;
	free->il_vector = v;
	*out = free;
	return KERN_SUCCESS;
}

kern_return_t
pci_intx_enable(struct pci_dev *d, irq_handler_fn fn, void *arg, const char *name, int *vector)
{
	struct pci_intx_line *l;
	kern_return_t kr;
	uint64_t f;
	int v = 0;

	if (!d || !fn || d->pd_irq_pin == 0 || d->pd_irq_line == 0xff || d->pd_irq_line >= 224)
		return KERN_INVALID_ARGUMENT;
	f = spin_lock_irqsave(&pci_intx_lock);
	kr = pci_intx_line_get(d->pd_irq_line, name, &l);
	if (kr == KERN_SUCCESS && l->il_count == PCI_INTX_HANDLERS)
		kr = KERN_RESOURCE_SHORTAGE; /* the line is shared by too many functions */
	if (kr == KERN_SUCCESS) {
		l->il_fn[l->il_count] = fn;
		l->il_arg[l->il_count] = arg;
		__atomic_store_n(&l->il_count, l->il_count + 1, __ATOMIC_RELEASE);
		v = l->il_vector;
	}
	spin_unlock_irqrestore(&pci_intx_lock, f);
	if (kr != KERN_SUCCESS) {
		log_warn("pci %02x:%02x.%x: INTx line %u not routable for %s (error %d)", d->pd_bus,
		         d->pd_slot, d->pd_func, d->pd_irq_line, name, kr);
		return kr;
	}
	pci_command_update(d, 0, PCI_CMD_INTX_DISABLE);
	if (vector)
		*vector = v;
	return KERN_SUCCESS;
}
