// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The portable ACPI table parser: RSDP (ACPI 6.5 5.2.5), RSDT/XSDT (5.2.7,
 * 5.2.8), FADT (5.2.9), MADT (5.2.12), MCFG (PCI Firmware 3.0 4.1.2), HPET
 * (IA-PC HPET 1.0a 3.2.4) and the \_S5 package of the DSDT/SSDTs (7.4.2,
 * AML 20.2). Built into the kernel and into tests/host/test_acpi.c.
 *
 * Memory is read only through struct acpi_mem. Firmware tables are input:
 * each is checked (readable, signature, minimum length, its own length
 * mapped, checksum, every entry inside the table) before any field is used,
 * and multi-byte fields are read byte by byte (tables are not aligned).
 */
#include "x86_64/acpi.h"

#include "kern/log.h"
#include "kern/printf.h"
#include "kern/string.h"

#define SDT_HEADER_LEN 36
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_MAX_LEN 4096
#define MADT_MIN_LEN 44
#define FADT_MIN_LEN 116 /* the ACPI 1.0 FADT */
#define MCFG_MIN_LEN 44
#define MCFG_ENTRY_LEN 16
#define HPET_MIN_LEN 56
/* A root table with more entries than this is garbage. */
#define ROOT_MAX_ENTRIES 256
#define MAX_SSDTS 8

/* A rejected table: counted, and logged in one line. */
#define acpi_reject(info, ...)                                                                     \
	do {                                                                                       \
		(info)->ai_rejected++;                                                             \
		klog(LOG_WARN, __VA_ARGS__);                                                       \
	} while (0)

/* Tables found by the root walk that are parsed after it. */
struct acpi_walk {
	const struct acpi_mem *aw_mem;
	struct acpi_info *aw_info;
	unsigned aw_nssdt;
	uint64_t aw_ssdt[MAX_SSDTS];
};

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t
acpi_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

static const uint8_t *
acpi_map(const struct acpi_mem *mem, uint64_t phys, size_t len)
{
	if (phys == 0 || phys + len < phys)
		return NULL;
	return mem->map(mem->ctx, phys, len);
}

