// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the console input ring (kern/console.c): bytes come out
 * in the order they went in, across many laps of the ring; a full ring
 * refuses and counts, never overwrites or reorders; a driver that found
 * no room is resumed exactly once, when half the ring is free; bytes
 * still in the ring come before the machine console's when polling.
 * The machine and wait primitives are stand-ins defined here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kern/console.h"
#include "kern/cpu.h"
#include "kern/wait.h"

#define RING 2048 /* INPUT_RING_SIZE in kern/console.c */

/* ---- stand-ins ------------------------------------------------------------ */

void
machine_console_putc(char c)
{
}

/* What the UART holds for the polling reader. */
static const char *poll_bytes;

int
machine_console_poll(void)
{
	if (!poll_bytes || !*poll_bytes)
		fail_msg("console_getc() polled the machine console with nothing to read");
	return (unsigned char)*poll_bytes++;
}

void
cpu_idle_wait(void)
{
	fail_msg("console_getc() halted");
}

kern_return_t
wait_until(struct wait_event *ev, wait_cond_fn *cond, void *arg, uint64_t timeout_ns)
{
	/* The host has no interrupts: the reader must poll, never wait. */
	fail_msg("console_getc() waited on %s", ev->we_name);
	return KERN_TIMEDOUT;
}

static unsigned wakes, prepares, blocks;
static bool prepared_interruptible;

/* console_read's wait: answered as an interrupted one (thread_abort). */
void
wait_prepare(struct wait_event *ev, bool interruptible)
{
	prepares++;
	prepared_interruptible = interruptible;
}

void
wait_cancel(void)
{
}

kern_return_t
wait_block(uint64_t timeout_ns)
{
	blocks++;
	return KERN_ABORTED;
}

void
wait_wake(struct wait_event *ev)
{
	wakes++;
}

static unsigned resumes;

static void
resume(void)
{
	resumes++;
}

/* ---- helpers -------------------------------------------------------------- */

static char
pattern(unsigned i)
{
	return (char)(i * 7 + i / 251);
}

static void
expect_getc(unsigned i)
{
	int c = console_getc();

	if (c != (unsigned char)pattern(i))
		fail_msg("byte %u: got %#x, expected %#x", i, c, (unsigned char)pattern(i));
}

static struct console_input_stats
stats(void)
{
	struct console_input_stats st;

	console_input_stats(&st);
	return st;
}

/* ---- tests ---------------------------------------------------------------- */

/* Bursts of different sizes, many laps of the ring: always in order. */
static void
test_order(void **state)
{
	unsigned in = 0, out = 0;
	unsigned w0 = wakes;

	for (unsigned burst = 1; in < 20 * RING; burst = burst * 3 % (RING - 1) + 1) {
		for (unsigned k = 0; k < burst; k++)
			assert_true(console_input(pattern(in++)));
		assert_int_equal(stats().cis_queued, burst);
		while (out < in)
			expect_getc(out++);
	}
	assert_int_equal(stats().cis_queued, 0);
	assert_int_equal(wakes - w0, in);
}

/* A full ring refuses the next byte and counts it; what it holds is intact. */
static void
test_full_drops_never_reorders(void **state)
{
	struct console_input_stats st0 = stats();

	for (unsigned i = 0; i < RING; i++)
		assert_true(console_input(pattern(i)));
	assert_false(console_input('X'));
	assert_false(console_input('Y'));
	struct console_input_stats st = stats();
	assert_int_equal(st.cis_size, RING);
	assert_int_equal(st.cis_queued, RING);
	assert_int_equal(st.cis_dropped - st0.cis_dropped, 2);
	assert_int_equal(st.cis_bytes - st0.cis_bytes, RING);
	expect_getc(0);
	assert_true(console_input(pattern(RING))); /* one slot free again */
	for (unsigned i = 1; i <= RING; i++)
		expect_getc(i);
	assert_int_equal(stats().cis_queued, 0);
}

