/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The 16550 UART on COM1: the first console. */
#ifndef X86_64_SERIAL_H
#define X86_64_SERIAL_H

#include <stdbool.h>

void serial_init(void);
/* Asks the UART to interrupt on received data (IRQ 4), once interrupts work. */
void serial_enable_rx_irq(void);

#endif
