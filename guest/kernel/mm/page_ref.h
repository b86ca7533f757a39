/*
 * Sharing counts for user pages mapped by more than one address space (after
 * fork: copy-on-write pages, and shared read-only file pages). A page's count
 * is the number of *extra* mappings, so a page mapped once has 0 and the
 * table needs no set-up for pages that were never shared: it is reserved at
 * boot from never-used, hence zero, pages (untouched until the first fork).
 */
#ifndef KERNEL_MM_PAGE_REF_H
#define KERNEL_MM_PAGE_REF_H

#include <stdbool.h>
#include <stdint.h>

/* Sets up the table at boot, from never-used (zero) pages: later, with the
 * guest's memory handed out and returned a page at a time, no contiguous run
 * for it might be left (panics if it cannot: the guest is too small). */
void page_ref_init(void);
/* The table exists: 0 (kept for callers that check). */
int page_ref_ready(void);
/* One more mapping of the page at `pa` (page_ref_ready succeeded before). */
void page_ref_get(uint64_t pa);
/* One mapping fewer; true when it was the last one (the caller frees the page). */
bool page_ref_put(uint64_t pa);
/* False until the first page is shared: until then page_ref_put is always true. */
bool page_ref_in_use(void);
/* True while another address space maps the page too. */
bool page_ref_shared(uint64_t pa);

#endif
