// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/viocon.c: the virtio console driver (virtio 1.4 §5.3): queues
 * (§5.3.2), features (§5.3.3), config (§5.3.4), initialisation (§5.3.5),
 * data ports (§5.3.6) and the multiport control protocol (§5.3.6.2,
 * legacy framing §5.3.6.4: every buffer is one descriptor). See viocon.h.
 */
#include "virtio/viocon.h"
#include "virtio/platform.h"
#include "virtio/virtio_le.h"
#include "virtio/virtqueue.h"

#define VIOCON_NCTRL 8     /* control buffers each way */
#define VIOCON_CTRLBUF 128 /* bytes per control receive buffer */
#define VIOCON_QSIZE 16

struct viocon_port {
	bool p_present, p_console, p_host_open, p_guest_open;
	bool p_has_size;
	uint16_t p_cols, p_rows;
	char p_name[VIOCON_NAME_MAX];
	struct vq *p_rxq, *p_txq; /* NULL: listed only */
	struct virtio_dma p_dma;  /* NRX receive, then NTX transmit */
	uint32_t p_txfree;        /* bit i: transmit buffer i is ours */
	uint64_t p_rx_bytes, p_tx_bytes, p_tx_dropped;
};

struct viocon {
	struct virtio_device *sc_dev;
	bool sc_multiport;
	uint32_t sc_max_ports; /* as the device said */
	struct viocon_port sc_ports[VIOCON_MAX_PORTS];
	struct vq *sc_crxq, *sc_ctxq;
	struct virtio_dma sc_cdma; /* NCTRL receive, then NCTRL send */
	uint32_t sc_ctxfree;
	uint64_t sc_bad_ctrl;
};

static struct viocon_hooks viocon_hooks;

static const struct virtio_feature_name viocon_feature_names[] = {
    {VIOCON_F_SIZE, "SIZE"},
    {VIOCON_F_MULTIPORT, "MULTIPORT"},
    {VIOCON_F_EMERG_WRITE, "EMERG_WRITE"},
    {0, NULL},
};

static void
st_ctrl(uint8_t *p, uint32_t id, uint16_t event, uint16_t value)
{
	virtio_le32_store(p, id);
	virtio_le16_store(p + 4, event);
	virtio_le16_store(p + 6, value);
}

/* Queue indexes of port p (§5.3.2). */
static unsigned
viocon_rxq_index(unsigned p)
{
	return p == 0 ? 0 : 2 + 2 * p;
}

/* ---- data ports ---------------------------------------------------------- */

static uint8_t *
viocon_rxbuf(struct viocon_port *pt, unsigned i)
{
	return (uint8_t *)pt->p_dma.vd_cpu + i * VIOCON_RXBUF;
}

static size_t
viocon_txoff(unsigned i)
{
	return VIOCON_NRX * VIOCON_RXBUF + i * VIOCON_TXBUF;
}

static int
viocon_rx_post(struct viocon_port *pt, unsigned i)
{
	struct vq_seg seg = {pt->p_dma.vd_dev + i * VIOCON_RXBUF, VIOCON_RXBUF, true};

	virtio_dma_sync(&pt->p_dma, i * VIOCON_RXBUF, VIOCON_RXBUF, VIRTIO_DMA_FROM_DEVICE);
	return vq_add(pt->p_rxq, &seg, 1, viocon_rxbuf(pt, i));
}

/* Token (a receive buffer's CPU address) back to its index. */
static unsigned
viocon_rx_index(struct viocon_port *pt, void *token)
{
	return (unsigned)(((uint8_t *)token - viocon_rxbuf(pt, 0)) / VIOCON_RXBUF);
}

static void
viocon_rx_intr(struct vq *vq, void *arg)
{
	struct viocon_port *pt = arg;
	struct viocon *sc = vq_device(vq)->vd_priv;
	unsigned port = (unsigned)(pt - sc->sc_ports);
	void *token;
	uint32_t len;

	while (vq_get(vq, &token, &len) == VIRTIO_OK) {
		unsigned i = viocon_rx_index(pt, token);

		virtio_dma_sync(&pt->p_dma, i * VIOCON_RXBUF, len, VIRTIO_DMA_FROM_DEVICE);
		pt->p_rx_bytes += len;
		if (len && viocon_hooks.vch_rx)
			viocon_hooks.vch_rx(sc, port, token, len, viocon_hooks.vch_arg);
		viocon_rx_post(pt, i);
	}
	vq_kick(vq);
}

