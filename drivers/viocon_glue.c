// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/viocon_glue.c: kernel glue of virtio/viocon.c. Each attached
 * virtio console's port 0 becomes hvcN (the first is hvc0): a console
 * registered with kern/console.c, so kernel output also goes there, and
 * bytes received on it are fed to console_input() (the monitor reads
 * them). console_write() calls us with interrupts off, which is what
 * viocon_write() needs.
 */
#include "drivers/viocon_glue.h"

#include "kern/console.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/printf.h"

#define VIOCON_GLUE_MAX 2

struct viocon_glue {
	struct console vg_con; /* first: con_write casts back */
	struct viocon *vg_viocon;
	char vg_name[8]; /* "hvc0" */
};

static struct viocon_glue viocon_glues[VIOCON_GLUE_MAX];

static void
viocon_glue_write(struct console *con, const char *s, size_t len)
{
	struct viocon_glue *g = (struct viocon_glue *)con;

	if (g->vg_viocon)
		viocon_write(g->vg_viocon, 0, s, len);
}

static void
viocon_glue_rx(struct viocon *con, unsigned port, const uint8_t *buf, size_t len, void *arg)
{
	if (port != 0)
		return; /* extra ports have no reader yet */
	for (size_t i = 0; i < len; i++)
		console_input((char)buf[i]);
}

static void
viocon_glue_attach(struct viocon *con, void *arg)
{
	struct viocon_info ci;

	viocon_info_get(con, &ci);
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++) {
		struct viocon_glue *g = &viocon_glues[i];

		if (g->vg_con.con_write && g->vg_viocon)
			continue;
		g->vg_viocon = con;
		if (!g->vg_con.con_write) {
			/* Registered once: kern/console.c has no unregister. */
			ksnprintf(g->vg_name, sizeof(g->vg_name), "hvc%u", i);
			g->vg_con.con_name = g->vg_name;
			g->vg_con.con_write = viocon_glue_write;
			console_register(&g->vg_con);
		}
		log_info("%s: virtio console on %s%s", g->vg_name, viocon_device(con)->vd_name,
		         ci.vci_multiport ? " (multiport)" : "");
		return;
	}
	log_warn("virtio-console: more than %d devices, one ignored", VIOCON_GLUE_MAX);
}

static void
viocon_glue_detach(struct viocon *con, void *arg)
{
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++)
		if (viocon_glues[i].vg_viocon == con)
			viocon_glues[i].vg_viocon = NULL;
}

struct viocon *
viocon_glue_get(unsigned n)
{
	for (unsigned i = 0; i < VIOCON_GLUE_MAX; i++)
		if (viocon_glues[i].vg_viocon && n-- == 0)
			return viocon_glues[i].vg_viocon;
	return NULL;
}

static void
viocon_glue_init(void)
{
	static const struct viocon_hooks hooks = {viocon_glue_attach, viocon_glue_detach,
	                                          viocon_glue_rx, NULL};
	int err = viocon_driver_register(&hooks);

	if (err)
		log_err("virtio-console: driver registration failed (%s)", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "virtio-console", viocon_glue_init);
