# SPDX-License-Identifier: GPL-2.0-or-later
# pci/: enumeration, the capability walk, MSI and MSI-X programming.
KERNEL_SRCS += pci/pci.c pci/pci_caps.c
