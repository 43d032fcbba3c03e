// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel side of ACPI: finding the RSDP in low memory (ACPI 6.5
 * 5.2.5.1), giving the portable parser (acpi.c) its view of physical
 * memory, and leaving the machine: poweroff through the PM1 control
 * registers and \_S5 (4.8.3.2.1, 7.4.2, 16.1.7), reboot through the FADT
 * reset register (4.8.3.6), port 0xcf9 or the 8042.
 */
#include "x86_64/acpi.h"

#include "kern/log.h"
#include "x86_64/cpu.h"
#include "x86_64/layout.h"
#include "x86_64/machine.h"

/* Below 1 MiB memory is always in the direct map (BIOS area, EBDA, ROM). */
#define ACPI_LOW_MEM 0x100000ull
#define ACPI_PHYS_LIMIT (1ull << 52)
#define ACPI_MAP_SLOTS 16

/* QEMU's PM1a control ports when the tables are unusable. */
#define QEMU_PM1_CNT_ICH9 0x604 /* q35, and pc since QEMU 2.x */
#define QEMU_PM1_CNT_PIIX_OLD 0xb004
#define QEMU_S5_VALUE 0x2000 /* SLP_TYP 0 | SLP_EN */
#define PORT_RESET_CONTROL 0xcf9
#define PORT_KBC_STATUS 0x64
#define KBC_CMD_RESET 0xfe

struct acpi_map_slot {
	uint64_t ms_base; /* page-aligned physical start */
	uint64_t ms_len;  /* whole pages */
	const uint8_t *ms_va;
};

/* Written by acpi_init() only, at boot, before other CPUs run. */
static struct acpi_map_slot acpi_map_slots[ACPI_MAP_SLOTS];
static unsigned acpi_map_next;
static struct acpi_info acpi_info_store;
static const struct acpi_info *acpi_info_ptr;

/*
 * The parser's map callback. Tables above 1 MiB may lie in regions the
 * direct map leaves out (ACPI NVS, reserved), so they are mapped through
 * mmio_map(); its mappings are permanent, so a small cache of ranges
 * keeps the header-then-table pattern from mapping each page twice.
 */
static const void *
acpi_kmap(void *ctx, uint64_t phys, size_t len)
{
	uint64_t end = phys + len;

	if (len == 0 || end < phys || end > ACPI_PHYS_LIMIT)
		return NULL;
	if (end <= ACPI_LOW_MEM)
		return phys_to_virt(phys);
	for (unsigned i = 0; i < ACPI_MAP_SLOTS; i++) {
		struct acpi_map_slot *s = &acpi_map_slots[i];
		if (s->ms_va && phys >= s->ms_base && end <= s->ms_base + s->ms_len)
			return s->ms_va + (phys - s->ms_base);
	}
	uint64_t base = phys & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t top = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	void *map;
	if (mmio_map(base, top - base, &map) != KERN_SUCCESS)
		return NULL; /* the parser sees an unreadable range and leaves the table out */
	const uint8_t *va = map;
	struct acpi_map_slot *s = &acpi_map_slots[acpi_map_next++ % ACPI_MAP_SLOTS];
	s->ms_base = base;
	s->ms_len = top - base;
	s->ms_va = va;
	return va + (phys - base);
}

void
acpi_init(void)
{
	struct acpi_mem mem = {.map = acpi_kmap, .ctx = NULL};
	uint64_t rsdp;
	char line[192];
	kern_return_t kr;

	acpi_info_ptr = &acpi_info_store;
	if (acpi_rsdp_find(&mem, &rsdp) != KERN_SUCCESS) {
		log_warn("acpi: no RSDP found, running without ACPI tables");
		return;
	}
	kr = acpi_parse(&mem, rsdp, &acpi_info_store);
	if (kr != KERN_SUCCESS) {
		log_warn("acpi: RSDP at 0x%llx unusable (error %d)", (unsigned long long)rsdp, kr);
		return;
	}
	acpi_summary(&acpi_info_store, line, sizeof(line));
	log_info("%s", line);
}

const struct acpi_info *
acpi_get(void)
{
	return acpi_info_ptr;
}

/* About a microsecond per port 0x80 access; needs no timer. */
static void
acpi_io_delay(unsigned us)
{
	while (us--)
		inb(0x80);
}

static void
acpi_pci_cfg_write8(uint64_t addr, uint8_t val)
{
	/* GAS PCI config address: device 47:32, function 31:16, offset 15:0. */
	uint32_t dev = (addr >> 32) & 0x1f, fn = (addr >> 16) & 7, off = addr & 0xff;

	outl(0xcf8, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc));
	outb(0xcfc + (off & 3), val);
}

