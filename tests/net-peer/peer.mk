# SPDX-License-Identifier: GPL-2.0-or-later
# The host-side peer of the virtio-net QEMU tests (tests/qemu/net*.t).
$(BUILD)/net-peer: tests/net-peer/peer.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $<

host-tests: $(BUILD)/net-peer
