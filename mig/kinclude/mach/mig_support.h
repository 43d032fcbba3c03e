/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What GNU Mach's own <mach/mig_support.h> gives its in-kernel servers; the
 * Debian headers do not ship it. Only for compiling build/mig/kernel/.
 */
#ifndef VMACH_MIG_KINCLUDE_MIG_SUPPORT_H
#define VMACH_MIG_KINCLUDE_MIG_SUPPORT_H
#include <mach/message.h>
#include <stddef.h>
#include <kern/string.h>
#endif
