// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/sim/sim.c: the simulated virtio device (see sim.h). Written from
 * the virtio 1.4 text: device status (§2.1, §3.1), features (§2.2), config
 * generation (§2.5), split rings as the device sees them (§2.7, device
 * requirements of §2.7.7.2 and §2.7.10), packed rings (§2.8.1-2.8.10,
 * §2.8.21-2.8.22). Interrupt and notification decisions are made by the
 * literal rule of the spec ("the index where the entry was placed was equal
 * to the event"), not by the driver's arithmetic, so the two cross-check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim.h"

/* Wire constants, restated from the spec text. */
#define S_NEXT 1
#define S_WRITE 2
#define S_INDIRECT 4
#define S_AVAIL (1u << 7)
#define S_USED (1u << 15)
#define S_EV_ENABLE 0
#define S_EV_DISABLE 1
#define S_EV_DESC 2

#define F_INDIRECT (1ull << 28)
#define F_EVENT_IDX (1ull << 29)
#define F_VERSION_1 (1ull << 32)
#define F_PACKED (1ull << 34)

#define ST_ACK 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define ST_NEEDS_RESET 64

static void
sim_err(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->s_error, sizeof(s->s_error), fmt, ap);
	va_end(ap);
	s->s_errors++;
	if (getenv("VIRTIO_HOST_LOG"))
		fprintf(stderr, "# sim: %s\n", s->s_error);
}

static void
sim_log(struct sim *s, enum sim_ev ev, unsigned q, uint64_t val)
{
	if (s->s_nlog < sizeof(s->s_log) / sizeof(s->s_log[0]))
		s->s_log[s->s_nlog++] = (struct sim_ev_rec){ev, q, val};
}

static uint16_t
ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
ld32(const uint8_t *p)
{
	return (uint32_t)ld16(p) | (uint32_t)ld16(p + 2) << 16;
}

static uint64_t
ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void
st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
st32(uint8_t *p, uint32_t v)
{
	st16(p, (uint16_t)v);
	st16(p + 2, (uint16_t)(v >> 16));
}

/* Device access to driver memory: only through device addresses. */
static uint8_t *
sim_mem(struct sim *s, uint64_t dev, size_t len, const char *what)
{
	uint8_t *p = host_dma_to_cpu(dev, len);

	if (!p)
		sim_err(s, "%s: device address %#llx+%zu is not DMA memory", what,
		        (unsigned long long)dev, len);
	return p;
}

struct sim *
sim_of(struct virtio_device *dev)
{
	return dev->vd_tp;
}

/* ---- register file (transport ops) ---- */

static void
sim_queue_free(struct sim_queue *q)
{
	free(q->sq_pool);
	free(q->sq_order);
	free(q->sq_free);
	memset(q, 0, sizeof(*q));
}

static void
sim_queue_alloc(struct sim_queue *q, uint16_t n)
{
	unsigned i;

	q->sq_pool = calloc(n, sizeof(struct sim_buf));
	q->sq_order = calloc(n, sizeof(uint16_t));
	q->sq_free = calloc(n, sizeof(uint16_t));
	if (!q->sq_pool || !q->sq_order || !q->sq_free)
		abort();
	for (i = 0; i < n; i++)
		q->sq_free[i] = (uint16_t)(n - 1 - i);
	q->sq_nfree = n;
}

static void
sim_device_reset(struct sim *s)
{
	unsigned i;

	s->s_status = 0;
	s->s_drv_features = 0;
	s->s_isr = 0;
	for (i = 0; i < SIM_MAX_QUEUES; i++)
		sim_queue_free(&s->s_q[i]);
}

static uint8_t
sim_get_status(struct virtio_device *dev)
{
	struct sim *s = sim_of(dev);

	sim_log(s, SIM_EV_STATUS_READ, 0, s->s_status);
	return s->s_status;
}

/* §2.1.2 / §3.1.1: the order of status bits a driver may set. */
static void
sim_check_status(struct sim *s, uint8_t old, uint8_t v)
{
	uint8_t added = (uint8_t)(v & ~old);

	if (old & ~v & ~ST_FEATURES_OK)
		sim_err(s, "status %#x clears bits of %#x", v, old);
	if ((added & ST_DRIVER) && !(v & ST_ACK))
		sim_err(s, "DRIVER before ACKNOWLEDGE");
	if ((added & ST_FEATURES_OK) && !(v & ST_DRIVER))
		sim_err(s, "FEATURES_OK before DRIVER");
	if ((added & ST_DRIVER_OK) && !(v & ST_DRIVER))
		sim_err(s, "DRIVER_OK before DRIVER");
	if ((added & ST_DRIVER_OK) && !s->s_cfg.sc_legacy && !(v & ST_FEATURES_OK))
		sim_err(s, "DRIVER_OK without FEATURES_OK");
}

