#ifndef KERNEL_PROC_ELF_LOADER_H
#define KERNEL_PROC_ELF_LOADER_H

#include <stdbool.h>
#include <stdint.h>

struct mm;
struct file;

/* Where static-PIE executables (ET_DYN without PT_INTERP) are placed, like
 * Linux's ELF_ET_DYN_BASE without randomization. */
#define ELF_DYN_BASE 0x555555554000ull

struct elf_image_info {
    uint64_t entry;     /* with load bias */
    uint64_t phdr_addr; /* AT_PHDR */
    uint16_t phent, phnum;
    uint64_t load_bias;
    uint64_t brk_start; /* page-aligned end of the highest segment */
    bool exec_stack;    /* no PT_GNU_STACK, or one with PF_X */
};

/*
 * Validates the untrusted ELF file of `size` bytes (the program image,
 * fs/image_file.h, or a host file; read through its read_phys operation)
 * completely (a static x86-64 executable: ET_EXEC, or ET_DYN without
 * PT_INTERP) and maps its PT_LOAD segments into `mm` with their permissions:
 * file pages demand-paged from the image, bss zero. On failure returns
 * -ENOEXEC (with *why saying what is wrong) or -ENOMEM; `mm` may then hold
 * part of the image and should be destroyed.
 */
int elf_load(struct mm *mm, struct file *image, uint64_t size, struct elf_image_info *info,
             const char **why);

#endif
