#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel also boots from a GRUB image (Multiboot through GRUB rather
# than QEMU's own loader): a test ISO with test=boot on the command line.
source "$(dirname "$0")/lib.sh"

iso=$TEST_TMP/vmach-test.iso
mkdir -p "$TEST_TMP/iso/boot/grub"
cp "$KERNEL" "$TEST_TMP/iso/boot/vmach"
sed 's|multiboot /boot/vmach|multiboot /boot/vmach test=boot|' "$TOP/scripts/grub.cfg" \
	>"$TEST_TMP/iso/boot/grub/grub.cfg"
if grub-mkrescue -o "$iso" "$TEST_TMP/iso" >"$TEST_TMP/mkrescue.log" 2>&1; then
	tap_ok "grub-mkrescue builds an ISO"
	# -kernel is replaced by the CD: qemu_boot passes -kernel, so run QEMU here.
	QEMU_LOG=$TEST_TMP/iso.log
	timeout -k 5 60 "$QEMU" -M pc -m 128M -nodefaults -display none -no-reboot -monitor none \
		-serial "file:$QEMU_LOG" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-cdrom "$iso" -boot d </dev/null >/dev/null 2>&1
	QEMU_STATUS=$?
	if qemu_verdict; then tap_ok "boot from the GRUB ISO (test=boot)"; else
		tap_not_ok "boot from the GRUB ISO ($VERDICT_WHY)"
		show_log iso
	fi
else
	tap_not_ok "grub-mkrescue builds an ISO"
	sed 's/^/# /' "$TEST_TMP/mkrescue.log" >&2
fi
qemu_done