/* Take back transmit buffers the device is done with. */
static void
viocon_tx_reclaim(struct viocon_port *pt)
{
	void *token;
	uint32_t len;

	while (vq_get(pt->p_txq, &token, &len) == VIRTIO_OK) {
		unsigned i = (unsigned)(uintptr_t)token - 1;

		if (i < VIOCON_NTX)
			pt->p_txfree |= 1u << i;
	}
}

/*
 * Transmit buffers come back by interrupt only while all of them are in
 * flight: then a writer may be left with output, and vch_tx_space tells
 * it when to go on. Otherwise the next write takes them back.
 */
static void
viocon_tx_arm(struct viocon_port *pt)
{
	/* vq_enable_cb is false when buffers were used meanwhile: take them. */
	while (!pt->p_txfree && !vq_enable_cb(pt->p_txq))
		viocon_tx_reclaim(pt);
}

static void
viocon_tx_intr(struct vq *vq, void *arg)
{
	struct viocon_port *pt = arg;
	struct viocon *sc = vq_device(vq)->vd_priv;

	vq_disable_cb(vq);
	viocon_tx_reclaim(pt);
	if (!pt->p_txfree) {
		viocon_tx_arm(pt); /* nothing came back after all */
		return;
	}
	if (viocon_hooks.vch_tx_space)
		viocon_hooks.vch_tx_space(sc, (unsigned)(pt - sc->sc_ports), viocon_hooks.vch_arg);
}

/* A free transmit buffer (used ones taken back first): index or -1. Never waits. */
static int
viocon_tx_get(struct viocon_port *pt)
{
	viocon_tx_reclaim(pt);
	return pt->p_txfree ? __builtin_ctz(pt->p_txfree) : -1;
}

/* Send one buffer's worth; bytes queued, 0 when none could be. */
static size_t
viocon_tx_one(struct viocon_port *pt, const uint8_t *s, size_t len)
{
	int i = viocon_tx_get(pt);
	size_t n = len < VIOCON_TXBUF ? len : VIOCON_TXBUF;
	uint8_t *dst;
	struct vq_seg seg;

	if (i < 0)
		return 0;
	dst = (uint8_t *)pt->p_dma.vd_cpu + viocon_txoff((unsigned)i);
	for (size_t k = 0; k < n; k++)
		dst[k] = s[k];
	virtio_dma_sync(&pt->p_dma, viocon_txoff((unsigned)i), n, VIRTIO_DMA_TO_DEVICE);
	seg = (struct vq_seg){pt->p_dma.vd_dev + viocon_txoff((unsigned)i), (uint32_t)n, false};
	if (vq_add(pt->p_txq, &seg, 1, (void *)(uintptr_t)(i + 1)) != VIRTIO_OK)
		return 0;
	pt->p_txfree &= ~(1u << i);
	/* Kick per buffer: the device may be waiting for this one. */
	vq_kick(pt->p_txq);
	return n;
}

/* The port for output: pointer, or NULL with *err set. */
static struct viocon_port *
viocon_tx_port(struct viocon *sc, unsigned port, int *err)
{
	if (port >= VIOCON_MAX_PORTS || !sc->sc_ports[port].p_txq ||
	    !sc->sc_ports[port].p_present) {
		*err = VIRTIO_ENODEV;
		return NULL;
	}
	if (sc->sc_dev->vd_broken) {
		*err = VIRTIO_EBADDEV;
		return NULL;
	}
	return &sc->sc_ports[port];
}

long
viocon_write(struct viocon *sc, unsigned port, const void *buf, size_t len)
{
	struct viocon_port *pt;
	const uint8_t *s = buf;
	size_t done = 0;
	int err;

	if (!(pt = viocon_tx_port(sc, port, &err)))
		return err;
	while (done < len) {
		size_t n = viocon_tx_one(pt, s + done, len - done);

		if (n == 0)
			break;
		done += n;
	}
	pt->p_tx_bytes += done;
	pt->p_tx_dropped += len - done;
	if (done < len)
		viocon_tx_arm(pt);
	return (long)done;
}

