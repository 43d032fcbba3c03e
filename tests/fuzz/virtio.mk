# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz: libFuzzer targets for virtio used-ring and config parsing.
VIRTIO_FUZZ_LIB := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c

FUZZ_TARGETS += fuzz_used_split fuzz_used_packed fuzz_config
fuzz_used_split_SRCS := tests/fuzz/fuzz_used_split.c tests/fuzz/fuzz_used.c \
	$(VIRTIO_FUZZ_LIB)
fuzz_used_packed_SRCS := tests/fuzz/fuzz_used_packed.c \
	tests/fuzz/fuzz_used.c $(VIRTIO_FUZZ_LIB)
fuzz_config_SRCS := tests/fuzz/fuzz_config.c $(VIRTIO_FUZZ_LIB)
