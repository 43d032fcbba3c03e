/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake pmap for host tests of vm/: machine.h's pmap_* calls over a table
 * of (va, pa, prot, flags), so tests can see exactly what the VM mapped.
 * Failures can be injected.
 */
#ifndef TESTS_HOST_FAKE_PMAP_H
#define TESTS_HOST_FAKE_PMAP_H

#include <stdbool.h>
#include <stdint.h>

struct pmap;

/* The mapping of va: true and its page, protection and flags, or false. */
bool fake_pmap_lookup(struct pmap *pmap, uint64_t va, uint64_t *pa, unsigned *prot,
                      unsigned *flags);
/* Mappings in pmap. */
unsigned fake_pmap_count(struct pmap *pmap);
/* pmaps created and not destroyed. */
unsigned fake_pmap_live(void);
/* The next n pmap_create (or pmap_enter) calls fail. */
extern unsigned fake_pmap_fail_create, fake_pmap_fail_enter;

#endif
