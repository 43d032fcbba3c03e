// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the portable PCI decoding (pci/pci_caps.c). BAR sizes from
 * read-back masks: 32-bit, 64-bit, a 16-bit I/O decoder, a 64-bit BAR with
 * 40 address lines, and the masks that must be refused (no writable bit, a
 * hole). The capability walker over byte
 * arrays standing for config space: a normal chain, the Status bit, the
 * cardbus pointer, masked low pointer bits, and hostile lists (a cycle, a
 * self-loop, a pointer into the header, a truncated source, a pointer at the
 * very end) which must all terminate without reading out of bounds (ASan
 * watches: each array is allocated at its exact size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pci/pci_caps.h"

/* A 256-byte config space with the Capabilities List bit set and no caps. */
static uint8_t cfg[256];

static void
cfg_reset(void)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0] = 0xf4;
	cfg[1] = 0x1a;
	cfg[PCI_CAPS_STATUS] = PCI_CAPS_STATUS_LIST;
}

static void
cap_put(unsigned off, uint8_t id, uint8_t next)
{
	cfg[off] = id;
	cfg[off + 1] = next;
}

static int
setup(void **state)
{
	cfg_reset();
	return 0;
}

/* Walks a byte array of len bytes (copied to an exact-size heap buffer). */
static unsigned
walk(const uint8_t *bytes, size_t len, unsigned *offs, uint8_t *ids, unsigned max)
{
	uint8_t *copy = malloc(len);
	struct pci_caps_bytes b = {copy, len};
	struct pci_caps_src src = {pci_caps_bytes_read8, &b, (unsigned)len};
	struct pci_caps_iter it;
	unsigned n = 0, off;
	uint8_t id;

	memcpy(copy, bytes, len);
	pci_caps_begin(&it, &src);
	while (pci_caps_next(&it, &off, &id)) {
		if (n < max) {
			offs[n] = off;
			ids[n] = id;
		}
		n++;
		assert_true(n <= PCI_CAPS_MAX);
	}
	free(copy);
	return n;
}

static unsigned
find(uint8_t id, unsigned after)
{
	struct pci_caps_bytes b = {cfg, sizeof(cfg)};
	struct pci_caps_src src = {pci_caps_bytes_read8, &b, sizeof(cfg)};

	return pci_caps_find(&src, id, after);
}

static void
test_normal_chain(void **state)
{
	unsigned offs[8];
	uint8_t ids[8];

	cfg[PCI_CAPS_PTR] = 0x98;
	cap_put(0x98, PCI_CAP_ID_MSIX, 0x84);
	cap_put(0x84, PCI_CAP_ID_VENDOR, 0x70);
	cap_put(0x70, PCI_CAP_ID_VENDOR, 0x40);
	cap_put(0x40, PCI_CAP_ID_MSI, 0x00);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 8), 4);
	assert_int_equal(offs[0], 0x98);
	assert_int_equal(ids[0], PCI_CAP_ID_MSIX);
	assert_int_equal(offs[1], 0x84);
	assert_int_equal(offs[2], 0x70);
	assert_int_equal(offs[3], 0x40);
	assert_int_equal(ids[3], PCI_CAP_ID_MSI);
	assert_int_equal(find(PCI_CAP_ID_MSIX, 0), 0x98);
	assert_int_equal(find(PCI_CAP_ID_MSI, 0), 0x40);
	assert_int_equal(find(PCI_CAP_ID_PCIE, 0), 0);
	/* "after": the second vendor capability, then none. */
	assert_int_equal(find(PCI_CAP_ID_VENDOR, 0), 0x84);
	assert_int_equal(find(PCI_CAP_ID_VENDOR, 0x84), 0x70);
	assert_int_equal(find(PCI_CAP_ID_VENDOR, 0x70), 0);
}

static void
test_status_bit_clear(void **state)
{
	unsigned offs[4];
	uint8_t ids[4];

	cfg[PCI_CAPS_STATUS] = 0;
	cfg[PCI_CAPS_PTR] = 0x40;
	cap_put(0x40, PCI_CAP_ID_MSI, 0);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 4), 0);
	assert_int_equal(find(PCI_CAP_ID_MSI, 0), 0);
}

