// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vioblk.c: the virtio-blk driver (virtio 1.4 §5.2): configuration
 * (§5.2.4, every value checked), requests (§5.2.6: header, data, status in
 * separate descriptors so legacy devices without ANY_LAYOUT work too),
 * splitting by SEG_MAX/SIZE_MAX, completion by interrupt, and failing
 * everything in flight when the device breaks or goes away.
 *
 * Trust: a completion's used length must equal the writable bytes of its
 * request (on an error status: at least the status byte, at most all) and
 * its status byte must be one of OK/IOERR/UNSUPP; anything
 * else breaks the device (virtio_device_break), which fails every request
 * in flight with VIRTIO_EBADDEV.
 */
#include "virtio/vioblk.h"
#include "virtio/virtio_le.h"

/* Pool slot layout: header, discard/write-zeroes segment, status byte. */
#define VIOBLK_SLOT_BYTES 64
#define VIOBLK_SLOT_HDR 0
#define VIOBLK_SLOT_DZ 16
#define VIOBLK_SLOT_STATUS 32
#define VIOBLK_HDR_LEN 16
#define VIOBLK_DZ_LEN 16
#define VIOBLK_CAPACITY_MAX (1ull << 55) /* 2^64 bytes in sectors */
#define VIOBLK_PIECE_MAX (1u << 30)      /* our own cap per segment */
#define VIOBLK_DELAY_MIN 4               /* in flight for delayed interrupts */
#define VIOBLK_ID_POLLS 10000            /* GET_ID at probe: 10 us each */

static const struct vioblk_hooks *vioblk_hooks;
static struct vioblk *vioblk_list;
/*
 * The disk whose completions are being processed: requests its callbacks
 * resubmit are only added to the ring, and vioblk_vq_done notifies once
 * at the end, so a burst of completions costs one kick instead of one per
 * request (a device that handles each notification at once, as QEMU does
 * with ioeventfd=off, re-arms the event index after each). One pointer is
 * enough while completions run with interrupts off on one CPU; with SMP it
 * becomes a field of the softc.
 */
static struct vioblk *vioblk_completing;

static const struct virtio_feature_name vioblk_feature_names[] = {
    {VIOBLK_F_BARRIER, "BARRIER"},
    {VIOBLK_F_SIZE_MAX, "SIZE_MAX"},
    {VIOBLK_F_SEG_MAX, "SEG_MAX"},
    {VIOBLK_F_GEOMETRY, "GEOMETRY"},
    {VIOBLK_F_RO, "RO"},
    {VIOBLK_F_BLK_SIZE, "BLK_SIZE"},
    {VIOBLK_F_SCSI, "SCSI"},
    {VIOBLK_F_FLUSH, "FLUSH"},
    {VIOBLK_F_TOPOLOGY, "TOPOLOGY"},
    {VIOBLK_F_CONFIG_WCE, "CONFIG_WCE"},
    {VIOBLK_F_MQ, "MQ"},
    {VIOBLK_F_DISCARD, "DISCARD"},
    {VIOBLK_F_WRITE_ZEROES, "WRITE_ZEROES"},
    {15, "LIFETIME"},
    {16, "SECURE_ERASE"},
    {17, "ZONED"},
    {0, NULL},
};

/* ---- small helpers --------------------------------------------------------- */

static uint32_t
vioblk_lbs(const struct vioblk *sc)
{
	return sc->sc_info.vi_blk_size;
}

static uint8_t *
vioblk_slot_cpu(const struct vioblk *sc, unsigned i)
{
	return (uint8_t *)sc->sc_pool.vd_cpu + (size_t)i * VIOBLK_SLOT_BYTES;
}

static uint64_t
vioblk_slot_dev(const struct vioblk *sc, unsigned i)
{
	return sc->sc_pool.vd_dev + (uint64_t)i * VIOBLK_SLOT_BYTES;
}

/* Data segments per device request: SEG_MAX, ours, and the ring. */
static unsigned
vioblk_seg_limit(const struct vioblk *sc)
{
	unsigned n = sc->sc_info.vi_seg_max;
	unsigned ring = vq_size(sc->sc_vq) - 2;

	if (n > VIOBLK_MAX_DATA_SEGS)
		n = VIOBLK_MAX_DATA_SEGS;
	return n < ring ? n : ring;
}

/* Bytes per data segment: SIZE_MAX rounded down to the block size. */
static uint32_t
vioblk_piece_max(const struct vioblk *sc)
{
	uint32_t m = sc->sc_info.vi_size_max;

	if (m == 0 || m > VIOBLK_PIECE_MAX)
		m = VIOBLK_PIECE_MAX;
	return m - m % vioblk_lbs(sc);
}

/* ---- configuration (§5.2.4) ------------------------------------------------ */

