# SPDX-License-Identifier: GPL-2.0-or-later
# tests/host: every host unit test program (cmocka, ASan+UBSan):
#   HOST_TESTS += NAME, NAME_SRCS := the test and the sources it covers.

# Host tests of the ACPI table parser (x86_64/acpi.c) over built fixtures.
HOST_TESTS += test_acpi
test_acpi_SRCS := tests/host/test_acpi.c tests/host/fixtures/acpi/acpi_fx.c \
	x86_64/acpi.c kern/printf.c

# Host tests of the CPUID paths to the TSC and LAPIC frequencies (TCG has none).
HOST_TESTS += test_tsc_cpuid
test_tsc_cpuid_SRCS := tests/host/test_tsc_cpuid.c x86_64/tsc_cpuid.c

HOST_TESTS += test_printf test_cmdline test_parse_u64 test_console_input
test_printf_SRCS := tests/host/test_printf.c kern/printf.c
test_cmdline_SRCS := tests/host/test_cmdline.c kern/cmdline.c tests/host/kern_string_host.c
test_parse_u64_SRCS := tests/host/test_parse_u64.c tests/host/kern_string_host.c
test_console_input_SRCS := tests/host/test_console_input.c kern/console.c kern/printf.c
# kern/console.c reaches GNU Mach's headers (kern/wait.h: <mach/kern_return.h>).
$(BUILD)/host/test_console_input: HOSTCFLAGS += -isystem $(SYSROOT)/include
$(BUILD)/host/test_console_input: | $(SYSROOT)/.complete

# Host tests of the page allocator and the kernel heap.
HOST_TESTS += test_page_alloc test_kmalloc
test_page_alloc_SRCS := tests/host/test_page_alloc.c tests/host/host_panic.c kern/page_alloc.c
test_kmalloc_SRCS := tests/host/test_kmalloc.c tests/host/host_panic.c kern/kmalloc.c \
	kern/page_alloc.c

# Host test of the PCI capability walker.
HOST_TESTS += test_pci_caps
test_pci_caps_SRCS := tests/host/test_pci_caps.c pci/pci_caps.c

# tests/host: virtio core and queue tests against the simulated device.
VIRTIO_HOST_LIB := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c \
	tests/host/vtest.c

HOST_TESTS += test_virtio_core test_vq_split test_vq_packed \
	test_virtio_hostile
test_virtio_core_SRCS := tests/host/test_virtio_core.c $(VIRTIO_HOST_LIB)
test_vq_split_SRCS := tests/host/test_vq_split.c tests/host/vq_cases.c \
	$(VIRTIO_HOST_LIB)
test_vq_packed_SRCS := tests/host/test_vq_packed.c tests/host/vq_cases.c \
	$(VIRTIO_HOST_LIB)
test_virtio_hostile_SRCS := tests/host/test_virtio_hostile.c \
	$(VIRTIO_HOST_LIB)

# tests/host: the virtio-blk driver against the simulated blk device.
VIOBLK_HOST_LIB := virtio/vioblk.c virtio/virtio.c virtio/virtqueue.c \
	virtio/vq_split.c virtio/vq_packed.c tests/host/platform_host.c \
	tests/sim/sim.c tests/sim/sim_blk.c

HOST_TESTS += test_vioblk
test_vioblk_SRCS := tests/host/test_vioblk.c $(VIOBLK_HOST_LIB)

# The PCI transports against a fake PCI function.
HOST_TESTS += test_vtpci
test_vtpci_SRCS := tests/host/test_vtpci.c virtio/vtpci.c \
	virtio/vtpci_modern.c virtio/vtpci_legacy.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c

# tests/host: the virtio-net driver against the simulated net device.
VIONET_HOST_LIB := virtio/vionet.c virtio/virtio.c virtio/virtqueue.c \
	virtio/vq_split.c virtio/vq_packed.c tests/host/platform_host.c \
	tests/sim/sim.c tests/sim/sim_net.c

HOST_TESTS += test_vionet
test_vionet_SRCS := tests/host/test_vionet.c $(VIONET_HOST_LIB)

# tests/host: virtio-console, virtio-rng and virtio-balloon against tests/sim.
VIOMISC_HOST_LIB := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c \
	tests/sim/sim_misc.c

HOST_TESTS += test_viornd test_viocon test_vioballoon
test_viornd_SRCS := tests/host/test_viornd.c virtio/viornd.c \
	$(VIOMISC_HOST_LIB)
test_viocon_SRCS := tests/host/test_viocon.c virtio/viocon.c \
	$(VIOMISC_HOST_LIB)
test_vioballoon_SRCS := tests/host/test_vioballoon.c virtio/vioballoon.c \
	$(VIOMISC_HOST_LIB)

# tests/host: vq_enable_cb_delayed (split and packed) and vioblk's
# delayed completion interrupts against the simulated device.
HOST_TESTS += test_vq_delayed
test_vq_delayed_SRCS := tests/host/test_vq_delayed.c virtio/vioblk.c \
	virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c \
	tests/sim/sim_blk.c tests/host/vtest.c

