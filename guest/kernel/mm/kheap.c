/*
 * Every block starts with a 16-byte header naming its size class (or, for
 * blocks bigger than the largest class, its page count), so kfree needs no
 * size. Small blocks come from pages carved into equal pieces; freed blocks go
 * on their class's free list. Large blocks are physically contiguous pages or,
 * once no contiguous run is left (freed memory comes back a page at a time),
 * pages mapped side by side in the kernel's map area (mm/kernel_vm.h): never
 * give a large block's address to a device.
 */
#include "mm/kheap.h"

#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kernel_vm.h"
#include "mm/pmm.h"

#include <stdint.h>

#define HEADER_SIZE 16
#define MIN_CLASS_SHIFT 5  /* 32 bytes incl. header */
#define MAX_CLASS_SHIFT 11 /* 2048 bytes incl. header */
#define CLASS_COUNT (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define LARGE_CLASS 0xff
#define HEADER_MAGIC 0x6b686561u /* "khea" */

struct header {
    uint32_t magic;
    uint32_t class_index; /* or LARGE_CLASS */
    uint64_t pages;       /* large blocks only */
};

_Static_assert(sizeof(struct header) == HEADER_SIZE, "kheap header");

struct free_block {
    struct free_block *next;
};

static struct free_block *free_lists[CLASS_COUNT];
/* The rest of each class's newest page, handed out front to back: carving a
 * whole page into a free list up front cost ~5 emulated instructions (PVM)
 * per block. */
static char *carve_next[CLASS_COUNT], *carve_end[CLASS_COUNT];

/* A block of class `cls` from the class's newest page (a new page when it is
 * used up), for when its free list is empty; NULL when out of memory. */
static struct header *carve_block(unsigned cls)
{
    uint64_t block = 1ull << (cls + MIN_CLASS_SHIFT);
    if (carve_next[cls] == carve_end[cls]) {
        uint64_t pa = pmm_alloc_page();
        if (pa == 0)
            return 0;
        carve_next[cls] = phys_to_virt(pa);
        carve_end[cls] = carve_next[cls] + PAGE_SIZE; /* classes divide the page */
    }
    struct header *h = (struct header *)carve_next[cls];
    carve_next[cls] += block;
    return h;
}

/* The caller's `size` bytes of small block `h` of class `cls`, header set and
 * contents zeroed. */
static inline void *small_block_ready(struct header *h, unsigned cls, size_t size)
{
    *h = (struct header){.magic = HEADER_MAGIC, .class_index = cls, .pages = 0};
    void *p = (char *)h + HEADER_SIZE;
    memset(p, 0, size);
    return p;
}

/* A block bigger than the largest class: whole pages. */
static __attribute__((noinline)) void *alloc_large(size_t size)
{
    if (size > (1ull << 40))
        return 0;
    /* Whole pages, already zero: never-used ones are (pmm.h), and a reused
     * single page is cleared by pmm_alloc_zeroed_page. */
    uint64_t pages = page_ceil(size + HEADER_SIZE) / PAGE_SIZE;
    uint64_t pa = pages == 1 ? pmm_alloc_zeroed_page() : pmm_alloc_contiguous(pages);
    struct header *h = pa != 0 ? phys_to_virt(pa) : kernel_vm_map_pages(pages);
    if (h == 0)
        return 0;
    *h = (struct header){.magic = HEADER_MAGIC, .class_index = LARGE_CLASS, .pages = pages};
    return (char *)h + HEADER_SIZE;
}

/* A small block when its class's free list is empty. */
static __attribute__((noinline)) void *alloc_carved(unsigned cls, size_t size)
{
    struct header *h = carve_block(cls);
    return h != 0 ? small_block_ready(h, cls, size) : 0;
}

void *kzalloc(size_t size)
{
    /* The usual case, a free block of the class, without a frame: the rest
     * is in the functions above (kernel instructions are emulated on PVM). */
    if (size > (1u << MAX_CLASS_SHIFT) - HEADER_SIZE)
        return alloc_large(size);
    size_t total = size + HEADER_SIZE;
    /* The smallest class that holds `total`: ceil(log2(total)), by bsr. */
    unsigned shift = total <= (1u << MIN_CLASS_SHIFT)
                         ? MIN_CLASS_SHIFT
                         : 64 - (unsigned)__builtin_clzll((uint64_t)total - 1);
    unsigned cls = shift - MIN_CLASS_SHIFT;
    struct free_block *b = free_lists[cls];
    if (b == 0)
        return alloc_carved(cls, size);
    free_lists[cls] = b->next;
    return small_block_ready((struct header *)b, cls, size);
}

static __attribute__((noinline)) void free_large(struct header *h)
{
    if (kernel_vm_in_map_area(h)) {
        kernel_vm_unmap_pages(h, h->pages);
        return;
    }
    uint64_t pa = virt_to_phys(h);
    for (uint64_t i = 0; i < h->pages; i++)
        pmm_free_page(pa + i * PAGE_SIZE);
}

void kfree(void *p)
{
    if (p == 0)
        return;
    struct header *h = (struct header *)((char *)p - HEADER_SIZE);
    KASSERT(h->magic == HEADER_MAGIC);
    h->magic = 0;
    unsigned cls = h->class_index;
    if (cls == LARGE_CLASS) {
        free_large(h);
        return;
    }
    KASSERT(cls < CLASS_COUNT);
    struct free_block *b = (struct free_block *)h;
    b->next = free_lists[cls];
    free_lists[cls] = b;
}
