// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the boot-script language (kern/boot_script*.c) against
 * fake callbacks that log every call and hand out port names lowest first
 * in each task, as GNU Mach does. The boot lines of GNU Mach's manual, of
 * the Hurd's servers.boot, of Debian's GRUB entries for GNU/Hurd (as GRUB
 * passes them: its own quotes removed) and of Debian's installer under
 * QEMU (with $(ramdisk-create)); forward references; GNU Mach's rules for
 * text around ${} and $(); quotes and escapes; every error, naming the
 * module, the word and the name, with the failing line getting no task
 * and the lines naming its variables failing too; callback failures; the
 * limits; and every allocation failing in turn, with nothing leaked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/kmalloc_host.h"
#include "kern/boot_script.h"
#include "kern/kmalloc.h"

/* --- Fake callbacks. --- */

struct fake_task {
	unsigned ft_module;
	unsigned ft_next_name;
	bool ft_terminated;
};

#define EVENTS_MAX 128

struct fake {
	struct fake_task tasks[BOOT_MODULES_MAX];
	unsigned ntasks;
	char events[EVENTS_MAX][64];
	unsigned nevents;
	int fail_create; /* module whose task_create fails, or -1 */
	kern_return_t resume_kr, ramdisk_kr;
	bool null_names; /* insert_send_right gives MACH_PORT_NULL */
	bool top_names;  /* it gives the largest names, counting down */
};

static struct fake fk;
static int host_obj, device_obj, kernel_task_obj;

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
event(const char *fmt, ...)
{
	va_list ap;

	assert_true(fk.nevents < EVENTS_MAX);
	va_start(ap, fmt);
	vsnprintf(fk.events[fk.nevents++], sizeof(fk.events[0]), fmt, ap);
	va_end(ap);
}

static struct fake_task *
as_task(void *t)
{
	struct fake_task *ft = t;

	assert_true(ft >= fk.tasks && ft < fk.tasks + fk.ntasks);
	return ft;
}

static kern_return_t
fake_task_create(void *ctx, unsigned module, void **task)
{
	assert_ptr_equal(ctx, &fk);
	event("create %u", module);
	if ((int)module == fk.fail_create)
		return KERN_RESOURCE_SHORTAGE;
	struct fake_task *t = &fk.tasks[fk.ntasks++];
	t->ft_module = module;
	t->ft_next_name = 1;
	*task = t;
	return KERN_SUCCESS;
}

static void
fake_task_terminate(void *ctx, void *task)
{
	struct fake_task *t = as_task(task);

	assert_false(t->ft_terminated);
	t->ft_terminated = true;
	event("terminate %u", t->ft_module);
}

static mach_port_name_t
fake_insert(void *ctx, void *task, enum boot_script_kind kind, void *object)
{
	struct fake_task *t = as_task(task);
	char what[24];

	assert_false(t->ft_terminated);
	if (kind == BOOT_SCRIPT_TASK)
		snprintf(what, sizeof(what), "task %u", as_task(object)->ft_module);
	else if (object == &host_obj)
		snprintf(what, sizeof(what), "host");
	else if (object == &device_obj)
		snprintf(what, sizeof(what), "device");
	else if (object == &kernel_task_obj)
		snprintf(what, sizeof(what), "kernel-task");
	else
		fail_msg("insert of an unknown object");
	assert_true(kind == BOOT_SCRIPT_TASK || kind == BOOT_SCRIPT_PORT);
	event("insert %u %s", t->ft_module, what);
	if (fk.null_names)
		return MACH_PORT_NULL;
	if (fk.top_names)
		return UINT32_MAX - (t->ft_next_name++ - 1);
	return t->ft_next_name++;
}

static kern_return_t
fake_resume(void *ctx, void *task)
{
	struct fake_task *t = as_task(task);

	assert_false(t->ft_terminated);
	event("resume %u", t->ft_module);
	return fk.resume_kr;
}

static kern_return_t
fake_ramdisk(void *ctx, unsigned module)
{
	event("ramdisk %u", module);
	return fk.ramdisk_kr;
}

static const struct boot_script_ops ops = {
    .ctx = &fk,
    .task_create = fake_task_create,
    .task_terminate = fake_task_terminate,
    .insert_send_right = fake_insert,
    .task_resume = fake_resume,
    .ramdisk_create = fake_ramdisk,
};

