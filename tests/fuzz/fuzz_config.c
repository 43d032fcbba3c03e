// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/fuzz/fuzz_config.c: libFuzzer target: device config space reads
 * (virtio_config_read* and the generation retry loop, modern and legacy)
 * with fuzzer-chosen config bytes, length, generation changes and read
 * offsets; plus feature-name formatting of fuzzer-chosen feature words.
 * A successful read must return exactly the config bytes the device holds
 * once it settles; a failed one must be EINVAL (bad range) or EBADDEV
 * (never settled: the device is then broken for good).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtio.h"
#include "tests/host/platform_host.h"
#include "tests/sim/sim.h"

#define FZ_ID 0x7f23

#define FZ_CHECK(c)                                                                                \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #c, __FILE__,           \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t
fz_byte(const uint8_t **p, size_t *left)
{
	if (!*left)
		return 0;
	(*left)--;
	return *(*p)++;
}

static void
fz_read(struct sim *s, uint32_t off, size_t len, bool was_broken)
{
	struct virtio_device *dev = sim_vdev(s);
	uint8_t buf[300];
	uint32_t gen = s->s_generation;
	int err = virtio_config_read(dev, off, buf, len);
	bool range_ok =
	    len > 0 && len <= 256 && off <= dev->vd_config_len && len <= dev->vd_config_len - off;

	if (!range_ok) {
		FZ_CHECK(err == VIRTIO_EINVAL);
		return;
	}
	if (was_broken) {
		FZ_CHECK(err == VIRTIO_EBADDEV);
		return;
	}
	FZ_CHECK(err == VIRTIO_OK || err == VIRTIO_EBADDEV);
	/*
	 * Modern: the generation loop guarantees a snapshot of the settled
	 * config. Legacy has only "two reads agree", which a device that
	 * changes back and forth can fool: checked when nothing changed.
	 */
	if (err != VIRTIO_OK)
		FZ_CHECK(dev->vd_broken);
	else if (!s->s_cfg.sc_legacy || gen == s->s_generation)
		FZ_CHECK(memcmp(buf, s->s_config + off, len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_config c = {.sc_device_id = FZ_ID, .sc_nqueues = 0};
	const uint8_t *p = data;
	size_t left = size;
	uint8_t mode = fz_byte(&p, &left);
	uint64_t feat = 0;
	char names[64 + 40 * 20];
	struct sim *s;
	unsigned i;

	host_log_echo = false;
	c.sc_legacy = mode & 1;
	c.sc_features = VIRTIO_BIT(VIRTIO_F_VERSION_1);
	c.sc_config_len = fz_byte(&p, &left) % (SIM_CONFIG_MAX + 1);
	s = sim_create(&c);
	for (i = 0; i < c.sc_config_len; i++)
		s->s_config[i] = fz_byte(&p, &left);
	s->s_faults.sf_gen_bump = fz_byte(&p, &left) % 40;
	s->s_faults.sf_config_flip = fz_byte(&p, &left);
	virtio_device_add(sim_vdev(s));
	while (left >= 4) {
		uint32_t off = fz_byte(&p, &left);
		size_t len = fz_byte(&p, &left);

		if (fz_byte(&p, &left) & 1)
			off |= (uint32_t)fz_byte(&p, &left) << 24;
		fz_read(s, off, len, sim_vdev(s)->vd_broken);
	}
	for (i = 0; i < 8 && i < size; i++)
		feat = feat << 8 | data[i];
	FZ_CHECK(virtio_features_format(sim_vdev(s), feat, names, (size_t)(mode % sizeof(names))) <
	         sizeof(names));
	FZ_CHECK(mode % sizeof(names) == 0 || strlen(names) < mode % sizeof(names));
	virtio_device_remove(sim_vdev(s));
	sim_destroy(s);
	FZ_CHECK(host_mem_live() == 0 && host_dma_live() == 0);
	return 0;
}