static int
vioblk_parse_size(struct virtio_device *dev, struct vioblk_info *in)
{
	uint32_t v;
	int err;

	err = virtio_config_read64(dev, VIOBLK_CFG_CAPACITY, &in->vi_capacity);
	if (err)
		return err;
	if (in->vi_capacity >= VIOBLK_CAPACITY_MAX) {
		virtio_log(VIRTIO_LOG_ERR, "%s: absurd capacity %llx", dev->vd_name,
		           (unsigned long long)in->vi_capacity);
		return VIRTIO_EBADDEV;
	}
	in->vi_blk_size = VIOBLK_SECTOR;
	if (!virtio_has_feature(dev, VIOBLK_F_BLK_SIZE))
		return VIRTIO_OK;
	err = virtio_config_read32(dev, VIOBLK_CFG_BLK_SIZE, &v);
	if (err)
		return err;
	if (v < 512 || v > 65536 || (v & (v - 1)) != 0)
		virtio_log(VIRTIO_LOG_WARN,
		           "%s: blk_size %u unusable, using "
		           "512",
		           dev->vd_name, v);
	else
		in->vi_blk_size = v;
	return VIRTIO_OK;
}

static int
vioblk_parse_segs(struct virtio_device *dev, struct vioblk_info *in)
{
	int err = VIRTIO_OK;

	/* Without SEG_MAX nothing is promised: one data segment. */
	in->vi_seg_max = 1;
	in->vi_size_max = 0;
	if (virtio_has_feature(dev, VIOBLK_F_SEG_MAX)) {
		err = virtio_config_read32(dev, VIOBLK_CFG_SEG_MAX, &in->vi_seg_max);
		if (err)
			return err;
		if (in->vi_seg_max == 0) {
			virtio_log(VIRTIO_LOG_WARN, "%s: seg_max 0, using 1", dev->vd_name);
			in->vi_seg_max = 1;
		}
	}
	if (virtio_has_feature(dev, VIOBLK_F_SIZE_MAX)) {
		err = virtio_config_read32(dev, VIOBLK_CFG_SIZE_MAX, &in->vi_size_max);
		if (err == VIRTIO_OK && in->vi_size_max < in->vi_blk_size) {
			virtio_log(VIRTIO_LOG_WARN,
			           "%s: size_max %u below the "
			           "block size, ignored",
			           dev->vd_name, in->vi_size_max);
			in->vi_size_max = 0;
		}
	}
	return err;
}

static int
vioblk_parse_topology(struct virtio_device *dev, struct vioblk_info *in)
{
	int err;

	if (!virtio_has_feature(dev, VIOBLK_F_TOPOLOGY))
		return VIRTIO_OK;
	err = virtio_config_read8(dev, VIOBLK_CFG_PHYS_EXP, &in->vi_phys_exp);
	if (!err)
		err = virtio_config_read8(dev, VIOBLK_CFG_ALIGN_OFF, &in->vi_align_off);
	if (!err)
		err = virtio_config_read16(dev, VIOBLK_CFG_MIN_IO, &in->vi_min_io);
	if (!err)
		err = virtio_config_read32(dev, VIOBLK_CFG_OPT_IO, &in->vi_opt_io);
	if (!err && in->vi_phys_exp > 16) {
		virtio_log(VIRTIO_LOG_WARN,
		           "%s: physical_block_exp %u "
		           "ignored",
		           dev->vd_name, in->vi_phys_exp);
		in->vi_phys_exp = 0;
	}
	return err;
}

/* Cache mode, queues, discard and write-zeroes limits. */
static int
vioblk_parse_misc(struct virtio_device *dev, struct vioblk_info *in)
{
	uint8_t wb = 1;
	int err = VIRTIO_OK;

	in->vi_ro = virtio_has_feature(dev, VIOBLK_F_RO);
	in->vi_flush = virtio_has_feature(dev, VIOBLK_F_FLUSH);
	in->vi_wce = virtio_has_feature(dev, VIOBLK_F_CONFIG_WCE);
	if (in->vi_wce)
		err = virtio_config_read8(dev, VIOBLK_CFG_WRITEBACK, &wb);
	in->vi_writeback = in->vi_flush && wb != 0;
	in->vi_num_queues = 1;
	if (!err && virtio_has_feature(dev, VIOBLK_F_MQ)) {
		err = virtio_config_read16(dev, VIOBLK_CFG_NUM_QUEUES, &in->vi_num_queues);
		if (!err && in->vi_num_queues == 0)
			in->vi_num_queues = 1;
	}
	if (!err && virtio_has_feature(dev, VIOBLK_F_DISCARD))
		err = virtio_config_read32(dev, VIOBLK_CFG_MAX_DISCARD, &in->vi_max_discard);
	if (!err && virtio_has_feature(dev, VIOBLK_F_WRITE_ZEROES))
		err = virtio_config_read32(dev, VIOBLK_CFG_MAX_WZ, &in->vi_max_wz);
	return err;
}

int
vioblk_config_parse(struct virtio_device *dev, struct vioblk_info *info)
{
	struct vioblk_info in = {0};
	int err;

	if (dev->vd_config_len < 8) {
		virtio_log(VIRTIO_LOG_ERR, "%s: config space of %u bytes", dev->vd_name,
		           dev->vd_config_len);
		return VIRTIO_EBADDEV;
	}
	err = vioblk_parse_size(dev, &in);
	if (!err)
		err = vioblk_parse_segs(dev, &in);
	if (!err)
		err = vioblk_parse_topology(dev, &in);
	if (!err)
		err = vioblk_parse_misc(dev, &in);
	if (err)
		return err == VIRTIO_EINVAL ? VIRTIO_EBADDEV : err;
	for (unsigned i = 0; i < sizeof(in.vi_serial); i++)
		in.vi_serial[i] = info->vi_serial[i];
	*info = in;
	return VIRTIO_OK;
}