static bool
acpi_sig_printable(const uint8_t *sig)
{
	for (int i = 0; i < 4; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			return false;
	return true;
}

/*
 * Maps and checks the table at phys named sig: readable, signature, length
 * between minlen and ACPI_MAX_TABLE_LEN and readable, checksum. Returns
 * the table and its length in *lenp, or NULL after logging why.
 */
static const uint8_t *
acpi_table_get(const struct acpi_mem *mem, struct acpi_info *info, uint64_t phys, const char *sig,
               uint32_t minlen, uint32_t *lenp)
{
	unsigned long long pa = phys;
	const uint8_t *t = acpi_map(mem, phys, SDT_HEADER_LEN);

	if (t == NULL) {
		acpi_reject(info, "acpi: %s at 0x%llx rejected: unreadable", sig, pa);
		return NULL;
	}
	if (memcmp(t, sig, 4) != 0) {
		acpi_reject(info, "acpi: %s at 0x%llx rejected: signature %02x%02x%02x%02x", sig,
		            pa, t[0], t[1], t[2], t[3]);
		return NULL;
	}
	uint32_t len = rd32(t + 4);
	if (len < minlen || len > ACPI_MAX_TABLE_LEN) {
		acpi_reject(info, "acpi: %s at 0x%llx rejected: length %u (minimum %u)", sig, pa,
		            len, minlen);
		return NULL;
	}
	t = acpi_map(mem, phys, len);
	/* Re-read the length through the full mapping: we checksum what we use. */
	if (t == NULL || rd32(t + 4) != len) {
		acpi_reject(info, "acpi: %s at 0x%llx rejected: %u bytes not readable", sig, pa,
		            len);
		return NULL;
	}
	if (acpi_checksum(t, len) != 0) {
		acpi_reject(info, "acpi: %s at 0x%llx rejected: bad checksum", sig, pa);
		return NULL;
	}
	*lenp = len;
	return t;
}

/* Minimum length of each MADT entry type we read (table 5.21). */
static uint8_t
madt_entry_min_len(uint8_t type)
{
	switch (type) {
	case 0:
		return 8; /* Processor Local APIC */
	case 1:
		return 12; /* I/O APIC */
	case 2:
		return 10; /* Interrupt Source Override */
	case 3:
		return 8; /* NMI Source */
	case 4:
		return 6; /* Local APIC NMI */
	case 5:
		return 12; /* Local APIC Address Override */
	case 9:
		return 16; /* Processor Local x2APIC */
	case 10:
		return 12; /* Local x2APIC NMI */
	default:
		return 2;
	}
}

static void
madt_add_cpu(struct acpi_madt *m, uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2)
{
	if (m->madt_ncpus == ACPI_MAX_CPUS) {
		m->madt_dropped++;
		return;
	}
	struct acpi_cpu *c = &m->madt_cpus[m->madt_ncpus++];
	c->cpu_apic_id = apic_id;
	c->cpu_uid = uid;
	c->cpu_enabled = flags & 1;
	c->cpu_online_capable = (flags >> 1) & 1;
	c->cpu_x2apic = x2;
}

static void
madt_add_ioapic(struct acpi_madt *m, const uint8_t *e)
{
	if (m->madt_nioapics == ACPI_MAX_IOAPICS) {
		m->madt_dropped++;
		return;
	}
	struct acpi_ioapic *io = &m->madt_ioapics[m->madt_nioapics++];
	io->io_id = e[2];
	io->io_addr = rd32(e + 4);
	io->io_gsi_base = rd32(e + 8);
}

static void
madt_add_override(struct acpi_madt *m, const uint8_t *e)
{
	if (m->madt_noverrides == ACPI_MAX_OVERRIDES) {
		m->madt_dropped++;
		return;
	}
	struct acpi_override *o = &m->madt_overrides[m->madt_noverrides++];
	o->iso_bus = e[2];
	o->iso_irq = e[3];
	o->iso_gsi = rd32(e + 4);
	o->iso_flags = rd16(e + 8);
	o->iso_polarity = ACPI_INTI_POLARITY(o->iso_flags);
	o->iso_trigger = ACPI_INTI_TRIGGER(o->iso_flags);
}

static void
madt_add_nmi_source(struct acpi_madt *m, const uint8_t *e)
{
	if (m->madt_nnmi_sources == ACPI_MAX_NMI_SOURCES) {
		m->madt_dropped++;
		return;
	}
	struct acpi_nmi_source *n = &m->madt_nmi_sources[m->madt_nnmi_sources++];
	n->ns_flags = rd16(e + 2);
	n->ns_gsi = rd32(e + 4);
}

static void
madt_add_lapic_nmi(struct acpi_madt *m, uint32_t uid, uint16_t flags, uint8_t lint)
{
	if (m->madt_nlapic_nmis == ACPI_MAX_LAPIC_NMIS) {
		m->madt_dropped++;
		return;
	}
	struct acpi_lapic_nmi *n = &m->madt_lapic_nmis[m->madt_nlapic_nmis++];
	n->ln_uid = uid;
	n->ln_flags = flags;
	n->ln_lint = lint;
}

/* Takes one MADT entry whose length was checked against its type. */
static void
madt_entry(struct acpi_madt *m, const uint8_t *e)
{
	switch (e[0]) {
	case 0:
		madt_add_cpu(m, e[3], e[2], rd32(e + 4), false);
		break;
	case 1:
		madt_add_ioapic(m, e);
		break;
	case 2:
		madt_add_override(m, e);
		break;
	case 3:
		madt_add_nmi_source(m, e);
		break;
	case 4:
		/* A processor UID of 0xff means every processor. */
		madt_add_lapic_nmi(m, e[2] == 0xff ? ACPI_UID_ALL : e[2], rd16(e + 3), e[5]);
		break;
	case 5:
		m->madt_lapic_addr = rd64(e + 4);
		break;
	case 9:
		madt_add_cpu(m, rd32(e + 4), rd32(e + 12), rd32(e + 8), true);
		break;
	case 10:
		madt_add_lapic_nmi(m, rd32(e + 4), rd16(e + 2), e[8]);
		break;
	default:
		break; /* other interrupt controllers: not ours */
	}
}

/*
 * Walks the MADT entries into info->ai_madt. Any malformed entry (shorter
 * than 2 bytes, than its type needs, or running past the table) rejects
 * the whole table: a half-read MADT could hide CPUs or overrides.
 */
static void
madt_parse(struct acpi_info *info, const uint8_t *t, uint32_t len, uint64_t phys)
{
	struct acpi_madt *m = &info->ai_madt;
	uint32_t off;
	uint8_t elen = 0;

	m->madt_lapic_addr = rd32(t + 36);
	m->madt_flags = rd32(t + 40);
	for (off = MADT_MIN_LEN; off < len; off += elen) {
		if (len - off < 2)
			goto bad;
		elen = t[off + 1];
		if (elen < 2 || elen > len - off || elen < madt_entry_min_len(t[off]))
			goto bad;
		madt_entry(m, t + off);
	}
	if (m->madt_dropped)
		log_warn("acpi: MADT: %u entries beyond the table limits ignored", m->madt_dropped);
	m->madt_valid = true;
	return;
bad:
	acpi_reject(info,
	            "acpi: MADT at 0x%llx rejected: bad entry (type %u, length %u) at offset %u",
	            (unsigned long long)phys, len - off >= 1 ? t[off] : 0,
	            len - off >= 2 ? t[off + 1] : 0, off);
	memset(m, 0, sizeof(*m));
}

static struct acpi_gas
gas_read(const uint8_t *p)
{
	struct acpi_gas g = {
	    .gas_space = p[0],
	    .gas_bit_width = p[1],
	    .gas_bit_offset = p[2],
	    .gas_access_size = p[3],
	    .gas_addr = rd64(p + 4),
	};
	return g;
}

/*
 * A FADT register block: the X_ GAS at xoff when the table holds it and
 * it is non-zero (the spec says it then wins), else the 32-bit I/O port at
 * off with blen bytes.
 */
static struct acpi_gas
fadt_block(const uint8_t *t, uint32_t len, uint32_t off, uint8_t blen, uint32_t xoff)
{
	struct acpi_gas g = {0};

	if (xoff + 12 <= len && rd64(t + xoff + 4) != 0)
		return gas_read(t + xoff);
	if (rd32(t + off) != 0) {
		g.gas_space = ACPI_GAS_IO;
		g.gas_bit_width = (uint8_t)(blen * 8);
		g.gas_addr = rd32(t + off);
	}
	return g;
}

static void
fadt_parse(struct acpi_fadt *f, const uint8_t *t, uint32_t len)
{
	f->fadt_revision = t[8];
	f->fadt_length = len;
	f->fadt_dsdt = rd32(t + 40);
	if (len >= 148 && rd64(t + 140) != 0)
		f->fadt_dsdt = rd64(t + 140);
	f->fadt_sci_irq = rd16(t + 46);
	f->fadt_smi_cmd = rd32(t + 48);
	f->fadt_acpi_enable = t[52];
	f->fadt_acpi_disable = t[53];
	f->fadt_pm1_evt_len = t[88];
	f->fadt_pm1_cnt_len = t[89];
	f->fadt_pm_tmr_len = t[91];
	f->fadt_pm1a_evt = fadt_block(t, len, 56, t[88], 148);
	f->fadt_pm1b_evt = fadt_block(t, len, 60, t[88], 160);
	f->fadt_pm1a_cnt = fadt_block(t, len, 64, t[89], 172);
	f->fadt_pm1b_cnt = fadt_block(t, len, 68, t[89], 184);
	f->fadt_pm_tmr = fadt_block(t, len, 76, t[91], 208);
	f->fadt_century = t[108];
	f->fadt_boot_arch = rd16(t + 109);
	f->fadt_flags = rd32(t + 112);
	if (len >= 129) {
		f->fadt_reset_reg = gas_read(t + 116);
		f->fadt_reset_value = t[128];
	}
	f->fadt_valid = true;
}

static void
mcfg_parse(struct acpi_info *info, const uint8_t *t, uint32_t len, uint64_t phys)
{
	unsigned long long pa = phys;
	unsigned n = (len - MCFG_MIN_LEN) / MCFG_ENTRY_LEN;

	if ((len - MCFG_MIN_LEN) % MCFG_ENTRY_LEN != 0) {
		acpi_reject(info, "acpi: MCFG at 0x%llx rejected: length %u is not 44 + 16n", pa,
		            len);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = t + MCFG_MIN_LEN + i * MCFG_ENTRY_LEN;
		if (e[11] < e[10] || rd64(e) == 0) {
			acpi_reject(info, "acpi: MCFG at 0x%llx rejected: entry %u bad", pa, i);
			info->ai_nmcfg = 0;
			memset(info->ai_mcfg, 0, sizeof(info->ai_mcfg));
			return;
		}
		if (i >= ACPI_MAX_MCFG)
			continue;
		struct acpi_mcfg_entry *m = &info->ai_mcfg[i];
		m->mc_base = rd64(e);
		m->mc_segment = rd16(e + 8);
		m->mc_bus_start = e[10];
		m->mc_bus_end = e[11];
		info->ai_nmcfg = i + 1;
	}
	if (n > ACPI_MAX_MCFG)
		log_warn("acpi: MCFG: %u entries, only %u kept", n, ACPI_MAX_MCFG);
}

static void
hpet_parse(struct acpi_info *info, const uint8_t *t, uint32_t len, uint64_t phys)
{
	struct acpi_hpet *h = &info->ai_hpet;

	if (t[40] != ACPI_GAS_MEMORY || rd64(t + 44) == 0) {
		acpi_reject(info, "acpi: HPET at 0x%llx rejected: base not in memory space",
		            (unsigned long long)phys);
		return;
	}
	h->hpet_block_id = rd32(t + 36);
	h->hpet_base = rd64(t + 44);
	h->hpet_number = t[52];
	h->hpet_min_tick = rd16(t + 53);
	h->hpet_valid = true;
}

/* Parses one table named by the root table, if it is one we use. */
static void
acpi_table_take(struct acpi_walk *w, const char *sig, uint64_t phys)
{
	struct acpi_info *info = w->aw_info;
	const uint8_t *t;
	uint32_t len;

	if (strcmp(sig, "APIC") == 0 && !info->ai_madt.madt_valid) {
		if ((t = acpi_table_get(w->aw_mem, info, phys, sig, MADT_MIN_LEN, &len)))
			madt_parse(info, t, len, phys);
	} else if (strcmp(sig, "FACP") == 0 && !info->ai_fadt.fadt_valid) {
		if ((t = acpi_table_get(w->aw_mem, info, phys, sig, FADT_MIN_LEN, &len)))
			fadt_parse(&info->ai_fadt, t, len);
	} else if (strcmp(sig, "MCFG") == 0 && info->ai_nmcfg == 0) {
		if ((t = acpi_table_get(w->aw_mem, info, phys, sig, MCFG_MIN_LEN, &len)))
			mcfg_parse(info, t, len, phys);
	} else if (strcmp(sig, "HPET") == 0 && !info->ai_hpet.hpet_valid) {
		if ((t = acpi_table_get(w->aw_mem, info, phys, sig, HPET_MIN_LEN, &len)))
			hpet_parse(info, t, len, phys);
	} else if (strcmp(sig, "SSDT") == 0 && w->aw_nssdt < MAX_SSDTS) {
		w->aw_ssdt[w->aw_nssdt++] = phys;
	}
}

/* Looks at root table entry i (at phys): its signature picks the parser. */
static void
acpi_root_entry(struct acpi_walk *w, unsigned i, uint64_t phys)
{
	const uint8_t *h = acpi_map(w->aw_mem, phys, SDT_HEADER_LEN);
	char sig[5];

	if (h == NULL || !acpi_sig_printable(h)) {
		acpi_reject(w->aw_info, "acpi: root entry %u -> 0x%llx rejected: %s", i,
		            (unsigned long long)phys, h ? "not a table" : "unreadable");
		return;
	}
	memcpy(sig, h, 4);
	sig[4] = '\0';
	acpi_table_take(w, sig, phys);
}

/*
 * Walks the RSDT (esize 4) or XSDT (esize 8) at phys. Returns KERN_SUCCESS,
 * or KERN_INVALID_VALUE when the table is unusable (logged).
 */
static kern_return_t
acpi_root_walk(struct acpi_walk *w, uint64_t phys, unsigned esize)
{
	const char *sig = esize == 8 ? "XSDT" : "RSDT";
	uint32_t len;
	const uint8_t *t = acpi_table_get(w->aw_mem, w->aw_info, phys, sig, SDT_HEADER_LEN, &len);

	if (t == NULL)
		return KERN_INVALID_VALUE;
	unsigned n = (len - SDT_HEADER_LEN) / esize;
	if ((len - SDT_HEADER_LEN) % esize != 0 || n > ROOT_MAX_ENTRIES) {
		acpi_reject(w->aw_info, "acpi: %s at 0x%llx rejected: length %u", sig,
		            (unsigned long long)phys, len);
		return KERN_INVALID_VALUE;
	}
	w->aw_info->ai_xsdt = esize == 8;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = t + SDT_HEADER_LEN + i * esize;
		uint64_t addr = esize == 8 ? rd64(e) : rd32(e);
		if (addr != 0)
			acpi_root_entry(w, i, addr);
	}
	return KERN_SUCCESS;
}