/* What bootstrap gives: two ports and two strings (GNU Mach's names). */
#define KCMDLINE "root=device:hd0s1 console=com0 -s"
static const struct boot_script_var std_vars[] = {
    {.bv_name = "host-port", .bv_kind = BOOT_SCRIPT_PORT, .bv_object = &host_obj},
    {.bv_name = "device-port", .bv_kind = BOOT_SCRIPT_PORT, .bv_object = &device_obj},
    {.bv_name = "kernel-command-line", .bv_kind = BOOT_SCRIPT_STRING, .bv_string = KCMDLINE},
    {.bv_name = "root", .bv_kind = BOOT_SCRIPT_STRING, .bv_string = "device:hd0s1"},
    {.bv_name = "kernel-task", .bv_kind = BOOT_SCRIPT_PORT, .bv_object = &kernel_task_obj},
};
#define NSTD (sizeof(std_vars) / sizeof(std_vars[0]))

static int
setup(void **state)
{
	memset(&fk, 0, sizeof(fk));
	fk.fail_create = -1;
	kmalloc_host_fail_at = -1;
	kmalloc_host_calls = 0;
	kmalloc_host_live = 0;
	return 0;
}

static int
teardown(void **state)
{
	assert_int_equal(kmalloc_host_live, 0);
	return 0;
}

/* --- Helpers. --- */

/* Parses and prepares lines; returns prepare's result. */
static kern_return_t
run(struct boot_script **bs, const char *const *lines, unsigned n)
{
	assert_int_equal(boot_script_parse(lines, n, std_vars, NSTD, bs), KERN_SUCCESS);
	return boot_script_prepare(*bs, &ops);
}

/* Takes module's argv and compares it with the NULL-terminated list. */
static void
expect_argv(struct boot_script *bs, unsigned module, ...)
{
	unsigned argc = 12345, n = 0;
	char **argv = boot_script_take_argv(bs, module, &argc);
	const char *want;
	va_list ap;

	assert_non_null(argv);
	va_start(ap, module);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_true(n < argc);
		assert_non_null(argv[n]);
		assert_string_equal(argv[n], want);
		n++;
	}
	va_end(ap);
	assert_int_equal(argc, n);
	assert_null(argv[n]);
	kfree(argv); /* one block */
	assert_null(boot_script_take_argv(bs, module, &argc));
}

/* The events so far, in order, as the NULL-terminated list. */
static void
expect_events(const char *first, ...)
{
	const char *want = first;
	unsigned n = 0;
	va_list ap;

	va_start(ap, first);
	for (; want; want = va_arg(ap, const char *), n++) {
		if (n >= fk.nevents)
			fail_msg("missing event '%s'", want);
		assert_string_equal(fk.events[n], want);
	}
	va_end(ap);
	if (n != fk.nevents)
		fail_msg("unexpected event '%s'", fk.events[n]);
}

/* module's error contains each of the NULL-terminated strings. */
static void
expect_error(struct boot_script *bs, unsigned module, ...)
{
	const char *err = boot_script_error(bs, module);
	const char *part;
	va_list ap;

	if (!err)
		fail_msg("module %u did not fail", module);
	va_start(ap, module);
	while ((part = va_arg(ap, const char *)) != NULL)
		if (!strstr(err, part))
			fail_msg("error '%s' lacks '%s'", err, part);
	va_end(ap);
}

/* A one-line script that must fail at parse with the given message part. */
static void
expect_line_error(const char *line, const char *part)
{
	struct boot_script *bs;

	assert_int_equal(run(&bs, &line, 1), KERN_FAILURE);
	expect_error(bs, 0, part, NULL);
	assert_null(boot_script_take_argv(bs, 0, NULL));
	assert_null(boot_script_task(bs, 0));
	assert_int_equal(fk.ntasks, 0);
	boot_script_free(bs);
	fk.nevents = 0;
}

/* --- Boot lines from GNU Mach, the Hurd and Debian. --- */

