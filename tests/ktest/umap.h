/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TEST ONLY: a tiny user mapping in the kernel's own page tables, for the
 * user-mode tests until the pmap (x86_64/pmap.c) is on main. It fills the
 * kernel PML4's slot 0, which nothing else uses, and takes it away again.
 *
 *   UMAP_CODE  (0x400000) read and execute
 *   UMAP_DATA  (0x401000) read and write (the user stack ends at its end)
 *   UMAP_HOLE  (0x402000) not mapped
 *   UMAP_RO    (0x403000) read only
 */
#ifndef TESTS_KTEST_UMAP_H
#define TESTS_KTEST_UMAP_H

#include <stdbool.h>
#include <stdint.h>

#define UMAP_CODE 0x400000ULL
#define UMAP_DATA 0x401000ULL
#define UMAP_HOLE 0x402000ULL
#define UMAP_RO 0x403000ULL
#define UMAP_TOP 0x7ffffffff000ULL /* the last user page, read and execute (umap_map_top) */

struct umap {
	uint64_t um_pages[4];  /* physical pages: code, data, (hole), read-only */
	uint64_t um_tables[3]; /* PDPT, PD, PT */
	uint64_t um_top[4];    /* PDPT, PD, PT and the page of UMAP_TOP */
};

/* Builds the mapping; false when memory is short or slot 0 is taken. */
bool umap_create(struct umap *um);
/* Kernel (direct-map) view of the page at one of the UMAP_* addresses. */
void *umap_kva(const struct umap *um, uint64_t uva);
/* Maps a zeroed page at UMAP_TOP, in the kernel PML4's last user slot. */
bool umap_map_top(struct umap *um);
/* Maps a zeroed read-write page at UMAP_HOLE (a fault being resolved). */
bool umap_fill_hole(struct umap *um);
void umap_destroy(struct umap *um);

#endif
