// SPDX-License-Identifier: GPL-2.0-or-later
/* 16550 UART driver for COM1 (0x3f8): 115200 8N1, polled output, polled or interrupt-driven input.
 */
#include "x86_64/serial.h"

#include "kern/console.h"
#include "kern/irq.h"
#include "x86_64/cpu.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define COM1_ISA_IRQ 4

void
serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch */
	outb(COM1 + 0, 0x01);        /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0x07); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (routes the IRQ) */
}

void
machine_console_putc(char c)
{
	if (c == '\n')
		machine_console_putc('\r');
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++)
		cpu_relax();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

int
machine_console_poll(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

static void
serial_irq(void *arg)
{
	int c;

	while ((c = machine_console_poll()) >= 0)
		console_input((char)c);
}

void
serial_enable_rx_irq(void)
{
	if (irq_route_isa(COM1_ISA_IRQ, serial_irq, NULL, "com1", NULL) != KERN_SUCCESS)
		return;
	outb(COM1 + UART_IER, 0x01); /* received data available */
}
