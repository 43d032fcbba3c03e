// SPDX-License-Identifier: GPL-2.0-or-later
/* Console multiplexer: write to all consoles, one input ring fed by all. */
#include "kern/console.h"

#include <stdarg.h>

#include "kern/cpu.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "x86_64/machine.h"

static struct console *consoles;
static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_RANK_CONSOLE);

#define INPUT_RING 256
static char input_ring[INPUT_RING];
static volatile unsigned input_head, input_tail; /* head: next write */

void
console_register(struct console *con)
{
	uint64_t f = spin_lock_irqsave(&console_lock);
	con->con_next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&console_lock, f);
}

/*
 * Output written from inside console_write() (a console driver logged, or
 * panicked) goes to the machine console only: the console lock is this
 * CPU's already, and the driver that printed is in the middle of a write.
 */
static void
console_write_nested(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		machine_console_putc(s[i]);
}

void
console_write(const char *s, size_t len)
{
	uint64_t f = irq_save();
	struct cpu *cpu = cpu_self();

	if (cpu->cpu_in_console) {
		console_write_nested(s, len);
		irq_restore(f);
		return;
	}
	spin_lock(&console_lock);
	cpu->cpu_in_console = true;
	for (size_t i = 0; i < len; i++)
		machine_console_putc(s[i]);
	for (struct console *c = consoles; c; c = c->con_next)
		c->con_write(c, s, len);
	cpu->cpu_in_console = false;
	spin_unlock(&console_lock);
	irq_restore(f);
}

void
console_input(char c)
{
	unsigned next = (input_head + 1) % INPUT_RING;

	if (next == input_tail)
		return; /* full: drop, the user types faster than we read */
	input_ring[input_head] = c;
	input_head = next;
}

int
console_getc(void)
{
	for (;;) {
		uint64_t f = irq_save();
		int c = machine_console_poll(); /* also poll: the IRQ may not be routed yet */
		if (c >= 0) {
			irq_restore(f);
			return c;
		}
		if (input_tail != input_head) {
			c = (unsigned char)input_ring[input_tail];
			input_tail = (input_tail + 1) % INPUT_RING;
			irq_restore(f);
			return c;
		}
		cpu_idle_wait(); /* sti; hlt: wakes on the next interrupt */
		irq_restore(f);  /* else the next irq_save() saves "off" and the caller gets it */
	}
}

int
kvprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
