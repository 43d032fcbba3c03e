// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Console multiplexer: output to every console; input from all of them
 * through one ring that console_getc() reads in arrival order.
 */
#include "kern/console.h"

#include <stdarg.h>

#include "kern/cpu.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/wait.h"
#include "x86_64/machine.h"

static struct console *consoles;
static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_RANK_CONSOLE);

/* A 24x80 paste fits; the UART holds back anything beyond (console_input_room). */
#define INPUT_RING_SIZE 2048u
/* The reader wakes a waiting driver once this much room is free. */
#define INPUT_RING_RESUME (INPUT_RING_SIZE / 2)

/*
 * The input ring: one producer side, one consumer. Producers are the
 * drivers' receive paths (the UART interrupt, virtio consoles); ir_lock
 * makes them a single producer. The consumer is console_getc(), which
 * takes no lock. The indices run free and wrap at 2^32; head - tail is the
 * number of bytes queued (0..INPUT_RING_SIZE) and bytes [tail, head) are
 * valid. Only a producer (under ir_lock) stores ir_head, after writing the
 * byte (release); only the reader stores ir_tail, after reading the byte,
 * so a producer that sees the new tail (acquire) may reuse the slot.
 */
struct input_ring {
	char ir_buf[INPUT_RING_SIZE];
	uint32_t ir_head;
	uint32_t ir_tail;
	console_resume_fn *ir_resume; /* a producer waiting for room, or NULL */
	struct spinlock ir_lock;      /* producers, and the counters below */
	uint64_t ir_bytes, ir_dropped, ir_waits;
};

static struct input_ring input = {.ir_lock =
                                      SPINLOCK_INIT("console input", LOCK_RANK_CONSOLE_INPUT)};
static struct wait_event input_event = WAIT_EVENT_INIT("console input");
static bool input_irq_driven; /* the machine console's interrupt feeds the ring */
/* The console device holds the input (console_input_claim): the monitor waits. */
static bool input_claimed;

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

/*
 * Free bytes as a producer sees them; ir_lock held. The tail is loaded
 * with acquire (here sequentially consistent, which console_input_room()
 * needs): a slot the reader has released may be written.
 */
static uint32_t
input_room_locked(void)
{
	return INPUT_RING_SIZE -
	       (input.ir_head - __atomic_load_n(&input.ir_tail, __ATOMIC_SEQ_CST));
}

bool
console_input(char c)
{
	uint64_t f = spin_lock_irqsave(&input.ir_lock);
	uint32_t head = input.ir_head;
	bool room = input_room_locked() > 0;

	if (room) {
		input.ir_buf[head % INPUT_RING_SIZE] = c;
		__atomic_store_n(&input.ir_head, head + 1, __ATOMIC_RELEASE);
		input.ir_bytes++;
	} else {
		input.ir_dropped++; /* dropped, never reordered */
	}
	spin_unlock_irqrestore(&input.ir_lock, f);
	if (room)
		wait_wake(&input_event);
	return room;
}

size_t
console_input_room(console_resume_fn *resume)
{
	uint64_t f = spin_lock_irqsave(&input.ir_lock);
	uint32_t room = input_room_locked();

	if (room == 0) {
		/*
		 * Publish the waiter, then look at the tail again. The reader
		 * stores the tail, then loads ir_resume; we store ir_resume, then
		 * load the tail; all four are sequentially consistent, so at
		 * least one side sees the other's store: either we find room
		 * now, or the reader finds us and calls resume.
		 */
		__atomic_store_n(&input.ir_resume, resume, __ATOMIC_SEQ_CST);
		room = input_room_locked();
		if (room == 0)
			input.ir_waits++;
	}
	spin_unlock_irqrestore(&input.ir_lock, f);
	return room;
}

void
console_input_set_irq_driven(void)
{
	__atomic_store_n(&input_irq_driven, true, __ATOMIC_RELEASE);
}

/* Calls the driver waiting for room, if any (exactly once per wait). */
static void
input_resume_waiter(void)
{
	if (!__atomic_load_n(&input.ir_resume, __ATOMIC_SEQ_CST))
		return;
	console_resume_fn *fn = __atomic_exchange_n(&input.ir_resume, NULL, __ATOMIC_SEQ_CST);
	if (fn)
		fn();
}

