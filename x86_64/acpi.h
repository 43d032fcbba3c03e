/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI tables: the portable parser (acpi.c, host-tested) and the kernel's
 * ACPI services (acpi_power.c: finding the RSDP, poweroff, reboot).
 *
 * Sections are those of ACPI 6.5: RSDP 5.2.5, SDT header 5.2.6, RSDT 5.2.7,
 * XSDT 5.2.8, FADT 5.2.9, MADT 5.2.12, PM1 control 4.8.3.2.1, \_S5 7.4.2,
 * AML encoding 20.2; MCFG is PCI Firmware 3.0 4.1.2, HPET the IA-PC HPET
 * 1.0a 3.2.4.
 *
 * The parser never touches memory directly: it reads physical memory only
 * through struct acpi_mem, so the same code runs on fixtures in host tests.
 * Every table is checked (signature, length against its minimum and its
 * mapping, checksum, every entry length) before anything is taken from it;
 * a bad table is logged in one line and left out, the rest goes on.
 */
#ifndef X86_64_ACPI_H
#define X86_64_ACPI_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The parser's view of physical memory. map() returns a pointer through
 * which [phys, phys + len) can be read, or NULL when that range is not
 * readable; the pointer stays valid until acpi_parse() returns.
 */
struct acpi_mem {
	const void *(*map)(void *ctx, uint64_t phys, size_t len);
	void *ctx;
};

/*
 * acpi_parse(), acpi_rsdp_find(), acpi_rsdp_scan() and acpi_aml_find_s5()
 * return kern_return_t, each code with one meaning:
 *   KERN_SUCCESS
 *   KERN_INVALID_ARGUMENT  a NULL argument
 *   KERN_INVALID_ADDRESS   no RSDP at the given address: unreadable, bad
 *                          signature or checksum (acpi_parse)
 *   KERN_INVALID_VALUE     the RSDP is good but neither the XSDT nor the
 *                          RSDT it names is usable (acpi_parse)
 *   KERN_FAILURE           nothing found: no RSDP in the ranges searched,
 *                          no well-formed \_S5 in the AML
 */

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 24
#define ACPI_MAX_NMI_SOURCES 8
#define ACPI_MAX_LAPIC_NMIS 16
#define ACPI_MAX_MCFG 4
/* Tables larger than this are refused (a garbage length, not a table). */
#define ACPI_MAX_TABLE_LEN (4u << 20)

/* Generic Address Structure (5.2.3.2). */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1
#define ACPI_GAS_PCI_CONFIG 2
struct acpi_gas {
	uint8_t gas_space; /* ACPI_GAS_* */
	uint8_t gas_bit_width;
	uint8_t gas_bit_offset;
	uint8_t gas_access_size;
	uint64_t gas_addr; /* 0: not present */
};

/* MPS INTI flags of overrides and NMI entries (5.2.12.5, table 5.26). */
#define ACPI_POLARITY_CONFORM 0
#define ACPI_POLARITY_HIGH 1
#define ACPI_POLARITY_LOW 3
#define ACPI_TRIGGER_CONFORM 0
#define ACPI_TRIGGER_EDGE 1
#define ACPI_TRIGGER_LEVEL 3
#define ACPI_INTI_POLARITY(flags) ((flags)&3)
#define ACPI_INTI_TRIGGER(flags) (((flags) >> 2) & 3)

/* A processor: Local APIC (type 0) or Local x2APIC (type 9) entry. */
struct acpi_cpu {
	uint32_t cpu_apic_id;
	uint32_t cpu_uid;        /* ACPI processor UID */
	bool cpu_enabled;        /* flags bit 0: usable now */
	bool cpu_online_capable; /* flags bit 1: may be hot-added */
	bool cpu_x2apic;         /* from an x2APIC entry */
};

struct acpi_ioapic {
	uint8_t io_id;
	uint32_t io_addr;
	uint32_t io_gsi_base;
};

/* Interrupt source override: bus irq io_irq is wired to iso_gsi. */
struct acpi_override {
	uint8_t iso_bus; /* 0: ISA */
	uint8_t iso_irq;
	uint32_t iso_gsi;
	uint16_t iso_flags;   /* raw MPS INTI flags */
	uint8_t iso_polarity; /* ACPI_POLARITY_* */
	uint8_t iso_trigger;  /* ACPI_TRIGGER_* */
};

/* A GSI that is an NMI (type 3). */
struct acpi_nmi_source {
	uint32_t ns_gsi;
	uint16_t ns_flags;
};

