#include "mm/kernel_vm.h"

#include "arch/cpu.h"
#include "arch/stacks.h"
#include "arch/user_entry.h"
#include "kernel/panic.h"
#include "mm/addr.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#include <stdbool.h>

/* Process kernel stacks live in their own window of the kernel half, each in a
 * slot whose lowest page is never mapped (the guard). */
#define KSTACK_AREA_BASE (KERNEL_VIRT_BASE + 0x20000000ull)
#define KSTACK_SLOT_SIZE (32 * 1024ull)

_Static_assert(PROCESS_KSTACK_SIZE + KSTACK_GUARD_SIZE <= KSTACK_SLOT_SIZE, "kstack slot");
/* Whole page tables (2 MiB each), and no slot spans two: see kstack_ptes. */
_Static_assert(KSTACK_AREA_BASE % (512 * PAGE_SIZE) == 0 &&
                   (512 * PAGE_SIZE) % KSTACK_SLOT_SIZE == 0 &&
                   KSTACK_SLOTS * KSTACK_SLOT_SIZE % (512 * PAGE_SIZE) == 0,
               "kernel-stack area in whole page tables");

/* The map area (kernel_vm_map_pages): a window of its own in the kernel's
 * PML4 slot, far from the image, the stacks and MMIO, in fixed slots; its
 * page tables are made as slots are first used, below the PML4 entry every
 * process PML4 shares. */
#define KMAP_AREA_BASE ((KERNEL_VIRT_BASE & ~((1ull << 39) - 1)) + (500ull << 30))
#define KMAP_SLOT_SIZE (KERNEL_MAP_SLOT_PAGES * PAGE_SIZE)
#define KMAP_SLOTS 512
_Static_assert(KMAP_AREA_BASE % (512 * PAGE_SIZE) == 0, "map area starts a page table");

static uint64_t kernel_root;
static uint64_t kmap_slots_used[KMAP_SLOTS / 64]; /* bitmap */
/* The used kernel-half entries of kernel_root's PML4, for process PML4s. */
static uint16_t upper_used[512 - PML4_KERNEL_FIRST];
static unsigned upper_used_count;
static uint64_t kstack_slots_used[KSTACK_SLOTS / 64]; /* bitmap */

/* Unmaps the static stacks' guard pages in the image the VMM mapped: one walk
 * per page table, as they all lie in the image's one or two. */
static void unmap_stack_guards(void)
{
    uint64_t guards[8];
    unsigned n = static_stack_guards(guards, 8);
    uint64_t *table = 0;
    uint64_t table_base = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t base = guards[i] & ~(PT_LEAF_TABLE_SPAN - 1);
        if (table == 0 || base != table_base) {
            uint64_t *pte = pt_walk(kernel_root, base, false, 0);
            KASSERT(pte != 0);
            table = pte;
            table_base = base;
        }
        table[(guards[i] - base) / PAGE_SIZE] = 0;
    }
}

/*
 * The VMM mapped the image's segments W^X with 4 KiB pages (minivm/boot_info.h),
 * so the boot tables' kernel half is already ours: a root of our own takes its
 * entries, and only the stacks' guard pages are cut out. Page tables the
 * kernel adds later (stacks, the map area, MMIO) go below the window's PML4
 * entry, which every process PML4 shares.
 */
void kernel_vm_init(void)
{
    kernel_root = pt_root_alloc();
    if (kernel_root == 0)
        panic("out of memory building the kernel page tables");
    const uint64_t *boot_pml4 = phys_to_virt(read_cr3() & PTE_ADDR_MASK);
    uint64_t *pml4 = phys_to_virt(kernel_root);
    for (unsigned i = pt_next_used(boot_pml4, PML4_KERNEL_FIRST, 512); i < 512;
         i = pt_next_used_after(boot_pml4, i, 512)) {
        pml4[i] = boot_pml4[i];
        upper_used[upper_used_count++] = (uint16_t)i;
    }
    if (pml4[KERNEL_WINDOW_SLOT] == 0)
        panic("the VMM mapped no kernel window");
    unmap_stack_guards();

    address_space_load(kernel_root);
#ifndef MINIVM_KERNEL_PVM
    /* Drop global TLB entries of the guard pages (and any others the VMM's
     * tables left) by toggling CR4.PGE. (The PVM layout has no global pages.) */
    uint64_t cr4 = read_cr4();
    write_cr4(cr4 & ~(1ull << 7));
    write_cr4(cr4);
#endif
}

uint64_t kernel_vm_root(void)
{
    return kernel_root;
}

void kernel_vm_share_upper_half(uint64_t pml4_pa)
{
    const uint64_t *src = phys_to_virt(kernel_root);
    uint64_t *dst = phys_to_virt(pml4_pa);
    for (unsigned k = 0; k < upper_used_count; k++)
        dst[upper_used[k]] = src[upper_used[k]];
}

