// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_viocon.c: the virtio console driver (virtio/viocon.c)
 * against the simulated device: port 0 output and input, long writes, a
 * device that stops consuming output (no waiting: drops counted, room
 * signalled when it catches up), the SIZE
 * config and its change, the MULTIPORT control protocol (DEVICE_READY,
 * PORT_READY, CONSOLE_PORT -> PORT_OPEN, names, RESIZE, extra ports) and a
 * device that sends malformed control messages or lies about lengths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_misc.h"
#include "virtio/viocon.h"
#include "virtio/virtqueue.h"

#define F_V1 VIRTIO_BIT(VIRTIO_F_VERSION_1)
#define F_SIZE VIRTIO_BIT(VIOCON_F_SIZE)
#define F_MP VIRTIO_BIT(VIOCON_F_MULTIPORT)

struct ct {
	struct sim *s;
	struct viocon *con;
	unsigned attach, detach;
	uint8_t rx[4096];
	size_t rxlen;
	unsigned rxport;
	unsigned tx_space, tx_space_port; /* vch_tx_space calls, last port */
	const char *tx_pending;           /* written by vch_tx_space, then cleared */
};

static struct ct ct;

static void
ct_attach(struct viocon *con, void *arg)
{
	ct.con = con;
	ct.attach++;
}

static void
ct_detach(struct viocon *con, void *arg)
{
	ct.detach++;
}

static void
ct_rx(struct viocon *con, unsigned port, const uint8_t *buf, size_t len, void *arg)
{
	ct.rxport = port;
	assert_true(ct.rxlen + len <= sizeof(ct.rx));
	memcpy(ct.rx + ct.rxlen, buf, len);
	ct.rxlen += len;
}

/* As a kernel glue does: output kept back goes out when room comes. */
static void
ct_tx_space(struct viocon *con, unsigned port, void *arg)
{
	ct.tx_space++;
	ct.tx_space_port = port;
	if (ct.tx_pending) {
		size_t n = strlen(ct.tx_pending);

		assert_int_equal(viocon_write(con, port, ct.tx_pending, n), (long)n);
		ct.tx_pending = NULL;
	}
}

static int
ct_start(uint64_t features, uint32_t max_ports, uint16_t cols, uint16_t rows)
{
	struct sim_config c = sim_misc_config(VIRTIO_ID_CONSOLE,
	                                      F_V1 | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | features,
	                                      (features & F_MP) ? 8 : 2, 32, 12);
	struct viocon_hooks h = {.vch_attach = ct_attach,
	                         .vch_detach = ct_detach,
	                         .vch_rx = ct_rx,
	                         .vch_tx_space = ct_tx_space};
	uint8_t cfg[12] = {(uint8_t)cols,        (uint8_t)(cols >> 8), (uint8_t)rows,
	                   (uint8_t)(rows >> 8), (uint8_t)max_ports,   (uint8_t)(max_ports >> 8)};

	memset(&ct, 0, sizeof(ct));
	host_log_reset();
	ct.s = sim_misc_create(&c);
	sim_misc_config_set(ct.s, 0, cfg, sizeof(cfg));
	assert_int_equal(viocon_driver_register(&h), VIRTIO_OK);
	return virtio_device_add(sim_vdev(ct.s));
}

static void
ct_stop(void)
{
	virtio_device_remove(sim_vdev(ct.s));
	viocon_driver_unregister();
	assert_int_equal(ct.detach, ct.attach);
	assert_int_equal(sim_errors(ct.s), 0);
	sim_destroy(ct.s);
	assert_int_equal(host_dma_live(), 0);
	assert_int_equal(host_mem_live(), 0);
}

/* Device side: consume every transmit buffer of q into out. */
static size_t
ct_drain(unsigned q, uint8_t *out, size_t max)
{
	size_t n = 0;

	sim_pop_all(ct.s, q);
	while (sim_inflight(ct.s, q)) {
		long l = sim_misc_peek(ct.s, q, 0, out + n, max - n);

		assert_true(l > 0);
		n += (size_t)l;
		sim_misc_complete(ct.s, q, 0);
	}
	return n;
}

/* Device side: the next control message the driver sent. */
static void
ct_ctrl_expect(uint32_t id, uint16_t ev, uint16_t value)
{
	uint8_t m[8];

	assert_int_equal(sim_misc_peek(ct.s, 3, 0, m, sizeof(m)), 8);
	assert_int_equal(m[0] | m[1] << 8 | m[2] << 16 | m[3] << 24, id);
	assert_int_equal(m[4] | m[5] << 8, ev);
	assert_int_equal(m[6] | m[7] << 8, value);
	sim_misc_complete(ct.s, 3, 0);
}

