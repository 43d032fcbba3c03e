// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the ELF-64 boot module checker and loader
 * (kern/elf_load.c). Crafted images: a good ET_EXEC and ET_DYN (with and
 * without a load bias), every refusal kern/elf_load.h lists (each image
 * good but for one field, so the refusal is that field's), the segment
 * types that must be ignored, and the segment limit. Real programs built
 * by the host's gcc at build time (glibc, -static and -static-pie) must be
 * accepted with the layout their own headers give. elf_load() over a
 * simulated address space: segments mapped page-rounded with their own
 * protection, file data copied, the bss left to map() (which here fills
 * with a pattern, to show that elf_load() never writes it), and a
 * callback error stopping the load. Images are allocated at their exact
 * size, so ASan catches any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mach/vm_prot.h>

#include "kern/elf64.h"
#include "kern/elf_load.h"
#include "x86_64/layout.h"

extern const uint8_t elf_fixture_exec[], elf_fixture_exec_end[];
extern const uint8_t elf_fixture_dyn[], elf_fixture_dyn_end[];

#define IMG_SIZE 0x3000
#define TEXT_VADDR 0x400000
#define DATA_VADDR 0x402100 /* offset 0x2100: same page offset */

/* --- Crafted images. --- */

static uint8_t img[IMG_SIZE];

static struct elf64_ehdr *
ehdr(void)
{
	return (struct elf64_ehdr *)img;
}

static struct elf64_phdr *
phdr(unsigned i)
{
	return (struct elf64_phdr *)(img + sizeof(struct elf64_ehdr)) + i;
}

static void
set_load(unsigned i, uint64_t vaddr, uint64_t off, uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	struct elf64_phdr *p = phdr(i);

	memset(p, 0, sizeof(*p));
	p->p_type = PT_LOAD;
	p->p_flags = flags;
	p->p_offset = off;
	p->p_vaddr = vaddr;
	p->p_paddr = vaddr;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_align = 0x1000;
}

/*
 * A good static executable: text R+X at TEXT_VADDR from offset 0 (headers
 * included, as linkers do), data R+W at DATA_VADDR with 0x80 bytes of file
 * data and a bss up to 0x3000 bytes. File bytes are a pattern.
 */
static void
build_exec(void)
{
	struct elf64_ehdr *e = ehdr();

	for (unsigned i = 0; i < IMG_SIZE; i++)
		img[i] = (uint8_t)(i * 7 + 1);
	memset(e, 0, sizeof(*e));
	e->e_ident[EI_MAG0] = ELFMAG0;
	e->e_ident[EI_MAG1] = ELFMAG1;
	e->e_ident[EI_MAG2] = ELFMAG2;
	e->e_ident[EI_MAG3] = ELFMAG3;
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = TEXT_VADDR + 0x200;
	e->e_phoff = sizeof(*e);
	e->e_ehsize = sizeof(*e);
	e->e_phentsize = sizeof(struct elf64_phdr);
	e->e_phnum = 2;
	set_load(0, TEXT_VADDR, 0, 0x1000, 0x1000, PF_R | PF_X);
	set_load(1, DATA_VADDR, 0x2100, 0x80, 0x3000, PF_R | PF_W);
}

/* The same program linked at 0 as ET_DYN. */
static void
build_dyn(void)
{
	build_exec();
	ehdr()->e_type = ET_DYN;
	ehdr()->e_entry = 0x200;
	phdr(0)->p_vaddr = 0;
	phdr(1)->p_vaddr = 0x2100;
}

/* elf_check() on a copy of img[0, size) allocated at exactly size bytes. */
static kern_return_t
check_sized(size_t size, uint64_t bias, struct elf_image *out, const char **why)
{
	uint8_t *copy = malloc(size ? size : 1);
	kern_return_t kr;

	assert_non_null(copy);
	memcpy(copy, img, size);
	kr = elf_check(copy, size, bias, out, why);
	free(copy);
	return kr;
}

static void
assert_refused(size_t size, uint64_t bias, const char *reason)
{
	struct elf_image out;
	const char *why = NULL;

	assert_int_equal(check_sized(size, bias, &out, &why), KERN_INVALID_ARGUMENT);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void
assert_accepted(void)
{
	struct elf_image out;
	const char *why = NULL;

	assert_int_equal(check_sized(IMG_SIZE, 0, &out, &why), KERN_SUCCESS);
}

/* --- Good images. --- */

static void
test_good_exec(void **state)
{
	struct elf_image out;
	const char *why = NULL;

	build_exec();
	assert_int_equal(check_sized(IMG_SIZE, 0x7000 /* ignored */, &out, &why), KERN_SUCCESS);
	assert_int_equal(out.ei_type, ET_EXEC);
	assert_int_equal(out.ei_entry, TEXT_VADDR + 0x200);
	assert_int_equal(out.ei_nsegs, 2);
	assert_int_equal(out.ei_segs[0].es_vaddr, TEXT_VADDR);
	assert_int_equal(out.ei_segs[0].es_memsz, 0x1000);
	assert_int_equal(out.ei_segs[0].es_filesz, 0x1000);
	assert_int_equal(out.ei_segs[0].es_offset, 0);
	assert_int_equal(out.ei_segs[0].es_prot, VM_PROT_READ | VM_PROT_EXECUTE);
	assert_int_equal(out.ei_segs[1].es_vaddr, DATA_VADDR);
	assert_int_equal(out.ei_segs[1].es_memsz, 0x3000);
	assert_int_equal(out.ei_segs[1].es_filesz, 0x80);
	assert_int_equal(out.ei_segs[1].es_offset, 0x2100);
	assert_int_equal(out.ei_segs[1].es_prot, VM_PROT_READ | VM_PROT_WRITE);
}

static void
test_good_dyn(void **state)
{
	struct elf_image out;
	const char *why = NULL;
	const uint64_t bias = 0x10000000;

	build_dyn();
	assert_int_equal(check_sized(IMG_SIZE, bias, &out, &why), KERN_SUCCESS);
	assert_int_equal(out.ei_type, ET_DYN);
	assert_int_equal(out.ei_entry, bias + 0x200);
	assert_int_equal(out.ei_nsegs, 2);
	assert_int_equal(out.ei_segs[0].es_vaddr, bias);
	assert_int_equal(out.ei_segs[1].es_vaddr, bias + 0x2100);
	assert_int_equal(out.ei_segs[1].es_offset, 0x2100);
	/* Without a bias it sits at 0, which is allowed (the caller chooses). */
	assert_int_equal(check_sized(IMG_SIZE, 0, &out, &why), KERN_SUCCESS);
	assert_int_equal(out.ei_segs[0].es_vaddr, 0);
	assert_int_equal(out.ei_entry, 0x200);
}

static void
test_all_prot_bits(void **state)
{
	static const struct {
		uint32_t flags;
		unsigned prot;
	} cases[] = {
	    {0, VM_PROT_NONE},
	    {PF_R, VM_PROT_READ},
	    {PF_W, VM_PROT_WRITE},
	    {PF_X, VM_PROT_EXECUTE},
	    {PF_R | PF_W | PF_X, VM_PROT_ALL},
	    {PF_R | 0xf0000000, VM_PROT_READ}, /* processor-specific bits */
	};
	struct elf_image out;
	const char *why;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build_exec();
		phdr(1)->p_flags = cases[i].flags;
		assert_int_equal(check_sized(IMG_SIZE, 0, &out, &why), KERN_SUCCESS);
		assert_int_equal(out.ei_segs[1].es_prot, cases[i].prot);
	}
}

/* Segments other than PT_LOAD are ignored, even with nonsense fields. */
static void
test_other_segments_ignored(void **state)
{
	static const uint32_t types[] = {
	    PT_NULL, PT_DYNAMIC,   PT_INTERP,    PT_NOTE,   PT_PHDR,
	    PT_TLS,  PT_GNU_STACK, PT_GNU_RELRO, 0x70000001 /* processor-specific */};
	struct elf_image out;
	const char *why;

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		build_exec();
		ehdr()->e_phnum = 3;
		set_load(2, UINT64_MAX - 5, UINT64_MAX - 3, 100, 1, PF_R);
		phdr(2)->p_type = types[i];
		assert_int_equal(check_sized(IMG_SIZE, 0, &out, &why), KERN_SUCCESS);
		assert_int_equal(out.ei_nsegs, 2);
	}
}

