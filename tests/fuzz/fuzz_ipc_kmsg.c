// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: random headers and bodies through ipc_kmsg_copyin and then
 * ipc_kmsg_copyout (or ipc_kmsg_destroy when the receive buffer is too
 * small) against tests/host/ipc_fake.c. Input: 1 byte of unmapped-page
 * mask for the sender, 1 for the receiver, 4 of receive size, 6 bytes of
 * rights for names 1..6, then the message. Invariants: no crash; a failed
 * send leaves the sender's space as it was; after each message no right is
 * in transit, no copy and no heap block is left.
 */
#include <stdlib.h>
#include <string.h>

#include "host/ipc_fake.h"
#include "ipc/ipc_kmsg.h"

static struct fake_ipc F;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ipc_msg_ops ops;
	struct ipc_kmsg km = {0};

	if (len < 12)
		return 0;
	fake_ipc_init(&F, &ops);
	for (unsigned i = 0; i < 8; i++) {
		/* Pages 1..8 may be holes; page 0 (the message) follows bit 0 too. */
		F.smapped[i] = !(data[0] & (1u << i));
		F.rmapped[i] = !(data[1] & (1u << i));
	}
	uint32_t rcv_size;
	memcpy(&rcv_size, data + 2, 4);
	for (int i = 0; i < 6; i++)
		F.space[i] = (struct fake_entry){.port = i,
		                                 .recv = data[6 + i] & 1,
		                                 .send = (data[6 + i] >> 1) & 3,
		                                 .sonce = (data[6 + i] >> 3) & 1};
	data += 12;
	len -= 12;
	if (len > FAKE_MEM)
		len = FAKE_MEM;
	memcpy(F.smem, data, len);
	/* Repeat the message across the sender's memory: OOL pointers land on data. */
	for (size_t o = len; len && o < FAKE_MEM; o += len)
		memcpy(F.smem + o, data, o + len <= FAKE_MEM ? len : FAKE_MEM - o);

	struct fake_entry before[FAKE_NPORTS];
	memcpy(before, F.space, sizeof before);
	mach_msg_return_t mr = ipc_kmsg_copyin(&ops, FAKE_BASE, (mach_msg_size_t)len, &km);
	if (mr != MACH_MSG_SUCCESS) {
		if (km.buf || memcmp(before, F.space, sizeof before))
			abort();
	} else {
		if (ipc_kmsg_size(&km) != len)
			abort();
		mr = ipc_kmsg_copyout(&ops, &km, FAKE_BASE, rcv_size);
		if (mr == MACH_RCV_TOO_LARGE) {
			if (rcv_size >= len)
				abort();
			ipc_kmsg_destroy(&ops, &km);
		}
	}
	if (fake_transit_total(&F) != 0 || F.copies != 0 || F.allocs != 0)
		abort();
	return 0;
}
