# SPDX-License-Identifier: GPL-2.0-or-later
# The vDSO (docs/vdso.md): user/vdso/ built as a small ELF shared object
# with the user programs' compiler flags plus -fPIC -nostdlib -shared, its
# own linker script (one R+X PT_LOAD, vvar_page a page below it) and
# version script (VMACH_1.0); then embedded in the kernel by
# kern/vdso_image.S (.incbin), which start-up copies into a page object.
# scripts/check-vdso checks the image (tests/tree/vdso.t).

VDSO_BUILD := $(BUILD)/vdso
VDSO_SO := $(VDSO_BUILD)/vdso.so
VDSO_OBJS := $(VDSO_BUILD)/vdso.o $(VDSO_BUILD)/clock_gettime.o
# The user flags minus what a shared object cannot have, plus PIC; -I. for
# kern/vvar.h, the layout the kernel writes (the one kernel header user
# code includes).
VDSO_CFLAGS := $(filter-out -fno-pie -fno-pic -MMD -MP,$(USER_CFLAGS)) -fPIC -I. \
	-fcf-protection=none -MMD -MP
VDSO_LDFLAGS := -nostdlib -shared -fPIC -Wl,-T,user/vdso/vdso.lds \
	-Wl,--version-script=user/vdso/vdso.map -Wl,-soname=vmach-vdso.so.1 \
	-Wl,--hash-style=both -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack \
	-Wl,--build-id=none -Wl,--no-undefined -Wl,--strip-debug

$(VDSO_BUILD)/%.o: user/vdso/%.c | $(SYSROOT)/.complete
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [vdso] $<")
	$(Q)$(CC) $(VDSO_CFLAGS) -c $< -o $@

$(VDSO_BUILD)/%.o: user/vdso/%.S
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS [vdso] $<")
	$(Q)$(CC) -I. -MMD -MP -c $< -o $@

$(VDSO_SO): $(VDSO_OBJS) user/vdso/vdso.lds user/vdso/vdso.map
	@$(if $(Q),echo "  LD [vdso] $@")
	$(Q)$(CC) $(VDSO_LDFLAGS) -o $@ $(VDSO_OBJS)

-include $(VDSO_OBJS:.o=.d)

# The kernel embeds the image.
KERNEL_SRCS += kern/vdso_image.S
$(BUILD)/k/kern/vdso_image.o $(BUILD)/kt/kern/vdso_image.o: $(VDSO_SO)
$(BUILD)/k/kern/vdso_image.o $(BUILD)/kt/kern/vdso_image.o: KASFLAGS += -DVDSO_SO='"$(VDSO_SO)"'

.PHONY: vdso
vdso: $(VDSO_SO)