static void
sim_set_status(struct virtio_device *dev, uint8_t v)
{
	struct sim *s = sim_of(dev);
	uint8_t old = s->s_status;
	uint64_t offered = s->s_cfg.sc_features;

	sim_log(s, SIM_EV_STATUS, 0, v);
	if (v == 0) {
		sim_device_reset(s);
		return;
	}
	sim_check_status(s, old & (uint8_t)~ST_NEEDS_RESET, v);
	if ((v & ST_FEATURES_OK) && !(old & ST_FEATURES_OK) &&
	    (s->s_faults.sf_refuse_features_ok || (s->s_drv_features & ~offered) != 0))
		v &= (uint8_t)~ST_FEATURES_OK; /* §2.2.2: refuse */
	s->s_status = (uint8_t)(v | (old & ST_NEEDS_RESET));
}

static int
sim_reset(struct virtio_device *dev)
{
	struct sim *s = sim_of(dev);

	sim_log(s, SIM_EV_RESET, 0, 0);
	sim_set_status(dev, 0);
	return VIRTIO_OK;
}

static uint64_t
sim_get_features(struct virtio_device *dev)
{
	struct sim *s = sim_of(dev);

	if (s->s_cfg.sc_legacy)
		return s->s_cfg.sc_features & 0xffffffffull;
	return s->s_cfg.sc_features;
}

static void
sim_set_features(struct virtio_device *dev, uint64_t f)
{
	struct sim *s = sim_of(dev);

	sim_log(s, SIM_EV_FEATURES, 0, f);
	if (!(s->s_status & ST_DRIVER) || (s->s_status & ST_FEATURES_OK) ||
	    (s->s_status & ST_DRIVER_OK))
		sim_err(s, "features written in status %#x", s->s_status);
	if (f & ~s->s_cfg.sc_features)
		sim_err(s, "driver accepted unoffered features %#llx",
		        (unsigned long long)(f & ~s->s_cfg.sc_features));
	s->s_drv_features = f;
}

static unsigned
sim_queue_count(struct virtio_device *dev)
{
	return sim_of(dev)->s_cfg.sc_nqueues;
}

static uint16_t
sim_queue_max(struct virtio_device *dev, unsigned idx)
{
	struct sim *s = sim_of(dev);

	return idx < s->s_cfg.sc_nqueues && idx < SIM_MAX_QUEUES ? s->s_cfg.sc_qmax[idx] : 0;
}

static size_t
sim_align(size_t x, size_t a)
{
	return (x + a - 1) / a * a;
}

/* §2.7.2 / §2.8.10.1: alignment and reachability of the ring parts. */
static bool
sim_check_rings(struct sim *s, const struct virtio_queue_info *qi)
{
	size_t n = qi->vqi_size;

	if (qi->vqi_packed) {
		if (qi->vqi_desc % 16 || qi->vqi_driver % 4 || qi->vqi_device % 4)
			return sim_err(s, "packed ring misaligned"), false;
		return sim_mem(s, qi->vqi_desc, 16 * n, "desc ring") &&
		       sim_mem(s, qi->vqi_driver, 4, "driver event") &&
		       sim_mem(s, qi->vqi_device, 4, "device event");
	}
	if (qi->vqi_desc % 16 || qi->vqi_driver % 2 || qi->vqi_device % 4)
		return sim_err(s, "split ring misaligned"), false;
	if (s->s_cfg.sc_legacy &&
	    (qi->vqi_desc % 4096 || qi->vqi_driver != qi->vqi_desc + 16 * n ||
	     qi->vqi_device != qi->vqi_desc + sim_align(16 * n + 6 + 2 * n, 4096)))
		return sim_err(s, "legacy ring layout wrong"), false;
	return sim_mem(s, qi->vqi_desc, 16 * n, "desc table") &&
	       sim_mem(s, qi->vqi_driver, 6 + 2 * n, "avail ring") &&
	       sim_mem(s, qi->vqi_device, 6 + 8 * n, "used ring");
}