/* A PT_LOAD of no memory maps nothing and does not count. */
static void
test_empty_load_skipped(void **state)
{
	struct elf_image out;
	const char *why;

	build_exec();
	ehdr()->e_phnum = 3;
	set_load(2, TEXT_VADDR + 0x100, 0x100, 0, 0, PF_R); /* inside text's page */
	assert_int_equal(check_sized(IMG_SIZE, 0, &out, &why), KERN_SUCCESS);
	assert_int_equal(out.ei_nsegs, 2);
}

/* An entry outside every executable segment is allowed (ld.so's is fine). */
static void
test_entry_outside_segments(void **state)
{
	build_exec();
	ehdr()->e_entry = 0x123456789;
	assert_accepted();
	ehdr()->e_entry = USER_SPACE_END - 1;
	assert_accepted();
}

/* The page-size boundary: segments may touch but not share a page. */
static void
test_adjacent_pages(void **state)
{
	build_exec();
	/* Text ends exactly where data's first page begins. */
	phdr(1)->p_vaddr = TEXT_VADDR + 0x1100;
	phdr(1)->p_offset = 0x1100;
	assert_accepted();
	/* Text's last byte shares data's first page. */
	phdr(0)->p_memsz = 0x1001;
	assert_refused(IMG_SIZE, 0, "overlapping segments");
}

