/*
 * Loading a program into a fresh address space, for the first process and
 * for execve alike: an ELF executable, and when it names an interpreter
 * (PT_INTERP: glibc's ld-linux-x86-64.so.2, musl's ld-musl-x86_64.so.1) that
 * interpreter too, found on the guest's own filesystem. The process then
 * starts in the interpreter, which finds the program through the auxv.
 */
#ifndef KERNEL_PROC_PROGRAM_LOAD_H
#define KERNEL_PROC_PROGRAM_LOAD_H

#include <stdint.h>

#include "proc/elf_loader.h"

struct file;
struct mm;

struct loaded_program {
    struct elf_image_info program; /* AT_PHDR, AT_ENTRY, the heap's start */
    uint64_t interp_base;          /* AT_BASE: the interpreter's load address, 0 for none */
    uint64_t entry;                /* where the process starts */
};

/*
 * Maps `file` (`size` bytes) and its interpreter into `mm`. 0, or -ENOEXEC
 * (not an executable, or a bad interpreter), -ENOENT/-EACCES/... (the
 * interpreter could not be opened), -ENOMEM; *why says what was wrong (a
 * static buffer). `mm` may then hold part of it and should be destroyed.
 */
int program_load(struct mm *mm, struct file *file, uint64_t size, struct loaded_program *out,
                 const char **why);

#endif
