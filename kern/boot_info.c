// SPDX-License-Identifier: GPL-2.0-or-later
/* Multiboot 1 information parsing (Multiboot specification 0.6.96, section 3.3). */
#include "kern/boot_info.h"

#include "kern/log.h"

#include "kern/panic.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002
#define MBI_MEM (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
	uint32_t mod_start, mod_end, string, reserved;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

struct boot_info boot_info;

static void
parse_mmap(const struct mb_info *mbi)
{
	uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

	while (p + sizeof(struct mb_mmap_entry) <= end && boot_info.mem_count < BOOT_MEM_MAX) {
		const struct mb_mmap_entry *e = phys_to_virt(p);
		if (e->length) {
			struct boot_mem_range *r = &boot_info.mem[boot_info.mem_count++];
			r->start = e->base;
			r->end = e->base + e->length;
			r->type = e->type;
		}
		p += e->size + 4;
	}
}

static void
parse_modules(const struct mb_info *mbi)
{
	const struct mb_module *m = phys_to_virt(mbi->mods_addr);

	for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MODULES_MAX; i++) {
		struct boot_module *b = &boot_info.modules[boot_info.module_count++];
		b->start = m[i].mod_start;
		b->end = m[i].mod_end;
		if (m[i].string && strlcpy(b->cmdline, phys_to_virt(m[i].string),
		                           sizeof(b->cmdline)) >= sizeof(b->cmdline))
			log_warn("boot: module %u's command line is longer than %zu bytes: cut", i,
			         sizeof(b->cmdline) - 1);
	}
}

void
boot_info_parse(uint32_t magic, uint64_t info_phys)
{
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a Multiboot loader (magic %#x)", magic);
	const struct mb_info *mbi = phys_to_virt(info_phys);

	if ((mbi->flags & MBI_CMDLINE) && mbi->cmdline)
		strlcpy(boot_info.cmdline, phys_to_virt(mbi->cmdline), sizeof(boot_info.cmdline));
	if (mbi->flags & MBI_MODS)
		parse_modules(mbi);
	if (mbi->flags & MBI_MMAP)
		parse_mmap(mbi);
	if (!boot_info.mem_count && (mbi->flags & MBI_MEM)) {
		/* No map: the basic lower/upper memory fields (KiB). */
		boot_info.mem[0] =
		    (struct boot_mem_range){0, mbi->mem_lower * 1024ULL, BOOT_MEM_RAM};
		boot_info.mem[1] = (struct boot_mem_range){
		    0x100000, 0x100000 + mbi->mem_upper * 1024ULL, BOOT_MEM_RAM};
		boot_info.mem_count = 2;
	}
	if (!boot_info.mem_count)
		panic("the boot loader gave no memory map");
}
