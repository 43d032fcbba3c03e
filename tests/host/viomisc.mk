# SPDX-License-Identifier: GPL-2.0-or-later
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