/* Finds \_S5 in the DSDT named by the FADT, else in the SSDTs. */
static void
acpi_s5_find(struct acpi_walk *w)
{
	struct acpi_info *info = w->aw_info;
	const uint8_t *t;
	uint32_t len;

	if (info->ai_fadt.fadt_valid) {
		t = acpi_table_get(w->aw_mem, info, info->ai_fadt.fadt_dsdt, "DSDT", SDT_HEADER_LEN,
		                   &len);
		if (t && acpi_aml_find_s5(t + SDT_HEADER_LEN, len - SDT_HEADER_LEN,
		                          &info->ai_s5_typa, &info->ai_s5_typb) == KERN_SUCCESS) {
			info->ai_s5_valid = true;
			return;
		}
	}
	for (unsigned i = 0; i < w->aw_nssdt; i++) {
		t = acpi_table_get(w->aw_mem, info, w->aw_ssdt[i], "SSDT", SDT_HEADER_LEN, &len);
		if (t && acpi_aml_find_s5(t + SDT_HEADER_LEN, len - SDT_HEADER_LEN,
		                          &info->ai_s5_typa, &info->ai_s5_typb) == KERN_SUCCESS) {
			info->ai_s5_valid = true;
			return;
		}
	}
}

/*
 * Checks the RSDP at phys and returns the root table to walk: the XSDT when
 * revision >= 2 and its extended checksum holds, in *xsdt, and the RSDT in
 * *rsdt (either may be 0). Returns KERN_SUCCESS, or KERN_INVALID_ADDRESS
 * when phys holds no valid RSDP (logged).
 */
