/* Loads the guest kernel ELF into guest RAM at its physical addresses. */
#ifndef MINIVM_CORE_KERNEL_LOADER_H
#define MINIVM_CORE_KERNEL_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel built into minivm (guest/kernel, embedded by core/BUILD). */
extern const uint8_t minivm_embedded_kernel[];
extern const uint8_t minivm_embedded_kernel_end[];

/* A loaded segment, as the kernel window maps it: [paddr, paddr + size) at
 * virt_base + paddr, writable if PF_W, executable if PF_X (ELF p_flags). */
struct kernel_segment {
    uint64_t paddr;
    uint64_t size;
    uint32_t flags;
};

/* More PT_LOAD segments than this is refused: a kernel has a handful. */
#define KERNEL_MAX_SEGMENTS 16

struct kernel_image {
    uint64_t entry;     /* virtual */
    uint64_t phys_end;  /* first byte after the highest segment */
    uint64_t virt_base; /* the window all segments are linked in */
    unsigned segment_count;
    struct kernel_segment segments[KERNEL_MAX_SEGMENTS];
};

/*
 * Copies every PT_LOAD segment of the kernel image to its p_paddr, which must
 * lie in [MINIVM_KERNEL_PHYS_BASE, 1 GiB) inside RAM with p_vaddr equal to
 * base + p_paddr, base being the same for all segments: MINIVM_KERNEL_VIRT_BASE
 * (the upper-half layout) or MINIVM_PVM_KERNEL_VIRT_BASE (a kernel built for
 * PVM's native mode). `name` is for messages. On success fills *out.
 */
int kernel_load(const struct guest_memory *mem, const uint8_t *image, size_t size,
                const char *name, struct kernel_image *out);

#ifdef __cplusplus
}
#endif

#endif