long
viocon_tx_room(struct viocon *sc, unsigned port)
{
	struct viocon_port *pt;
	unsigned nfree = 0;
	int err;

	if (!(pt = viocon_tx_port(sc, port, &err)))
		return err;
	viocon_tx_reclaim(pt);
	viocon_tx_arm(pt);
	for (uint32_t m = pt->p_txfree; m; m &= m - 1)
		nfree++;
	return (long)nfree * VIOCON_TXBUF;
}

void
viocon_tx_drop(struct viocon *sc, unsigned port, uint64_t n)
{
	if (port < VIOCON_MAX_PORTS)
		sc->sc_ports[port].p_tx_dropped += n;
}

/* ---- control queues (§5.3.6.2) ------------------------------------------ */

static void
viocon_ctx_reclaim(struct viocon *sc)
{
	void *token;
	uint32_t len;

	while (vq_get(sc->sc_ctxq, &token, &len) == VIRTIO_OK) {
		unsigned i = (unsigned)(uintptr_t)token - 1;

		if (i < VIOCON_NCTRL)
			sc->sc_ctxfree |= 1u << i;
	}
}

static void
viocon_ctx_intr(struct vq *vq, void *arg)
{
	viocon_ctx_reclaim(arg);
}

/* Send one control message; dropped (logged) if the queue is full. */
static void
viocon_ctrl_send(struct viocon *sc, uint32_t id, uint16_t event, uint16_t value)
{
	size_t off;
	unsigned i;
	struct vq_seg seg;

	viocon_ctx_reclaim(sc);
	if (!sc->sc_ctxfree) {
		virtio_log(VIRTIO_LOG_WARN,
		           "%s: viocon: control queue full, "
		           "event %u for port %u dropped",
		           sc->sc_dev->vd_name, event, id);
		return;
	}
	i = (unsigned)__builtin_ctz(sc->sc_ctxfree);
	off = VIOCON_NCTRL * VIOCON_CTRLBUF + i * VIOCON_CTRL_LEN;
	st_ctrl((uint8_t *)sc->sc_cdma.vd_cpu + off, id, event, value);
	virtio_dma_sync(&sc->sc_cdma, off, VIOCON_CTRL_LEN, VIRTIO_DMA_TO_DEVICE);
	seg = (struct vq_seg){sc->sc_cdma.vd_dev + off, VIOCON_CTRL_LEN, false};
	if (vq_add(sc->sc_ctxq, &seg, 1, (void *)(uintptr_t)(i + 1)) == VIRTIO_OK) {
		sc->sc_ctxfree &= ~(1u << i);
		vq_kick(sc->sc_ctxq);
	}
}

static int
viocon_crx_post(struct viocon *sc, unsigned i)
{
	struct vq_seg seg = {sc->sc_cdma.vd_dev + i * VIOCON_CTRLBUF, VIOCON_CTRLBUF, true};

	return vq_add(sc->sc_crxq, &seg, 1, (uint8_t *)sc->sc_cdma.vd_cpu + i * VIOCON_CTRLBUF);
}

static bool
viocon_bad(struct viocon *sc, const char *why, uint32_t id)
{
	sc->sc_bad_ctrl++;
	virtio_log(VIRTIO_LOG_WARN,
	           "%s: viocon: control message refused: "
	           "%s (port %u)",
	           sc->sc_dev->vd_name, why, id);
	return false;
}

/* Keep printable ASCII of a PORT_NAME payload, NUL-terminated. */
static void
viocon_set_name(struct viocon_port *pt, const uint8_t *p, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && p[i] && n < VIOCON_NAME_MAX - 1; i++)
		pt->p_name[n++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	pt->p_name[n] = '\0';
}

/* A port appears: answer PORT_READY (§5.3.6.2). */
static bool
viocon_port_add(struct viocon *sc, uint32_t id)
{
	struct viocon_port *pt = &sc->sc_ports[id];

	if (pt->p_present)
		return viocon_bad(sc, "port added twice", id);
	pt->p_present = true;
	pt->p_name[0] = '\0';
	pt->p_host_open = pt->p_guest_open = pt->p_console = false;
	viocon_ctrl_send(sc, id, VIOCON_PORT_READY, 1);
	/* A writer may have kept output for it (viocon_write said ENODEV). */
	if (pt->p_txq && viocon_hooks.vch_tx_space)
		viocon_hooks.vch_tx_space(sc, id, viocon_hooks.vch_arg);
	return true;
}

