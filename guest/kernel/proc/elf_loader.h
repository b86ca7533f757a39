#ifndef KERNEL_PROC_ELF_LOADER_H
#define KERNEL_PROC_ELF_LOADER_H

#include <stdbool.h>
#include <stdint.h>

struct mm;
struct file;

/* Where position-independent programs (ET_DYN) are placed, like Linux's
 * ELF_ET_DYN_BASE without randomization; their interpreters go top-down
 * below the mmap area's top, as Linux's mmap would place them. */
#define ELF_DYN_BASE 0x555555554000ull

/* The longest PT_INTERP path honoured (Linux: PATH_MAX). */
#define ELF_INTERP_MAX 4096u

enum elf_role {
    ELF_PROGRAM,     /* the program itself: may name an interpreter */
    ELF_INTERPRETER, /* the dynamic linker a program named: must not name one */
};

struct elf_image_info {
    uint64_t entry;     /* with load bias */
    uint64_t phdr_addr; /* AT_PHDR */
    uint16_t phent, phnum;
    uint64_t load_bias;
    uint64_t brk_start; /* page-aligned end of the highest segment */
    bool exec_stack;    /* no PT_GNU_STACK, or one with PF_X */
    /* PT_INTERP's path, NUL-terminated (valid until the next elf_load of a
     * program), or NULL for a static program. */
    const char *interp;
};

/*
 * Validates the untrusted ELF file of `size` bytes (the program image,
 * fs/image_file.h, or a host file; read through its read_phys operation)
 * completely (an x86-64 executable: ET_EXEC, or ET_DYN; for ELF_PROGRAM a
 * PT_INTERP names an absolute interpreter path) and maps its PT_LOAD
 * segments into `mm` with their permissions: file pages demand-paged from
 * the file, bss zero. On failure returns -ENOEXEC (with *why saying what is
 * wrong) or -ENOMEM; `mm` may then hold part of the image and should be
 * destroyed.
 */
int elf_load(struct mm *mm, struct file *image, uint64_t size, enum elf_role role,
             struct elf_image_info *info, const char **why);

#endif
