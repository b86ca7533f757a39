/* Copies the guest kernel's own ELF symbol table into guest RAM, for the
 * kernel's symbolized panic backtraces (boot_info.h: kernel_symtab_*). */
#ifndef MINIVM_CORE_KERNEL_SYMBOLS_H
#define MINIVM_CORE_KERNEL_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest table copied (either one); a bigger one is left out. */
#define KERNEL_SYMBOLS_MAX_BYTES (8u << 20)

struct kernel_symbols {
    uint64_t symtab_gpa, symtab_size; /* whole Elf64_Sym entries */
    uint64_t strtab_gpa, strtab_size;
};

/*
 * Finds .symtab (SHT_SYMTAB) and its string table in the kernel ELF
 * `image` (`size` bytes) and copies both to guest RAM from the page at or
 * after *phys_end, which it then moves past them. Every header field is
 * checked against the image; a kernel without a usable symbol table, or one
 * whose tables do not fit, just gets none (*out all zero): the symbols only
 * make panics readable. Returns 0, or -1 when the image's section headers are
 * out of its bounds (a broken ELF, with a message).
 */
int kernel_symbols_place(const struct guest_memory *mem, const uint8_t *image, size_t size,
                         uint64_t *phys_end, struct kernel_symbols *out);

#ifdef __cplusplus
}
#endif

#endif
