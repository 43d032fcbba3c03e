/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Portable PCI decoding: the capability list walker (PCI Local Bus 3.0
 * §6.7, §6.2.2 for the Status register's Capabilities List bit, §6.1 for
 * the header layouts) and BAR size decoding (§6.2.5.1).
 * Portable: it reads config space only through struct pci_caps_src, so the
 * kernel walks a live function and host tests walk a byte array.
 *
 * The list comes from the device and is not trusted: a pointer below 0x40
 * (into the header), past the end of the source, or back to a capability
 * already seen ends the walk; so does reaching PCI_CAPS_MAX entries.
 */
#ifndef KERN_PCI_CAPS_H
#define KERN_PCI_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Standard capability ids (PCI Code and ID Assignment, §2). */
#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_PCIE 0x10
#define PCI_CAP_ID_MSIX 0x11

/* Where capabilities may live: after the 64-byte header, within 256 bytes. */
#define PCI_CAPS_FIRST 0x40
#define PCI_CAPS_END 0x100
/* At most one capability per dword of the device-specific area. */
#define PCI_CAPS_MAX ((PCI_CAPS_END - PCI_CAPS_FIRST) / 4)

/* Config space header offsets the walker reads. */
#define PCI_CAPS_STATUS 0x06
#define PCI_CAPS_STATUS_LIST 0x10 /* Status bit 4: the list exists */
#define PCI_CAPS_HEADER_TYPE 0x0e
#define PCI_CAPS_PTR 0x34         /* header types 0 and 1 */
#define PCI_CAPS_PTR_CARDBUS 0x14 /* header type 2 */

/*
 * A source of config space bytes. read8(ctx, off) returns the byte at off;
 * `size` is how many bytes exist (256 for a live function), so no read is
 * made at or past it.
 */
struct pci_caps_src {
	uint8_t (*read8)(void *ctx, unsigned off);
	void *ctx;
	unsigned size;
};

/* A walk in progress; zero-initialise it with pci_caps_begin(). */
struct pci_caps_iter {
	const struct pci_caps_src *ci_src;
	unsigned ci_next;                        /* offset of the next capability, 0 at the end */
	unsigned ci_count;                       /* capabilities returned so far */
	uint64_t ci_seen[PCI_CAPS_END / 4 / 64]; /* dwords already visited */
};

/* Starts a walk at the header's capability pointer (none when the Status bit is clear). */
void pci_caps_begin(struct pci_caps_iter *it, const struct pci_caps_src *src);
/*
 * The next capability: stores its offset and id and returns true, or
 * returns false at the end of the list or when the list is malformed.
 */
bool pci_caps_next(struct pci_caps_iter *it, unsigned *off, uint8_t *id);

/*
 * Offset of the first capability with this id after the one at offset
 * `after` (0: from the start); 0 when none.
 */
unsigned pci_caps_find(const struct pci_caps_src *src, uint8_t id, unsigned after);

/* A short name for a capability id ("msi", "msix", "vndr", ...), "cap" when unknown. */
const char *pci_caps_name(uint8_t id);

/*
 * The size a BAR decodes from its writable address bits (what reads back
 * after writing all ones, type bits cleared; for a 64-bit BAR both halves).
 * Bits above the highest writable one count as fixed at one (a 16-bit I/O
 * decoder, a 64-bit BAR with fewer address lines). Returns 0 when no bit is
 * writable; a mask with a hole decodes to a size that is not a power of
 * two, which the caller must refuse (pci_bar_size_valid).
 */
uint64_t pci_bar_size(uint64_t mask);
static inline bool
pci_bar_size_valid(uint64_t size)
{
	return size != 0 && (size & (size - 1)) == 0;
}

/* A source over a byte array (ctx points to struct pci_caps_bytes). */
struct pci_caps_bytes {
	const uint8_t *cb_bytes;
	size_t cb_len;
};
uint8_t pci_caps_bytes_read8(void *ctx, unsigned off);

#endif
