#include "mm/mm.h"

#include "arch/cpu.h"
#include "arch/user_entry.h"
#include "fs/file.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kernel_vm.h"
#include "mm/kheap.h"
#include "mm/page_ref.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "mm/vm_object.h"

static uint64_t prot_to_pte(uint32_t prot)
{
    if ((prot & PROT_MASK) == PROT_NONE)
        return PTE_SW_PROTNONE; /* not present: every access faults */
    uint64_t flags = PTE_P | PTE_U;
    if (prot & PROT_WRITE)
        flags |= PTE_W;
    if (!(prot & PROT_EXEC))
        flags |= PTE_NX;
    return flags;
}

static bool access_allowed(uint32_t prot, uint32_t access)
{
    if ((prot & PROT_MASK) == PROT_NONE)
        return false;
    if ((access & ACCESS_WRITE) && !(prot & PROT_WRITE))
        return false;
    if ((access & ACCESS_EXEC) && !(prot & PROT_EXEC))
        return false;
    return true; /* x86 pages are readable whenever present */
}

struct mm *mm_create(void)
{
    struct mm *mm = kzalloc(sizeof *mm);
    if (mm == 0)
        return 0;
    mm->users = 1;
    mm->root_pa = pt_root_alloc();
    if (mm->root_pa == 0) {
        kfree(mm);
        return 0;
    }
    kernel_vm_share_upper_half(mm->root_pa);
    if (user_entry_map(mm->root_pa) != 0) {
        pt_free_user_tables(mm->root_pa, 0, 0, 0);
        pt_root_free(mm->root_pa);
        kfree(mm);
        return 0;
    }
    return mm;
}

void mm_get(struct mm *mm)
{
    mm->users++;
}

void mm_put(struct mm *mm)
{
    if (--mm->users == 0)
        mm_destroy(mm);
}

void mm_activate(struct mm *mm)
{
    address_space_load(mm->root_pa);
}

void mm_activate_kernel(void)
{
    address_space_load(kernel_vm_root());
}

struct vma *mm_find_vma(struct mm *mm, uint64_t va)
{
    /* From the VMA found last when va lies at or past its start (those
     * before it end below it), else from the first. */
    struct vma *v = mm->last_found;
    if (v == 0 || v->start > va)
        v = mm->vmas;
    for (; v != 0 && v->start <= va; v = v->next) {
        if (va < v->end)
            return mm->last_found = v;
    }
    return 0;
}

bool mm_range_is_free(struct mm *mm, uint64_t start, uint64_t end)
{
    /* From the VMA found last when it starts at or below `start` (those
     * before it end below it, so below `start`), as mm_find_vma does: growing
     * the mapping just found looks at its neighbour alone. */
    struct vma *v = mm->last_found;
    if (v == 0 || v->start > start)
        v = mm->vmas;
    for (; v != 0 && v->start < end; v = v->next) {
        if (v->end > start)
            return false;
    }
    return true;
}

/* --- VMA list --------------------------------------------------------------- */

static void vma_free(struct mm *mm, struct vma *v)
{
    if (v->file != 0)
        file_put(v->file);
    if (v->object != 0)
        vm_object_put(v->object);
    if (mm->last_found == v)
        mm->last_found = 0;
    kfree(v);
    mm->vma_count--;
}

static void vma_unlink(struct mm *mm, struct vma *v)
{
    if (v->prev != 0)
        v->prev->next = v->next;
    else
        mm->vmas = v->next;
    if (v->next != 0)
        v->next->prev = v->prev;
}

/* Two neighbouring VMAs that behave identically become one. */
static bool vma_can_merge(const struct vma *a, const struct vma *b)
{
    if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
        a->file != b->file || a->object != b->object)
        return false;
    return (a->file == 0 && a->object == 0) || a->offset + (a->end - a->start) == b->offset;
}

/* Merges `v` with its neighbours where possible; returns the surviving VMA. */
static struct vma *vma_merge_around(struct mm *mm, struct vma *v)
{
    if (v->next != 0 && vma_can_merge(v, v->next)) {
        struct vma *n = v->next;
        v->end = n->end;
        vma_unlink(mm, n);
        vma_free(mm, n);
    }
    if (v->prev != 0 && vma_can_merge(v->prev, v)) {
        struct vma *p = v->prev;
        p->end = v->end;
        vma_unlink(mm, v);
        vma_free(mm, v);
        v = p;
    }
    return v;
}

