#ifndef KERNEL_PROC_USER_STACK_H
#define KERNEL_PROC_USER_STACK_H

#include <stdint.h>

struct mm;
struct loaded_program;
struct exec_layout;

/* argv then envp strings, back to back, each NUL-terminated (boot_info.h). */
struct exec_strings {
    const char *base;
    uint64_t size;
    uint32_t argc, envc;
};

/*
 * Maps the 8 MiB demand-paged user stack below USER_STACK_TOP and the vDSO
 * (proc/vdso.h, for AT_SYSINFO_EHDR), and writes the System V start-up block:
 * argc, argv, envp, auxv and the strings they point to. Returns the initial
 * RSP (16-byte aligned, pointing at argc) in *sp and where the strings and
 * the auxv went in *layout, or -E2BIG / -EFAULT (malformed strings) /
 * -ENOMEM.
 */
int user_stack_build(struct mm *mm, const struct loaded_program *loaded,
                     const struct exec_strings *strings, uint64_t *sp,
                     struct exec_layout *layout);

#endif