static bool
sim_check_size(struct sim *s, unsigned idx, const struct virtio_queue_info *qi)
{
	uint16_t max = sim_queue_max(&s->s_vdev, idx), n = qi->vqi_size;
	bool packed = (s->s_drv_features & F_PACKED) != 0;

	if (n == 0 || n > max || (s->s_cfg.sc_legacy && n != max))
		return sim_err(s, "queue %u size %u (max %u)", idx, n, max), false;
	if (!packed && (n & (n - 1)))
		return sim_err(s, "split queue size %u not a power of 2", n), false;
	if (qi->vqi_packed != packed)
		return sim_err(s, "ring kind does not match features"), false;
	return true;
}

static int
sim_queue_enable(struct virtio_device *dev, unsigned idx, const struct virtio_queue_info *qi)
{
	struct sim *s = sim_of(dev);
	struct sim_queue *q;
	uint8_t need = s->s_cfg.sc_legacy ? ST_DRIVER : ST_FEATURES_OK;

	sim_log(s, SIM_EV_QUEUE, idx, qi->vqi_size);
	if (idx >= s->s_cfg.sc_nqueues || !(s->s_status & need) || (s->s_status & ST_DRIVER_OK)) {
		sim_err(s, "queue %u enabled in status %#x", idx, s->s_status);
		return VIRTIO_EINVAL;
	}
	if (!sim_check_size(s, idx, qi) || !sim_check_rings(s, qi))
		return VIRTIO_EINVAL;
	q = &s->s_q[idx];
	sim_queue_free(q);
	sim_queue_alloc(q, qi->vqi_size);
	q->sq_enabled = true;
	q->sq_packed = qi->vqi_packed;
	q->sq_size = qi->vqi_size;
	q->sq_desc = qi->vqi_desc;
	q->sq_drv = qi->vqi_driver;
	q->sq_dev = qi->vqi_device;
	q->sq_avail_wrap = q->sq_used_wrap = q->sq_sig_wrap = true;
	q->sq_audit_wrap = true;
	return VIRTIO_OK;
}

static void
sim_notify(struct virtio_device *dev, unsigned idx)
{
	struct sim *s = sim_of(dev);

	sim_log(s, SIM_EV_NOTIFY, idx, 0);
	if (!(s->s_status & ST_DRIVER_OK))
		sim_err(s, "notify before DRIVER_OK");
	if (idx >= SIM_MAX_QUEUES || !s->s_q[idx].sq_enabled) {
		sim_err(s, "notify of disabled queue %u", idx);
		return;
	}
	s->s_q[idx].sq_notifies++;
}

static uint32_t
sim_config_read(struct virtio_device *dev, uint32_t off, unsigned w)
{
	struct sim *s = sim_of(dev);
	uint32_t v = 0;
	unsigned k;

	s->s_config_reads++;
	if (off + w > s->s_cfg.sc_config_len || off % w) {
		sim_err(s, "config read %u+%u", off, w);
		return 0;
	}
	if (s->s_faults.sf_gen_bump) {
		/* The device changes its config under the driver's feet. */
		s->s_faults.sf_gen_bump--;
		s->s_generation++;
		s->s_config[0] += (uint8_t)s->s_faults.sf_config_flip;
	}
	for (k = 0; k < w; k++)
		v |= (uint32_t)s->s_config[off + k] << (8 * k);
	return v;
}

static void
sim_config_write(struct virtio_device *dev, uint32_t off, unsigned w, uint32_t v)
{
	struct sim *s = sim_of(dev);
	unsigned k;

	sim_log(s, SIM_EV_CONFIG_WRITE, 0, (uint64_t)off << 32 | v);
	if (off + w > s->s_cfg.sc_config_len) {
		sim_err(s, "config write %u+%u", off, w);
		return;
	}
	for (k = 0; k < w; k++)
		s->s_config[off + k] = (uint8_t)(v >> (8 * k));
}

static uint32_t
sim_config_generation(struct virtio_device *dev)
{
	return sim_of(dev)->s_generation;
}

static uint8_t
sim_read_isr(struct virtio_device *dev)
{
	struct sim *s = sim_of(dev);
	uint8_t v = s->s_isr;

	s->s_isr = 0;
	return v;
}

static const struct virtio_transport_ops sim_ops = {
    .vto_name = "sim",
    .vto_get_status = sim_get_status,
    .vto_set_status = sim_set_status,
    .vto_reset = sim_reset,
    .vto_get_features = sim_get_features,
    .vto_set_features = sim_set_features,
    .vto_queue_count = sim_queue_count,
    .vto_queue_max = sim_queue_max,
    .vto_queue_enable = sim_queue_enable,
    .vto_notify = sim_notify,
    .vto_config_read = sim_config_read,
    .vto_config_write = sim_config_write,
    .vto_config_generation = sim_config_generation,
    .vto_read_isr = sim_read_isr,
};