/* A local APIC LINT pin wired to NMI (types 4 and 0xA). */
#define ACPI_UID_ALL 0xffffffffu
struct acpi_lapic_nmi {
	uint32_t ln_uid; /* processor UID, ACPI_UID_ALL for every CPU */
	uint8_t ln_lint; /* 0 or 1 */
	uint16_t ln_flags;
};

/* What the MADT ("APIC") gives. Counts are capped at the array sizes. */
#define ACPI_MADT_PCAT_COMPAT 1 /* dual 8259s present: mask them */
struct acpi_madt {
	bool madt_valid;
	uint64_t madt_lapic_addr; /* after any address override (type 5) */
	uint32_t madt_flags;
	unsigned madt_ncpus;
	struct acpi_cpu madt_cpus[ACPI_MAX_CPUS];
	unsigned madt_nioapics;
	struct acpi_ioapic madt_ioapics[ACPI_MAX_IOAPICS];
	unsigned madt_noverrides;
	struct acpi_override madt_overrides[ACPI_MAX_OVERRIDES];
	unsigned madt_nnmi_sources;
	struct acpi_nmi_source madt_nmi_sources[ACPI_MAX_NMI_SOURCES];
	unsigned madt_nlapic_nmis;
	struct acpi_lapic_nmi madt_lapic_nmis[ACPI_MAX_LAPIC_NMIS];
	unsigned madt_dropped; /* entries that did not fit the arrays */
};

/* FADT flags (table 5.10) and IA-PC boot architecture flags (5.2.9.3). */
#define ACPI_FADT_WBINVD (1u << 0)
#define ACPI_FADT_TMR_VAL_EXT (1u << 8) /* the PM timer has 32 bits */
#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED (1u << 20)
#define ACPI_BOOT_LEGACY_DEVICES (1u << 0)
#define ACPI_BOOT_8042 (1u << 1)
#define ACPI_BOOT_NO_VGA (1u << 2)
#define ACPI_BOOT_NO_CMOS_RTC (1u << 5)

/*
 * What the FADT ("FACP") gives. Register blocks are GAS, built from the
 * 32-bit fields or taken from the X_ fields when the table has them; a
 * field beyond the table's length reads as 0.
 */
struct acpi_fadt {
	bool fadt_valid;
	uint8_t fadt_revision;
	uint32_t fadt_length;
	uint64_t fadt_dsdt; /* X_DSDT when non-zero, else DSDT */
	uint16_t fadt_sci_irq;
	uint32_t fadt_smi_cmd;
	uint8_t fadt_acpi_enable;
	uint8_t fadt_acpi_disable;
	struct acpi_gas fadt_pm1a_evt;
	struct acpi_gas fadt_pm1b_evt;
	struct acpi_gas fadt_pm1a_cnt;
	struct acpi_gas fadt_pm1b_cnt;
	struct acpi_gas fadt_pm_tmr;
	uint8_t fadt_pm1_evt_len;
	uint8_t fadt_pm1_cnt_len;
	uint8_t fadt_pm_tmr_len;
	uint8_t fadt_century;           /* CMOS index of the century, 0: none */
	uint16_t fadt_boot_arch;        /* ACPI_BOOT_* */
	uint32_t fadt_flags;            /* ACPI_FADT_* */
	struct acpi_gas fadt_reset_reg; /* gas_addr 0: none */
	uint8_t fadt_reset_value;
};

/* One MCFG entry: ECAM for buses mc_bus_start..mc_bus_end of a segment. */
struct acpi_mcfg_entry {
	uint64_t mc_base; /* ECAM address of bus 0 of the segment */
	uint16_t mc_segment;
	uint8_t mc_bus_start;
	uint8_t mc_bus_end;
};

struct acpi_hpet {
	bool hpet_valid;
	uint64_t hpet_base;
	uint32_t hpet_block_id; /* event timer block id */
	uint8_t hpet_number;
	uint16_t hpet_min_tick;
};

