# SPDX-License-Identifier: GPL-2.0-or-later
#
# vmach: one non-recursive Makefile. Each folder adds its files through a
# rules.mk fragment (see the "Fragments" comment below).

.DEFAULT_GOAL := all
BUILD := build
# GNU Mach's headers (mach/, device/, mach_debug/) and MIG from Debian 13,
# unpacked by scripts/sysroot (make deps); see docs/architecture.md.
SYSROOT := $(BUILD)/sysroot
CC := gcc
LD := ld
HOSTCC := gcc
FUZZCC := clang
QEMU := qemu-system-x86_64

# The kernel: freestanding x86_64, higher half, no SSE, frame pointers kept
# for the symbolic backtrace. Link-time optimisation: the message path
# crosses ipc/, kern/ and x86_64/ in many small functions, and inlining
# across them saves about 15% of a null RPC (docs/ipc.md "Costs").
KCFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -isystem $(SYSROOT)/include \
	-mno-red-zone -mcmodel=kernel -mno-sse -mno-sse2 -mno-mmx -mno-avx \
	-mno-80387 -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fcf-protection=none \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -DVMACH_KERNEL \
	-MMD -MP -flto
KASFLAGS := -I. -DVMACH_KERNEL -D__ASSEMBLY__ -MMD -MP -g
# The kernel is linked by the compiler, which finishes the link-time
# optimisation: the code flags again, one partition (the two links of an
# image must place every function alike, scripts/check-ksyms.sh), and
# -Wmaybe-uninitialized off there only: inlined across files, MIG's server
# stubs look as if they read the outputs of a routine that failed.
KLDFLAGS = $(KCFLAGS) -flto-partition=one -Wno-maybe-uninitialized -nostdlib -static \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
	-Wl,--build-id=none -Wl,-T,x86_64/kernel.ld

# The kernel's compile flags in a file rewritten only when they change:
# every kernel object depends on it, so new flags rebuild them all.
KFLAGS_STAMP := $(BUILD)/kflags
$(shell mkdir -p $(BUILD) && echo '$(KCFLAGS)' | cmp -s - $(KFLAGS_STAMP) || \
	echo '$(KCFLAGS)' > $(KFLAGS_STAMP))

# Host unit tests: the portable sources, under ASan and UBSan. The sysroot
# holds only mach/, device/ and mach_debug/, which glibc does not have, so
# kernel headers that include <mach/kern_return.h> build here unchanged.
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I. -Itests -isystem $(SYSROOT)/include -DVMACH_HOST -MMD -MP
HOSTLDLIBS := -lcmocka

# Fuzz targets: clang's libFuzzer.
FUZZCFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-I. -Itests -isystem $(SYSROOT)/include -DVMACH_HOST -DVMACH_FUZZ

# Fragments: every folder/*.mk (and tests/*/*.mk) appends to:
#   KERNEL_SRCS   kernel .c and .S files
#   KTEST_SRCS    in-kernel tests and benchmarks: the test image only
#   HOST_TESTS    names of host test programs; NAME_SRCS lists each one's files
#   FUZZ_TARGETS  names of libFuzzer targets; NAME_SRCS lists each one's files
KERNEL_SRCS :=
KTEST_SRCS :=
HOST_TESTS :=
FUZZ_TARGETS :=
include $(sort $(wildcard */*.mk tests/*/*.mk))

# The release image's objects are in build/k; the test image's, in build/kt,
# are the same sources built with the lock checker on (kern/spinlock.h), so
# the release image does not pay for it.
KERNEL_OBJS := $(patsubst %,$(BUILD)/k/%.o,$(basename $(KERNEL_SRCS)))
KERNEL_TEST_OBJS := $(patsubst %,$(BUILD)/kt/%.o,$(basename $(KERNEL_SRCS)))
KTEST_OBJS := $(patsubst %,$(BUILD)/kt/%.o,$(basename $(KTEST_SRCS)))
KTEST_CFLAGS := -DVMACH_LOCK_CHECK
# The bench image: the release objects plus the tests and benchmarks built
# as the release is (build/kb), so its figures are the release kernel's.
KBENCH_OBJS := $(patsubst %,$(BUILD)/kb/%.o,$(basename $(filter-out %/lock_test.c,$(KTEST_SRCS))))

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(SYSROOT)/.complete: scripts/sysroot
	scripts/sysroot $(SYSROOT)

