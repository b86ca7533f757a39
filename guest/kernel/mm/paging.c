#include "mm/paging.h"

#include "arch/cpu.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/pmm.h"

/* The first entry of table[i, end) that is non-zero (`used`) or zero, or
 * `end`: one string instruction either way (pt_next_used, pt_next_empty). */
static inline unsigned scan_entries(const uint64_t *table, unsigned i, unsigned end, bool used)
{
    if (i >= end)
        return end;
    const uint64_t *cursor = table + i;
    uint64_t left = end - i;
    bool found;
    if (used)
        __asm__ volatile("repe scasq"
                         : "+D"(cursor), "+c"(left), "=@ccnz"(found)
                         : "a"(0ull)
                         : "memory");
    else
        __asm__ volatile("repne scasq"
                         : "+D"(cursor), "+c"(left), "=@ccz"(found)
                         : "a"(0ull)
                         : "memory");
    return found ? (unsigned)(cursor - table) - 1 : end;
}

unsigned pt_next_used(const uint64_t *table, unsigned i, unsigned end)
{
    return scan_entries(table, i, end, true);
}

unsigned pt_next_empty(const uint64_t *table, unsigned i, unsigned end)
{
    return scan_entries(table, i, end, false);
}

/*
 * A user-range entry of a root changed: under kvm_pvm the user PGD of the
 * pair (+4 KiB) gets the same entry, so that user mode sees what the kernel
 * mapped. Kernel entries are the kernel PGD's alone.
 */
static inline void pt_root_entry_changed(uint64_t *pml4, unsigned index)
{
#ifdef MINIVM_KERNEL_PVM
    if (index < PML4_KERNEL_FIRST)
        pml4[512 + index] = pml4[index];
#else
    (void)pml4;
    (void)index;
#endif
}

static unsigned index_at(uint64_t va, int level)
{
    return (unsigned)((va >> (12 + 9 * level)) & 511);
}

/* pt_walk when a table is missing (or a large page met): creates tables
 * as asked. Kept out of line so the common walk needs no saved registers. */
__attribute__((noinline)) static uint64_t *pt_walk_slow(uint64_t root_pa, uint64_t va, bool create,
                                                       uint64_t table_flags)
{
    uint64_t *table = phys_to_virt(root_pa);
    for (int level = 3; level > 0; level--) {
        uint64_t *entry = &table[index_at(va, level)];
        if (!(*entry & PTE_P)) {
            if (!create)
                return 0;
            uint64_t pa = pmm_alloc_zeroed_page();
            if (pa == 0)
                return 0;
            *entry = pa | table_flags | PTE_P;
            if (level == 3)
                pt_root_entry_changed(table, index_at(va, 3));
        } else if (*entry & PTE_PS) {
            return 0;
        }
        table = phys_to_virt(pte_page(*entry));
    }
    return &table[index_at(va, 0)];
}

/* A present entry that points to a table (not a large page). */
static inline bool is_table(uint64_t entry)
{
    return (entry & (PTE_P | PTE_PS)) == PTE_P;
}

static inline uint64_t *table_of(uint64_t entry)
{
    return phys_to_virt(pte_page(entry));
}

/*
 * The common case, every table present, unrolled: walks are on every fault
 * and user access, and each instruction is emulated under PVM (this takes
 * about half the instructions of the general loop).
 */
uint64_t *pt_walk(uint64_t root_pa, uint64_t va, bool create, uint64_t table_flags)
{
    uint64_t e = ((const uint64_t *)phys_to_virt(root_pa))[index_at(va, 3)];
    if (!is_table(e))
        goto slow;
    e = table_of(e)[index_at(va, 2)];
    if (!is_table(e))
        goto slow;
    e = table_of(e)[index_at(va, 1)];
    if (!is_table(e))
        goto slow;
    return &table_of(e)[index_at(va, 0)];
slow:
    return pt_walk_slow(root_pa, va, create, table_flags);
}

void pt_fill_from(uint64_t *pte, const uint64_t *pages, uint64_t n, uint64_t flags)
{
#pragma GCC unroll 4
    for (uint64_t i = 0; i < n; i++)
        pte[i] = pages[i] | flags;
}

void pt_fill(uint64_t *pte, uint64_t n, uint64_t entry)
{
#pragma GCC unroll 4
    for (uint64_t i = 0; i < n; i++, entry += PAGE_SIZE)
        pte[i] = entry;
}

int pt_map_range(uint64_t root_pa, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags,
                 uint64_t table_flags)
{
    uint64_t pages = len / PAGE_SIZE;
    while (pages > 0) {
        uint64_t *pte = pt_walk(root_pa, va, true, table_flags);
        if (pte == 0)
            return -1;
        /* The rest of this page table: a tight loop, no walk per page. */
        uint64_t n = 512 - index_at(va, 0);
        if (n > pages)
            n = pages;
        pt_fill(pte, n, pa | flags);
        pa += n * PAGE_SIZE;
        va += n * PAGE_SIZE;
        pages -= n;
    }
    return 0;
}

void pt_flush(uint64_t root_pa, uint64_t va)
{
    if ((read_cr3() & PTE_ADDR_MASK) == root_pa)
        invlpg(va);
}