static const struct virtio_transport_ops sim_legacy_ops = {
    .vto_name = "sim-legacy",
    .vto_flags = VIRTIO_TRANSPORT_LEGACY,
    .vto_get_status = sim_get_status,
    .vto_set_status = sim_set_status,
    .vto_reset = sim_reset,
    .vto_get_features = sim_get_features,
    .vto_set_features = sim_set_features,
    .vto_queue_count = sim_queue_count,
    .vto_queue_max = sim_queue_max,
    .vto_queue_enable = sim_queue_enable,
    .vto_notify = sim_notify,
    .vto_config_read = sim_config_read,
    .vto_config_write = sim_config_write,
    .vto_config_generation = NULL,
    .vto_read_isr = sim_read_isr,
};

struct sim *
sim_create(const struct sim_config *cfg)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->s_cfg = *cfg;
	if (s->s_cfg.sc_config_len > SIM_CONFIG_MAX)
		s->s_cfg.sc_config_len = SIM_CONFIG_MAX;
	s->s_vdev.vd_ops = cfg->sc_legacy ? &sim_legacy_ops : &sim_ops;
	s->s_vdev.vd_tp = s;
	s->s_vdev.vd_id = cfg->sc_device_id;
	s->s_vdev.vd_config_len = s->s_cfg.sc_config_len;
	return s;
}

void
sim_destroy(struct sim *s)
{
	unsigned i;

	for (i = 0; i < SIM_MAX_QUEUES; i++)
		sim_queue_free(&s->s_q[i]);
	free(s);
}

struct virtio_device *
sim_vdev(struct sim *s)
{
	return &s->s_vdev;
}

unsigned
sim_errors(const struct sim *s)
{
	return s->s_errors;
}

const char *
sim_error(const struct sim *s)
{
	return s->s_error;
}

unsigned
sim_status_writes(const struct sim *s, uint8_t *out, unsigned max)
{
	unsigned i, n = 0;

	for (i = 0; i < s->s_nlog && n < max; i++)
		if (s->s_log[i].se_ev == SIM_EV_STATUS)
			out[n++] = (uint8_t)s->s_log[i].se_val;
	return n;
}

/* ---- device side: taking buffers ---- */

static struct sim_queue *
sim_queue(struct sim *s, unsigned q)
{
	if (q >= SIM_MAX_QUEUES || !s->s_q[q].sq_enabled) {
		sim_err(s, "queue %u not enabled", q);
		return NULL;
	}
	return &s->s_q[q];
}

/* Add one segment; checks direction order and the address. */
static bool
sim_seg_add(struct sim *s, struct sim_buf *b, uint64_t addr, uint32_t len, bool write)
{
	struct sim_seg *sg;

	if (b->sb_nsegs == SIM_MAX_SEGS)
		return sim_err(s, "more than %d segments", SIM_MAX_SEGS), false;
	if (!write && b->sb_nsegs && b->sb_seg[b->sb_nsegs - 1].ss_write)
		return sim_err(s, "readable segment after writable"), false;
	sg = &b->sb_seg[b->sb_nsegs];
	sg->ss_p = sim_mem(s, addr, len, "buffer");
	if (!sg->ss_p)
		return false;
	sg->ss_dev = addr;
	sg->ss_len = len;
	sg->ss_write = write;
	if (write)
		b->sb_wlen += len;
	b->sb_nsegs++;
	return true;
}

/* §2.7.5.3 / §2.8.7: walk an indirect table of len bytes at addr. */
static bool
sim_indirect(struct sim *s, struct sim_buf *b, uint64_t addr, uint32_t len, bool packed)
{
	uint8_t *t;
	unsigned n = len / 16, i = 0, count = 0;
	uint16_t flags;

	if (!(s->s_drv_features & F_INDIRECT))
		return sim_err(s, "INDIRECT not negotiated"), false;
	if (len == 0 || len % 16)
		return sim_err(s, "indirect table length %u", len), false;
	t = sim_mem(s, addr, len, "indirect table");
	if (!t)
		return false;
	b->sb_indirect = true;
	for (;;) {
		const uint8_t *d = t + 16 * i;

		flags = ld16(d + (packed ? 14 : 12));
		if (flags & S_INDIRECT)
			return sim_err(s, "INDIRECT inside a table"), false;
		if (!sim_seg_add(s, b, ld64(d), ld32(d + 8), flags & S_WRITE))
			return false;
		if (packed) {
			if (++i == n)
				return true;
			continue;
		}
		if (!(flags & S_NEXT))
			return true;
		i = ld16(d + 14);
		if (i >= n || ++count >= n)
			return sim_err(s, "indirect next %u of %u", i, n), false;
	}
}