/* Up to the last byte of the user half, and not one byte more. */
static void
test_user_half_edge(void **state)
{
	build_exec();
	phdr(1)->p_vaddr = USER_SPACE_END - 0x3000 + 0x100;
	phdr(1)->p_memsz = 0x2f00;
	assert_accepted();
	phdr(1)->p_memsz = 0x2f01;
	assert_refused(IMG_SIZE, 0, "segment outside the user half");
}

static void
test_too_many_segments(void **state)
{
	uint8_t *big;
	const unsigned n = ELF_SEGMENTS_MAX + 1;
	size_t size = sizeof(struct elf64_ehdr) + n * sizeof(struct elf64_phdr);
	struct elf_image out;
	const char *why = NULL;

	build_exec();
	ehdr()->e_phnum = (uint16_t)n;
	for (unsigned i = 0; i < n; i++)
		set_load(i, TEXT_VADDR + i * 0x1000, 0, 0, 0x10, PF_R);
	big = malloc(size);
	assert_non_null(big);
	memcpy(big, img, size);
	assert_int_equal(elf_check(big, size, 0, &out, &why), KERN_INVALID_ARGUMENT);
	assert_string_equal(why, "too many loadable segments");
	/* Exactly the maximum is fine. */
	((struct elf64_ehdr *)big)->e_phnum = ELF_SEGMENTS_MAX;
	assert_int_equal(elf_check(big, size, 0, &out, &why), KERN_SUCCESS);
	assert_int_equal(out.ei_nsegs, ELF_SEGMENTS_MAX);
	free(big);
}

/* --- Refusals: a good image with one thing wrong. --- */

static void
test_refuse_header(void **state)
{
	build_exec();
	img[EI_MAG0] = 0x7e;
	assert_refused(IMG_SIZE, 0, "bad magic");
	build_exec();
	img[EI_MAG3] = 'G';
	assert_refused(IMG_SIZE, 0, "bad magic");
	build_exec();
	img[EI_CLASS] = 1; /* ELFCLASS32 */
	assert_refused(IMG_SIZE, 0, "not ELF64");
	build_exec();
	img[EI_DATA] = 2; /* ELFDATA2MSB */
	assert_refused(IMG_SIZE, 0, "not little endian");
	build_exec();
	img[EI_VERSION] = 2;
	assert_refused(IMG_SIZE, 0, "bad ELF version");
	build_exec();
	ehdr()->e_version = 0;
	assert_refused(IMG_SIZE, 0, "bad ELF version");
	build_exec();
	ehdr()->e_machine = 3; /* EM_386 */
	assert_refused(IMG_SIZE, 0, "not x86_64");
	build_exec();
	ehdr()->e_type = 1; /* ET_REL */
	assert_refused(IMG_SIZE, 0, "not an executable (ET_EXEC or ET_DYN)");
	build_exec();
	ehdr()->e_type = 4; /* ET_CORE */
	assert_refused(IMG_SIZE, 0, "not an executable (ET_EXEC or ET_DYN)");
	build_exec();
	ehdr()->e_phentsize = 32;
	assert_refused(IMG_SIZE, 0, "bad program header size");
	build_exec();
	ehdr()->e_phnum = 0;
	assert_refused(IMG_SIZE, 0, "no loadable segment");
	build_exec();
	ehdr()->e_phnum = PN_XNUM;
	assert_refused(IMG_SIZE, 0, "too many program headers");
}

