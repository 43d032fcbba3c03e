// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding the vDSO and its symbols (user/libc/include/vdso.h). */
#include <start.h>
#include <string.h>
#include <vdso.h>

/* The few ELF64 structures it reads (the System V ABI's; no <elf.h> here). */
typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;
typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;
typedef struct {
	int64_t d_tag;
	union {
		uint64_t d_val;
	} d_un;
} Elf64_Dyn;
typedef struct {
	uint32_t st_name;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} Elf64_Sym;
typedef struct {
	uint16_t vd_version, vd_flags, vd_ndx, vd_cnt;
	uint32_t vd_hash, vd_aux, vd_next;
} Elf64_Verdef;
typedef struct {
	uint32_t vda_name, vda_next;
} Elf64_Verdaux;
#define ELFMAG "\177ELF"
#define SELFMAG 4
#define ET_DYN 3
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_VERSYM 0x6ffffff0
#define DT_VERDEF 0x6ffffffc
#define SHN_UNDEF 0
#define STT_FUNC 2
#define ELF64_ST_TYPE(i) ((i)&0xf)
#define VER_FLG_BASE 1

uint64_t
auxv_get(uint64_t key)
{
	char **e = environ;
	const uint64_t *a;

	while (*e)
		e++;
	/*
	 * GNU Mach puts the strings right after envp's NULL: a key that is no
	 * small number, or a pair past the top of the user half, means there
	 * is no aux vector.
	 */
	for (a = (const uint64_t *)(e + 1);
	     (uint64_t)(a + 2) <= 0x800000000000ul && a[0] != AT_NULL && a[0] < 256; a += 2)
		if (a[0] == key)
			return a[1];
	return 0;
}

/* The dynamic section's entry of tag, or 0. */
static uint64_t
dyn_get(const Elf64_Dyn *d, int64_t tag)
{
	for (; d->d_tag != DT_NULL; d++)
		if (d->d_tag == tag)
			return d->d_un.d_val;
	return 0;
}

/* The name of version index ndx in the version definitions, or NULL. */
static const char *
version_name(uint64_t base, const Elf64_Verdef *vd, const char *strtab, unsigned ndx)
{
	for (;;) {
		if ((vd->vd_ndx & 0x7fff) == ndx && !(vd->vd_flags & VER_FLG_BASE)) {
			const Elf64_Verdaux *aux = (const void *)((const char *)vd + vd->vd_aux);
			return strtab + aux->vda_name;
		}
		if (!vd->vd_next)
			return NULL;
		vd = (const void *)((const char *)vd + vd->vd_next);
	}
	(void)base;
}

void *
vdso_sym(uint64_t base, const char *name, const char *version)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *sym;
	const uint32_t *hash;
	const uint16_t *versym;
	const Elf64_Verdef *verdef;
	const char *strtab;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_DYN)
		return NULL;
	ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(base + ph[i].p_vaddr);
	if (!dyn)
		return NULL;
	/* Linked at 0: every address in the image is an offset from base. */
	hash = (const uint32_t *)(base + dyn_get(dyn, DT_HASH));
	sym = (const Elf64_Sym *)(base + dyn_get(dyn, DT_SYMTAB));
	strtab = (const char *)(base + dyn_get(dyn, DT_STRTAB));
	versym = dyn_get(dyn, DT_VERSYM) ? (const uint16_t *)(base + dyn_get(dyn, DT_VERSYM)) : NULL;
	verdef = dyn_get(dyn, DT_VERDEF) ? (const Elf64_Verdef *)(base + dyn_get(dyn, DT_VERDEF))
	                                 : NULL;
	if (!dyn_get(dyn, DT_HASH))
		return NULL;
	/* DT_HASH: nbucket, nchain; its nchain is the symbol count. */
	for (uint32_t i = 1; i < hash[1]; i++) {
		const char *vn;
		if (sym[i].st_shndx == SHN_UNDEF || strcmp(strtab + sym[i].st_name, name))
			continue;
		if (ELF64_ST_TYPE(sym[i].st_info) != STT_FUNC)
			continue;
		if (version) {
			if (!versym || !verdef)
				continue;
			vn = version_name(base, verdef, strtab, versym[i] & 0x7fff);
			if (!vn || strcmp(vn, version))
				continue;
		}
		return (void *)(base + sym[i].st_value);
	}
	return NULL;
}
