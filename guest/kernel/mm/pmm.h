/*
 * Physical page allocator over the boot-info free ranges.
 *
 * Never-used pages are handed out by bumping a cursor through each range, so
 * untouched guest RAM stays untouched (the VMM's RAM is MAP_NORESERVE: a page
 * the guest never writes costs the host nothing). Freed pages go on a free
 * list threaded through the pages themselves and are reused first.
 *
 * Guest RAM is zero when the VM starts (the VMM's anonymous mapping), and the
 * VMM writes only what the boot info describes, so a never-used page is
 * already zero: pmm_alloc_zeroed_page clears only reused pages. That matters
 * where kernel instructions are emulated (PVM), as clearing costs per word.
 */
#ifndef KERNEL_MM_PMM_H
#define KERNEL_MM_PMM_H

#include <stdint.h>

#include "mm/addr.h"

void pmm_init(void);

/* A page's physical address, or 0 when memory is exhausted. Contents undefined. */
/* Called when no page is left, to free memory that is only a cache (the page
 * cache's unmapped files): the pages it freed. Set once at boot. */
typedef uint64_t (*pmm_reclaim_fn)(uint64_t pages);
void pmm_set_reclaimer(pmm_reclaim_fn reclaim);

uint64_t pmm_alloc_page(void);
/* Like pmm_alloc_page, zero-filled. */
uint64_t pmm_alloc_zeroed_page(void);
/* A never-used (hence zero) page, or 0 if none is left: for speculative
 * mappings that must not cost a clearing. */
uint64_t pmm_alloc_fresh_page(void);
/* Up to `max` (> 0) physically contiguous never-used pages: the first's
 * address and *count, or 0 when none is left. Fault-around takes its pages
 * a run at a time rather than a call per page. */
uint64_t pmm_alloc_fresh_run(uint64_t max, uint64_t *count);
/* `count` physically contiguous never-used pages, or 0. For the rare kernel
 * allocation larger than a page. */
uint64_t pmm_alloc_contiguous(uint64_t count);
/* Two never-used (so zero) pages, 8 KiB-aligned: a kvm_pvm PGD pair. 0 when
 * no free range holds one. */
uint64_t pmm_alloc_aligned_pair(void);
void pmm_free_page(uint64_t pa);

/*
 * Pages freed in bulk (munmap, exit): chained through themselves as the free
 * list is, then put on it in one step. Inline, because a call per page is most
 * of the cost where kernel instructions are emulated (PVM).
 */
struct pmm_free_batch {
    uint64_t head, tail, count;
};
static inline void pmm_free_batch_add(struct pmm_free_batch *b, uint64_t pa)
{
    *(uint64_t *)phys_to_virt(pa) = b->head;
    if (b->head == 0)
        b->tail = pa;
    b->head = pa;
    b->count++;
}
/* Puts the batch's pages on the free list and empties it. */
void pmm_free_batch_commit(struct pmm_free_batch *b);

uint64_t pmm_free_pages(void);
/* Every page the allocator manages, free or not (/proc/meminfo's MemTotal). */
uint64_t pmm_total_pages(void);

#endif
