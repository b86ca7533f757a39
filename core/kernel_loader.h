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
 * MINIVM_KERNEL_VIRT_BASE + p_paddr. `name` is for messages. On success sets
 * *entry (virtual) and *phys_end (first byte after the highest segment).
 */
int kernel_load(const struct guest_memory *mem, const uint8_t *image, size_t size,
                const char *name, uint64_t *entry, uint64_t *phys_end);

#ifdef __cplusplus
}
#endif

#endif