static bool
viocon_ctrl_event(struct viocon *sc, uint32_t id, uint16_t ev, uint16_t value, const uint8_t *extra,
                  size_t elen)
{
	struct viocon_port *pt = &sc->sc_ports[id];

	if (ev == VIOCON_DEVICE_ADD)
		return viocon_port_add(sc, id);
	if (!pt->p_present)
		return viocon_bad(sc, "event for a port never added", id);
	switch (ev) {
	case VIOCON_DEVICE_REMOVE:
		pt->p_present = pt->p_host_open = pt->p_guest_open = false;
		break;
	case VIOCON_CONSOLE_PORT:
		/* §5.3.6.2.2: a console port is answered with PORT_OPEN 1. */
		pt->p_console = true;
		pt->p_guest_open = true;
		viocon_ctrl_send(sc, id, VIOCON_PORT_OPEN, 1);
		break;
	case VIOCON_RESIZE:
		if (elen < 4)
			return viocon_bad(sc, "short RESIZE", id);
		pt->p_cols = virtio_le16_load(extra);
		pt->p_rows = virtio_le16_load(extra + 2);
		pt->p_has_size = true;
		break;
	case VIOCON_PORT_OPEN:
		pt->p_host_open = value != 0;
		break;
	case VIOCON_PORT_NAME:
		viocon_set_name(pt, extra, elen);
		break;
	default:
		return viocon_bad(sc, "unknown event", id);
	}
	return true;
}

/* One control message from the device: checked, then acted on. */
static void
viocon_ctrl_msg(struct viocon *sc, const uint8_t *p, uint32_t len)
{
	uint32_t id;

	if (len < VIOCON_CTRL_LEN) {
		viocon_bad(sc, "short message", 0);
		return;
	}
	id = virtio_le32_load(p);
	if (id >= sc->sc_max_ports || id >= VIOCON_MAX_PORTS) {
		viocon_bad(sc, "port id out of range", id);
		return;
	}
	viocon_ctrl_event(sc, id, virtio_le16_load(p + 4), virtio_le16_load(p + 6),
	                  p + VIOCON_CTRL_LEN, len - VIOCON_CTRL_LEN);
}

static void
viocon_crx_intr(struct vq *vq, void *arg)
{
	struct viocon *sc = arg;
	uint8_t *base = sc->sc_cdma.vd_cpu;
	void *token;
	uint32_t len;

	while (vq_get(vq, &token, &len) == VIRTIO_OK) {
		unsigned i = (unsigned)(((uint8_t *)token - base) / VIOCON_CTRLBUF);

		virtio_dma_sync(&sc->sc_cdma, i * VIOCON_CTRLBUF, len, VIRTIO_DMA_FROM_DEVICE);
		viocon_ctrl_msg(sc, token, len);
		viocon_crx_post(sc, i);
	}
	vq_kick(vq);
}

/* ---- probe and remove --------------------------------------------------- */

static int
viocon_port_setup(struct viocon *sc, unsigned p)
{
	struct viocon_port *pt = &sc->sc_ports[p];
	unsigned rx = viocon_rxq_index(p);
	struct vq_params prm = {.vqp_size = VIOCON_QSIZE, .vqp_arg = pt};
	int err;

	err =
	    virtio_dma_alloc(VIOCON_NRX * VIOCON_RXBUF + VIOCON_NTX * VIOCON_TXBUF, 64, &pt->p_dma);
	if (err)
		return err;
	prm.vqp_callback = viocon_rx_intr;
	prm.vqp_name = "rx";
	err = vq_create(sc->sc_dev, rx, &prm, &pt->p_rxq);
	if (err)
		return err;
	prm.vqp_callback = viocon_tx_intr;
	prm.vqp_name = "tx";
	err = vq_create(sc->sc_dev, rx + 1, &prm, &pt->p_txq);
	if (err)
		return err;
	pt->p_txfree = (1u << VIOCON_NTX) - 1;
	/* Transmit buffers are reclaimed by the next write: interrupts only when all are out. */
	vq_disable_cb(pt->p_txq);
	for (unsigned i = 0; i < VIOCON_NRX && err == VIRTIO_OK; i++)
		err = viocon_rx_post(pt, i);
	return err;
}

