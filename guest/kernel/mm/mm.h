/*
 * A process address space: its page tables and a sorted list of VMAs (virtual
 * memory areas). Pages are allocated on first touch (demand paging): a VMA is
 * only a promise, so a program can map far more than it uses.
 */
#ifndef KERNEL_MM_MM_H
#define KERNEL_MM_MM_H

#include "mm/addr.h"

#include <minivm/boot_info.h>
#include <stdbool.h>
#include <stdint.h>

/* User half: like Linux, nothing below 64 KiB (mmap_min_addr) and the top page
 * below 2^47 is never mapped (TASK_SIZE). Under kvm_pvm's native mode the
 * kernel takes the top 1 TiB of the lower half (boot_info.h). */
#define USER_SPACE_START 0x10000ull
#ifdef MINIVM_KERNEL_PVM
#define USER_SPACE_END (MINIVM_PVM_USER_END - 0x1000ull)
#else
#define USER_SPACE_END 0x7ffffffff000ull
#endif

/* `va` is an address of the user half. The one check for every user value
 * that ends in an MSR (the FS base), a segment base or a return address: a
 * value beyond it (non-canonical, or the kernel's) faults in the kernel
 * (WRMSR #GP, SYSRET/IRETQ) or would reach kernel memory. */
static inline bool user_address_valid(uint64_t va)
{
    return va < USER_SPACE_END;
}

#define USER_STACK_TOP USER_SPACE_END
#define USER_STACK_SIZE (8ull << 20)
/* Anonymous/file mappings are placed top-down below this address. */
#define USER_MMAP_TOP (USER_STACK_TOP - USER_STACK_SIZE - (1ull << 30))

#define PROT_NONE 0u
#define PROT_READ 1u
#define PROT_WRITE 2u
#define PROT_EXEC 4u
#define PROT_MASK 7u

/* vma.flags */
#define VMA_HEAP 1u   /* grown and shrunk by brk */
#define VMA_STACK 2u  /* the initial user stack */
#define VMA_SHARED 4u /* MAP_SHARED: stays shared with forked children */
/* A file or object mapping that holds pages of its own (private copies).
 * Without it, every page the mapping has is its file's or object's, so a
 * fault maps it again: fork copies no entry of it, and teardown skips it. */
#define VMA_PRIVATE_PAGES 8u

/* What an access needs; see mm_fault. */
#define ACCESS_READ 1u
#define ACCESS_WRITE 2u
#define ACCESS_EXEC 4u

/* Linux's default vm.max_map_count: beyond it mmap/mprotect fail with ENOMEM. */
#define MM_MAX_VMAS 65530u

struct file;
struct vm_object;

/* What backs a VMA: a file (mapped privately, or shared read-only), a memory
 * object every mapping of it shares (MAP_SHARED anonymous memory; with the
 * file too for a shared mapping of a tmpfs file, whose bytes the object
 * is), or neither (private anonymous memory, zero-filled). */
struct vma {
    uint64_t start, end; /* page-aligned, start < end */
    uint32_t prot;
    uint32_t flags;
    struct file *file;        /* or NULL */
    struct vm_object *object; /* or NULL */
    uint64_t offset;          /* byte offset of `start` in the file or object */
    struct vma *prev, *next;
};

struct mm {
    uint32_t users;   /* processes using it: more than one only while a vfork
                         child (CLONE_VM) runs in its parent's memory */
    uint64_t root_pa; /* PML4 */
    struct vma *vmas; /* sorted by address, non-overlapping */
    uint32_t vma_count;
    struct vma *last_found; /* the VMA mm_find_vma found or mm_map made last, or
                               NULL: where their searches start when it lies below */
    uint64_t brk_start; /* start of the heap (page-aligned end of the program image) */
    uint64_t brk;       /* current program break, as the program set it */
};

/* A fresh address space with the kernel half shared, one user; NULL when out
 * of memory. */
struct mm *mm_create(void);
/* Frees every page, table and VMA. `mm` must not be the loaded one. */
void mm_destroy(struct mm *mm);
/* One more process uses `mm` (clone with CLONE_VM). */
void mm_get(struct mm *mm);
/* One process fewer: the last one destroys it (it must not be loaded then). */
void mm_put(struct mm *mm);
/* fork's copy of `parent` (which must be the loaded address space), sharing
 * its pages copy-on-write (mm_clone.c); NULL when out of memory. */
struct mm *mm_clone(struct mm *parent);
/* Loads this address space into CR3. */
void mm_activate(struct mm *mm);
/* Loads the kernel's own page tables (no user half): before destroying the
 * loaded address space. */
