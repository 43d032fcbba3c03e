#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The pmap (x86_64/pmap.c) on the real MMU: mappings, protections, cache
# types, activation, the shared kernel half, and no table page leaked.
# The second boot uses the CPU of the conformance runs (no PCID).
source "$(dirname "$0")/lib.sh"

qemu_test "pmap: enter, extract, protect, remove, activate, destroy" 60 "test=pmap"
qemu_test "pmap on core2duo-v1: 1,000 pmaps, no page leaked" 120 "test=pmap_many" \
	-cpu core2duo-v1
qemu_test "pmap: range walks skip only empty groups of PTEs" 60 "test=pmap_groups"
qemu_done
