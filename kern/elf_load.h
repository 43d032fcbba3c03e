/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot modules as ELF-64 images: checking an untrusted image in memory,
 * describing what it asks to have mapped, and loading it through the
 * caller's callbacks (the caller decides how memory is mapped: into a new
 * task's map, or into a test buffer).
 *
 * Accepted (docs/boot.md): ELFCLASS64, ELFDATA2LSB, EV_CURRENT, EM_X86_64,
 * ET_EXEC or ET_DYN (GNU Mach boots ld.so as a module: an ET_DYN image is
 * placed at the caller's load bias). PT_LOAD segments are described; every
 * other program header type (PT_GNU_RELRO, PT_GNU_STACK, PT_NOTE,
 * PT_INTERP...) is ignored. As GNU Mach, segments are mapped page by page,
 * so a segment whose vaddr and file offset differ modulo PAGE_SIZE is
 * refused, as are segments outside the user half [0, USER_SPACE_END),
 * segments whose page-rounded ranges overlap, p_filesz > p_memsz, file
 * data past the end of the image, and an entry point in the kernel half.
 * The entry point need not lie in an executable segment.
 *
 * Pure and portable: no allocation, no locks, any context; built into the
 * kernel and into host tests and fuzz targets.
 */
#ifndef KERN_ELF_LOAD_H
#define KERN_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <mach/kern_return.h>

/* At most this many PT_LOAD segments (static binaries have 2 to 5). */
#define ELF_SEGMENTS_MAX 16

/* One PT_LOAD segment, load bias applied. */
struct elf_segment {
	uint64_t es_vaddr;  /* where the file data goes (not page-aligned) */
	uint64_t es_memsz;  /* bytes of memory, >= es_filesz */
	uint64_t es_filesz; /* bytes copied from the image; the rest is zero */
	uint64_t es_offset; /* where the data starts in the image */
	unsigned es_prot;   /* VM_PROT_* bits from p_flags */
};

struct elf_image {
	uint64_t ei_entry;                            /* entry point, load bias applied */
	uint16_t ei_type;                             /* ET_EXEC or ET_DYN */
	unsigned ei_nsegs;                            /* PT_LOAD segments with p_memsz > 0 */
	struct elf_segment ei_segs[ELF_SEGMENTS_MAX]; /* in program header order */
};

/*
 * Checks the image [image, image + size) and describes it in *out. bias
 * is added to every address of an ET_DYN image (it must be page-aligned);
 * it is ignored for ET_EXEC. Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT
 * with *reason set to a short static string for the log ("bad magic",
 * "not ELF64", "not x86_64", "segment outside the user half",
 * "overlapping segments", "file size larger than memory size",
 * "truncated", "no loadable segment", ...). reason may be NULL.
 */
kern_return_t elf_check(const void *image, size_t size, uint64_t bias, struct elf_image *out,
                        const char **reason);

/*
 * How elf_load() puts a segment in place. map() must give zero-filled
 * memory: the bss (es_memsz beyond es_filesz) is never written by
 * elf_load(), and neither is the rest of a segment's first and last page.
 */
struct elf_load_ops {
	void *ctx;
	/* Maps [start, start + len), both page-aligned, with prot (VM_PROT_*). */
	kern_return_t (*map)(void *ctx, uint64_t start, uint64_t len, unsigned prot);
	/* Copies len bytes from src to vaddr in the memory map() gave. */
	kern_return_t (*copy)(void *ctx, uint64_t vaddr, const void *src, uint64_t len);
};

/*
 * Checks the image as elf_check() does (filling *out and *reason), then
 * for each segment in order: map() its page-rounded range with its
 * protection, then copy() its file data (skipped when es_filesz is 0).
 * Stops at the first callback error and returns it (*reason then names
 * the step: "map failed" or "copy failed"); what was mapped stays mapped,
 * for the caller to tear down with the task. Returns KERN_SUCCESS,
 * KERN_INVALID_ARGUMENT for a refused image, or the callback's error.
 */
kern_return_t elf_load(const void *image, size_t size, uint64_t bias,
                       const struct elf_load_ops *ops, struct elf_image *out, const char **reason);

#endif