/* The oldest byte of the ring, or -1 when it is empty. The reader only. */
static int
input_take(void)
{
	uint32_t tail = __atomic_load_n(&input.ir_tail, __ATOMIC_RELAXED);
	uint32_t queued = __atomic_load_n(&input.ir_head, __ATOMIC_ACQUIRE) - tail;

	if (queued == 0)
		return -1;
	int c = (unsigned char)input.ir_buf[tail % INPUT_RING_SIZE];
	__atomic_store_n(&input.ir_tail, tail + 1, __ATOMIC_SEQ_CST);
	if (INPUT_RING_SIZE - (queued - 1) >= INPUT_RING_RESUME)
		input_resume_waiter();
	return c;
}

static bool
input_ready(void *arg)
{
	return __atomic_load_n(&input.ir_head, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&input.ir_tail, __ATOMIC_RELAXED);
}

/*
 * Whether the reader must poll the machine console itself: before its
 * receive interrupt works, or when interrupts are off here (the handler
 * cannot run, so nothing newer than the UART's bytes enters the ring).
 */
static bool
input_polled(void)
{
	return !__atomic_load_n(&input_irq_driven, __ATOMIC_ACQUIRE) || !irq_enabled();
}

static bool
input_unclaimed(void *arg)
{
	return !__atomic_load_n(&input_claimed, __ATOMIC_ACQUIRE);
}

int
console_getc(void)
{
	for (;;) {
		if (__atomic_load_n(&input_claimed, __ATOMIC_ACQUIRE) && irq_enabled()) {
			wait_until(&input_event, input_unclaimed, NULL, WAIT_FOREVER);
			continue;
		}
		int c = input_take();
		if (c >= 0)
			return c;
		if (!input_polled()) {
			wait_until(&input_event, input_ready, NULL, WAIT_FOREVER);
			continue;
		}
		/* The ring is empty, so the UART's next byte is the oldest. */
		c = machine_console_poll();
		if (c >= 0)
			return c;
		if (irq_enabled())
			cpu_idle_wait(); /* the next tick, or a virtio console's interrupt */
		else
			cpu_relax();
	}
}

void
console_input_claim(bool claim)
{
	__atomic_store_n(&input_claimed, claim, __ATOMIC_RELEASE);
	wait_wake(&input_event); /* the monitor reads again, or a device reader looks */
}

/*
 * Up to len queued bytes into buf, under the producers' lock: device
 * readers may be several threads, where console_getc() is the only reader
 * while the input is not claimed. The driver waiting for room is resumed
 * after the lock is dropped, as console_input_room() promises.
 */
static size_t
input_take_many(char *buf, size_t len)
{
	uint64_t f = spin_lock_irqsave(&input.ir_lock);
	uint32_t tail = input.ir_tail, queued = input.ir_head - tail;
	size_t n = queued < len ? queued : len;

	for (size_t i = 0; i < n; i++)
		buf[i] = input.ir_buf[(tail + i) % INPUT_RING_SIZE];
	__atomic_store_n(&input.ir_tail, tail + (uint32_t)n, __ATOMIC_SEQ_CST);
	spin_unlock_irqrestore(&input.ir_lock, f);
	if (n && INPUT_RING_SIZE - (queued - n) >= INPUT_RING_RESUME)
		input_resume_waiter();
	return n;
}

long
console_read(char *buf, size_t len)
{
	for (;;) {
		size_t n = input_take_many(buf, len);

		if (n || !len)
			return (long)n;
		wait_prepare(&input_event, true);
		if (input_ready(NULL)) {
			wait_cancel();
			continue;
		}
		if (wait_block(WAIT_FOREVER) == KERN_ABORTED)
			return -1;
	}
}

void
console_input_stats(struct console_input_stats *st)
{
	uint64_t f = spin_lock_irqsave(&input.ir_lock);

	st->cis_size = INPUT_RING_SIZE;
	st->cis_queued = INPUT_RING_SIZE - input_room_locked();
	st->cis_bytes = input.ir_bytes;
	st->cis_dropped = input.ir_dropped;
	st->cis_waits = input.ir_waits;
	spin_unlock_irqrestore(&input.ir_lock, f);
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
