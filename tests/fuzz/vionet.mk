# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer: the virtio-net receive path against a lying simulated device.
FUZZ_TARGETS += fuzz_vionet_rx
fuzz_vionet_rx_SRCS := tests/fuzz/fuzz_vionet_rx.c virtio/vionet.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c tests/sim/sim.c tests/sim/sim_net.c
