#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The virtio network tests boot a machine that may have two CPUs (QEMU_SMP
# in tests/qemu/lib.sh): QEMU before 8.1 drops the guest's memory barriers
# on a one-CPU machine while its devices run in another thread, and a
# virtio kick or interrupt is then lost (lib.sh says how). qemu_boot
# carries it, and so must every QEMU command a test runs itself with a
# virtio device (the command's lines from "$QEMU" to the last one ending
# in a backslash): net.t and net-ctrl.t, the blk, balloon, console, rng,
# monitor and bench tests.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
n=0
check() { # check STATUS description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

grep -qE '^QEMU_SMP=\(-smp 1,maxcpus=([2-9]|[1-9][0-9]+)\)$' "$TOP/tests/qemu/lib.sh"
check $? "lib.sh: QEMU_SMP keeps one CPU and allows a second"
grep -q 'smp=("${QEMU_SMP\[@\]}")' "$TOP/tests/qemu/lib.sh" &&
	grep -q '"$QEMU" "${machine\[@\]}" "${memory\[@\]}" "${smp\[@\]}"' "$TOP/tests/qemu/lib.sh"
check $? "qemu_boot passes QEMU_SMP unless the test gives -smp"
# Each QEMU command with a virtio device, as FILE:LINE and whether it carries QEMU_SMP.
virtio_commands() {
	perl -ne '
		if (/"\$QEMU" / && !$in) { $in = 1; $start = $.; $cmd = ""; }
		if ($in) {
			$cmd .= $_;
			next if /\\\s*$/;
			$in = 0;
			print "$ARGV:$start ", ($cmd =~ /"\$\{QEMU_SMP\[\@\]\}"/ ? "smp" : "none"), "\n"
				if $cmd =~ /virtio|blk_case|"\$\{dev\[\@\]\}"/;
		}
		close ARGV if eof;
	' "$@"
}
for t in net.t net-ctrl.t balloon.t bench.t blk-faults.t blk-monitor.t blk-ops.t console.t \
	monitor.t rng.t; do
	cmds=$(cd "$TOP/tests/qemu" && virtio_commands "$t")
	total=$(printf '%s\n' "$cmds" | grep -c .)
	with=$(printf '%s\n' "$cmds" | grep -c ' smp$')
	[ "$total" -gt 0 ] && [ "$total" = "$with" ]
	check $? "$t: every QEMU command with a virtio device ($with of $total) carries QEMU_SMP"
done
# And none elsewhere lacks it.
missing=$(cd "$TOP/tests/qemu" && virtio_commands *.t | grep ' none$')
[ -z "$missing" ]
check $? "no QEMU command with a virtio device lacks QEMU_SMP${missing:+: $missing}"
echo "1..$n"