/* Parse the split chain at head into b. */
static bool
sim_split_chain(struct sim *s, struct sim_queue *q, uint16_t head, struct sim_buf *b)
{
	uint8_t *tab = sim_mem(s, q->sq_desc, 16u * q->sq_size, "desc table");
	unsigned count = 0;
	uint16_t i = head, flags;

	if (!tab)
		return false;
	b->sb_id = head;
	for (;;) {
		const uint8_t *d = tab + 16u * i;

		if (i >= q->sq_size || ++count > q->sq_size)
			return sim_err(s, "chain index %u / loop", i), false;
		flags = ld16(d + 12);
		b->sb_ndesc++;
		if (flags & S_INDIRECT) {
			if ((flags & S_NEXT) || count > 1)
				return sim_err(s, "INDIRECT not alone"), false;
			return sim_indirect(s, b, ld64(d), ld32(d + 8), false);
		}
		if (!sim_seg_add(s, b, ld64(d), ld32(d + 8), flags & S_WRITE))
			return false;
		if (!(flags & S_NEXT))
			return true;
		i = ld16(d + 14);
	}
}

static int
sim_split_pop(struct sim *s, struct sim_queue *q, struct sim_buf *b)
{
	uint8_t *av = sim_mem(s, q->sq_drv, 6 + 2u * q->sq_size, "avail");
	uint16_t idx, head;

	if (!av)
		return -1;
	idx = ld16(av + 2);
	if (idx == q->sq_last_avail)
		return 0;
	if ((uint16_t)(idx - q->sq_last_avail) > q->sq_size) {
		sim_err(s, "avail idx moved by %u", (uint16_t)(idx - q->sq_last_avail));
		return -1;
	}
	head = ld16(av + 4 + 2u * (q->sq_last_avail % q->sq_size));
	q->sq_last_avail++;
	return sim_split_chain(s, q, head, b) ? 1 : -1;
}

/* §2.8.1: is the descriptor with flags available in wrap w? */
static bool
sim_avail_in(uint16_t flags, bool w)
{
	return !!(flags & S_AVAIL) == w && !!(flags & S_USED) != w;
}

static int
sim_packed_pop(struct sim *s, struct sim_queue *q, struct sim_buf *b)
{
	uint8_t *ring = sim_mem(s, q->sq_desc, 16u * q->sq_size, "desc ring");
	uint16_t pos = q->sq_avail_pos, flags;
	bool wrap = q->sq_avail_wrap;
	unsigned count = 0;

	if (!ring)
		return -1;
	if (!sim_avail_in(ld16(ring + 16u * pos + 14), wrap))
		return 0;
	for (;;) {
		const uint8_t *d = ring + 16u * pos;

		flags = ld16(d + 14);
		if (!sim_avail_in(flags, wrap) || ++count > q->sq_size)
			return sim_err(s, "partial chain at %u", pos), -1;
		b->sb_id = ld16(d + 12);
		if (flags & S_INDIRECT) {
			if ((flags & S_NEXT) || count > 1)
				return sim_err(s, "INDIRECT not alone"), -1;
			if (!sim_indirect(s, b, ld64(d), ld32(d + 8), true))
				return -1;
		} else if (!sim_seg_add(s, b, ld64(d), ld32(d + 8), flags & S_WRITE)) {
			return -1;
		}
		if (++pos == q->sq_size) {
			pos = 0;
			wrap = !wrap;
		}
		if (!(flags & S_NEXT))
			break;
	}
	b->sb_ndesc = (uint16_t)count;
	q->sq_avail_pos = pos;
	q->sq_avail_wrap = wrap;
	return 1;
}

int
sim_pop(struct sim *s, unsigned qi)
{
	struct sim_queue *q = sim_queue(s, qi);
	struct sim_buf *b;
	unsigned i;
	int r;

	if (!q)
		return -1;
	if (q->sq_nfree == 0)
		return 0;
	b = &q->sq_pool[q->sq_free[q->sq_nfree - 1]];
	memset(b, 0, offsetof(struct sim_buf, sb_seg));
	r = q->sq_packed ? sim_packed_pop(s, q, b) : sim_split_pop(s, q, b);
	if (r != 1)
		return r;
	for (i = 0; i < q->sq_ninflight; i++)
		if (q->sq_pool[q->sq_order[i]].sb_id == b->sb_id)
			return sim_err(s, "buffer id %u reused in flight", b->sb_id), -1;
	q->sq_order[q->sq_ninflight++] = q->sq_free[--q->sq_nfree];
	return 1;
}

