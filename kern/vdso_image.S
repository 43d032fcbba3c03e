/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vDSO's image (user/vdso.mk builds it), which kern/vdso.c copies into its page object. */
	.section .rodata
	.balign 4096
	.globl	vdso_image_start
	.globl	vdso_image_end
vdso_image_start:
	.incbin	VDSO_SO
vdso_image_end:

	.section .note.GNU-stack, "", @progbits
