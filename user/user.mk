# SPDX-License-Identifier: GPL-2.0-or-later
# user/: the runtime of user programs (crt0, trap stubs, a small C library,
# TAP) and the test programs, static ELF64 executables built by the host
# gcc for vmach and GNU Mach alike (docs/user.md).
#
# A program is one line: add NAME to USER_PROGS and write user/tests/NAME.c;
# it is built as build/user/NAME. A program of several files also sets
# NAME_USER_SRCS.

USER_PROGS := template hello libc zero-fill badptr sse regs ro-write traps ipc-port ipc-msg ipc-trap \
	ipc-kserver ipc-threads ipc-exc ipc-tasks ipc-special ipc-rights ipc-ool ipc-ool-cow ipc-rpc ipc-queue ipc-pset ipc-notify ipc-hostile ipc-loops ipc-exhaust ipc-exhaust-task ipc-newtask ipc-essential ipc-sendnotify \
	dev-time dev-random dev-console dev-net-echo dev-net-filter \
	spin sse-spin sse-spin2 hog steady argcheck badtrap dev-disk vdso vdso-write vdso-stress
# The hostile task: driver, random calls, echo server.
ipc-hostile_USER_SRCS := user/tests/ipc-hostile.c user/tests/ipc-hostile-gen.c \
	user/tests/ipc-hostile-server.c
# A second sse-spin under its own name, so two run in one boot.
sse-spin2_USER_SRCS := user/tests/sse-spin.c

# The bench families' user programs (bench/mach, bench/ipc, bench/dev, bench/time), in user/bench/.
USER_BENCH_PROGS := mach-trap mach-zfill mach-ping mach-pong ipc-bench dev-bench time-bench
USER_PROGS += $(USER_BENCH_PROGS)
$(foreach p,mach-trap mach-zfill dev-bench,$(eval $(p)_USER_SRCS := user/bench/$(p).c))
# One program under two names, so that the two tasks' lines tell apart.
mach-ping_USER_SRCS := user/bench/mach-yield.c
mach-pong_USER_SRCS := user/bench/mach-yield.c
# The ipc bench family's program (bench/ipc): client and echo server.
ipc-bench_USER_SRCS := user/bench/ipc-bench.c user/bench/ipc-peer.c
# The time bench family's program (bench/time).
time-bench_USER_SRCS := user/bench/time-bench.c

USER_BUILD := $(BUILD)/user
# User code may use SSE; the red zone is fine outside the kernel. No PIE:
# static ET_EXEC at user/user.ld's address.
USER_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -isystem user/libc/include \
	-isystem $(BUILD)/mig/user -isystem $(SYSROOT)/include -Iuser/include -Iuser/test \
	-fno-pie -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
USER_ASFLAGS := -isystem $(SYSROOT)/include -Iuser/include -g -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,user/user.ld -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none

USER_LIB_SRCS := user/libc/string.c user/libc/format.c user/libc/print.c \
	user/libc/exit.c user/libc/start.c user/libc/convert.c user/test/tap.c \
	user/libc/mig_support.c user/libc/thread.c user/libc/vdso.c
USER_LIB_OBJS := $(patsubst %.c,$(USER_BUILD)/obj/%.o,$(USER_LIB_SRCS)) $(USER_BUILD)/traps.o \
	$(MIG_USER_OBJS)
USER_CRT0 := $(USER_BUILD)/obj/user/crt0.o
USER_LIB := $(USER_BUILD)/libuser.a
USER_BINS := $(addprefix $(USER_BUILD)/,$(USER_PROGS))

# Every user object may include the MIG headers (mig/mig.mk).
$(USER_BUILD)/obj/%.o: %.c | $(SYSROOT)/.complete $(MIG_USER_HDRS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [u] $<")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# The name tap.c prints (user/libc/progname.c), one object per program.
$(USER_BUILD)/obj/progname-%.o: user/libc/progname.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -DUSER_PROG_NAME='"$*"' -c $< -o $@

$(USER_CRT0): user/crt0.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_ASFLAGS) -c $< -o $@

# The trap stubs: <mach/syscall_sw.h> preprocessed with our kernel_trap
# (user/traps.S) into build/user/traps.s, which is kept to be read.
$(USER_BUILD)/traps.s: user/traps.S | $(SYSROOT)/.complete
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x assembler-with-cpp $(USER_ASFLAGS) -MT $@ -MF $@.d $< -o $@

$(USER_BUILD)/traps.o: $(USER_BUILD)/traps.s
	$(Q)$(CC) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

define user_prog_rule
$(1)_USER_SRCS ?= user/tests/$(1).c
$(USER_BUILD)/$(1): $$(patsubst %.c,$(USER_BUILD)/obj/%.o,$$($(1)_USER_SRCS)) \
		$(USER_BUILD)/obj/progname-$(1).o $(USER_CRT0) $(USER_LIB) user/user.ld
	@$$(if $$(Q),echo "  LD [u] $$@")
	$$(Q)$(CC) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(USER_BUILD)/obj/progname-$(1).o \
		$$(patsubst %.c,$(USER_BUILD)/obj/%.o,$$($(1)_USER_SRCS)) $(USER_LIB) -lgcc
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog_rule,$(p))))

.PHONY: user
user: $(USER_BINS)
