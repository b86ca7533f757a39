/*
 * The page cache of host files: a file's pages are read from the host once,
 * a run at a time, and shared read-only by every mapping of the file in
 * every process (ld.so and libc.so.6 by every process of a pipeline); a
 * private mapping copies a page only when it writes it. A cached file is
 * known by its host identity (device, inode) and checked against its size
 * and modification time, so a file changed on the host is read afresh.
 * Files nothing maps are dropped first when the guest runs short of memory.
 */
#ifndef KERNEL_FS_PAGE_CACHE_H
#define KERNEL_FS_PAGE_CACHE_H

#include <stdint.h>

struct file;
struct vm_object;

/* The memory object holding host file `f`'s pages (a new reference), or
 * NULL when it cannot be cached (out of memory, a failed stat). */
struct vm_object *page_cache_object(struct file *f);

/* `f` was written or truncated through the guest: later mappings read it
 * afresh (existing ones keep the pages they had). */
void page_cache_forget(struct file *f);

/* Drops cached files that nothing maps, least recently used first, until
 * at least `pages` pages were freed or none is left: the pages freed. */
uint64_t page_cache_reclaim(uint64_t pages);

#endif
