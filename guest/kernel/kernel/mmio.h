/*
 * Registers of MMIO devices (rng, clock). Their windows lie in the MMIO hole,
 * which the physmap does not cover, so each used window is mapped uncached
 * into a kernel-half area of its own. Every access is one VM exit: callers
 * keep them rare (the clock reads at boot and on resync, the rng once per
 * fill).
 */
#ifndef KERNEL_MMIO_H
#define KERNEL_MMIO_H

#include <stdint.h>

/*
 * Maps the first `window_size` bytes of the MMIO window of device `kind` (from
 * the boot-info device table) and returns its kernel address; NULL when there
 * is no such device or its window is not a page-aligned range inside the MMIO
 * hole of at least `window_size` bytes. Call after kernel_vm_init().
 */
volatile void *mmio_map_device(const char *kind, uint64_t window_size);

/* Plain MOVs: the instruction KVM decodes for the exit must be a simple one. */
static inline uint64_t mmio_read64(volatile void *window, uint64_t reg)
{
    uint64_t v;
    __asm__ volatile("movq %1, %0"
                     : "=r"(v)
                     : "m"(*(volatile uint64_t *)((volatile char *)window + reg)));
    return v;
}

static inline void mmio_write64(volatile void *window, uint64_t reg, uint64_t v)
{
    __asm__ volatile("movq %1, %0"
                     : "=m"(*(volatile uint64_t *)((volatile char *)window + reg))
                     : "r"(v)
                     : "memory");
}

#endif
