/* uaccess_copy (arch/uaccess_copy.h): the copy, and where a fault in it resumes.
 * User access is opened by setting RFLAGS.AC with POPF rather than STAC: the
 * instruction emulator of kvm_pvm, which runs this kernel, has no STAC. */
#define RFLAGS_AC 0x40000

    .text
    .global uaccess_copy
uaccess_copy:                   /* rdi = dst, rsi = src, rdx = len */
    movq %rdx, %rcx
    pushfq
    cmpb $0, uaccess_smap(%rip)
    je 1f
    pushfq
    orq $RFLAGS_AC, (%rsp)
    popfq
1:
    .global uaccess_copy_insn
uaccess_copy_insn:
    rep movsb
    xorl %eax, %eax
    jmp 2f
    .global uaccess_copy_failed
uaccess_copy_failed:            /* trap.c resumes here after a fault at uaccess_copy_insn */
    movl $-1, %eax
2:  popfq                       /* AC as it was */
    ret

    .data
    .global uaccess_smap
uaccess_smap:
    .byte 0
