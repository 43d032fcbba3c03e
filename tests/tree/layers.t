#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/check-layers: the tree keeps the direction between folders, and
# the script does catch an include against it, naming file and include.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmach-layers.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0
check() { # check STATUS description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

out=$("$TOP/scripts/check-layers" "$TOP" 2>&1)
check $? "the tree has no include against the layers"
[ -z "$out" ] || echo "$out" | sed 's/^/# /' >&2

# A small tree with one allowed include of each kind and then each kind of
# violation in turn.
mkdir -p "$TMP/kern" "$TMP/x86_64" "$TMP/virtio" "$TMP/device" "$TMP/drivers" "$TMP/debug"
printf '#include <stdint.h>\n#include "x86_64/machine.h"\n#include <mach/kern_return.h>\n' \
	>"$TMP/kern/a.c"
printf '#include "kern/log.h"\n' >"$TMP/x86_64/m.c"
: >"$TMP/device/b.c"
printf '#include "virtio/virtio.h"\n' >"$TMP/virtio/v.c"
printf '#include "device/blk.h"\n#include "virtio/vioblk.h"\n#include "pci/pci.h"\n' \
	>"$TMP/drivers/g.c"
printf '#include "drivers/g.h"\n#include "kern/log.h"\n' >"$TMP/debug/m.c"
"$TOP/scripts/check-layers" "$TMP" >/dev/null 2>&1
check $? "allowed includes pass"

violate() { # violate FILE LINE EXPECTED-MESSAGE description
	cp "$TMP/$1" "$TMP/$1.orig"
	printf '%s\n' "$2" >>"$TMP/$1"
	out=$("$TOP/scripts/check-layers" "$TMP" 2>&1)
	status=$?
	mv "$TMP/$1.orig" "$TMP/$1"
	[ $status != 0 ] && printf '%s\n' "$out" | grep -qF "$3"
	check $? "$4"
}
violate kern/a.c '#include "x86_64/apic.h"' 'kern/a.c:4: includes "x86_64/apic.h"' \
	"kern/ including a machine header other than machine.h is refused"
violate kern/a.c '#include "debug/monitor.h"' 'kern/a.c:4: includes "debug/monitor.h"' \
	"kern/ including debug/ (upwards) is refused"
violate virtio/v.c '#include "kern/log.h"' 'virtio/v.c:2: includes "kern/log.h"' \
	"virtio/ including a kernel header is refused"
violate virtio/v.c '#include <mach/message.h>' 'virtio/v.c:2: includes <mach/message.h>' \
	"virtio/ including a GNU Mach header is refused"
violate device/b.c '#include "virtio/vioblk.h"' 'device/b.c:1: includes "virtio/vioblk.h"' \
	"device/ naming a driver is refused"
violate x86_64/m.c '#include "pci/pci.h"' 'x86_64/m.c:2: includes "pci/pci.h"' \
	"x86_64/ including pci/ is refused"
violate drivers/g.c '#include "debug/monitor.h"' 'drivers/g.c:4: includes "debug/monitor.h"' \
	"drivers/ including debug/ is refused"
violate kern/a.c '#include <stdio.h>' 'kern/a.c:4: includes <stdio.h>' \
	"a hosted C library header in the kernel is refused"
echo "1..$n"
exit $failed
