// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the ACPI parser (x86_64/acpi.c). The input is physical
 * memory starting at address 0 with the RSDP at 0; the parser follows
 * whatever pointers it finds. So that the fuzzer explores the tables'
 * structure instead of dying on checksums, every mapping that covers a
 * whole table (or RSDP) gets a corrected checksum: a copy is handed out,
 * exact-size, so a read past what was mapped is caught by ASan. The
 * results must be codes x86_64/acpi.h documents: anything else aborts.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kern/log.h"
#include "x86_64/acpi.h"

void
klog(enum log_level level, const char *fmt, ...)
{
}

struct fuzz_mem {
	const uint8_t *data;
	size_t size;
	void *copies[64];
	unsigned ncopies;
};

static void
fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (uint8_t)-sum;
}

static const void *
fuzz_map(void *ctx, uint64_t phys, size_t len)
{
	struct fuzz_mem *m = ctx;

	if (phys >= m->size || len > m->size - phys || m->ncopies == 64 || len == 0)
		return NULL;
	uint8_t *c = malloc(len);
	memcpy(c, m->data + phys, len);
	m->copies[m->ncopies++] = c;
	if (!memcmp(c, "RSD PTR ", 8 < len ? 8 : len) && len >= 20) {
		fix_checksum(c, 20, 8);
		if (len >= 36)
			fix_checksum(c, len, 32);
	} else if (len >= 36) {
		uint32_t tlen;
		memcpy(&tlen, c + 4, 4);
		if (tlen == len)
			fix_checksum(c, len, 9);
	}
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_mem m = {.data = data, .size = size};
	struct acpi_mem mem = {fuzz_map, &m};
	struct acpi_info *info = malloc(sizeof(*info));
	uint8_t a, b;
	kern_return_t kr;

	kr = acpi_parse(&mem, 0, info);
	if (kr != KERN_SUCCESS && kr != KERN_INVALID_ADDRESS && kr != KERN_INVALID_VALUE)
		abort();
	kr = acpi_aml_find_s5(data, size, &a, &b);
	if (kr != KERN_SUCCESS && kr != KERN_FAILURE && !(kr == KERN_INVALID_ARGUMENT && !data))
		abort();
	for (unsigned i = 0; i < m.ncopies; i++)
		free(m.copies[i]);
	free(info);
	return 0;
}
