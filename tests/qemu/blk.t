#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-blk against QEMU's device on every transport and ring
# configuration: the guest's CRC-32 of random host data must match the
# host's, and the pattern the guest writes (each sector naming itself and
# the run) is checked sector by sector from the host. See blk-lib.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/blk-lib.sh"

blk_case "modern-only" 1 "blk_expect_transport=pci-modern blk_expect_serial=VMACH-SN-0001" \
	"" "disable-legacy=on,serial=VMACH-SN-0001"
blk_case "legacy (disable-modern=on)" 1 "blk_expect_transport=pci-legacy blk_expect_ring=split" \
	"" "disable-modern=on"
blk_case "transitional: modern preferred" 1 "blk_expect_transport=pci-modern" "" ""
blk_case "transitional, virtio_pci=legacy" 1 "virtio_pci=legacy blk_expect_transport=pci-legacy" \
	"" ""
blk_case "packed=on" 1 "blk_expect_ring=packed" "" "packed=on"
blk_case "indirect_desc=off event_idx=off" 1 "blk_expect_indirect=0 blk_expect_event=0" \
	"" "indirect_desc=off,event_idx=off"
blk_case "queue-size=1024" 1 "blk_expect_qsize=1024" "" "queue-size=1024"
blk_case "logical_block_size=4096" 1 "blk_expect_bs=4096" "" \
	"logical_block_size=4096,physical_block_size=4096"
blk_case "readonly=on" 1 "blk_expect_ro=1" "readonly=on" ""
blk_case "two disks" 2 "" "" ""
blk_case "-M q35" 1 "" "" "" -M q35
blk_case "num-queues=4" 1 "blk_expect_mq=4" "" "num-queues=4"
blk_case "-m 4G: DMA above 4 GiB" 1 "blk_expect_highdma=1" "" "" -m 4G
blk_case "modern, no MSI-X: INTx" 1 "blk_expect_intx=1 blk_expect_transport=pci-modern" \
	"" "vectors=0"
blk_case "legacy, no MSI-X: INTx" 1 "blk_expect_intx=1 blk_expect_transport=pci-legacy" \
	"" "disable-modern=on,vectors=0"
qemu_done