/* Splits `v` at `addr` (strictly inside it); `v` keeps the lower part. */
static int vma_split(struct mm *mm, struct vma *v, uint64_t addr)
{
    if (mm->vma_count >= MM_MAX_VMAS)
        return -ENOMEM;
    struct vma *upper = kzalloc(sizeof *upper);
    if (upper == 0)
        return -ENOMEM;
    *upper = *v;
    upper->start = addr;
    upper->offset += addr - v->start;
    if (upper->file != 0)
        file_get(upper->file);
    if (upper->object != 0)
        vm_object_get(upper->object);
    v->end = addr;
    upper->prev = v;
    if (v->next != 0)
        v->next->prev = upper;
    v->next = upper;
    mm->vma_count++;
    return 0;
}

/* Ensures no VMA straddles `addr`. */
static int split_at(struct mm *mm, uint64_t addr)
{
    struct vma *v = mm_find_vma(mm, addr);
    if (v == 0 || v->start == addr)
        return 0;
    return vma_split(mm, v, addr);
}

int mm_map(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot, uint32_t flags,
           struct file *file, struct vm_object *object, uint64_t offset)
{
    KASSERT(start < end && (start & ~PAGE_MASK) == 0 && (end & ~PAGE_MASK) == 0);
    KASSERT(start >= USER_SPACE_START && end <= USER_SPACE_END);
    if (mm->vma_count >= MM_MAX_VMAS)
        return -ENOMEM;
    struct vma *v = kzalloc(sizeof *v);
    if (v == 0)
        return -ENOMEM;
    *v = (struct vma){.start = start, .end = end, .prot = prot, .flags = flags,
                      .file = file, .object = object, .offset = offset};
    if (file != 0)
        file_get(file);
    if (object != 0)
        vm_object_get(object);
    /* Mappings come in ascending order (a program's segments, then its
     * stack): the search starts at the last VMA found when that lies below. */
    struct vma *prev = 0, *next = mm->vmas;
    if (mm->last_found != 0 && mm->last_found->start < start) {
        prev = mm->last_found;
        next = prev->next;
    }
    while (next != 0 && next->start < start) {
        prev = next;
        next = next->next;
    }
    v->prev = prev;
    v->next = next;
    if (prev != 0)
        prev->next = v;
    else
        mm->vmas = v;
    if (next != 0)
        next->prev = v;
    mm->vma_count++;
    mm->last_found = vma_merge_around(mm, v);
    return 0;
}

int mm_copy_vmas(struct mm *child, const struct mm *parent)
{
    KASSERT(child->vmas == 0);
    struct vma *tail = 0;
    for (const struct vma *p = parent->vmas; p != 0; p = p->next) {
        /* The parent's list is sorted, apart and merged already: appended
         * as it is, without mm_map's search and merge for each. */
        struct vma *v = kzalloc(sizeof *v);
        if (v == 0)
            return -ENOMEM;
        *v = *p;
        v->prev = tail;
        v->next = 0;
        if (v->file != 0)
            file_get(v->file);
        if (v->object != 0)
            vm_object_get(v->object);
        if (tail != 0)
            tail->next = v;
        else
            child->vmas = v;
        tail = v;
        child->vma_count++;
    }
    return 0;
}

/* --- page-level work -------------------------------------------------------- */

struct leaf_ctx {
    struct mm *mm;
    uint64_t value; /* new PTE flags (protect) */
};

/*
 * Up to this many pages are unmapped with an invlpg each; a larger range
 * flushes the TLB once at the end with a CR3 reload instead (user entries
 * are never global). Each invlpg is a VM exit under PVM: freeing 64 MiB
 * page by page cost ~80 emulated instructions a page, half of cpu_hash's.
 */
#define UNMAP_INVLPG_MAX 32

/* Pages leaving an address space in bulk: the ones no other mapping holds go
 * to `batch` (`refs`: the sharing counts, read once). */
struct release_batch {
    struct pmm_free_batch batch;
    struct page_refs refs;
};

