// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot modules become tasks: the module command lines are GNU Mach boot
 * scripts (kern/boot_script.h), each program an ELF64 image
 * (kern/elf_load.h) loaded into its task with the initial stack of
 * MACH-ABI.md. docs/boot.md is the user's guide.
 *
 * With the kernel option boot_exit=on (the tests), the kernel ends QEMU
 * when the last boot task has ended: EXIT_PASS when none was killed by the
 * kernel, EXIT_FAIL otherwise.
 */
#include <mach/vm_prot.h>

#include "kern/boot_info.h"
#include "kern/boot_script.h"
#include "kern/bootstrap.h"
#include "kern/cmdline.h"
#include "kern/elf64.h"
#include "kern/elf_load.h"
#include "kern/exit.h"
#include "kern/initcall.h"
#include "kern/ipc_host.h"
#include "kern/ipc_tt.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/vdso.h"
#include "vm/vm_map.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

/* The user stack of a boot task: 128 KiB ending at the top of the user half (MACH-ABI.md). */
#define BOOT_STACK_SIZE_USER (128 * 1024)
/* The auxiliary vector's keys (System V ABI, Linux's numbers). */
#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_SYSINFO_EHDR 33
/* Where an ET_DYN module (ld.so) is loaded. */
#define BOOT_DYN_BIAS 0x1000000ULL

static unsigned boot_tasks_alive;
static bool boot_task_killed;

/* What ${host-port} and ${device-port} stand for: the object kinds insert_send_right sees. */
static char host_port_object, device_port_object;

/* The program name of a module line: the basename of its first word. */
static void
module_name(const char *cmdline, char *name, size_t size)
{
	const char *start = cmdline, *end, *p;

	while (*start == ' ' || *start == '\'' || *start == '"')
		start++;
	end = start;
	while (*end && *end != ' ' && *end != '\'' && *end != '"')
		end++;
	for (p = start; p < end; p++)
		if (*p == '/')
			start = p + 1;
	size_t n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
	memcpy(name, start, n);
	name[n] = 0;
	if (!n)
		strlcpy(name, "module", size);
}

static kern_return_t
op_task_create(void *ctx, unsigned module, void **out)
{
	char name[32];
	struct task *t;
	kern_return_t kr;

	(void)ctx;
	module_name(boot_info.modules[module].cmdline, name, sizeof(name));
	kr = task_create(NULL, false, name, &t);
	if (kr != KERN_SUCCESS)
		return kr;
	task_suspend(t); /* $(task-resume) lets it run */
	t->tk_boot = true;
	__atomic_add_fetch(&boot_tasks_alive, 1, __ATOMIC_SEQ_CST);
	*out = t;
	return KERN_SUCCESS;
}

static void
op_task_terminate(void *ctx, void *task)
{
	(void)ctx;
	task_terminate(task);
	task_deallocate(task);
}

/*
 * A send right in the task's space: to the privileged host port, the
 * device master port, or a task's kernel port. Its name, lowest free first
 * (so ${host-port} and ${device-port} are 1 and 2 in a fresh task, as on
 * GNU Mach); MACH_PORT_NULL when the space has no room.
 */
static mach_port_name_t
op_insert_send_right(void *ctx, void *task, enum boot_script_kind kind, void *object)
{
	struct ipc_port *send;

	(void)ctx;
	if (kind == BOOT_SCRIPT_TASK)
		send = ipc_task_make_send(object);
	else if (object == (void *)&host_port_object)
		send = host_priv_port_make_send();
	else if (object == (void *)&device_port_object)
		send = device_master_make_send();
	else
		send = NULL;
	return ipc_task_copyout_send(task, send);
}

static kern_return_t
op_task_resume(void *ctx, void *task)
{
	(void)ctx;
	return task_resume(task);
}

static boot_ramdisk_fn *ramdisk_hook;

void
bootstrap_set_ramdisk_hook(boot_ramdisk_fn *fn)
{
	ramdisk_hook = fn;
}

static kern_return_t
op_ramdisk_create(void *ctx, unsigned module)
{
	(void)ctx;
	if (!ramdisk_hook) {
		log_err("bootstrap: module %u: $(ramdisk-create): no RAM disk driver", module);
		return KERN_FAILURE;
	}
	return ramdisk_hook(module);
}

/* elf_load's map: read-write for the copies; the segments' own flags come after. */
static kern_return_t
load_map(void *ctx, uint64_t start, uint64_t len, unsigned prot)
{
	struct vm_map *map = ctx;
	uint64_t addr = start;

	(void)prot;
	return vm_allocate(map, &addr, len, false);
}

