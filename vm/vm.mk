# SPDX-License-Identifier: GPL-2.0-or-later
# vm/: virtual memory: maps, amaps and anonymous pages, physical objects,
# faults, the vm_* operations and copies (docs/vm.md).
VM_SRCS := vm/vm_map.c vm/vm_amap.c vm/vm_page.c vm/vm_object.c vm/vm_fault.c \
	vm/vm_user.c vm/vm_copy.c
KERNEL_SRCS += $(VM_SRCS)