/* ---- request checks ---------------------------------------------------------- */

/* sector..sector+count inside the disk and aligned to the block size. */
static int
vioblk_check_range(const struct vioblk *sc, uint64_t sector, uint64_t count)
{
	uint64_t per = vioblk_lbs(sc) / VIOBLK_SECTOR;

	if (count == 0 || sector % per || count % per)
		return VIRTIO_EINVAL;
	if (sector > sc->sc_info.vi_capacity || count > sc->sc_info.vi_capacity - sector)
		return VIRTIO_EINVAL;
	return VIRTIO_OK;
}

static int
vioblk_check_bufs(const struct vioblk *sc, const struct vioblk_req *r)
{
	uint64_t total = 0;
	unsigned i;

	if (!r->vr_bufs || r->vr_nbufs == 0 || r->vr_nbufs > VIOBLK_MAX_BUFS)
		return VIRTIO_EINVAL;
	for (i = 0; i < r->vr_nbufs; i++) {
		if (r->vr_bufs[i].vb_len == 0 || r->vr_bufs[i].vb_len % vioblk_lbs(sc))
			return VIRTIO_EINVAL;
		total += r->vr_bufs[i].vb_len;
	}
	return total == (uint64_t)r->vr_count * VIOBLK_SECTOR ? VIRTIO_OK : VIRTIO_EINVAL;
}

static int
vioblk_check_dz(const struct vioblk *sc, const struct vioblk_req *r, uint32_t max)
{
	if (max == 0)
		return VIRTIO_EUNSUPP;
	if (sc->sc_info.vi_ro)
		return VIRTIO_EROFS;
	if (r->vr_nbufs != 0 || r->vr_count > max)
		return VIRTIO_EINVAL;
	return vioblk_check_range(sc, r->vr_sector, r->vr_count);
}

int
vioblk_check(const struct vioblk *sc, const struct vioblk_req *r)
{
	int err;

	if (!sc || !r || !r->vr_done)
		return VIRTIO_EINVAL;
	if (sc->sc_dev->vd_broken)
		return VIRTIO_EBADDEV;
	switch (r->vr_op) {
	case VIOBLK_OP_WRITE:
		if (sc->sc_info.vi_ro)
			return VIRTIO_EROFS;
		/* fall through */
	case VIOBLK_OP_READ:
		err = vioblk_check_range(sc, r->vr_sector, r->vr_count);
		return err ? err : vioblk_check_bufs(sc, r);
	case VIOBLK_OP_FLUSH:
		if (!sc->sc_info.vi_flush)
			return VIRTIO_EUNSUPP;
		return r->vr_nbufs == 0 ? VIRTIO_OK : VIRTIO_EINVAL;
	case VIOBLK_OP_GET_ID:
		return r->vr_nbufs == 1 && r->vr_bufs && r->vr_bufs[0].vb_len >= VIOBLK_ID_LEN
		           ? VIRTIO_OK
		           : VIRTIO_EINVAL;
	case VIOBLK_OP_DISCARD:
		return vioblk_check_dz(sc, r, sc->sc_info.vi_max_discard);
	case VIOBLK_OP_WRITE_ZEROES:
		return vioblk_check_dz(sc, r, sc->sc_info.vi_max_wz);
	}
	return VIRTIO_EINVAL;
}

/* ---- splitting ---------------------------------------------------------------- */

struct vioblk_cursor {
	unsigned vc_buf;   /* next buffer */
	uint32_t vc_off;   /* offset in it */
	uint64_t vc_bytes; /* bytes consumed so far */
};

/*
 * The data segments of the next device request of a read or write (into
 * segs when non-NULL): at most the segment limit, each at most the piece
 * size. Returns how many, 0 when the request is used up.
 */
static unsigned
vioblk_piece(const struct vioblk *sc, const struct vioblk_req *r, struct vioblk_cursor *c,
             struct vq_seg *segs)
{
	unsigned n = 0, limit = vioblk_seg_limit(sc);
	uint32_t pmax = vioblk_piece_max(sc);

	while (n < limit && c->vc_buf < r->vr_nbufs) {
		const struct vioblk_buf *b = &r->vr_bufs[c->vc_buf];
		uint32_t take = b->vb_len - c->vc_off;

		if (take > pmax)
			take = pmax;
		if (segs) {
			segs[n].vs_addr = b->vb_addr + c->vc_off;
			segs[n].vs_len = take;
			segs[n].vs_write = r->vr_op == VIOBLK_OP_READ;
		}
		n++;
		c->vc_off += take;
		c->vc_bytes += take;
		if (c->vc_off == b->vb_len) {
			c->vc_buf++;
			c->vc_off = 0;
		}
	}
	return n;
}

static bool
vioblk_is_rw(const struct vioblk_req *r)
{
	return r->vr_op == VIOBLK_OP_READ || r->vr_op == VIOBLK_OP_WRITE;
}

