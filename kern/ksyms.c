// SPDX-License-Identifier: GPL-2.0-or-later
/* Symbol lookup over the sorted table that scripts/ksyms.sh generates, and the backtrace walker. */
#include "kern/ksyms.h"

#include "kern/printf.h"

struct ksym {
	uint64_t addr;
	const char *name;
};

/* Generated: sorted by address, terminated by an entry with addr 0. */
extern const struct ksym ksyms_table[];
extern const uint64_t ksyms_count;
extern char kernel_text_start[], kernel_text_end[];

const char *
ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (addr < (uint64_t)kernel_text_start || addr >= (uint64_t)kernel_text_end)
		return NULL;
	/* The last symbol whose address is <= addr. */
	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		if (ksyms_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	*offset = addr - ksyms_table[lo - 1].addr;
	return ksyms_table[lo - 1].name;
}

static void
print_frame(int depth, uint64_t pc)
{
	uint64_t off = 0;
	const char *name = ksyms_lookup(pc, &off);

	if (name)
		kprintf("  #%d %016lx %s+%#lx\n", depth, pc, name, off);
	else
		kprintf("  #%d %016lx ?\n", depth, pc);
}

void
ksyms_backtrace(uint64_t rip, uint64_t rbp)
{
	kprintf("backtrace:\n");
	print_frame(0, rip);
	for (int depth = 1; depth < 32; depth++) {
		/* Stop on a frame pointer that cannot be a kernel stack address. */
		if (rbp < 0xffff800000000000 || (rbp & 7))
			break;
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (!ret)
			break;
		print_frame(depth, ret - 1);
		rbp = frame[0];
	}
}
