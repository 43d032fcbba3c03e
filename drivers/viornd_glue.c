// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/viornd_glue.c: kernel glue of the virtio entropy driver: registers
 * virtio/viornd.c with the virtio core, remembers attached devices and
 * turns the asynchronous viornd_read() into a waiting rng_read().
 */
#include "drivers/viornd_glue.h"

#include "kern/clock.h"
#include "kern/cpu.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/string.h"
#include "virtio/viornd.h"
#include "x86_64/machine.h"

#define RNG_MAX_DEVS 4

static struct viornd *rng_devs[RNG_MAX_DEVS];

/* The read in flight; touched with interrupts off or from the interrupt. */
static struct {
	volatile bool done;
	int err;
	uint8_t *dst;
	size_t len;
} rng_wait;

static void
rng_attach(struct viornd *rnd, void *arg)
{
	for (int i = 0; i < RNG_MAX_DEVS; i++) {
		if (!rng_devs[i]) {
			rng_devs[i] = rnd;
			log_info("%s: virtio-rng entropy source", viornd_device(rnd)->vd_name);
			return;
		}
	}
	log_warn("virtio-rng: more than %d devices, one ignored", RNG_MAX_DEVS);
}

static void
rng_detach(struct viornd *rnd, void *arg)
{
	for (int i = 0; i < RNG_MAX_DEVS; i++)
		if (rng_devs[i] == rnd)
			rng_devs[i] = NULL;
}

static struct viornd *
rng_pick(void)
{
	for (int i = 0; i < RNG_MAX_DEVS; i++)
		if (rng_devs[i] && !viornd_health(rng_devs[i]))
			return rng_devs[i];
	for (int i = 0; i < RNG_MAX_DEVS; i++)
		if (rng_devs[i])
			return rng_devs[i];
	return NULL;
}

/* Interrupt context: copy the chunk out before the buffer is reused. */
static void
rng_done(void *arg, const uint8_t *buf, size_t len, int err)
{
	if (err == 0 && rng_wait.dst) {
		if (len > rng_wait.len)
			len = rng_wait.len;
		memcpy(rng_wait.dst, buf, len);
	}
	rng_wait.len = err ? 0 : len;
	rng_wait.err = err;
	rng_wait.done = true;
}

/* Interrupts are off: halt until the read ends or the deadline passes. */
static bool
rng_wait_done(struct viornd *rnd, uint64_t deadline)
{
	while (viornd_busy(rnd)) {
		if (clock_monotonic_ns() > deadline)
			return false;
		cpu_idle_wait();
	}
	return true;
}

/* One chunk into dst: bytes read or a negative code. */
static long
rng_read_chunk(struct viornd *rnd, uint8_t *dst, size_t len, uint64_t deadline)
{
	uint64_t f = irq_save();
	long ret;
	int err;

	/* A read abandoned by an earlier timeout still owns the device. */
	rng_wait.dst = NULL;
	if (!rng_wait_done(rnd, deadline)) {
		irq_restore(f);
		return VIRTIO_ETIMEDOUT;
	}
	rng_wait.dst = dst;
	rng_wait.len = len;
	rng_wait.done = false;
	err = viornd_read(rnd, len, rng_done, NULL);
	if (err == 0 && !rng_wait_done(rnd, deadline))
		err = VIRTIO_ETIMEDOUT;
	else if (err == 0)
		err = rng_wait.err;
	ret = err ? err : (long)rng_wait.len;
	if (err == VIRTIO_ETIMEDOUT)
		rng_wait.dst = NULL;
	irq_restore(f);
	return ret;
}

long
rng_read(void *buf, size_t len, unsigned timeout_ms)
{
	struct viornd *rnd = rng_pick();
	uint8_t *p = buf;
	size_t got = 0;

	if (!rnd)
		return VIRTIO_ENODEV;
	while (got < len) {
		uint64_t deadline = clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000;
		long n = rng_read_chunk(rnd, p + got, len - got, deadline);

		if (n < 0)
			return n;
		got += (size_t)n;
	}
	return (long)got;
}

const char *
rng_health(void)
{
	struct viornd *rnd = rng_pick();

	return rnd ? viornd_health(rnd) : NULL;
}

const char *
rng_device_name(void)
{
	struct viornd *rnd = rng_pick();

	return rnd ? viornd_device(rnd)->vd_name : NULL;
}

uint64_t
rng_bytes_read(void)
{
	struct viornd *rnd = rng_pick();
	struct viornd_stats st;

	if (!rnd)
		return 0;
	viornd_stats_get(rnd, &st);
	return st.vrs_bytes;
}

static void
rng_init(void)
{
	static const struct viornd_hooks hooks = {rng_attach, rng_detach, NULL};
	int err = viornd_driver_register(&hooks);

	if (err)
		log_err("virtio-rng: driver registration failed (%s)", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "virtio-rng", rng_init);
