#ifndef KERNEL_MM_KERNEL_VM_H
#define KERNEL_MM_KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Replaces the VMM's boot page tables with the kernel's own: the VMM's physmap
 * (reused as is), and the kernel image in 4 KiB pages with W^X (text RX,
 * rodata R, data/bss RW) and unmapped guard pages below every static stack.
 */
void kernel_vm_init(void);

/* The kernel's PML4; every process PML4 copies its upper half. */
uint64_t kernel_vm_root(void);

/* Copies the kernel half (entries 256..511) of the kernel PML4 into `pml4_pa`,
 * whose kernel half must be zero: only the used entries are written. */
void kernel_vm_share_upper_half(uint64_t pml4_pa);

/* Kernel objects of up to KERNEL_MAP_SLOT_PAGES pages made of pages that need
 * not be physically contiguous, mapped side by side in the kernel's map area:
 * for the heap once no contiguous run is left (the guest's memory ran out
 * once and came back in single pages). Zeroed; NULL when out of memory or
 * slots. Never hand such an address to a device (virt_to_phys). */
#define KERNEL_MAP_SLOT_PAGES 4u
void *kernel_vm_map_pages(uint64_t pages);
void kernel_vm_unmap_pages(void *va, uint64_t pages);
/* `va` lies in the map area (came from kernel_vm_map_pages). */
bool kernel_vm_in_map_area(const void *va);

/* Kernel stacks that can exist at once: one per thread (proc/thread.h). */
#define KSTACK_SLOTS 256

/* A kernel stack of PROCESS_KSTACK_SIZE in its own slot of the kernel-stack
 * area, with an unmapped guard page below. Returns its top, or 0 when out of
 * memory or slots. */
uint64_t kstack_alloc(void);
void kstack_free(uint64_t top);

#endif
