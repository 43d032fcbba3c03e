// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HPET's main counter as the reference clock against which the
 * kernel refines the TSC's rate over the first second (kern/clock.c). Only
 * the counter is used: no HPET timer raises interrupts. Mapped by
 * machine_refclock_init, after the ACPI tables are read.
 */
#include "x86_64/acpi.h"
#include "x86_64/machine.h"

#define HPET_CAP 0x000     /* bits 63:32: the counter's period in femtoseconds */
#define HPET_CONFIG 0x010  /* bit 0: the main counter runs */
#define HPET_COUNTER 0x0f0 /* the main counter */
#define HPET_MAX_PERIOD_FS 100000000ULL /* the specification's bound: 100 ns */

static volatile uint8_t *hpet;
static uint64_t hpet_hz;

static uint64_t
rd64(unsigned off)
{
	return *(volatile uint64_t *)(hpet + off);
}

void
machine_refclock_init(void)
{
	const struct acpi_info *ai = acpi_get();
	void *va;
	uint64_t period;

	if (!ai || !ai->ai_hpet.hpet_valid || mmio_map(ai->ai_hpet.hpet_base, 1024, &va))
		return;
	hpet = va;
	period = rd64(HPET_CAP) >> 32;
	if (!period || period > HPET_MAX_PERIOD_FS) {
		hpet = NULL;
		return;
	}
	hpet_hz = 1000000000000000ULL / period;
	*(volatile uint64_t *)(hpet + HPET_CONFIG) |= 1; /* start the counter if it is not */
}

uint64_t
machine_refclock(uint64_t *count)
{
	if (!hpet)
		return 0;
	*count = rd64(HPET_COUNTER);
	return hpet_hz;
}
