/*
 * fork's copy of an address space, copy-on-write: the child gets the same
 * VMAs and page-table entries for the same pages; private pages become
 * read-only in both (PTE_SW_COW) and are copied by the first write, one page
 * at a time (mm.c, cow_break). No page is copied here: under PVM every kernel
 * instruction is emulated, and most of a forked child's memory is never
 * written before it calls execve.
 */
#include "mm/mm.h"

#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/page_ref.h"
#include "mm/paging.h"
#include "mm/vm_object.h"

struct clone_ctx {
    struct mm *child;
    struct page_refs refs;
    const struct vma *vma; /* cursor for vma_entries_end */
    int err;
};

/* One page table of the parent: the child's table at the same place gets
 * the same entries (found with pt_next_used, so empty ones cost little),
 * except those of VMAs whose pages all are their file's or object's: the
 * child's faults map those again, as Linux's fork leaves them too, so a
 * child that soon calls execve copies none of a program's text. A stretch
 * shorter than one fault's window (VM_OBJECT_FILL_MAX pages) is copied all
 * the same: a fault to map it again would cost more than its entries. */
static void clone_table(uint64_t base, uint64_t *table, unsigned first, unsigned last, void *arg)
{
    struct clone_ctx *ctx = arg;
    if (ctx->err != 0)
        return;
    uint64_t *dst = 0; /* made at the first entry to copy */
    for (unsigned i = pt_next_used(table, first, last); i < last;) {
        bool refaultable;
        unsigned stop = vma_entries_end(&ctx->vma, base, i, last, &refaultable);
        if (stop - i < VM_OBJECT_FILL_MAX)
            refaultable = false;
        /* MAP_SHARED memory stays shared and writable; private memory is
         * copy-on-write from now on, in both address spaces. */
        const struct vma *v = ctx->vma;
        bool shared = v != 0 && v->start <= base + (uint64_t)i * PAGE_SIZE &&
                      (v->flags & VMA_SHARED);
        for (; !refaultable && i < stop; i = pt_next_used_after(table, i, stop)) {
            uint64_t entry = table[i];
            if (!pte_has_page(entry))
                continue;
            if (dst == 0) {
                /* base is entry 0's address: the walk gives the table itself */
                dst = pt_walk(ctx->child->root_pa, base, true, USER_TABLE_FLAGS);
                if (dst == 0) {
                    ctx->err = -ENOMEM;
                    return;
                }
            }
            if (!(entry & PTE_SW_SHARED)) {
                if (!shared) {
                    entry = (entry & ~PTE_W) | PTE_SW_COW;
                    table[i] = entry;
                }
                page_refs_get(&ctx->refs, pte_page(entry));
            }
            dst[i] = entry;
        }
        i = pt_next_used(table, stop, last);
    }
}

struct mm *mm_clone(struct mm *parent)
{
    if (page_ref_ready() != 0)
        return 0;
    struct mm *child = mm_create();
    if (child == 0)
        return 0;
    if (mm_copy_vmas(child, parent) != 0) {
        mm_destroy(child);
        return 0;
    }
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    struct clone_ctx ctx = {.child = child, .vma = parent->vmas};
    page_refs_for_get(&ctx.refs);
    pt_for_each_table(parent->root_pa, USER_SPACE_START, USER_SPACE_END, clone_table, &ctx);
    /* The parent's entries lost PTE_W: drop its stale TLB entries at once. */
    mm_activate(parent);
    if (ctx.err != 0) {
        mm_destroy(child); /* gives back the references taken so far */
        return 0;
    }
    return child;
}
