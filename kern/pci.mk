# SPDX-License-Identifier: GPL-2.0-or-later
# PCI: config access, enumeration, capabilities, the monitor's `pci`.
KERNEL_SRCS += x86_64/pci_cfg.c kern/pci.c kern/pci_caps.c kern/pci_monitor.c
