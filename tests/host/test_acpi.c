// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the ACPI parser (x86_64/acpi.c): a full table set as
 * firmware would build it, the ACPI 1.0 path, the RSDP search, the \_S5
 * AML forms, and malformed tables, each of which must be rejected with a
 * log line, without reading a byte the parser did not map (the fixtures
 * hand out exact-size copies and ASan watches), while the rest is kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/fixtures/acpi/acpi_fx.h"
#include "kern/log.h"
#include "x86_64/acpi.h"

/* Where the good set lives in the fake physical memory. */
#define RSDP_PA 0xf5a10ull
#define RSDT_PA 0x7fe0000ull
#define XSDT_PA 0x7fe0100ull
#define FADT_PA 0x7fe1000ull
#define DSDT_PA 0x7fe2000ull
#define MADT_PA 0x7fe3000ull
#define MCFG_PA 0x7fe4000ull
#define HPET_PA 0x7fe5000ull
#define SSDT_PA 0x7fe6000ull
#define JUNK_PA 0x7fe7000ull

/* klog for the host: keeps the lines so tests can look for a rejection. */
enum log_level log_console_level = LOG_DEBUG;
static char log_lines[32][256];
static unsigned log_count;

void
klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log_lines[log_count % 32], sizeof(log_lines[0]), fmt, ap);
	va_end(ap);
	log_count++;
}

/* True when some logged line holds both a and b. */
static bool
logged(const char *a, const char *b)
{
	for (unsigned i = 0; i < log_count && i < 32; i++)
		if (strstr(log_lines[i], a) && (b == NULL || strstr(log_lines[i], b)))
			return true;
	return false;
}

/* The tables of one machine; tests change them before installing. */
struct tables {
	struct fx_buf rsdp, rsdt, xsdt, fadt, dsdt, madt, mcfg, hpet;
	struct fx_mem *mem;
	struct acpi_mem amem;
	struct acpi_info info;
};

/* DSDT body: some AML, then Name(_S5_, Package(4){5, 7, 0, 0}). */
static const uint8_t aml_s5_byteconst[] = {
    0x10, 0x05, '_', 'S', 'B', '_', /* Scope(\_SB) with nothing */
    0x08, '_',  'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00,
};

static void
build_root(struct fx_buf *f, const char *sig, unsigned esize)
{
	const uint64_t ents[] = {FADT_PA, MADT_PA, MCFG_PA, HPET_PA};

	fx_sdt_begin(f, sig, 1);
	for (unsigned i = 0; i < 4; i++)
		esize == 8 ? fx_put64(f, ents[i]) : fx_put32(f, (uint32_t)ents[i]);
	fx_sdt_end(f);
}

/* An ACPI 6 FADT (276 bytes) for an ICH9-like PM block at 0x600. */
static void
build_fadt(struct fx_buf *f)
{
	fx_sdt_begin(f, "FACP", 6);
	fx_put32(f, 0); /* FIRMWARE_CTRL */
	fx_put32(f, (uint32_t)DSDT_PA);
	fx_put8(f, 0);
	fx_put8(f, 0);     /* PM profile */
	fx_put16(f, 9);    /* SCI_INT */
	fx_put32(f, 0xb2); /* SMI_CMD */
	fx_put8(f, 0xf1);
	fx_put8(f, 0xf0);
	fx_put8(f, 0);
	fx_put8(f, 0);
	fx_put32(f, 0x600); /* PM1a_EVT */
	fx_put32(f, 0);
	fx_put32(f, 0x604); /* PM1a_CNT */
	fx_put32(f, 0);
	fx_put32(f, 0);     /* PM2_CNT */
	fx_put32(f, 0x608); /* PM_TMR */
	fx_put32(f, 0x620); /* GPE0 */
	fx_put32(f, 0);
	fx_put8(f, 4); /* PM1_EVT_LEN, offset 88 */
	fx_put8(f, 2); /* PM1_CNT_LEN */
	fx_put8(f, 0);
	fx_put8(f, 4); /* PM_TMR_LEN */
	fx_put8(f, 16);
	fx_zero(f, 3);
	fx_zero(f, 10);   /* latencies, flush, duty */
	fx_zero(f, 2);    /* alarms */
	fx_put8(f, 0x32); /* CENTURY, offset 108 */
	fx_put16(f, ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042);
	fx_put8(f, 0);
	fx_put32(f, ACPI_FADT_WBINVD | ACPI_FADT_TMR_VAL_EXT | ACPI_FADT_RESET_REG_SUP);
	fx_put_gas(f, ACPI_GAS_IO, 8, 0xcf9); /* RESET_REG, offset 116 */
	fx_put8(f, 0x0f);
	fx_put16(f, 0);
	fx_put8(f, 0);                         /* minor version */
	fx_put64(f, 0);                        /* X_FIRMWARE_CTRL */
	fx_put64(f, DSDT_PA);                  /* X_DSDT, offset 140 */
	fx_put_gas(f, ACPI_GAS_IO, 32, 0x600); /* X_PM1a_EVT */
	fx_put_gas(f, 0, 0, 0);
	fx_put_gas(f, ACPI_GAS_IO, 16, 0x604); /* X_PM1a_CNT, offset 172 */
	fx_put_gas(f, 0, 0, 0);
	fx_put_gas(f, 0, 0, 0);
	fx_put_gas(f, ACPI_GAS_IO, 32, 0x608); /* X_PM_TMR, offset 208 */
	fx_zero(f, 276 - 220);
	fx_sdt_end(f);
}

