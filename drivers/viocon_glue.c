// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/viocon_glue.c: kernel glue of virtio/viocon.c. Each attached
 * virtio console's port 0 becomes hvcN (the first is hvc0): a console
 * registered with kern/console.c, so kernel output also goes there, and
 * bytes received on it are fed to console_input() (the monitor reads
 * them).
 *
 * Output never waits. console_write() calls us with the console lock held
 * and interrupts off, and the device's driver needs the device lock,
 * which ranks before the console lock (the driver logs under it). So a
 * write only appends to the hvc's ring (HVC_RING bytes, under its leaf
 * lock; what does not fit is dropped and counted), then flushes the ring
 * into the device if the device lock is free (spin_trylock). Otherwise,
 * or when the device has no room, the flush comes later: from the
 * transmit interrupt (vch_tx_space), or from the hvc's own interrupt,
 * raised on this CPU, which runs as soon as interrupts are on again and
 * the device lock's holder is done.
 */
#include "drivers/viocon_glue.h"

#include "drivers/virtio_platform.h"
#include "kern/console.h"
#include "kern/initcall.h"
#include "kern/irq.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "x86_64/machine.h"

#define VIOCON_GLUE_MAX 2
#define HVC_RING 4096 /* bytes of output waiting for the device */

struct viocon_glue {
	struct console vg_con;   /* first: con_write casts back */
	char vg_name[8];         /* "hvc0" */
	int vg_vector;           /* the hvc's own interrupt (flush), -1 when none */
	struct spinlock vg_lock; /* the fields below; a leaf: nothing is taken under it */
	struct viocon *vg_viocon;
	struct spinlock *vg_dev_lock; /* vg_viocon's device lock */
	char vg_ring[HVC_RING];
	size_t vg_head, vg_len; /* oldest byte, bytes held */
	uint64_t vg_dropped;    /* ring full: bytes dropped, not yet counted by viocon */
	bool vg_kick_pending;   /* the hvc interrupt is raised and has not run */
};

static struct viocon_glue viocon_glues[VIOCON_GLUE_MAX];

/* Appends what fits of s to the ring; the rest is counted as dropped. */
static void
hvc_ring_put(struct viocon_glue *g, const char *s, size_t len)
{
	assert_held(&g->vg_lock);
	for (size_t i = 0; i < len; i++) {
		if (g->vg_len == HVC_RING) {
			g->vg_dropped += len - i;
			return;
		}
		g->vg_ring[(g->vg_head + g->vg_len++) % HVC_RING] = s[i];
	}
}

/* Copies up to max of the oldest bytes, leaving them in the ring; how many. */
static size_t
hvc_ring_peek(struct viocon_glue *g, char *out, size_t max)
{
	size_t n = g->vg_len < max ? g->vg_len : max;

	assert_held(&g->vg_lock);
	for (size_t i = 0; i < n; i++)
		out[i] = g->vg_ring[(g->vg_head + i) % HVC_RING];
	return n;
}

static void
hvc_ring_consume(struct viocon_glue *g, size_t n)
{
	assert_held(&g->vg_lock);
	g->vg_head = (g->vg_head + n) % HVC_RING;
	g->vg_len -= n;
}

/*
 * Moves the ring into the device while it has room. Called with the
 * device lock held (interrupt, or a trylock on the write path); the ring
 * lock is taken only around ring accesses, never across the driver, which
 * may log.
 */
static void
hvc_flush(struct viocon_glue *g)
{
	char chunk[VIOCON_TXBUF];
	uint64_t dropped;
	struct viocon *con;
	size_t n;
	long room;

	assert_held(g->vg_dev_lock);
	for (;;) {
		spin_lock(&g->vg_lock);
		con = g->vg_viocon;
		dropped = g->vg_dropped;
		g->vg_dropped = 0;
		n = hvc_ring_peek(g, chunk, sizeof(chunk));
		spin_unlock(&g->vg_lock);
		if (!con)
			return;
		if (dropped)
			viocon_tx_drop(con, 0, dropped);
		if (n == 0)
			return;
		/* No room: vch_tx_space calls again. ENODEV: the port is not up yet, keep it. */
		room = viocon_tx_room(con, 0);
		if (room == 0 || room == VIRTIO_ENODEV)
			return;
		if (room < 0) {
			/* Broken device: what the ring holds will never go out. */
			spin_lock(&g->vg_lock);
			n = g->vg_len;
			hvc_ring_consume(g, n);
			spin_unlock(&g->vg_lock);
			viocon_tx_drop(con, 0, n);
			return;
		}
		if ((size_t)room < n)
			n = (size_t)room;
		room = viocon_write(con, 0, chunk, n);
		if (room <= 0)
			return;
		spin_lock(&g->vg_lock);
		hvc_ring_consume(g, (size_t)room);
		spin_unlock(&g->vg_lock);
	}
}