static inline void release_page_batched(struct release_batch *rb, uint64_t pte)
{
    if (pte & PTE_SW_SHARED)
        return;
    if (page_refs_put(&rb->refs, pte_page(pte)))
        pmm_free_batch_add(&rb->batch, pte_page(pte));
}

struct unmap_ctx {
    struct mm *mm;
    bool invlpg_each;
    bool freed;
    struct release_batch release;
};

static void unmap_table(uint64_t base, uint64_t *table, unsigned first, unsigned last, void *arg)
{
    struct unmap_ctx *ctx = arg;
    for (unsigned i = pt_next_used(table, first, last); i < last;
         i = pt_next_used_after(table, i, last)) {
        uint64_t old = table[i];
        if (!pte_has_page(old))
            continue;
        table[i] = 0;
        if (ctx->invlpg_each)
            pt_flush(ctx->mm->root_pa, base + i * PAGE_SIZE);
        ctx->freed = true;
        release_page_batched(&ctx->release, old);
    }
}

/* Unmaps and frees the pages of [start, end) (the VMAs are the caller's). */
static void unmap_pages(struct mm *mm, uint64_t start, uint64_t end)
{
    struct unmap_ctx ctx = {.mm = mm,
                            .invlpg_each = (end - start) / PAGE_SIZE <= UNMAP_INVLPG_MAX};
    page_refs_for_put(&ctx.release.refs);
    pt_for_each_table(mm->root_pa, start, end, unmap_table, &ctx);
    /* Flushed before the pages can be reused: no stale translation reaches them. */
    if (ctx.freed && !ctx.invlpg_each && (read_cr3() & PTE_ADDR_MASK) == mm->root_pa)
        write_cr3(mm->root_pa);
    pmm_free_batch_commit(&ctx.release.batch);
}

static void protect_leaf(uint64_t va, uint64_t *pte, void *arg)
{
    struct leaf_ctx *ctx = arg;
    if (!pte_has_page(*pte))
        return;
    if ((*pte & PTE_SW_SHARED) && (ctx->value & PTE_W)) {
        /* Becoming writable: drop the shared page; the next access faults
         * in a private copy. */
        *pte = 0;
    } else if (*pte & PTE_SW_COW) {
        /* Stays read-only until the write fault that copies it. */
        *pte = pte_page(*pte) | (ctx->value & ~PTE_W) | PTE_SW_COW;
    } else {
        *pte = pte_page(*pte) | ctx->value | (*pte & PTE_SW_SHARED);
    }
    pt_flush(ctx->mm->root_pa, va);
}

int mm_unmap(struct mm *mm, uint64_t start, uint64_t end)
{
    int err = split_at(mm, start);
    if (err == 0)
        err = split_at(mm, end);
    if (err != 0)
        return err;
    struct vma *v = mm->vmas;
    while (v != 0 && v->start < end) {
        struct vma *next = v->next;
        if (v->start >= start) {
            vma_unlink(mm, v);
            vma_free(mm, v);
        }
        v = next;
    }
    unmap_pages(mm, start, end);
    return 0;
}

void mm_discard(struct mm *mm, uint64_t start, uint64_t end)
{
    unmap_pages(mm, start, end);
}

int mm_protect(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot)
{
    /* The whole range must be mapped, without holes. */
    uint64_t cursor = start;
    for (struct vma *v = mm_find_vma(mm, start); v != 0 && cursor < end; v = v->next) {
        if (v->start > cursor)
            return -ENOMEM;
        cursor = v->end;
    }
    if (cursor < end)
        return -ENOMEM;
    int err = split_at(mm, start);
    if (err == 0)
        err = split_at(mm, end);
    if (err != 0)
        return err;
    struct vma *v = mm_find_vma(mm, start);
    while (v != 0 && v->start < end) {
        v->prot = prot;
        v = vma_merge_around(mm, v)->next;
    }
    struct leaf_ctx ctx = {.mm = mm, .value = prot_to_pte(prot)};
    pt_for_each_leaf(mm->root_pa, start, end, protect_leaf, &ctx);
    return 0;
}

struct move_ctx {
    struct mm *mm;
    int64_t delta;
    int err;
};

