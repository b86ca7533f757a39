/*
 * A memory object: pages indexed by their page offset, shared by every
 * mapping of it and freed with its last reference. It backs MAP_SHARED
 * anonymous memory, whose pages must be the same for a process and the
 * children it forks whether or not they were touched before the fork, and
 * the bytes of tmpfs files and generated /proc files (fs/object_io.h).
 * Pages appear on first use (zero-filled); the index is a radix tree of
 * page-sized nodes that grows in height with the largest index.
 */
#ifndef KERNEL_MM_VM_OBJECT_H
#define KERNEL_MM_VM_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

struct vm_object;

/* Most pages one vm_object_populate reads in (a run of them is one fill). */
#define VM_OBJECT_FILL_MAX 32u

/*
 * Where the pages of a backed object come from (the page cache: a file's
 * bytes). `fill` writes the source's pages first .. first + count - 1 into
 * the physical pages pas[0 .. count - 1] (zeros past the source's end): 0 or
 * -errno. `release` runs when the object is freed (the owner may go then).
 */
struct vm_object_source {
    int (*fill)(void *owner, uint64_t first, const uint64_t *pas, uint32_t count);
    void (*release)(void *owner);
    void *owner;
};

/* A new, empty object with one reference; NULL when out of memory. */
struct vm_object *vm_object_create(void);
/* A new object whose pages are read from `source` on first use. */
struct vm_object *vm_object_create_backed(const struct vm_object_source *source);

/*
 * Makes pages [first, first + count) (count <= VM_OBJECT_FILL_MAX) present:
 * zero-filled, or for a backed object read in, each run of missing pages by
 * one fill. 0, or the error of the first run that failed (pages already in
 * stay).
 */
int vm_object_populate(struct vm_object *o, uint64_t first, uint32_t count);
void vm_object_get(struct vm_object *o);
/* Drops a reference; the last one frees the object and all its pages. */
void vm_object_put(struct vm_object *o);

/* The physical page at page index `index`, zero-filled (or for a backed
 * object, read in) on first use: 0 and *pa, or -ENOMEM / the fill's error. */
int vm_object_page(struct vm_object *o, uint64_t index, uint64_t *pa);

/* The physical page at `index` if it exists, else 0 (nothing is allocated). */
uint64_t vm_object_lookup(const struct vm_object *o, uint64_t index);

/*
 * The slots of `index` and the indexes after it that share its leaf node,
 * for walking a range with one descent per node: returns how many indexes
 * the run covers (1 to 512), and *slots points at index's slot (0 or the
 * page's physical address), or is NULL when the node does not exist (no
 * page anywhere in the run). Valid until the object next changes.
 */
uint32_t vm_object_leaf_run(const struct vm_object *o, uint64_t index, const uint64_t **slots);

/* True while someone besides the first owner holds a reference: a mapping
 * (each VMA holds one) may have pages of the object in its page tables. */
bool vm_object_mapped(const struct vm_object *o);

/*
 * Cuts the object's contents at byte `size`: the bytes from `size` to the
 * end of its page become zero, and the pages after it are freed — unless
 * the object is mapped (vm_object_mapped), where page tables may still
 * point at them and they are zeroed instead (there is no reverse map to
 * unmap them with). Returns the number of pages freed.
 */
uint64_t vm_object_truncate(struct vm_object *o, uint64_t size);

/* Pages the object holds (data pages, not index nodes). */
uint64_t vm_object_pages(const struct vm_object *o);

#endif
