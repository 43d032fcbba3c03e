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

/* The battery-backed clock's time of day, in seconds since 1970 (UTC); 0 if it has none. */
uint64_t machine_rtc_seconds(void);

/* The cycle counter at the kernel's first instruction (for kern/boot_phase.c). */
uint64_t machine_entry_cycles(void);

/*
 * The cycle counter's frequency in Hz: as CPUID states it, or measured
 * against a fixed-rate timer (x86_64/tsc.c).
 */
uint64_t machine_cycles_measure_hz(void);
/* Where the last machine_cycles_measure_hz() took it from, in a few words. */
const char *machine_cycles_hz_source(void);
/*
 * A fixed-rate reference counter (the HPET's main counter) to refine the
 * cycle counter's rate against: its rate in Hz with its value now in
 * *count, or 0 when the machine has none (or before
 * machine_refclock_init, which maps it: after the ACPI tables are read,
 * where the MMIO window may be taken). Any context, interrupts too.
 */
uint64_t machine_refclock(uint64_t *count);
void machine_refclock_init(void);
/*
 * True when the hypervisor is KVM offering kvm-clock (CPUID 0x40000000
 * "KVMKVMKVM", 0x40000001 EAX bit 3 or 0); *stable when it states that the
 * TSC is stable across CPUs (bit 24). docs/vdso.md: what the kernel does
 * with it.
 */
bool machine_kvmclock(bool *stable);

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

/* ---- Address spaces (the pmap) ------------------------------------------- */

/*
 * One pmap per task: 4-level page tables whose user half [0, USER_SPACE_END)
 * is the task's own and whose kernel half is shared by every pmap (the
 * kernel's top-level entries are all allocated at boot, so a kernel mapping
 * made later is seen by every pmap). The VM layer (vm/) is the only user of
 * the user-half calls; it keeps the truth (maps and objects), the pmap is a
 * cache of it that may be rebuilt by faults at any time.
 *
 * Protections are VM_PROT_* bits (<mach/vm_prot.h>). Flags of pmap_enter:
 */
#define PMAP_WIRED 0x1    /* the mapping is wired (accounting only) */
#define PMAP_CACHE_UC 0x2 /* uncached (device registers) */
#define PMAP_CACHE_WC 0x4 /* write-combining (frame buffers) */

struct pmap;

/* The kernel's pmap: the kernel half only (kernel threads run on it). */
struct pmap *pmap_kernel(void);
/* A new pmap with an empty user half. KERN_RESOURCE_SHORTAGE without memory. */
kern_return_t pmap_create(struct pmap **out);
/* Frees the pmap's page tables (not the pages they map). Not the active pmap. */
void pmap_destroy(struct pmap *pmap);
/*
 * Maps the page at va (user half, page-aligned) to the physical page pa
 * with prot, replacing any earlier mapping of va. KERN_RESOURCE_SHORTAGE
 * when a page table cannot be allocated.
 */
kern_return_t pmap_enter(struct pmap *pmap, uint64_t va, uint64_t pa, unsigned prot,
                         unsigned flags);
/* Unmaps [start, end) (page-aligned; unmapped pages are skipped). */
void pmap_remove(struct pmap *pmap, uint64_t start, uint64_t end);
/* Lowers the protection of the mapped pages in [start, end) to prot. */
void pmap_protect(struct pmap *pmap, uint64_t start, uint64_t end, unsigned prot);
/* The physical address va maps to, in *pa; false when va is not mapped. */
bool pmap_extract(struct pmap *pmap, uint64_t va, uint64_t *pa);
/* Makes pmap this CPU's address space (the context switch calls it). */
void pmap_activate(struct pmap *pmap);
/*
 * Kernel-half mappings (kernel stacks): va must lie in the kernel half
 * outside the direct map, the image and the MMIO window.
 */
kern_return_t pmap_kenter(uint64_t va, uint64_t pa, unsigned prot);
void pmap_kremove(uint64_t va, size_t size);

/* ---- Threads: the machine side ------------------------------------------- */

/*
 * The machine state of a thread (its PCB), embedded in struct thread
 * (kern/thread.h). A thread runs on its own kernel stack; a user thread's
 * user registers are a struct trap_frame at the top of that stack while it
 * is in the kernel.
 */
struct trap_frame;
struct machine_thread {
	uint64_t mt_ksp;              /* saved kernel stack pointer while switched out */
	uint64_t mt_kstack_top;       /* the top of its kernel stack (TSS rsp0, syscall stack) */
	uint64_t mt_fs_base;          /* user FS base */
	uint64_t mt_gs_base;          /* user GS base */
	void *mt_fpu;                 /* FXSAVE/XSAVE area, NULL for kernel-only threads */
	struct trap_frame *mt_uframe; /* user registers, NULL for kernel-only threads */
};

/*
 * Prepares a kernel thread to start in fn(arg) on the stack ending at
 * kstack_top at its first machine_switch() to it. fn starts with
 * interrupts disabled, as machine_switch() is called, and must not return.
 */
void machine_thread_init_kernel(struct machine_thread *mt, uint64_t kstack_top, void (*fn)(void *),
                                void *arg);
