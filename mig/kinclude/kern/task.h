/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shadows vmach's own header for the server stubs only: its task_create and
 * thread_terminate clash with the RPC routines of the same names
 * (docs/ipc.md, "Kernel servers"). mig/kernel-types.h declares the types.
 */