static void
test_refuse_truncated(void **state)
{
	struct elf_image out;
	const char *why = NULL;

	build_exec();
	assert_refused(sizeof(struct elf64_ehdr) - 1, 0, "truncated");
	assert_refused(0, 0, "truncated");
	assert_int_equal(elf_check(NULL, 100, 0, &out, &why), KERN_INVALID_ARGUMENT);
	assert_string_equal(why, "truncated");
	/* Program headers cut by the end of the image. */
	assert_refused(sizeof(struct elf64_ehdr) + sizeof(struct elf64_phdr) + 10, 0,
	               "program headers outside the file");
	build_exec();
	ehdr()->e_phoff = IMG_SIZE + 8;
	assert_refused(IMG_SIZE, 0, "program headers outside the file");
	build_exec();
	ehdr()->e_phoff = UINT64_MAX - 16; /* phoff + table wraps */
	assert_refused(IMG_SIZE, 0, "program headers outside the file");
	/* Segment data past the end, or offset + size wrapping. */
	build_exec();
	phdr(1)->p_filesz = IMG_SIZE - 0x2100 + 1;
	assert_refused(IMG_SIZE, 0, "truncated");
	build_exec();
	phdr(1)->p_filesz = IMG_SIZE - 0x2100; /* up to the last byte: fine */
	assert_accepted();
	build_exec();
	phdr(1)->p_offset = UINT64_MAX - 0xf00 + 0x100; /* same page offset, wraps */
	assert_refused(IMG_SIZE, 0, "truncated");
	build_exec();
	phdr(1)->p_offset = IMG_SIZE + 0x100;
	phdr(1)->p_filesz = 0;
	assert_refused(IMG_SIZE, 0, "truncated");
}

static void
test_refuse_segments(void **state)
{
	build_exec();
	phdr(1)->p_filesz = phdr(1)->p_memsz + 1;
	assert_refused(IMG_SIZE, 0, "file size larger than memory size");
	build_exec();
	phdr(1)->p_vaddr = DATA_VADDR + 8; /* offset stays 0x2100 */
	assert_refused(IMG_SIZE, 0, "segment vaddr and offset differ modulo the page size");
	build_exec();
	phdr(1)->p_vaddr = 0xffffffff80002100; /* the kernel image */
	assert_refused(IMG_SIZE, 0, "segment outside the user half");
	build_exec();
	phdr(1)->p_vaddr = USER_SPACE_END + 0x100;
	assert_refused(IMG_SIZE, 0, "segment outside the user half");
	build_exec();
	phdr(1)->p_vaddr = 0xfffffffffffff100; /* vaddr + memsz wraps past 0 */
	assert_refused(IMG_SIZE, 0, "segment outside the user half");
	build_exec();
	phdr(1)->p_memsz = UINT64_MAX; /* huge memsz wraps */
	assert_refused(IMG_SIZE, 0, "segment outside the user half");
	build_exec();
	phdr(1)->p_vaddr = TEXT_VADDR + 0x100; /* data inside text's page */
	phdr(1)->p_offset = 0x100;
	assert_refused(IMG_SIZE, 0, "overlapping segments");
	build_exec();
	phdr(1)->p_vaddr = TEXT_VADDR + 0x800; /* a small segment inside text's page */
	phdr(1)->p_offset = 0x800;
	phdr(1)->p_filesz = phdr(1)->p_memsz = 0x10;
	assert_refused(IMG_SIZE, 0, "overlapping segments");
	build_exec();
	phdr(1)->p_vaddr = TEXT_VADDR - 0x1000 + 0x100; /* bss runs into text */
	phdr(1)->p_offset = 0x2100;
	assert_refused(IMG_SIZE, 0, "overlapping segments");
	build_exec();
	ehdr()->e_phnum = 1;
	phdr(0)->p_type = PT_NOTE;
	assert_refused(IMG_SIZE, 0, "no loadable segment");
	build_exec();
	phdr(0)->p_memsz = 0;
	phdr(0)->p_filesz = 0;
	phdr(1)->p_memsz = 0;
	phdr(1)->p_filesz = 0;
	assert_refused(IMG_SIZE, 0, "no loadable segment");
}