/* The flow-controlled driver: no room, resume once half the ring is free. */
static void
test_room_and_resume(void **state)
{
	unsigned r0 = resumes;
	uint64_t waits0 = stats().cis_waits;

	assert_int_equal(console_input_room(resume), RING);
	assert_true(console_input(pattern(0)));
	assert_int_equal(console_input_room(resume), RING - 1);
	for (unsigned i = 1; i < RING; i++)
		assert_true(console_input(pattern(i)));
	assert_int_equal(console_input_room(resume), 0);
	assert_int_equal(stats().cis_waits - waits0, 1);
	for (unsigned i = 0; i < RING / 2 - 1; i++)
		expect_getc(i);
	assert_int_equal(resumes, r0); /* half the ring minus one byte free: not yet */
	expect_getc(RING / 2 - 1);
	assert_int_equal(resumes, r0 + 1);
	for (unsigned i = RING / 2; i < RING; i++)
		expect_getc(i);
	assert_int_equal(resumes, r0 + 1); /* once per wait */
	assert_int_equal(console_input_room(resume), RING);
	assert_int_equal(stats().cis_waits - waits0, 1);
}

/* Polling (interrupts off here): the ring's older bytes first, then the UART's. */
static void
test_poll_after_ring(void **state)
{
	console_input('a');
	console_input('b');
	poll_bytes = "cd";
	assert_int_equal(console_getc(), 'a');
	assert_int_equal(console_getc(), 'b');
	assert_int_equal(console_getc(), 'c');
	console_input_set_irq_driven(); /* with interrupts off the reader still polls */
	console_input('e');
	assert_int_equal(console_getc(), 'e');
	assert_int_equal(console_getc(), 'd');
	assert_int_equal(*poll_bytes, 0);
	poll_bytes = NULL;
}

/* The console device's reads: what is queued, in order, at most the size
 * asked; nothing queued: an interruptible wait, -1 when it is interrupted. */
static void
test_device_read(void **state)
{
	char buf[RING];
	unsigned w0 = wakes, b0 = blocks;

	console_input_claim(true);
	assert_true(wakes > w0); /* the monitor (and readers) look again */
	for (unsigned i = 0; i < 10; i++)
		assert_true(console_input(pattern(i)));
	assert_int_equal(console_read(buf, 4), 4);
	assert_int_equal(console_read(buf + 4, sizeof(buf) - 4), 6);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(buf[i], pattern(i));
	assert_int_equal(console_read(buf, 0), 0);
	assert_int_equal(console_read(buf, 8), -1);
	assert_true(prepared_interruptible);
	assert_int_equal(blocks - b0, 1);
	assert_int_equal(stats().cis_queued, 0);
	console_input_claim(false);
}

/* A device read that frees half the ring resumes the waiting driver, once. */
static void
test_device_read_resume(void **state)
{
	char buf[RING];
	unsigned r0 = resumes;

	console_input_claim(true);
	for (unsigned i = 0; i < RING; i++)
		assert_true(console_input(pattern(i)));
	assert_int_equal(console_input_room(resume), 0);
	assert_int_equal(console_read(buf, RING / 2 - 1), RING / 2 - 1);
	assert_int_equal(resumes, r0);
	assert_int_equal(console_read(buf + RING / 2 - 1, 1), 1);
	assert_int_equal(resumes, r0 + 1);
	assert_int_equal(console_read(buf + RING / 2, RING), RING / 2);
	assert_int_equal(resumes, r0 + 1);
	for (unsigned i = 0; i < RING; i++)
		assert_int_equal(buf[i], pattern(i));
	console_input_claim(false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order),
	    cmocka_unit_test(test_full_drops_never_reorders),
	    cmocka_unit_test(test_room_and_resume),
	    cmocka_unit_test(test_poll_after_ring),
	    cmocka_unit_test(test_device_read),
	    cmocka_unit_test(test_device_read_resume),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
