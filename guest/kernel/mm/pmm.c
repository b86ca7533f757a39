#include "mm/pmm.h"

#include "kernel/boot_info.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/addr.h"

#include <stdbool.h>

/* Each free range may be split around a few reserved areas. */
#define MAX_RANGES 32

struct bump_range {
    uint64_t next; /* first never-used page */
    uint64_t end;
};

static struct bump_range ranges[MAX_RANGES];
static unsigned range_count;
static uint64_t free_list; /* pa of the first freed page, 0 if none */
static uint64_t free_count;
static uint64_t total_count; /* every page the allocator was given */

struct interval {
    uint64_t start, end;
};

static void add_range(uint64_t start, uint64_t end)
{
    if (start >= end)
        return;
    if (range_count == MAX_RANGES)
        return; /* a pathological map: losing a fragment is harmless */
    ranges[range_count++] = (struct bump_range){.next = start, .end = end};
    free_count += (end - start) / PAGE_SIZE;
    total_count += (end - start) / PAGE_SIZE;
}

/* Adds [start, end) minus every reserved interval. */
static void add_minus_reserved(uint64_t start, uint64_t end, const struct interval *reserved,
                               unsigned nreserved)
{
    for (unsigned i = 0; i < nreserved && start < end; i++) {
        const struct interval *r = &reserved[i];
        if (r->end <= start || r->start >= end)
            continue;
        /* The part below the reserved interval stands alone; continue above it. */
        add_minus_reserved(start, r->start, reserved + i + 1, nreserved - i - 1);
        start = r->end;
    }
    add_range(start, end);
}

void pmm_init(void)
{
    const struct minivm_boot_info *bi = boot_info();
    /* The VMM promises the free ranges exclude these; we exclude them again so a
     * VMM bug cannot make us hand out the kernel or the program image. The
     * first MiB holds the boot info, the boot GDT and the VMM's page tables. */
    uint64_t kernel_pa_start = virt_to_phys(__kernel_start);
    uint64_t kernel_pa_end = virt_to_phys(__kernel_end);
    const struct interval reserved[] = {
        {0, MINIVM_KERNEL_PHYS_BASE},
        {page_floor(kernel_pa_start), page_ceil(kernel_pa_end)},
        {page_floor(bi->program_gpa), page_ceil(bi->program_gpa + bi->program_size)},
        {page_floor(bi->strings_gpa), page_ceil(bi->strings_gpa + bi->strings_size)},
    };
    for (uint32_t i = 0; i < bi->free_range_count; i++) {
        uint64_t start = page_ceil(bi->free[i].start);
        uint64_t end = page_floor(bi->free[i].start + bi->free[i].size);
        add_minus_reserved(start, end, reserved, sizeof reserved / sizeof reserved[0]);
    }
    if (free_count == 0)
        panic("no free RAM in the boot info");
}

static pmm_reclaim_fn reclaimer;
static bool reclaiming;

void pmm_set_reclaimer(pmm_reclaim_fn reclaim)
{
    reclaimer = reclaim;
}

/* Pages freed at once when memory runs out: enough for a burst of faults. */
#define RECLAIM_BATCH 256

/* A page; *fresh says whether it was never used (and so is still zero). */
static uint64_t alloc_page_once(bool *fresh);

static uint64_t alloc_page(bool *fresh)
{
    uint64_t pa = alloc_page_once(fresh);
    if (pa == 0 && reclaimer != 0 && !reclaiming) {
        /* Caches give their memory back before anything fails for lack of it. */
        reclaiming = true;
        uint64_t freed = reclaimer(RECLAIM_BATCH);
        reclaiming = false;
        if (freed > 0)
            pa = alloc_page_once(fresh);
    }
    return pa;
}

static uint64_t alloc_page_once(bool *fresh)
{
    if (free_list != 0) {
        uint64_t pa = free_list;
        free_list = *(uint64_t *)phys_to_virt(pa);
        free_count--;
        *fresh = false;
        return pa;
    }
    for (unsigned i = 0; i < range_count; i++) {
        if (ranges[i].next < ranges[i].end) {
            uint64_t pa = ranges[i].next;
            ranges[i].next += PAGE_SIZE;
            free_count--;
            *fresh = true;
            return pa;
        }
    }
    return 0;
}

uint64_t pmm_alloc_page(void)
{
    bool fresh;
    return alloc_page(&fresh);
}

uint64_t pmm_alloc_fresh_run(uint64_t max, uint64_t *count)
{
    for (unsigned i = 0; i < range_count; i++) {
        if (ranges[i].next < ranges[i].end) {
            uint64_t pa = ranges[i].next;
            uint64_t n = (ranges[i].end - pa) / PAGE_SIZE;
            if (n > max)
                n = max;
            ranges[i].next += n * PAGE_SIZE;
            free_count -= n;
            *count = n;
            return pa;
        }
    }
    *count = 0;
    return 0;
}

uint64_t pmm_alloc_fresh_page(void)
{
    uint64_t count;
    return pmm_alloc_fresh_run(1, &count);
}

uint64_t pmm_alloc_zeroed_page(void)
{
    bool fresh;
    uint64_t pa = alloc_page(&fresh);
    if (pa != 0 && !fresh)
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

uint64_t pmm_alloc_contiguous(uint64_t count)
{
    for (unsigned i = 0; i < range_count; i++) {
        if ((ranges[i].end - ranges[i].next) / PAGE_SIZE >= count) {
            uint64_t pa = ranges[i].next;
            ranges[i].next += count * PAGE_SIZE;
            free_count -= count;
            return pa;
        }
    }
    return 0;
}

uint64_t pmm_alloc_aligned_pair(void)
{
    for (unsigned i = 0; i < range_count; i++) {
        uint64_t pa = (ranges[i].next + 2 * PAGE_SIZE - 1) & ~(2 * PAGE_SIZE - 1);
        if (pa < ranges[i].end && ranges[i].end - pa >= 2 * PAGE_SIZE) {
            uint64_t skipped = ranges[i].next;
            ranges[i].next = pa + 2 * PAGE_SIZE;
            free_count -= 2;
            if (skipped != pa) {
                free_count--; /* pmm_free_page counts it back */
                pmm_free_page(skipped);
            }
            return pa; /* never used: zero */
        }
    }
    return 0;
}

void pmm_free_page(uint64_t pa)
{
    KASSERT(pa != 0 && (pa & (PAGE_SIZE - 1)) == 0);
    *(uint64_t *)phys_to_virt(pa) = free_list;
    free_list = pa;
    free_count++;
}

void pmm_free_batch_commit(struct pmm_free_batch *b)
{
    if (b->count == 0)
        return;
    *(uint64_t *)phys_to_virt(b->tail) = free_list;
    free_list = b->head;
    free_count += b->count;
    *b = (struct pmm_free_batch){0, 0, 0};
}

uint64_t pmm_free_pages(void)
{
    return free_count;
}

uint64_t pmm_total_pages(void)
{
    return total_count;
}
