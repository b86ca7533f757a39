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

int page_ref_ready(void)
{
    if (extra_refs != 0)
        return 0;
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
        return -ENOMEM;
    extra_refs = phys_to_virt(pa); /* never-used pages: already zero */
    frame_count = frames;
    return 0;
}

static uint16_t *slot(uint64_t pa)
{
    uint64_t frame = pa / PAGE_SIZE;
    KASSERT(frame < frame_count);
    return &extra_refs[frame];
}

void page_ref_get(uint64_t pa)
{
    KASSERT(extra_refs != 0);
    (*slot(pa))++;
}

bool page_ref_put(uint64_t pa)
{
    if (extra_refs == 0)
        return true;
    uint16_t *refs = slot(pa);
    if (*refs == 0)
        return true;
    (*refs)--;
    return false;
}

bool page_ref_in_use(void)
{
    return extra_refs != 0;
}

bool page_ref_shared(uint64_t pa)
{
    return extra_refs != 0 && *slot(pa) != 0;
}