void mm_activate_kernel(void);

struct vma *mm_find_vma(struct mm *mm, uint64_t va);
/*
 * For walks of a page table in address order (entries [i, last) of the
 * table whose entry 0 maps `base`), with *cursor the VMA at or after the
 * last address seen (it only moves forward): moves it to the VMA at or after
 * entry i's address and returns the end of the entries it governs, at most
 * `last`. *refaultable says whether every page there can be faulted in again
 * from the VMA's file or object (no VMA_PRIVATE_PAGES), so a walk that copies
 * or frees pages can pass the entries over. One call per VMA, not per entry.
 */
static inline unsigned vma_entries_end(const struct vma **cursor, uint64_t base, unsigned i,
                                       unsigned last, bool *refaultable)
{
    uint64_t va = base + ((uint64_t)i << PAGE_SHIFT);
    const struct vma *v = *cursor;
    while (v != 0 && v->end <= va)
        v = v->next;
    *cursor = v;
    if (v == 0) {
        *refaultable = false;
        return last; /* no VMA here (no entry should be either) */
    }
    /* The segment ends where the VMA does, or where it starts after a gap. */
    uint64_t edge = v->start > va ? v->start : v->end;
    *refaultable = v->start <= va && (v->file != 0 || v->object != 0) &&
                   !(v->flags & VMA_PRIVATE_PAGES);
    uint64_t n = (edge - base) >> PAGE_SHIFT;
    return n < last ? (unsigned)n : last;
}
/* True when no VMA intersects [start, end). */
bool mm_range_is_free(struct mm *mm, uint64_t start, uint64_t end);

/* Maps [start, end) (page-aligned, free, inside user space) backed by `file`
 * or `object` (either may be NULL), each of which it takes a reference on.
 * 0 or -ENOMEM. */
int mm_map(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot, uint32_t flags,
           struct file *file, struct vm_object *object, uint64_t offset);
/* fork: `child` (fresh, without VMAs) gets a copy of each VMA of `parent`,
 * in order, taking references on their files and objects. 0 or -ENOMEM
 * (the copies made so far stay, for mm_destroy). */
int mm_copy_vmas(struct mm *child, const struct mm *parent);
/* Removes [start, end), freeing its pages; holes are fine. 0 or -ENOMEM. */
int mm_unmap(struct mm *mm, uint64_t start, uint64_t end);
/* Changes protection of [start, end); -ENOMEM if part of it is unmapped (Linux). */
int mm_protect(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot);
/* Frees the pages of [start, end) but keeps the mapping: anonymous memory reads
 * as zero afterwards (madvise MADV_DONTNEED). */
void mm_discard(struct mm *mm, uint64_t start, uint64_t end);
/* Moves the mapping [old, old + len) to [new_start, new_start + len) (which
 * must be free), page tables included. 0 or -ENOMEM. */
int mm_move(struct mm *mm, uint64_t old_start, uint64_t len, uint64_t new_start);
/* Pages mapped in the address space now (/proc/PID/status's VmRSS). */
uint64_t mm_resident_pages(struct mm *mm);
/* The highest free gap of `len` bytes below USER_MMAP_TOP, or 0. */
uint64_t mm_find_gap(struct mm *mm, uint64_t len);

/*
 * Resolves a fault / user access at `va` needing `access` (ACCESS_*): -EFAULT
 * when no VMA covers it or the VMA forbids it, -ENOMEM when no page could be
 * allocated, 0 when the page is now mapped. With `force`, protections are
 * ignored (the ELF loader writing into read-only segments).
 */
int mm_fault(struct mm *mm, uint64_t va, uint32_t access, bool force);

/* The physical address behind user `va` for `access`, faulting it in first. */
int mm_translate(struct mm *mm, uint64_t va, uint32_t access, bool force, uint64_t *pa);

/* Receives one physically contiguous piece of a translated range; false stops. */
typedef bool (*mm_range_emit_fn)(void *ctx, uint64_t pa, uint64_t len);
/*
 * mm_translate for every page of [va, va + len), in order, handing the
 * physically contiguous pieces to `emit`: the same checks and faults, but the
 * pages after one in the same VMA and leaf table cost one entry load each
 * (bulk I/O buffers). Returns the bytes emitted (a piece `emit` refused is
 * not), or the error of the first page.
 */
int64_t mm_translate_range(struct mm *mm, uint64_t va, uint64_t len, uint32_t access,
                           mm_range_emit_fn emit, void *ctx);

#endif