# tests/host: event-index interrupts for a NAPI-style driver against a
# device deciding like QEMU, acting at every ring sync (--wrap).
HOST_TESTS += test_vq_evtrig
test_vq_evtrig_SRCS := tests/host/test_vq_evtrig.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c tests/sim/sim.c tests/host/vtest.c
$(BUILD)/host/test_vq_evtrig: HOSTLDLIBS += -Wl,--wrap=virtio_dma_sync

# Host test of the thread state flavours (x86_64/thread_state.c).
HOST_TESTS += test_thread_state
test_thread_state_SRCS := tests/host/test_thread_state.c x86_64/thread_state.c
$(BUILD)/host/test_thread_state: | $(SYSROOT)/.complete

# The ELF-64 checker and loader, against crafted images and two real
# programs built here with the host's gcc and glibc (ET_EXEC and ET_DYN).
HOST_TESTS += test_elf_load
test_elf_load_SRCS := tests/host/test_elf_load.c kern/elf_load.c \
	tests/host/fixtures/elf/elf_fixtures.S
ELF_FIXTURES := $(BUILD)/host/fixtures/elf_exec $(BUILD)/host/fixtures/elf_dyn
$(BUILD)/host/fixtures/elf_exec: tests/host/fixtures/elf/hello.c
	@mkdir -p $(@D)
	$(HOSTCC) -O1 -static -o $@ $<
$(BUILD)/host/fixtures/elf_dyn: tests/host/fixtures/elf/hello.c
	@mkdir -p $(@D)
	$(HOSTCC) -O1 -static-pie -o $@ $<
$(BUILD)/host/test_elf_load: $(ELF_FIXTURES)
$(BUILD)/host/test_elf_load: HOSTCFLAGS += -DELF_FIXTURE_EXEC='"$(BUILD)/host/fixtures/elf_exec"' \
	-DELF_FIXTURE_DYN='"$(BUILD)/host/fixtures/elf_dyn"'

# The boot-script language against fake task and port callbacks, over a
# malloc-backed heap that counts blocks and fails a chosen allocation.
HOST_TESTS += test_boot_script
test_boot_script_SRCS := tests/host/test_boot_script.c kern/boot_script.c \
	kern/boot_script_parse.c kern/printf.c tests/host/kmalloc_host.c \
	tests/host/host_panic.c tests/host/kern_string_host.c

# Host tests of the VM (vm/) over the real page allocator and heap and a
# fake pmap (tests/host/fake_pmap.c).
VM_HOST_LIB = $(VM_SRCS) kern/kmalloc.c kern/page_alloc.c tests/host/host_panic.c \
	tests/host/fake_pmap.c tests/host/vm_host.c
HOST_TESTS += test_vm_map test_vm_cow
test_vm_map_SRCS = tests/host/test_vm_map.c $(VM_HOST_LIB)
test_vm_cow_SRCS = tests/host/test_vm_cow.c $(VM_HOST_LIB)

# kern/string.c's memory functions against byte-by-byte references.
HOST_TESTS += test_kern_string
test_kern_string_SRCS := tests/host/test_kern_string.c tests/host/kern_string_host.c

# Host tests of ipc/ (ports, sets, name spaces, rights) over a counting heap.
IPC_HOST_LIB = $(IPC_SRCS) tests/host/ipc_host.c tests/host/kmalloc_host.c tests/host/host_panic.c
HOST_TESTS += test_ipc_space test_ipc_right
test_ipc_space_SRCS = tests/host/test_ipc_space.c $(IPC_HOST_LIB)
test_ipc_right_SRCS = tests/host/test_ipc_right.c $(IPC_HOST_LIB)

# The mach_msg message path (ipc/ipc_kmsg.c) against a fake port, space and
# memory layer (tests/host/ipc_fake.c).
HOST_TESTS += test_ipc_kmsg
test_ipc_kmsg_SRCS := tests/host/test_ipc_kmsg.c tests/host/ipc_fake.c ipc/ipc_kmsg.c
$(BUILD)/host/test_ipc_kmsg: | $(SYSROOT)/.complete

# GNU Mach's packet filters, NETF and BPF (device/net_filter.c).
HOST_TESTS += test_net_filter
test_net_filter_SRCS := tests/host/test_net_filter.c device/net_filter.c
HOST_TESTS += test_net_filter_list
test_net_filter_list_SRCS := tests/host/test_net_filter_list.c device/net_filter_list.c \
	device/net_filter.c tests/host/kmalloc_host.c

# Host tests of the MBR/GPT partition-table parser (a pure library).
HOST_TESTS += test_partition
test_partition_SRCS := tests/host/test_partition.c device/partition.c

HOST_TESTS += test_vvar
test_vvar_SRCS := tests/host/test_vvar.c kern/vvar_write.c
$(BUILD)/host/test_vvar: HOSTLDLIBS += -lpthread
