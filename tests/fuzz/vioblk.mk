# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer: virtio-blk config parsing and completions from a lying device.
FUZZ_TARGETS += fuzz_vioblk
fuzz_vioblk_SRCS := tests/fuzz/fuzz_vioblk.c virtio/vioblk.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c tests/sim/sim.c tests/sim/sim_blk.c
