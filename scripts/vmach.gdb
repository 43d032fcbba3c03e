# SPDX-License-Identifier: GPL-2.0-or-later
# gdb script for `make gdb`: symbols, the QEMU stub, a break at kmain.
set architecture i386:x86-64
file build/vmach
target remote 127.0.0.1:1234
break kmain
break panic
echo vmach: QEMU is halted at reset; 'continue' boots, the kernel stops at kmain.\n