static void
ct_ctrl_send(uint32_t id, uint16_t ev, uint16_t value, const void *extra, size_t elen)
{
	uint8_t m[256] = {(uint8_t)id,         (uint8_t)(id >> 8),   (uint8_t)(id >> 16),
	                  (uint8_t)(id >> 24), (uint8_t)ev,          (uint8_t)(ev >> 8),
	                  (uint8_t)value,      (uint8_t)(value >> 8)};

	if (elen)
		memcpy(m + 8, extra, elen);
	assert_true(sim_misc_write(ct.s, 2, 0, m, 8 + elen) >= 0);
}

/* The driver's device-wide facts now. */
static struct viocon_info
ct_info(void)
{
	struct viocon_info info;

	viocon_info_get(ct.con, &info);
	return info;
}

static void
test_port0_io(void **state)
{
	uint8_t out[4096], big[1000];

	assert_int_equal(ct_start(0, 0, 0, 0), VIRTIO_OK);
	assert_int_equal(ct.attach, 1);
	assert_false(ct_info().vci_multiport);
	assert_int_equal(viocon_write(ct.con, 0, "vmach> ", 7), 7);
	assert_int_equal(ct_drain(1, out, sizeof(out)), 7);
	assert_memory_equal(out, "vmach> ", 7);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	assert_int_equal(viocon_write(ct.con, 0, big, sizeof(big)), 1000);
	assert_int_equal(ct_drain(1, out, sizeof(out)), 1000);
	assert_memory_equal(out, big, 1000);
	/* Input: twice the ring's worth, buffers come back each time. */
	for (int k = 0; k < 2 * VIOCON_NRX; k++)
		assert_int_equal(sim_misc_write(ct.s, 0, 0, "help\r", 5), 5);
	assert_int_equal(ct.rxlen, 10 * VIOCON_NRX);
	assert_memory_equal(ct.rx, "help\rhelp\r", 10);
	assert_int_equal(ct.rxport, 0);
	sim_pop_all(ct.s, 0);
	assert_int_equal(sim_inflight(ct.s, 0), VIOCON_NRX);
	assert_int_equal(viocon_write(ct.con, 1, "x", 1), VIRTIO_ENODEV);
	ct_stop();
}

/*
 * A device that stops consuming output: writes never wait (no virtio_wait,
 * no delay), queue what fits, drop and count the rest; a writer's own drops
 * count too; when the device catches up, the interrupt says so (the writer
 * then sends what it kept) and room is back.
 */
static void
test_tx_full(void **state)
{
	static uint8_t big[VIOCON_NTX * VIOCON_TXBUF + 100], out[sizeof(big)];
	struct viocon_port_info pi;
	struct host_wait_counts w0, w1;

	assert_int_equal(ct_start(0, 0, 0, 0), VIRTIO_OK);
	host_wait_counts(&w0);
	memset(big, 'a', sizeof(big));
	assert_int_equal(viocon_tx_room(ct.con, 0), VIOCON_NTX * VIOCON_TXBUF);
	assert_int_equal(viocon_write(ct.con, 0, big, sizeof(big)), VIOCON_NTX * VIOCON_TXBUF);
	for (int k = 0; k < 1000; k++)
		assert_int_equal(viocon_write(ct.con, 0, "more", 4), 0);
	assert_int_equal(viocon_tx_room(ct.con, 0), 0);
	host_wait_counts(&w1);
	assert_int_equal(w1.hw_waits, w0.hw_waits);
	assert_int_equal(w1.hw_delays, w0.hw_delays);
	viocon_tx_drop(ct.con, 0, 7);
	assert_int_equal(viocon_port_info(ct.con, 0, &pi), VIRTIO_OK);
	assert_int_equal(pi.vpi_tx_dropped, 100 + 4000 + 7);
	assert_int_equal(pi.vpi_tx_bytes, VIOCON_NTX * VIOCON_TXBUF);
	assert_int_equal(ct.tx_space, 0);
	ct.tx_pending = "kept";
	assert_int_equal(ct_drain(1, out, sizeof(out)), VIOCON_NTX * VIOCON_TXBUF + 4);
	assert_memory_equal(out + VIOCON_NTX * VIOCON_TXBUF, "kept", 4);
	assert_true(ct.tx_space >= 1);
	assert_int_equal(ct.tx_space_port, 0);
	assert_null(ct.tx_pending);
	assert_int_equal(viocon_tx_room(ct.con, 0), VIOCON_NTX * VIOCON_TXBUF);
	assert_int_equal(viocon_write(ct.con, 0, "back", 4), 4);
	assert_int_equal(ct_drain(1, out, sizeof(out)), 4);
	assert_memory_equal(out, "back", 4);
	ct_stop();
}