static void
madt_lapic(struct fx_buf *f, uint8_t uid, uint8_t id, uint32_t flags)
{
	fx_put8(f, 0);
	fx_put8(f, 8);
	fx_put8(f, uid);
	fx_put8(f, id);
	fx_put32(f, flags);
}

static void
madt_override(struct fx_buf *f, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	fx_put8(f, 2);
	fx_put8(f, 10);
	fx_put8(f, 0);
	fx_put8(f, irq);
	fx_put32(f, gsi);
	fx_put16(f, flags);
}

/* Two enabled CPUs, a third absent one, an IOAPIC, two overrides, NMIs. */
static void
build_madt(struct fx_buf *f)
{
	fx_sdt_begin(f, "APIC", 5);
	fx_put32(f, 0xfee00000);
	fx_put32(f, ACPI_MADT_PCAT_COMPAT);
	madt_lapic(f, 0, 0, 1);
	madt_lapic(f, 1, 1, 1);
	madt_lapic(f, 2, 2, 0);
	fx_put8(f, 1); /* IOAPIC */
	fx_put8(f, 12);
	fx_put8(f, 0);
	fx_put8(f, 0);
	fx_put32(f, 0xfec00000);
	fx_put32(f, 0);
	madt_override(f, 0, 2, 0);
	madt_override(f, 9, 9, 0x000d); /* level, active high */
	fx_put8(f, 3);                  /* NMI source */
	fx_put8(f, 8);
	fx_put16(f, 0x0005);
	fx_put32(f, 23);
	fx_put8(f, 4); /* Local APIC NMI, all CPUs, LINT1 */
	fx_put8(f, 6);
	fx_put8(f, 0xff);
	fx_put16(f, 0);
	fx_put8(f, 1);
	fx_put8(f, 0x7f); /* an unknown entry type: skipped by its length */
	fx_put8(f, 5);
	fx_zero(f, 3);
	fx_sdt_end(f);
}

static void
build_mcfg(struct fx_buf *f, uint8_t start, uint8_t end)
{
	fx_sdt_begin(f, "MCFG", 1);
	fx_zero(f, 8);
	fx_put64(f, 0xb0000000);
	fx_put16(f, 0);
	fx_put8(f, start);
	fx_put8(f, end);
	fx_put32(f, 0);
	fx_sdt_end(f);
}

static void
build_hpet(struct fx_buf *f, uint8_t space)
{
	fx_sdt_begin(f, "HPET", 1);
	fx_put32(f, 0x8086a201);
	fx_put_gas(f, space, 0, 0xfed00000);
	fx_put8(f, 0);
	fx_put16(f, 0x80);
	fx_put8(f, 0);
	fx_sdt_end(f);
}

static void
build_dsdt(struct fx_buf *f, const uint8_t *aml, size_t len)
{
	fx_sdt_begin(f, "DSDT", 2);
	fx_put(f, aml, len);
	fx_sdt_end(f);
}

