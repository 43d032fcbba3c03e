// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Mach traps that need no ports, and the dispatch of every trap
 * number (kern/user_entry.h). Numbers are <mach/syscall_sw.h>'s. The
 * IPC traps are kern/ipc_traps.c's.
 */
#include <mach/exception.h>
#include <mach/message.h>
#include <mach/port.h>
#include <mach/thread_switch.h>
#include <mach/x86_64/exception.h>
#include <mach/x86_64/thread_status.h>

#include "kern/clock.h"
#include "kern/console.h"
#include "kern/initcall.h"
#include "kern/ipc_traps.h"
#include "kern/sched.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/user_entry.h"
#include "kern/vdso.h"
#include "kern/vvar.h"
#include "x86_64/machine.h"

/* GNU Mach's trap table runs from -1 down to -129; inside it, unused numbers fail softly. */
#define TRAP_TABLE_LOWEST (-129)

#define TRAP_MACH_MSG (-25)
#define TRAP_MACH_REPLY_PORT (-26)
#define TRAP_MACH_THREAD_SELF (-27)
#define TRAP_MACH_TASK_SELF (-28)
#define TRAP_MACH_HOST_SELF (-29)
#define TRAP_MACH_PRINT (-30)
#define TRAP_SWTCH_PRI (-59)
#define TRAP_SWTCH (-60)
#define TRAP_THREAD_SWITCH (-61)
#define TRAP_TASK_TERMINATE (-69)

/* mach_print: the string, in pieces, checked piece by piece against the user half. */
static kern_return_t
trap_mach_print(uint64_t uaddr)
{
	char buf[256];
	size_t len;
	kern_return_t kr;

	if (!uaddr)
		return KERN_SUCCESS; /* GNU Mach prints nothing for NULL */
	for (;;) {
		kr = copyinstr((const void *)uaddr, buf, sizeof(buf), &len);
		if (kr == KERN_SUCCESS) {
			console_write(buf, len);
			return KERN_SUCCESS;
		}
		if (kr != KERN_INVALID_ARGUMENT)
			return kr;
		/* No NUL in this piece: print it whole and go on. */
		console_write(buf, sizeof(buf));
		uaddr += sizeof(buf);
	}
}

/* Whether another thread could run now (swtch's answer). */
static bool
others_runnable(void)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);
	bool r = cpu_self()->cpu_runq.rq_count > 0;

	spin_unlock_irqrestore(&sched_lock, f);
	return r;
}

static uint64_t
trap_swtch(void)
{
	if (!others_runnable())
		return false;
	thread_yield();
	return others_runnable();
}

/* Depresses the current thread for ms milliseconds (0: one quantum). */
static void
depress_self(uint64_t ms)
{
	struct thread *th = current_thread();
	uint64_t ns =
	    ms ? ms * 1000000 : (uint64_t)sched_quantum_ticks * (1000000000 / CLOCK_TICK_HZ);
	uint64_t f = spin_lock_irqsave(&sched_lock);

	sched_depress(th, clock_monotonic_ns() + ns);
	spin_unlock_irqrestore(&sched_lock, f);
}

static void
undepress_self(void)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);

	sched_undepress(current_thread());
	spin_unlock_irqrestore(&sched_lock, f);
}

/* swtch_pri: GNU Mach depresses for a quantum, yields, and ends the depression on return. */
static uint64_t
trap_swtch_pri(uint64_t pri)
{
	(void)pri; /* ignored, as GNU Mach does */
	depress_self(0);
	thread_yield();
	undepress_self();
	return others_runnable();
}