unsigned
sim_pop_all(struct sim *s, unsigned q)
{
	unsigned n = 0;

	while (sim_pop(s, q) == 1)
		n++;
	return n;
}

unsigned
sim_inflight(const struct sim *s, unsigned q)
{
	return q < SIM_MAX_QUEUES ? s->s_q[q].sq_ninflight : 0;
}

struct sim_buf *
sim_buf(struct sim *s, unsigned q, unsigned i)
{
	if (q >= SIM_MAX_QUEUES || i >= s->s_q[q].sq_ninflight)
		return NULL;
	return &s->s_q[q].sq_pool[s->s_q[q].sq_order[i]];
}

/* ---- device side: using buffers ---- */

/* An id that is not in flight, nor the one being used (fault 2). */
static uint16_t
sim_free_id(const struct sim_queue *q, uint16_t cur)
{
	uint16_t id;
	unsigned i;

	for (id = 0; id < q->sq_size; id++) {
		if (id == cur)
			continue;
		for (i = 0; i < q->sq_ninflight; i++)
			if (q->sq_pool[q->sq_order[i]].sb_id == id)
				break;
		if (i == q->sq_ninflight)
			return id;
	}
	return 0;
}

static void
sim_fault_apply(struct sim *s, struct sim_queue *q, struct sim_buf *b, uint32_t *id, uint32_t *len)
{
	struct sim_faults *f = &s->s_faults;

	if (f->sf_used_id == 1)
		*id = q->sq_size + 7u;
	else if (f->sf_used_id == 2)
		*id = sim_free_id(q, b->sb_id);
	else if (f->sf_used_id == 3)
		*id = q->sq_last_used_id;
	if (f->sf_used_len)
		*len = b->sb_wlen + 1;
	f->sf_used_id = 0;
	f->sf_used_len = false;
}

static void
sim_split_use(struct sim *s, struct sim_queue *q, uint32_t id, uint32_t len)
{
	uint8_t *used = sim_mem(s, q->sq_dev, 6 + 8u * q->sq_size, "used");
	uint8_t *e;

	if (!used)
		return;
	e = used + 4 + 8u * (q->sq_used_idx % q->sq_size);
	st32(e, id);
	st32(e + 4, len);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->sq_used_idx++;
	if (s->s_faults.sf_idx_jump) {
		s->s_faults.sf_idx_jump = false;
		q->sq_used_idx = (uint16_t)(q->sq_used_idx + q->sq_size + 1);
	}
	st16(used + 2, q->sq_used_idx);
}

static void
sim_packed_use(struct sim *s, struct sim_queue *q, uint32_t id, uint32_t len, uint16_t ndesc)
{
	uint8_t *ring = sim_mem(s, q->sq_desc, 16u * q->sq_size, "desc ring");
	uint8_t *d;
	uint16_t flags;

	if (!ring)
		return;
	d = ring + 16u * q->sq_used_pos;
	st32(d + 8, len);
	st16(d + 12, (uint16_t)id);
	/* §2.8.1: AVAIL and USED both equal to the used wrap counter. */
	flags = (uint16_t)((q->sq_used_wrap ? S_AVAIL | S_USED : 0) | (len ? S_WRITE : 0));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	st16(d + 14, flags);
	q->sq_used_pos = (uint16_t)(q->sq_used_pos + ndesc);
	if (q->sq_used_pos >= q->sq_size) {
		q->sq_used_pos = (uint16_t)(q->sq_used_pos - q->sq_size);
		q->sq_used_wrap = !q->sq_used_wrap;
	}
}

void
sim_use(struct sim *s, unsigned qi, unsigned i, uint32_t len)
{
	struct sim_queue *q = sim_queue(s, qi);
	struct sim_buf *b;
	uint16_t slot;
	uint32_t id;

	if (!q || i >= q->sq_ninflight) {
		sim_err(s, "sim_use of buffer %u not in flight", i);
		return;
	}
	slot = q->sq_order[i];
	b = &q->sq_pool[slot];
	memmove(&q->sq_order[i], &q->sq_order[i + 1],
	        (q->sq_ninflight - i - 1) * sizeof(q->sq_order[0]));
	q->sq_ninflight--;
	q->sq_free[q->sq_nfree++] = slot;
	id = b->sb_id;
	sim_fault_apply(s, q, b, &id, &len);
	if (q->sq_packed)
		sim_packed_use(s, q, id, len, b->sb_ndesc);
	else
		sim_split_use(s, q, id, len);
	q->sq_last_used_id = b->sb_id;
}