static int
viocon_ctrl_setup(struct viocon *sc)
{
	struct vq_params prm = {.vqp_size = VIOCON_QSIZE, .vqp_arg = sc};
	int err;

	err = virtio_dma_alloc(VIOCON_NCTRL * (VIOCON_CTRLBUF + VIOCON_CTRL_LEN), 64, &sc->sc_cdma);
	if (err)
		return err;
	prm.vqp_callback = viocon_crx_intr;
	prm.vqp_name = "ctrl-rx";
	err = vq_create(sc->sc_dev, 2, &prm, &sc->sc_crxq);
	if (err)
		return err;
	prm.vqp_callback = viocon_ctx_intr;
	prm.vqp_name = "ctrl-tx";
	err = vq_create(sc->sc_dev, 3, &prm, &sc->sc_ctxq);
	if (err)
		return err;
	sc->sc_ctxfree = (1u << VIOCON_NCTRL) - 1;
	vq_disable_cb(sc->sc_ctxq);
	for (unsigned i = 0; i < VIOCON_NCTRL && err == VIRTIO_OK; i++)
		err = viocon_crx_post(sc, i);
	return err;
}

/* Port 0's size from config space (§5.3.4), when SIZE was negotiated. */
static void
viocon_read_size(struct viocon *sc)
{
	uint16_t cols, rows;

	if (!virtio_has_feature(sc->sc_dev, VIOCON_F_SIZE))
		return;
	if (virtio_config_read16(sc->sc_dev, VIOCON_CFG_COLS, &cols) ||
	    virtio_config_read16(sc->sc_dev, VIOCON_CFG_ROWS, &rows))
		return;
	sc->sc_ports[0].p_cols = cols;
	sc->sc_ports[0].p_rows = rows;
	sc->sc_ports[0].p_has_size = true;
}

/* Which ports get data queues, from max_nr_ports and the queue count. */
static int
viocon_config(struct viocon *sc)
{
	struct virtio_device *dev = sc->sc_dev;
	uint32_t max = 1;

	sc->sc_multiport = virtio_has_feature(dev, VIOCON_F_MULTIPORT);
	if (sc->sc_multiport) {
		if (virtio_config_read32(dev, VIOCON_CFG_MAX_PORTS, &max))
			return VIRTIO_EBADDEV;
		if (max == 0 || dev->vd_nvqs < 4) {
			virtio_log(VIRTIO_LOG_ERR,
			           "%s: viocon: MULTIPORT with "
			           "%u ports and %u queues",
			           dev->vd_name, max, dev->vd_nvqs);
			return VIRTIO_EBADDEV;
		}
	}
	sc->sc_max_ports = max;
	viocon_read_size(sc);
	return VIRTIO_OK;
}

static int
viocon_setup(struct viocon *sc)
{
	int err = viocon_config(sc);
	unsigned p;

	if (err)
		return err;
	err = viocon_port_setup(sc, 0);
	if (err || !sc->sc_multiport)
		return err;
	err = viocon_ctrl_setup(sc);
	for (p = 1; !err && p < VIOCON_IO_PORTS && p < sc->sc_max_ports &&
	            viocon_rxq_index(p) + 1 < sc->sc_dev->vd_nvqs;
	     p++)
		err = viocon_port_setup(sc, p);
	return err;
}

static void
viocon_teardown(struct viocon *sc)
{
	for (unsigned p = 0; p < VIOCON_MAX_PORTS; p++) {
		struct viocon_port *pt = &sc->sc_ports[p];

		vq_destroy(pt->p_rxq);
		vq_destroy(pt->p_txq);
		if (pt->p_dma.vd_cpu)
			virtio_dma_free(&pt->p_dma);
	}
	vq_destroy(sc->sc_crxq);
	vq_destroy(sc->sc_ctxq);
	if (sc->sc_cdma.vd_cpu)
		virtio_dma_free(&sc->sc_cdma);
	virtio_mem_free(sc, sizeof(*sc));
}

