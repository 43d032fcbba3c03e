// SPDX-License-Identifier: GPL-2.0-or-later
/* The fake pmap (tests/host/fake_pmap.h): a growable array per pmap. */
#include "host/fake_pmap.h"

#include <stdio.h>
#include <stdlib.h>

#include <mach/vm_prot.h>

#include "x86_64/machine.h"

struct fake_pte {
	uint64_t va, pa;
	unsigned prot, flags;
};

struct pmap {
	struct fake_pte *t;
	unsigned n, cap;
};

static struct pmap kernel_pmap;
static unsigned live;
unsigned fake_pmap_fail_create, fake_pmap_fail_enter;

static void
check_page(uint64_t va)
{
	if (va >= USER_SPACE_END || (va & (PAGE_SIZE - 1))) {
		fprintf(stderr, "fake pmap: %#llx is not a user page\n", (unsigned long long)va);
		abort();
	}
}

struct pmap *
pmap_kernel(void)
{
	return &kernel_pmap;
}

kern_return_t
pmap_create(struct pmap **out)
{
	if (fake_pmap_fail_create) {
		fake_pmap_fail_create--;
		return KERN_RESOURCE_SHORTAGE;
	}
	*out = calloc(1, sizeof(struct pmap));
	live++;
	return KERN_SUCCESS;
}

void
pmap_destroy(struct pmap *pmap)
{
	free(pmap->t);
	free(pmap);
	live--;
}

static struct fake_pte *
find(struct pmap *pmap, uint64_t va)
{
	for (unsigned i = 0; i < pmap->n; i++)
		if (pmap->t[i].va == va)
			return &pmap->t[i];
	return NULL;
}

kern_return_t
pmap_enter(struct pmap *pmap, uint64_t va, uint64_t pa, unsigned prot, unsigned flags)
{
	struct fake_pte *e;

	check_page(va);
	if (fake_pmap_fail_enter) {
		fake_pmap_fail_enter--;
		return KERN_RESOURCE_SHORTAGE;
	}
	if (!(e = find(pmap, va))) {
		if (pmap->n == pmap->cap) {
			pmap->cap = pmap->cap ? 2 * pmap->cap : 64;
			pmap->t = realloc(pmap->t, pmap->cap * sizeof(*pmap->t));
		}
		e = &pmap->t[pmap->n++];
	}
	*e = (struct fake_pte){va, pa, prot, flags};
	return KERN_SUCCESS;
}

void
pmap_remove(struct pmap *pmap, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < pmap->n;) {
		if (pmap->t[i].va >= start && pmap->t[i].va < end)
			pmap->t[i] = pmap->t[--pmap->n];
		else
			i++;
	}
}

void
pmap_protect(struct pmap *pmap, uint64_t start, uint64_t end, unsigned prot)
{
	if (!(prot & (VM_PROT_READ | VM_PROT_EXECUTE))) {
		pmap_remove(pmap, start, end);
		return;
	}
	for (unsigned i = 0; i < pmap->n; i++)
		if (pmap->t[i].va >= start && pmap->t[i].va < end)
			pmap->t[i].prot &= prot;
}

bool
pmap_extract(struct pmap *pmap, uint64_t va, uint64_t *pa)
{
	struct fake_pte *e = find(pmap, va & ~(uint64_t)(PAGE_SIZE - 1));

	if (e)
		*pa = e->pa + (va & (PAGE_SIZE - 1));
	return e != NULL;
}

void
pmap_activate(struct pmap *pmap)
{
}

bool
fake_pmap_lookup(struct pmap *pmap, uint64_t va, uint64_t *pa, unsigned *prot, unsigned *flags)
{
	struct fake_pte *e = find(pmap, va);

	if (!e)
		return false;
	*pa = e->pa;
	*prot = e->prot;
	*flags = e->flags;
	return true;
}

unsigned
fake_pmap_count(struct pmap *pmap)
{
	return pmap->n;
}

unsigned
fake_pmap_live(void)
{
	return live;
}