static void move_leaf(uint64_t va, uint64_t *pte, void *arg)
{
    struct move_ctx *ctx = arg;
    if (ctx->err != 0 || !pte_has_page(*pte))
        return;
    uint64_t *dst = pt_walk(ctx->mm->root_pa, va + (uint64_t)ctx->delta, true, USER_TABLE_FLAGS);
    if (dst == 0) {
        ctx->err = -ENOMEM;
        return;
    }
    *dst = *pte;
    *pte = 0;
    pt_flush(ctx->mm->root_pa, va);
}

int mm_move(struct mm *mm, uint64_t old_start, uint64_t len, uint64_t new_start)
{
    uint64_t old_end = old_start + len;
    int err = split_at(mm, old_start);
    if (err == 0)
        err = split_at(mm, old_end);
    if (err != 0)
        return err;
    /* Page tables first: if a table page cannot be allocated, nothing moved yet
     * may be left half-way, so move entries back on failure. */
    struct move_ctx ctx = {.mm = mm, .delta = (int64_t)(new_start - old_start)};
    pt_for_each_leaf(mm->root_pa, old_start, old_end, move_leaf, &ctx);
    if (ctx.err != 0) {
        struct move_ctx back = {.mm = mm, .delta = (int64_t)(old_start - new_start)};
        pt_for_each_leaf(mm->root_pa, new_start, new_start + len, move_leaf, &back);
        return ctx.err;
    }
    /* Re-insert the VMAs of the old range at the new address. */
    struct vma *v = mm_find_vma(mm, old_start);
    while (v != 0 && v->start < old_end) {
        struct vma *next = v->next;
        vma_unlink(mm, v);
        uint64_t start = v->start - old_start + new_start;
        uint64_t end = v->end - old_start + new_start;
        err = mm_map(mm, start, end, v->prot, v->flags, v->file, v->object, v->offset);
        vma_free(mm, v);
        if (err != 0)
            return err; /* only if the VMA table is full, which cannot grow here */
        v = next;
    }
    return 0;
}

uint64_t mm_find_gap(struct mm *mm, uint64_t len)
{
    uint64_t best = 0;
    uint64_t gap_start = USER_SPACE_START;
    for (struct vma *v = mm->vmas;; v = v->next) {
        uint64_t gap_end = v != 0 ? v->start : USER_MMAP_TOP;
        if (gap_end > USER_MMAP_TOP)
            gap_end = USER_MMAP_TOP;
        if (gap_end > gap_start && gap_end - gap_start >= len)
            best = gap_end - len; /* the highest fitting spot so far */
        if (v == 0 || v->end >= USER_MMAP_TOP)
            break;
        gap_start = v->end;
    }
    return best;
}

/* --- faults ----------------------------------------------------------------- */

/*
 * The page to map at page_va of `v`: the object's page for shared memory;
 * zeros for anonymous memory; for a file, its shared page when the mapping
 * is read-only and the file has one (the program image), else a private
 * copy of the file's bytes. *extra gets PTE_SW_SHARED for a page the mapping
 * does not own (the object or the file does).
 */
static int obtain_page(const struct vma *v, uint64_t page_va, uint64_t *pa, uint64_t *extra)
{
    *extra = 0;
    if (v->object != 0) {
        *extra = PTE_SW_SHARED;
        return vm_object_page(v->object, (v->offset + (page_va - v->start)) >> PAGE_SHIFT, pa);
    }
    if (v->file == 0) {
        *pa = pmm_alloc_zeroed_page();
        return *pa != 0 ? 0 : -ENOMEM;
    }
    uint64_t offset = v->offset + (page_va - v->start);
    if (!(v->prot & PROT_WRITE) && v->file->ops->map_phys != 0) {
        uint64_t pages;
        int64_t shared = v->file->ops->map_phys(v->file, offset, &pages);
        if (shared >= 0) {
            *pa = (uint64_t)shared;
            *extra = PTE_SW_SHARED;
            return 0;
        }
    }
    *pa = pmm_alloc_page();
    if (*pa == 0)
        return -ENOMEM;
    int64_t n = file_read_into_phys(v->file, *pa, PAGE_SIZE, offset);
    if (n < 0) {
        pmm_free_page(*pa);
        return (int)n;
    }
    /* Past the end of the file the page reads as zeros. */
    if ((uint64_t)n < PAGE_SIZE)
        memset((char *)phys_to_virt(*pa) + n, 0, PAGE_SIZE - (uint64_t)n);
    return 0;
}

