/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64/machine.h: everything machine-independent code may ask of the
 * machine. kern/, pci/, device/, drivers/ and debug/ include this header
 * and nothing else from x86_64/ (scripts/check-layers enforces it; the
 * rule is in docs/architecture.md). Everything here is implemented in
 * x86_64/; the machine calls back into kern/ only through kern's own
 * headers (irq_dispatch, console_input, clock_tick, page_alloc, log).
 *
 * The small, hot operations are inline: the interrupt flag, port I/O, the
 * cycle counter, the direct map.
 */
#ifndef X86_64_MACHINE_H
#define X86_64_MACHINE_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86_64/layout.h" /* PAGE_SIZE and the kernel's address layout */

/* ---- Interrupt flag ------------------------------------------------------ */

#define MACHINE_RFLAGS_IF (1u << 9)

#ifdef VMACH_HOST
/* Host unit tests run portable kernel code in user space: no interrupt flag. */
static inline void
irq_enable(void)
{
}
static inline void
irq_disable(void)
{
}
static inline uint64_t
irq_save(void)
{
	return 0;
}
static inline void
irq_restore(uint64_t flags)
{
	(void)flags;
}
static inline bool
irq_enabled(void)
{
	return false;
}
#else
static inline void
irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void
irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline uint64_t
machine_flags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* Saves the interrupt flag and disables interrupts; irq_restore() undoes it. */
static inline uint64_t
irq_save(void)
{
	uint64_t f = machine_flags();
	irq_disable();
	return f;
}

static inline void
irq_restore(uint64_t flags)
{
	if (flags & MACHINE_RFLAGS_IF)
		irq_enable();
}

static inline bool
irq_enabled(void)
{
	return machine_flags() & MACHINE_RFLAGS_IF;
}
#endif

/* In a spin loop: tells the CPU (and a hypervisor) that we are waiting. */
static inline void
cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* ---- Port I/O ------------------------------------------------------------ */

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* ---- Boot ---------------------------------------------------------------- */

/*
 * First thing at boot: the serial console (polled), this CPU's per-CPU
 * pointer (cpu) and its descriptor tables, so printing and traps work.
 */
void machine_early_init(void *cpu);
/*
 * Interrupt controllers: ACPI tables, the 8259 masked, LAPIC and IOAPIC,
 * the periodic timer at hz (it calls clock_tick()), then interrupts on and
 * the console's receive interrupt. After the page allocator.
 */
void machine_interrupts_init(unsigned hz);

/* ---- This CPU ------------------------------------------------------------ */