static int
setup(void **state)
{
	struct tables *t = calloc(1, sizeof(*t));

	fx_rsdp(&t->rsdp, 2, (uint32_t)RSDT_PA, XSDT_PA);
	build_root(&t->rsdt, "RSDT", 4);
	build_root(&t->xsdt, "XSDT", 8);
	build_fadt(&t->fadt);
	build_dsdt(&t->dsdt, aml_s5_byteconst, sizeof(aml_s5_byteconst));
	build_madt(&t->madt);
	build_mcfg(&t->mcfg, 0, 255);
	build_hpet(&t->hpet, ACPI_GAS_MEMORY);
	t->mem = fx_mem_new();
	t->amem = fx_mem_acpi(t->mem);
	log_count = 0;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tables *t = *state;
	struct fx_buf *bufs[] = {&t->rsdp, &t->rsdt, &t->xsdt, &t->fadt,
	                         &t->dsdt, &t->madt, &t->mcfg, &t->hpet};

	for (unsigned i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		fx_buf_free(bufs[i]);
	fx_mem_free(t->mem);
	free(t);
	return 0;
}

/* Puts every table of the set into the fake memory and parses it. */
static kern_return_t
install_and_parse(struct tables *t)
{
	fx_mem_add_buf(t->mem, RSDP_PA, &t->rsdp);
	fx_mem_add_buf(t->mem, RSDT_PA, &t->rsdt);
	fx_mem_add_buf(t->mem, XSDT_PA, &t->xsdt);
	fx_mem_add_buf(t->mem, FADT_PA, &t->fadt);
	fx_mem_add_buf(t->mem, DSDT_PA, &t->dsdt);
	fx_mem_add_buf(t->mem, MADT_PA, &t->madt);
	fx_mem_add_buf(t->mem, MCFG_PA, &t->mcfg);
	fx_mem_add_buf(t->mem, HPET_PA, &t->hpet);
	return acpi_parse(&t->amem, RSDP_PA, &t->info);
}

static void
check_madt_good(const struct acpi_madt *m)
{
	assert_true(m->madt_valid);
	assert_int_equal(m->madt_lapic_addr, 0xfee00000);
	assert_int_equal(m->madt_flags, ACPI_MADT_PCAT_COMPAT);
	assert_int_equal(m->madt_ncpus, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(m->madt_cpus[i].cpu_apic_id, i);
		assert_int_equal(m->madt_cpus[i].cpu_uid, i);
		assert_int_equal(m->madt_cpus[i].cpu_enabled, i < 2);
		assert_false(m->madt_cpus[i].cpu_x2apic);
	}
	assert_int_equal(m->madt_nioapics, 1);
	assert_int_equal(m->madt_ioapics[0].io_id, 0);
	assert_int_equal(m->madt_ioapics[0].io_addr, 0xfec00000);
	assert_int_equal(m->madt_ioapics[0].io_gsi_base, 0);
	assert_int_equal(m->madt_noverrides, 2);
	assert_int_equal(m->madt_overrides[0].iso_bus, 0);
	assert_int_equal(m->madt_overrides[0].iso_irq, 0);
	assert_int_equal(m->madt_overrides[0].iso_gsi, 2);
	assert_int_equal(m->madt_overrides[0].iso_polarity, ACPI_POLARITY_CONFORM);
	assert_int_equal(m->madt_overrides[0].iso_trigger, ACPI_TRIGGER_CONFORM);
	assert_int_equal(m->madt_overrides[1].iso_irq, 9);
	assert_int_equal(m->madt_overrides[1].iso_gsi, 9);
	assert_int_equal(m->madt_overrides[1].iso_flags, 0x000d);
	assert_int_equal(m->madt_overrides[1].iso_polarity, ACPI_POLARITY_HIGH);
	assert_int_equal(m->madt_overrides[1].iso_trigger, ACPI_TRIGGER_LEVEL);
	assert_int_equal(m->madt_nnmi_sources, 1);
	assert_int_equal(m->madt_nmi_sources[0].ns_gsi, 23);
	assert_int_equal(m->madt_nmi_sources[0].ns_flags, 5);
	assert_int_equal(m->madt_nlapic_nmis, 1);
	assert_int_equal(m->madt_lapic_nmis[0].ln_uid, ACPI_UID_ALL);
	assert_int_equal(m->madt_lapic_nmis[0].ln_lint, 1);
	assert_int_equal(m->madt_dropped, 0);
}

static void
check_fadt_good(const struct acpi_fadt *f)
{
	assert_true(f->fadt_valid);
	assert_int_equal(f->fadt_revision, 6);
	assert_int_equal(f->fadt_length, 276);
	assert_int_equal(f->fadt_dsdt, DSDT_PA);
	assert_int_equal(f->fadt_sci_irq, 9);
	assert_int_equal(f->fadt_smi_cmd, 0xb2);
	assert_int_equal(f->fadt_acpi_enable, 0xf1);
	assert_int_equal(f->fadt_acpi_disable, 0xf0);
	assert_int_equal(f->fadt_pm1a_cnt.gas_space, ACPI_GAS_IO);
	assert_int_equal(f->fadt_pm1a_cnt.gas_addr, 0x604);
	assert_int_equal(f->fadt_pm1a_cnt.gas_bit_width, 16);
	assert_int_equal(f->fadt_pm1b_cnt.gas_addr, 0);
	assert_int_equal(f->fadt_pm1a_evt.gas_addr, 0x600);
	assert_int_equal(f->fadt_pm_tmr.gas_addr, 0x608);
	assert_int_equal(f->fadt_pm_tmr.gas_bit_width, 32);
	assert_int_equal(f->fadt_pm1_evt_len, 4);
	assert_int_equal(f->fadt_pm1_cnt_len, 2);
	assert_int_equal(f->fadt_pm_tmr_len, 4);
	assert_int_equal(f->fadt_century, 0x32);
	assert_int_equal(f->fadt_boot_arch, ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042);
	assert_int_equal(f->fadt_flags,
	                 ACPI_FADT_WBINVD | ACPI_FADT_TMR_VAL_EXT | ACPI_FADT_RESET_REG_SUP);
	assert_int_equal(f->fadt_reset_reg.gas_space, ACPI_GAS_IO);
	assert_int_equal(f->fadt_reset_reg.gas_bit_width, 8);
	assert_int_equal(f->fadt_reset_reg.gas_addr, 0xcf9);
	assert_int_equal(f->fadt_reset_value, 0x0f);
}

static void
test_good_set_xsdt(void **state)
{
	struct tables *t = *state;
	char line[192];

	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_int_equal(t->info.ai_rsdp, RSDP_PA);
	assert_int_equal(t->info.ai_revision, 2);
	assert_true(t->info.ai_xsdt);
	assert_string_equal(t->info.ai_oem, "VMACH ");
	check_madt_good(&t->info.ai_madt);
	check_fadt_good(&t->info.ai_fadt);
	assert_int_equal(t->info.ai_nmcfg, 1);
	assert_int_equal(t->info.ai_mcfg[0].mc_base, 0xb0000000);
	assert_int_equal(t->info.ai_mcfg[0].mc_segment, 0);
	assert_int_equal(t->info.ai_mcfg[0].mc_bus_start, 0);
	assert_int_equal(t->info.ai_mcfg[0].mc_bus_end, 255);
	assert_true(t->info.ai_hpet.hpet_valid);
	assert_int_equal(t->info.ai_hpet.hpet_base, 0xfed00000);
	assert_int_equal(t->info.ai_hpet.hpet_block_id, 0x8086a201);
	assert_int_equal(t->info.ai_hpet.hpet_min_tick, 0x80);
	assert_true(t->info.ai_s5_valid);
	assert_int_equal(t->info.ai_s5_typa, 5);
	assert_int_equal(t->info.ai_s5_typb, 7);
	assert_int_equal(t->info.ai_rejected, 0);
	acpi_summary(&t->info, line, sizeof(line));
	assert_string_equal(line, "acpi: 2 cpus, ioapic 0xfec00000 gsi 0, mcfg 0xb0000000 "
	                          "bus 0-255, hpet 0xfed00000, s5 5/7");
}

/* An ACPI 1.0 machine: 20-byte RSDP, RSDT, 116-byte FADT, no reset reg. */
static void
test_rsdp_v1_rsdt(void **state)
{
	struct tables *t = *state;

	fx_rsdp(&t->rsdp, 0, (uint32_t)RSDT_PA, 0);
	t->fadt.len = 116;
	fx_set32(&t->fadt, 40, (uint32_t)DSDT_PA);
	fx_sdt_end(&t->fadt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_int_equal(t->info.ai_revision, 0);
	assert_false(t->info.ai_xsdt);
	check_madt_good(&t->info.ai_madt);
	assert_true(t->info.ai_fadt.fadt_valid);
	assert_int_equal(t->info.ai_fadt.fadt_length, 116);
	assert_int_equal(t->info.ai_fadt.fadt_dsdt, DSDT_PA);
	/* The 32-bit blocks become I/O GAS of the given lengths. */
	assert_int_equal(t->info.ai_fadt.fadt_pm1a_cnt.gas_space, ACPI_GAS_IO);
	assert_int_equal(t->info.ai_fadt.fadt_pm1a_cnt.gas_addr, 0x604);
	assert_int_equal(t->info.ai_fadt.fadt_pm1a_cnt.gas_bit_width, 16);
	assert_int_equal(t->info.ai_fadt.fadt_pm_tmr.gas_bit_width, 32);
	assert_int_equal(t->info.ai_fadt.fadt_reset_reg.gas_addr, 0);
	assert_true(t->info.ai_s5_valid);
	assert_int_equal(t->info.ai_nmcfg, 1);
	assert_int_equal(t->info.ai_rejected, 0);
}

/* X_DSDT wins over DSDT; a memory-space X_PM1a_CNT is kept as such. */
static void
test_fadt_x_fields(void **state)
{
	struct tables *t = *state;

	fx_set32(&t->fadt, 40, (uint32_t)JUNK_PA);
	t->fadt.b[172] = ACPI_GAS_MEMORY;
	fx_set64(&t->fadt, 176, 0xfe000404);
	fx_sdt_end(&t->fadt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_int_equal(t->info.ai_fadt.fadt_dsdt, DSDT_PA);
	assert_true(t->info.ai_s5_valid);
	assert_int_equal(t->info.ai_fadt.fadt_pm1a_cnt.gas_space, ACPI_GAS_MEMORY);
	assert_int_equal(t->info.ai_fadt.fadt_pm1a_cnt.gas_addr, 0xfe000404);
}

/* x2APIC entries, an x2APIC NMI and a LAPIC address override. */
static void
test_madt_x2apic_override(void **state)
{
	struct tables *t = *state;
	struct fx_buf *f = &t->madt;
	struct acpi_madt *m = &t->info.ai_madt;

	fx_sdt_begin(f, "APIC", 5);
	fx_put32(f, 0xfee00000);
	fx_put32(f, 0);
	fx_put8(f, 9); /* x2APIC id 300, uid 7, online capable */
	fx_put8(f, 16);
	fx_put16(f, 0);
	fx_put32(f, 300);
	fx_put32(f, 2);
	fx_put32(f, 7);
	fx_put8(f, 10); /* x2APIC NMI: uid 7, LINT0 */
	fx_put8(f, 12);
	fx_put16(f, 0x000f);
	fx_put32(f, 7);
	fx_put8(f, 0);
	fx_zero(f, 3);
	fx_put8(f, 5); /* LAPIC address override */
	fx_put8(f, 12);
	fx_put16(f, 0);
	fx_put64(f, 0x1fee00000ull);
	fx_sdt_end(f);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_true(m->madt_valid);
	assert_int_equal(m->madt_lapic_addr, 0x1fee00000ull);
	assert_int_equal(m->madt_ncpus, 1);
	assert_int_equal(m->madt_cpus[0].cpu_apic_id, 300);
	assert_int_equal(m->madt_cpus[0].cpu_uid, 7);
	assert_false(m->madt_cpus[0].cpu_enabled);
	assert_true(m->madt_cpus[0].cpu_online_capable);
	assert_true(m->madt_cpus[0].cpu_x2apic);
	assert_int_equal(m->madt_nlapic_nmis, 1);
	assert_int_equal(m->madt_lapic_nmis[0].ln_uid, 7);
	assert_int_equal(m->madt_lapic_nmis[0].ln_lint, 0);
	assert_int_equal(m->madt_lapic_nmis[0].ln_flags, 0x000f);
}

/* More CPUs than the array holds: capped and counted, not overflowed. */
static void
test_madt_too_many_cpus(void **state)
{
	struct tables *t = *state;

	fx_sdt_begin(&t->madt, "APIC", 5);
	fx_put32(&t->madt, 0xfee00000);
	fx_put32(&t->madt, 0);
	for (unsigned i = 0; i < ACPI_MAX_CPUS + 3; i++)
		madt_lapic(&t->madt, (uint8_t)i, (uint8_t)i, 1);
	fx_sdt_end(&t->madt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_true(t->info.ai_madt.madt_valid);
	assert_int_equal(t->info.ai_madt.madt_ncpus, ACPI_MAX_CPUS);
	assert_int_equal(t->info.ai_madt.madt_dropped, 3);
	assert_int_equal(t->info.ai_madt.madt_cpus[ACPI_MAX_CPUS - 1].cpu_apic_id,
	                 ACPI_MAX_CPUS - 1);
}

/* A rejected MADT must not take the other tables with it. */
static void
check_only_madt_rejected(struct tables *t)
{
	assert_false(t->info.ai_madt.madt_valid);
	assert_int_equal(t->info.ai_madt.madt_ncpus, 0);
	assert_int_equal(t->info.ai_madt.madt_noverrides, 0);
	assert_int_equal(t->info.ai_rejected, 1);
	assert_true(logged("MADT", "rejected") || logged("APIC", "rejected"));
	check_fadt_good(&t->info.ai_fadt);
	assert_int_equal(t->info.ai_nmcfg, 1);
	assert_true(t->info.ai_hpet.hpet_valid);
	assert_true(t->info.ai_s5_valid);
}

static void
test_madt_bad_checksum(void **state)
{
	struct tables *t = *state;

	t->madt.b[9] ^= 0x55;
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
	assert_true(logged("APIC", "checksum"));
}

/* The length field says more than the memory holds. */
static void
test_madt_truncated(void **state)
{
	struct tables *t = *state;
	size_t real = t->madt.len;

	fx_zero(&t->madt, 16);
	fx_sdt_end(&t->madt);
	t->madt.len = real; /* only the first bytes exist */
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
	assert_true(logged("APIC", "not readable"));
}

/* The length field is below the MADT's own minimum. */
static void
test_madt_too_short(void **state)
{
	struct tables *t = *state;

	t->madt.len = 40;
	fx_sdt_end(&t->madt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
	assert_true(logged("APIC", "length 40"));
}

/* The last entry claims 12 bytes where 8 are left. */
static void
test_madt_entry_past_end(void **state)
{
	struct tables *t = *state;

	madt_lapic(&t->madt, 3, 3, 1);
	t->madt.b[t->madt.len - 7] = 12;
	fx_sdt_end(&t->madt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
	assert_true(logged("MADT", "bad entry"));
}

/* A zero-length entry stops the walk (no endless loop). */
static void
test_madt_zero_length_entry(void **state)
{
	struct tables *t = *state;

	fx_put8(&t->madt, 0x20);
	fx_put8(&t->madt, 0);
	madt_lapic(&t->madt, 3, 3, 1);
	fx_sdt_end(&t->madt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
	assert_true(fx_mem_map_calls(t->mem) < 100);
}

/* An IOAPIC entry shorter than its type's 12 bytes. */
static void
test_madt_short_typed_entry(void **state)
{
	struct tables *t = *state;

	fx_put8(&t->madt, 1);
	fx_put8(&t->madt, 6);
	fx_zero(&t->madt, 4);
	fx_sdt_end(&t->madt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
}

/* A single dangling byte after the last entry. */
static void
test_madt_trailing_byte(void **state)
{
	struct tables *t = *state;

	fx_put8(&t->madt, 0);
	fx_sdt_end(&t->madt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	check_only_madt_rejected(t);
}

/* A bad MCFG means no ECAM, nothing more. */
static void
test_mcfg_bad_length(void **state)
{
	struct tables *t = *state;

	fx_zero(&t->mcfg, 15);
	fx_sdt_end(&t->mcfg);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_int_equal(t->info.ai_nmcfg, 0);
	assert_true(logged("MCFG", "rejected"));
	assert_int_equal(t->info.ai_rejected, 1);
	assert_true(t->info.ai_madt.madt_valid);
	assert_true(t->info.ai_fadt.fadt_valid);
}

static void
test_mcfg_bad_bus_range(void **state)
{
	struct tables *t = *state;

	build_mcfg(&t->mcfg, 10, 3);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_int_equal(t->info.ai_nmcfg, 0);
	assert_int_equal(t->info.ai_mcfg[0].mc_base, 0);
	assert_true(logged("MCFG", "entry 0"));
}

static void
test_hpet_io_space(void **state)
{
	struct tables *t = *state;

	build_hpet(&t->hpet, ACPI_GAS_IO);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_false(t->info.ai_hpet.hpet_valid);
	assert_true(logged("HPET", "rejected"));
	assert_int_equal(t->info.ai_nmcfg, 1);
}

/* A FADT below the ACPI 1.0 size: no FADT, so no DSDT and no \_S5. */
static void
test_fadt_too_short(void **state)
{
	struct tables *t = *state;

	t->fadt.len = 100;
	fx_sdt_end(&t->fadt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_false(t->info.ai_fadt.fadt_valid);
	assert_false(t->info.ai_s5_valid);
	assert_true(logged("FACP", "length 100"));
	assert_true(t->info.ai_madt.madt_valid);
}

static void
test_dsdt_bad_checksum(void **state)
{
	struct tables *t = *state;

	t->dsdt.b[t->dsdt.len - 1] ^= 1;
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_true(t->info.ai_fadt.fadt_valid);
	assert_false(t->info.ai_s5_valid);
	assert_true(logged("DSDT", "checksum"));
}

/* The RSDP names an RSDT that is not there or is garbage. */
static void
test_rsdt_garbage(void **state)
{
	struct tables *t = *state;
	uint8_t junk[64];

	for (unsigned i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	fx_rsdp(&t->rsdp, 0, (uint32_t)JUNK_PA, 0);
	fx_mem_add(t->mem, JUNK_PA, junk, sizeof(junk));
	assert_int_equal(install_and_parse(t), KERN_INVALID_VALUE);
	assert_true(logged("RSDT", "signature"));
	assert_false(t->info.ai_madt.madt_valid);

	fx_rsdp(&t->rsdp, 0, 0x12345000, 0);
	fx_mem_add_buf(t->mem, RSDP_PA + 0x100, &t->rsdp);
	assert_int_equal(acpi_parse(&t->amem, RSDP_PA + 0x100, &t->info), KERN_INVALID_VALUE);
	assert_true(logged("RSDT", "unreadable"));

	/* A good RSDP that names no root table at all. */
	fx_rsdp(&t->rsdp, 0, 0, 0);
	fx_mem_add_buf(t->mem, RSDP_PA + 0x200, &t->rsdp);
	assert_int_equal(acpi_parse(&t->amem, RSDP_PA + 0x200, &t->info), KERN_INVALID_VALUE);
}

/* Root entries pointing at junk and at nothing are skipped. */
static void
test_root_entry_garbage(void **state)
{
	struct tables *t = *state;
	uint8_t junk[64];

	memset(junk, 0x01, sizeof(junk));
	fx_mem_add(t->mem, JUNK_PA, junk, sizeof(junk));
	fx_put64(&t->xsdt, JUNK_PA);
	fx_put64(&t->xsdt, 0xdead0000);
	fx_sdt_end(&t->xsdt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_int_equal(t->info.ai_rejected, 2);
	assert_true(logged("root entry 4", "not a table"));
	assert_true(logged("root entry 5", "unreadable"));
	check_madt_good(&t->info.ai_madt);
}

/* A broken XSDT falls back to the RSDT. */
static void
test_xsdt_bad_falls_back(void **state)
{
	struct tables *t = *state;

	t->xsdt.b[20] ^= 0xff;
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_false(t->info.ai_xsdt);
	assert_true(logged("XSDT", "checksum"));
	check_madt_good(&t->info.ai_madt);
	check_fadt_good(&t->info.ai_fadt);
}

/* An RSDP v2 with a bad extended checksum: the RSDT is used. */
static void
test_rsdp_bad_ext_checksum(void **state)
{
	struct tables *t = *state;

	t->rsdp.b[33] ^= 1;
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_false(t->info.ai_xsdt);
	assert_true(logged("RSDP v2", "extended checksum"));
	check_madt_good(&t->info.ai_madt);
}

static void
test_rsdp_bad(void **state)
{
	struct tables *t = *state;

	t->rsdp.b[8] ^= 1;
	assert_int_equal(install_and_parse(t), KERN_INVALID_ADDRESS);
	assert_true(logged("RSDP", "checksum"));
	assert_int_equal(acpi_parse(&t->amem, 0x1000, &t->info), KERN_INVALID_ADDRESS);
	assert_int_equal(acpi_parse(NULL, RSDP_PA, &t->info), KERN_INVALID_ARGUMENT);
	assert_int_equal(acpi_parse(&t->amem, RSDP_PA, NULL), KERN_INVALID_ARGUMENT);
}

/* The RSDP search: EBDA first, then the BIOS area; bad candidates skipped. */
static void
test_rsdp_find(void **state)
{
	struct tables *t = *state;
	static uint8_t bios[0x20000], ebda[1024];
	uint8_t bda[2] = {0xc0, 0x9f}; /* EBDA segment 0x9fc0 */
	uint64_t pa = 0;

	memset(bios, 0, sizeof(bios));
	memset(ebda, 0, sizeof(ebda));
	memcpy(bios + (RSDP_PA - 0x10 - 0xe0000), t->rsdp.b, 20);
	bios[RSDP_PA - 0x10 - 0xe0000 + 8] ^= 1; /* a bad one first */
	memcpy(bios + (RSDP_PA - 0xe0000), t->rsdp.b, t->rsdp.len);
	fx_mem_add(t->mem, 0x40e, bda, 2);
	fx_mem_add(t->mem, 0x9fc00, ebda, sizeof(ebda));
	fx_mem_add(t->mem, 0xe0000, bios, sizeof(bios));
	assert_int_equal(acpi_rsdp_find(&t->amem, &pa), KERN_SUCCESS);
	assert_int_equal(pa, RSDP_PA);

	memcpy(ebda + 0x40, t->rsdp.b, t->rsdp.len);
	struct fx_mem *m2 = fx_mem_new();
	struct acpi_mem a2 = fx_mem_acpi(m2);
	fx_mem_add(m2, 0x40e, bda, 2);
	fx_mem_add(m2, 0x9fc00, ebda, sizeof(ebda));
	fx_mem_add(m2, 0xe0000, bios, sizeof(bios));
	assert_int_equal(acpi_rsdp_find(&a2, &pa), KERN_SUCCESS);
	assert_int_equal(pa, 0x9fc40);
	fx_mem_free(m2);

	struct fx_mem *m3 = fx_mem_new();
	struct acpi_mem a3 = fx_mem_acpi(m3);
	memset(bios, 0, sizeof(bios));
	fx_mem_add(m3, 0xe0000, bios, sizeof(bios));
	assert_int_equal(acpi_rsdp_find(&a3, &pa), KERN_FAILURE);
	assert_int_equal(acpi_rsdp_scan(&a3, 0xe0000, 10, &pa), KERN_FAILURE);
	assert_int_equal(acpi_rsdp_scan(&a3, 0xc0000, 0x100, &pa), KERN_FAILURE); /* unreadable */
	fx_mem_free(m3);

	assert_int_equal(acpi_rsdp_find(NULL, &pa), KERN_INVALID_ARGUMENT);
	assert_int_equal(acpi_rsdp_find(&t->amem, NULL), KERN_INVALID_ARGUMENT);
	assert_int_equal(acpi_rsdp_scan(NULL, 0xe0000, 0x20000, &pa), KERN_INVALID_ARGUMENT);
}

/* Runs the \_S5 finder on an exact-size copy of aml. */
static kern_return_t
find_s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = malloc(len ? len : 1);
	kern_return_t r;

	memcpy(copy, aml, len);
	r = acpi_aml_find_s5(copy, len, a, b);
	free(copy);
	return r;
}

static void
test_s5_forms(void **state)
{
	uint8_t a = 0xee, b = 0xee;
	static const uint8_t zero_one[] = {0x08, '_',  'S',  '5',  '_',  0x12,
	                                   0x06, 0x04, 0x00, 0x01, 0x00, 0x00};
	static const uint8_t rooted[] = {0x08, '\\', '_',  'S',  '5',  '_',
	                                 0x12, 0x05, 0x02, 0x0a, 0x03, 0x01};
	static const uint8_t bare[] = {0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x05, 0x06};
	static const uint8_t word[] = {0x08, '_',  'S',  '5',  '_',  0x12, 0x07,
	                               0x02, 0x0b, 0x04, 0x00, 0x0a, 0x02};
	/* Two-byte PkgLength: 0x41 0x01 = 1 | 1 << 4 = 17 bytes. */
	static const uint8_t pkg2[] = {0x08, '_',  'S',  '5',  '_',  0x12, 0x41, 0x01,
	                               0x04, 0x0a, 0x06, 0x0a, 0x07, 0x0c, 0,    0,
	                               0,    0,    0x0c, 0,    0,    0,    0};

	assert_int_equal(find_s5(zero_one, sizeof(zero_one), &a, &b), KERN_SUCCESS);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(find_s5(rooted, sizeof(rooted), &a, &b), KERN_SUCCESS);
	assert_int_equal(a, 3);
	assert_int_equal(b, 1);
	assert_int_equal(find_s5(bare, sizeof(bare), &a, &b), KERN_SUCCESS);
	assert_int_equal(a, 5);
	assert_int_equal(b, 6);
	assert_int_equal(find_s5(word, sizeof(word), &a, &b), KERN_SUCCESS);
	assert_int_equal(a, 4);
	assert_int_equal(b, 2);
	assert_int_equal(find_s5(pkg2, sizeof(pkg2), &a, &b), KERN_SUCCESS);
	assert_int_equal(a, 6);
	assert_int_equal(b, 7);
	assert_int_equal(find_s5(aml_s5_byteconst, sizeof(aml_s5_byteconst), &a, &b), KERN_SUCCESS);
	assert_int_equal(a, 5);
	assert_int_equal(b, 7);
}

static void
test_s5_absent_and_broken(void **state)
{
	uint8_t a = 0xee, b = 0xee;
	/* _S5_ used, not declared; then a declared _S4_. */
	static const uint8_t not_name[] = {0xa4, '_', 'S',  '5',  '_',  0x08, '_', 'S',
	                                   '4',  '_', 0x12, 0x04, 0x02, 0x00, 0x00};
	/* The package runs past the end of the AML. */
	static const uint8_t past_end[] = {0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a};
	/* PkgLength says 4 but two ByteConsts need 6. */
	static const uint8_t short_pkg[] = {0x08, '_',  'S',  '5',  '_',  0x12,
	                                    0x04, 0x02, 0x0a, 0x05, 0x0a, 0x05};
	/* A ByteConst whose data byte is missing at the very end. */
	static const uint8_t cut[] = {0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x0a};
	/* One element only; a name that is not a package; 3-byte PkgLength cut. */
	static const uint8_t one[] = {0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05};
	static const uint8_t not_pkg[] = {0x08, '_', 'S', '5', '_', 0x0a, 0x05};
	static const uint8_t pkglen_cut[] = {0x08, '_', 'S', '5', '_', 0x12, 0xc1, 0x00};
	static const uint8_t tail[] = {0x08, '_', 'S', '5'};

	assert_int_equal(find_s5(not_name, sizeof(not_name), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(past_end, sizeof(past_end), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(short_pkg, sizeof(short_pkg), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(cut, sizeof(cut), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(one, sizeof(one), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(not_pkg, sizeof(not_pkg), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(pkglen_cut, sizeof(pkglen_cut), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(tail, sizeof(tail), &a, &b), KERN_FAILURE);
	assert_int_equal(find_s5(tail, 0, &a, &b), KERN_FAILURE);
	assert_int_equal(acpi_aml_find_s5(NULL, 4, &a, &b), KERN_INVALID_ARGUMENT);
	assert_int_equal(acpi_aml_find_s5(aml_s5_byteconst, sizeof(aml_s5_byteconst), NULL, &b),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(a, 0xee);
	assert_int_equal(b, 0xee);
}

/* No \_S5 in the DSDT: found in an SSDT; absent from both: not valid. */
static void
test_s5_in_ssdt(void **state)
{
	struct tables *t = *state;
	static const uint8_t no_s5[] = {0x10, 0x05, '_', 'S', 'B', '_'};
	static const uint8_t s5_ssdt[] = {0x08, '_',  'S',  '5',  '_',  0x12,
	                                  0x06, 0x02, 0x0a, 0x02, 0x0a, 0x03};
	struct fx_buf ssdt = {0};

	build_dsdt(&t->dsdt, no_s5, sizeof(no_s5));
	fx_sdt_begin(&ssdt, "SSDT", 2);
	fx_put(&ssdt, s5_ssdt, sizeof(s5_ssdt));
	fx_sdt_end(&ssdt);
	fx_mem_add_buf(t->mem, SSDT_PA, &ssdt);
	fx_buf_free(&ssdt);
	assert_int_equal(install_and_parse(t), KERN_SUCCESS);
	assert_false(t->info.ai_s5_valid);

	fx_put64(&t->xsdt, SSDT_PA);
	fx_sdt_end(&t->xsdt);
	fx_mem_add_buf(t->mem, XSDT_PA + 0x800, &t->xsdt);
	fx_rsdp(&t->rsdp, 2, (uint32_t)RSDT_PA, XSDT_PA + 0x800);
	fx_mem_add_buf(t->mem, RSDP_PA + 0x100, &t->rsdp);
	assert_int_equal(acpi_parse(&t->amem, RSDP_PA + 0x100, &t->info), KERN_SUCCESS);
	assert_true(t->info.ai_s5_valid);
	assert_int_equal(t->info.ai_s5_typa, 2);
	assert_int_equal(t->info.ai_s5_typb, 3);
}

/*
 * The tables QEMU 7.2's SeaBIOS builds for -M MACHINE -m 32M -smp 2, as
 * captured by fixtures/acpi/capture-qemu.py (paths from the repo root).
 */
static void
parse_qemu(const char *file, struct acpi_info *info)
{
	struct fx_mem *m = fx_mem_new();
	struct acpi_mem am = fx_mem_acpi(m);
	uint64_t rsdp = 0;

	if (fx_mem_load(m, file, &rsdp) < 5)
		fail_msg("cannot load %s (run from the repository root)", file);
	assert_int_equal(acpi_parse(&am, rsdp, info), KERN_SUCCESS);
	fx_mem_free(m);
	assert_int_equal(info->ai_rejected, 0);
	assert_string_equal(info->ai_oem, "BOCHS ");
	assert_int_equal(info->ai_madt.madt_ncpus, 2);
	assert_true(info->ai_madt.madt_cpus[1].cpu_enabled);
	assert_int_equal(info->ai_madt.madt_cpus[1].cpu_apic_id, 1);
	assert_int_equal(info->ai_madt.madt_lapic_addr, 0xfee00000);
	assert_int_equal(info->ai_madt.madt_nioapics, 1);
	assert_int_equal(info->ai_madt.madt_noverrides, 5);
	assert_int_equal(info->ai_madt.madt_overrides[0].iso_irq, 0);
	assert_int_equal(info->ai_madt.madt_overrides[0].iso_gsi, 2);
	assert_int_equal(info->ai_madt.madt_overrides[4].iso_irq, 11);
	assert_int_equal(info->ai_madt.madt_overrides[4].iso_trigger, ACPI_TRIGGER_LEVEL);
	assert_int_equal(info->ai_fadt.fadt_sci_irq, 9);
	assert_int_equal(info->ai_fadt.fadt_pm1a_cnt.gas_space, ACPI_GAS_IO);
	assert_int_equal(info->ai_fadt.fadt_pm1a_cnt.gas_addr, 0x604);
	assert_int_equal(info->ai_fadt.fadt_pm_tmr.gas_addr, 0x608);
	assert_true(info->ai_hpet.hpet_valid);
	assert_int_equal(info->ai_hpet.hpet_base, 0xfed00000);
	/* QEMU's PM block powers off on SLP_TYP 0. */
	assert_true(info->ai_s5_valid);
	assert_int_equal(info->ai_s5_typa, 0);
	assert_int_equal(info->ai_s5_typb, 0);
}

static void
test_qemu_q35(void **state)
{
	struct acpi_info info;
	char line[192];

	parse_qemu("tests/host/fixtures/acpi/qemu-q35.bin", &info);
	assert_int_equal(info.ai_fadt.fadt_revision, 3);
	assert_true(info.ai_fadt.fadt_flags & ACPI_FADT_RESET_REG_SUP);
	assert_int_equal(info.ai_fadt.fadt_reset_reg.gas_space, ACPI_GAS_IO);
	assert_int_equal(info.ai_fadt.fadt_reset_reg.gas_addr, 0xcf9);
	assert_int_equal(info.ai_fadt.fadt_reset_value, 0x0f);
	assert_int_equal(info.ai_nmcfg, 1);
	acpi_summary(&info, line, sizeof(line));
	assert_string_equal(line, "acpi: 2 cpus, ioapic 0xfec00000 gsi 0, mcfg 0xb0000000 "
	                          "bus 0-255, hpet 0xfed00000, s5 0/0");
}

static void
test_qemu_pc(void **state)
{
	struct acpi_info info;

	parse_qemu("tests/host/fixtures/acpi/qemu-pc.bin", &info);
	assert_int_equal(info.ai_fadt.fadt_revision, 1);
	assert_int_equal(info.ai_fadt.fadt_length, 116);
	assert_int_equal(info.ai_fadt.fadt_reset_reg.gas_addr, 0);
	assert_int_equal(info.ai_nmcfg, 0);
}

static void
test_pm1_sleep_value(void **state)
{
	/* SCI_EN and other bits kept, old SLP_TYP replaced, SLP_EN set. */
	assert_int_equal(acpi_pm1_sleep_value(0x0001, 0), 0x2001);
	assert_int_equal(acpi_pm1_sleep_value(0x1c01, 5), 0x3401);
	assert_int_equal(acpi_pm1_sleep_value(0x0000, 7), 0x3c00);
	assert_int_equal(acpi_pm1_sleep_value(0x0000, 0x0d), 0x3400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_good_set_xsdt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rsdp_v1_rsdt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fadt_x_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_x2apic_override, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_too_many_cpus, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_bad_checksum, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_too_short, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_entry_past_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_zero_length_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_short_typed_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_trailing_byte, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mcfg_bad_length, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mcfg_bad_bus_range, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hpet_io_space, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fadt_too_short, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dsdt_bad_checksum, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rsdt_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_root_entry_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xsdt_bad_falls_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rsdp_bad_ext_checksum, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rsdp_bad, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rsdp_find, setup, teardown),
	    cmocka_unit_test(test_s5_forms),
	    cmocka_unit_test(test_s5_absent_and_broken),
	    cmocka_unit_test_setup_teardown(test_s5_in_ssdt, setup, teardown),
	    cmocka_unit_test(test_qemu_q35),
	    cmocka_unit_test(test_qemu_pc),
	    cmocka_unit_test(test_pm1_sleep_value),
	};

	/* A parser caught in a loop fails the run instead of hanging it. */
	alarm(60);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