# The sysroot's headers and .defs arrive with it (a parallel build waits).
$(SYSROOT)/include/%: | $(SYSROOT)/.complete ;

$(BUILD)/k/%.o: %.c $(KFLAGS_STAMP) | $(SYSROOT)/.complete
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.o: %.S
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/kt/%.o: %.c $(KFLAGS_STAMP) | $(SYSROOT)/.complete
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [kt] $<")
	$(Q)$(CC) $(KCFLAGS) $(KTEST_CFLAGS) -c $< -o $@

$(BUILD)/kt/%.o: %.S
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS [kt] $<")
	$(Q)$(CC) $(KASFLAGS) $(KTEST_CFLAGS) -c $< -o $@

$(BUILD)/kb/%.o: %.c $(KFLAGS_STAMP) | $(SYSROOT)/.complete
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [kb] $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# The symbol table for backtraces is linked in a second pass: the first link
# gives the text addresses, which the table (placed after the text) does not
# move. Two images: build/vmach (release: no tests, no benchmarks) and
# build/vmach-test (the same kernel with the lock checker, plus KTEST_SRCS),
# which make check boots; build/vmach-bench (the release objects plus
# KTEST_SRCS but the lock checker's test), which make bench boots.
$(BUILD)/k/ksyms_empty.o: scripts/ksyms.sh
	@mkdir -p $(@D)
	scripts/ksyms.sh /dev/null > $(BUILD)/k/ksyms_empty.S
	$(CC) $(KASFLAGS) -c $(BUILD)/k/ksyms_empty.S -o $@

define image_rule
$(BUILD)/$(1).pass1: $(2) $(BUILD)/k/ksyms_empty.o x86_64/kernel.ld
	$$(CC) $$(KLDFLAGS) -o $$@ $(2) $(BUILD)/k/ksyms_empty.o

$(BUILD)/k/$(1)-ksyms.o: $(BUILD)/$(1).pass1 scripts/ksyms.sh
	scripts/ksyms.sh $$< > $(BUILD)/k/$(1)-ksyms.S
	$$(CC) $$(KASFLAGS) -c $(BUILD)/k/$(1)-ksyms.S -o $$@

$(BUILD)/$(1): $(2) $(BUILD)/k/$(1)-ksyms.o x86_64/kernel.ld
	$$(CC) $$(KLDFLAGS) -o $$@ $(2) $(BUILD)/k/$(1)-ksyms.o
	scripts/check-ksyms.sh $(BUILD)/$(1).pass1 $$@
endef
# Each image links the MIG kernel server stubs (mig/mig.mk).
$(eval $(call image_rule,vmach,$(KERNEL_OBJS) $(MIG_KERNEL_OBJS)))
$(eval $(call image_rule,vmach-test,$(KERNEL_TEST_OBJS) $(KTEST_OBJS) $(MIG_KERNEL_OBJS)))
$(eval $(call image_rule,vmach-bench,$(KERNEL_OBJS) $(KBENCH_OBJS) $(MIG_KERNEL_OBJS)))

# Host tests and fuzz targets.
define host_test_rule
$(BUILD)/host/$(1): $$($(1)_SRCS) | $(SYSROOT)/.complete
	@mkdir -p $$(@D)
	$$(HOSTCC) $$(HOSTCFLAGS) -o $$@ $$($(1)_SRCS) $$(HOSTLDLIBS)
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

