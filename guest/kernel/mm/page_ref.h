/*
 * Sharing counts for user pages mapped by more than one address space (after
 * fork: copy-on-write pages, and shared read-only file pages). A page's count
 * is the number of *extra* mappings, so a page mapped once has 0 and the
 * table needs no set-up for pages that were never shared: it is reserved at
 * boot from never-used, hence zero, pages (untouched until the first fork).
 */
#ifndef KERNEL_MM_PAGE_REF_H
#define KERNEL_MM_PAGE_REF_H

#include "kernel/panic.h"

#include <stdbool.h>
#include <stdint.h>

/* Sets up the table at boot, from never-used (zero) pages: later, with the
 * guest's memory handed out and returned a page at a time, no contiguous run
 * for it might be left (panics if it cannot: the guest is too small). */
void page_ref_init(void);
/* The table exists: 0 (kept for callers that check). */
int page_ref_ready(void);
/* One mapping fewer; true when it was the last one (the caller frees the page). */
bool page_ref_put(uint64_t pa);
/* True while another address space maps the page too. */
bool page_ref_shared(uint64_t pa);

/*
 * The counts as a walk over many entries reads them once (fork's copy, a
 * teardown, an unmap), so that a page costs a bounds check and an add: the
 * table, or counts NULL while no page was ever shared (each put is then the
 * last).
 */
struct page_refs {
    uint16_t *counts;
    uint64_t frames;
};
/* For a walk that adds mappings (fork; page_ref_ready succeeded before):
 * pages count as shared from now on. */
void page_refs_for_get(struct page_refs *r);
/* For a walk that drops mappings. */
void page_refs_for_put(struct page_refs *r);

/* One more mapping of the page at `pa`. */
static inline void page_refs_get(const struct page_refs *r, uint64_t pa)
{
    uint64_t frame = pa >> 12;
    KASSERT(frame < r->frames);
    r->counts[frame]++;
}

/* One mapping fewer; true when it was the last one (the caller frees the page). */
static inline bool page_refs_put(const struct page_refs *r, uint64_t pa)
{
    if (r->counts == 0)
        return true;
    uint64_t frame = pa >> 12;
    KASSERT(frame < r->frames);
    if (r->counts[frame] == 0)
        return true;
    r->counts[frame]--;
    return false;
}

#endif