/* The hvc's own interrupt: a flush the write path could not do. */
static void
hvc_kick_intr(void *arg)
{
	struct viocon_glue *g = arg;
	struct spinlock *dev;

	spin_lock(&g->vg_lock);
	g->vg_kick_pending = false;
	dev = g->vg_dev_lock;
	spin_unlock(&g->vg_lock);
	if (!dev)
		return;
	spin_lock(dev);
	hvc_flush(g);
	spin_unlock(dev);
}

/* console_write(): console lock held, interrupts off. Never waits. */
static void
viocon_glue_write(struct console *con, const char *s, size_t len)
{
	struct viocon_glue *g = (struct viocon_glue *)con;
	struct spinlock *dev;
	bool kick;

	spin_lock(&g->vg_lock);
	hvc_ring_put(g, s, len);
	dev = g->vg_dev_lock;
	spin_unlock(&g->vg_lock);
	if (!dev)
		return;
	/*
	 * Out of order, hence only tried: the holder may be this CPU, in the
	 * device's interrupt or in hvc_flush(), logging.
	 */
	if (spin_trylock(dev)) {
		hvc_flush(g);
		spin_unlock(dev);
		return;
	}
	spin_lock(&g->vg_lock);
	kick = !g->vg_kick_pending && g->vg_vector >= 0;
	g->vg_kick_pending |= kick;
	spin_unlock(&g->vg_lock);
	if (kick)
		machine_irq_self((uint8_t)g->vg_vector);
}

/* Interrupt context, device lock held: buffers came back, or the port came up. */
static void
viocon_glue_tx_space(struct viocon *con, unsigned port, void *arg)
{
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++) {
		struct viocon_glue *g = &viocon_glues[i];
		bool ours;

		spin_lock(&g->vg_lock);
		ours = g->vg_viocon == con;
		spin_unlock(&g->vg_lock);
		if (ours && port == 0)
			hvc_flush(g);
	}
}

static void
viocon_glue_rx(struct viocon *con, unsigned port, const uint8_t *buf, size_t len, void *arg)
{
	if (port != 0)
		return; /* extra ports have no reader yet */
	for (size_t i = 0; i < len; i++)
		console_input((char)buf[i]);
}

/* A free slot for con, marked taken; NULL when all are in use. */
static struct viocon_glue *
viocon_glue_claim(struct viocon *con)
{
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++) {
		struct viocon_glue *g = &viocon_glues[i];
		uint64_t f = spin_lock_irqsave(&g->vg_lock);
		bool free = !g->vg_viocon;

		if (free) {
			g->vg_dev_lock = virtio_device_lock(viocon_device(con));
			g->vg_viocon = con;
		}
		spin_unlock_irqrestore(&g->vg_lock, f);
		if (free)
			return g;
	}
	return NULL;
}

static void
viocon_glue_attach(struct viocon *con, void *arg)
{
	struct viocon_glue *g = viocon_glue_claim(con);

	if (!g) {
		log_warn("virtio-console: more than %d devices, one ignored", VIOCON_GLUE_MAX);
		return;
	}
	if (!g->vg_con.con_write) {
		/* Registered once: kern/console.c has no unregister. */
		ksnprintf(g->vg_name, sizeof(g->vg_name), "hvc%u", (unsigned)(g - viocon_glues));
		if (irq_alloc_vector(hvc_kick_intr, g, g->vg_name, &g->vg_vector) != KERN_SUCCESS)
			g->vg_vector = -1;
		g->vg_con.con_name = g->vg_name;
		g->vg_con.con_write = viocon_glue_write;
		console_register(&g->vg_con);
	}
	struct viocon_info ci;

	viocon_info_get(con, &ci);
	log_info("%s: virtio console on %s%s", g->vg_name, viocon_device(con)->vd_name,
	         ci.vci_multiport ? " (multiport)" : "");
}

static void
viocon_glue_detach(struct viocon *con, void *arg)
{
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++) {
		struct viocon_glue *g = &viocon_glues[i];
		uint64_t f = spin_lock_irqsave(&g->vg_lock);

		if (g->vg_viocon == con) {
			g->vg_viocon = NULL;
			g->vg_dev_lock = NULL;
		}
		spin_unlock_irqrestore(&g->vg_lock, f);
	}
}

struct viocon *
viocon_glue_get(unsigned n)
{
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++) {
		struct viocon_glue *g = &viocon_glues[i];
		uint64_t f = spin_lock_irqsave(&g->vg_lock);
		struct viocon *con = g->vg_viocon;

		spin_unlock_irqrestore(&g->vg_lock, f);
		if (con && n-- == 0)
			return con;
	}
	return NULL;
}

static void
viocon_glue_init(void)
{
	static const struct viocon_hooks hooks = {
	    .vch_attach = viocon_glue_attach,
	    .vch_detach = viocon_glue_detach,
	    .vch_rx = viocon_glue_rx,
	    .vch_tx_space = viocon_glue_tx_space,
	};
	int err;

	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++) {
		spin_init(&viocon_glues[i].vg_lock, "hvc", LOCK_RANK_HVC);
		viocon_glues[i].vg_vector = -1;
	}
	err = viocon_driver_register(&hooks);
	if (err)
		log_err("virtio-console: driver registration failed (%s)", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "virtio-console", viocon_glue_init);
