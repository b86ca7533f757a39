#include "mm/vm_object.h"

#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/pmm.h"

#define NODE_SHIFT 9
#define NODE_ENTRIES (1u << NODE_SHIFT)
/* Six levels cover every page index of a 64-bit byte offset. */
#define MAX_HEIGHT 6

struct vm_object {
    uint32_t refcount;
    uint32_t height; /* levels of nodes; 0: no root yet */
    uint64_t root;   /* physical address of the top node */
    uint64_t pages;  /* data pages held */
    struct vm_object_source source; /* fill == NULL: anonymous (zero-filled) */
};

static uint64_t *node_entries(uint64_t pa)
{
    return phys_to_virt(pa);
}

struct vm_object *vm_object_create(void)
{
    struct vm_object *o = kzalloc(sizeof *o);
    if (o != 0)
        o->refcount = 1;
    return o;
}

struct vm_object *vm_object_create_backed(const struct vm_object_source *source)
{
    struct vm_object *o = vm_object_create();
    if (o != 0)
        o->source = *source;
    return o;
}

void vm_object_get(struct vm_object *o)
{
    o->refcount++;
}

/* Frees a node of `level` (1: its entries are pages) and all below it. */
static void free_node(uint64_t pa, uint32_t level, struct pmm_free_batch *batch)
{
    uint64_t *e = node_entries(pa);
    for (unsigned i = 0; i < NODE_ENTRIES; i++) {
        if (e[i] == 0)
            continue;
        if (level == 1)
            pmm_free_batch_add(batch, e[i]);
        else
            free_node(e[i], level - 1, batch);
    }
    pmm_free_batch_add(batch, pa);
}

void vm_object_put(struct vm_object *o)
{
    if (--o->refcount > 0)
        return;
    if (o->height > 0) {
        struct pmm_free_batch batch = {0, 0, 0};
        free_node(o->root, o->height, &batch);
        pmm_free_batch_commit(&batch);
    }
    if (o->source.release != 0)
        o->source.release(o->source.owner);
    kfree(o);
}

/* Adds levels on top until `index` fits below the root. */
static int grow_to(struct vm_object *o, uint64_t index)
{
    while (o->height == 0 || (o->height < MAX_HEIGHT &&
                              (index >> (NODE_SHIFT * o->height)) != 0)) {
        uint64_t top = pmm_alloc_zeroed_page();
        if (top == 0)
            return -ENOMEM;
        if (o->height > 0)
            node_entries(top)[0] = o->root;
        o->root = top;
        o->height++;
    }
    return 0;
}

/* The leaf slot of `index`, with the nodes above it made; NULL when out of
 * memory. */
static uint64_t *leaf_slot(struct vm_object *o, uint64_t index)
{
    if (grow_to(o, index) != 0)
        return 0;
    uint64_t node = o->root;
    for (uint32_t level = o->height; level > 1; level--) {
        uint64_t *slot = &node_entries(node)[(index >> (NODE_SHIFT * (level - 1))) &
                                             (NODE_ENTRIES - 1)];
        if (*slot == 0 && (*slot = pmm_alloc_zeroed_page()) == 0)
            return 0;
        node = *slot;
    }
    return &node_entries(node)[index & (NODE_ENTRIES - 1)];
}

/* Reads the missing run [first, first + count) of a backed object in. */
static int fill_run(struct vm_object *o, uint64_t first, uint32_t count)
{
    uint64_t pas[VM_OBJECT_FILL_MAX];
    uint32_t got = 0;
    while (got < count && (pas[got] = pmm_alloc_page()) != 0)
        got++;
    if (got == 0)
        return -ENOMEM;
    int err = o->source.fill(o->source.owner, first, pas, got);
    uint64_t *slot = 0;
    for (uint32_t i = 0; i < got; i++) {
        uint64_t index = first + i;
        if (err == 0) {
            /* One descent per leaf node: the slots of a leaf follow on. */
            slot = slot != 0 && (index & (NODE_ENTRIES - 1)) != 0 ? slot + 1 : leaf_slot(o, index);
            if (slot == 0)
                err = -ENOMEM;
        }
        if (err != 0) {
            pmm_free_page(pas[i]);
            continue;
        }
        *slot = pas[i];
        o->pages++;
    }
    return err != 0 ? err : got < count ? -ENOMEM : 0;
}

_Static_assert(VM_OBJECT_FILL_MAX <= 32, "missing_mask holds a bit per page of a fill");

/* The lowest n bits set (n <= 32): a run of n pages of a window. */
static uint32_t low_bits(uint32_t n)
{
    return n >= 32 ? ~0u : (1u << n) - 1;
}

/* The index of the first zero of slots[0, n), or n: one string instruction
 * (where kernel instructions are emulated, far cheaper than a loop). */
static uint32_t first_empty(const uint64_t *slots, uint32_t n)
{
    const uint64_t *cursor = slots;
    uint64_t left = n;
    bool found;
    if (n == 0)
        return 0;
    __asm__ volatile("repne scasq"
                     : "+D"(cursor), "+c"(left), "=@ccz"(found)
                     : "a"(0ull)
                     : "memory");
    return found ? (uint32_t)(cursor - slots) - 1 : n;
}

/* Bit i set: page first + i is missing (count <= 32). One descent per leaf
 * node and one scan for each hole: a fault window asks for 32 pages at a
 * time, and they are usually all there already. */
