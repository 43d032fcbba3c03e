# SPDX-License-Identifier: GPL-2.0-or-later
# MIG in the build (DESIGN.md): the sysroot's .defs preprocessed for x86_64
# and fed to migcom directly. User stubs go to build/mig/user/ under
# glibc's header names (<mach/mach_interface.h>, <mach/mach_port.h>, ...)
# and into the user runtime library (user/user.mk); kernel server stubs go
# to build/mig/kernel/ and are linked into every kernel image, served by
# kern/ipc_kobject.c and the S_ routines of kern/server_*.c (docs/ipc.md
# "Kernel servers").

MIG_BUILD := $(BUILD)/mig
MIGCOM := $(SYSROOT)/bin/migcom
MIG_CPP = $(CC) -E -x c -nostdinc -undef -D__x86_64__ -D__LP64__ -isystem $(SYSROOT)/include

# Each user interface: defs path under the sysroot's include/, then the header's name.
MIG_USER_IFACES := mach mach_port mach_host gnumach device vmach
mig_defs_mach := mach/mach.defs
mig_hdr_mach := mach/mach_interface.h
mig_defs_mach_port := mach/mach_port.defs
mig_hdr_mach_port := mach/mach_port.h
mig_defs_mach_host := mach/mach_host.defs
mig_hdr_mach_host := mach/mach_host.h
mig_defs_gnumach := mach/gnumach.defs
mig_hdr_gnumach := mach/gnumach.h
mig_defs_device := device/device.defs
mig_hdr_device := device/device.h
# vmach's own (docs/vdso.md): not in the sysroot, so its path is given whole.
mig_src_vmach := mig/vmach.defs
mig_hdr_vmach := vmach/vmach.h

MIG_USER_SRCS := $(foreach i,$(MIG_USER_IFACES),$(MIG_BUILD)/user/$(i)User.c)
MIG_USER_HDRS := $(foreach i,$(MIG_USER_IFACES),$(MIG_BUILD)/user/$(mig_hdr_$(i)))
MIG_USER_OBJS := $(MIG_USER_SRCS:.c=.o)

# One migcom run makes the stub and its header; the header is the target
# make tracks, the .c depends on it.
define mig_user_rule
$(MIG_BUILD)/user/$(mig_hdr_$(1)): $(or $(mig_src_$(1)),$(SYSROOT)/include/$(mig_defs_$(1))) | $(SYSROOT)/.complete
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  MIG [u] $$<")
	$(Q)$(MIG_CPP) $$< | $(MIGCOM) -user $(MIG_BUILD)/user/$(1)User.c -header $$@ \
		-server /dev/null -sheader /dev/null
$(MIG_BUILD)/user/$(1)User.c: $(MIG_BUILD)/user/$(mig_hdr_$(1))
	@test -f $$@
endef
$(foreach i,$(MIG_USER_IFACES),$(eval $(call mig_user_rule,$(i))))

# Generated code: the warnings that its style trips are not ours to fix.
$(MIG_BUILD)/user/%.o: $(MIG_BUILD)/user/%.c $(MIG_USER_HDRS)
	@$(if $(Q),echo "  CC [u] $<")
	$(Q)$(CC) $(USER_CFLAGS) -I$(MIG_BUILD)/user/mach -I$(MIG_BUILD)/user/device -I$(MIG_BUILD)/user/vmach -Wno-error -c $< -o $@

# Kernel servers: the interfaces GNU Mach serves in the kernel (its
# Makefrag.am), with -DKERNEL_SERVER so the .defs pick the kernel's
# intran/outtran types, and -DSERVERPREFIX=S_ so that every server routine
# is S_task_create etc. (mach_types.defs honours it; device.defs has its
# own ds_ prefix), apart from the kernel's own task_create and the like.
# The stubs are compiled with the kernel's flags (-Werror included) plus
# MACH_KERNEL and KERNEL, which make the sysroot headers' mach_port_t a
# kernel pointer as in GNU Mach, against mig/kernel-types.h and
# mig/kinclude/ (stand-ins for GNU Mach's kernel headers the .defs
# simport). memory_object_default and memory_object are KernelUser in GNU
# Mach (the kernel calls the pager), not servers: not here.
#
# All are linked (vmach: vmach's own interface, mig/vmach.defs). device's routines are device/ds_routines.c, which
# registers device_server_routine with kern/ipc_kobject.c at start-up
# (kern/ sits below device/, so it cannot name that server itself).
MIG_KERNEL_IFACES := mach mach_port mach_host gnumach device mach4 vmach
MIG_KERNEL_LINKED := mach mach_port mach_host gnumach device mach4 vmach
mig_defs_mach4 := mach/mach4.defs
MIG_KERNEL_SRCS := $(foreach i,$(MIG_KERNEL_IFACES),$(MIG_BUILD)/kernel/$(i)_server.c)
MIG_KERNEL_HDRS := $(foreach i,$(MIG_KERNEL_IFACES),$(MIG_BUILD)/kernel/mig/$(i)_server.h)
MIG_KERNEL_OBJS := $(foreach i,$(MIG_KERNEL_LINKED),$(MIG_BUILD)/kernel/$(i)_server.o)

# The header (with the routine table's lookup) goes under mig/, so the
# kernel includes it as "mig/NAME_server.h".
define mig_kernel_rule
$(MIG_BUILD)/kernel/mig/$(1)_server.h: $(or $(mig_src_$(1)),$(SYSROOT)/include/$(mig_defs_$(1))) | $(SYSROOT)/.complete
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  MIG [k] $$<")
	$(Q)$(MIG_CPP) -DKERNEL_SERVER=1 -DSERVERPREFIX=S_ $$< | $(MIGCOM) \
		-server $(MIG_BUILD)/kernel/$(1)_server.c -sheader $$@ -user /dev/null -header /dev/null
$(MIG_BUILD)/kernel/$(1)_server.c: $(MIG_BUILD)/kernel/mig/$(1)_server.h
	@test -f $$@
endef
$(foreach i,$(MIG_KERNEL_IFACES),$(eval $(call mig_kernel_rule,$(i))))

$(MIG_BUILD)/kernel/%.o: $(MIG_BUILD)/kernel/%.c mig/kernel-types.h $(KFLAGS_STAMP)
	@$(if $(Q),echo "  CC [k] $<")
	$(Q)$(CC) $(filter-out -I.,$(KCFLAGS)) -DMACH_KERNEL -DKERNEL -Imig/kinclude -I. -include mig/kernel-types.h -c $< -o $@

# The kernel's side of the servers (kern/ipc_kobject.c, kern/server_*.c,
# device/ds_routines.c)
# is built in the stubs' world too, including their headers, so that
# every S_ routine is checked against the signature MIG calls it with.
# vmach's own headers come first (-I.), the stand-ins only for the rest.
MIG_SERVER_SRCS := kern/ipc_kobject.c $(wildcard kern/server_*.c) device/ds_routines.c
MIG_SERVER_KOBJS := $(foreach d,k kt kb,$(patsubst %.c,$(BUILD)/$(d)/%.o,$(MIG_SERVER_SRCS)))
$(MIG_SERVER_KOBJS): KCFLAGS += -DMACH_KERNEL -DKERNEL -Imig/kinclude -I$(MIG_BUILD)/kernel \
	-include mig/kernel-types.h
$(MIG_SERVER_KOBJS): | $(MIG_KERNEL_HDRS)

.PHONY: mig-user mig-kernel
mig-user: $(MIG_USER_OBJS)
mig-kernel: $(MIG_KERNEL_SRCS:.c=.o)