static void
test_refuse_entry(void **state)
{
	build_exec();
	ehdr()->e_entry = USER_SPACE_END;
	assert_refused(IMG_SIZE, 0, "entry point in the kernel half");
	build_exec();
	ehdr()->e_entry = 0xffffffff80001000;
	assert_refused(IMG_SIZE, 0, "entry point in the kernel half");
	/* ET_DYN: an entry beyond the user half even without a bias. */
	build_dyn();
	ehdr()->e_entry = USER_SPACE_END + 0x200;
	assert_refused(IMG_SIZE, 0, "entry point in the kernel half");
	/* An entry that wraps with the bias. */
	build_dyn();
	ehdr()->e_entry = UINT64_MAX - 0x100;
	assert_refused(IMG_SIZE, 0x1000, "entry point in the kernel half");
}

static void
test_refuse_bias(void **state)
{
	build_dyn();
	assert_refused(IMG_SIZE, 0x1234, "load bias not page-aligned");
	build_dyn();
	assert_refused(IMG_SIZE, USER_SPACE_END, "segment outside the user half");
	build_dyn();
	assert_refused(IMG_SIZE, UINT64_MAX & ~(uint64_t)0xfff, "segment outside the user half");
	build_dyn();
	/* vaddr + bias wraps back into the user half. */
	phdr(0)->p_vaddr = 0x10000;
	phdr(1)->p_vaddr = 0x12100;
	ehdr()->e_entry = 0x10200;
	assert_refused(IMG_SIZE, (uint64_t)0 - 0x8000, "segment outside the user half");
	build_dyn();
	/* Segments fit below the top, the entry is pushed beyond it. */
	ehdr()->e_entry = 0x6000;
	assert_accepted(); /* at bias 0 */
	assert_refused(IMG_SIZE, USER_SPACE_END - 0x6000, "entry point in the kernel half");
}

/* --- Real programs from the host toolchain. --- */

/* Reads the program headers of a trusted fixture the test's own way. */
static unsigned
fixture_loads(const uint8_t *f, struct elf64_phdr *loads, unsigned max)
{
	struct elf64_ehdr e;
	unsigned n = 0;

	memcpy(&e, f, sizeof(e));
	for (unsigned i = 0; i < e.e_phnum && n < max; i++) {
		struct elf64_phdr p;
		memcpy(&p, f + e.e_phoff + i * sizeof(p), sizeof(p));
		if (p.p_type == PT_LOAD && p.p_memsz)
			loads[n++] = p;
	}
	return n;
}

static void
check_fixture(const uint8_t *start, const uint8_t *end, uint16_t type, uint64_t bias)
{
	size_t size = (size_t)(end - start);
	uint8_t *copy = malloc(size);
	struct elf64_phdr loads[ELF_SEGMENTS_MAX];
	struct elf64_ehdr e;
	struct elf_image out;
	const char *why = NULL;
	unsigned n;
	bool saw_bss = false, saw_exec = false;

	assert_non_null(copy);
	memcpy(copy, start, size);
	memcpy(&e, copy, sizeof(e));
	n = fixture_loads(copy, loads, ELF_SEGMENTS_MAX);
	assert_true(n >= 2);
	assert_int_equal(elf_check(copy, size, bias, &out, &why), KERN_SUCCESS);
	assert_int_equal(out.ei_type, type);
	assert_int_equal(out.ei_entry, e.e_entry + bias);
	assert_int_equal(out.ei_nsegs, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(out.ei_segs[i].es_vaddr, loads[i].p_vaddr + bias);
		assert_int_equal(out.ei_segs[i].es_memsz, loads[i].p_memsz);
		assert_int_equal(out.ei_segs[i].es_filesz, loads[i].p_filesz);
		assert_int_equal(out.ei_segs[i].es_offset, loads[i].p_offset);
		saw_bss |= loads[i].p_memsz > loads[i].p_filesz;
		saw_exec |= (out.ei_segs[i].es_prot & VM_PROT_EXECUTE) != 0;
	}
	assert_true(saw_bss);
	assert_true(saw_exec);
	/* Cut anywhere inside its loaded data, it is refused. */
	assert_int_equal(elf_check(copy, loads[n - 1].p_offset + 1, bias, &out, &why),
	                 KERN_INVALID_ARGUMENT);
	free(copy);
}

static void
test_real_exec(void **state)
{
	check_fixture(elf_fixture_exec, elf_fixture_exec_end, ET_EXEC, 0);
}

static void
test_real_dyn(void **state)
{
	check_fixture(elf_fixture_dyn, elf_fixture_dyn_end, ET_DYN, 0x7f0000000000);
}