static kern_return_t
load_copy(void *ctx, uint64_t vaddr, const void *src, uint64_t len)
{
	return vm_map_copy_to_user(ctx, vaddr, src, len);
}

/* Maps the module's program into t's map; *entry is where it starts. */
static kern_return_t
load_program(struct task *t, const struct boot_module *m, uint64_t *entry, const char **why)
{
	const void *image = phys_to_virt(m->start);
	size_t size = m->end - m->start;
	struct elf_load_ops ops = {.ctx = t->tk_map, .map = load_map, .copy = load_copy};
	struct elf_image ei;
	kern_return_t kr;

	*why = NULL;
	kr = elf_check(image, size, 0, &ei, why);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = elf_load(image, size, ei.ei_type == ET_DYN ? BOOT_DYN_BIAS : 0, &ops, &ei, why);
	if (kr != KERN_SUCCESS) {
		if (!*why)
			*why = "no memory for its segments";
		return kr;
	}
	for (unsigned i = 0; i < ei.ei_nsegs; i++) {
		const struct elf_segment *s = &ei.ei_segs[i];
		uint64_t start = s->es_vaddr & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t end =
		    (s->es_vaddr + s->es_memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		vm_protect(t->tk_map, start, end - start, false, s->es_prot);
	}
	*entry = ei.ei_entry;
	return KERN_SUCCESS;
}

/*
 * The initial stack of MACH-ABI.md at the top of the user half: argc, the
 * argv pointers, NULL, the envp pointers (none), NULL, then the strings;
 * *sp points at argc and is 16-byte aligned. Between envp's NULL and the
 * strings, an auxiliary vector (System V's, as Linux's): AT_PAGESZ,
 * AT_SYSINFO_EHDR (the vDSO, docs/vdso.md) and AT_NULL. GNU Mach gives
 * none; its programs read nothing past envp's NULL, so they do not notice.
 */
static kern_return_t
build_stack(struct task *t, char **argv, unsigned argc, uint64_t *sp)
{
	uint64_t top = USER_SPACE_END, stack = top - BOOT_STACK_SIZE_USER;
	size_t strings = 0, lens[BOOT_SCRIPT_ARGS_MAX];
	uint64_t str_at, base, *words;
	uint64_t vdso_addr, vdso_size;
	bool has_vdso = vdso_find(t->tk_map, &vdso_addr, &vdso_size) == KERN_SUCCESS;
	unsigned nauxv = has_vdso ? 3 : 2;
	unsigned nwords = 1 + argc + 1 + 1 + 2 * nauxv;
	char *buf;
	kern_return_t kr;

	uint64_t addr = stack;
	kr = vm_allocate(t->tk_map, &addr, BOOT_STACK_SIZE_USER, false);
	if (kr != KERN_SUCCESS)
		return kr;
	for (unsigned i = 0; i < argc; i++) {
		lens[i] = strlen(argv[i]) + 1;
		strings += lens[i];
	}
	str_at = (top - strings) & ~15ULL;
	base = (str_at - nwords * 8) & ~15ULL;
	if (base < stack + PAGE_SIZE)
		return KERN_NO_SPACE;
	buf = kzalloc(top - base);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	words = (uint64_t *)buf;
	words[0] = argc;
	uint64_t at = str_at;
	for (unsigned i = 0; i < argc; i++) {
		words[1 + i] = at;
		memcpy(buf + (at - base), argv[i], lens[i]);
		at += lens[i];
	}
	/* words[1 + argc] (argv's NULL) and words[2 + argc] (envp's NULL) are zero. */
	uint64_t *auxv = words + 3 + argc;
	*auxv++ = AT_PAGESZ;
	*auxv++ = PAGE_SIZE;
	if (has_vdso) {
		*auxv++ = AT_SYSINFO_EHDR;
		*auxv++ = vdso_addr;
	}
	/* AT_NULL, 0: zero already. */
	kr = vm_map_copy_to_user(t->tk_map, base, buf, top - base);
	kfree(buf);
	*sp = base;
	return kr;
}

/* Loads module's program and gives its task a thread ready at the entry point. */
static kern_return_t
start_module(struct boot_script *bs, unsigned module, struct task *t)
{
	const struct boot_module *m = &boot_info.modules[module];
	unsigned argc;
	char **argv = boot_script_take_argv(bs, module, &argc);
	uint64_t entry, sp;
	const char *why = NULL;
	struct thread *th;
	kern_return_t kr;
	char msg[96];

	if (!argv)
		return KERN_SUCCESS;
	kr = load_program(t, m, &entry, &why);
	if (kr == KERN_SUCCESS && (kr = build_stack(t, argv, argc, &sp)) != KERN_SUCCESS)
		why = "no memory for its stack";
	if (kr == KERN_SUCCESS && (kr = thread_create(t, &th)) != KERN_SUCCESS)
		why = "no memory for its thread";
	if (kr != KERN_SUCCESS) {
		ksnprintf(msg, sizeof(msg), "its program was refused: %s", why ? why : "error");
		log_err("bootstrap: module %u (%s): %s", module, t->tk_name, msg);
		boot_script_fail(bs, module, msg);
		kfree(argv);
		return kr;
	}
	machine_thread_set_user_pc_sp(&th->th_machine, entry, sp);
	thread_resume(th); /* it runs once its task is resumed */
	thread_deallocate(th);
	log_info("bootstrap: module %u: task %s (%lu), %u argument(s), entry %#lx", module,
	         t->tk_name, t->tk_id, argc, entry);
	kfree(argv);
	return KERN_SUCCESS;
}

static void
boot_tasks_all_ended(void)
{
	static bool announced;
	const char *opt = kernel_option("boot_exit");

	if (__atomic_exchange_n(&announced, true, __ATOMIC_SEQ_CST))
		return;
	kprintf("vmach: all boot tasks ended\n");
	if (opt && !strcmp(opt, "on"))
		machine_debug_exit(boot_task_killed ? EXIT_FAIL : EXIT_PASS);
}

static void
boot_task_ended(struct task *t)
{
	if (!t->tk_boot)
		return;
	if (t->tk_killed)
		boot_task_killed = true;
	if (__atomic_sub_fetch(&boot_tasks_alive, 1, __ATOMIC_SEQ_CST) == 0)
		boot_tasks_all_ended();
}

static void
bootstrap_run(void)
{
	unsigned n = boot_info.module_count;
	const char *lines[BOOT_MODULES_MAX];
	struct boot_script_var vars[4 + CMDLINE_MAX_OPTS];
	unsigned nvars = 0;
	struct boot_script *bs;
	struct task *tasks[BOOT_MODULES_MAX];
	struct boot_script_ops ops = {
	    .task_create = op_task_create,
	    .task_terminate = op_task_terminate,
	    .insert_send_right = op_insert_send_right,
	    .task_resume = op_task_resume,
	    .ramdisk_create = op_ramdisk_create,
	};
	kern_return_t kr;

	if (!n)
		return;
	task_set_end_hook(boot_task_ended);
	for (unsigned i = 0; i < n; i++)
		lines[i] = boot_info.modules[i].cmdline;
	vars[nvars++] =
	    (struct boot_script_var){"host-port", BOOT_SCRIPT_PORT, NULL, &host_port_object};
	vars[nvars++] =
	    (struct boot_script_var){"device-port", BOOT_SCRIPT_PORT, NULL, &device_port_object};
	vars[nvars++] = (struct boot_script_var){"kernel-command-line", BOOT_SCRIPT_STRING,
	                                         boot_info.cmdline, NULL};
	/* GNU Mach makes every NAME=VALUE word of the command line a variable: root= gives ${root}.
	 */
	for (unsigned i = 0; i < kernel_cmdline.count; i++) {
		const struct cmdline_opt *o = &kernel_cmdline.opts[i];
		bool taken = false;
		for (unsigned j = 0; j < nvars; j++)
			taken |= !strcmp(vars[j].bv_name, o->key);
		if (!taken && o->value[0])
			vars[nvars++] =
			    (struct boot_script_var){o->key, BOOT_SCRIPT_STRING, o->value, NULL};
	}

	kr = boot_script_parse(lines, n, vars, nvars, &bs);
	if (kr != KERN_SUCCESS) {
		log_err("bootstrap: the boot script cannot be read (%d)", kr);
		return;
	}
	boot_script_prepare(bs, &ops);
	for (unsigned i = 0; i < n; i++) {
		tasks[i] = boot_script_task(bs, i);
		if (tasks[i] && start_module(bs, i, tasks[i]) != KERN_SUCCESS)
			boot_task_killed = true;
	}
	boot_script_start(bs, &ops);
	for (unsigned i = 0; i < n; i++) {
		const char *err = boot_script_error(bs, i);
		if (err) {
			log_err("bootstrap: %s", err);
			boot_task_killed = true;
			if (tasks[i])
				task_terminate(tasks[i]); /* KERN_FAILURE if it already is */
		}
		if (tasks[i])
			task_deallocate(tasks[i]); /* the task lives on through its threads */
	}
	boot_script_free(bs);
	/* No line gave a task that still lives: say so, and end a test run. */
	if (!__atomic_load_n(&boot_tasks_alive, __ATOMIC_SEQ_CST))
		boot_tasks_all_ended();
}
INITCALL(INIT_LATE, "bootstrap", bootstrap_run);
