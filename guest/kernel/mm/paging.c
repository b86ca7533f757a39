#include "mm/paging.h"

#include "arch/cpu.h"
#include "mm/addr.h"
#include "mm/pmm.h"

static unsigned index_at(uint64_t va, int level)
{
    return (unsigned)((va >> (12 + 9 * level)) & 511);
}

uint64_t *pt_walk(uint64_t root_pa, uint64_t va, bool create, uint64_t table_flags)
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
        } else if (*entry & PTE_PS) {
            return 0;
        }
        table = phys_to_virt(pte_page(*entry));
    }
    return &table[index_at(va, 0)];
}

void pt_flush(uint64_t root_pa, uint64_t va)
{
    if ((read_cr3() & PTE_ADDR_MASK) == root_pa)
        invlpg(va);
}

static void free_table(uint64_t pa, int level)
{
    if (level > 0) {
        uint64_t *table = phys_to_virt(pa);
        for (unsigned i = 0; i < 512; i++) {
            if (table[i] & PTE_P)
                free_table(pte_page(table[i]), level - 1);
        }
    }
    pmm_free_page(pa);
}

void pt_free_user_tables(uint64_t root_pa)
{
    uint64_t *pml4 = phys_to_virt(root_pa);
    for (unsigned i = 0; i < PML4_KERNEL_FIRST; i++) {
        if (pml4[i] & PTE_P) {
            /* level 2 = the PDPT; its leaves (level 0 tables) hold no pages to free here */
            free_table(pte_page(pml4[i]), 2);
            pml4[i] = 0;
        }
    }
}

static void walk_level(uint64_t table_pa, int level, uint64_t base, uint64_t start, uint64_t end,
                       pt_leaf_fn fn, void *ctx)
{
    uint64_t *table = phys_to_virt(table_pa);
    uint64_t span = 1ull << (12 + 9 * level);
    for (unsigned i = 0; i < 512; i++) {
        uint64_t lo = base + i * span;
        uint64_t hi = lo + span;
        if (hi <= start || lo >= end)
            continue;
        if (level == 0) {
            fn(lo, &table[i], ctx);
            continue;
        }
        if (!(table[i] & PTE_P) || (table[i] & PTE_PS))
            continue;
        walk_level(pte_page(table[i]), level - 1, lo, start, end, fn, ctx);
    }
}

void pt_for_each_leaf(uint64_t root_pa, uint64_t start, uint64_t end, pt_leaf_fn fn, void *ctx)
{
    const uint64_t lower_half_end = 1ull << 47;
    if (end > lower_half_end)
        end = lower_half_end;
    if (start >= end)
        return;
    walk_level(root_pa, 3, 0, start, end, fn, ctx);
}