/* Pages a mapping does not own (PTE_SW_SHARED: the program image's, a
 * memory object's) stay read-only in a private mapping, and so do
 * copy-on-write ones: a write copies them first. The PTE flags for `v`
 * with the software bits `keep`. */
static uint64_t pte_flags_for(const struct vma *v, uint64_t keep)
{
    uint64_t flags = prot_to_pte(v->prot);
    if ((keep & PTE_SW_COW) || ((keep & PTE_SW_SHARED) && !(v->flags & VMA_SHARED)))
        flags &= ~PTE_W;
    return flags | keep;
}

/* A write to a page the private mapping `v` does not own: *pte becomes a
 * private copy of it. */
static int unshare_page(struct mm *mm, struct vma *v, uint64_t page_va, uint64_t *pte)
{
    uint64_t copy = pmm_alloc_page();
    if (copy == 0)
        return -ENOMEM;
    v->flags |= VMA_PRIVATE_PAGES;
    memcpy(phys_to_virt(copy), phys_to_virt(pte_page(*pte)), PAGE_SIZE);
    *pte = copy | prot_to_pte(v->prot);
    pt_flush(mm->root_pa, page_va);
    return 0;
}

/*
 * Every fault is expensive where the kernel runs under instruction emulation
 * (PVM): after an anonymous fault, also map the other absent pages of the
 * aligned FAULT_AROUND_PAGES window inside the VMA, while never-used (already
 * zero, so free to hand out) pages remain. The host pays for none of them
 * until they are touched. Sequential first touches then fault once per window.
 */
#define FAULT_AROUND_PAGES 16

/* The aligned window of `pages` pages around page_va, inside `v`: [*from, *to). */
static void fault_window(const struct vma *v, uint64_t page_va, uint64_t pages, uint64_t *from,
                         uint64_t *to)
{
    uint64_t window = pages * PAGE_SIZE;
    *from = page_va & ~(window - 1);
    *to = *from + window;
    if (*from < v->start)
        *from = v->start;
    if (*to > v->end)
        *to = v->end;
}

/* The page table holding `pte`, the entry of page_va (a window never crosses
 * a page table: it is aligned and smaller). */
static uint64_t *leaf_table_of(uint64_t *pte, uint64_t page_va)
{
    return pte - ((page_va >> PAGE_SHIFT) & 511);
}

static void fault_around(const struct vma *v, uint64_t page_va, uint64_t *pte)
{
    uint64_t from, to;
    fault_window(v, page_va, FAULT_AROUND_PAGES, &from, &to);
    uint64_t *table = leaf_table_of(pte, page_va);
    unsigned i = (from >> PAGE_SHIFT) & 511;
    unsigned end = i + (unsigned)((to - from) >> PAGE_SHIFT);
    uint64_t flags = prot_to_pte(v->prot);
    while (i < end) {
        /* A run of empty entries (found with one repe scasq) gets a run of
         * fresh pages; entries in use are stepped over by one scan too. */
        unsigned run = pt_next_used(table, i, end) - i;
        if (run == 0) {
            i = pt_next_empty_after(table, i, end);
            continue;
        }
        uint64_t got;
        uint64_t pa = pmm_alloc_fresh_run(run, &got);
        if (pa == 0)
            return;
        pt_fill(&table[i], got, pa | flags);
        i += (unsigned)got;
    }
}

/*
 * A fault in a mapping of a memory object (a cached file, shared memory):
 * the object reads the aligned window around the page in at once (a cached
 * file: one host read for the missing run), and every page the object holds
 * anywhere in the fault's page table is mapped, as Linux maps the pages a
 * file has cached around a fault: a program run again (its text cached from
 * the last run) faults once per 2 MiB of it, not once a window.
 */
