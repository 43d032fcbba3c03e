#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM (vm/) in the kernel on the real pmap: 10,000 zero-fill faults,
# copy-on-write between a map and its fork, no page leaked after 100
# maps, and 1,000 generations of fork-and-exit in bounded memory. On the conformance CPU (no PCID, no XSAVE).
source "$(dirname "$0")/lib.sh"

qemu_test "10,000 zero-fill faults through an active map" 120 "test=vm_faults" \
	-cpu core2duo-v1
qemu_test "copy-on-write between a map and its fork" 60 "test=vm_cow" -cpu core2duo-v1
qemu_test "100 maps created, used, freed: no page leaked" 120 "test=vm_maps" -cpu core2duo-v1
qemu_test "1,000 generations of fork-and-exit: memory bounded" 120 "test=vm_generations" \
	-cpu core2duo-v1
qemu_done
