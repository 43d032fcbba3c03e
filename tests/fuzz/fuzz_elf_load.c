// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the ELF-64 boot module checker and loader
 * (kern/elf_load.c). The input is the image, copied into a block of
 * exactly its size (ASan catches a read past it); it is checked with no
 * bias and loaded with a page-aligned bias taken from its last bytes.
 * Whatever is accepted must keep kern/elf_load.h's promises, checked here
 * independently: segments inside the user half, not sharing pages, file
 * data inside the image and no larger than memory, the entry below the
 * kernel half, map() given page-aligned ranges once per segment, copy()
 * only into what map() gave. Anything else aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kern/elf64.h"
#include "kern/elf_load.h"
#include "x86_64/layout.h"

struct fuzz_sim {
	uint64_t start[ELF_SEGMENTS_MAX], len[ELF_SEGMENTS_MAX];
	unsigned n, copies;
	uint8_t sum;
};

static kern_return_t
sim_map(void *ctx, uint64_t start, uint64_t len, unsigned prot)
{
	struct fuzz_sim *s = ctx;

	if (s->n == ELF_SEGMENTS_MAX || start % PAGE_SIZE || len % PAGE_SIZE || len == 0 ||
	    start >= USER_SPACE_END || len > USER_SPACE_END - start || (prot & ~7u))
		abort();
	for (unsigned i = 0; i < s->n; i++)
		if (start < s->start[i] + s->len[i] && s->start[i] < start + len)
			abort();
	s->start[s->n] = start;
	s->len[s->n++] = len;
	return KERN_SUCCESS;
}

static kern_return_t
sim_copy(void *ctx, uint64_t vaddr, const void *src, uint64_t len)
{
	struct fuzz_sim *s = ctx;
	const uint8_t *p = src;

	/* Only into the segment just mapped. */
	if (s->n == 0 || vaddr < s->start[s->n - 1] ||
	    len > s->start[s->n - 1] + s->len[s->n - 1] - vaddr || len == 0)
		abort();
	s->copies++;
	/* Read the first and last source byte: ASan checks they are in the image. */
	s->sum += p[0] + p[len - 1];
	return KERN_SUCCESS;
}

static void
check_image(const struct elf_image *im, size_t size)
{
	if (im->ei_nsegs == 0 || im->ei_nsegs > ELF_SEGMENTS_MAX || im->ei_entry >= USER_SPACE_END)
		abort();
	for (unsigned i = 0; i < im->ei_nsegs; i++) {
		const struct elf_segment *g = &im->ei_segs[i];
		if (g->es_filesz > g->es_memsz || g->es_memsz == 0 || g->es_offset > size ||
		    g->es_filesz > size - g->es_offset || g->es_vaddr >= USER_SPACE_END ||
		    g->es_memsz > USER_SPACE_END - g->es_vaddr ||
		    (g->es_vaddr - g->es_offset) % PAGE_SIZE)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *img = malloc(size ? size : 1);
	struct elf_image im;
	const char *why = NULL;
	uint64_t bias = 0;
	kern_return_t kr;

	memcpy(img, data, size);
	kr = elf_check(img, size, 0, &im, &why);
	if (kr == KERN_SUCCESS)
		check_image(&im, size);
	else if (kr != KERN_INVALID_ARGUMENT || !why)
		abort();

	if (size >= 8)
		memcpy(&bias, data + size - 8, 8);
	bias &= ~(uint64_t)(PAGE_SIZE - 1);
	struct fuzz_sim s = {0};
	struct elf_load_ops ops = {&s, sim_map, sim_copy};
	kr = elf_load(img, size, bias, &ops, &im, &why);
	if (kr == KERN_SUCCESS) {
		check_image(&im, size);
		if (s.n != im.ei_nsegs)
			abort();
	} else if (kr != KERN_INVALID_ARGUMENT || s.n != 0) {
		abort();
	}
	free(img);
	return 0;
}
