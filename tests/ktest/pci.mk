# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel PCI tests (pci_inventory, pci_msix, pci_intx), run by tests/qemu/pci.t.
KERNEL_SRCS += tests/ktest/pci_test.c
