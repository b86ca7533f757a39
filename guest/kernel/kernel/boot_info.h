#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include <minivm/boot_info.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Checks the boot info the VMM handed over (magic, version, size, counts,
 * ranges) and remembers it. Panics with a clear message when it is wrong.
 */
void boot_info_init(uint64_t boot_info_pa);

const struct minivm_boot_info *boot_info(void);

/* True when [pa, pa + len) lies wholly inside one RAM range. */
bool boot_info_ram_contains(uint64_t pa, uint64_t len);

static inline bool boot_trace_enabled(void)
{
    const struct minivm_boot_info *bi = boot_info();
    return bi != 0 && (bi->flags & MINIVM_BOOT_FLAG_TRACE) != 0;
}

#endif
