/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Consoles: output goes to every registered console (COM1 first; later
 * virtio-console's hvc0); input from any of them lands in one ring, which
 * console_getc() reads in arrival order. The input path is described in
 * docs/kernel.md ("Console input").
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * con_write runs with the console lock held and interrupts off: it must
 * not wait, and reaches a lock ranked before the console's only with
 * spin_trylock (docs/locking.md). Output it causes (a log line) goes to
 * the machine console only.
 */
struct console {
	const char *con_name;
	void (*con_write)(struct console *con, const char *s, size_t len);
	struct console *con_next;
};

void console_register(struct console *con);
void console_write(const char *s, size_t len);

/*
 * Input, for console drivers. console_input() puts one received byte in
 * the ring. Any context (interrupt handlers included); takes the input
 * lock, a leaf. Returns false when the ring is full: the byte is dropped
 * and counted. A driver that can hold bytes back in its device (the UART's
 * FIFO) asks console_input_room() first and never sees a drop.
 */
bool console_input(char c);

typedef void console_resume_fn(void);
/*
 * The room left in the ring, in bytes. When there is none, resume is
 * remembered and called once by the reader after it has made room again
 * (at least half the ring), so the driver can stop taking bytes from its
 * device meanwhile. resume is called from console_getc(), not in interrupt
 * context, with no console lock held; it may take the driver's own lock,
 * and must tolerate being called when the driver is not waiting.
 */
size_t console_input_room(console_resume_fn *resume);

/*
 * The machine console's receive interrupt now feeds console_input():
 * from here on console_getc() takes bytes from the ring only and no
 * longer polls the machine console (machine_console_poll), which would
 * let a byte overtake older ones still in the ring.
 */
void console_input_set_irq_driven(void);

/*
 * Waits for the next input byte and returns it (0..255). Bytes come out in
 * the order each console delivered them. Waits with wait_until() when
 * interrupts are on; before the machine console's receive interrupt is
 * on, or with interrupts off, it polls the machine console once the ring
 * is empty. One reader at a time (the monitor).
 */
int console_getc(void);

/*
 * The console device's hold on the input (device/dev_console.c): while it
 * is claimed, console_getc() (the monitor) waits and the bytes go to
 * console_read() instead; released, the monitor reads again. A byte the
 * monitor had not read when the claim came goes to the device.
 */
void console_input_claim(bool claim);
/*
 * Up to len bytes of input into buf, at least one: waits (interruptibly:
 * thread_abort or the thread's end) for the first. Returns the count, or
 * -1 when the wait was interrupted. A thread, no spinlock held.
 */
long console_read(char *buf, size_t len);

struct console_input_stats {
	uint32_t cis_size;    /* ring capacity, bytes */
	uint32_t cis_queued;  /* bytes waiting to be read */
	uint64_t cis_bytes;   /* bytes ever put in the ring */
	uint64_t cis_dropped; /* bytes refused because the ring was full */
	uint64_t cis_waits;   /* times a driver waited for room (console_input_room) */
};
void console_input_stats(struct console_input_stats *st);

#endif
