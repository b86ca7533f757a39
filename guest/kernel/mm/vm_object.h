/*
 * A memory object: pages indexed by their page offset, shared by every
 * mapping of it and freed with its last reference. It backs MAP_SHARED
 * anonymous memory, whose pages must be the same for a process and the
 * children it forks whether or not they were touched before the fork.
 * Pages appear on first use (zero-filled); the index is a radix tree of
 * page-sized nodes that grows in height with the largest index.
 */
#ifndef KERNEL_MM_VM_OBJECT_H
#define KERNEL_MM_VM_OBJECT_H

#include <stdint.h>

struct vm_object;

/* A new, empty object with one reference; NULL when out of memory. */
struct vm_object *vm_object_create(void);
void vm_object_get(struct vm_object *o);
/* Drops a reference; the last one frees the object and all its pages. */
void vm_object_put(struct vm_object *o);

/* The physical page at page index `index`, zero-filled on first use:
 * 0 and *pa, or -ENOMEM. */
int vm_object_page(struct vm_object *o, uint64_t index, uint64_t *pa);

#endif