/* Ring descriptors a device request of ndata data segments takes. */
static unsigned
vioblk_descs(const struct vioblk *sc, unsigned ndata)
{
	unsigned n = ndata + 2;

	if (vq_has_indirect(sc->sc_vq) && n <= VIOBLK_INDIRECT_MAX)
		return 1;
	return n;
}

/* How many device requests and ring descriptors r needs. */
static void
vioblk_plan(const struct vioblk *sc, const struct vioblk_req *r, unsigned *nreq, unsigned *ndesc)
{
	struct vioblk_cursor c = {0, 0, 0};
	unsigned n;

	*nreq = 0;
	*ndesc = 0;
	/* The common case, one buffer that fits one segment: no walk. */
	if (vioblk_is_rw(r) && r->vr_nbufs == 1 && r->vr_bufs[0].vb_len <= vioblk_piece_max(sc)) {
		*nreq = 1;
		*ndesc = vioblk_descs(sc, 1);
		return;
	}
	if (!vioblk_is_rw(r)) {
		*nreq = 1;
		*ndesc = vioblk_descs(sc, r->vr_op == VIOBLK_OP_FLUSH ? 0 : 1);
		return;
	}
	while ((n = vioblk_piece(sc, r, &c, NULL)) != 0) {
		(*nreq)++;
		*ndesc += vioblk_descs(sc, n);
	}
}

uint32_t
vioblk_max_sectors(const struct vioblk *sc)
{
	uint64_t piece = vioblk_piece_max(sc);
	uint64_t bytes;

	/* Assume buffers of at least a page, each its own segment. */
	if (piece > 4096)
		piece = 4096 > vioblk_lbs(sc) ? 4096 : vioblk_lbs(sc);
	bytes = piece * vioblk_seg_limit(sc) * VIOBLK_MAX_SPLIT;
	if (bytes > (4u << 20))
		bytes = 4u << 20;
	return (uint32_t)(bytes / VIOBLK_SECTOR);
}

/* ---- submission ------------------------------------------------------------------ */

static unsigned
vioblk_slot_get(struct vioblk *sc, struct vioblk_req *r)
{
	unsigned i = sc->sc_free;

	sc->sc_free = sc->sc_slots[i].vs_next;
	sc->sc_nfree--;
	sc->sc_slots[i].vs_req = r;
	return i;
}

static void
vioblk_slot_put(struct vioblk *sc, unsigned i)
{
	sc->sc_slots[i].vs_req = NULL;
	sc->sc_slots[i].vs_next = sc->sc_free;
	sc->sc_free = (uint16_t)i;
	sc->sc_nfree++;
}

static uint32_t
vioblk_type(enum vioblk_op op)
{
	static const uint32_t types[] = {
	    [VIOBLK_OP_READ] = VIOBLK_T_IN,
	    [VIOBLK_OP_WRITE] = VIOBLK_T_OUT,
	    [VIOBLK_OP_FLUSH] = VIOBLK_T_FLUSH,
	    [VIOBLK_OP_GET_ID] = VIOBLK_T_GET_ID,
	    [VIOBLK_OP_DISCARD] = VIOBLK_T_DISCARD,
	    [VIOBLK_OP_WRITE_ZEROES] = VIOBLK_T_WRITE_ZEROES,
	};
	return types[op];
}

/*
 * The middle segments of a request other than read/write: the GET_ID
 * answer buffer, or the discard / write-zeroes range in the slot.
 */
static unsigned
vioblk_fill_other(struct vioblk *sc, unsigned slot, const struct vioblk_req *r, struct vq_seg *segs)
{
	uint8_t *dz = vioblk_slot_cpu(sc, slot) + VIOBLK_SLOT_DZ;

	if (r->vr_op == VIOBLK_OP_GET_ID) {
		segs[0] = (struct vq_seg){r->vr_bufs[0].vb_addr, VIOBLK_ID_LEN, true};
		return 1;
	}
	if (r->vr_op == VIOBLK_OP_FLUSH)
		return 0;
	virtio_le64_store(dz, r->vr_sector);
	virtio_le32_store(dz + 8, r->vr_count);
	/* WRITE_ZEROES: unmap is allowed when the device says it is. */
	virtio_le32_store(dz + 12, 0);
	segs[0] = (struct vq_seg){vioblk_slot_dev(sc, slot) + VIOBLK_SLOT_DZ, VIOBLK_DZ_LEN, false};
	return 1;
}

