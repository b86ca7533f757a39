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

/*
 * Copies every PT_LOAD segment of the kernel image to its p_paddr, which must
 * lie in [MINIVM_KERNEL_PHYS_BASE, 1 GiB) inside RAM with p_vaddr equal to
 * base + p_paddr, base being the same for all segments: MINIVM_KERNEL_VIRT_BASE
 * (the upper-half layout) or MINIVM_PVM_KERNEL_VIRT_BASE (a kernel built for
 * PVM's native mode). `name` is for messages. On success sets *entry
 * (virtual), *phys_end (first byte after the highest segment) and *virt_base.
 */
int kernel_load(const struct guest_memory *mem, const uint8_t *image, size_t size,
                const char *name, uint64_t *entry, uint64_t *phys_end, uint64_t *virt_base);

#ifdef __cplusplus
}
#endif

#endif