/* The per-CPU pointer given to machine_early_init (GS base). */
static inline void *
machine_cpu_self(void)
{
	void *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

/* This CPU's interrupt-controller id (the APIC id). */
uint32_t machine_cpu_id(void);

/* The cycle counter (TSC): constant rate, monotonic on one CPU. */
static inline uint64_t
machine_cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Measures the cycle counter's frequency in Hz against a fixed-rate timer. */
uint64_t machine_cycles_measure_hz(void);

/* The caller's frame pointer and return address, for backtraces. */
static inline uint64_t
machine_frame_pointer(void)
{
	uint64_t fp;
	__asm__ volatile("mov %%rbp, %0" : "=r"(fp));
	return fp;
}

/*
 * Halts until an interrupt arrives, with interrupts enabled only while
 * halted (no wake-up can slip in between the enable and the halt).
 * Called with interrupts disabled; returns with them disabled.
 */
void machine_idle_halt(void);
/* Stops this CPU for good, interrupts off. */
void machine_halt(void) __attribute__((noreturn));

/* ---- Interrupts ---------------------------------------------------------- */

/*
 * Routes a GSI to vector on the CPU with that id, unmasked.
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT when no IOAPIC serves the GSI.
 */
kern_return_t machine_irq_route(unsigned gsi, uint8_t vector, bool level, bool active_low,
                                uint32_t cpu);

struct machine_isa_irq {
	unsigned mi_gsi;
	bool mi_level;
	bool mi_active_low;
};
/* The GSI and polarity of an ISA IRQ, after the firmware's overrides. */
struct machine_isa_irq machine_irq_isa(unsigned isa_irq);
/* Signals the end of the interrupt being handled. */
void machine_irq_eoi(void);
/* Raises vector on this CPU (tests; later IPIs). */
void machine_irq_self(uint8_t vector);
/* MSI address and data for vector on the CPU with that id (edge, fixed). */
void machine_msi_compose(uint8_t vector, uint32_t cpu, uint64_t *addr, uint32_t *data);

/* ---- Console ------------------------------------------------------------- */

/* Writes one byte to the machine's console (polled, usable anywhere). */
void machine_console_putc(char c);
/*
 * The next received byte, or -1: for the time before interrupts and for
 * panic only; afterwards the receive interrupt feeds console_input().
 */
int machine_console_poll(void);

/* ---- Power --------------------------------------------------------------- */

void machine_poweroff(void) __attribute__((noreturn));
void machine_reboot(void) __attribute__((noreturn));
/*
 * Leaves QEMU through its isa-debug-exit device with status (code << 1) | 1;
 * without the device, halts.
 */
void machine_debug_exit(unsigned code) __attribute__((noreturn));

/* ---- Memory -------------------------------------------------------------- */

#ifndef VMACH_HOST
/* The direct map: every byte of RAM at DIRECT_MAP_BASE + physical. */
static inline void *
phys_to_virt(uint64_t phys)
{
	return (void *)(phys + DIRECT_MAP_BASE);
}
#else
/* Host unit tests provide their own mapping (e.g. an arena). */
void *phys_to_virt(uint64_t phys);
#endif

/* Physical address of a direct-map or kernel-image address. */
uint64_t virt_to_phys(const void *va);

/*
 * Maps [phys, phys + size) uncached (device registers) and stores its
 * virtual address in *va; the mapping stays for the kernel's life. Not from
 * interrupt context.
 * Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT when size is 0 or the range
 * wraps around, KERN_NO_SPACE when the device window has no room left.
 */
kern_return_t mmio_map(uint64_t phys, size_t size, void **va);

/* The end of the kernel image in physical memory. */
uint64_t machine_image_end_phys(void);

/*
 * Boot order: the kernel gives paging a pool of free RAM inside the first
 * GiB (which the boot tables map) for page tables, builds the final tables
 * with paging_init(), then starts the page allocator with the rest of RAM;
 * from then on tables come from the page allocator.
 * paging_early_pool_close() returns the pool's next free address (and its
 * end in *end), so the unused part goes to the page allocator.
 */
void paging_set_early_pool(uint64_t start, uint64_t end);
uint64_t paging_early_pool_close(uint64_t *end);
void paging_init(uint64_t max_phys);

/* ---- PCI configuration space --------------------------------------------- */

/* A function's address. Only segment 0 is reachable through mechanism #1. */
struct pci_cfg_addr {
	uint16_t pa_segment;
	uint8_t pa_bus, pa_slot, pa_func;
};

enum pci_cfg_mech {
	PCI_CFG_NONE = 0,
	PCI_CFG_MECH1,
	PCI_CFG_ECAM,
};

/*
 * Chooses the access mechanism (ECAM when the firmware gives one for
 * segment 0 bus 0, else mechanism #1) and logs the choice. The option
 * pci_ecam=off forces mechanism #1. Not from interrupt context.
 */
void pci_cfg_init(void);
enum pci_cfg_mech pci_cfg_mech(void);
/* Size of a function's config space under the mechanism in use: 4096 or 256. */
unsigned pci_cfg_space_size(void);
/* Naturally aligned accesses of 1, 2 or 4 bytes; others read all ones. */
uint32_t pci_cfg_read(const struct pci_cfg_addr *a, unsigned off, unsigned size);
void pci_cfg_write(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v);
/* The config lock, for sequences that must not interleave (BAR sizing). */
uint64_t pci_cfg_lock_acquire(void);
void pci_cfg_lock_release(uint64_t flags);
uint32_t pci_cfg_read_locked(const struct pci_cfg_addr *a, unsigned off, unsigned size);
void pci_cfg_write_locked(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v);
/* A read through one given mechanism (tests compare the two). */
uint32_t pci_cfg_read_via(enum pci_cfg_mech mech, const struct pci_cfg_addr *a, unsigned off,
                          unsigned size);

/* ---- Traps --------------------------------------------------------------- */

struct trap_frame;
/* Prints the registers of a trap frame. */
void machine_trap_dump(const struct trap_frame *tf);
/* The interrupted code's program counter and frame pointer (backtraces). */
void machine_trap_where(const struct trap_frame *tf, uint64_t *pc, uint64_t *fp);

#endif