/* Queue one device request with nmid data segments already in segs[1..]. */
static int
vioblk_add(struct vioblk *sc, struct vioblk_req *r, uint64_t sector, struct vq_seg *segs,
           unsigned nmid)
{
	unsigned slot = vioblk_slot_get(sc, r);
	uint8_t *p = vioblk_slot_cpu(sc, slot);
	uint32_t wlen = 1;
	unsigned i;
	int err;

	virtio_le32_store(p + VIOBLK_SLOT_HDR, vioblk_type(r->vr_op));
	virtio_le32_store(p + VIOBLK_SLOT_HDR + 4, 0);
	virtio_le64_store(p + VIOBLK_SLOT_HDR + 8,
	                  r->vr_op == VIOBLK_OP_GET_ID || r->vr_op == VIOBLK_OP_FLUSH ? 0 : sector);
	if (!vioblk_is_rw(r))
		nmid = vioblk_fill_other(sc, slot, r, segs + 1);
	p[VIOBLK_SLOT_STATUS] = 0xff; /* a device that never writes it */
	segs[0] = (struct vq_seg){vioblk_slot_dev(sc, slot), VIOBLK_HDR_LEN, false};
	segs[nmid + 1] = (struct vq_seg){vioblk_slot_dev(sc, slot) + VIOBLK_SLOT_STATUS, 1, true};
	for (i = 1; i <= nmid; i++)
		wlen += segs[i].vs_write ? segs[i].vs_len : 0;
	sc->sc_slots[slot].vs_wlen = wlen;
	virtio_dma_sync(&sc->sc_pool, (size_t)slot * VIOBLK_SLOT_BYTES, VIOBLK_SLOT_BYTES,
	                VIRTIO_DMA_BIDIR);
	err = vq_add(sc->sc_vq, segs, nmid + 2, &sc->sc_slots[slot]);
	if (err)
		vioblk_slot_put(sc, slot);
	return err;
}

/* Queue every device request of r; returns how many went in. */
static unsigned
vioblk_add_all(struct vioblk *sc, struct vioblk_req *r, unsigned nreq, int *errp)
{
	struct vq_seg segs[VIOBLK_MAX_DATA_SEGS + 2];
	struct vioblk_cursor c = {0, 0, 0};
	unsigned i, n = 0;
	uint64_t sector;

	for (i = 0; i < nreq; i++) {
		sector = r->vr_sector + c.vc_bytes / VIOBLK_SECTOR;
		if (vioblk_is_rw(r))
			n = vioblk_piece(sc, r, &c, segs + 1);
		*errp = vioblk_add(sc, r, sector, segs, n);
		if (*errp)
			break;
	}
	return i;
}

/*
 * The common request, already checked: a read or write of one buffer
 * that fits one data segment, so one device request without the
 * splitting walk. vq_add refuses (ENOSPC, EBADDEV) before it touches the
 * ring: a refusal still sends nothing.
 */
static int
vioblk_submit_one(struct vioblk *sc, struct vioblk_req *r)
{
	struct vq_seg segs[3];
	int err;

	if (sc->sc_nfree == 0)
		return VIRTIO_EAGAIN;
	r->vr_error = VIRTIO_OK;
	r->vr_pending = 1;
	segs[1] = (struct vq_seg){r->vr_bufs[0].vb_addr, r->vr_bufs[0].vb_len,
	                          r->vr_op == VIOBLK_OP_READ};
	err = vioblk_add(sc, r, r->vr_sector, segs, 1);
	if (err)
		return err == VIRTIO_ENOSPC ? VIRTIO_EAGAIN : err;
	if (sc != vioblk_completing)
		vq_kick(sc->sc_vq);
	return VIRTIO_OK;
}

int
vioblk_submit(struct vioblk *sc, struct vioblk_req *r)
{
	unsigned nreq, ndesc, done;
	int err = vioblk_check(sc, r);

	if (err)
		return err;
	if (vioblk_is_rw(r) && r->vr_nbufs == 1 && r->vr_bufs[0].vb_len <= sc->sc_piece_max)
		return vioblk_submit_one(sc, r);
	if (vq_is_broken(sc->sc_vq))
		return VIRTIO_EBADDEV;
	vioblk_plan(sc, r, &nreq, &ndesc);
	if (nreq > VIOBLK_MAX_SPLIT || nreq > sc->sc_nslots || ndesc > vq_size(sc->sc_vq))
		return VIRTIO_EINVAL; /* could never fit */
	if (nreq > sc->sc_nfree || ndesc > vq_num_free(sc->sc_vq))
		return VIRTIO_EAGAIN;
	r->vr_error = VIRTIO_OK;
	r->vr_pending = nreq;
	if (nreq > 1)
		sc->sc_split++;
	done = vioblk_add_all(sc, r, nreq, &err);
	if (done == 0)
		return err;
	if (done < nreq) {
		/* Cannot happen after the plan; fail the rest, keep the rest. */
		r->vr_error = err;
		r->vr_pending = done;
	}
	if (sc != vioblk_completing)
		vq_kick(sc->sc_vq);
	return VIRTIO_OK;
}

/* ---- completion ---------------------------------------------------------------- */

static void
vioblk_req_piece_done(struct vioblk *sc, struct vioblk_req *r, int err)
{
	if (err && r->vr_error == VIRTIO_OK)
		r->vr_error = err;
	if (--r->vr_pending != 0)
		return;
	if (r->vr_error)
		sc->sc_errors++;
	r->vr_done(r);
}

static int
vioblk_status_err(uint8_t status)
{
	switch (status) {
	case VIOBLK_S_OK:
		return VIRTIO_OK;
	case VIOBLK_S_IOERR:
		return VIRTIO_EIO;
	case VIOBLK_S_UNSUPP:
		return VIRTIO_EUNSUPP;
	}
	return VIRTIO_EBADDEV;
}

/* The device lied about one request: break it (which fails the rest). */
static void
vioblk_lie(struct vioblk *sc, const char *what, unsigned a, unsigned b)
{
	if (!sc->sc_dev->vd_broken)
		virtio_log(VIRTIO_LOG_ERR, "%s: device broken: %s (%u, %u)", sc->sc_dev->vd_name,
		           what, a, b);
	virtio_device_break(sc->sc_dev, NULL);
}

