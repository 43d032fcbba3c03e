# SPDX-License-Identifier: GPL-2.0-or-later
# Host test of the PCI capability walker.
HOST_TESTS += test_pci_caps
test_pci_caps_SRCS := tests/host/test_pci_caps.c pci/pci_caps.c