/* Writes a 1, 2 or 4-byte register named by a GAS. */
static void
acpi_gas_write(const struct acpi_gas *g, uint32_t val, unsigned bytes)
{
	if (g->gas_space == ACPI_GAS_IO) {
		uint16_t port = (uint16_t)g->gas_addr;
		if (bytes == 1)
			outb(port, (uint8_t)val);
		else if (bytes == 2)
			outw(port, (uint16_t)val);
		else
			outl(port, val);
	} else if (g->gas_space == ACPI_GAS_MEMORY) {
		void *map;
		if (mmio_map(g->gas_addr, bytes, &map) != KERN_SUCCESS)
			return;
		volatile uint8_t *p = map;
		if (bytes == 1)
			*p = (uint8_t)val;
		else if (bytes == 2)
			*(volatile uint16_t *)p = (uint16_t)val;
		else
			*(volatile uint32_t *)p = val;
	} else if (g->gas_space == ACPI_GAS_PCI_CONFIG && bytes == 1) {
		acpi_pci_cfg_write8(g->gas_addr, (uint8_t)val);
	}
}

static uint16_t
acpi_gas_read16(const struct acpi_gas *g)
{
	if (g->gas_space == ACPI_GAS_IO)
		return inw((uint16_t)g->gas_addr);
	if (g->gas_space == ACPI_GAS_MEMORY) {
		void *map;
		if (mmio_map(g->gas_addr, 2, &map) != KERN_SUCCESS)
			return 0;
		return *(volatile uint16_t *)map;
	}
	return 0;
}

/*
 * Firmware that boots in legacy mode owns the PM registers until told
 * through SMI_CMD (4.8.2.1.1); wait a bounded time for SCI_EN.
 */
static void
acpi_mode_enable(const struct acpi_fadt *f)
{
	if (acpi_gas_read16(&f->fadt_pm1a_cnt) & ACPI_PM1_SCI_EN)
		return;
	if (f->fadt_smi_cmd == 0 || f->fadt_acpi_enable == 0)
		return;
	outb((uint16_t)f->fadt_smi_cmd, f->fadt_acpi_enable);
	for (int i = 0; i < 300; i++) {
		if (acpi_gas_read16(&f->fadt_pm1a_cnt) & ACPI_PM1_SCI_EN)
			return;
		acpi_io_delay(1000);
	}
}

static void
acpi_pm1_sleep(const struct acpi_gas *cnt, uint8_t typ)
{
	if (cnt->gas_addr == 0 ||
	    (cnt->gas_space != ACPI_GAS_IO && cnt->gas_space != ACPI_GAS_MEMORY))
		return;
	acpi_gas_write(cnt, acpi_pm1_sleep_value(acpi_gas_read16(cnt), typ), 2);
}

static void __attribute__((noreturn)) acpi_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
machine_poweroff(void)
{
	const struct acpi_info *ai = acpi_info_ptr;

	log_info("acpi: powering off");
	irq_disable();
	if (ai && ai->ai_fadt.fadt_valid && ai->ai_s5_valid &&
	    ai->ai_fadt.fadt_pm1a_cnt.gas_addr != 0) {
		acpi_mode_enable(&ai->ai_fadt);
		acpi_pm1_sleep(&ai->ai_fadt.fadt_pm1a_cnt, ai->ai_s5_typa);
		acpi_pm1_sleep(&ai->ai_fadt.fadt_pm1b_cnt, ai->ai_s5_typb);
		acpi_io_delay(100000);
	}
	/* QEMU's PM blocks with SLP_TYP 0 meaning S5, when the tables failed. */
	outw(QEMU_PM1_CNT_ICH9, QEMU_S5_VALUE);
	acpi_io_delay(100000);
	outw(QEMU_PM1_CNT_PIIX_OLD, QEMU_S5_VALUE);
	acpi_io_delay(100000);
	log_err("acpi: poweroff failed, halting");
	acpi_halt_forever();
}

/* The 8042's reset line: wait (bounded) for its input buffer to drain. */
static void
acpi_kbc_reset(void)
{
	for (int i = 0; i < 100000 && (inb(PORT_KBC_STATUS) & 2); i++)
		acpi_io_delay(1);
	outb(PORT_KBC_STATUS, KBC_CMD_RESET);
	acpi_io_delay(100000);
}

void
machine_reboot(void)
{
	const struct acpi_info *ai = acpi_info_ptr;
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} no_idt = {0, 0};

	log_info("acpi: rebooting");
	irq_disable();
	if (ai && ai->ai_fadt.fadt_valid && (ai->ai_fadt.fadt_flags & ACPI_FADT_RESET_REG_SUP) &&
	    ai->ai_fadt.fadt_reset_reg.gas_addr != 0) {
		acpi_gas_write(&ai->ai_fadt.fadt_reset_reg, ai->ai_fadt.fadt_reset_value, 1);
		acpi_io_delay(100000);
	}
	/* Reset control register: the reset bit must go from 0 to 1. */
	outb(PORT_RESET_CONTROL, 0x02);
	acpi_io_delay(10);
	outb(PORT_RESET_CONTROL, 0x06);
	acpi_io_delay(100000);
	acpi_kbc_reset();
	/* Last resort: an exception with no IDT triple-faults the CPU. */
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
	acpi_halt_forever();
}