static void object_fault_around(const struct vma *v, uint64_t page_va, uint64_t *fault_pte)
{
    uint64_t from, to;
    fault_window(v, page_va, VM_OBJECT_FILL_MAX, &from, &to);
    vm_object_populate(v->object, (v->offset + (from - v->start)) >> PAGE_SHIFT,
                       (uint32_t)((to - from) >> PAGE_SHIFT));
    fault_window(v, page_va, PT_LEAF_TABLE_SPAN / PAGE_SIZE, &from, &to);
    uint64_t index = (v->offset + (from - v->start)) >> PAGE_SHIFT;
    uint64_t *table = leaf_table_of(fault_pte, page_va);
    unsigned i = (from >> PAGE_SHIFT) & 511;
    unsigned end = i + (unsigned)((to - from) >> PAGE_SHIFT);
    uint64_t flags = pte_flags_for(v, PTE_SW_SHARED);
    while (i < end) {
        const uint64_t *slots;
        unsigned span = vm_object_leaf_run(v->object, index, &slots);
        if (span > end - i)
            span = end - i;
        /* Each run of the object's pages goes into the stretches of empty
         * entries beside it, entries in use left alone: the ends of both
         * found by string scans, so pages mapped by an earlier fault cost
         * next to nothing. Not present before: no TLB entry to flush. */
        uint64_t *pte = &table[i];
        for (unsigned k = slots != 0 ? pt_next_used(slots, 0, span) : span; k < span;) {
            unsigned run_end = pt_next_empty(slots, k, span);
            for (unsigned j = pt_next_empty(pte, k, run_end); j < run_end;) {
                unsigned stretch_end = pt_next_used(pte, j, run_end);
                pt_fill_from(&pte[j], &slots[j], stretch_end - j, flags);
                j = pt_next_empty(pte, stretch_end, run_end);
            }
            k = pt_next_used(slots, run_end, span);
        }
        i += span;
        index += span;
    }
}

/*
 * A fault in a read-only mapping of a file whose pages are in memory already
 * (map_phys: the program image): they cost nothing to get, so the other
 * absent pages of the whole page table are mapped too (a few instructions
 * each, where every fault costs hundreds): a program's text then faults once
 * per 2 MiB. fork and teardown pass such a mapping over (VMA_PRIVATE_PAGES),
 * so the entries cost nothing later.
 */
static void shared_fault_around(const struct vma *v, uint64_t page_va, uint64_t *fault_pte)
{
    uint64_t from, to;
    fault_window(v, page_va, PT_LEAF_TABLE_SPAN / PAGE_SIZE, &from, &to);
    uint64_t pages;
    int64_t pa = v->file->ops->map_phys(v->file, v->offset + (from - v->start), &pages);
    if (pa < 0)
        return;
    if (pages > (to - from) / PAGE_SIZE)
        pages = (to - from) / PAGE_SIZE;
    uint64_t *table = leaf_table_of(fault_pte, page_va);
    unsigned first = (from >> PAGE_SHIFT) & 511, end = first + (unsigned)pages;
    uint64_t entry = (uint64_t)pa | pte_flags_for(v, PTE_SW_SHARED);
    for (unsigned i = first; i < end;) {
        /* Runs of empty entries (one repe scasq each) get the run of pages;
         * entries in use are stepped over by one scan too. Not present
         * before: no TLB entry to flush. */
        unsigned run = pt_next_used(table, i, end) - i;
        if (run == 0) {
            i = pt_next_empty_after(table, i, end);
            continue;
        }
        pt_fill(&table[i], run, entry + (uint64_t)(i - first) * PAGE_SIZE);
        i += run;
    }
}

/*
 * A write to a copy-on-write page: the writer gets its own copy while the
 * page is still shared, or the page itself once it is the last mapping.
 */
static int cow_break(struct mm *mm, const struct vma *v, uint64_t page_va, uint64_t *pte)
{
    uint64_t pa = pte_page(*pte);
    if (page_ref_shared(pa)) {
        uint64_t copy = pmm_alloc_page();
        if (copy == 0)
            return -ENOMEM;
        memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
        page_ref_put(pa);
        pa = copy;
    }
    *pte = pa | prot_to_pte(v->prot);
    pt_flush(mm->root_pa, page_va);
    return 0;
}

/* mm_fault, and the entry it made present in *pte_out (mm_translate goes on
 * with it instead of walking the tables again). */