static kern_return_t
acpi_rsdp_check(const struct acpi_mem *mem, struct acpi_info *info, uint64_t phys, uint64_t *rsdt,
                uint64_t *xsdt)
{
	const uint8_t *r = acpi_map(mem, phys, RSDP_V1_LEN);

	if (r == NULL || memcmp(r, "RSD PTR ", 8) != 0 || acpi_checksum(r, RSDP_V1_LEN)) {
		acpi_reject(info, "acpi: RSDP at 0x%llx rejected: %s", (unsigned long long)phys,
		            r ? "bad signature or checksum" : "unreadable");
		return KERN_INVALID_ADDRESS;
	}
	info->ai_rsdp = phys;
	info->ai_revision = r[15];
	memcpy(info->ai_oem, r + 9, 6);
	*rsdt = rd32(r + 16);
	*xsdt = 0;
	if (r[15] < 2)
		return KERN_SUCCESS;
	r = acpi_map(mem, phys, RSDP_V2_LEN);
	uint32_t len = r ? rd32(r + 20) : 0;
	if (len >= RSDP_V2_LEN && len <= RSDP_MAX_LEN)
		r = acpi_map(mem, phys, len);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN || r == NULL || acpi_checksum(r, len)) {
		acpi_reject(
		    info,
		    "acpi: RSDP v2 at 0x%llx: bad length %u or extended checksum, using the RSDT",
		    (unsigned long long)phys, len);
		return KERN_SUCCESS;
	}
	*xsdt = rd64(r + 24);
	return KERN_SUCCESS;
}

