// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * copyin, copyout and copyinstr against the test-only user mapping
 * (umap.h): good ranges copy; NULL, the kernel half, ranges past the user
 * half or wrapping around, an unmapped page, a range crossing into it and
 * a write to a read-only page all return KERN_INVALID_ADDRESS, and the
 * kernel carries on (a fault inside a copy is recovered, never a panic).
 */
#include "debug/ktest.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "umap.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"
#include "x86_64/trap.h"
#include "x86_64/user_copy.h"

static kern_return_t
in(uint64_t ua, void *k, size_t n)
{
	return copyin((const void *)ua, k, n);
}

static kern_return_t
out(const void *k, uint64_t ua, size_t n)
{
	return copyout(k, (void *)ua, n);
}

static struct umap resolve_um;
static unsigned resolved;

/*
 * Plays the VM for the hole: a fault there from a copy instruction maps
 * the page and the copy is retried, as after user_page_fault() succeeds.
 */
static bool
resolve_hole(struct trap_frame *tf)
{
	uint64_t addr = read_cr(2);

	if (tf->vector != T_PAGE_FAULT || !user_copy_fault_at(tf->rip) ||
	    addr - UMAP_HOLE >= PAGE_SIZE || !umap_fill_hole(&resolve_um))
		return false;
	memcpy(umap_kva(&resolve_um, UMAP_HOLE), "-hole-", 7);
	resolved++;
	return true;
}

KTEST(user_copy_retry, "a fault resolved inside a copy: the copy goes on where it stopped")
{
	char kbuf[32] = {0};
	trap_catch_fn old;
	kern_return_t kr;
	char *data;

	ktap_plan(3);
	if (!ktap_ok(umap_create(&resolve_um), "a test-only user mapping"))
		return;
	data = umap_kva(&resolve_um, UMAP_DATA);
	memcpy(data + PAGE_SIZE - 6, "data++", 6);
	old = trap_set_catch(resolve_hole);
	kr = copyin((const void *)(UMAP_DATA + PAGE_SIZE - 6), kbuf, 13);
	trap_set_catch(old);
	ktap_ok(kr == KERN_SUCCESS && resolved == 1,
	        "copyin across the resolved page succeeds after one fault (%d, %u faults)", kr,
	        resolved);
	ktap_ok(!memcmp(kbuf, "data++-hole-", 13), "and copies the bytes of both pages");
	umap_destroy(&resolve_um);
}

KTEST(user_copy, "copyin/copyout/copyinstr: good ranges copy, bad ones fail without a panic")
{
	static char kbuf[64];
	uint64_t big_pa = page_alloc(1, PAGE_ZERO);
	char *big = phys_to_virt(big_pa); /* two pages */
	struct umap um;
	char *data, *ro;
	size_t len = 0;
	kern_return_t kr;

	ktap_plan(19);
	if (!ktap_ok(umap_create(&um), "a test-only user mapping"))
		return;
	data = umap_kva(&um, UMAP_DATA);
	ro = umap_kva(&um, UMAP_RO);
	memcpy(data, "user data", 10);
	memcpy(ro, "read only", 10);

	ktap_ok(in(UMAP_DATA, kbuf, 10) == KERN_SUCCESS && !memcmp(kbuf, "user data", 10),
	        "copyin of a mapped range");
	ktap_ok(out("kernel", UMAP_DATA + 100, 7) == KERN_SUCCESS &&
	            !memcmp(data + 100, "kernel", 7),
	        "copyout to a writable range");
	ktap_ok(in(UMAP_RO, kbuf, 10) == KERN_SUCCESS && !memcmp(kbuf, "read only", 10),
	        "copyin from a read-only page");
	ktap_ok(in(0, kbuf, 8) == KERN_INVALID_ADDRESS, "copyin from NULL: KERN_INVALID_ADDRESS");
	ktap_ok(out(kbuf, 16, 8) == KERN_INVALID_ADDRESS, "copyout into the NULL page refused");
	ktap_ok(in((uint64_t)kbuf, big, 8) == KERN_INVALID_ADDRESS,
	        "copyin from a kernel-half address refused");
	ktap_ok(out(kbuf, (uint64_t)big, 8) == KERN_INVALID_ADDRESS,
	        "copyout to a kernel-half address refused");
	ktap_ok(in(USER_SPACE_END - 8, kbuf, 16) == KERN_INVALID_ADDRESS,
	        "a range running past the user half refused");
	ktap_ok(in(UMAP_DATA, kbuf, UINT64_MAX - UMAP_DATA + 9) == KERN_INVALID_ADDRESS,
	        "a length that wraps around refused");
	ktap_ok(in(UMAP_HOLE + 8, kbuf, 8) == KERN_INVALID_ADDRESS,
	        "copyin from an unmapped page: KERN_INVALID_ADDRESS, no panic");
	kr = in(UMAP_HOLE - 8, kbuf, 16);
	ktap_ok(kr == KERN_INVALID_ADDRESS, "a range crossing into an unmapped page fails (%d)",
	        kr);
	kr = out(big, UMAP_DATA, 2 * PAGE_SIZE);
	ktap_ok(kr == KERN_INVALID_ADDRESS, "copyout of two pages over the hole fails (%d)", kr);
	ktap_ok(out("x", UMAP_RO, 1) == KERN_INVALID_ADDRESS && ro[0] == 'r',
	        "copyout to a read-only page fails and leaves it unchanged");

	memcpy(data + PAGE_SIZE - 6, "tail\0", 5);
	kr = copyinstr((const void *)(UMAP_DATA + PAGE_SIZE - 6), kbuf, sizeof(kbuf), &len);
	ktap_ok(kr == KERN_SUCCESS && len == 4 && !strcmp(kbuf, "tail"),
	        "copyinstr of a string ending before the hole (length %zu)", len);
	memset(data + PAGE_SIZE - 6, 'x', 6);
	kr = copyinstr((const void *)(UMAP_DATA + PAGE_SIZE - 6), kbuf, sizeof(kbuf), &len);
	ktap_ok(kr == KERN_INVALID_ADDRESS,
	        "copyinstr of a string running into the hole fails (%d)", kr);
	memset(data, 'y', 100);
	kr = copyinstr((const void *)UMAP_DATA, kbuf, 16, &len);
	ktap_ok(kr == KERN_INVALID_ARGUMENT,
	        "copyinstr with no NUL within max: KERN_INVALID_ARGUMENT");
	ktap_ok(copyinstr(NULL, kbuf, 16, &len) == KERN_INVALID_ADDRESS &&
	            copyinstr(kbuf, big, 16, &len) == KERN_INVALID_ADDRESS,
	        "copyinstr from NULL or the kernel half: KERN_INVALID_ADDRESS");
	ktap_ok(copyinstr((const void *)(USER_SPACE_END - 4), kbuf, 16, &len) ==
	            KERN_INVALID_ADDRESS,
	        "copyinstr near the end of the user half does not read past it");
	umap_destroy(&um);
	page_free(big_pa, 1);
}
