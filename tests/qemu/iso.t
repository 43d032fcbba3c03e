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

# Boot modules through GRUB, on the CPU of the conformance runs
# (core2duo-v1: no PCID, no XSAVE, no x2APIC), with GNU Mach's boot line:
# GRUB passes the quoted words in double quotes (MACH-ABI.md).
mods_iso=$TEST_TMP/vmach-mods.iso
if "$TOP/scripts/mkiso" "$mods_iso" "$KERNEL" "boot_exit=on" \
	"$USER_BIN/hello '\${host-port}' '\${device-port}' $USER_START,$USER_BIN/sse $USER_START" \
	>"$TEST_TMP/mkiso.log" 2>&1; then
	QEMU_LOG=$TEST_TMP/iso-mods.log
	timeout -k 5 120 "$QEMU" -M pc -m 2047 -cpu core2duo-v1 -nodefaults -display none \
		-no-reboot -monitor none -serial "file:$QEMU_LOG" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom "$mods_iso" -boot d \
		</dev/null >/dev/null 2>&1
	QEMU_STATUS=$?
	for name in hello sse; do
		user_judge "$name"
		tap_check $? "through GRUB on core2duo-v1: $name passes${USER_WHY:+ ($USER_WHY)}"
	done
	[ "$QEMU_STATUS" = 33 ]
	tap_check $? "through GRUB: all boot tasks end well (QEMU status $QEMU_STATUS)"
	[ "$tap_failed" = 0 ] || show_log iso-mods
else
	tap_not_ok "mkiso builds an ISO with boot modules"
	sed 's/^/# /' "$TEST_TMP/mkiso.log" >&2
fi
qemu_done