kern_return_t
acpi_parse(const struct acpi_mem *mem, uint64_t rsdp_phys, struct acpi_info *out)
{
	struct acpi_walk w = {.aw_mem = mem, .aw_info = out};
	uint64_t rsdt, xsdt;
	kern_return_t kr;

	if (mem == NULL || mem->map == NULL || out == NULL)
		return KERN_INVALID_ARGUMENT;
	memset(out, 0, sizeof(*out));
	kr = acpi_rsdp_check(mem, out, rsdp_phys, &rsdt, &xsdt);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = KERN_INVALID_VALUE; /* stays so when the RSDP names no root table */
	if (xsdt != 0)
		kr = acpi_root_walk(&w, xsdt, 8);
	if (kr != KERN_SUCCESS && rsdt != 0)
		kr = acpi_root_walk(&w, rsdt, 4);
	if (kr != KERN_SUCCESS) {
		log_err("acpi: no usable RSDT or XSDT");
		return kr;
	}
	acpi_s5_find(&w);
	return KERN_SUCCESS;
}

kern_return_t
acpi_rsdp_scan(const struct acpi_mem *mem, uint64_t start, size_t len, uint64_t *rsdp_phys)
{
	uint64_t first = (start + 15) & ~15ull;
	const uint8_t *p;

	if (mem == NULL || mem->map == NULL || rsdp_phys == NULL)
		return KERN_INVALID_ARGUMENT;
	if (len < RSDP_V1_LEN || first - start > len - RSDP_V1_LEN)
		return KERN_FAILURE; /* too short to hold an RSDP */
	len -= first - start;
	p = acpi_map(mem, first, len);
	if (p == NULL)
		return KERN_FAILURE;
	for (size_t off = 0; off + RSDP_V1_LEN <= len; off += 16) {
		if (memcmp(p + off, "RSD PTR ", 8) == 0 &&
		    acpi_checksum(p + off, RSDP_V1_LEN) == 0) {
			*rsdp_phys = first + off;
			return KERN_SUCCESS;
		}
	}
	return KERN_FAILURE;
}

