// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/viornd_glue.c: kernel glue of the virtio entropy driver: registers
 * virtio/viornd.c with the virtio core, remembers attached devices and
 * turns the asynchronous viornd_read() into a waiting rng_read().
 *
 * Locking (docs/locking.md): rng_lock guards the table of devices; each
 * device's driver state and the read in flight on it are guarded by its
 * device lock (drivers/virtio_platform.h), which its interrupt handler
 * holds when the completion runs. A reader waits (kern/wait.h) with no
 * lock held, for the completion to wake it.
 */
#include "drivers/viornd_glue.h"

#include "drivers/virtio_platform.h"
#include "kern/clock.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "kern/wait.h"
#include "virtio/viornd.h"

#define RNG_MAX_DEVS 4

/* One attached device and the read in flight on it. */
struct rng_dev {
	/* Set at attach, cleared at detach: under rng_lock. */
	struct viornd *rd_rnd; /* NULL: slot free */
	struct spinlock *rd_lock;
	/* The read in flight: under *rd_lock. */
	bool rd_reader; /* a rng_read() owns the slot (one reader at a time) */
	bool rd_done;
	int rd_err;
	uint8_t *rd_dst; /* NULL once the reader gave up on it */
	size_t rd_len;
};

static struct rng_dev rng_devs[RNG_MAX_DEVS];
static struct spinlock rng_lock = SPINLOCK_INIT("rng", LOCK_RANK_RNG);
static struct wait_event rng_event = WAIT_EVENT_INIT("rng");

static void
rng_attach(struct viornd *rnd, void *arg)
{
	uint64_t f = spin_lock_irqsave(&rng_lock);
	struct rng_dev *rd = NULL;

	for (int i = 0; i < RNG_MAX_DEVS && !rd; i++)
		if (!rng_devs[i].rd_rnd)
			rd = &rng_devs[i];
	if (rd) {
		rd->rd_lock = virtio_device_lock(viornd_device(rnd));
		rd->rd_rnd = rnd;
	}
	spin_unlock_irqrestore(&rng_lock, f);
	if (rd)
		log_info("%s: virtio-rng entropy source", viornd_device(rnd)->vd_name);
	else
		log_warn("virtio-rng: more than %d devices, one ignored", RNG_MAX_DEVS);
}

static void
rng_detach(struct viornd *rnd, void *arg)
{
	uint64_t f = spin_lock_irqsave(&rng_lock);

	for (int i = 0; i < RNG_MAX_DEVS; i++)
		if (rng_devs[i].rd_rnd == rnd)
			rng_devs[i].rd_rnd = NULL;
	spin_unlock_irqrestore(&rng_lock, f);
}

/* Why rd's source was refused, or NULL. Called with rng_lock held. */
static const char *
rng_dev_health(struct rng_dev *rd)
{
	uint64_t f;
	const char *why;

	assert_held(&rng_lock);
	f = spin_lock_irqsave(rd->rd_lock);
	why = viornd_health(rd->rd_rnd);
	spin_unlock_irqrestore(rd->rd_lock, f);
	return why;
}

/*
 * The first healthy device, else the first one, else NULL. Devices are not
 * detached while the kernel runs (no hot unplug yet), so the slot stays
 * good after rng_lock is dropped.
 */
static struct rng_dev *
rng_pick(void)
{
	uint64_t f = spin_lock_irqsave(&rng_lock);
	struct rng_dev *first = NULL, *good = NULL;

	for (int i = 0; i < RNG_MAX_DEVS && !good; i++) {
		struct rng_dev *rd = &rng_devs[i];

		if (!rd->rd_rnd)
			continue;
		if (!first)
			first = rd;
		if (!rng_dev_health(rd))
			good = rd;
	}
	spin_unlock_irqrestore(&rng_lock, f);
	return good ? good : first;
}

/* Interrupt context, under the device lock: copy the chunk out before the buffer is reused. */
static void
rng_done(void *arg, const uint8_t *buf, size_t len, int err)
{
	struct rng_dev *rd = arg;

	assert_held(rd->rd_lock);
	if (err == 0 && rd->rd_dst) {
		if (len > rd->rd_len)
			len = rd->rd_len;
		memcpy(rd->rd_dst, buf, len);
	}
	rd->rd_len = err ? 0 : len;
	rd->rd_err = err;
	rd->rd_done = true;
	wait_wake(&rng_event);
}

