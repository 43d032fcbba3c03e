// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the boot-script language (kern/boot_script*.c). The
 * input's first byte chooses failures (bits 0-3: the module whose
 * task_create fails, 15 for none; bit 4: task_resume fails; bit 5:
 * ramdisk_create fails), its second the allocation that fails (255 for
 * none); the rest is split at '\n' into up to BOOT_MODULES_MAX lines
 * (each an exact-size copy). Whatever happens, kern/boot_script.h's
 * promises are checked: every line either failed with a message or, if
 * it has a task, has an argv of NUL-terminated strings ending in NULL; no
 * right goes into a terminated task, no terminated task is resumed, and
 * nothing is left allocated after boot_script_free(). Anything else
 * aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/kmalloc_host.h"
#include "kern/boot_script.h"
#include "kern/kmalloc.h"
#include "kern/log.h"

void
klog(enum log_level level, const char *fmt, ...)
{
}

struct ftask {
	unsigned module;
	int terminated;
};

static struct {
	struct ftask tasks[BOOT_MODULES_MAX];
	unsigned ntasks;
	int fail_create, fail_resume, fail_ramdisk;
} fz;

static int host_obj, device_obj;

static struct ftask *
as_task(void *t)
{
	struct ftask *f = t;

	if (f < fz.tasks || f >= fz.tasks + fz.ntasks)
		abort();
	return f;
}

static kern_return_t
f_create(void *ctx, unsigned module, void **task)
{
	if (module >= BOOT_MODULES_MAX || fz.ntasks == BOOT_MODULES_MAX)
		abort();
	if ((int)module == fz.fail_create)
		return KERN_RESOURCE_SHORTAGE;
	fz.tasks[fz.ntasks] = (struct ftask){module, 0};
	*task = &fz.tasks[fz.ntasks++];
	return KERN_SUCCESS;
}

static void
f_terminate(void *ctx, void *task)
{
	struct ftask *t = as_task(task);

	if (t->terminated)
		abort();
	t->terminated = 1;
}

static mach_port_name_t
f_insert(void *ctx, void *task, enum boot_script_kind kind, void *object)
{
	if (as_task(task)->terminated)
		abort();
	if (kind == BOOT_SCRIPT_TASK)
		as_task(object);
	else if (kind != BOOT_SCRIPT_PORT || (object != &host_obj && object != &device_obj))
		abort();
	return 7;
}

static kern_return_t
f_resume(void *ctx, void *task)
{
	if (as_task(task)->terminated)
		abort();
	return fz.fail_resume ? KERN_FAILURE : KERN_SUCCESS;
}

static kern_return_t
f_ramdisk(void *ctx, unsigned module)
{
	return fz.fail_ramdisk ? KERN_NO_SPACE : KERN_SUCCESS;
}

static const struct boot_script_ops ops = {
    NULL, f_create, f_terminate, f_insert, f_resume, f_ramdisk,
};

static const struct boot_script_var vars[] = {
    {.bv_name = "host-port", .bv_kind = BOOT_SCRIPT_PORT, .bv_object = &host_obj},
    {.bv_name = "device-port", .bv_kind = BOOT_SCRIPT_PORT, .bv_object = &device_obj},
    {.bv_name = "kernel-command-line", .bv_kind = BOOT_SCRIPT_STRING, .bv_string = "a b=c"},
    {.bv_name = "root", .bv_kind = BOOT_SCRIPT_STRING, .bv_string = "device:hd0"},
};

static void
check_lines(struct boot_script *bs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const char *err = boot_script_error(bs, i);
		unsigned argc = 0;
		char **argv = boot_script_take_argv(bs, i, &argc);

		if (err && (argv || strlen(err) >= BOOT_SCRIPT_ERROR_MAX))
			abort();
		if (!argv)
			continue;
		if (argc == 0 || argc > BOOT_SCRIPT_ARGS_MAX || argv[argc] ||
		    !boot_script_task(bs, i))
			abort();
		for (unsigned a = 0; a < argc; a++)
			if (!argv[a] || strlen(argv[a]) > 64 * 1024)
				abort();
		kfree(argv);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *lines[BOOT_MODULES_MAX];
	unsigned n = 0;
	size_t pos = 2;
	struct boot_script *bs = NULL;

	if (size < 2)
		return 0;
	memset(&fz, 0, sizeof(fz));
	fz.fail_create = (data[0] & 15) == 15 ? -1 : data[0] & 15;
	fz.fail_resume = data[0] & 16;
	fz.fail_ramdisk = data[0] & 32;
	while (pos <= size && n < BOOT_MODULES_MAX) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - data) - pos : size - pos;
		lines[n] = malloc(len + 1);
		memcpy(lines[n], data + pos, len);
		lines[n++][len] = 0;
		pos += len + 1;
	}
	kmalloc_host_calls = 0;
	kmalloc_host_live = 0;
	kmalloc_host_fail_at = data[1] == 255 ? -1 : data[1];
	kern_return_t kr = boot_script_parse((const char *const *)lines, n, vars, 4, &bs);
	if (kr == KERN_SUCCESS) {
		kr = boot_script_prepare(bs, &ops);
		if (kr != KERN_SUCCESS && kr != KERN_FAILURE)
			abort();
		check_lines(bs, n);
		kr = boot_script_start(bs, &ops);
		if (kr != KERN_SUCCESS && kr != KERN_FAILURE)
			abort();
		boot_script_free(bs);
	} else if (kr != KERN_RESOURCE_SHORTAGE || bs) {
		abort();
	}
	if (kmalloc_host_live != 0)
		abort();
	for (unsigned i = 0; i < n; i++)
		free(lines[i]);
	return 0;
}
