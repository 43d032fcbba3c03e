# SPDX-License-Identifier: GPL-2.0-or-later
# tests/host: event-index interrupts for a NAPI-style driver against a
# device deciding like QEMU, acting at every ring sync (--wrap).
HOST_TESTS += test_vq_evtrig
test_vq_evtrig_SRCS := tests/host/test_vq_evtrig.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c tests/sim/sim.c tests/host/vtest.c
$(BUILD)/host/test_vq_evtrig: HOSTLDLIBS += -Wl,--wrap=virtio_dma_sync