static void
test_size(void **state)
{
	struct viocon_port_info pi;
	uint8_t sz[4] = {132, 0, 43, 0};

	assert_int_equal(ct_start(F_SIZE, 0, 80, 25), VIRTIO_OK);
	assert_int_equal(viocon_port_info(ct.con, 0, &pi), VIRTIO_OK);
	assert_true(pi.vpi_has_size && pi.vpi_console);
	assert_int_equal(pi.vpi_cols, 80);
	assert_int_equal(pi.vpi_rows, 25);
	sim_config_change(ct.s, 0, sz, sizeof(sz));
	assert_int_equal(viocon_port_info(ct.con, 0, &pi), VIRTIO_OK);
	assert_int_equal(pi.vpi_cols, 132);
	assert_int_equal(pi.vpi_rows, 43);
	assert_int_equal(viocon_port_info(ct.con, 1, &pi), VIRTIO_ENODEV);
	ct_stop();
}

static void
test_no_size_without_feature(void **state)
{
	struct viocon_port_info pi;

	assert_int_equal(ct_start(0, 0, 80, 25), VIRTIO_OK);
	assert_int_equal(viocon_port_info(ct.con, 0, &pi), VIRTIO_OK);
	assert_false(pi.vpi_has_size);
	ct_stop();
}

/* The multiport protocol as QEMU's virtio-serial runs it. */
static void
ct_multiport_up(void)
{
	assert_int_equal(ct_start(F_MP, 31, 0, 0), VIRTIO_OK);
	assert_true(ct_info().vci_multiport);
	assert_int_equal(ct_info().vci_max_ports, 31);
	ct_ctrl_expect(0, VIOCON_DEVICE_READY, 1);
	ct_ctrl_send(0, VIOCON_DEVICE_ADD, 0, NULL, 0);
	ct_ctrl_expect(0, VIOCON_PORT_READY, 1);
	ct_ctrl_send(1, VIOCON_DEVICE_ADD, 0, NULL, 0);
	ct_ctrl_expect(1, VIOCON_PORT_READY, 1);
	ct_ctrl_send(7, VIOCON_DEVICE_ADD, 0, NULL, 0);
	ct_ctrl_expect(7, VIOCON_PORT_READY, 1);
	ct_ctrl_send(0, VIOCON_CONSOLE_PORT, 1, NULL, 0);
	ct_ctrl_expect(0, VIOCON_PORT_OPEN, 1);
	ct_ctrl_send(0, VIOCON_PORT_OPEN, 1, NULL, 0);
	ct_ctrl_send(1, VIOCON_PORT_NAME, 0, "org.vmach.test", 14);
	ct_ctrl_send(0, VIOCON_RESIZE, 0, "\x64\x00\x1e\x00", 4);
}

static void
test_multiport(void **state)
{
	struct viocon_port_info pi;
	uint8_t out[64];

	ct_multiport_up();
	assert_int_equal(ct_info().vci_bad_ctrl, 0);
	/* Ports 0 and 1 came up with data queues: a writer keeping output hears it. */
	assert_int_equal(ct.tx_space, 2);
	assert_int_equal(ct.tx_space_port, 1);
	assert_int_equal(viocon_port_info(ct.con, 0, &pi), VIRTIO_OK);
	assert_int_equal(pi.vpi_id, 0);
	assert_true(pi.vpi_console && pi.vpi_io && pi.vpi_host_open && pi.vpi_guest_open &&
	            pi.vpi_has_size);
	assert_int_equal(pi.vpi_cols, 100);
	assert_int_equal(pi.vpi_rows, 30);
	assert_int_equal(viocon_port_info(ct.con, 1, &pi), VIRTIO_OK);
	assert_int_equal(pi.vpi_id, 1);
	assert_string_equal(pi.vpi_name, "org.vmach.test");
	assert_false(pi.vpi_console || pi.vpi_host_open);
	assert_true(pi.vpi_io);
	assert_int_equal(viocon_port_info(ct.con, 2, &pi), VIRTIO_OK);
	assert_int_equal(pi.vpi_id, 7);
	assert_false(pi.vpi_io); /* listed, no queues */
	assert_int_equal(viocon_port_info(ct.con, 3, &pi), VIRTIO_ENODEV);
	/* Port 1's data queues are 4 and 5. */
	assert_int_equal(viocon_write(ct.con, 1, "p1", 2), 2);
	assert_int_equal(ct_drain(5, out, sizeof(out)), 2);
	assert_int_equal(sim_misc_write(ct.s, 4, 0, "in1", 3), 3);
	assert_int_equal(ct.rxport, 1);
	assert_memory_equal(ct.rx, "in1", 3);
	assert_int_equal(viocon_write(ct.con, 7, "x", 1), VIRTIO_ENODEV);
	/* Remove port 1: gone from the list, no more output. */
	ct_ctrl_send(1, VIOCON_DEVICE_REMOVE, 0, NULL, 0);
	assert_int_equal(viocon_port_info(ct.con, 1, &pi), VIRTIO_OK);
	assert_int_equal(pi.vpi_id, 7);
	assert_int_equal(viocon_write(ct.con, 1, "x", 1), VIRTIO_ENODEV);
	ct_stop();
}

