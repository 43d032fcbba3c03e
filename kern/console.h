/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Consoles: output goes to every registered console (COM1 first; later
 * virtio-console's hvc0); input from any of them lands in one line queue.
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <stddef.h>

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
/* Called by a console driver (any context) for each received byte. */
void console_input(char c);
/* Waits (halting the CPU) for the next input byte. */
int console_getc(void);

#endif