static int fault_in(struct mm *mm, uint64_t va, uint32_t access, bool force, uint64_t **pte_out)
{
    if (va < USER_SPACE_START || va >= USER_SPACE_END)
        return -EFAULT;
    struct vma *v = mm_find_vma(mm, va);
    if (v == 0)
        return -EFAULT;
    if (!force && !access_allowed(v->prot, access))
        return -EFAULT;
    uint64_t page_va = page_floor(va);
    uint64_t *pte = pt_walk(mm->root_pa, page_va, true, USER_TABLE_FLAGS);
    if (pte == 0)
        return -ENOMEM;
    *pte_out = pte;
    bool private_write = (access & ACCESS_WRITE) && !(v->flags & VMA_SHARED);
    if (pte_has_page(*pte)) {
        if ((*pte & PTE_SW_COW) && (access & ACCESS_WRITE))
            return cow_break(mm, v, page_va, pte);
        if ((*pte & PTE_SW_SHARED) && private_write)
            return unshare_page(mm, v, page_va, pte);
        /* Already mapped (the access is allowed, checked above): a stale TLB
         * entry or a spurious fault. Refresh the flags and let it retry. */
        *pte = pte_page(*pte) | pte_flags_for(v, *pte & (PTE_SW_SHARED | PTE_SW_COW));
        pt_flush(mm->root_pa, page_va);
        return 0;
    }
    uint64_t pa, extra;
    int err = obtain_page(v, page_va, &pa, &extra);
    if (err != 0)
        return err;
    /* Not present before: no TLB entry to flush. */
    *pte = pa | pte_flags_for(v, extra);
    if (!(extra & PTE_SW_SHARED) && (v->file != 0 || v->object != 0))
        v->flags |= VMA_PRIVATE_PAGES; /* a private copy of the file's bytes */
    if (!force) {
        if (v->object != 0)
            object_fault_around(v, page_va, pte);
        else if (v->file == 0)
            fault_around(v, page_va, pte);
        else if (extra & PTE_SW_SHARED)
            shared_fault_around(v, page_va, pte);
    }
    if ((extra & PTE_SW_SHARED) && private_write)
        return unshare_page(mm, v, page_va, pte);
    return 0;
}

int mm_fault(struct mm *mm, uint64_t va, uint32_t access, bool force)
{
    uint64_t *pte;
    return fault_in(mm, va, access, force, &pte);
}

int mm_translate(struct mm *mm, uint64_t va, uint32_t access, bool force, uint64_t *pa)
{
    if (va < USER_SPACE_START || va >= USER_SPACE_END)
        return -EFAULT;
    uint64_t *pte = pt_walk(mm->root_pa, va, false, 0);
    if (pte == 0 || !pte_has_page(*pte)) {
        int err = fault_in(mm, va, access, force, &pte);
        if (err != 0)
            return err;
    } else if (!force) {
        struct vma *v = mm_find_vma(mm, va);
        if (v == 0 || !access_allowed(v->prot, access))
            return -EFAULT;
    }
    /* A write into a page a private mapping does not own (the loader's
     * forced one too) gets a private copy; shared memory is written where it
     * is. */
    if ((access & ACCESS_WRITE) && (*pte & PTE_SW_SHARED)) {
        struct vma *v = mm_find_vma(mm, va);
        if (v == 0)
            return -EFAULT;
        if (!(v->flags & VMA_SHARED)) {
            int err = unshare_page(mm, v, page_floor(va), pte);
            if (err != 0)
                return err;
        }
    }
    if ((access & ACCESS_WRITE) && (*pte & PTE_SW_COW)) {
        struct vma *v = mm_find_vma(mm, va);
        if (v == 0)
            return -EFAULT;
        int err = cow_break(mm, v, page_floor(va), pte);
        if (err != 0)
            return err;
    }
    *pa = pte_page(*pte) | (va & ~PAGE_MASK);
    return 0;
}