void
sim_fill(struct sim *s, unsigned q, unsigned i, uint8_t seed)
{
	struct sim_buf *b = sim_buf(s, q, i);
	unsigned k, j, n = 0;

	if (!b) {
		sim_err(s, "sim_fill of buffer %u not in flight", i);
		return;
	}
	for (k = 0; k < b->sb_nsegs; k++)
		if (b->sb_seg[k].ss_write)
			for (j = 0; j < b->sb_seg[k].ss_len; j++)
				b->sb_seg[k].ss_p[j] = (uint8_t)(seed + n++);
	sim_use(s, q, i, b->sb_wlen);
}

/* ---- event suppression, device side ---- */

static bool
sim_split_irq_due(struct sim *s, struct sim_queue *q)
{
	uint8_t *av = sim_mem(s, q->sq_drv, 6 + 2u * q->sq_size, "avail");
	uint16_t v, event;

	if (!av || q->sq_used_idx == q->sq_sig_used)
		return false;
	if (!(s->s_drv_features & F_EVENT_IDX))
		return !(ld16(av) & 1); /* VIRTQ_AVAIL_F_NO_INTERRUPT */
	/* §2.7.10: an entry was placed at index used_event. */
	event = ld16(av + 4 + 2u * q->sq_size);
	for (v = q->sq_sig_used; v != q->sq_used_idx; v++)
		if (v == event)
			return true;
	return false;
}

/* QEMU's vring_packed_need_event: positions as 16-bit counts. */
static bool
sim_packed_irq_due_qemu(struct sim_queue *q, uint16_t off, bool ew)
{
	int event = off;

	if (ew != q->sq_used_wrap)
		event -= q->sq_size;
	return (uint16_t)(q->sq_used_pos - (uint16_t)event - 1) <
	       (uint16_t)(q->sq_used_pos - q->sq_sig_used);
}

static bool
sim_packed_irq_due(struct sim *s, struct sim_queue *q)
{
	uint8_t *ev = sim_mem(s, q->sq_drv, 4, "driver event");
	uint16_t flags, off, p = q->sq_sig_used;
	bool w = q->sq_sig_wrap, ew;

	if (!ev || (p == q->sq_used_pos && w == q->sq_used_wrap))
		return false;
	flags = ld16(ev + 2);
	if (flags == S_EV_DISABLE)
		return false;
	if (flags != S_EV_DESC || !(s->s_drv_features & F_EVENT_IDX))
		return true;
	off = ld16(ev) & 0x7fff;
	ew = (ld16(ev) & 0x8000) != 0;
	if (s->s_qemu_packed)
		return sim_packed_irq_due_qemu(q, off, ew);
	/* §2.8.10: the descriptor at off, in wrap ew, was used. */
	while (p != q->sq_used_pos || w != q->sq_used_wrap) {
		if (p == off && w == ew)
			return true;
		if (++p == q->sq_size) {
			p = 0;
			w = !w;
		}
	}
	return false;
}

bool
sim_interrupt(struct sim *s, unsigned qi)
{
	struct sim_queue *q = sim_queue(s, qi);
	bool due;

	if (!q)
		return false;
	due = q->sq_packed ? sim_packed_irq_due(s, q) : sim_split_irq_due(s, q);
	q->sq_sig_used = q->sq_packed ? q->sq_used_pos : q->sq_used_idx;
	q->sq_sig_wrap = q->sq_used_wrap;
	if (!due)
		return false;
	q->sq_irqs++;
	s->s_isr |= 1;
	if (s->s_irq)
		s->s_irq(s, (int)qi);
	return true;
}

uint16_t
sim_used_event(struct sim *s, unsigned qi, bool *no_interrupt)
{
	struct sim_queue *q = sim_queue(s, qi);
	uint8_t *av;

	*no_interrupt = false;
	if (!q || q->sq_packed)
		return 0;
	av = sim_mem(s, q->sq_drv, 6 + 2u * q->sq_size, "avail");
	if (!av)
		return 0;
	*no_interrupt = (ld16(av) & 1) != 0;
	return ld16(av + 4 + 2u * q->sq_size);
}

void
sim_driver_event(struct sim *s, unsigned qi, uint16_t *flags, uint16_t *off, bool *wrap)
{
	struct sim_queue *q = sim_queue(s, qi);
	uint8_t *ev;

	*flags = 0;
	*off = 0;
	*wrap = false;
	if (!q || !q->sq_packed)
		return;
	ev = sim_mem(s, q->sq_drv, 4, "driver event");
	if (!ev)
		return;
	*flags = ld16(ev + 2);
	*off = ld16(ev) & 0x7fff;
	*wrap = (ld16(ev) & 0x8000) != 0;
}

