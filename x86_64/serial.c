// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 16550 UART driver for COM1 (0x3f8): 115200 8N1, polled output; input
 * polled until the receive interrupt is on, then interrupt-driven into
 * kern/console.c's ring, with the FIFO as flow control when the ring is
 * full (docs/kernel.md, "Console input").
 */
#include "x86_64/serial.h"

#include "kern/console.h"
#include "kern/irq.h"
#include "kern/spinlock.h"
#include "x86_64/cpu.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define IER_RX_DATA 0x01
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LSR_NO_UART 0xff /* what an empty I/O port reads */
#define COM1_ISA_IRQ 4

/* The receive path: the interrupt handler and the reader's resume. */
static struct spinlock serial_rx_lock = SPINLOCK_INIT("com1 rx", LOCK_RANK_COM1_RX);

void
serial_init(void)
{
	/*
	 * A byte received before we ran (typed while the machine reset) sits
	 * in the receive register; turning the FIFO on would clear it.
	 */
	uint8_t lsr = inb(COM1 + UART_LSR);
	if (lsr != LSR_NO_UART && (lsr & LSR_DATA_READY))
		console_input((char)inb(COM1 + UART_DATA));
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

/* The console reader made room: take the receive interrupt back. */
static void
serial_rx_resume(void)
{
	uint64_t f = spin_lock_irqsave(&serial_rx_lock);

	/* With bytes still in the FIFO the UART interrupts at once. */
	outb(COM1 + UART_IER, IER_RX_DATA);
	spin_unlock_irqrestore(&serial_rx_lock, f);
}

/*
 * Moves received bytes from the FIFO to the console ring while it has
 * room. When it is full the rest stays in the FIFO and the receive
 * interrupt is masked (it would fire again at once) until
 * serial_rx_resume(). Nothing is lost: QEMU sends the UART more only
 * when its FIFO has room. serial_rx_lock held, so a resume cannot come
 * between the full ring and the mask.
 */
static void
serial_rx_drain(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY) {
		if (console_input_room(serial_rx_resume) == 0) {
			outb(COM1 + UART_IER, 0);
			return;
		}
		console_input((char)inb(COM1 + UART_DATA));
	}
}

static void
serial_irq(void *arg)
{
	spin_lock(&serial_rx_lock); /* interrupts are off in a handler */
	serial_rx_drain();
	spin_unlock(&serial_rx_lock);
}

void
serial_enable_rx_irq(void)
{
	if (irq_route_isa(COM1_ISA_IRQ, serial_irq, NULL, "com1", NULL) != KERN_SUCCESS)
		return; /* console_getc() keeps polling */
	/* From here on input comes only through the ring: one path, one order. */
	console_input_set_irq_driven();
	outb(COM1 + UART_IER, IER_RX_DATA);
}
