/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the boot loader told us (Multiboot 1), copied into kernel memory at
 * the start so nothing depends on the loader's memory afterwards.
 */
#ifndef KERN_BOOT_INFO_H
#define KERN_BOOT_INFO_H

#include <stdint.h>

#define BOOT_MEM_MAX 64
#define BOOT_MODULES_MAX 16
#define BOOT_CMDLINE_MAX 512
/* A module line is a boot-script line: up to BOOT_SCRIPT_LINE_MAX (1024) bytes. */
#define BOOT_MODULE_CMDLINE_MAX 1025

enum boot_mem_type {
	BOOT_MEM_RAM = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
	uint64_t start, end; /* [start, end) */
	uint32_t type;
};

struct boot_module {
	uint64_t start, end;
	char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_range mem[BOOT_MEM_MAX];
	unsigned mem_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	unsigned module_count;
};

extern struct boot_info boot_info;

/* Reads the Multiboot information at info_phys (below 1 GiB, in the boot direct map). */
void boot_info_parse(uint32_t magic, uint64_t info_phys);

#endif
