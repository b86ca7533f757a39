/*
 * Names for the addresses of a crash backtrace: each address is looked up
 * in the ELF symbol table (.symtab, else .dynsym) of the file mapped there,
 * read through the kernel's own file reads (the first program's image in
 * RAM, host files through the fileio device). The file is the program's:
 * untrusted. Every header field is bounds-checked and the work is capped
 * (sections, symbols, files, bytes read), so a hostile ELF only gets no names.
 */
#ifndef KERNEL_PROC_CRASH_SYMBOLS_H
#define KERNEL_PROC_CRASH_SYMBOLS_H

#include <stdint.h>

#include "proc/crash_backtrace.h"

struct process;

#define CRASH_NAME_MAX 96

struct crash_symbol {
    char name[CRASH_NAME_MAX]; /* empty when unknown */
    uint64_t offset;           /* of the address from the symbol's start */
    const char *file;          /* the mapped file's guest path, or NULL */
};

/* Fills out[i] for frames[i], i < n, in `p`'s address space. A return
 * address (every frame but the first) is looked up one byte back, so a call
 * that ends its function still names the caller. */
void crash_symbolize(struct process *p, const struct crash_frame *frames, int n,
                     struct crash_symbol *out);

#endif
