/*
 * Guest-virtual memory of a user process, read through its own page tables:
 * a 4-level walk (4 KiB, 2 MiB and 1 GiB pages) from a CR3 value, every
 * table entry read through the core's checked guest_memory_ptr() and copied
 * once. Only user pages (U at every level, below `user_end`) are reachable:
 * the stub shows gdb the program, not the guest kernel.
 *
 * Writes go only to pages the process may write itself (W at every level).
 * A read-only page can be shared (file text in the guest's page cache, pages
 * shared copy-on-write with a forked child), and a write through the
 * physical page would change them for every process: refused. The stub's own
 * software breakpoints are the one exception (guest_page_patch_byte): an
 * int3 is put into shared text on purpose and taken out again, and other
 * processes are stepped over it (docs/architecture.md).
 */
#ifndef MINIVM_CORE_GDB_GUEST_PAGE_WALK_H
#define MINIVM_CORE_GDB_GUEST_PAGE_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"

#ifdef __cplusplus
extern "C" {
#endif

struct guest_address_space {
    const struct guest_memory *memory;
    uint64_t cr3;      /* the PML4's physical address (flag bits ignored) */
    uint64_t user_end; /* first address that is not user space */
    /* The stub's own look at the guest kernel (which thread runs: the TSS),
     * never gdb's: supervisor pages too, at any address. */
    bool supervisor;
};

struct guest_page {
    uint64_t gpa;    /* physical address of the virtual address asked for */
    uint64_t span;   /* bytes from there to the end of its page */
    bool writable;   /* W at every level */
};

/* 0 and *page, or -1 when `va` is not a present user page. */
int guest_page_walk(const struct guest_address_space *as, uint64_t va, struct guest_page *page);

/* Bytes read / written from the start of [va, va+len) before the first
 * unreachable (or, for writes, read-only) page. */
size_t guest_virt_read(const struct guest_address_space *as, uint64_t va, uint8_t *buf,
                       size_t len);
size_t guest_virt_write(const struct guest_address_space *as, uint64_t va, const uint8_t *buf,
                        size_t len);

/* Replaces the byte at `va` (any present user page, read-only too) by
 * `value`, returning the old one in *old. 0, or -1 when unreachable. */
int guest_page_patch_byte(const struct guest_address_space *as, uint64_t va, uint8_t value,
                          uint8_t *old);

#ifdef __cplusplus
}
#endif

#endif