int64_t mm_translate_range(struct mm *mm, uint64_t va, uint64_t len, uint32_t access,
                           mm_range_emit_fn emit, void *ctx)
{
    /* A later page's entry is usable as it is when present and, for writing,
     * writable with no copy-on-write break or unsharing pending. */
    uint64_t need = PTE_P | ((access & ACCESS_WRITE) ? PTE_W : 0);
    uint64_t refuse = (access & ACCESS_WRITE) ? (PTE_SW_SHARED | PTE_SW_COW) : 0;
    uint64_t end = va + len;
    uint64_t done = 0;
    while (done < len) {
        /* The full path for one page: checks, faults, copy-on-write. */
        uint64_t cur = va + done;
        uint64_t pa;
        int err = mm_translate(mm, cur, access, false, &pa);
        if (err != 0)
            return done > 0 ? (int64_t)done : err;
        uint64_t next = page_floor(cur) + PAGE_SIZE;
        /* The pages after it in the same VMA (permission checked) and the same
         * leaf table (entries follow on) only need their entry read; a range
         * that ends in this page looks up neither. */
        uint64_t limit = end;
        uint64_t *pte = 0;
        if (end > next) {
            const struct vma *v = mm_find_vma(mm, cur);
            pte = pt_walk(mm->root_pa, cur, false, 0);
            KASSERT(v != 0 && pte != 0);
            uint64_t table_end = (cur | (PT_LEAF_TABLE_SPAN - 1)) + 1;
            limit = table_end < v->end ? table_end : v->end;
            limit = limit < end ? limit : end;
        }
        uint64_t run_va = cur, run_pa = pa;
        uint64_t expect = page_floor(pa) + PAGE_SIZE;
        for (; next < limit; next += PAGE_SIZE) {
            uint64_t e = *++pte;
            if ((e & need) != need || (e & refuse) != 0)
                break;
            if (pte_page(e) != expect) { /* a physically separate run starts */
                if (!emit(ctx, run_pa, next - run_va))
                    return (int64_t)done;
                done += next - run_va;
                run_va = next;
                run_pa = pte_page(e);
            }
            expect = pte_page(e) + PAGE_SIZE;
        }
        uint64_t run_end = next < end ? next : end;
        if (!emit(ctx, run_pa, run_end - run_va))
            return (int64_t)done;
        done += run_end - run_va;
    }
    return (int64_t)done;
}

struct destroy_ctx {
    struct release_batch release;
    const struct vma *vma; /* cursor for vma_entries_end */
};

/* mm_destroy: the pages of one page table (the entries themselves go with
 * the table). A file's or object's page is not the mapping's to free: at the
 * first one met, the rest of its VMA is passed over if all of its pages are
 * (only then is the VMA looked up, so small programs pay nothing for it). */
static void free_table_pages(uint64_t base, uint64_t *table, unsigned first, unsigned last,
                             void *arg)
{
    struct destroy_ctx *ctx = arg;
    for (unsigned i = pt_next_used(table, first, last); i < last;
         i = pt_next_used_after(table, i, last)) {
        uint64_t entry = table[i];
        if (!(entry & PTE_SW_SHARED)) {
            if (pte_has_page(entry))
                release_page_batched(&ctx->release, entry);
            continue;
        }
        bool refaultable;
        unsigned stop = vma_entries_end(&ctx->vma, base, i, last, &refaultable);
        if (refaultable)
            i = stop - 1; /* the loop goes on at stop */
    }
}

void mm_destroy(struct mm *mm)
{
    KASSERT((read_cr3() & PTE_ADDR_MASK) != mm->root_pa);
    struct destroy_ctx ctx = {.vma = mm->vmas};
    page_refs_for_put(&ctx.release.refs);
    pt_free_user_tables(mm->root_pa, free_table_pages, USER_SPACE_END, &ctx);
    pmm_free_batch_commit(&ctx.release.batch);
    while (mm->vmas != 0) {
        struct vma *v = mm->vmas;
        vma_unlink(mm, v);
        vma_free(mm, v);
    }
    pt_root_free(mm->root_pa);
    kfree(mm);
}

static void count_table_pages(uint64_t base, uint64_t *table, unsigned first, unsigned last,
                              void *ctx)
{
    (void)base;
    uint64_t *count = ctx;
    for (unsigned i = pt_next_used(table, first, last); i < last;
         i = pt_next_used_after(table, i, last))
        if (pte_has_page(table[i]))
            (*count)++;
}

uint64_t mm_resident_pages(struct mm *mm)
{
    uint64_t count = 0;
    pt_for_each_table(mm->root_pa, USER_SPACE_START, USER_SPACE_END, count_table_pages, &count);
    return count;
}
