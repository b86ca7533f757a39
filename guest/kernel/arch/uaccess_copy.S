/* uaccess_copy_or (arch/uaccess_copy.h): the copy, and where a fault in it resumes.
 * User access is opened by setting RFLAGS.AC with POPF rather than STAC: the
 * instruction emulator of kvm_pvm, which runs this kernel, has no STAC. */
#define RFLAGS_AC 0x40000

    .text
    .global uaccess_copy_or
uaccess_copy_or:                /* rdi = dst, rsi = src, rdx = len, rcx = fallback */
    movq %rdi, %r8              /* the arguments again, for the fallback: */
    movq %rsi, %r9              /* caller-saved registers, which a fault's */
    movq %rdx, %r10             /* trap frame gives back unchanged */
    movq %rcx, %r11
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
    popfq                       /* AC as it was */
    xorl %eax, %eax
    ret
    .global uaccess_copy_failed
uaccess_copy_failed:            /* trap.c resumes here after a fault at uaccess_copy_insn */
    popfq
    movq %r8, %rdi
    movq %r9, %rsi
    movq %r10, %rdx
    jmp *%r11                   /* its result is the copy's */

/*
 * int64_t uaccess_strncpy(char *dst, const char *src, uint64_t size)
 * rdi = dst, rsi = src, rdx = size. Copies up to `size` bytes of a string,
 * eight at a time, and stops after its NUL: returns the string's length, or
 * `size` when no NUL came within it, or -1 when a fault stopped the copy (an
 * eight-byte load may run past a string that ends just before an unmapped
 * page: the caller's page walk then decides). A zero byte is found with
 * (v - 0x01..01) & ~v & 0x80..80, whose lowest set bit marks the first one.
 */
    .global uaccess_strncpy
uaccess_strncpy:
    pushfq
    cmpb $0, uaccess_smap(%rip)
    je 1f
    pushfq
    orq $RFLAGS_AC, (%rsp)
    popfq
1:  xorl %eax, %eax                 /* rax = bytes copied */
    movabsq $0x0101010101010101, %r8
    movabsq $0x8080808080808080, %r9
3:  movq %rdx, %rcx
    subq %rax, %rcx                 /* rcx = bytes left */
    cmpq $8, %rcx
    jb 5f
    .global uaccess_strncpy_load8
uaccess_strncpy_load8:
    movq (%rsi,%rax), %r10
    movq %r10, (%rdi,%rax)
    movq %r10, %r11
    subq %r8, %r11
    notq %r10
    andq %r10, %r11
    andq %r9, %r11
    jnz 4f
    addq $8, %rax
    jmp 3b
4:  bsfq %r11, %r11                 /* bit 8k + 7: the NUL is byte k */
    shrq $3, %r11
    addq %r11, %rax
    jmp 7f
5:  testq %rcx, %rcx                /* fewer than eight left: byte by byte */
    jz 7f
    .global uaccess_strncpy_load1
uaccess_strncpy_load1:
    movzbl (%rsi,%rax), %r10d
    movb %r10b, (%rdi,%rax)
    testb %r10b, %r10b
    jz 7f
    incq %rax
    decq %rcx
    jmp 5b
    .global uaccess_strncpy_failed
uaccess_strncpy_failed:         /* trap.c resumes here after a fault at a load */
    movq $-1, %rax
7:  popfq
    ret

    .data
    .global uaccess_smap
uaccess_smap:
    .byte 0
