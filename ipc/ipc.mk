# SPDX-License-Identifier: GPL-2.0-or-later
# ipc/: Mach IPC's core: ports, port sets, name spaces, rights and their
# transfer, the mach_port.defs routines, typed messages (docs/ipc.md).
IPC_SRCS := ipc/ipc_port.c ipc/ipc_pset.c ipc/ipc_space.c ipc/ipc_right.c ipc/mach_port.c
# Messages: copyin/copyout, queues, mach_msg and notifications (kernel only).
KERNEL_SRCS += $(IPC_SRCS) ipc/ipc_kmsg.c ipc/ipc_kmsg_cache.c ipc/ipc_mqueue.c ipc/mach_msg.c ipc/mach_msg_kobject.c ipc/ipc_notify.c \
	ipc/ipc_marequest.c