/* What pt_free_user_tables hands out before a page table goes. */
struct table_release {
    pt_table_fn pages_fn;
    uint64_t pages_end;
    void *ctx;
};

/* Frees the table at `level` (0: a page table) covering from `base`, and
 * every table below it; a page table's entries below pages_end go to
 * pages_fn first. */
static void free_table(uint64_t pa, int level, uint64_t base, const struct table_release *rel)
{
    uint64_t *table = phys_to_virt(pa);
    if (level == 0 && rel->pages_fn != 0 && base < rel->pages_end) {
        uint64_t below = (rel->pages_end - base) / PAGE_SIZE;
        rel->pages_fn(base, table, 0, below < 512 ? (unsigned)below : 512, rel->ctx);
    }
    for (unsigned i = level > 0 ? pt_next_used(table, 0, 512) : 512; i < 512;
         i = pt_next_used_after(table, i, 512)) {
        if (table[i] & PTE_P)
            free_table(pte_page(table[i]), level - 1, base + ((uint64_t)i << (12 + 9 * level)),
                       rel);
    }
    pmm_free_page(pa);
}

void pt_free_user_tables(uint64_t root_pa, pt_table_fn pages_fn, uint64_t pages_end, void *ctx)
{
    const struct table_release rel = {.pages_fn = pages_fn, .pages_end = pages_end, .ctx = ctx};
    uint64_t *pml4 = phys_to_virt(root_pa);
    for (unsigned i = pt_next_used(pml4, 0, PML4_KERNEL_FIRST); i < PML4_KERNEL_FIRST;
         i = pt_next_used_after(pml4, i, PML4_KERNEL_FIRST)) {
        if (pml4[i] & PTE_P) {
            /* level 2 = the PDPT */
            free_table(pte_page(pml4[i]), 2, (uint64_t)i << 39, &rel);
            pml4[i] = 0;
            pt_root_entry_changed(pml4, i);
        }
    }
}

/*
 * Visits the used entries of the table at `level` covering [base, base +
 * 512 spans) that intersect [start, end): leaves (level 0) go to leaf_fn,
 * whole page tables to table_fn when given (then their leaves are not
 * visited one by one). Empty entries are skipped with pt_next_used.
 */
struct walk {
    uint64_t start, end;
    pt_leaf_fn leaf_fn;
    pt_table_fn table_fn;
    void *ctx;
};

static void walk_level(const struct walk *w, uint64_t table_pa, int level, uint64_t base)
{
    uint64_t *table = phys_to_virt(table_pa);
    uint64_t span = 1ull << (12 + 9 * level);
    unsigned first = w->start > base ? (unsigned)((w->start - base) / span) : 0;
    unsigned last = (w->end - base + span - 1) / span < 512 ? (unsigned)((w->end - base + span - 1) / span) : 512;
    if (level == 0 && w->table_fn != 0) {
        w->table_fn(base, table, first, last, w->ctx);
        return;
    }
    for (unsigned i = pt_next_used(table, first, last); i < last;
         i = pt_next_used_after(table, i, last)) {
        uint64_t lo = base + i * span;
        if (level == 0) {
            w->leaf_fn(lo, &table[i], w->ctx);
            continue;
        }
        if (!(table[i] & PTE_P) || (table[i] & PTE_PS))
            continue;
        walk_level(w, pte_page(table[i]), level - 1, lo);
    }
}

static void walk(uint64_t root_pa, struct walk *w)
{
    if (w->end > PT_USER_END)
        w->end = PT_USER_END;
    if (w->start >= w->end)
        return;
    walk_level(w, root_pa, 3, 0);
}

void pt_for_each_leaf(uint64_t root_pa, uint64_t start, uint64_t end, pt_leaf_fn fn, void *ctx)
{
    struct walk w = {.start = start, .end = end, .leaf_fn = fn, .ctx = ctx};
    walk(root_pa, &w);
}

void pt_for_each_table(uint64_t root_pa, uint64_t start, uint64_t end, pt_table_fn fn, void *ctx)
{
    struct walk w = {.start = start, .end = end, .table_fn = fn, .ctx = ctx};
    walk(root_pa, &w);
}

#ifdef MINIVM_KERNEL_PVM
/* Freed pairs, linked through their first word: pages come back from the
 * allocator one at a time, so a pair is kept whole for the next process. */
static uint64_t free_pairs;

uint64_t pt_root_alloc(void)
{
    uint64_t pa = free_pairs;
    if (pa != 0) {
        uint64_t *pair = phys_to_virt(pa);
        free_pairs = pair[0];
        memset(pair, 0, 2 * PAGE_SIZE);
        return pa;
    }
    return pmm_alloc_aligned_pair();
}

void pt_root_free(uint64_t root_pa)
{
    *(uint64_t *)phys_to_virt(root_pa) = free_pairs;
    free_pairs = root_pa;
}
#else
uint64_t pt_root_alloc(void)
{
    return pmm_alloc_zeroed_page();
}

void pt_root_free(uint64_t root_pa)
{
    pmm_free_page(root_pa);
}
#endif
