/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A GNU Mach kernel header the server stubs simport; mig/kernel-types.h declares what they use. */
