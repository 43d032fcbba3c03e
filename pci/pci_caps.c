// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Portable PCI decoding: the capability list walker (PCI Local Bus 3.0
 * §6.7) and BAR sizes (§6.2.5.1). Host-tested (tests/host/test_pci_caps.c).
 * Every pointer comes from the device: it is masked (the low two bits are
 * reserved, §6.7), checked against the header and the end of the source,
 * and checked against the capabilities already visited, so a list that
 * cycles ends.
 */
#include "pci/pci_caps.h"

static uint8_t
pci_caps_read8(const struct pci_caps_src *src, unsigned off)
{
	if (off >= src->size)
		return 0xff;
	return src->read8(src->ctx, off);
}

/* A capability header (id, next) is two bytes: both must be in the source. */
static bool
pci_caps_ptr_valid(const struct pci_caps_src *src, unsigned ptr)
{
	return ptr >= PCI_CAPS_FIRST && ptr + 2 <= PCI_CAPS_END && ptr + 2 <= src->size;
}

void
pci_caps_begin(struct pci_caps_iter *it, const struct pci_caps_src *src)
{
	unsigned status, ptr_off;

	*it = (struct pci_caps_iter){.ci_src = src};
	if (src->size < PCI_CAPS_FIRST)
		return;
	status = pci_caps_read8(src, PCI_CAPS_STATUS);
	if (!(status & PCI_CAPS_STATUS_LIST))
		return;
	if ((pci_caps_read8(src, PCI_CAPS_HEADER_TYPE) & 0x7f) == 2)
		ptr_off = PCI_CAPS_PTR_CARDBUS;
	else
		ptr_off = PCI_CAPS_PTR;
	it->ci_next = pci_caps_read8(src, ptr_off) & ~3u;
}

bool
pci_caps_next(struct pci_caps_iter *it, unsigned *off, uint8_t *id)
{
	const struct pci_caps_src *src = it->ci_src;
	unsigned ptr = it->ci_next;
	unsigned dw = ptr / 4;

	if (ptr == 0 || it->ci_count >= PCI_CAPS_MAX || !pci_caps_ptr_valid(src, ptr))
		goto end;
	if (it->ci_seen[dw / 64] & (UINT64_C(1) << (dw % 64)))
		goto end; /* a cycle */
	it->ci_seen[dw / 64] |= UINT64_C(1) << (dw % 64);
	it->ci_count++;
	*off = ptr;
	*id = pci_caps_read8(src, ptr);
	it->ci_next = pci_caps_read8(src, ptr + 1) & ~3u;
	return true;
end:
	it->ci_next = 0;
	return false;
}

unsigned
pci_caps_find(const struct pci_caps_src *src, uint8_t id, unsigned after)
{
	struct pci_caps_iter it;
	unsigned off;
	uint8_t cid;
	bool passed = after == 0;

	pci_caps_begin(&it, src);
	while (pci_caps_next(&it, &off, &cid)) {
		if (passed && cid == id)
			return off;
		if (off == after)
			passed = true;
	}
	return 0;
}

const char *
pci_caps_name(uint8_t id)
{
	switch (id) {
	case PCI_CAP_ID_PM:
		return "pm";
	case PCI_CAP_ID_MSI:
		return "msi";
	case PCI_CAP_ID_VENDOR:
		return "vndr";
	case PCI_CAP_ID_PCIE:
		return "pcie";
	case PCI_CAP_ID_MSIX:
		return "msix";
	case 0x0d:
		return "ssvid";
	case 0x12:
		return "sata";
	case 0x13:
		return "af";
	default:
		return "cap";
	}
}

uint8_t
pci_caps_bytes_read8(void *ctx, unsigned off)
{
	const struct pci_caps_bytes *b = ctx;

	return off < b->cb_len ? b->cb_bytes[off] : 0xff;
}

uint64_t
pci_bar_size(uint64_t mask)
{
	unsigned top;

	if (mask == 0)
		return 0;
	top = 63 - (unsigned)__builtin_clzll(mask);
	if (top < 63)
		mask |= ~((UINT64_C(2) << top) - 1);
	return ~mask + 1;
}
