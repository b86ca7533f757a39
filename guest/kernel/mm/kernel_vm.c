#include "mm/kernel_vm.h"

#include "arch/cpu.h"
#include "arch/stacks.h"
#include "arch/user_entry.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#include <stdbool.h>

/* Process kernel stacks live in their own window of the kernel half, each in a
 * slot whose lowest page is never mapped (the guard). */
#define KSTACK_AREA_BASE (KERNEL_VIRT_BASE + 0x20000000ull)
#define KSTACK_SLOT_SIZE (32 * 1024ull)
#define KSTACK_TABLES (KSTACK_SLOTS * KSTACK_SLOT_SIZE / (512 * PAGE_SIZE))

_Static_assert(PROCESS_KSTACK_SIZE + KSTACK_GUARD_SIZE <= KSTACK_SLOT_SIZE, "kstack slot");
/* Whole page tables (2 MiB each), and no slot spans two: see kstack_ptes. */
_Static_assert(KSTACK_AREA_BASE % (512 * PAGE_SIZE) == 0 &&
                   (512 * PAGE_SIZE) % KSTACK_SLOT_SIZE == 0 &&
                   KSTACK_SLOTS * KSTACK_SLOT_SIZE % (512 * PAGE_SIZE) == 0,
               "kernel-stack area in whole page tables");

/* The map area (kernel_vm_map_pages): a window of its own in the kernel's
 * PML4 slot, far from the image, the stacks and MMIO, in fixed slots; its
 * page tables exist from boot, so every process PML4 shares them. */
#define KMAP_AREA_BASE ((KERNEL_VIRT_BASE & ~((1ull << 39) - 1)) + (500ull << 30))
#define KMAP_SLOT_SIZE (KERNEL_MAP_SLOT_PAGES * PAGE_SIZE)
#define KMAP_SLOTS 512
#define KMAP_TABLES (KMAP_SLOTS * KMAP_SLOT_SIZE / (512 * PAGE_SIZE))
_Static_assert(KMAP_AREA_BASE % (512 * PAGE_SIZE) == 0, "map area starts a page table");

static uint64_t kernel_root;
static uint64_t kmap_slots_used[KMAP_SLOTS / 64]; /* bitmap */
/* The used kernel-half entries of kernel_root's PML4, for process PML4s. */
static uint16_t upper_used[512 - PML4_KERNEL_FIRST];
static unsigned upper_used_count;
static uint64_t kstack_slots_used[KSTACK_SLOTS / 64]; /* bitmap */

/* Maps the kernel image's pages [start, end) where the VMM loaded them. */
static void map_image_part(const char *start, const char *end, uint64_t flags)
{
    if (pt_map_range(kernel_root, (uint64_t)start, virt_to_phys(start),
                     (uint64_t)(end - start), flags | PTE_P | KERNEL_PTE_FLAGS,
                     KERNEL_TABLE_FLAGS) != 0)
        panic("out of memory mapping the kernel image");
}

static void unmap_kernel_page(uint64_t va)
{
    uint64_t *pte = pt_walk(kernel_root, va, false, 0);
    KASSERT(pte != 0);
    *pte = 0;
}

void kernel_vm_init(void)
{
    kernel_root = pt_root_alloc();
    if (kernel_root == 0)
        panic("out of memory building the kernel page tables");
    const uint64_t *boot_pml4 = phys_to_virt(read_cr3() & PTE_ADDR_MASK);
    uint64_t *pml4 = phys_to_virt(kernel_root);
    /* The physmap and whatever else the VMM put in the kernel half, except the
     * kernel window, which we rebuild with fine-grained pages. Empty entries
     * are skipped wholesale (pt_next_used). */
    for (unsigned i = pt_next_used(boot_pml4, PML4_KERNEL_FIRST, 512); i < 512;
         i = pt_next_used_after(boot_pml4, i, 512))
        if (i != KERNEL_WINDOW_SLOT)
            pml4[i] = boot_pml4[i];

    map_image_part(__kernel_start, __text_end, 0);              /* text: read + execute */
    map_image_part(__text_end, __rodata_end, PTE_NX);           /* rodata */
    map_image_part(__rodata_end, __kernel_end, PTE_W | PTE_NX); /* data, bss */
    uint64_t guards[8];
    unsigned n = static_stack_guards(guards, 8);
    for (unsigned i = 0; i < n; i++)
        unmap_kernel_page(guards[i]);

    /* Create the kernel-stack window's page tables now, so that every
     * process PML4 copied later shares them. */
    for (unsigned t = 0; t < KSTACK_TABLES; t++) {
        if (pt_walk(kernel_root, KSTACK_AREA_BASE + t * 512 * PAGE_SIZE, true,
                    KERNEL_TABLE_FLAGS) == 0)
            panic("out of memory mapping the kernel stack area");
    }

    for (unsigned t = 0; t < KMAP_TABLES; t++) {
        if (pt_walk(kernel_root, KMAP_AREA_BASE + t * 512 * PAGE_SIZE, true, KERNEL_TABLE_FLAGS) == 0)
            panic("out of memory mapping the kernel map area");
    }

    /* Every kernel-half PML4 entry exists now (later kernel mappings go into
     * the tables below them), so a process PML4 needs only these. */
    for (unsigned i = pt_next_used(pml4, PML4_KERNEL_FIRST, 512); i < 512;
         i = pt_next_used_after(pml4, i, 512))
        upper_used[upper_used_count++] = (uint16_t)i;

    address_space_load(kernel_root);
#ifndef MINIVM_KERNEL_PVM
    /* Our kernel mappings are global; drop any global TLB entries left from the
     * VMM's tables by toggling CR4.PGE. (The PVM layout has no global pages.) */
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

/* The leaf entries of a stack slot's pages: every slot lies within one of
 * the page tables kernel_vm_init made, so one walk serves the whole stack. */
static uint64_t *kstack_ptes(uint64_t bottom)
{
    uint64_t *pte = pt_walk(kernel_root, bottom, false, 0);
    KASSERT(pte != 0);
    return pte;
}

static void unmap_kstack_pages(uint64_t bottom, uint64_t pages)
{
    uint64_t *pte = kstack_ptes(bottom);
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
    uint64_t *pte = kstack_ptes(bottom);
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
        uint64_t *pte = pt_walk(kernel_root, base + i * PAGE_SIZE, false, 0);
        KASSERT(pte != 0);
        if (pa == 0) {
            kernel_vm_unmap_pages((void *)base, i);
            return 0;
        }
        *pte = pa | PTE_P | PTE_W | KERNEL_PTE_FLAGS | PTE_NX;
    }
    return (void *)base;
}