define fuzz_rule
$(BUILD)/fuzz/$(1): $$($(1)_SRCS) | $(SYSROOT)/.complete
	@mkdir -p $$(@D)
	$$(FUZZCC) $$(FUZZCFLAGS) -o $$@ $$($(1)_SRCS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

HOST_BINS := $(addprefix $(BUILD)/host/,$(HOST_TESTS))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

.PHONY: all deps kernel test-kernel host-tests fuzz-build check fuzz run run-q35 iso gdb bench clean compile_commands.json \
	format format-check check-gnumach FORCE

all: $(BUILD)/vmach
kernel: $(BUILD)/vmach
test-kernel: $(BUILD)/vmach-test
host-tests: $(HOST_BINS)
fuzz-build: $(FUZZ_BINS)

deps:
	@scripts/deps

# make check: everything through prove. Host test programs print TAP
# (cmocka's TAP output), fuzz targets run briefly, QEMU tests boot the kernel
# (tests/qemu/user.t with the user programs as boot modules).
check: deps
	$(MAKE) all test-kernel host-tests fuzz-build user
	CMOCKA_MESSAGE_OUTPUT=TAP FUZZ_SECONDS=$${FUZZ_SECONDS:-10} \
	  prove -j2 --exec 'scripts/run-test' $(HOST_BINS) $(FUZZ_BINS) $(sort $(wildcard tests/tree/*.t tests/qemu/*.t))

fuzz: deps fuzz-build
	@for f in $(FUZZ_BINS); do FUZZ_SECONDS=$${FUZZ_SECONDS:-300} scripts/run-test $$f || exit 1; done

QEMU_RUN_DEVICES := -drive file=$(BUILD)/run-disk.img,if=none,format=raw,id=d0 \
	-device virtio-blk-pci,drive=d0 \
	-netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0

$(BUILD)/run-disk.img:
	@mkdir -p $(@D)
	truncate -s 64M $@

# A make variable as one shell word, unexpanded: boot-script lines hold
# ${host-port} and $(task-create), which make must not expand.
shell_word = '$(subst ','\'',$(value $(1)))'

# make run: boots into the monitor on the serial console (Ctrl-a x leaves).
# INITRD="build/user/hello '\$${host-port}' ...,..." adds boot modules
# through QEMU's -initrd (docs/user.md).
run: deps $(BUILD)/vmach $(BUILD)/run-disk.img $(if $(value INITRD),user)
	$(QEMU) -M $${MACHINE:-pc} -m 256M -nographic -no-reboot \
	  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	  $(QEMU_RUN_DEVICES) -kernel $(BUILD)/vmach -append "$${APPEND:-}" \
	  $(if $(value INITRD),-initrd $(call shell_word,INITRD))

run-q35:
	$(MAKE) run MACHINE=q35

# make iso [APPEND="kernel options"] [MODULES="PATH ARGS,PATH ARGS..."]: a
# GRUB image of build/vmach; each module line (the syntax of QEMU's -initrd)
# becomes "module /boot/NAME NAME ARGS" (scripts/mkiso), e.g.
#   make iso MODULES="build/user/hello '\$${host-port}' '\$$(task-create)' '\$$(task-resume)'"
$(BUILD)/vmach.iso: $(BUILD)/vmach scripts/grub.cfg scripts/mkiso FORCE $(if $(value MODULES),user)
	scripts/mkiso $@ $(BUILD)/vmach $(call shell_word,APPEND) $(call shell_word,MODULES)

iso: deps $(BUILD)/vmach.iso

# make gdb: QEMU waits for gdb on 127.0.0.1:1234; gdb loads the symbols and
# stops at kmain. The serial console goes to build/gdb-serial.log (follow it
# with `tail -f` in another terminal), so gdb keeps the terminal.
gdb: deps $(BUILD)/vmach $(BUILD)/run-disk.img
	$(QEMU) -M $${MACHINE:-pc} -m 256M -display none -monitor none -no-reboot -S \
	  -gdb tcp:127.0.0.1:1234 -serial file:$(BUILD)/gdb-serial.log \
	  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	  $(QEMU_RUN_DEVICES) -kernel $(BUILD)/vmach -append "$${APPEND:-}" & \
	sleep 0.5; gdb -q -x scripts/vmach.gdb; kill $$! 2>/dev/null || true

# make check-gnumach: the user test programs on GNU Mach 2025 itself, the
# oracle for Mach behaviour (tests/gnumach/user.t, docs/user.md).
$(BUILD)/gnumach/.complete: scripts/gnumach-image
	scripts/gnumach-image $(BUILD)/gnumach

check-gnumach: deps $(BUILD)/gnumach/.complete
	$(MAKE) user
	prove --exec 'scripts/run-test' $(sort $(wildcard tests/gnumach/*.t))

FORCE:

bench: deps $(BUILD)/vmach-bench $(addprefix $(USER_BUILD)/,$(USER_BENCH_PROGS))
	bench/run
	bench/net
	bench/mach
	bench/ipc
	bench/dev
	bench/boot
	bench/time

# The tree follows .clang-format: `make format` applies it, `make format-check` lists what differs.
FORMAT_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run -Werror $(FORMAT_FILES)

compile_commands.json:
	scripts/compile-commands.sh $(CC) "$(KCFLAGS)" $(KERNEL_SRCS) $(KTEST_SRCS) > $@

clean:
	rm -rf $(BUILD) compile_commands.json

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
