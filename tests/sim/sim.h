/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/sim/sim.h: a simulated virtio device for host tests, written from
 * the virtio 1.4 spec (§2.1-2.8, §3.1, §4.1.4.3 semantics), not from
 * virtio/ code. It is a transport (struct virtio_transport_ops) backed by a
 * fake register file that logs every write, and a device that processes
 * split and packed rings as a device would: it reads descriptors through
 * host_dma_to_cpu() only (device addresses), completes buffers in any
 * order, decides interrupts from the driver's suppression fields, and lies
 * on request (struct sim_faults). Driver mistakes it sees (bad address,
 * wrong order, notify before DRIVER_OK...) count in sim_errors().
 */
#ifndef TESTS_SIM_SIM_H
#define TESTS_SIM_SIM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/virtio.h"

#define SIM_MAX_QUEUES 8
#define SIM_MAX_SEGS 64
#define SIM_CONFIG_MAX 256

struct sim_config {
	uint32_t sc_device_id;
	uint64_t sc_features; /* offered */
	unsigned sc_nqueues;
	uint16_t sc_qmax[SIM_MAX_QUEUES]; /* may be 0 or not a power of 2 */
	uint32_t sc_config_len;
	bool sc_legacy; /* legacy transport semantics */
};

/* Register file events, in order. */
enum sim_ev {
	SIM_EV_STATUS,       /* status write: val */
	SIM_EV_RESET,        /* reset op (status 0 written) */
	SIM_EV_FEATURES,     /* driver features written: val */
	SIM_EV_QUEUE,        /* queue enabled: q, val = size */
	SIM_EV_NOTIFY,       /* q */
	SIM_EV_CONFIG_WRITE, /* val = off << 32 | value */
	SIM_EV_STATUS_READ,  /* val: what the driver saw */
};

struct sim_ev_rec {
	enum sim_ev se_ev;
	unsigned se_q;
	uint64_t se_val;
};

struct sim_faults {
	bool sf_refuse_features_ok;
	unsigned sf_used_id;     /* next completion: 1 id out of range, 2 id
	                          * not in flight, 3 repeat the last id */
	bool sf_used_len;        /* next completion: len = writable + 1 */
	bool sf_idx_jump;        /* next split completion: idx += size + 1 */
	unsigned sf_gen_bump;    /* bump generation on the next n reads */
	uint32_t sf_config_flip; /* add to config byte 0 on each bumped read */
};

struct sim_seg {
	uint8_t *ss_p; /* CPU pointer (translated) */
	uint64_t ss_dev;
	uint32_t ss_len;
	bool ss_write;
};

/* One buffer the device has taken from the ring and not yet used. */
struct sim_buf {
	uint16_t sb_id;    /* split: head index; packed: buffer id */
	uint16_t sb_ndesc; /* ring descriptors (packed skip count) */
	bool sb_indirect;
	unsigned sb_nsegs;
	uint32_t sb_wlen;
	struct sim_seg sb_seg[SIM_MAX_SEGS];
};

struct sim_queue {
	bool sq_enabled;
	bool sq_packed;
	uint16_t sq_size;
	uint64_t sq_desc, sq_drv, sq_dev;
	/* split device state */
	uint16_t sq_last_avail; /* next avail ring entry to read */
	uint16_t sq_used_idx;   /* our used->idx */
	/* packed device state */
	uint16_t sq_avail_pos, sq_used_pos;
	bool sq_avail_wrap, sq_used_wrap;
	/* interrupt decision: used index / position at the last one */
	uint16_t sq_sig_used;
	bool sq_sig_wrap;
	uint32_t sq_sig_count; /* used entries since last decision */
	/* notification audit: driver's avail index at the last audit */
	uint16_t sq_audit_avail;
	bool sq_audit_wrap;
	struct sim_buf *sq_pool; /* sq_size buffers */
	uint16_t *sq_order;      /* pool index of in-flight, pop order */
	uint16_t *sq_free;       /* free pool indices (a stack) */
	unsigned sq_ninflight, sq_nfree;
	unsigned sq_notifies, sq_irqs;
	uint16_t sq_last_used_id;
};