/* A device that sends garbage on the control queue. */
static void
test_hostile_control(void **state)
{
	struct viocon_port_info pi;
	char name[120];
	uint64_t bad;

	ct_multiport_up();
	bad = ct_info().vci_bad_ctrl;
	assert_true(sim_misc_write(ct.s, 2, 0, "\1\0\0\0", 4) == 4);
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	ct_ctrl_send(31, VIOCON_DEVICE_ADD, 0, NULL, 0); /* >= max */
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	ct_ctrl_send(0xffffffffu, VIOCON_PORT_OPEN, 1, NULL, 0);
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	ct_ctrl_send(1, VIOCON_DEVICE_ADD, 0, NULL, 0); /* twice */
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	ct_ctrl_send(3, VIOCON_PORT_OPEN, 1, NULL, 0); /* never added */
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	ct_ctrl_send(0, VIOCON_RESIZE, 0, "\1", 1); /* short */
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	ct_ctrl_send(0, 99, 0, NULL, 0); /* unknown */
	assert_int_equal(ct_info().vci_bad_ctrl, ++bad);
	/* A long name with control bytes and no NUL: cut and cleaned. */
	memset(name, 'n', sizeof(name));
	name[2] = '\033';
	ct_ctrl_send(1, VIOCON_PORT_NAME, 0, name, sizeof(name));
	assert_int_equal(viocon_port_info(ct.con, 1, &pi), VIRTIO_OK);
	assert_int_equal(strlen(pi.vpi_name), VIOCON_NAME_MAX - 1);
	assert_int_equal(pi.vpi_name[2], '?');
	/* Still working: output on port 0. */
	assert_int_equal(viocon_write(ct.con, 0, "ok", 2), 2);
	assert_false(sim_vdev(ct.s)->vd_broken);
	ct_stop();
}

static void
test_bad_max_ports(void **state)
{
	assert_int_equal(ct_start(F_MP, 0, 0, 0), VIRTIO_EBADDEV);
	assert_int_equal(ct.attach, 0);
	assert_true(ct.s->s_status & VIRTIO_STATUS_FAILED);
	ct_stop();
}

/* Used length past the receive buffer: the device is broken, no bytes. */
static void
test_rx_lying_length(void **state)
{
	assert_int_equal(ct_start(0, 0, 0, 0), VIRTIO_OK);
	ct.s->s_faults.sf_used_len = true;
	sim_misc_write(ct.s, 0, 0, "abc", 3);
	assert_int_equal(ct.rxlen, 0);
	assert_true(sim_vdev(ct.s)->vd_broken);
	assert_int_equal(viocon_write(ct.con, 0, "x", 1), VIRTIO_EBADDEV);
	ct_stop();
}

static void
test_packed_ring(void **state)
{
	uint8_t out[16];

	assert_int_equal(ct_start(VIRTIO_BIT(VIRTIO_F_RING_PACKED), 0, 0, 0), VIRTIO_OK);
	assert_true(vq_is_packed(sim_vdev(ct.s)->vd_vqs[0]));
	for (int k = 0; k < 40; k++) {
		assert_int_equal(viocon_write(ct.con, 0, "ab", 2), 2);
		assert_int_equal(ct_drain(1, out, sizeof(out)), 2);
		assert_int_equal(sim_misc_write(ct.s, 0, 0, "z", 1), 1);
	}
	assert_int_equal(ct.rxlen, 40);
	ct_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_port0_io),      cmocka_unit_test(test_tx_full),
	    cmocka_unit_test(test_size),          cmocka_unit_test(test_no_size_without_feature),
	    cmocka_unit_test(test_multiport),     cmocka_unit_test(test_hostile_control),
	    cmocka_unit_test(test_bad_max_ports), cmocka_unit_test(test_rx_lying_length),
	    cmocka_unit_test(test_packed_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