/* DESIGN.md and MACH-ABI.md: names 1 and 2, $(task-create) adds nothing. */
static void
test_module_line(void **state)
{
	const char *lines[] = {
	    "module-X '${host-port}' '${device-port}' '$(task-create)' '$(task-resume)'"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_events("create 0", "insert 0 host", "insert 0 device", NULL);
	expect_argv(bs, 0, "module-X", "1", "2", NULL);
	assert_ptr_equal(boot_script_task(bs, 0), &fk.tasks[0]);
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	expect_events("create 0", "insert 0 host", "insert 0 device", "resume 0", NULL);
	assert_null(boot_script_error(bs, 0));
	boot_script_free(bs);
}

/*
 * Debian's GRUB entry for GNU/Hurd, as written in grub.cfg (quotes kept,
 * as QEMU's -initrd would pass them) and as GRUB passes it (its quotes
 * removed): the exec task is named on the first line and created on the
 * second.
 */
static void
check_debian_hurd(const char *ext2fs, const char *exec)
{
	const char *lines[] = {ext2fs, exec};
	struct boot_script *bs;

	setup(NULL);
	assert_int_equal(run(&bs, lines, 2), KERN_SUCCESS);
	expect_events("create 0", "create 1", "insert 0 host", "insert 0 device", "insert 0 task 1",
	              NULL);
	expect_argv(bs, 0, "ext2fs", "--multiboot-command-line=" KCMDLINE, "--host-priv-port=1",
	            "--device-master-port=2", "--exec-server-task=3", "-T", "typed", "device:hd0s1",
	            NULL);
	expect_argv(bs, 1, "exec", "/hurd/exec", NULL);
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	/* Only ext2fs is resumed: it resumes exec itself when ready. */
	assert_string_equal(fk.events[fk.nevents - 1], "resume 0");
	assert_int_equal(fk.nevents, 6);
	boot_script_free(bs);
	teardown(NULL);
}

static void
test_debian_grub_hurd(void **state)
{
	check_debian_hurd("ext2fs --multiboot-command-line='${kernel-command-line}' "
	                  "--host-priv-port='${host-port}' --device-master-port='${device-port}' "
	                  "--exec-server-task='${exec-task}' -T typed '${root}' '$(task-create)' "
	                  "'$(task-resume)'",
	                  "exec /hurd/exec '$(exec-task=task-create)'");
	check_debian_hurd("ext2fs --multiboot-command-line=${kernel-command-line} "
	                  "--host-priv-port=${host-port} --device-master-port=${device-port} "
	                  "--exec-server-task=${exec-task} -T typed ${root} $(task-create) "
	                  "$(task-resume)",
	                  "exec /hurd/exec $(exec-task=task-create)");
}

/* The Hurd's servers.boot: a kernel-task port too, ld.so as the program. */
static void
test_hurd_servers_boot(void **state)
{
	const char *lines[] = {
	    "/hurd/ext2fs.static --multiboot-command-line=${kernel-command-line} "
	    "--host-priv-port=${host-port} --device-master-port=${device-port} "
	    "--exec-server-task=${exec-task} --kernel-task=${kernel-task} -T typed ${root} "
	    "$(task-create) $(task-resume)",
	    "/lib/ld.so.1 /hurd/exec $(exec-task=task-create)",
	};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 2), KERN_SUCCESS);
	expect_argv(bs, 0, "/hurd/ext2fs.static", "--multiboot-command-line=" KCMDLINE,
	            "--host-priv-port=1", "--device-master-port=2", "--exec-server-task=3",
	            "--kernel-task=4", "-T", "typed", "device:hd0s1", NULL);
	expect_argv(bs, 1, "/lib/ld.so.1", "/hurd/exec", NULL);
	expect_events("create 0", "create 1", "insert 0 host", "insert 0 device", "insert 0 task 1",
	              "insert 0 kernel-task", NULL);
	boot_script_free(bs);
}

/* Debian's installer under QEMU: the first module becomes a RAM disk. */
static void
test_debian_installer_ramdisk(void **state)
{
	const char *lines[] = {
	    "initrd.gz $(ramdisk-create)",
	    "ext2fs.static --multiboot-command-line=${kernel-command-line} "
	    "--host-priv-port=${host-port} --device-master-port=${device-port} "
	    "--exec-server-task=${exec-task} -T typed gunzip:device:rd0 $(task-create) "
	    "$(task-resume)",
	    "ld.so.1 /hurd/exec $(exec-task=task-create)",
	};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 3), KERN_SUCCESS);
	assert_null(boot_script_take_argv(bs, 0, NULL)); /* no task */
	expect_argv(bs, 1, "ext2fs.static", "--multiboot-command-line=" KCMDLINE,
	            "--host-priv-port=1", "--device-master-port=2", "--exec-server-task=3", "-T",
	            "typed", "gunzip:device:rd0", NULL);
	expect_argv(bs, 2, "ld.so.1", "/hurd/exec", NULL);
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	/* The disk exists before the file system runs. */
	expect_events("create 1", "create 2", "insert 1 host", "insert 1 device", "insert 1 task 2",
	              "ramdisk 0", "resume 1", NULL);
	boot_script_free(bs);
}