kern_return_t
acpi_rsdp_find(const struct acpi_mem *mem, uint64_t *rsdp_phys)
{
	const uint8_t *bda;

	if (mem == NULL || mem->map == NULL || rsdp_phys == NULL)
		return KERN_INVALID_ARGUMENT;
	/* The EBDA, when the BIOS data area names one below 640 KiB. */
	bda = acpi_map(mem, 0x40e, 2);
	if (bda != NULL) {
		uint64_t ebda = (uint64_t)rd16(bda) << 4;
		if (ebda >= 0x1000 && ebda + 1024 <= 0xa0000 &&
		    acpi_rsdp_scan(mem, ebda, 1024, rsdp_phys) == KERN_SUCCESS)
			return KERN_SUCCESS;
	}
	return acpi_rsdp_scan(mem, 0xe0000, 0x20000, rsdp_phys);
}

/*
 * Reads one small integer of an _S5 package at aml[*off] (before end):
 * ZeroOp, OneOp, BytePrefix/WordPrefix/DWordPrefix constants (low byte
 * kept) or, as some firmware writes, a bare byte 2..7. Returns
 * KERN_SUCCESS, or KERN_INVALID_VALUE when there is no such integer.
 */
static kern_return_t
aml_small_int(const uint8_t *aml, size_t end, size_t *off, uint8_t *val)
{
	size_t o = *off;
	size_t need;

	if (o >= end)
		return KERN_INVALID_VALUE;
	switch (aml[o]) {
	case 0x00:
	case 0x01:
	case 0x02:
	case 0x03:
	case 0x04:
	case 0x05:
	case 0x06:
	case 0x07:
		need = 1;
		*val = aml[o];
		break;
	case 0x0a:
		need = 2;
		break;
	case 0x0b:
		need = 3;
		break;
	case 0x0c:
		need = 5;
		break;
	default:
		return KERN_INVALID_VALUE;
	}
	if (need > end - o)
		return KERN_INVALID_VALUE;
	if (need > 1)
		*val = aml[o + 1];
	*off = o + need;
	return KERN_SUCCESS;
}

