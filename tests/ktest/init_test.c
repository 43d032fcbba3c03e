// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test=initcalls: the start-up levels of kern/initcall.h run in order.
 * Boot with a virtio disk and NIC (tests/qemu/boot.t) so that the bus,
 * driver and attach levels all have work to show.
 */
#include "debug/ktest.h"
#include "device/blk.h"
#include "device/net.h"
#include "kern/initcall.h"
#include "kern/string.h"
#include "pci/pci.h"

/* The table index of the hook called name, or -1. */
static int
initcall_index(const struct initcall *t, const struct initcall *end, const char *name)
{
	for (const struct initcall *ic = t; ic < end; ic++)
		if (!strcmp(ic->ic_name, name))
			return (int)(ic - t);
	return -1;
}

KTEST(initcalls, "start-up hooks run level by level")
{
	const struct initcall *end, *t = initcall_table(&end);
	unsigned n = (unsigned)(end - t);
	bool sorted = true;
	int self = initcall_index(t, end, "ktest");
	int pci = initcall_index(t, end, "pci");
	int blk = initcall_index(t, end, "virtio-blk");
	int attach = initcall_index(t, end, "virtio-pci");
	int mon = initcall_index(t, end, "monitor");

	ktap_plan(7);
	for (unsigned i = 1; i < n; i++)
		if (t[i].ic_level < t[i - 1].ic_level)
			sorted = false;
	ktap_ok(sorted && n >= 5, "the table (%u hooks) is sorted by level", n);
	ktap_ok(pci >= 0 && t[pci].ic_level == INIT_BUS && blk >= 0 &&
	            t[blk].ic_level == INIT_DRIVER && attach >= 0 &&
	            t[attach].ic_level == INIT_ATTACH && mon >= 0 && t[mon].ic_level == INIT_RUN,
	        "pci, virtio-blk, virtio-pci and monitor sit at their levels");
	ktap_ok(pci < blk && blk < attach && attach < self && self < mon,
	        "bus before driver before attach before test before run");
	/* This test runs inside the "ktest" hook: every hook before it ran, none after. */
	ktap_ok(self >= 0 && initcalls_done() == (unsigned)self + 1,
	        "every hook before the test ran, none after (%u called, test is #%d)",
	        initcalls_done(), self + 1);
	ktap_ok(pci_count() > 0, "the bus level enumerated PCI (%u functions)", pci_count());
	ktap_ok(blk_find("vd0") != NULL, "the attach level bound the disk to its driver (vd0)");
	ktap_ok(net_if_find("eth0") != NULL, "the attach level bound the NIC to its driver (eth0)");
}