/* --- elf_load() over a simulated address space. --- */

#define SIM_MAPS 32
#define BSS_FILL 0xa5 /* what the test's map() puts in fresh memory */

struct sim_map {
	uint64_t start, len;
	unsigned prot;
	uint8_t *mem;
};

struct sim {
	struct sim_map maps[SIM_MAPS];
	unsigned nmaps, ncopies;
	int fail_map_at, fail_copy_at; /* call number that fails, or -1 */
};

static kern_return_t
sim_map(void *ctx, uint64_t start, uint64_t len, unsigned prot)
{
	struct sim *s = ctx;

	if ((int)s->nmaps == s->fail_map_at)
		return KERN_RESOURCE_SHORTAGE;
	assert_true(s->nmaps < SIM_MAPS);
	assert_int_equal(start % 0x1000, 0);
	assert_int_equal(len % 0x1000, 0);
	assert_true(len > 0);
	for (unsigned i = 0; i < s->nmaps; i++)
		assert_true(start + len <= s->maps[i].start ||
		            s->maps[i].start + s->maps[i].len <= start);
	struct sim_map *m = &s->maps[s->nmaps++];
	m->start = start;
	m->len = len;
	m->prot = prot;
	m->mem = malloc(len);
	assert_non_null(m->mem);
	/* Not zero on purpose: elf_load() must not depend on it or write it. */
	memset(m->mem, BSS_FILL, len);
	return KERN_SUCCESS;
}

static uint8_t *
sim_find(struct sim *s, uint64_t va, uint64_t len)
{
	for (unsigned i = 0; i < s->nmaps; i++) {
		struct sim_map *m = &s->maps[i];
		if (va >= m->start && len <= m->len && va - m->start <= m->len - len)
			return m->mem + (va - m->start);
	}
	return NULL;
}

static kern_return_t
sim_copy(void *ctx, uint64_t vaddr, const void *src, uint64_t len)
{
	struct sim *s = ctx;
	uint8_t *dst;

	if ((int)s->ncopies == s->fail_copy_at)
		return KERN_INVALID_ADDRESS;
	s->ncopies++;
	dst = sim_find(s, vaddr, len);
	assert_non_null(dst); /* copies only into what was mapped */
	memcpy(dst, src, len);
	return KERN_SUCCESS;
}

static void
sim_init(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	s->fail_map_at = -1;
	s->fail_copy_at = -1;
}

static void
sim_free(struct sim *s)
{
	for (unsigned i = 0; i < s->nmaps; i++)
		free(s->maps[i].mem);
}

/* Every segment's file bytes are in place and the rest is untouched. */
static void
assert_loaded(struct sim *s, const uint8_t *image, const struct elf_image *out)
{
	for (unsigned i = 0; i < out->ei_nsegs; i++) {
		const struct elf_segment *g = &out->ei_segs[i];
		uint8_t *m = sim_find(s, g->es_vaddr, g->es_memsz);

		assert_non_null(m);
		assert_memory_equal(m, image + g->es_offset, g->es_filesz);
		for (uint64_t b = g->es_filesz; b < g->es_memsz; b++)
			assert_int_equal(m[b], BSS_FILL);
	}
}

static void
test_load_crafted(void **state)
{
	struct sim s;
	struct elf_load_ops ops;
	struct elf_image out;
	const char *why = NULL;

	build_exec();
	sim_init(&s);
	ops = (struct elf_load_ops){&s, sim_map, sim_copy};
	assert_int_equal(elf_load(img, IMG_SIZE, 0, &ops, &out, &why), KERN_SUCCESS);
	assert_int_equal(s.nmaps, 2);
	assert_int_equal(s.ncopies, 2);
	assert_int_equal(s.maps[0].start, TEXT_VADDR);
	assert_int_equal(s.maps[0].len, 0x1000);
	assert_int_equal(s.maps[0].prot, VM_PROT_READ | VM_PROT_EXECUTE);
	assert_int_equal(s.maps[1].start, 0x402000);
	assert_int_equal(s.maps[1].len, 0x4000); /* 0x402100 + 0x3000, page-rounded */
	assert_int_equal(s.maps[1].prot, VM_PROT_READ | VM_PROT_WRITE);
	assert_loaded(&s, img, &out);
	/* The bytes before the data in its first page are not written either. */
	assert_int_equal(s.maps[1].mem[0], BSS_FILL);
	assert_int_equal(s.maps[1].mem[0xff], BSS_FILL);
	sim_free(&s);
}

