#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The virtio network tests boot a machine that may have two CPUs (QEMU_SMP
# in tests/qemu/lib.sh): QEMU before 8.1 drops the guest's memory barriers
# on a one-CPU machine while its devices run in another thread, and a
# virtio kick or interrupt is then lost (lib.sh says how). Each QEMU
# command line of net.t and net-ctrl.t, and qemu_boot, must carry it.
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
for t in net.t net-ctrl.t; do
	lines=$(grep -c '"$QEMU" ' "$TOP/tests/qemu/$t")
	with=$(grep -c '"$QEMU" .*"${QEMU_SMP\[@\]}"' "$TOP/tests/qemu/$t")
	[ "$lines" -gt 0 ] && [ "$lines" = "$with" ]
	check $? "$t: every QEMU command line ($with of $lines) carries QEMU_SMP"
done
echo "1..$n"
