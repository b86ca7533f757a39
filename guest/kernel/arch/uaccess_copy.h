/*
 * Copies between the kernel and the loaded address space's user half with
 * plain loads and stores: a page fault on the way is not a kernel fault but
 * makes the copy report failure (trap.c asks uaccess_copy_fixup), and the
 * caller falls back to the page-table walk (mm/uaccess.c), which faults pages
 * in, breaks copy-on-write and decides EFAULT. Cheap where every kernel
 * instruction is emulated: one `rep movsb` instead of a walk per page.
 */
#ifndef KERNEL_ARCH_UACCESS_COPY_H
#define KERNEL_ARCH_UACCESS_COPY_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* The way on when a plain copy faults: the page walk, with the same arguments. */
typedef int (*uaccess_fallback_fn)(void *dst, const void *src, uint64_t len);

/* Copies `len` bytes and returns 0; when a fault stops it (part of the
 * destination may be written), returns fallback(dst, src, len) instead, a
 * tail call: the usual copy costs no frame of its caller's. The caller has
 * checked the user range. */
int uaccess_copy_or(void *dst, const void *src, uint64_t len, uaccess_fallback_fn fallback);

/* Copies a string of at most `size` bytes, NUL included, the same way:
 * its length, `size` when there is no NUL within `size` bytes, or -1 when a
 * fault stopped it (perhaps only a load past the string's end: the caller
 * falls back to the page walk, which decides). */
int64_t uaccess_strncpy(char *dst, const char *src, uint64_t size);

/* A kernel-mode page fault in uaccess_copy_or or uaccess_strncpy: resumes at
 * its failure return and says true; false for any other fault. */
bool uaccess_copy_fixup(struct trap_frame *tf);

/* Set when CR4.SMAP is on: the copy then opens user access (RFLAGS.AC). */
extern uint8_t uaccess_smap;

#endif
