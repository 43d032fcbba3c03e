// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cycle counter's frequency: TSC ticks counted over PIT channel 2
 * one-shot countdowns (the PIT runs at a fixed 1.193182 MHz).
 */
#include "x86_64/cpu.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

/* TSC ticks during one PIT channel-2 one-shot countdown of `count` PIT ticks. */
static uint64_t
tsc_over_pit(uint16_t count)
{
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                            /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t t0 = machine_cycles();
	while (!(inb(PIT_GATE) & 0x20)) /* OUT2 goes high at terminal count */
		;
	return machine_cycles() - t0;
}

uint64_t
machine_cycles_measure_hz(void)
{
	/* 50 ms windows; take the smallest of three (least disturbed by the host). */
	uint16_t count = PIT_HZ / 20;
	uint64_t best = ~0ULL;

	for (int i = 0; i < 3; i++) {
		uint64_t t = tsc_over_pit(count);
		if (t < best)
			best = t;
	}
	return best * PIT_HZ / count;
}
