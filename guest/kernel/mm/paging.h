/*
 * 4-level x86-64 page tables, walked through the physmap. Used for user
 * mappings (lower half) and for the kernel's own 4 KiB mappings.
 */
#ifndef KERNEL_MM_PAGING_H
#define KERNEL_MM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4) /* with PWT: uncached, for device registers */
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
/* Software bit (ignored by the CPU): the entry keeps its page while the
 * mapping is PROT_NONE, so the contents survive mprotect(PROT_NONE). */
#define PTE_SW_PROTNONE (1ull << 9)
/* Software bit: the page is not ours to free or write (a shared read-only
 * page of a file, e.g. the program image); writing needs a private copy. */
#define PTE_SW_SHARED (1ull << 10)
/* Software bit: a private page shared with another address space after fork
 * (mm/page_ref.h counts the sharers). Mapped read-only; the first write
 * copies it, or just makes it writable once no one else maps it. */
#define PTE_SW_COW (1ull << 11)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Intermediate user page tables allow everything; the leaf decides. */
#define USER_TABLE_FLAGS (PTE_W | PTE_U)

/*
 * The PML4 entries below PML4_KERNEL_FIRST map user space, the rest the
 * kernel: the upper half, or (kvm_pvm native mode) slots 254 and 255.
 *
 * Kernel mappings: global in the higher-half kernel. Under kvm_pvm's native
 * mode the kernel runs at hardware CPL 3, so its pages need the U bit, and
 * none may be global: a global TLB entry would survive the host's switch to
 * the user PGD (docs/pvm.md). There each address space is an 8 KiB-aligned
 * PGD pair (kernel PGD, user PGD at +4 KiB) whose user-range entries are kept
 * equal (pt_walk, pt_free_user_tables).
 */
#ifdef MINIVM_KERNEL_PVM
#define PML4_KERNEL_FIRST 254
#define KERNEL_PTE_FLAGS PTE_U
#define KERNEL_TABLE_FLAGS (PTE_W | PTE_U)
#else
#define PML4_KERNEL_FIRST 256
#define KERNEL_PTE_FLAGS PTE_G
#define KERNEL_TABLE_FLAGS PTE_W
/*
 * A fresh, zeroed root for an address space: one page, or under kvm_pvm the
 * 8 KiB-aligned PGD pair (the returned address is the kernel PGD). 0 when
 * out of memory. pt_root_free gives it back.
 */
uint64_t pt_root_alloc(void);
void pt_root_free(uint64_t root_pa);

#endif
/* The virtual range one leaf page table maps (512 entries): 2 MiB. */
#define PT_LEAF_TABLE_SPAN (512ull * PAGE_SIZE)

/* The end of the user range the page tables can describe. */
#define PT_USER_END ((uint64_t)PML4_KERNEL_FIRST << 39)

/* The entry holds a page (present, or kept back by PROT_NONE). */
static inline bool pte_has_page(uint64_t pte)
{
    return (pte & (PTE_P | PTE_SW_PROTNONE)) != 0;
}

static inline uint64_t pte_page(uint64_t pte)
{
    return pte & PTE_ADDR_MASK;
}

/*
 * The leaf entry for `va` under `root_pa`, creating missing tables (with
 * `table_flags`) when `create`. NULL when absent (and !create), when a table
 * page cannot be allocated, or when the walk meets a large page.
 */
uint64_t *pt_walk(uint64_t root_pa, uint64_t va, bool create, uint64_t table_flags);

/* Sets pte[0..n) to entry, entry + PAGE_SIZE, ...: consecutive pages with
 * the same flags, in a loop of a few instructions per entry. */
void pt_fill(uint64_t *pte, uint64_t n, uint64_t entry);
/* Sets pte[0..n) to pages[0..n) | flags, as tightly. */
void pt_fill_from(uint64_t *pte, const uint64_t *pages, uint64_t n, uint64_t flags);

/*
 * Maps [va, va + len) to the physically contiguous [pa, pa + len) with leaf
 * `flags` (PTE_P included by the caller), creating missing tables with
 * `table_flags`. One walk per page table rather than per page: where kernel
 * instructions are emulated (PVM) a walk costs ~70 of them. Page-aligned
 * arguments; 0, or -1 when a table page cannot be allocated (entries mapped
 * so far stay).
 */
int pt_map_range(uint64_t root_pa, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags,
                 uint64_t table_flags);

/* Makes the change to the entry for `va` visible if `root_pa` is loaded. */
void pt_flush(uint64_t root_pa, uint64_t va);

/*
 * Calls fn(va, pte, ctx) for every non-empty leaf entry for va in [start,
 * end), skipping absent tables and empty entries wholesale, so a sparse
 * multi-terabyte range costs only what is mapped. Lower half only.
 */
typedef void (*pt_leaf_fn)(uint64_t va, uint64_t *pte, void *ctx);
void pt_for_each_leaf(uint64_t root_pa, uint64_t start, uint64_t end, pt_leaf_fn fn, void *ctx);

/* The same, a whole page table at a time: fn(va of entry 0, table, first,
 * last, ctx) for entries [first, last) of each present page table. */
typedef void (*pt_table_fn)(uint64_t base, uint64_t *table, unsigned first, unsigned last,
                            void *ctx);
void pt_for_each_table(uint64_t root_pa, uint64_t start, uint64_t end, pt_table_fn fn, void *ctx);

/* Frees every page-table page of the user range and clears the user-range
 * PML4 entries. The mapped pages are the caller's: when pages_fn is given,
 * each page table's entries for addresses below pages_end go to it, as
 * pt_for_each_table's would, just before the table is freed (one walk where
 * a teardown took two). */
void pt_free_user_tables(uint64_t root_pa, pt_table_fn pages_fn, uint64_t pages_end, void *ctx);

/*
 * The index of the first non-zero entry of table[i, end), or `end`: one
 * string instruction, which costs a fraction of a loop where every kernel
 * instruction is emulated (PVM).
 */
unsigned pt_next_used(const uint64_t *table, unsigned i, unsigned end);

/* The index of the first zero entry of table[i, end), or `end`: the end of a
 * run of used entries, by one string instruction too. */
unsigned pt_next_empty(const uint64_t *table, unsigned i, unsigned end);
/* The next non-zero entry after i: the neighbour itself is looked at first,
 * so a dense table costs a few instructions an entry and only a gap takes
 * the string instruction. */
static inline unsigned pt_next_used_after(const uint64_t *table, unsigned i, unsigned end)
{
    i++;
    return i < end && table[i] != 0 ? i : pt_next_used(table, i, end);
}
/* The next zero entry after i, the same way: one used entry (a fault's own)
 * costs a test, a stretch of them one string scan. */
static inline unsigned pt_next_empty_after(const uint64_t *table, unsigned i, unsigned end)
{
    i++;
    return i < end && table[i] == 0 ? i : pt_next_empty(table, i, end);
}

/*
 * A fresh, zeroed root for an address space: one page, or under kvm_pvm the
 * 8 KiB-aligned PGD pair (the returned address is the kernel PGD). 0 when
 * out of memory. pt_root_free gives it back.
 */
uint64_t pt_root_alloc(void);
void pt_root_free(uint64_t root_pa);

#endif
