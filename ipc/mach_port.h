/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mach_port.defs as kernel functions on a space (the MIG stubs call these).
 * Rights arriving or leaving (insert_right's poly, extract_right's result,
 * notification ports) are struct ipc_port references owning one right of
 * the MACH_MSG_TYPE_PORT_* type given; the stubs copy them in and out.
 * Arrays returned are kmalloc()ed; the caller kfree()s them.
 */
#ifndef IPC_MACH_PORT_H
#define IPC_MACH_PORT_H

#include "ipc/ipc_right.h"

kern_return_t ipc_mach_port_names(struct ipc_space *s, mach_port_name_t **names,
                                  mach_port_type_t **types, unsigned *count);
kern_return_t ipc_mach_port_type(struct ipc_space *s, mach_port_name_t name,
                                 mach_port_type_t *type);
kern_return_t ipc_mach_port_rename(struct ipc_space *s, mach_port_name_t old,
                                   mach_port_name_t new_name);
kern_return_t ipc_mach_port_allocate(struct ipc_space *s, mach_port_right_t right,
                                     mach_port_name_t *name);
kern_return_t ipc_mach_port_allocate_name(struct ipc_space *s, mach_port_right_t right,
                                          mach_port_name_t name);
kern_return_t ipc_mach_port_destroy(struct ipc_space *s, mach_port_name_t name);
kern_return_t ipc_mach_port_deallocate(struct ipc_space *s, mach_port_name_t name);
kern_return_t ipc_mach_port_get_refs(struct ipc_space *s, mach_port_name_t name,
                                     mach_port_right_t right, mach_port_urefs_t *refs);
kern_return_t ipc_mach_port_mod_refs(struct ipc_space *s, mach_port_name_t name,
                                     mach_port_right_t right, mach_port_delta_t delta);
kern_return_t ipc_mach_port_move_member(struct ipc_space *s, mach_port_name_t member,
                                        mach_port_name_t after);
/* Consumes port (a right of type) on success only. */
kern_return_t ipc_mach_port_insert_right(struct ipc_space *s, mach_port_name_t name,
                                         struct ipc_port *port, mach_msg_type_name_t type);
/* insert_right with the right taken from src's srcname by disposition (MACH_MSG_TYPE_*). */
kern_return_t ipc_mach_port_insert_right_from(struct ipc_space *s, mach_port_name_t name,
                                              struct ipc_space *src, mach_port_name_t srcname,
                                              mach_msg_type_name_t disposition);
kern_return_t ipc_mach_port_extract_right(struct ipc_space *s, mach_port_name_t name,
                                          mach_msg_type_name_t disposition, struct ipc_port **port,
                                          mach_msg_type_name_t *type);
kern_return_t ipc_mach_port_get_receive_status(struct ipc_space *s, mach_port_name_t name,
                                               mach_port_status_t *st);
kern_return_t ipc_mach_port_set_mscount(struct ipc_space *s, mach_port_name_t name,
                                        mach_port_mscount_t mscount);
kern_return_t ipc_mach_port_set_qlimit(struct ipc_space *s, mach_port_name_t name,
                                       mach_port_msgcount_t qlimit);
kern_return_t ipc_mach_port_set_seqno(struct ipc_space *s, mach_port_name_t name,
                                      mach_port_seqno_t seqno);
kern_return_t ipc_mach_port_get_set_status(struct ipc_space *s, mach_port_name_t name,
                                           mach_port_name_t **members, unsigned *count);
kern_return_t ipc_mach_port_set_protected_payload(struct ipc_space *s, mach_port_name_t name,
                                                  unsigned long payload);
kern_return_t ipc_mach_port_clear_protected_payload(struct ipc_space *s, mach_port_name_t name);
/*
 * Records notify (a send-once right, or NULL to cancel) for id
 * (MACH_NOTIFY_PORT_DESTROYED, _NO_SENDERS, _DEAD_NAME; a dead-name
 * request also brings port-deleted when the name's right is removed);
 * *previous gets the request it replaces (or NULL). notify is consumed on
 * success only.
 */
kern_return_t ipc_mach_port_request_notification(struct ipc_space *s, mach_port_name_t name,
                                                 mach_msg_id_t id, mach_port_mscount_t sync,
                                                 struct ipc_port *notify,
                                                 struct ipc_port **previous);

#endif