/* The leaf entries of a stack slot's pages: no slot spans two page tables,
 * so one walk serves the whole stack. The area's tables are made as slots are
 * first used (NULL when that fails); they stay. */
static uint64_t *kstack_ptes(uint64_t bottom, bool create)
{
    uint64_t *pte = pt_walk(kernel_root, bottom, create, KERNEL_TABLE_FLAGS);
    KASSERT(pte != 0 || create);
    return pte;
}

static void unmap_kstack_pages(uint64_t bottom, uint64_t pages)
{
    uint64_t *pte = kstack_ptes(bottom, false);
    for (uint64_t i = 0; i < pages; i++) {
        if (pte[i] & PTE_P) {
            pmm_free_page(pte_page(pte[i]));
            pte[i] = 0;
            invlpg(bottom + i * PAGE_SIZE);
        }
    }
}

uint64_t kstack_alloc(void)
{
    unsigned slot = 0;
    while (slot < KSTACK_SLOTS && (kstack_slots_used[slot / 64] & (1ull << (slot % 64))))
        slot++;
    if (slot == KSTACK_SLOTS)
        return 0;
    uint64_t bottom = KSTACK_AREA_BASE + slot * KSTACK_SLOT_SIZE + KSTACK_GUARD_SIZE;
    uint64_t pages = PROCESS_KSTACK_SIZE / PAGE_SIZE;
    uint64_t *pte = kstack_ptes(bottom, true);
    if (pte == 0)
        return 0;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t pa = pmm_alloc_zeroed_page();
        if (pa == 0) {
            unmap_kstack_pages(bottom, i);
            return 0;
        }
        pte[i] = pa | PTE_P | PTE_W | KERNEL_PTE_FLAGS | PTE_NX;
    }
    kstack_slots_used[slot / 64] |= 1ull << (slot % 64);
    return bottom + PROCESS_KSTACK_SIZE;
}

void kstack_free(uint64_t top)
{
    uint64_t bottom = top - PROCESS_KSTACK_SIZE;
    uint64_t slot = (bottom - KSTACK_AREA_BASE - KSTACK_GUARD_SIZE) / KSTACK_SLOT_SIZE;
    KASSERT(slot < KSTACK_SLOTS &&
            bottom == KSTACK_AREA_BASE + slot * KSTACK_SLOT_SIZE + KSTACK_GUARD_SIZE);
    unmap_kstack_pages(bottom, PROCESS_KSTACK_SIZE / PAGE_SIZE);
    kstack_slots_used[slot / 64] &= ~(1ull << (slot % 64));
}

bool kernel_vm_in_map_area(const void *va)
{
    return (uint64_t)va - KMAP_AREA_BASE < (uint64_t)KMAP_SLOTS * KMAP_SLOT_SIZE;
}

void kernel_vm_unmap_pages(void *va, uint64_t pages)
{
    uint64_t base = (uint64_t)va;
    uint64_t slot = (base - KMAP_AREA_BASE) / KMAP_SLOT_SIZE;
    KASSERT(kernel_vm_in_map_area(va) && base == KMAP_AREA_BASE + slot * KMAP_SLOT_SIZE &&
            pages <= KERNEL_MAP_SLOT_PAGES);
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t *pte = pt_walk(kernel_root, base + i * PAGE_SIZE, false, 0);
        KASSERT(pte != 0);
        if (*pte & PTE_P) {
            pmm_free_page(pte_page(*pte));
            *pte = 0;
            invlpg(base + i * PAGE_SIZE);
        }
    }
    kmap_slots_used[slot / 64] &= ~(1ull << (slot % 64));
}

void *kernel_vm_map_pages(uint64_t pages)
{
    if (pages == 0 || pages > KERNEL_MAP_SLOT_PAGES)
        return 0;
    unsigned slot = 0;
    while (slot < KMAP_SLOTS && (kmap_slots_used[slot / 64] & (1ull << (slot % 64))))
        slot++;
    if (slot == KMAP_SLOTS)
        return 0;
    kmap_slots_used[slot / 64] |= 1ull << (slot % 64);
    uint64_t base = KMAP_AREA_BASE + slot * KMAP_SLOT_SIZE;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t pa = pmm_alloc_zeroed_page();
        /* The area's tables are made as slots are first used; they stay. */
        uint64_t *pte = pt_walk(kernel_root, base + i * PAGE_SIZE, true, KERNEL_TABLE_FLAGS);
        if (pa == 0 || pte == 0) {
            if (pa != 0)
                pmm_free_page(pa);
            kernel_vm_unmap_pages((void *)base, i);
            return 0;
        }
        *pte = pa | PTE_P | PTE_W | KERNEL_PTE_FLAGS | PTE_NX;
    }
    return (void *)base;
}
