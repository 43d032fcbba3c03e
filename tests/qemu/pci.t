#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# PCI on -M pc (mechanism #1) and -M q35 (ECAM): the inventory matches the
# devices given (two virtio-blk, one transitional and one modern, a
# virtio-net and an e1000: ids, class, BAR kinds), MSI-X tables get
# programmed, an e1000e's MSI-X message and an e1000's INTx arrive, and
# devices behind bridges and on an extra root bus (pci_scan=all) are found.
source "$(dirname "$0")/lib.sh"

truncate -s 1M "$TEST_TMP/a.img" "$TEST_TMP/b.img"
DEVICES=(
	-drive "file=$TEST_TMP/a.img,if=none,format=raw,id=d0"
	-device virtio-blk-pci,drive=d0
	-drive "file=$TEST_TMP/b.img,if=none,format=raw,id=d1"
	-device virtio-blk-pci,disable-legacy=on,drive=d1
	-netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0,romfile=
	-netdev user,id=n1,restrict=on -device e1000,netdev=n1,romfile=
)
EXPECT="expect_pci=1af4:1001,1af4:1042,1af4:1000,8086:100e"

qemu_test "pc: inventory, mechanism #1" 60 "test=pci_inventory $EXPECT expect_ecam=0" \
	-M pc "${DEVICES[@]}"
grep -q 'pci 00:0[0-9a-f]\.0 1af4:1042 class 01:00 virtio-blk' "$QEMU_LOG"
tap_check $? "pc: boot line for the modern virtio-blk"
qemu_test "q35: inventory, ECAM" 60 "test=pci_inventory $EXPECT expect_ecam=1" \
	-M q35 "${DEVICES[@]}"
grep -q 'pci: config access through ECAM' "$QEMU_LOG"
tap_check $? "q35: ECAM chosen and logged"
qemu_test "q35 with pci_ecam=off: inventory, mechanism #1" 60 \
	"test=pci_inventory $EXPECT expect_ecam=0 pci_ecam=off" -M q35 "${DEVICES[@]}"
# The virtio functions are claimed by their drivers at boot; an e1000e (no
# driver) lends its MSI-X table to the test.
qemu_test "pc: MSI-X table programming" 60 "test=pci_msix" -M pc "${DEVICES[@]}" \
	-device e1000e
qemu_test "q35: MSI-X table programming" 60 "test=pci_msix" -M q35 "${DEVICES[@]}" \
	-device e1000e
qemu_test "pc: e1000 INTx delivered" 60 "test=pci_intx" -M pc "${DEVICES[@]}"
qemu_test "q35: e1000 INTx delivered" 60 "test=pci_intx" -M q35 "${DEVICES[@]}"
qemu_test "q35: e1000e MSI-X message delivered" 60 "test=pci_msix_irq" \
	-M q35 -netdev user,id=n2,restrict=on -device e1000e,netdev=n2,romfile=
# A device behind bridges: the enumeration follows secondary bus numbers.
qemu_test "pc: devices behind two PCI bridges" 60 "test=pci_inventory expect_pci=1af4:1005" \
	-M pc -device pci-bridge,id=br1,chassis_nr=1 \
	-device pci-bridge,id=br2,chassis_nr=2,bus=br1,addr=4 \
	-device virtio-rng-pci,bus=br2,addr=7
grep -q 'pci 02:07\.0 1af4:1005 class 00:ff virtio-rng' "$QEMU_LOG"
tap_check $? "pc: the virtio-rng found on bus 2"
# A root bus only ACPI names (QEMU's pxb): found by pci_scan=all under ECAM.
qemu_test "q35: pci_scan=all finds a device on an extra root bus" 60 \
	"test=pci_inventory expect_pci=1af4:1044 expect_ecam=1 pci_scan=all" \
	-M q35 -device pxb-pcie,id=pxb,bus_nr=64 \
	-device pcie-root-port,id=rp,bus=pxb,chassis=3 -device virtio-rng-pci,bus=rp
grep -q 'pci 41:00\.0 1af4:1044 class 00:ff virtio-rng' "$QEMU_LOG"
tap_check $? "q35: the virtio-rng found on bus 0x41"
qemu_done