/*
 * Decodes the PkgLength at aml[off] (20.2.4): the lead byte's top two bits
 * count the following bytes. Stores the end of the package (the PkgLength
 * counts itself) in *end and the first byte after the encoding in *body.
 * Returns KERN_SUCCESS, or KERN_INVALID_VALUE when it runs past len.
 */
static kern_return_t
aml_pkg_length(const uint8_t *aml, size_t len, size_t off, size_t *end, size_t *body)
{
	if (off >= len)
		return KERN_INVALID_VALUE;
	uint8_t lead = aml[off];
	unsigned nbytes = lead >> 6;
	size_t plen = nbytes ? (size_t)(lead & 0x0f) : (size_t)(lead & 0x3f);

	if (nbytes > len - off - 1)
		return KERN_INVALID_VALUE;
	for (unsigned i = 0; i < nbytes; i++)
		plen |= (size_t)aml[off + 1 + i] << (4 + 8 * i);
	if (plen < nbytes + 1 || plen > len - off)
		return KERN_INVALID_VALUE;
	*end = off + plen;
	*body = off + 1 + nbytes;
	return KERN_SUCCESS;
}

/*
 * Decodes the PackageOp at aml[off]: NumElements >= 2, two integers.
 * Returns KERN_SUCCESS, or KERN_INVALID_VALUE when it is not such a package.
 */
static kern_return_t
aml_s5_package(const uint8_t *aml, size_t len, size_t off, uint8_t *typa, uint8_t *typb)
{
	size_t end, o;
	uint8_t a, b;

	if (off >= len || aml[off] != 0x12)
		return KERN_INVALID_VALUE;
	if (aml_pkg_length(aml, len, off + 1, &end, &o) != KERN_SUCCESS || o >= end)
		return KERN_INVALID_VALUE;
	if (aml[o++] < 2)
		return KERN_INVALID_VALUE;
	if (aml_small_int(aml, end, &o, &a) != KERN_SUCCESS ||
	    aml_small_int(aml, end, &o, &b) != KERN_SUCCESS)
		return KERN_INVALID_VALUE;
	*typa = a;
	*typb = b;
	return KERN_SUCCESS;
}

kern_return_t
acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb)
{
	if (aml == NULL || typa == NULL || typb == NULL)
		return KERN_INVALID_ARGUMENT;
	for (size_t i = 1; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		/* NameOp, optionally with the root prefix: Name(\_S5_, ...). */
		bool named =
		    aml[i - 1] == 0x08 || (i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08);
		if (named && aml_s5_package(aml, len, i + 4, typa, typb) == KERN_SUCCESS)
			return KERN_SUCCESS;
	}
	return KERN_FAILURE;
}

void
acpi_summary(const struct acpi_info *info, char *buf, size_t size)
{
	const struct acpi_madt *m = &info->ai_madt;
	unsigned ncpus = 0;
	size_t n;

	for (unsigned i = 0; i < m->madt_ncpus; i++)
		ncpus += m->madt_cpus[i].cpu_enabled;
	n = (size_t)ksnprintf(buf, size, "acpi: %u cpus", ncpus);
	if (m->madt_nioapics && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ", ioapic 0x%x gsi %u%s",
		                       m->madt_ioapics[0].io_addr, m->madt_ioapics[0].io_gsi_base,
		                       m->madt_nioapics > 1 ? " (+more)" : "");
	if (info->ai_nmcfg && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ", mcfg 0x%llx bus %u-%u",
		                       (unsigned long long)info->ai_mcfg[0].mc_base,
		                       info->ai_mcfg[0].mc_bus_start, info->ai_mcfg[0].mc_bus_end);
	if (info->ai_hpet.hpet_valid && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ", hpet 0x%llx",
		                       (unsigned long long)info->ai_hpet.hpet_base);
	if (info->ai_s5_valid && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ", s5 %u/%u", info->ai_s5_typa,
		                       info->ai_s5_typb);
	if (n < size)
		ksnprintf(buf + n, size - n, "%s%s", info->ai_fadt.fadt_valid ? "" : ", no fadt",
		          m->madt_valid ? "" : ", no madt");
}