static void
test_empty_list(void **state)
{
	unsigned offs[4];
	uint8_t ids[4];

	cfg[PCI_CAPS_PTR] = 0;
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 4), 0);
}

static void
test_cardbus_pointer(void **state)
{
	unsigned offs[4];
	uint8_t ids[4];

	cfg[PCI_CAPS_HEADER_TYPE] = 0x82; /* multi-function, cardbus */
	cfg[PCI_CAPS_PTR] = 0x50;         /* not used for type 2 */
	cfg[PCI_CAPS_PTR_CARDBUS] = 0x80;
	cap_put(0x50, PCI_CAP_ID_MSI, 0);
	cap_put(0x80, PCI_CAP_ID_PM, 0);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 4), 1);
	assert_int_equal(offs[0], 0x80);
	assert_int_equal(ids[0], PCI_CAP_ID_PM);
}

static void
test_low_bits_masked(void **state)
{
	unsigned offs[4];
	uint8_t ids[4];

	cfg[PCI_CAPS_PTR] = 0x43; /* reserved bits set: means 0x40 */
	cap_put(0x40, PCI_CAP_ID_PM, 0x52);
	cap_put(0x50, PCI_CAP_ID_MSI, 0x01); /* next 0x01 masks to 0: the end */
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 4), 2);
	assert_int_equal(offs[0], 0x40);
	assert_int_equal(offs[1], 0x50);
}

static void
test_cycle_terminates(void **state)
{
	unsigned offs[8];
	uint8_t ids[8];

	cfg[PCI_CAPS_PTR] = 0x40;
	cap_put(0x40, PCI_CAP_ID_PM, 0x50);
	cap_put(0x50, PCI_CAP_ID_MSI, 0x60);
	cap_put(0x60, PCI_CAP_ID_VENDOR, 0x50); /* back to 0x50 */
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 8), 3);
	assert_int_equal(offs[2], 0x60);
	assert_int_equal(find(PCI_CAP_ID_MSIX, 0), 0);
}

static void
test_self_loop_terminates(void **state)
{
	unsigned offs[8];
	uint8_t ids[8];

	cfg[PCI_CAPS_PTR] = 0xfc;
	cap_put(0xfc, PCI_CAP_ID_MSI, 0xfc);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 8), 1);
	assert_int_equal(offs[0], 0xfc);
}

/* Every dword of the device area in one long chain: all of them, then the end. */
static void
test_longest_chain(void **state)
{
	unsigned offs[PCI_CAPS_MAX];
	uint8_t ids[PCI_CAPS_MAX];

	cfg[PCI_CAPS_PTR] = 0x40;
	for (unsigned off = 0x40; off < 0x100; off += 4)
		cap_put(off, PCI_CAP_ID_VENDOR, off + 4 < 0x100 ? off + 4 : 0x40);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, PCI_CAPS_MAX), PCI_CAPS_MAX);
	assert_int_equal(offs[PCI_CAPS_MAX - 1], 0xfc);
}

static void
test_pointer_into_header(void **state)
{
	unsigned offs[4];
	uint8_t ids[4];

	/* The first pointer is inside the header: no capabilities. */
	cfg[PCI_CAPS_PTR] = 0x3c;
	cap_put(0x3c, PCI_CAP_ID_MSI, 0x40);
	cap_put(0x40, PCI_CAP_ID_MSIX, 0);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 4), 0);

	/* A later pointer into the header ends the list there. */
	cfg[PCI_CAPS_PTR] = 0x40;
	cap_put(0x40, PCI_CAP_ID_MSIX, 0x04);
	assert_int_equal(walk(cfg, sizeof(cfg), offs, ids, 4), 1);
	assert_int_equal(ids[0], PCI_CAP_ID_MSIX);
	assert_int_equal(find(PCI_CAP_ID_MSI, 0), 0);
}