static int
viocon_probe(struct virtio_device *dev)
{
	struct viocon *sc = virtio_mem_alloc(sizeof(*sc));
	int err;

	if (!sc)
		return VIRTIO_ENOMEM;
	sc->sc_dev = dev;
	dev->vd_priv = sc;
	err = viocon_setup(sc);
	if (err) {
		dev->vd_priv = NULL;
		viocon_teardown(sc);
		return err;
	}
	if (!sc->sc_multiport) {
		/* §5.3.6: without MULTIPORT, port 0 is the console. */
		sc->sc_ports[0].p_present = true;
		sc->sc_ports[0].p_console = true;
	}
	virtio_device_ready(dev);
	for (unsigned p = 0; p < VIOCON_MAX_PORTS; p++)
		if (sc->sc_ports[p].p_rxq)
			vq_kick(sc->sc_ports[p].p_rxq);
	if (sc->sc_multiport) {
		vq_kick(sc->sc_crxq);
		viocon_ctrl_send(sc, 0, VIOCON_DEVICE_READY, 1);
	}
	if (viocon_hooks.vch_attach)
		viocon_hooks.vch_attach(sc, viocon_hooks.vch_arg);
	return VIRTIO_OK;
}

static void
viocon_remove(struct virtio_device *dev)
{
	struct viocon *sc = dev->vd_priv;

	if (!sc)
		return;
	if (viocon_hooks.vch_detach)
		viocon_hooks.vch_detach(sc, viocon_hooks.vch_arg);
	for (unsigned p = 0; p < VIOCON_MAX_PORTS; p++) {
		struct viocon_port *pt = &sc->sc_ports[p];

		while (pt->p_rxq && vq_detach_unused(pt->p_rxq))
			;
		while (pt->p_txq && vq_detach_unused(pt->p_txq))
			;
	}
	while (sc->sc_crxq && vq_detach_unused(sc->sc_crxq))
		;
	while (sc->sc_ctxq && vq_detach_unused(sc->sc_ctxq))
		;
	dev->vd_priv = NULL;
	viocon_teardown(sc);
}

static void
viocon_config_changed(struct virtio_device *dev)
{
	struct viocon *sc = dev->vd_priv;

	if (sc)
		viocon_read_size(sc);
}

static struct virtio_driver viocon_driver = {
    .vdrv_name = "viocon",
    .vdrv_device_id = VIRTIO_ID_CONSOLE,
    .vdrv_features =
        VIRTIO_F_CORE_DEFAULT | VIRTIO_BIT(VIOCON_F_SIZE) | VIRTIO_BIT(VIOCON_F_MULTIPORT),
    .vdrv_feature_names = viocon_feature_names,
    .vdrv_probe = viocon_probe,
    .vdrv_remove = viocon_remove,
    .vdrv_config_changed = viocon_config_changed,
};

int
viocon_driver_register(const struct viocon_hooks *hooks)
{
	if (hooks)
		viocon_hooks = *hooks;
	return virtio_driver_register(&viocon_driver);
}

void
viocon_driver_unregister(void)
{
	virtio_driver_unregister(&viocon_driver);
}

/* ---- queries ------------------------------------------------------------- */

int
viocon_port_info(const struct viocon *sc, unsigned n, struct viocon_port_info *info)
{
	for (unsigned p = 0; p < VIOCON_MAX_PORTS; p++) {
		const struct viocon_port *pt = &sc->sc_ports[p];

		if (!pt->p_present || n-- > 0)
			continue;
		*info = (struct viocon_port_info){
		    .vpi_id = p,
		    .vpi_console = pt->p_console,
		    .vpi_io = pt->p_txq != NULL,
		    .vpi_host_open = pt->p_host_open,
		    .vpi_guest_open = pt->p_guest_open,
		    .vpi_has_size = pt->p_has_size,
		    .vpi_cols = pt->p_cols,
		    .vpi_rows = pt->p_rows,
		    .vpi_rx_bytes = pt->p_rx_bytes,
		    .vpi_tx_bytes = pt->p_tx_bytes,
		    .vpi_tx_dropped = pt->p_tx_dropped,
		};
		for (unsigned i = 0; i < VIOCON_NAME_MAX; i++)
			info->vpi_name[i] = pt->p_name[i];
		return VIRTIO_OK;
	}
	return VIRTIO_ENODEV;
}

void
viocon_info_get(const struct viocon *sc, struct viocon_info *info)
{
	*info = (struct viocon_info){
	    .vci_multiport = sc->sc_multiport,
	    .vci_max_ports = sc->sc_max_ports,
	    .vci_bad_ctrl = sc->sc_bad_ctrl,
	};
}

struct virtio_device *
viocon_device(const struct viocon *sc)
{
	return sc->sc_dev;
}