static void
vioblk_slot_done(struct vioblk *sc, struct vioblk_slot *s, uint32_t len)
{
	unsigned i = (unsigned)(s - sc->sc_slots);
	struct vioblk_req *r = s->vs_req;
	uint8_t status;
	int err;

	virtio_dma_sync(&sc->sc_pool, (size_t)i * VIOBLK_SLOT_BYTES, VIOBLK_SLOT_BYTES,
	                VIRTIO_DMA_FROM_DEVICE);
	status = vioblk_slot_cpu(sc, i)[VIOBLK_SLOT_STATUS];
	err = vioblk_status_err(status);
	vioblk_slot_put(sc, i);
	/* Success means every writable byte was written; an error may stop
	 * short of the data, but the status byte is always written. */
	if (len > s->vs_wlen || len == 0 || (err == VIRTIO_OK && len != s->vs_wlen)) {
		err = VIRTIO_EBADDEV;
		vioblk_lie(sc, "used length is not the request's", len, s->vs_wlen);
	} else if (err == VIRTIO_EBADDEV) {
		vioblk_lie(sc, "bad status byte", status, i);
	}
	vioblk_req_piece_done(sc, r, err);
}

/* Is tok one of our slots, in flight? (The queue checked it; so do we.) */
static struct vioblk_slot *
vioblk_token_slot(struct vioblk *sc, void *tok)
{
	struct vioblk_slot *s = tok;

	if (s < sc->sc_slots || s >= sc->sc_slots + sc->sc_nslots ||
	    (((uint8_t *)s - (uint8_t *)sc->sc_slots) % sizeof(*s)) != 0 || !s->vs_req)
		return NULL;
	return s;
}

/* Complete every request the device has used; false once it broke. */
static bool
vioblk_collect(struct vioblk *sc, struct vq *vq)
{
	struct vioblk_slot *s;
	uint32_t len;
	void *tok;

	while (vq_get(vq, &tok, &len) == VIRTIO_OK) {
		s = vioblk_token_slot(sc, tok);
		if (!s) {
			vioblk_lie(sc, "completion of a request not in flight", 0, 0);
			return false;
		}
		vioblk_slot_done(sc, s, len);
	}
	return !vq_is_broken(vq);
}

/*
 * Interrupts back on, with the race re-check. With VIOBLK_DELAY_MIN or
 * more device requests in flight the interrupt is asked for only after
 * about 3/4 of them (vq_enable_cb_delayed): one interrupt per batch
 * however fast the host completes. That event lies before the last
 * request in flight, so none is ever left without an interrupt; with
 * fewer in flight every completion interrupts, so the last few requests
 * never wait for one another.
 */
static bool
vioblk_rearm(struct vioblk *sc, struct vq *vq)
{
	if ((unsigned)(sc->sc_nslots - sc->sc_nfree) >= VIOBLK_DELAY_MIN)
		return vq_enable_cb_delayed(vq);
	return vq_enable_cb(vq);
}

/*
 * Collect completions. With few requests in flight callbacks stay on:
 * vq_get re-arms the interrupt at the next entry as it goes, and its
 * final empty answer is the race re-check, which is the cheapest path
 * for QD1. With many, callbacks are off while collecting (completions
 * meanwhile need no interrupt) and vioblk_rearm turns them back on.
 */
static void
vioblk_drain(struct vioblk *sc, struct vq *vq)
{
	bool batch = (unsigned)(sc->sc_nslots - sc->sc_nfree) >= VIOBLK_DELAY_MIN;

	vioblk_completing = sc;
	if (batch)
		vq_disable_cb(vq);
	while (vioblk_collect(sc, vq) && batch && !vioblk_rearm(sc, vq))
		;
	vioblk_completing = NULL;
	/* What the callbacks resubmitted, in one notification. */
	vq_kick(vq);
}

/* Become the collector; false (and sc_missed set) if someone else is. */
static bool
vioblk_own(struct vioblk *sc)
{
	if (!__atomic_exchange_n(&sc->sc_busy, true, __ATOMIC_ACQUIRE))
		return true;
	__atomic_store_n(&sc->sc_missed, true, __ATOMIC_RELEASE);
	return false;
}

/*
 * Let go of the collector role, draining again for every interrupt that
 * came meanwhile: its completions may have landed after our last look.
 */
static void
vioblk_release(struct vioblk *sc)
{
	do {
		__atomic_store_n(&sc->sc_busy, false, __ATOMIC_RELEASE);
		if (!__atomic_exchange_n(&sc->sc_missed, false, __ATOMIC_ACQ_REL) ||
		    !vioblk_own(sc))
			return;
		vioblk_drain(sc, sc->sc_vq);
	} while (1);
}

/* The queue interrupt (also a shared INTx line's, at any time). */
static void
vioblk_vq_done(struct vq *vq, void *arg)
{
	struct vioblk *sc = arg;

	if (!vioblk_own(sc))
		return;
	vioblk_drain(sc, vq);
	vioblk_release(sc);
}