static void
test_truncated_source(void **state)
{
	unsigned offs[4];
	uint8_t ids[4];

	cfg[PCI_CAPS_PTR] = 0x40;
	cap_put(0x40, PCI_CAP_ID_PM, 0x48);
	cap_put(0x48, PCI_CAP_ID_MSI, 0x80);
	cap_put(0x80, PCI_CAP_ID_MSIX, 0);
	/* Only 0x4a bytes exist: the capability at 0x48 fits, 0x80 does not. */
	assert_int_equal(walk(cfg, 0x4a, offs, ids, 4), 2);
	assert_int_equal(offs[1], 0x48);
	/* 0x49 bytes: the header of 0x48 is cut in half, so it is refused. */
	assert_int_equal(walk(cfg, 0x49, offs, ids, 4), 1);
	/* Shorter than the header itself: nothing, and no read past the end. */
	assert_int_equal(walk(cfg, 0x20, offs, ids, 4), 0);
	assert_int_equal(walk(cfg, 0, offs, ids, 4), 0);
}

static void
test_bar_sizes(void **state)
{
	/* virtio's 16 KiB 64-bit BAR: both halves read back. */
	assert_int_equal(pci_bar_size(0xffffffffffffc000ull), 0x4000);
	/* e1000's 128 KiB 32-bit BAR: the upper half is no address. */
	assert_int_equal(pci_bar_size(0xfffe0000ull), 0x20000);
	/* A 64-bit BAR with 40 address lines: bits 40..63 read back zero. */
	assert_int_equal(pci_bar_size(0x000000fffff00000ull), 0x100000);
	/* I/O BARs: 32 ports, whether the top half reads back ones or zero. */
	assert_int_equal(pci_bar_size(0xffffffe0u), 0x20);
	assert_int_equal(pci_bar_size(0xffe0u), 0x20);
	/* The largest: every address bit but the top one writable. */
	assert_int_equal(pci_bar_size(0x8000000000000000ull), 0x8000000000000000ull);
	for (unsigned bit = 4; bit < 64; bit++) {
		uint64_t size = UINT64_C(1) << bit;
		assert_int_equal(pci_bar_size(~(size - 1)), size);
		assert_true(pci_bar_size_valid(pci_bar_size(~(size - 1))));
	}
}

static void
test_bad_bar_sizes(void **state)
{
	/* Nothing writable: size 0, refused. */
	assert_int_equal(pci_bar_size(0), 0);
	assert_false(pci_bar_size_valid(pci_bar_size(0)));
	/* A hole in the mask: not a power of two, refused. */
	assert_int_equal(pci_bar_size(0xfff0f000u), 0xf1000);
	assert_false(pci_bar_size_valid(pci_bar_size(0xfff0f000u)));
	assert_false(pci_bar_size_valid(pci_bar_size(0xffffffff0000f000ull)));
	assert_false(pci_bar_size_valid(3));
	assert_true(pci_bar_size_valid(1));
}

static void
test_names(void **state)
{
	assert_string_equal(pci_caps_name(PCI_CAP_ID_MSIX), "msix");
	assert_string_equal(pci_caps_name(PCI_CAP_ID_MSI), "msi");
	assert_string_equal(pci_caps_name(0xee), "cap");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_normal_chain, setup),
	    cmocka_unit_test_setup(test_status_bit_clear, setup),
	    cmocka_unit_test_setup(test_empty_list, setup),
	    cmocka_unit_test_setup(test_cardbus_pointer, setup),
	    cmocka_unit_test_setup(test_low_bits_masked, setup),
	    cmocka_unit_test_setup(test_cycle_terminates, setup),
	    cmocka_unit_test_setup(test_self_loop_terminates, setup),
	    cmocka_unit_test_setup(test_longest_chain, setup),
	    cmocka_unit_test_setup(test_pointer_into_header, setup),
	    cmocka_unit_test_setup(test_truncated_source, setup),
	    cmocka_unit_test_setup(test_names, setup),
	    cmocka_unit_test(test_bar_sizes),
	    cmocka_unit_test(test_bad_bar_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
