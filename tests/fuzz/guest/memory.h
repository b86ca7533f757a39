/*
 * The memory a batch fuzzes with, at fixed addresses so a seed replays:
 *
 *   arena    regions the fuzzed calls may read, write, unmap and reprotect
 *            (data, MAP_SHARED, a private file mapping, read-only), each
 *            followed by a PROT_NONE guard page;
 *   structs  where each call's structures and strings are built: never given
 *            to the memory-management calls (protected);
 *   nx page  a data page used as a code address (executing it must fault);
 *   unmapped an address range the fuzzer keeps unmapped.
 *
 * Protected ranges (the program image, the libc heap, the stack, the structs,
 * the shared progress page) are never unmapped, reprotected or replaced by a
 * fuzzed call (guards.c moves such calls into the arena): corrupting the
 * fuzzer's own code or state could make it spin, and with no preemption in
 * the guest kernel a spinning batch would hang the whole VM.
 */
#ifndef GUEST_FUZZ_MEMORY_H
#define GUEST_FUZZ_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/guest/rng.h"

#define PAGE 4096ull

/* Pointer kinds: what a generated pointer points at. */
enum ptr_class {
    PTR_NONE,      /* not a pointer the fuzzer made */
    PTR_ARENA,     /* fuzzable memory: its state is whatever earlier calls left */
    PTR_STRUCT,    /* built for this call */
    PTR_TEXT,      /* the program's own code (only as a buffer the kernel reads) */
    PTR_SACRIFICE, /* read-only image pages that must never change */
    PTR_VDSO,      /* the vDSO or the vvar page */
    PTR_BAD,       /* null, guard pages, unmapped, kernel half, non-canonical */
};

/* How the kernel uses a pointer argument. */
enum ptr_use { USE_READ, USE_WRITE };

struct fuzz_ptr {
    uint64_t addr;
    uint64_t room; /* bytes from addr to the end of its region (0: none) */
    enum ptr_class cls;
};

/* Maps and fills the arena, struct area, nx page (once per batch). */
void memory_setup(struct rng *r, int file_fd);
/* A pointer of any kind, suitable for `use`. */
struct fuzz_ptr memory_pointer(struct rng *r, enum ptr_use use);
/* An address for a register (no allocation: safe in a signal handler):
 * the arena, text, the vDSO or a bad address. */
uint64_t memory_register_value(struct rng *r);
/* A pointer into the arena (fuzzable memory), page-aligned or not. */
uint64_t memory_arena_address(struct rng *r, bool page_aligned);
/* An address nobody may execute (for handlers, return addresses, RIP). */
uint64_t memory_bad_code_address(struct rng *r);
/* An invalid pointer (kernel half, non-canonical, guard, unmapped, null). */
uint64_t memory_bad_pointer(struct rng *r);
/* Total length of the fuzzable arena regions (for length choices). */
uint64_t memory_arena_span(void);
/* The first address past the arena. */
uint64_t memory_arena_end(void);

/* The per-call struct area: a bump allocator reset before each call. */
void structs_reset(void);
/* `n` zeroed bytes (8-aligned); NULL when the area is full. */
void *structs_alloc(size_t n);
/* `n` bytes that end exactly at the struct area's guard page. */
void *structs_at_guard(size_t n);
bool structs_contains(uint64_t addr);
/* The first address past the struct area (its guard page). */
uint64_t structs_end(void);

/* Protected ranges: set once the fuzzer's own memory is known. */
void memory_protect_init(uint64_t progress_page);
/* True when [start, start+len) touches a protected range (len 0 counts as 1). */
bool memory_is_protected(uint64_t start, uint64_t len);

/* Regions whose content must never change through another process: the
 * sacrificial text/rodata pages and the vDSO image. Checksum for supervisor. */
uint64_t memory_shared_image_checksum(void);

/* The nx page's address (data, never executable). */
uint64_t memory_nx_page(void);

/* Copy-on-write canary: private pages a batch fills with a pattern before it
 * forks. Its forked children scribble on their copies, directly and through
 * fuzzed output buffers; the batch's copy must never change. */
void memory_cow_fill(uint64_t seed);
bool memory_cow_intact(uint64_t seed);
/* After fork, in the child: write over the copy, and let fuzzed output
 * pointers aim at it too. */
void memory_cow_scribble(struct rng *r);
/* An address in the canary for a kernel write in the child (CLONE_CHILD_SETTID). */
uint64_t memory_cow_address(struct rng *r);

/* An address for a memory-management call: mostly the arena, also the vDSO,
 * the vvar page and the sacrificial image pages (never executed), the
 * fuzzer's earlier mappings, null and bad addresses. */
uint64_t memory_mm_address(struct rng *r);

#endif