static uint64_t
trap_thread_switch(uint64_t name, uint64_t option, uint64_t time_ms)
{
	static struct wait_event never = WAIT_EVENT_INIT("thread_switch wait");

	switch (option) {
	case SWITCH_OPTION_NONE:
	case SWITCH_OPTION_DEPRESS:
	case SWITCH_OPTION_WAIT:
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	/* The hand-off hint names a thread port: none can be named before IPC, so no hint. */
	(void)name;
	if (option == SWITCH_OPTION_WAIT) {
		thread_assert_wait(&never, true);
		thread_block((uint32_t)time_ms * 1000000ULL);
		return KERN_SUCCESS;
	}
	if (option == SWITCH_OPTION_DEPRESS)
		depress_self((uint32_t)time_ms);
	thread_yield();
	return KERN_SUCCESS;
}

/* The user's program counter, for the report of a thread that dies. */
static uint64_t
user_pc(void)
{
	struct i386_thread_state st;
	uint32_t count = sizeof(st) / sizeof(uint32_t);

	if (machine_thread_get_state(&current_thread()->th_machine, i386_THREAD_STATE,
	                             (uint32_t *)&st, &count) != KERN_SUCCESS)
		return 0;
	return st.rip;
}

/* A number outside GNU Mach's trap table: the instruction itself was bad. */
static __attribute__((noinline)) uint64_t
trap_outside_table(void)
{
	user_exception(EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, user_pc());
	return KERN_INVALID_ARGUMENT; /* not reached while no exception port exists */
}

static uint64_t
t_mach_print(const uint64_t *a)
{
	return trap_mach_print(a[0]);
}

static uint64_t
t_swtch(const uint64_t *a)
{
	(void)a;
	return trap_swtch();
}

static uint64_t
t_swtch_pri(const uint64_t *a)
{
	return trap_swtch_pri(a[0]);
}

static uint64_t
t_thread_switch(const uint64_t *a)
{
	return trap_thread_switch(a[0], a[1], a[2]);
}

/* The trap table, indexed by minus the trap number; a hole is an unused trap. */
typedef uint64_t trap_fn(const uint64_t *args);
static trap_fn *const trap_table[-TRAP_TABLE_LOWEST + 1] = {
    [-TRAP_MACH_MSG] = trap_mach_msg,
    [-TRAP_MACH_REPLY_PORT] = trap_mach_reply_port,
    [-TRAP_MACH_THREAD_SELF] = trap_mach_thread_self,
    [-TRAP_MACH_TASK_SELF] = trap_mach_task_self,
    [-TRAP_MACH_HOST_SELF] = trap_mach_host_self,
    [-TRAP_MACH_PRINT] = t_mach_print,
    [-TRAP_SWTCH_PRI] = t_swtch_pri,
    [-TRAP_SWTCH] = t_swtch,
    [-TRAP_THREAD_SWITCH] = t_thread_switch,
    [-TRAP_TASK_TERMINATE] = trap_task_terminate,
    /* The syscall_* shortcuts, -64 to -76 (kern/syscall_shortcuts.c). */
    [64] = trap_syscall_vm_map,
    [65] = trap_syscall_vm_allocate,
    [66] = trap_syscall_vm_deallocate,
    [68] = trap_syscall_task_create,
    [70] = trap_syscall_task_suspend,
    [71] = trap_syscall_task_set_special_port,
    [72] = trap_syscall_mach_port_allocate,
    [73] = trap_syscall_mach_port_deallocate,
    [74] = trap_syscall_mach_port_insert_right,
    [75] = trap_syscall_mach_port_allocate_name,
    [76] = trap_syscall_thread_depress_abort,
    /* vmach's own: the vDSO's slow path (kern/vdso.h). */
    [-VMACH_TRAP_CLOCK_GETTIME] = trap_vmach_clock_gettime,
};

_Static_assert(SYSCALL_LIGHT_SPAN == -TRAP_TABLE_LOWEST, "x86_64/syscall_entry.S indexes by +129");

uint8_t syscall_light[SYSCALL_LIGHT_SPAN];

/* Which traps run light (kern/user_entry.h): the unused numbers, and the self-port traps. */
static void
syscall_light_init(void)
{
	for (int n = 1; n <= -TRAP_TABLE_LOWEST; n++)
		syscall_light[SYSCALL_LIGHT_SPAN - n] =
		    !trap_table[n] || -n == TRAP_MACH_TASK_SELF || -n == TRAP_MACH_THREAD_SELF ||
		    -n == TRAP_MACH_HOST_SELF || -n == TRAP_MACH_REPLY_PORT;
}
INITCALL(INIT_BUS, "traps", syscall_light_init);

uint64_t
syscall_dispatch(int64_t number, const uint64_t args[6])
{
	uint64_t index = (uint64_t)-number;

	if (index - 1 > (uint64_t)-TRAP_TABLE_LOWEST - 1)
		return trap_outside_table();
	if (!trap_table[index])
		return KERN_INVALID_ARGUMENT; /* GNU Mach answers an unused trap softly */
	return trap_table[index](args);
}