void
sim_set_no_notify(struct sim *s, unsigned qi, bool off)
{
	struct sim_queue *q = sim_queue(s, qi);
	uint8_t *p;

	if (!q)
		return;
	if (q->sq_packed) {
		p = sim_mem(s, q->sq_dev, 4, "device event");
		if (p)
			st16(p + 2, off ? S_EV_DISABLE : S_EV_ENABLE);
		return;
	}
	p = sim_mem(s, q->sq_dev, 6 + 8u * q->sq_size, "used");
	if (p)
		st16(p, off ? 1 : 0); /* VIRTQ_USED_F_NO_NOTIFY */
}

void
sim_set_avail_event(struct sim *s, unsigned qi, uint16_t event)
{
	struct sim_queue *q = sim_queue(s, qi);
	uint8_t *p;

	if (!q || q->sq_packed)
		return;
	p = sim_mem(s, q->sq_dev, 6 + 8u * q->sq_size, "used");
	if (p)
		st16(p + 4 + 8u * q->sq_size, event);
}

void
sim_set_packed_event(struct sim *s, unsigned qi, uint16_t flags, uint16_t off, bool wrap)
{
	struct sim_queue *q = sim_queue(s, qi);
	uint8_t *p;

	if (!q || !q->sq_packed)
		return;
	p = sim_mem(s, q->sq_dev, 4, "device event");
	if (!p)
		return;
	st16(p, (uint16_t)((off & 0x7fff) | (wrap ? 0x8000 : 0)));
	st16(p + 2, flags);
}

static bool
sim_split_notify_due(struct sim *s, struct sim_queue *q)
{
	uint8_t *av = sim_mem(s, q->sq_drv, 6 + 2u * q->sq_size, "avail");
	uint8_t *used = sim_mem(s, q->sq_dev, 6 + 8u * q->sq_size, "used");
	uint16_t cur, v, event;
	bool due = false;

	if (!av || !used)
		return false;
	cur = ld16(av + 2);
	if (!(s->s_drv_features & F_EVENT_IDX)) {
		due = cur != q->sq_audit_avail && !(ld16(used) & 1);
	} else {
		/* §2.7.10: an entry was placed at index avail_event. */
		event = ld16(used + 4 + 8u * q->sq_size);
		for (v = q->sq_audit_avail; v != cur; v++)
			if (v == event)
				due = true;
	}
	q->sq_audit_avail = cur;
	return due;
}

static bool
sim_packed_notify_due(struct sim *s, struct sim_queue *q)
{
	uint8_t *ring = sim_mem(s, q->sq_desc, 16u * q->sq_size, "desc ring");
	uint8_t *ev = sim_mem(s, q->sq_dev, 4, "device event");
	uint16_t p = q->sq_audit_avail, flags, off, n = 0;
	bool w = q->sq_audit_wrap, ew, hit = false;

	if (!ring || !ev)
		return false;
	flags = ld16(ev + 2);
	off = ld16(ev) & 0x7fff;
	ew = (ld16(ev) & 0x8000) != 0;
	while (n < q->sq_size && sim_avail_in(ld16(ring + 16u * p + 14), w)) {
		if (p == off && w == ew)
			hit = true;
		n++;
		if (++p == q->sq_size) {
			p = 0;
			w = !w;
		}
	}
	q->sq_audit_avail = p;
	q->sq_audit_wrap = w;
	if (n == 0 || flags == S_EV_DISABLE)
		return false;
	if (flags == S_EV_DESC && (s->s_drv_features & F_EVENT_IDX))
		return hit;
	return true;
}

bool
sim_notify_due(struct sim *s, unsigned qi)
{
	struct sim_queue *q = sim_queue(s, qi);

	if (!q)
		return false;
	return q->sq_packed ? sim_packed_notify_due(s, q) : sim_split_notify_due(s, q);
}

void
sim_config_change(struct sim *s, uint32_t off, const void *p, size_t len)
{
	if (off + len > SIM_CONFIG_MAX)
		abort();
	memcpy(s->s_config + off, p, len);
	s->s_generation++;
	s->s_isr |= 2;
	if (s->s_irq)
		s->s_irq(s, -1);
}

void
sim_needs_reset(struct sim *s)
{
	s->s_status |= ST_NEEDS_RESET;
	s->s_isr |= 2;
	if (s->s_irq)
		s->s_irq(s, -1);
}
