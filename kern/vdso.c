// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vDSO and the vvar page (kern/vdso.h): two physical objects made at
 * start-up, mapped into every task by task_create.
 */
#include "kern/vdso.h"

#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/elf64.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/realtime.h"
#include "kern/string.h"
#include "kern/vvar.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "x86_64/machine.h"

/* The image (kern/vdso_image.S: user/vdso/'s build, .incbin'd). */
extern const uint8_t vdso_image_start[], vdso_image_end[];

static struct vm_object *vvar_ob, *vdso_ob;
static uint64_t vdso_size; /* the image's bytes, rounded to pages */

static void
vdso_init(void)
{
	uint64_t len = (uint64_t)(vdso_image_end - vdso_image_start);
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)vdso_image_start;
	const char *slow = kernel_option("vdso_slow"), *stress = kernel_option("vvar_stress");
	struct vvar_data *v;

	if (len < sizeof(*eh) || eh->e_ident[0] != ELFMAG0 || eh->e_ident[1] != ELFMAG1 ||
	    eh->e_ident[2] != ELFMAG2 || eh->e_ident[3] != ELFMAG3 || eh->e_type != ET_DYN)
		panic("vdso: the embedded image is not an ELF shared object");
	vdso_size = (len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	if (vdso_size > VDSO_SIZE_MAX)
		panic("vdso: the image (%lu bytes) exceeds VDSO_SIZE_MAX", len);
	if (vm_object_contig(VVAR_SIZE, 0, 0, 0, &vvar_ob) != KERN_SUCCESS ||
	    vm_object_contig(vdso_size, 0, 0, 0, &vdso_ob) != KERN_SUCCESS)
		panic("vdso: no memory for the vDSO");
	memcpy(phys_to_virt(vdso_ob->ob_pa), vdso_image_start, len);
	v = phys_to_virt(vvar_ob->ob_pa);
	v->ncpus = 1;
	v->tick_ns = 1000000000ULL / CLOCK_TICK_HZ;
	v->per_cpu[0].vc_cpu = 0;
	/* vdso_slow=on (tests): readers always take the slow path, as when the TSC is not trusted. */
	/* vvar_stress=on (tests): torn reads made visible (kern/realtime.c). */
	realtime_publish_vvar(v, slow && !strcmp(slow, "on"), stress && !strcmp(stress, "on"));
	log_info("vdso: %lu bytes at %#lx, vvar at %#lx", len, (uint64_t)VDSO_ADDR, (uint64_t)VVAR_ADDR);
}
INITCALL(INIT_BUS, "vdso", vdso_init);

kern_return_t
vdso_map(struct vm_map *map)
{
	uint64_t a = VVAR_ADDR;
	kern_return_t kr;

	if (!vvar_ob)
		return KERN_SUCCESS; /* tasks made before start-up (none but tests') go without */
	kr = vm_map_object(map, &a, VVAR_SIZE, false, vvar_ob, 0, VM_PROT_READ, VM_PROT_READ,
	                   VM_INHERIT_SHARE);
	if (kr != KERN_SUCCESS && kr != KERN_NO_SPACE)
		return kr;
	a = VDSO_ADDR;
	kr = vm_map_object(map, &a, vdso_size, false, vdso_ob, 0, VM_PROT_READ | VM_PROT_EXECUTE,
	                   VM_PROT_READ | VM_PROT_EXECUTE, VM_INHERIT_SHARE);
	return kr == KERN_NO_SPACE ? KERN_SUCCESS : kr;
}

/* True when map's entry at addr maps all of ob from offset 0. */
static bool
maps_object(struct vm_map *map, uint64_t addr, struct vm_object *ob)
{
	struct vm_map_entry *e;
	uint64_t f = vm_map_lock(map);
	bool ok = vm_map_lookup(map, addr, &e) && e->e_object == ob && e->e_start == addr &&
	          e->e_offset == 0 && e->e_end - e->e_start == ob->ob_size;

	vm_map_unlock(map, f);
	return ok;
}

kern_return_t
vdso_find(struct vm_map *map, uint64_t *addr, uint64_t *size)
{
	if (!vdso_ob)
		return KERN_FAILURE;
	if (!maps_object(map, VDSO_ADDR, vdso_ob) || !maps_object(map, VVAR_ADDR, vvar_ob))
		return KERN_INVALID_ADDRESS;
	*addr = VDSO_ADDR;
	*size = (uint64_t)(vdso_image_end - vdso_image_start);
	return KERN_SUCCESS;
}

uint64_t
trap_vmach_clock_gettime(const uint64_t *a)
{
	struct {
		int64_t tv_sec;
		int64_t tv_nsec;
	} ts;
	uint64_t ns;

	switch ((int)a[0]) {
	case 0: /* CLOCK_REALTIME */
	case 5: /* CLOCK_REALTIME_COARSE */
		ns = realtime_ns();
		break;
	case 1: /* CLOCK_MONOTONIC */
	case 4: /* CLOCK_MONOTONIC_RAW */
	case 6: /* CLOCK_MONOTONIC_COARSE */
	case 7: /* CLOCK_BOOTTIME */
		ns = clock_monotonic_ns();
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	ts.tv_sec = (int64_t)(ns / 1000000000ULL);
	ts.tv_nsec = (int64_t)(ns % 1000000000ULL);
	if (copyout(&ts, (void *)a[1], sizeof(ts)) != KERN_SUCCESS)
		return KERN_INVALID_ADDRESS;
	return 0;
}
