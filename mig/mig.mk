# SPDX-License-Identifier: GPL-2.0-or-later
# MIG in the build (DESIGN.md): the sysroot's .defs preprocessed for x86_64
# and fed to migcom directly. User stubs go to build/mig/user/ under
# glibc's header names (<mach/mach_interface.h>, <mach/mach_port.h>, ...)
# and into the user runtime library (user/user.mk); kernel server stubs go
# to build/mig/kernel/ and are only compiled, not linked (make mig-kernel;
# docs/ipc.md "Kernel servers").

MIG_BUILD := $(BUILD)/mig
MIGCOM := $(SYSROOT)/bin/migcom
MIG_CPP = $(CC) -E -x c -nostdinc -undef -D__x86_64__ -D__LP64__ -isystem $(SYSROOT)/include

# Each user interface: defs path under the sysroot's include/, then the header's name.
MIG_USER_IFACES := mach mach_port mach_host gnumach device
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

MIG_USER_SRCS := $(foreach i,$(MIG_USER_IFACES),$(MIG_BUILD)/user/$(i)User.c)
MIG_USER_HDRS := $(foreach i,$(MIG_USER_IFACES),$(MIG_BUILD)/user/$(mig_hdr_$(i)))
MIG_USER_OBJS := $(MIG_USER_SRCS:.c=.o)

# One migcom run makes the stub and its header; the header is the target
# make tracks, the .c depends on it.
define mig_user_rule
$(MIG_BUILD)/user/$(mig_hdr_$(1)): $(SYSROOT)/include/$(mig_defs_$(1)) | $(SYSROOT)/.complete
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
	$(Q)$(CC) $(USER_CFLAGS) -I$(MIG_BUILD)/user/mach -I$(MIG_BUILD)/user/device -Wno-error -c $< -o $@

# Kernel servers: the interfaces GNU Mach serves in the kernel (its
# Makefrag.am), with -DKERNEL_SERVER so the .defs pick the kernel's
# intran/outtran types. The stubs are compiled with the kernel's flags
# (-Werror included) plus MACH_KERNEL and KERNEL, which make the sysroot
# headers' mach_port_t a kernel pointer as in GNU Mach, against
# mig/kernel-types.h and mig/kinclude/ (stand-ins for GNU Mach's kernel
# headers the .defs simport, shadowing vmach's kern/task.h etc., whose
# task_create and thread_terminate clash with the RPCs' names).
# memory_object_default and memory_object are KernelUser in GNU Mach (the
# kernel calls the pager), not servers: not here.
MIG_KERNEL_IFACES := mach mach_port mach_host gnumach device mach4
mig_defs_mach4 := mach/mach4.defs
MIG_KERNEL_SRCS := $(foreach i,$(MIG_KERNEL_IFACES),$(MIG_BUILD)/kernel/$(i)_server.c)
MIG_KERNEL_OBJS := $(MIG_KERNEL_SRCS:.c=.o)

define mig_kernel_rule
$(MIG_BUILD)/kernel/$(1)_server.h: $(SYSROOT)/include/$(mig_defs_$(1)) | $(SYSROOT)/.complete
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  MIG [k] $$<")
	$(Q)$(MIG_CPP) -DKERNEL_SERVER=1 $$< | $(MIGCOM) -server $(MIG_BUILD)/kernel/$(1)_server.c \
		-sheader $$@ -user /dev/null -header /dev/null
$(MIG_BUILD)/kernel/$(1)_server.c: $(MIG_BUILD)/kernel/$(1)_server.h
	@test -f $$@
endef
$(foreach i,$(MIG_KERNEL_IFACES),$(eval $(call mig_kernel_rule,$(i))))

$(MIG_BUILD)/kernel/%.o: $(MIG_BUILD)/kernel/%.c mig/kernel-types.h
	@$(if $(Q),echo "  CC [k] $<")
	$(Q)$(CC) $(filter-out -I.,$(KCFLAGS)) -DMACH_KERNEL -DKERNEL -Imig/kinclude -I. -include mig/kernel-types.h -c $< -o $@

.PHONY: mig-user mig-kernel
mig-user: $(MIG_USER_OBJS)
mig-kernel: $(MIG_KERNEL_OBJS)
