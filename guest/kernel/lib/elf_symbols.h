/*
 * Symbol lookup in an ELF64 symbol table (.symtab or .dynsym) given as bytes:
 * which function an address lies in, and its name from the string table.
 * Pure (no kernel services), so the crash report (proc/crash_report.c), the
 * kernel panic (kernel/panic.c) and host unit tests share it. The bytes are
 * untrusted (a program's own file, mapped by a hostile guest): every offset
 * is checked against the length given, nothing is assumed NUL-terminated.
 */
#ifndef KERNEL_LIB_ELF_SYMBOLS_H
#define KERNEL_LIB_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* sizeof(Elf64_Sym): the only entry size accepted. */
#define ELF_SYMBOL_ENTRY_SIZE 24u

/* The best symbol for an address so far; zero-initialize before the first scan. */
struct elf_symbol_match {
    bool found;
    bool inside;     /* addr < value + size (else only the nearest one before it) */
    uint64_t value;  /* st_value */
    uint64_t size;   /* st_size */
    uint32_t name;   /* st_name: offset in the string table */
};

/*
 * Looks at the whole entries in `table` (`bytes` long; a trailing partial
 * entry is ignored), which may be one piece of a larger table scanned piece
 * by piece into the same `best`. Candidates are defined code-like symbols
 * (FUNC, GNU_IFUNC, NOTYPE; not undefined, not absolute, no section symbols)
 * with st_value <= addr. A symbol whose [value, value + size) holds addr wins
 * over one that does not; among equals, the higher value; among those, the
 * first seen.
 */
void elf_symbols_scan(const void *table, size_t bytes, uint64_t addr,
                      struct elf_symbol_match *best);

/*
 * Copies the name at `offset` of string table `strtab` (`len` bytes) into
 * `out` (`cap` >= 1 bytes, always NUL-terminated), non-printable bytes as
 * '?'. A name longer than cap - 1 is cut there. Returns false (and an empty
 * `out`) when the offset is outside the table, the name is empty, or it runs
 * off the end of the table before a NUL and before cap - 1 characters.
 */
bool elf_symbol_name(const void *strtab, size_t len, uint32_t offset, char *out, size_t cap);

#endif
