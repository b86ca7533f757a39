/*
 * Kernel address arithmetic. All RAM is reachable at PHYSMAP_BASE + pa
 * (read/write, no-execute); the kernel image runs at KERNEL_VIRT_BASE + pa.
 * The bases are boot_info.h's for the build: the higher half, or the
 * lower-half window of kvm_pvm's native mode (MINIVM_KERNEL_PVM).
 */
#ifndef KERNEL_MM_ADDR_H
#define KERNEL_MM_ADDR_H

#include <minivm/boot_info.h>
#include <stdint.h>

#ifdef MINIVM_KERNEL_PVM
#define KERNEL_VIRT_BASE MINIVM_PVM_KERNEL_VIRT_BASE
#define PHYSMAP_BASE MINIVM_PVM_PHYSMAP_BASE
#else
#define KERNEL_VIRT_BASE MINIVM_KERNEL_VIRT_BASE
#define PHYSMAP_BASE MINIVM_PHYSMAP_BASE
#endif
/* The VMM maps the kernel image at KERNEL_VIRT_BASE + pa (within the first GiB
 * of RAM); the kernel keeps its image, stacks and MMIO windows inside that
 * window's PML4 slot. */
#define KERNEL_WINDOW_SIZE (1ull << 30)
#define KERNEL_WINDOW_SLOT ((unsigned)((KERNEL_VIRT_BASE >> 39) & 511))

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12
#define PAGE_MASK (~(PAGE_SIZE - 1))

static inline uint64_t page_floor(uint64_t v)
{
    return v & PAGE_MASK;
}

/* Rounds up; the caller makes sure v + PAGE_SIZE - 1 does not wrap. */
static inline uint64_t page_ceil(uint64_t v)
{
    return (v + PAGE_SIZE - 1) & PAGE_MASK;
}

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(PHYSMAP_BASE + pa);
}

/* Physical address of a kernel pointer: an address in the kernel image or in the physmap. */
static inline uint64_t virt_to_phys(const void *p)
{
    uint64_t va = (uint64_t)p;
    if (va - KERNEL_VIRT_BASE < KERNEL_WINDOW_SIZE)
        return va - KERNEL_VIRT_BASE;
    return va - PHYSMAP_BASE;
}

/* Linker-script symbols bounding the kernel image. */
extern char __kernel_start[], __kernel_end[];

#endif