/* Free for a new read: no reader, no read in flight. Under the device lock. */
static bool
rng_free(struct rng_dev *rd)
{
	assert_held(rd->rd_lock);
	return !rd->rd_reader && !viornd_busy(rd->rd_rnd);
}

/* Wait conditions: free for a new read; this reader's read ended. */
static bool
rng_idle(void *arg)
{
	struct rng_dev *rd = arg;
	uint64_t f = spin_lock_irqsave(rd->rd_lock);
	bool idle = rng_free(rd);

	spin_unlock_irqrestore(rd->rd_lock, f);
	return idle;
}

static bool
rng_finished(void *arg)
{
	struct rng_dev *rd = arg;
	uint64_t f = spin_lock_irqsave(rd->rd_lock);
	bool done = rd->rd_done;

	spin_unlock_irqrestore(rd->rd_lock, f);
	return done;
}

static uint64_t
rng_left_ns(uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns();

	return now < deadline ? deadline - now : 0;
}

/* Starts a read of len bytes into dst once the device is free: 0 or a negative code. */
static int
rng_start(struct rng_dev *rd, uint8_t *dst, size_t len, uint64_t deadline)
{
	for (;;) {
		uint64_t f = spin_lock_irqsave(rd->rd_lock);
		int err = VIRTIO_EBUSY;

		/*
		 * Another reader, or a read abandoned by an earlier timeout,
		 * may still own the device.
		 */
		if (rng_free(rd)) {
			rd->rd_dst = dst;
			rd->rd_len = len;
			rd->rd_done = false;
			err = viornd_read(rd->rd_rnd, len, rng_done, rd);
			rd->rd_reader = err == VIRTIO_OK;
		}
		spin_unlock_irqrestore(rd->rd_lock, f);
		if (err != VIRTIO_EBUSY)
			return err;
		if (wait_until(&rng_event, rng_idle, rd, rng_left_ns(deadline)) != KERN_SUCCESS)
			return VIRTIO_ETIMEDOUT;
	}
}

/* One chunk into dst: bytes read or a negative code. */
static long
rng_read_chunk(struct rng_dev *rd, uint8_t *dst, size_t len, uint64_t deadline)
{
	int err = rng_start(rd, dst, len, deadline);
	uint64_t f;
	long ret;

	if (err)
		return err;
	wait_until(&rng_event, rng_finished, rd, rng_left_ns(deadline));
	f = spin_lock_irqsave(rd->rd_lock);
	if (rd->rd_done) {
		ret = rd->rd_err ? rd->rd_err : (long)rd->rd_len;
	} else {
		rd->rd_dst = NULL; /* it may still end: not into the caller's buffer */
		ret = VIRTIO_ETIMEDOUT;
	}
	rd->rd_reader = false;
	spin_unlock_irqrestore(rd->rd_lock, f);
	wait_wake(&rng_event); /* a reader waiting for the slot */
	return ret;
}

long
rng_read(void *buf, size_t len, unsigned timeout_ms)
{
	struct rng_dev *rd = rng_pick();
	uint8_t *p = buf;
	size_t got = 0;

	if (!rd)
		return VIRTIO_ENODEV;
	while (got < len) {
		uint64_t deadline = clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000;
		long n = rng_read_chunk(rd, p + got, len - got, deadline);

		if (n < 0)
			return n;
		got += (size_t)n;
	}
	return (long)got;
}

const char *
rng_health(void)
{
	struct rng_dev *rd = rng_pick();
	uint64_t f;
	const char *why;

	if (!rd)
		return NULL;
	f = spin_lock_irqsave(&rng_lock);
	why = rng_dev_health(rd);
	spin_unlock_irqrestore(&rng_lock, f);
	return why;
}

const char *
rng_device_name(void)
{
	struct rng_dev *rd = rng_pick();

	/* The name is the device's for its life. */
	return rd ? viornd_device(rd->rd_rnd)->vd_name : NULL;
}

uint64_t
rng_bytes_read(void)
{
	struct rng_dev *rd = rng_pick();
	struct viornd_stats st;
	uint64_t f;

	if (!rd)
		return 0;
	f = spin_lock_irqsave(rd->rd_lock);
	viornd_stats_get(rd->rd_rnd, &st);
	spin_unlock_irqrestore(rd->rd_lock, f);
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