static uint32_t missing_mask(const struct vm_object *o, uint64_t first, uint32_t count)
{
    uint32_t missing = 0;
    for (uint32_t i = 0; i < count;) {
        const uint64_t *slots;
        uint32_t span = vm_object_leaf_run(o, first + i, &slots);
        if (span > count - i)
            span = count - i;
        if (slots == 0)
            missing |= low_bits(span) << i;
        for (uint32_t k = 0; slots != 0 && (k += first_empty(slots + k, span - k)) < span; k++)
            missing |= 1u << (i + k);
        i += span;
    }
    return missing;
}

int vm_object_populate(struct vm_object *o, uint64_t first, uint32_t count)
{
    if (count > VM_OBJECT_FILL_MAX)
        count = VM_OBJECT_FILL_MAX;
    uint32_t missing = missing_mask(o, first, count);
    while (missing != 0) {
        /* The lowest run of missing pages: [i, i + run). */
        uint32_t i = (uint32_t)__builtin_ctz(missing);
        uint32_t above = ~(missing >> i);
        uint32_t run = above == 0 ? 32 - i : (uint32_t)__builtin_ctz(above);
        missing &= ~(low_bits(run) << i);
        int err = 0;
        if (o->source.fill != 0) {
            err = fill_run(o, first + i, run);
        } else {
            for (uint32_t k = 0; k < run && err == 0; k++) {
                uint64_t *slot = leaf_slot(o, first + i + k);
                if (slot == 0 || (*slot = pmm_alloc_zeroed_page()) == 0)
                    err = -ENOMEM;
                else
                    o->pages++;
            }
        }
        if (err != 0)
            return err;
    }
    return 0;
}

int vm_object_page(struct vm_object *o, uint64_t index, uint64_t *pa)
{
    *pa = vm_object_lookup(o, index);
    if (*pa != 0)
        return 0;
    int err = vm_object_populate(o, index, 1);
    if (err != 0)
        return err;
    *pa = vm_object_lookup(o, index);
    return 0;
}

uint32_t vm_object_leaf_run(const struct vm_object *o, uint64_t index, const uint64_t **slots)
{
    uint32_t span = NODE_ENTRIES - (uint32_t)(index & (NODE_ENTRIES - 1));
    *slots = 0;
    if (o->height == 0 || (o->height < MAX_HEIGHT && (index >> (NODE_SHIFT * o->height)) != 0))
        return span;
    uint64_t node = o->root;
    for (uint32_t level = o->height; level > 1 && node != 0; level--)
        node = node_entries(node)[(index >> (NODE_SHIFT * (level - 1))) & (NODE_ENTRIES - 1)];
    if (node != 0)
        *slots = &node_entries(node)[index & (NODE_ENTRIES - 1)];
    return span;
}

uint64_t vm_object_lookup(const struct vm_object *o, uint64_t index)
{
    const uint64_t *slots;
    vm_object_leaf_run(o, index, &slots);
    return slots != 0 ? *slots : 0;
}

bool vm_object_mapped(const struct vm_object *o)
{
    return o->refcount > 1;
}

uint64_t vm_object_pages(const struct vm_object *o)
{
    return o->pages;
}

struct truncate_ctx {
    uint64_t first; /* the first page index that goes */
    bool free_pages;
    struct pmm_free_batch batch;
    uint64_t freed;
};

/* The entries of node `pa` (of `level`, covering indexes from `base`) at or
 * after ctx->first; a node left without entries is freed with them. True
 * when the node itself is now empty. */
static bool truncate_node(struct vm_object *o, uint64_t pa, uint32_t level, uint64_t base,
                          struct truncate_ctx *ctx)
{
    uint64_t *e = node_entries(pa);
    uint64_t span = 1ull << (NODE_SHIFT * (level - 1)); /* indexes per entry */
    bool empty = true;
    for (unsigned i = 0; i < NODE_ENTRIES; i++) {
        if (e[i] == 0)
            continue;
        uint64_t start = base + i * span;
        if (start + span <= ctx->first) {
            empty = false; /* wholly kept */
            continue;
        }
        if (level == 1) {
            if (ctx->free_pages) {
                pmm_free_batch_add(&ctx->batch, e[i]);
                e[i] = 0;
                o->pages--;
                ctx->freed++;
            } else {
                memset(phys_to_virt(e[i]), 0, PAGE_SIZE);
                empty = false;
            }
        } else if (truncate_node(o, e[i], level - 1, start, ctx)) {
            pmm_free_batch_add(&ctx->batch, e[i]);
            e[i] = 0;
        } else {
            empty = false;
        }
    }
    return empty;
}

uint64_t vm_object_truncate(struct vm_object *o, uint64_t size)
{
    uint64_t first = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    if ((size & (PAGE_SIZE - 1)) != 0) {
        uint64_t pa = vm_object_lookup(o, size >> PAGE_SHIFT);
        if (pa != 0)
            memset((char *)phys_to_virt(pa) + (size & (PAGE_SIZE - 1)), 0,
                   PAGE_SIZE - (size & (PAGE_SIZE - 1)));
    }
    if (o->height == 0)
        return 0;
    struct truncate_ctx ctx = {.first = first, .free_pages = !vm_object_mapped(o)};
    if (truncate_node(o, o->root, o->height, 0, &ctx) && ctx.free_pages) {
        pmm_free_batch_add(&ctx.batch, o->root);
        o->root = 0;
        o->height = 0;
    }
    pmm_free_batch_commit(&ctx.batch);
    return ctx.freed;
}
