/* Small kernel object allocator (size classes over whole pages from the pmm). */
#ifndef KERNEL_MM_KHEAP_H
#define KERNEL_MM_KHEAP_H

#include <stddef.h>

/* Zero-filled memory, or NULL when out of memory. */
void *kzalloc(size_t size);
void kfree(void *p);

#endif
