/*
 * Access to user memory. The kernel never dereferences a user pointer: each
 * page is checked against the VMAs, faulted in if needed (demand paging), and
 * reached through the physmap. A bad pointer gives -EFAULT, never a kernel
 * fault, and SMAP/SMEP can stay on without STAC/CLAC.
 */
#ifndef KERNEL_MM_UACCESS_H
#define KERNEL_MM_UACCESS_H

#include <minivm/hypercall.h>
#include <stdbool.h>
#include <stdint.h>

struct mm;

/* [va, va + len) lies in the user half and does not wrap. */
bool user_range_valid(uint64_t va, uint64_t len);

/* 0, -EFAULT or -ENOMEM. */
int copy_from_user(void *dst, uint64_t src, uint64_t len);
int copy_to_user(uint64_t dst, const void *src, uint64_t len);
/* Copies a NUL-terminated string of at most size-1 bytes; returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL is found within `size` bytes. */
int64_t strncpy_from_user(char *dst, uint64_t src, uint64_t size);

/* The same, for a given address space; `force` ignores protections (loader). */
int mm_copy_to(struct mm *mm, uint64_t dst, const void *src, uint64_t len, bool force);
int mm_copy_from(struct mm *mm, void *dst, uint64_t src, uint64_t len);

/*
 * Describes user buffer [va, va + len) as physical segments for zero-copy
 * device I/O: pages are faulted in for `access` (ACCESS_WRITE when the device
 * writes into it) and adjacent physical pages coalesced. Stops at
 * MINIVM_SG_MAX segments or MINIVM_HC_MAX_TRANSFER bytes, or before a bad page
 * after the first. Returns the bytes covered (> 0), or -EFAULT/-ENOMEM when
 * not even the first byte can be. `len` must be > 0.
 */
int64_t user_buffer_segments(uint64_t va, uint64_t len, uint32_t access, struct minivm_sg *sg,
                             uint32_t *nseg);

#endif
