/*
 * Constants the higher-half kernel's entry code (syscall_entry.S,
 * trap_entry.S) shares with C (user_entry.c checks them against arch/cpu.h).
 */
#ifndef KERNEL_ARCH_UPPER_ENTRY_ABI_H
#define KERNEL_ARCH_UPPER_ENTRY_ABI_H

/* The page just above the user half (Linux's TASK_SIZE), never a user
 * mapping: LSTAR's trampoline (arch/user_entry.h). */
#define SYSCALL_TRAMPOLINE_VA 0x7ffffffff000
/* #PF error code: the fault was an instruction fetch. */
#define ENTRY_PF_FETCH 0x10
/* What a user RFLAGS may carry (arch/cpu.h USER_RFLAGS_MASK), and what the
 * kernel adds on the way back (IF, the reserved bit 1). */
#define ENTRY_USER_RFLAGS_MASK 0x244dd5
#define ENTRY_USER_RFLAGS_SET 0x202

#endif