/*
 * Several RAM disks: made in line order (rd0, rd1 as GNU Mach numbers
 * them), after every task exists; one failing leaves the others.
 */
static void
test_ramdisks_in_order(void **state)
{
	const char *lines[] = {"a.img $(ramdisk-create)", "p $(task-create) $(task-resume)",
	                       "b.img '$(ramdisk-create)'", "c.img $(ramdisk-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 4), KERN_SUCCESS);
	for (unsigned i = 0; i < 4; i++)
		if (i != 1)
			assert_null(boot_script_task(bs, i));
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	expect_events("create 1", "ramdisk 0", "resume 1", "ramdisk 2", "ramdisk 3", NULL);
	boot_script_free(bs);
}

/* --- The language. --- */

/* A line may name a task created by an earlier line, or a later one. */
static void
test_references_both_ways(void **state)
{
	const char *lines[] = {
	    "a $(ta=task-create) ${tc}",
	    "b ${ta} ${tc} $(task-create)",
	    "c $(tc=task-create) ${ta}",
	};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 3), KERN_SUCCESS);
	expect_events("create 0", "create 1", "create 2", "insert 0 task 2", "insert 1 task 0",
	              "insert 1 task 2", "insert 2 task 0", NULL);
	expect_argv(bs, 0, "a", "1", NULL);
	expect_argv(bs, 1, "b", "1", "2", NULL);
	expect_argv(bs, 2, "c", "1", NULL);
	boot_script_free(bs);
}

/* GNU Mach: text before ${} joins it; text after "}" is a new argument. */
static void
test_text_around_references(void **state)
{
	const char *lines[] = {
	    "p --x=${host-port} ${root}/x a${root}b${root} ${host-port}${device-port} "
	    "$(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_argv(bs, 0, "p", "--x=1", "device:hd0s1", "/x", "adevice:hd0s1", "bdevice:hd0s1",
	            "2", "3", NULL);
	boot_script_free(bs);
}