/* After a reset: every request still in the ring fails with err. */
static void
vioblk_fail_inflight(struct vioblk *sc, int err)
{
	struct vioblk_slot *s;
	struct vioblk_req *r;
	void *tok;

	if (!sc->sc_vq)
		return;
	while ((tok = vq_detach_unused(sc->sc_vq)) != NULL) {
		s = vioblk_token_slot(sc, tok);
		if (!s)
			continue;
		r = s->vs_req;
		vioblk_slot_put(sc, (unsigned)(s - sc->sc_slots));
		vioblk_req_piece_done(sc, r, err);
	}
}

/* ---- driver ops ---------------------------------------------------------------- */

static void
vioblk_id_done(struct vioblk_req *r)
{
	struct vioblk *sc = r->vr_token;
	const uint8_t *id = sc->sc_id.vd_cpu;
	unsigned i;

	if (r->vr_error)
		return;
	virtio_dma_sync(&sc->sc_id, 0, VIOBLK_ID_LEN, VIRTIO_DMA_FROM_DEVICE);
	/* Not NUL-terminated when all 20 bytes are used; printable only. */
	for (i = 0; i < VIOBLK_ID_LEN && id[i]; i++)
		sc->sc_info.vi_serial[i] = id[i] >= 0x20 && id[i] < 0x7f ? (char)id[i] : '?';
	sc->sc_info.vi_serial[i] = '\0';
}

/*
 * Ask for the serial and poll for it a while (the probe is the collector:
 * interrupts meanwhile only mark sc_missed). A device slower than that
 * answers later, by interrupt, once the probe let go; the serial stays ""
 * until then.
 */
static void
vioblk_get_id(struct vioblk *sc)
{
	unsigned i;

	sc->sc_id_buf = (struct vioblk_buf){sc->sc_id.vd_dev, VIOBLK_ID_LEN};
	sc->sc_id_req = (struct vioblk_req){.vr_op = VIOBLK_OP_GET_ID,
	                                    .vr_bufs = &sc->sc_id_buf,
	                                    .vr_nbufs = 1,
	                                    .vr_done = vioblk_id_done,
	                                    .vr_token = sc};
	virtio_dma_sync(&sc->sc_id, 0, VIOBLK_ID_LEN, VIRTIO_DMA_FROM_DEVICE);
	if (vioblk_submit(sc, &sc->sc_id_req) != VIRTIO_OK) {
		virtio_log(VIRTIO_LOG_WARN, "%s: GET_ID not sent", sc->sc_dev->vd_name);
		return;
	}
	for (i = 0; i < VIOBLK_ID_POLLS; i++) {
		if (!vioblk_collect(sc, sc->sc_vq) || sc->sc_nfree == sc->sc_nslots)
			return;
		virtio_delay_us(10);
	}
}

static void
vioblk_free(struct vioblk *sc)
{
	if (sc->sc_slots)
		virtio_mem_free(sc->sc_slots, sc->sc_nslots * sizeof(struct vioblk_slot));
	if (sc->sc_pool.vd_cpu)
		virtio_dma_free(&sc->sc_pool);
	if (sc->sc_id.vd_cpu)
		virtio_dma_free(&sc->sc_id);
	virtio_mem_free(sc, sizeof(*sc));
}

/* The queue, the request pool and the slots. */
static int
vioblk_alloc(struct vioblk *sc)
{
	struct vq_params p = {0, VIOBLK_INDIRECT_MAX, vioblk_vq_done, sc, "req0"};
	unsigned i;
	int err;

	err = vq_create(sc->sc_dev, 0, &p, &sc->sc_vq);
	if (err)
		return err;
	if (vq_size(sc->sc_vq) < 3)
		return VIRTIO_EBADDEV; /* not even header+data+status */
	sc->sc_nslots = vq_size(sc->sc_vq);
	sc->sc_piece_max = vioblk_piece_max(sc);
	err = virtio_dma_alloc((size_t)sc->sc_nslots * VIOBLK_SLOT_BYTES, 64, &sc->sc_pool);
	if (!err)
		err = virtio_dma_alloc(64, 64, &sc->sc_id);
	if (err)
		return err;
	sc->sc_slots = virtio_mem_alloc(sc->sc_nslots * sizeof(struct vioblk_slot));
	if (!sc->sc_slots)
		return VIRTIO_ENOMEM;
	for (i = 0; i < sc->sc_nslots; i++)
		sc->sc_slots[i].vs_next = (uint16_t)(i + 1);
	sc->sc_free = 0;
	sc->sc_nfree = sc->sc_nslots;
	return VIRTIO_OK;
}

/*
 * A probe that fails after DRIVER_OK: stop the device before freeing the
 * memory it may still write (GET_ID), so nothing is left behind.
 */
static int
vioblk_probe_fail(struct vioblk *sc, int err)
{
	struct virtio_device *dev = sc->sc_dev;

	/* The core logs the one line ("vioblk probe failed: ..."). */
	if (dev->vd_ready)
		virtio_device_reset(dev);
	/* The core destroys the queue. */
	sc->sc_vq = NULL;
	vioblk_free(sc);
	return err;
}

/*
 * Every step that can fail comes before the disk is published (vd_priv,
 * the disk list, the attach hook): a failed probe leaves nothing. The
 * probe owns completion collecting throughout (sc_busy) and hands it to
 * the interrupt only once the softc is complete.
 */