struct sim {
	struct virtio_device s_vdev; /* what the core drives */
	struct sim_config s_cfg;
	uint8_t s_status;
	uint64_t s_drv_features;
	uint32_t s_generation;
	uint8_t s_isr;
	uint8_t s_config[SIM_CONFIG_MAX];
	struct sim_queue s_q[SIM_MAX_QUEUES];
	struct sim_ev_rec s_log[512];
	unsigned s_nlog;
	unsigned s_config_reads;
	struct sim_faults s_faults;
	unsigned s_errors;
	char s_error[160];
	/* Interrupt line: q, or -1 for a config change. NULL: none. */
	void (*s_irq)(struct sim *s, int q);
	void *s_arg;
	/*
	 * Packed ring interrupt decision as QEMU 7.2 makes it
	 * (virtio_packed_should_notify): the descriptor event offset, moved
	 * back one ring when its wrap differs from the device's current used
	 * wrap, compared with vring_need_event against the used position of
	 * the previous decision. Split rings always use that rule (it is the
	 * spec's: an entry at used_event was placed since the last decision).
	 */
	bool s_qemu_packed;
};

struct sim *sim_create(const struct sim_config *cfg);
void sim_destroy(struct sim *s);
struct virtio_device *sim_vdev(struct sim *s);
struct sim *sim_of(struct virtio_device *dev);

/* Driver errors the device saw (and the last message). */
unsigned sim_errors(const struct sim *s);
const char *sim_error(const struct sim *s);

/* Status writes in order, from the log; returns how many (at most max). */
unsigned sim_status_writes(const struct sim *s, uint8_t *out, unsigned max);

/*
 * Device side of queue q. sim_pop takes the next available buffer
 * (returns 1), or none (0), or finds a malformed one (-1, error counted).
 * sim_pop_all returns how many it took.
 */
int sim_pop(struct sim *s, unsigned q);
unsigned sim_pop_all(struct sim *s, unsigned q);
unsigned sim_inflight(const struct sim *s, unsigned q);
struct sim_buf *sim_buf(struct sim *s, unsigned q, unsigned i);

/*
 * Use in-flight buffer i (by pop order among those left) with len bytes
 * written (faults applied). sim_fill fills every writable byte with
 * pattern (seed + k) and uses the buffer with its full writable length.
 */
void sim_use(struct sim *s, unsigned q, unsigned i, uint32_t len);
void sim_fill(struct sim *s, unsigned q, unsigned i, uint8_t seed);

/*
 * Decide, from the driver's suppression fields, whether the uses since the
 * last decision call for an interrupt (§2.7.7.2, §2.8.10); if so count it
 * and raise s_irq. Returns whether it did.
 */
bool sim_interrupt(struct sim *s, unsigned q);

/*
 * The driver's used buffer notification suppression for q, as the device
 * reads it: split: used_event (§2.7.10) and whether avail->flags has
 * VIRTQ_AVAIL_F_NO_INTERRUPT; packed: the driver event suppression
 * structure's flags, descriptor offset and wrap counter (§2.8.10).
 */
uint16_t sim_used_event(struct sim *s, unsigned q, bool *no_interrupt);
void sim_driver_event(struct sim *s, unsigned q, uint16_t *flags, uint16_t *off, bool *wrap);

/*
 * Device's own suppression of notifications for q: split: used->flags
 * NO_NOTIFY and avail_event; packed: device area flags and off_wrap.
 */
void sim_set_no_notify(struct sim *s, unsigned q, bool off);
void sim_set_avail_event(struct sim *s, unsigned q, uint16_t event);
void sim_set_packed_event(struct sim *s, unsigned q, uint16_t flags, uint16_t off, bool wrap);

/*
 * Notification audit: whether, by the spec's own rule, the buffers made
 * available since the last audit call for a notification. Resets the
 * audit point to the driver's current avail index.
 */
bool sim_notify_due(struct sim *s, unsigned q);

/* Change config bytes (new generation, ISR bit 1, config interrupt). */
void sim_config_change(struct sim *s, uint32_t off, const void *p, size_t len);
/* Set DEVICE_NEEDS_RESET and raise the config interrupt. */
void sim_needs_reset(struct sim *s);

#endif /* TESTS_SIM_SIM_H */
