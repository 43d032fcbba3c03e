// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot modules as ELF-64 images (kern/elf_load.h): every field of the
 * untrusted image is checked, with explicit overflow checks, before
 * anything is mapped. Headers are copied out with memcpy because a
 * Multiboot module need not be aligned.
 */
#include <stdbool.h>

#include <mach/vm_prot.h>

#include "kern/elf64.h"
#include "kern/elf_load.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define PAGE_MASK_LOW ((uint64_t)PAGE_SIZE - 1)

static uint64_t
page_trunc(uint64_t a)
{
	return a & ~PAGE_MASK_LOW;
}

/* Only called on addresses at most USER_SPACE_END, so it cannot wrap. */
static uint64_t
page_round(uint64_t a)
{
	return (a + PAGE_MASK_LOW) & ~PAGE_MASK_LOW;
}

static kern_return_t
refuse(const char **reason, const char *why)
{
	if (reason)
		*reason = why;
	return KERN_INVALID_ARGUMENT;
}

/* The file header's identification and type; NULL when acceptable. */
static const char *
check_ehdr(const struct elf64_ehdr *eh, size_t size)
{
	const uint8_t *id = eh->e_ident;

	if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 || id[EI_MAG2] != ELFMAG2 ||
	    id[EI_MAG3] != ELFMAG3)
		return "bad magic";
	if (id[EI_CLASS] != ELFCLASS64)
		return "not ELF64";
	if (id[EI_DATA] != ELFDATA2LSB)
		return "not little endian";
	if (id[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "bad ELF version";
	if (eh->e_machine != EM_X86_64)
		return "not x86_64";
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return "not an executable (ET_EXEC or ET_DYN)";
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return "bad program header size";
	if (eh->e_phnum == 0)
		return "no loadable segment";
	if (eh->e_phnum == PN_XNUM)
		return "too many program headers";
	/* e_phnum < 2^16 and the entry size is 56, so the product cannot wrap. */
	uint64_t table = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (eh->e_phoff > size || table > size - eh->e_phoff)
		return "program headers outside the file";
	return NULL;
}

static unsigned
prot_of(uint32_t flags)
{
	unsigned prot = VM_PROT_NONE;

	if (flags & PF_R)
		prot |= VM_PROT_READ;
	if (flags & PF_W)
		prot |= VM_PROT_WRITE;
	if (flags & PF_X)
		prot |= VM_PROT_EXECUTE;
	return prot;
}

/* One PT_LOAD header, bias applied, into *seg; NULL when acceptable. */
static const char *
check_load(const struct elf64_phdr *ph, size_t size, uint64_t bias, struct elf_segment *seg)
{
	if (ph->p_filesz > ph->p_memsz)
		return "file size larger than memory size";
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return "truncated";
	if ((ph->p_vaddr & PAGE_MASK_LOW) != (ph->p_offset & PAGE_MASK_LOW))
		return "segment vaddr and offset differ modulo the page size";
	if (ph->p_vaddr > UINT64_MAX - bias)
		return "segment outside the user half";
	uint64_t vaddr = ph->p_vaddr + bias;
	if (vaddr >= USER_SPACE_END || ph->p_memsz > USER_SPACE_END - vaddr)
		return "segment outside the user half";
	seg->es_vaddr = vaddr;
	seg->es_memsz = ph->p_memsz;
	seg->es_filesz = ph->p_filesz;
	seg->es_offset = ph->p_offset;
	seg->es_prot = prot_of(ph->p_flags);
	return NULL;
}

static bool
pages_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	uint64_t a0 = page_trunc(a->es_vaddr), a1 = page_round(a->es_vaddr + a->es_memsz);
	uint64_t b0 = page_trunc(b->es_vaddr), b1 = page_round(b->es_vaddr + b->es_memsz);

	return a0 < b1 && b0 < a1;
}

/* Walks the program headers, filling out->ei_segs; NULL when acceptable. */
static const char *
collect_segments(const uint8_t *img, size_t size, const struct elf64_ehdr *eh, uint64_t bias,
                 struct elf_image *out)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		struct elf64_phdr ph;
		const char *why;

		memcpy(&ph, img + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		/* A PT_LOAD of no memory maps nothing; its fields still must hold. */
		if (ph.p_type != PT_LOAD)
			continue;
		struct elf_segment seg;
		why = check_load(&ph, size, bias, &seg);
		if (why)
			return why;
		if (seg.es_memsz == 0)
			continue;
		if (out->ei_nsegs == ELF_SEGMENTS_MAX)
			return "too many loadable segments";
		for (unsigned j = 0; j < out->ei_nsegs; j++)
			if (pages_overlap(&seg, &out->ei_segs[j]))
				return "overlapping segments";
		out->ei_segs[out->ei_nsegs++] = seg;
	}
	if (out->ei_nsegs == 0)
		return "no loadable segment";
	return NULL;
}

kern_return_t
elf_check(const void *image, size_t size, uint64_t bias, struct elf_image *out, const char **reason)
{
	struct elf64_ehdr eh;
	const char *why;

	if (!out)
		return refuse(reason, "no output");
	memset(out, 0, sizeof(*out));
	if (!image || size < sizeof(eh))
		return refuse(reason, "truncated");
	memcpy(&eh, image, sizeof(eh));
	why = check_ehdr(&eh, size);
	if (why)
		return refuse(reason, why);
	if (eh.e_type == ET_EXEC)
		bias = 0;
	else if (bias & PAGE_MASK_LOW)
		return refuse(reason, "load bias not page-aligned");
	why = collect_segments(image, size, &eh, bias, out);
	if (why)
		return refuse(reason, why);
	if (eh.e_entry > UINT64_MAX - bias || eh.e_entry + bias >= USER_SPACE_END)
		return refuse(reason, "entry point in the kernel half");
	out->ei_entry = eh.e_entry + bias;
	out->ei_type = eh.e_type;
	return KERN_SUCCESS;
}

kern_return_t
elf_load(const void *image, size_t size, uint64_t bias, const struct elf_load_ops *ops,
         struct elf_image *out, const char **reason)
{
	kern_return_t kr;

	if (!ops || !ops->map || !ops->copy)
		return refuse(reason, "no callbacks");
	kr = elf_check(image, size, bias, out, reason);
	if (kr != KERN_SUCCESS)
		return kr;
	for (unsigned i = 0; i < out->ei_nsegs; i++) {
		const struct elf_segment *s = &out->ei_segs[i];
		uint64_t start = page_trunc(s->es_vaddr);
		uint64_t end = page_round(s->es_vaddr + s->es_memsz);

		kr = ops->map(ops->ctx, start, end - start, s->es_prot);
		if (kr != KERN_SUCCESS) {
			if (reason)
				*reason = "map failed";
			return kr;
		}
		if (s->es_filesz == 0)
			continue;
		kr = ops->copy(ops->ctx, s->es_vaddr, (const uint8_t *)image + s->es_offset,
		               s->es_filesz);
		if (kr != KERN_SUCCESS) {
			if (reason)
				*reason = "copy failed";
			return kr;
		}
	}
	return KERN_SUCCESS;
}
