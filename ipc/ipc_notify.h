/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Notifications sent as notify.defs messages (ipc/ipc_notify.c). */
#ifndef IPC_IPC_NOTIFY_H
#define IPC_IPC_NOTIFY_H

#include "ipc/ipc_port.h"

/* Makes ipc_notify() send messages (until then it drops the rights). */
void ipc_notify_init(void);

#endif