static int
vioblk_probe(struct virtio_device *dev)
{
	struct vioblk *sc = virtio_mem_alloc(sizeof(*sc));
	int err;

	if (!sc)
		return VIRTIO_ENOMEM;
	sc->sc_dev = dev;
	sc->sc_busy = true;
	err = vioblk_config_parse(dev, &sc->sc_info);
	if (!err)
		err = vioblk_alloc(sc);
	if (err)
		return vioblk_probe_fail(sc, err);
	virtio_device_ready(dev);
	vioblk_get_id(sc);
	if (dev->vd_broken)
		return vioblk_probe_fail(sc, VIRTIO_EBADDEV);
	dev->vd_priv = sc;
	sc->sc_next = vioblk_list;
	vioblk_list = sc;
	vioblk_release(sc);
	if (vioblk_hooks && vioblk_hooks->vh_attach)
		vioblk_hooks->vh_attach(sc);
	return VIRTIO_OK;
}

static void
vioblk_unlink(struct vioblk *sc)
{
	struct vioblk **pp;

	for (pp = &vioblk_list; *pp; pp = &(*pp)->sc_next) {
		if (*pp == sc) {
			*pp = sc->sc_next;
			return;
		}
	}
}

static void
vioblk_remove(struct virtio_device *dev)
{
	struct vioblk *sc = dev->vd_priv;

	if (!sc)
		return;
	vioblk_fail_inflight(sc, VIRTIO_ENODEV);
	if (vioblk_hooks && vioblk_hooks->vh_detach)
		vioblk_hooks->vh_detach(sc);
	vioblk_unlink(sc);
	vq_destroy(sc->sc_vq);
	dev->vd_priv = NULL;
	vioblk_free(sc);
}

/* Interrupt context: stop the device so its requests can be reclaimed. */
static void
vioblk_broken(struct virtio_device *dev)
{
	struct vioblk *sc = dev->vd_priv;

	if (!sc)
		return;
	virtio_device_reset(dev);
	vioblk_fail_inflight(sc, VIRTIO_EBADDEV);
}

static void
vioblk_config_changed(struct virtio_device *dev)
{
	struct vioblk *sc = dev->vd_priv;
	struct vioblk_info in;

	if (!sc)
		return;
	in = sc->sc_info;
	if (vioblk_config_parse(dev, &in) != VIRTIO_OK) {
		virtio_device_break(dev, "configuration changed to garbage");
		return;
	}
	if (in.vi_capacity != sc->sc_info.vi_capacity)
		virtio_log(VIRTIO_LOG_INFO, "%s: capacity now %llu sectors", dev->vd_name,
		           (unsigned long long)in.vi_capacity);
	sc->sc_info.vi_capacity = in.vi_capacity;
	sc->sc_info.vi_writeback = in.vi_writeback;
	if (vioblk_hooks && vioblk_hooks->vh_changed)
		vioblk_hooks->vh_changed(sc);
}

struct virtio_driver vioblk_driver = {
    .vdrv_name = "vioblk",
    .vdrv_device_id = VIRTIO_ID_BLOCK,
    .vdrv_features =
        VIRTIO_F_CORE_DEFAULT | VIRTIO_BIT(VIOBLK_F_SIZE_MAX) | VIRTIO_BIT(VIOBLK_F_SEG_MAX) |
        VIRTIO_BIT(VIOBLK_F_RO) | VIRTIO_BIT(VIOBLK_F_BLK_SIZE) | VIRTIO_BIT(VIOBLK_F_FLUSH) |
        VIRTIO_BIT(VIOBLK_F_TOPOLOGY) | VIRTIO_BIT(VIOBLK_F_CONFIG_WCE) | VIRTIO_BIT(VIOBLK_F_MQ) |
        VIRTIO_BIT(VIOBLK_F_DISCARD) | VIRTIO_BIT(VIOBLK_F_WRITE_ZEROES),
    .vdrv_feature_names = vioblk_feature_names,
    .vdrv_probe = vioblk_probe,
    .vdrv_remove = vioblk_remove,
    .vdrv_config_changed = vioblk_config_changed,
    .vdrv_broken = vioblk_broken,
};

int
vioblk_driver_register(const struct vioblk_hooks *hooks)
{
	vioblk_hooks = hooks;
	return virtio_driver_register(&vioblk_driver);
}

int
vioblk_set_writeback(struct vioblk *sc, bool writeback)
{
	uint8_t v;
	int err;

	if (!sc->sc_info.vi_wce)
		return VIRTIO_EUNSUPP;
	err = virtio_config_write(sc->sc_dev, VIOBLK_CFG_WRITEBACK, 1, writeback ? 1 : 0);
	if (!err)
		err = virtio_config_read8(sc->sc_dev, VIOBLK_CFG_WRITEBACK, &v);
	if (err)
		return err;
	if ((v != 0) != writeback)
		return VIRTIO_EBADDEV;
	sc->sc_info.vi_writeback = writeback;
	return VIRTIO_OK;
}

struct vioblk *
vioblk_next(struct vioblk *prev)
{
	return prev ? prev->sc_next : vioblk_list;
}
