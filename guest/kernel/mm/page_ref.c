#include "mm/page_ref.h"

#include "kernel/boot_info.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/pmm.h"

/* Extra mappings per page frame; at most 64 processes share a page, so 16
 * bits never overflow. */
static uint16_t *extra_refs;
static uint64_t frame_count;
/* Set by the first page_refs_for_get: until then no count can be non-zero, and
 * freeing memory need not look any up. */
static bool any_shared;

int page_ref_ready(void)
{
    return extra_refs != 0 ? 0 : -ENOMEM;
}

void page_ref_init(void)
{
    const struct minivm_boot_info *bi = boot_info();
    uint64_t top = 0;
    for (uint32_t i = 0; i < bi->ram_range_count; i++) {
        uint64_t end = bi->ram[i].start + bi->ram[i].size;
        if (end > top)
            top = end;
    }
    uint64_t frames = top / PAGE_SIZE;
    uint64_t pa = pmm_alloc_contiguous(page_ceil(frames * sizeof *extra_refs) / PAGE_SIZE);
    if (pa == 0)
        panic("no room for the page sharing counts");
    extra_refs = phys_to_virt(pa); /* never-used pages: already zero */
    frame_count = frames;
}

static uint16_t *slot(uint64_t pa)
{
    uint64_t frame = pa / PAGE_SIZE;
    KASSERT(frame < frame_count);
    return &extra_refs[frame];
}

void page_refs_for_get(struct page_refs *r)
{
    KASSERT(extra_refs != 0);
    any_shared = true;
    *r = (struct page_refs){.counts = extra_refs, .frames = frame_count};
}

void page_refs_for_put(struct page_refs *r)
{
    *r = (struct page_refs){.counts = any_shared ? extra_refs : 0, .frames = frame_count};
}

bool page_ref_put(uint64_t pa)
{
    if (!any_shared)
        return true;
    uint16_t *refs = slot(pa);
    if (*refs == 0)
        return true;
    (*refs)--;
    return false;
}

bool page_ref_shared(uint64_t pa)
{
    return any_shared && *slot(pa) != 0;
}
