# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz: every libFuzzer target:
#   FUZZ_TARGETS += NAME, NAME_SRCS := the target and the sources it feeds.

FUZZ_TARGETS += fuzz_acpi
fuzz_acpi_SRCS := tests/fuzz/fuzz_acpi.c x86_64/acpi.c kern/printf.c

# tests/fuzz: libFuzzer targets for virtio used-ring and config parsing.
VIRTIO_FUZZ_LIB := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c

FUZZ_TARGETS += fuzz_used_split fuzz_used_packed fuzz_config
fuzz_used_split_SRCS := tests/fuzz/fuzz_used_split.c tests/fuzz/fuzz_used.c \
	$(VIRTIO_FUZZ_LIB)
fuzz_used_packed_SRCS := tests/fuzz/fuzz_used_packed.c \
	tests/fuzz/fuzz_used.c $(VIRTIO_FUZZ_LIB)
fuzz_config_SRCS := tests/fuzz/fuzz_config.c $(VIRTIO_FUZZ_LIB)

# libFuzzer: virtio-blk config parsing and completions from a lying device.
FUZZ_TARGETS += fuzz_vioblk
fuzz_vioblk_SRCS := tests/fuzz/fuzz_vioblk.c virtio/vioblk.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c tests/sim/sim.c tests/sim/sim_blk.c

# libFuzzer: the virtio-net receive path against a lying simulated device.
FUZZ_TARGETS += fuzz_vionet_rx
fuzz_vionet_rx_SRCS := tests/fuzz/fuzz_vionet_rx.c virtio/vionet.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c tests/sim/sim.c tests/sim/sim_net.c

# libFuzzer: the ELF-64 boot module checker and loader, and the boot-script
# language (seeds in tests/fuzz/corpus/fuzz_elf_load and fuzz_boot_script).
FUZZ_TARGETS += fuzz_elf_load fuzz_boot_script
fuzz_elf_load_SRCS := tests/fuzz/fuzz_elf_load.c kern/elf_load.c
fuzz_boot_script_SRCS := tests/fuzz/fuzz_boot_script.c kern/boot_script.c \
	kern/boot_script_parse.c kern/printf.c tests/host/kmalloc_host.c \
	tests/host/kern_string_host.c

# libFuzzer: random messages through the mach_msg copyin and copyout path
# (ipc/ipc_kmsg.c) against the fake port, space and memory layer.
FUZZ_TARGETS += fuzz_ipc_kmsg
fuzz_ipc_kmsg_SRCS := tests/fuzz/fuzz_ipc_kmsg.c tests/host/ipc_fake.c ipc/ipc_kmsg.c

# libFuzzer: GNU Mach's NETF and BPF packet filters, checked and run on
# random frames (seeds in tests/fuzz/corpus/fuzz_net_filter).
FUZZ_TARGETS += fuzz_net_filter
fuzz_net_filter_SRCS := tests/fuzz/fuzz_net_filter.c device/net_filter.c

# libFuzzer: MBR, EBR chains and GPT from a hostile disk (device/partition.c).
FUZZ_TARGETS += fuzz_partition
fuzz_partition_SRCS := tests/fuzz/fuzz_partition.c device/partition.c
