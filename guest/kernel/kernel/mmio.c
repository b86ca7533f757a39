#include "kernel/mmio.h"

#include "kernel/devices.h"
#include "kernel/log.h"
#include "mm/addr.h"
#include "mm/kernel_vm.h"
#include "mm/paging.h"

/* Kernel-half addresses for device windows, above the kernel-stack area and
 * clear of the kernel image (kernel_vm.c). Windows are handed out once, at
 * boot, and never unmapped. */
#define MMIO_AREA_BASE (KERNEL_VIRT_BASE + 0x40000000ull)
#define MMIO_AREA_SIZE (16 * 1024 * 1024ull)

static uint64_t area_used;

static bool window_valid(uint64_t base, uint64_t size, uint64_t want)
{
    return want > 0 && size >= want && (base % PAGE_SIZE) == 0 &&
           base >= MINIVM_MMIO_HOLE_START && base < MINIVM_MMIO_HOLE_END &&
           want <= MINIVM_MMIO_HOLE_END - base;
}

volatile void *mmio_map_device(const char *kind, uint64_t window_size)
{
    uint64_t base, size;
    if (!devices_find_mmio(kind, &base, &size))
        return 0;
    uint64_t len = page_ceil(window_size);
    if (!window_valid(base, size, len) || len > MMIO_AREA_SIZE - area_used) {
        ktrace("mmio: %s window %#lx+%#lx unusable: device ignored", kind, base, size);
        return 0;
    }
    uint64_t va = MMIO_AREA_BASE + area_used;
    if (pt_map_range(kernel_vm_root(), va, base, len,
                     PTE_P | PTE_W | KERNEL_PTE_FLAGS | PTE_NX | PTE_PCD | PTE_PWT,
                     KERNEL_TABLE_FLAGS) != 0) {
        ktrace("mmio: out of memory mapping the %s window", kind);
        return 0; /* pages mapped so far stay unused */
    }
    area_used += len;
    return (volatile void *)va;
}