/* A segment with no file data is mapped and never copied. */
static void
test_load_bss_only(void **state)
{
	struct sim s;
	struct elf_load_ops ops;
	struct elf_image out;
	const char *why;

	build_exec();
	phdr(1)->p_filesz = 0;
	sim_init(&s);
	ops = (struct elf_load_ops){&s, sim_map, sim_copy};
	assert_int_equal(elf_load(img, IMG_SIZE, 0, &ops, &out, &why), KERN_SUCCESS);
	assert_int_equal(s.nmaps, 2);
	assert_int_equal(s.ncopies, 1);
	assert_loaded(&s, img, &out);
	sim_free(&s);
}

static void
test_load_stops_at_error(void **state)
{
	struct sim s;
	struct elf_load_ops ops;
	struct elf_image out;
	const char *why = NULL;

	build_exec();
	sim_init(&s);
	s.fail_map_at = 1;
	ops = (struct elf_load_ops){&s, sim_map, sim_copy};
	assert_int_equal(elf_load(img, IMG_SIZE, 0, &ops, &out, &why), KERN_RESOURCE_SHORTAGE);
	assert_string_equal(why, "map failed");
	assert_int_equal(s.nmaps, 1);
	assert_int_equal(s.ncopies, 1);
	sim_free(&s);

	sim_init(&s);
	s.fail_copy_at = 0;
	assert_int_equal(elf_load(img, IMG_SIZE, 0, &ops, &out, &why), KERN_INVALID_ADDRESS);
	assert_string_equal(why, "copy failed");
	assert_int_equal(s.nmaps, 1); /* the second segment was not mapped */
	sim_free(&s);

	/* A refused image maps nothing. */
	sim_init(&s);
	img[EI_CLASS] = 1;
	assert_int_equal(elf_load(img, IMG_SIZE, 0, &ops, &out, &why), KERN_INVALID_ARGUMENT);
	assert_string_equal(why, "not ELF64");
	assert_int_equal(s.nmaps, 0);
	sim_free(&s);

	ops.copy = NULL;
	assert_int_equal(elf_load(img, IMG_SIZE, 0, &ops, &out, &why), KERN_INVALID_ARGUMENT);
}

static void
load_fixture(const uint8_t *start, const uint8_t *end, uint64_t bias)
{
	size_t size = (size_t)(end - start);
	uint8_t *copy = malloc(size);
	struct sim s;
	struct elf_load_ops ops = {&s, sim_map, sim_copy};
	struct elf_image out;
	const char *why = NULL;

	assert_non_null(copy);
	memcpy(copy, start, size);
	sim_init(&s);
	assert_int_equal(elf_load(copy, size, bias, &ops, &out, &why), KERN_SUCCESS);
	assert_int_equal(s.nmaps, out.ei_nsegs);
	for (unsigned i = 0; i < out.ei_nsegs; i++)
		assert_int_equal(s.maps[i].prot, out.ei_segs[i].es_prot);
	assert_loaded(&s, copy, &out);
	sim_free(&s);
	free(copy);
}

static void
test_load_real(void **state)
{
	load_fixture(elf_fixture_exec, elf_fixture_exec_end, 0);
	load_fixture(elf_fixture_dyn, elf_fixture_dyn_end, 0x555555554000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_exec),
	    cmocka_unit_test(test_good_dyn),
	    cmocka_unit_test(test_all_prot_bits),
	    cmocka_unit_test(test_other_segments_ignored),
	    cmocka_unit_test(test_empty_load_skipped),
	    cmocka_unit_test(test_entry_outside_segments),
	    cmocka_unit_test(test_adjacent_pages),
	    cmocka_unit_test(test_user_half_edge),
	    cmocka_unit_test(test_too_many_segments),
	    cmocka_unit_test(test_refuse_header),
	    cmocka_unit_test(test_refuse_truncated),
	    cmocka_unit_test(test_refuse_segments),
	    cmocka_unit_test(test_refuse_entry),
	    cmocka_unit_test(test_refuse_bias),
	    cmocka_unit_test(test_real_exec),
	    cmocka_unit_test(test_real_dyn),
	    cmocka_unit_test(test_load_crafted),
	    cmocka_unit_test(test_load_bss_only),
	    cmocka_unit_test(test_load_stops_at_error),
	    cmocka_unit_test(test_load_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
