// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monitor's `pci` command: the inventory, one line per function in the
 * boot format, then its BARs, its interrupt pin and its capabilities.
 */
#include "debug/monitor.h"
#include "pci/pci.h"
#include "pci/pci_caps.h"
#include "kern/printf.h"

static void
pci_monitor_bars(const struct pci_dev *d)
{
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		const struct pci_bar *b = &d->pd_bars[i];
		if (b->pb_kind == PCI_BAR_NONE)
			continue;
		kprintf("    bar%u %s%s %#lx size %#lx\n", i, pci_bar_kind_name(b->pb_kind),
		        b->pb_prefetchable ? " pref" : "", b->pb_addr, b->pb_size);
	}
}

/* The capability list in one line, then MSI-X and MSI in their own lines. */
static void
pci_monitor_caps(const struct pci_dev *d)
{
	struct pci_caps_src src;
	struct pci_caps_iter it;
	unsigned off, n = 0;
	uint8_t id;

	pci_caps_source(d, &src);
	pci_caps_begin(&it, &src);
	while (pci_caps_next(&it, &off, &id)) {
		kprintf("%s%s@%#x", n ? " " : "    caps ", pci_caps_name(id), off);
		n++;
	}
	if (n)
		kprintf("\n");
	if (d->pd_msix_cap)
		kprintf("    msix %u vectors%s\n", d->pd_msix_count,
		        pci_msix_enabled(d) ? " (enabled)" : "");
	if (d->pd_msi_cap)
		kprintf("    msi\n");
}

static kern_return_t
cmd_pci(int argc, char **argv)
{
	char line[96];

	if (argc > 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "pci takes no arguments");
	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_dev *d = pci_get(i);
		pci_format(d, line, sizeof(line));
		kprintf("%s\n", line);
		pci_monitor_bars(d);
		if (d->pd_irq_pin)
			kprintf("    irq INT%c line %u\n", 'A' + d->pd_irq_pin - 1, d->pd_irq_line);
		pci_monitor_caps(d);
	}
	kprintf("%u functions\n", pci_count());
	return KERN_SUCCESS;
}

MONITOR_COMMAND("pci", "", "the PCI inventory: functions, BARs, capabilities", cmd_pci);
