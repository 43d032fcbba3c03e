// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/sim/sim_misc.c: the helpers of sim_misc.h, device side only: they
 * touch driver memory through the sim's translated segments (device
 * addresses), never through driver pointers.
 */
#include <string.h>

#include "tests/sim/sim_misc.h"

static void
sim_misc_irq(struct sim *s, int q)
{
	if (q < 0)
		virtio_device_config_intr(&s->s_vdev);
	else
		virtio_device_queue_intr(&s->s_vdev, (unsigned)q);
}

struct sim_config
sim_misc_config(uint32_t id, uint64_t features, unsigned nq, uint16_t qmax, uint32_t config_len)
{
	struct sim_config c = {
	    .sc_device_id = id,
	    .sc_features = features,
	    .sc_nqueues = nq,
	    .sc_config_len = config_len,
	};
	unsigned i;

	for (i = 0; i < SIM_MAX_QUEUES; i++)
		c.sc_qmax[i] = qmax;
	return c;
}

struct sim *
sim_misc_create(const struct sim_config *c)
{
	struct sim *s = sim_create(c);

	s->s_irq = sim_misc_irq;
	return s;
}

void
sim_misc_config_set(struct sim *s, uint32_t off, const void *p, size_t len)
{
	if (off + len <= SIM_CONFIG_MAX)
		memcpy(s->s_config + off, p, len);
}

static struct sim_buf *
sim_misc_buf(struct sim *s, unsigned q, unsigned i)
{
	sim_pop_all(s, q);
	if (i >= sim_inflight(s, q))
		return NULL;
	return sim_buf(s, q, i);
}

uint32_t
sim_misc_wlen(struct sim *s, unsigned q, unsigned i)
{
	struct sim_buf *b = sim_misc_buf(s, q, i);

	return b ? b->sb_wlen : 0;
}

long
sim_misc_write(struct sim *s, unsigned q, unsigned i, const void *data, size_t len)
{
	struct sim_buf *b = sim_misc_buf(s, q, i);
	const uint8_t *src = data;
	size_t done = 0;
	unsigned k;

	if (!b)
		return -1;
	for (k = 0; k < b->sb_nsegs && done < len; k++) {
		struct sim_seg *sg = &b->sb_seg[k];
		size_t n = sg->ss_len;

		if (!sg->ss_write)
			continue;
		if (n > len - done)
			n = len - done;
		memcpy(sg->ss_p, src + done, n);
		done += n;
	}
	sim_use(s, q, i, (uint32_t)done);
	sim_interrupt(s, q);
	return (long)done;
}

long
sim_misc_peek(struct sim *s, unsigned q, unsigned i, void *out, size_t max)
{
	struct sim_buf *b = sim_misc_buf(s, q, i);
	uint8_t *dst = out;
	size_t done = 0;
	unsigned k;

	if (!b)
		return -1;
	for (k = 0; k < b->sb_nsegs; k++) {
		struct sim_seg *sg = &b->sb_seg[k];
		size_t n = sg->ss_len;

		if (sg->ss_write)
			continue;
		if (done < max)
			memcpy(dst + done, sg->ss_p, n < max - done ? n : max - done);
		done += n;
	}
	return (long)done;
}

void
sim_misc_complete(struct sim *s, unsigned q, unsigned i)
{
	sim_use(s, q, i, 0);
	sim_interrupt(s, q);
}
