/*
 * The vDSO shared object (//guest/kernel:vdso.so, built from vdso/) inside
 * the kernel image. Page-aligned and padded to whole pages: proc/vdso.c maps
 * these pages straight into every process, shared and read-only.
 */
    .section .rodata.vdso, "a"
    .balign 4096
    .globl vdso_image_start, vdso_image_end
vdso_image_start:
    .incbin VDSO_IMAGE_PATH
    .balign 4096
vdso_image_end:
    .section .note.GNU-stack, "", @progbits