/* Everything acpi_parse() found. A table that is absent or bad is !valid. */
struct acpi_info {
	uint64_t ai_rsdp;
	uint8_t ai_revision; /* RSDP revision: 0 for ACPI 1.0, 2 and up */
	bool ai_xsdt;        /* the tables came from the XSDT */
	char ai_oem[7];      /* OEMID of the RSDP, NUL-terminated */
	struct acpi_madt ai_madt;
	struct acpi_fadt ai_fadt;
	unsigned ai_nmcfg;
	struct acpi_mcfg_entry ai_mcfg[ACPI_MAX_MCFG];
	struct acpi_hpet ai_hpet;
	bool ai_s5_valid;     /* \_S5 found in the DSDT or an SSDT */
	uint8_t ai_s5_typa;   /* SLP_TYPa for PM1a_CNT */
	uint8_t ai_s5_typb;   /* SLP_TYPb for PM1b_CNT */
	unsigned ai_rejected; /* tables left out as malformed */
};

/*
 * Parses the tables reachable from the RSDP at rsdp_phys into *out (which
 * is cleared first). Prefers the XSDT when the RSDP revision is 2 or more
 * and falls back to the RSDT when the XSDT is unusable. Each rejected table
 * is logged (klog) in one line and counted in ai_rejected. Any context that
 * may call mem->map.
 * Returns KERN_SUCCESS when a root table was usable (individual tables may
 * still be absent), KERN_INVALID_ADDRESS for a bad RSDP, KERN_INVALID_VALUE
 * when neither root table is usable, KERN_INVALID_ARGUMENT when mem,
 * mem->map or out is NULL.
 */
kern_return_t acpi_parse(const struct acpi_mem *mem, uint64_t rsdp_phys, struct acpi_info *out);

/*
 * Finds the RSDP (5.2.5.1): in the first KiB of the EBDA (whose segment is
 * the 16-bit word at physical 0x40e), then in 0xe0000-0xfffff, on 16-byte
 * boundaries, with a valid signature and checksum, and stores its physical
 * address in *rsdp_phys.
 * Returns KERN_SUCCESS, KERN_FAILURE when there is none, KERN_INVALID_ARGUMENT
 * when mem, mem->map or rsdp_phys is NULL.
 */
kern_return_t acpi_rsdp_find(const struct acpi_mem *mem, uint64_t *rsdp_phys);

/*
 * Scans [start, start + len) as acpi_rsdp_find() does. Returns KERN_SUCCESS,
 * KERN_FAILURE when the range is unreadable or holds no RSDP,
 * KERN_INVALID_ARGUMENT when mem, mem->map or rsdp_phys is NULL.
 */
kern_return_t acpi_rsdp_scan(const struct acpi_mem *mem, uint64_t start, size_t len,
                             uint64_t *rsdp_phys);

/*
 * Finds Name(_S5_, Package(){a, b, ...}) in the AML of a definition block
 * (the bytes after the 36-byte header) and stores SLP_TYPa and SLP_TYPb.
 * Returns KERN_SUCCESS, KERN_FAILURE when there is no well-formed \_S5
 * (*typa and *typb untouched), KERN_INVALID_ARGUMENT when aml, typa or typb
 * is NULL.
 */
kern_return_t acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb);

/* The PM1 control value that enters sleep state typ: SLP_TYP | SLP_EN. */
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK (7u << 10)
#define ACPI_PM1_SLP_EN (1u << 13)
#define ACPI_PM1_SCI_EN (1u << 0)
static inline uint16_t
acpi_pm1_sleep_value(uint16_t old, uint8_t typ)
{
	old &= ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
	return old | ((typ & 7u) << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN;
}

/*
 * Writes the one-line summary ("acpi: 2 cpus, ioapic 0xfec00000 gsi 0,
 * mcfg 0xb0000000 bus 0-255, hpet 0xfed00000, s5 0/0") into buf.
 */
void acpi_summary(const struct acpi_info *info, char *buf, size_t size);

#ifndef VMACH_HOST
/*
 * Kernel services (acpi_power.c). acpi_init() finds the RSDP, parses the
 * tables and logs the summary; call it once at boot after paging_init(),
 * before the APIC and PCI set-up. Not from interrupt context.
 */
void acpi_init(void);
/* The parsed tables: NULL before acpi_init(), afterwards never NULL (with
 * every table !valid when ACPI was not found). */
const struct acpi_info *acpi_get(void);
/* Enters S5 (FADT PM1 control + \_S5, then QEMU's known ports); if the
 * machine is still on, halts forever with interrupts off. */
void machine_poweroff(void) __attribute__((noreturn));
/* Resets the machine: FADT reset register, port 0xcf9, the 8042, then a
 * triple fault; halts forever if all of them fail. */
void machine_reboot(void) __attribute__((noreturn));
#endif

#endif
