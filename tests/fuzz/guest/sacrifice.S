/*
 * Two pages of program text and two of read-only data that fuzzed calls aim
 * their output buffers at (memory.c). They are mapped straight from the
 * program image that every process shares, so a write that got through
 * (a kernel bug) would show in the supervisor's checksum, not in code the
 * fuzzer runs.
 */
    .section .text.fuzz_sacrifice, "ax", @progbits
    .balign 4096
    .globl sacrificial_text, sacrificial_text_end
sacrificial_text:
    .fill 8192, 1, 0xcc
sacrificial_text_end:

    .section .rodata.fuzz_sacrifice, "a", @progbits
    .balign 4096
    .globl sacrificial_rodata, sacrificial_rodata_end
sacrificial_rodata:
    .fill 8192, 1, 0x5a
sacrificial_rodata_end:

    .section .note.GNU-stack, "", @progbits
