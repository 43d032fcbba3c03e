/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/sim/sim_misc.h: device-side helpers over tests/sim for the host
 * tests of virtio-console, virtio-rng and virtio-balloon: bring a sim up
 * with its interrupt line wired to the core (as a transport's handler
 * would), and play the device's part of a buffer: copy bytes into its
 * writable segments or out of its readable ones, then use it and decide
 * the interrupt by the driver's suppression fields.
 */
#ifndef TESTS_SIM_SIM_MISC_H
#define TESTS_SIM_SIM_MISC_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "tests/sim/sim.h"

/* A modern sim of device id with nq queues of qmax and config_len bytes. */
struct sim_config sim_misc_config(uint32_t id, uint64_t features, unsigned nq, uint16_t qmax,
                                  uint32_t config_len);

/* Create the sim, wire its interrupt line to the core. */
struct sim *sim_misc_create(const struct sim_config *c);

/* Set config bytes without an interrupt (before the device is added). */
void sim_misc_config_set(struct sim *s, uint32_t off, const void *p, size_t len);

/*
 * Pop every available buffer of q, then complete in-flight buffer i: copy
 * len bytes of data into its writable segments (clipped to them), use it
 * with that length and interrupt if due. Returns the
 * length used, or -1 when no buffer i is in flight.
 */
long sim_misc_write(struct sim *s, unsigned q, unsigned i, const void *data, size_t len);

/*
 * Pop every available buffer of q and copy the readable bytes of in-flight
 * buffer i into out (at most max). Returns the readable length, or -1.
 * The buffer stays in flight: sim_misc_complete uses it (length 0).
 */
long sim_misc_peek(struct sim *s, unsigned q, unsigned i, void *out, size_t max);
void sim_misc_complete(struct sim *s, unsigned q, unsigned i);

/* Total writable bytes of in-flight buffer i of q (after popping). */
uint32_t sim_misc_wlen(struct sim *s, unsigned q, unsigned i);

#endif /* TESTS_SIM_SIM_MISC_H */
