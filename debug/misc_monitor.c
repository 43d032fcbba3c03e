// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * debug/misc_monitor.c: monitor commands of the small virtio devices:
 * `console` (virtio-console ports and sizes), `rng BYTES` (entropy in hex)
 * and `balloon` (target and current balloon size).
 */
#include "drivers/vioballoon_glue.h"
#include "drivers/viornd_glue.h"
#include "drivers/viocon_glue.h"
#include "drivers/virtio_errno.h"
#include "drivers/virtio_platform.h"
#include "debug/monitor.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "virtio/virtio_err.h"
#include "x86_64/machine.h"

#define RNG_MAX_BYTES 4096
#define RNG_TIMEOUT_MS 10000 /* without any byte arriving */

static void
console_show_port(const struct viocon_port_info *pi)
{
	kprintf("  port %u%s%s%s%s%s%s", pi->vpi_id, pi->vpi_console ? " console" : "",
	        pi->vpi_name[0] ? " name=" : "", pi->vpi_name, pi->vpi_io ? "" : " (listed only)",
	        pi->vpi_host_open ? " host-open" : "", pi->vpi_guest_open ? " guest-open" : "");
	if (pi->vpi_has_size)
		kprintf(" size %ux%u", pi->vpi_cols, pi->vpi_rows);
	kprintf(" rx %lu tx %lu dropped %lu\n", pi->vpi_rx_bytes, pi->vpi_tx_bytes,
	        pi->vpi_tx_dropped);
}

static kern_return_t
cmd_console(int argc, char **argv)
{
	struct viocon_port_info pi;
	struct viocon *con;
	unsigned n;

	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: console");
	if (!viocon_glue_get(0)) {
		kprintf("no virtio console\n");
		return KERN_SUCCESS;
	}
	for (unsigned d = 0; (con = viocon_glue_get(d)) != NULL; d++) {
		/* Driver state is the device lock's; printing under it is fine (it never waits). */
		struct spinlock *lock = virtio_device_lock(viocon_device(con));
		uint64_t f = spin_lock_irqsave(lock);
		struct viocon_info ci;

		viocon_info_get(con, &ci);
		kprintf("hvc%u: %s, %s, max ports %u, bad control messages %lu\n", d,
		        viocon_device(con)->vd_name, ci.vci_multiport ? "multiport" : "single port",
		        ci.vci_max_ports, ci.vci_bad_ctrl);
		for (n = 0; viocon_port_info(con, n, &pi) == VIRTIO_OK; n++)
			console_show_port(&pi);
		spin_unlock_irqrestore(lock, f);
	}
	return KERN_SUCCESS;
}
MONITOR_COMMAND("console", "", "virtio console ports and sizes", cmd_console);

static kern_return_t
cmd_rng(int argc, char **argv)
{
	static uint8_t buf[RNG_MAX_BYTES];
	unsigned long n;
	long got;

	if (argc != 2 || parse_u64(argv[1], &n) != KERN_SUCCESS || n == 0 || n > RNG_MAX_BYTES)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: rng BYTES (1-%d)",
		                     RNG_MAX_BYTES);
	got = rng_read(buf, n, RNG_TIMEOUT_MS);
	if (got == VIRTIO_ENODEV)
		return monitor_error(D_NO_SUCH_DEVICE, "no virtio-rng device");
	if (got == VIRTIO_EIO)
		return monitor_error(D_IO_ERROR, "rng: health check failed (%s): source disabled",
		                     rng_health() ? rng_health() : "?");
	if (got == VIRTIO_ETIMEDOUT)
		return monitor_error(KERN_TIMEDOUT, "rng: no bytes from %s in %d ms",
		                     rng_device_name(), RNG_TIMEOUT_MS);
	if (got < 0)
		return monitor_error(virtio_to_io_return((int)got), "rng: %s",
		                     virtio_strerror((int)got));
	for (long i = 0; i < got; i++)
		kprintf("%02x%s", buf[i], (i % 32 == 31 || i == got - 1) ? "\n" : "");
	return KERN_SUCCESS;
}
MONITOR_COMMAND("rng", "BYTES", "read BYTES from the virtio entropy source, in hex", cmd_rng);

/* `balloon oom N`: what the allocator's low-memory hook would do. */
static kern_return_t
balloon_oom_cmd(const char *arg)
{
	unsigned long n;

	if (parse_u64(arg, &n) != KERN_SUCCESS || n == 0 || n > VIOBALLOON_BATCH)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: balloon oom PAGES (1-%d)",
		                     VIOBALLOON_BATCH);
	if (!balloon_glue_get())
		return monitor_error(D_NO_SUCH_DEVICE, "no virtio balloon");
	kprintf("balloon: %u pages given back\n", balloon_oom_release((unsigned)n));
	return KERN_SUCCESS;
}

static kern_return_t
cmd_balloon(int argc, char **argv)
{
	struct vioballoon *b = balloon_glue_get();
	struct vioballoon_info bi;
	char feat[160];

	if (argc == 3 && !strcmp(argv[1], "oom"))
		return balloon_oom_cmd(argv[2]);
	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: balloon [oom PAGES]");
	if (!b || !balloon_glue_info(&bi)) {
		kprintf("no virtio balloon\n");
		return KERN_SUCCESS;
	}
	virtio_features_format(vioballoon_device(b), bi.vbi_features, feat, sizeof(feat));
	kprintf("balloon %s: target %u pages (%u MiB), current %u pages (%u MiB)%s%s%s\n",
	        vioballoon_device(b)->vd_name, bi.vbi_target, bi.vbi_target / 256, bi.vbi_pages,
	        bi.vbi_pages / 256, bi.vbi_busy ? ", busy" : "",
	        bi.vbi_short ? ", short of memory" : "",
	        bi.vbi_oom_hold ? ", deflated on OOM" : "");
	kprintf("  inflated %lu deflated %lu oom %lu pages, stats updates %lu, features %s\n",
	        bi.vbi_inflated, bi.vbi_deflated, bi.vbi_oom_pages, bi.vbi_stats_updates, feat);
	return KERN_SUCCESS;
}
MONITOR_COMMAND("balloon", "[oom PAGES]",
                "virtio balloon target and current size; oom: give pages back", cmd_balloon);