/*
 * Prepares a user thread: a zeroed user frame (rflags 0x202, user cs 0x1f
 * and ss 0x17) at the top of its kernel stack and a fresh FPU area (MXCSR
 * 0x1f80, x87 control word 0x37f). At its first switch it calls fn(arg) on
 * its kernel stack, interrupts disabled; fn ends by calling
 * machine_thread_enter_user(). Returns KERN_RESOURCE_SHORTAGE when the FPU
 * area cannot be allocated.
 */
kern_return_t machine_thread_init_user(struct machine_thread *mt, uint64_t kstack_top,
                                       void (*fn)(void *), void *arg);
/* Frees what machine_thread_init_user() allocated. */
void machine_thread_release(struct machine_thread *mt);
/* Sets the user program counter and stack pointer of a user thread. */
void machine_thread_set_user_pc_sp(struct machine_thread *mt, uint64_t pc, uint64_t sp);
/*
 * The user stack pointer of a user thread in the kernel (a trap's 7th
 * argument lies at user [sp + 8]).
 */
uint64_t machine_thread_user_sp(const struct machine_thread *mt);
/*
 * Copies a user thread's registers, FPU state and FS/GS bases into another
 * (thread_create). src may be the running thread.
 */
void machine_thread_copy_user(struct machine_thread *dst, const struct machine_thread *src);
/*
 * Saves the callee-saved registers, the stack, the FPU state (when from
 * has an area) and the user FS/GS bases (user threads) of from, and
 * resumes to: its FPU state and bases are loaded, and its kernel stack top
 * becomes the trap stack (TSS rsp0) and the syscall stack
 * (%gs:CPU_OFF_KSTACK_TOP). Called with interrupts disabled; the caller
 * has activated to's pmap. A kernel-only thread (no FPU area) leaves the
 * FPU registers as they are: the kernel never uses them.
 */
void machine_switch(struct machine_thread *from, struct machine_thread *to);
/*
 * Leaves the kernel for the current thread's user frame (iretq, so every
 * register comes from the frame); does not return. It passes
 * sched_preempt_point() first, like every return to user mode.
 */
void machine_thread_enter_user(void) __attribute__((noreturn));

/*
 * Thread state flavours (<mach/i386/thread_status.h>, MACH-ABI.md):
 * i386_THREAD_STATE and i386_REGS_SEGS_STATE (count 42), i386_FLOAT_STATE
 * (count 30), i386_FSGS_BASE_STATE (count 4). *count is the caller's
 * buffer size in natural_t words on entry and the size written on return.
 * KERN_INVALID_ARGUMENT for an unknown flavour or a count too small (a
 * larger count is accepted). Setting forces the user selectors, IF on and
 * IOPL 0, keeps only user-settable flags, and refuses FS/GS bases outside
 * the user half. Works on the running thread too (its live FPU registers
 * and bases are read and written).
 */
kern_return_t machine_thread_get_state(struct machine_thread *mt, int flavor, uint32_t *state,
                                       uint32_t *count);
kern_return_t machine_thread_set_state(struct machine_thread *mt, int flavor, const uint32_t *state,
                                       uint32_t count);

/* ---- User memory --------------------------------------------------------- */

/*
 * Copies between the kernel and the current address space's user half.
 * Faults are resolved through the VM (user_page_fault(), kern/user_entry.h)
 * and the copy goes on; a range not wholly inside [PAGE_SIZE,
 * USER_SPACE_END) (NULL's page, the kernel half, a wrap-around) and one
 * the VM cannot map return KERN_INVALID_ADDRESS, never a panic. A length
 * of 0 succeeds. They may block in the VM: call them with interrupts
 * enabled and no spinlock held.
 */
int64_t user_copy_bytes(void *dst, const void *src, size_t len); /* x86_64/user_copy.h */

/* [uaddr, uaddr + len) lies in the user half, above the NULL page (len > 0). */
static inline bool
machine_user_range_ok(uint64_t uaddr, size_t len)
{
	return uaddr >= PAGE_SIZE && uaddr < USER_SPACE_END && len <= USER_SPACE_END - uaddr;
}

/* Inline: every message goes through them, twice per call. */
static inline kern_return_t
copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (len == 0)
		return KERN_SUCCESS;
	if (!machine_user_range_ok((uint64_t)uaddr, len))
		return KERN_INVALID_ADDRESS;
	return user_copy_bytes(kaddr, uaddr, len) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

static inline kern_return_t
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (len == 0)
		return KERN_SUCCESS;
	if (!machine_user_range_ok((uint64_t)uaddr, len))
		return KERN_INVALID_ADDRESS;
	return user_copy_bytes(uaddr, kaddr, len) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}
/*
 * Copies a NUL-terminated string of at most max bytes (NUL included) into
 * kbuf and its length (without the NUL) into *len. KERN_INVALID_ADDRESS as
 * above, KERN_INVALID_ARGUMENT when no NUL is found within max bytes.
 */
kern_return_t copyinstr(const void *uaddr, char *kbuf, size_t max, size_t *len);

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
/*
 * The user stack pointer of the system call whose six arguments are args
 * (syscall_dispatch's array: the start of the call's trap frame). A 7th
 * argument is at user [sp + 8].
 */
uint64_t machine_syscall_user_sp(const uint64_t *args);

#endif