/* "$(" is a call only where an argument starts; elsewhere it is text. */
static void
test_calls_only_at_argument_start(void **state)
{
	const char *lines[] = {"p pre$(task-resume) ${root}$(task-create)x '$(task-resume)'y"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_argv(bs, 0, "p", "pre$(task-resume)", "device:hd0s1", "x", "y", NULL);
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	expect_events("create 0", "resume 0", NULL); /* one resume: the last word's */
	boot_script_free(bs);
}

static void
test_quotes_and_escapes(void **state)
{
	const char *lines[] = {"'my prog' 'a b' \"c d\" 'x'\"y\" '' e\\\"f 'g\\h' \"i\\\\j\" "
	                       "\"--opt='q r'\" \"it's\" 'k\\\\l' $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_argv(bs, 0, "my prog", "a b", "c d", "xy", "e\"f", "g\\h", "i\\j", "--opt='q r'",
	            "it's", "k\\\\l", NULL);
	boot_script_free(bs);
}

/* GRUB wraps a word holding a blank in double quotes (MACH-ABI.md). */
static void
test_grub_double_quotes(void **state)
{
	const char *lines[] = {"prog \"bar baz\" \"--root=${root}\" $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_argv(bs, 0, "prog", "bar baz", "--root=device:hd0s1", NULL);
	boot_script_free(bs);
}

/* $(a=b=task-create) binds both names to the task. */
static void
test_chained_binding(void **state)
{
	const char *lines[] = {"a $(x=y=task-create)", "b ${x} ${y} $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 2), KERN_SUCCESS);
	expect_argv(bs, 1, "b", "1", "2", NULL);
	expect_events("create 0", "create 1", "insert 1 task 0", "insert 1 task 0", NULL);
	boot_script_free(bs);
}

/* Blank lines, comments and missing lines are no tasks and no errors. */
static void
test_ignored_lines(void **state)
{
	const char *lines[] = {"",
	                       "   \t",
	                       "# a comment $(task-create)",
	                       NULL,
	                       "  # indented comment",
	                       "p $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 6), KERN_SUCCESS);
	for (unsigned i = 0; i < 5; i++) {
		assert_null(boot_script_error(bs, i));
		assert_null(boot_script_take_argv(bs, i, NULL));
	}
	expect_argv(bs, 5, "p", NULL);
	expect_events("create 5", NULL);
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	boot_script_free(bs);
}

/* A line without $(task-create) gets no task and its words are not looked at. */
static void
test_line_without_task(void **state)
{
	const char *lines[] = {"data ${no-such-thing}", "p $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 2), KERN_SUCCESS);
	assert_null(boot_script_take_argv(bs, 0, NULL));
	assert_null(boot_script_task(bs, 0));
	expect_argv(bs, 1, "p", NULL);
	boot_script_free(bs);
}

static void
test_prompt_task_resume(void **state)
{
	const char *lines[] = {"p $(task-create) $(prompt-task-resume)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	assert_int_equal(boot_script_start(bs, &ops), KERN_SUCCESS);
	expect_events("create 0", "resume 0", NULL);
	boot_script_free(bs);
}

static void
test_null_names(void **state)
{
	const char *lines[] = {"p ${host-port} --d=${device-port} $(task-create)"};
	struct boot_script *bs;

	fk.null_names = true;
	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_argv(bs, 0, "p", "0", "--d=0", NULL);
	boot_script_free(bs);
}

/* The widest names fill the space reserved for them (ASan watches). */
static void
test_widest_names(void **state)
{
	const char *lines[] = {"p ${host-port} ${device-port}x ${host-port} $(task-create)"};
	struct boot_script *bs;

	fk.top_names = true;
	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	expect_argv(bs, 0, "p", "4294967295", "4294967294", "x", "4294967293", NULL);
	boot_script_free(bs);
}

/* --- Errors. --- */

static void
test_unknown_variable(void **state)
{
	const char *lines[] = {"ext2fs --host=${host-port} --exec='${exec-tsk}' $(task-create)",
	                       "exec /hurd/exec $(exec-task=task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 2), KERN_FAILURE);
	expect_error(bs, 0, "module 0 (ext2fs)", "word 2", "'--exec='${exec-tsk}''",
	             "unknown variable 'exec-tsk'", NULL);
	assert_null(boot_script_take_argv(bs, 0, NULL));
	/* The other line goes on. */
	assert_null(boot_script_error(bs, 1));
	expect_argv(bs, 1, "exec", "/hurd/exec", NULL);
	expect_events("create 1", NULL);
	boot_script_free(bs);
}

static void
test_unknown_function(void **state)
{
	const char *lines[] = {"p $(task-create) $(task-destroy)", "q $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 2), KERN_FAILURE);
	expect_error(bs, 0, "module 0 (p)", "word 2", "'$(task-destroy)'",
	             "unknown function 'task-destroy'", NULL);
	expect_events("create 1", NULL);
	boot_script_free(bs);
}

static void
test_syntax_errors(void **state)
{
	expect_line_error("p ${task-create} $(task-create)", "'task-create' is a function");
	expect_line_error("p ${a=task-create}", "'=' inside ${...}");
	expect_line_error("p $(host-port=task-create)", "cannot bind 'host-port'");
	expect_line_error("p $(x=task-resume) $(task-create)",
	                  "'task-resume' gives no value to bind to 'x'");
	expect_line_error("d.img $(rd=ramdisk-create)",
	                  "'ramdisk-create' gives no value to bind to 'rd'");
	expect_line_error("p $(task-resume) x",
	                  "word 1 '$(task-resume)': task-resume without task-create");
	expect_line_error(
	    "p x '$(prompt-task-resume)'",
	    "word 2 ''$(prompt-task-resume)'': prompt-task-resume without task-create");
	expect_line_error("p $(task-create) $(task-create)", "task-create twice");
	expect_line_error("p $(x=x=task-create)", "'x' is bound twice");
	expect_line_error("p $(task-resume=task-create)", "cannot bind 'task-resume'");
	expect_line_error("p ${} $(task-create)", "empty name");
	expect_line_error("p $() $(task-create)", "empty name");
	expect_line_error("p ${root $(task-create)", "missing '}'");
	expect_line_error("p $(task-create", "missing ')'");
	expect_line_error("p ${ro'o}t} $(task-create)", "bad character ''' in a name");
	expect_line_error("p 'abc $(task-create)", "unterminated quote");
	expect_line_error("'prog $(task-create)", "unterminated quote");
	expect_line_error("'' $(task-create)", "empty program name");
	expect_line_error("p $(a=b=c=d=e=task-create)", "more than 4 names");
	expect_line_error("p $(task-create) $(host-port)", "unknown function 'host-port'");
	expect_line_error("p $(task-create) $(task-resume) $(task-resume) $(task-resume) "
	                  "$(task-resume) $(task-resume) $(task-resume) $(task-resume) "
	                  "$(task-resume) $(task-resume)",
	                  "word 10 '$(task-resume)': more than 8 functions on one line");
}

static void
test_bound_twice_across_lines(void **state)
{
	const char *lines[] = {"a $(t=task-create)", "b $(t=task-create)", "c ${t} $(task-create)"};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 3), KERN_FAILURE);
	assert_null(boot_script_error(bs, 0));
	expect_error(bs, 1, "module 1 (b)", "'t' is bound twice (module 0 first)", NULL);
	expect_argv(bs, 2, "c", "1", NULL);
	expect_events("create 0", "create 2", "insert 2 task 0", NULL);
	boot_script_free(bs);
}

/*
 * A line naming a variable of a failed line fails too, transitively, however
 * long the chain and whichever way it runs through the lines.
 */
static void
test_failure_spreads(void **state)
{
	const char *lines[] = {
	    "a ${t1} $(task-create)",      "b $(t1=task-create) ${t2}",
	    "c $(t2=task-create) ${t3}",   "d $(t3=task-create) ${t4}",
	    "e $(t4=task-create) $(oops)", "f ${host-port} $(task-create)",
	};
	struct boot_script *bs;

	assert_int_equal(run(&bs, lines, 6), KERN_FAILURE);
	expect_error(bs, 4, "unknown function 'oops'", NULL);
	expect_error(bs, 3, "word 2 '${t4}'", "'t4' is bound by module 4, which failed", NULL);
	expect_error(bs, 2, "'t3' is bound by module 3, which failed", NULL);
	expect_error(bs, 1, "'t2' is bound by module 2, which failed", NULL);
	expect_error(bs, 0, "word 1 '${t1}'", "'t1' is bound by module 1, which failed", NULL);
	expect_argv(bs, 5, "f", "1", NULL);
	expect_events("create 5", "insert 5 host", NULL);
	boot_script_free(bs);
}

/* task_create fails: lines already given a task that name it are undone. */
static void
test_task_create_fails(void **state)
{
	const char *lines[] = {
	    "fs --exec=${exec-task} $(task-create) $(task-resume)",
	    "exec $(exec-task=task-create)",
	    "other ${host-port} $(task-create) $(task-resume)",
	};
	struct boot_script *bs;

	fk.fail_create = 1;
	assert_int_equal(run(&bs, lines, 3), KERN_FAILURE);
	expect_error(bs, 1, "module 1 (exec): task-create failed", NULL);
	expect_error(bs, 0, "'exec-task' is bound by module 1, which failed", NULL);
	assert_null(boot_script_task(bs, 0));
	assert_null(boot_script_take_argv(bs, 0, NULL));
	/* No right was given to the task that was terminated. */
	expect_events("create 0", "create 1", "create 2", "terminate 0", "insert 2 host", NULL);
	assert_int_equal(boot_script_start(bs, &ops), KERN_FAILURE);
	assert_string_equal(fk.events[fk.nevents - 1], "resume 2");
	expect_argv(bs, 2, "other", "1", NULL);
	boot_script_free(bs);
}

static void
test_start_failures(void **state)
{
	const char *lines[] = {"disk $(ramdisk-create)", "p $(task-create) $(task-resume)",
	                       "q $(task-create) $(task-resume)"};
	struct boot_script *bs;

	fk.resume_kr = KERN_INVALID_ARGUMENT;
	fk.ramdisk_kr = KERN_NO_SPACE;
	assert_int_equal(run(&bs, lines, 3), KERN_SUCCESS);
	boot_script_fail(bs, 2, "its program would not load");
	expect_error(bs, 2, "module 2 (q): its program would not load", NULL);
	assert_int_equal(boot_script_start(bs, &ops), KERN_FAILURE);
	expect_error(bs, 0, "module 0 (disk): ramdisk-create failed", NULL);
	expect_error(bs, 1, "module 1 (p): task-resume failed", NULL);
	/* q was not resumed; p's task is still the caller's to end. */
	expect_events("create 1", "create 2", "ramdisk 0", "resume 1", NULL);
	assert_non_null(boot_script_task(bs, 1));
	assert_int_equal(boot_script_start(bs, &ops), KERN_INVALID_ARGUMENT);
	boot_script_free(bs);
}

static void
test_call_order(void **state)
{
	const char *lines[] = {"p $(task-create)"};
	struct boot_script *bs;
	struct boot_script_ops partial = ops;

	assert_int_equal(boot_script_parse(lines, 1, std_vars, NSTD, &bs), KERN_SUCCESS);
	assert_int_equal(boot_script_start(bs, &ops), KERN_INVALID_ARGUMENT);
	partial.insert_send_right = NULL;
	assert_int_equal(boot_script_prepare(bs, &partial), KERN_INVALID_ARGUMENT);
	assert_int_equal(boot_script_prepare(bs, &ops), KERN_SUCCESS);
	assert_int_equal(boot_script_prepare(bs, &ops), KERN_INVALID_ARGUMENT);
	assert_null(boot_script_take_argv(bs, 1, NULL));
	assert_null(boot_script_error(bs, 1));
	boot_script_free(bs);
}

/* --- Limits. --- */

static void
test_bad_parse_arguments(void **state)
{
	const char *lines[BOOT_MODULES_MAX + 1] = {0};
	struct boot_script *bs = (void *)1;
	struct boot_script_var bad[2] = {
	    {.bv_name = "x", .bv_kind = BOOT_SCRIPT_STRING, .bv_string = "1"},
	    {.bv_name = "x", .bv_kind = BOOT_SCRIPT_STRING, .bv_string = "2"},
	};

	assert_int_equal(boot_script_parse(lines, BOOT_MODULES_MAX + 1, NULL, 0, &bs),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(boot_script_parse(lines, 1, NULL, 0, NULL), KERN_INVALID_ARGUMENT);
	assert_int_equal(boot_script_parse(NULL, 1, NULL, 0, &bs), KERN_INVALID_ARGUMENT);
	assert_int_equal(boot_script_parse(lines, 1, bad, 2, &bs), KERN_INVALID_ARGUMENT);
	bad[1].bv_name = "task-create";
	assert_int_equal(boot_script_parse(lines, 1, bad, 2, &bs), KERN_INVALID_ARGUMENT);
	bad[1].bv_name = "a b";
	assert_int_equal(boot_script_parse(lines, 1, bad, 2, &bs), KERN_INVALID_ARGUMENT);
	bad[1].bv_name = "";
	assert_int_equal(boot_script_parse(lines, 1, bad, 2, &bs), KERN_INVALID_ARGUMENT);
	bad[1].bv_name = "y";
	bad[1].bv_string = NULL;
	assert_int_equal(boot_script_parse(lines, 1, bad, 2, &bs), KERN_INVALID_ARGUMENT);
	bad[1].bv_kind = BOOT_SCRIPT_TASK;
	assert_int_equal(boot_script_parse(lines, 1, bad, 2, &bs), KERN_INVALID_ARGUMENT);
	/* Exactly the maximum of modules is fine. */
	assert_int_equal(boot_script_parse(lines, BOOT_MODULES_MAX, NULL, 0, &bs), KERN_SUCCESS);
	boot_script_free(bs);
}

static void
test_line_length_limit(void **state)
{
	char *line = malloc(BOOT_SCRIPT_LINE_MAX + 2);
	const char *lines[] = {line};
	struct boot_script *bs;

	assert_non_null(line);
	memset(line, 'a', BOOT_SCRIPT_LINE_MAX + 1);
	memcpy(line, "p $(task-create) ", 17);
	line[BOOT_SCRIPT_LINE_MAX] = 0; /* exactly the maximum */
	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	boot_script_free(bs);
	line[BOOT_SCRIPT_LINE_MAX] = 'a';
	line[BOOT_SCRIPT_LINE_MAX + 1] = 0;
	assert_int_equal(run(&bs, lines, 1), KERN_FAILURE);
	expect_error(bs, 0, "module 0: line longer than 1024 bytes", NULL);
	boot_script_free(bs);
	free(line);
}

static void
test_argument_limit(void **state)
{
	char line[512] = "p $(task-create)";
	const char *lines[] = {line};
	struct boot_script *bs;

	for (unsigned i = 1; i < BOOT_SCRIPT_ARGS_MAX; i++)
		strcat(line, " x");
	assert_int_equal(run(&bs, lines, 1), KERN_SUCCESS);
	unsigned argc;
	char **argv = boot_script_take_argv(bs, 0, &argc);
	assert_int_equal(argc, BOOT_SCRIPT_ARGS_MAX);
	kfree(argv);
	boot_script_free(bs);
	strcat(line, " x");
	assert_int_equal(run(&bs, lines, 1), KERN_FAILURE);
	expect_error(bs, 0, "word 65 'x': more than 64 arguments", NULL);
	boot_script_free(bs);
}

static void
test_name_and_variable_limits(void **state)
{
	char line[BOOT_SCRIPT_LINE_MAX];
	const char *lines[] = {line};
	struct boot_script *bs;

	snprintf(line, sizeof(line), "p ${%0*d} $(task-create)", BOOT_SCRIPT_NAME_MAX + 1, 0);
	assert_int_equal(run(&bs, lines, 1), KERN_FAILURE);
	expect_error(bs, 0, "name longer than 63 bytes", NULL);
	/* The word is shortened in the message. */
	expect_error(bs, 0, "...'", NULL);
	boot_script_free(bs);
	/* Distinct unknown names fill the table: an error, not an overflow. */
	strcpy(line, "p");
	for (unsigned i = 0; i <= BOOT_SCRIPT_VARS_MAX; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " ${v%u}", i);
	assert_int_equal(run(&bs, lines, 1), KERN_FAILURE);
	expect_error(bs, 0, "more than 48 variables", NULL);
	boot_script_free(bs);
}

/* An argv longer than the limit (a huge string variable) fails its line. */
static void
test_argv_size_limit(void **state)
{
	size_t n = 70 * 1024;
	char *big = malloc(n + 1);
	struct boot_script_var v = {.bv_name = "big", .bv_kind = BOOT_SCRIPT_STRING};
	const char *lines[] = {"p ${big} $(task-create)"};
	struct boot_script *bs;

	assert_non_null(big);
	memset(big, 'b', n);
	big[n] = 0;
	v.bv_string = big;
	assert_int_equal(boot_script_parse(lines, 1, &v, 1, &bs), KERN_SUCCESS);
	assert_int_equal(boot_script_prepare(bs, &ops), KERN_FAILURE);
	expect_error(bs, 0, "arguments longer than", NULL);
	assert_int_equal(fk.nevents, 0);
	boot_script_free(bs);
	free(big);
}

/* --- Memory. --- */

/*
 * Every allocation of a full script fails in turn: parse reports the
 * shortage, or prepare fails exactly the lines that could not get an argv
 * (never inserting a right into a terminated task); nothing leaks.
 */
static void
test_every_allocation_fails(void **state)
{
	const char *lines[] = {
	    "ext2fs --host=${host-port} --exec=${exec-task} $(task-create) $(task-resume)",
	    "exec /hurd/exec $(exec-task=task-create)",
	    "disk $(ramdisk-create)",
	};
	unsigned total;
	struct boot_script *bs;

	/* Count the allocations of a run that succeeds. */
	assert_int_equal(run(&bs, lines, 3), KERN_SUCCESS);
	boot_script_free(bs);
	total = kmalloc_host_calls;
	assert_true(total >= 5);
	for (unsigned n = 0; n < total; n++) {
		kern_return_t kr;

		setup(NULL);
		kmalloc_host_fail_at = (int)n;
		kr = boot_script_parse(lines, 3, std_vars, NSTD, &bs);
		if (kr != KERN_SUCCESS) {
			assert_int_equal(kr, KERN_RESOURCE_SHORTAGE);
			assert_null(bs);
		} else {
			assert_int_equal(boot_script_prepare(bs, &ops), KERN_FAILURE);
			bool some = false;
			for (unsigned i = 0; i < 3; i++) {
				const char *e = boot_script_error(bs, i);
				some |= e != NULL;
				if (e && !strstr(e, "no memory for argv"))
					assert_non_null(strstr(e, "which failed"));
			}
			assert_true(some);
			boot_script_start(bs, &ops);
			boot_script_free(bs);
		}
		teardown(NULL);
	}
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_module_line),
	    T(test_debian_grub_hurd),
	    T(test_hurd_servers_boot),
	    T(test_debian_installer_ramdisk),
	    T(test_ramdisks_in_order),
	    T(test_references_both_ways),
	    T(test_text_around_references),
	    T(test_calls_only_at_argument_start),
	    T(test_quotes_and_escapes),
	    T(test_grub_double_quotes),
	    T(test_chained_binding),
	    T(test_ignored_lines),
	    T(test_line_without_task),
	    T(test_prompt_task_resume),
	    T(test_null_names),
	    T(test_widest_names),
	    T(test_unknown_variable),
	    T(test_unknown_function),
	    T(test_syntax_errors),
	    T(test_bound_twice_across_lines),
	    T(test_failure_spreads),
	    T(test_task_create_fails),
	    T(test_start_failures),
	    T(test_call_order),
	    T(test_bad_parse_arguments),
	    T(test_line_length_limit),
	    T(test_argument_limit),
	    T(test_name_and_variable_limits),
	    T(test_argv_size_limit),
	    T(test_every_allocation_fails),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
