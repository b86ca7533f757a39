/*
 * Names for the kernel's own code addresses, from the symbol table the VMM
 * copied into RAM at boot (boot_info.h: kernel_symtab_*), for panic
 * backtraces and the kernel-fault report.
 */
#ifndef KERNEL_KERNEL_KERNEL_SYMBOLS_H
#define KERNEL_KERNEL_KERNEL_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes "name+0xoff" for kernel address `addr` into `buf` (`size` > 0
 * bytes); "?" when no symbol holds it or there is no symbol table. A
 * `return_address` is looked up one byte back (the call before it), so a
 * call that ends its function names that function. Safe in a panic: reads
 * only the boot info's tables, checked to lie in RAM. */
void kernel_symbol_name(uint64_t addr, bool return_address, char *buf, size_t size);

#endif
