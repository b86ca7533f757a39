/*
 * Builds what the guest kernel finds at boot: the user program and the
 * argv/envp strings at the top of low RAM, and struct minivm_boot_info
 * (memory map, free ranges, device table) at MINIVM_BOOT_INFO_GPA.
 */
#ifndef MINIVM_CORE_BOOT_PARAMS_H
#define MINIVM_CORE_BOOT_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"
#include "core/kernel_symbols.h"
#include "core/range_table.h"

#ifdef __cplusplus
extern "C" {
#endif

struct boot_params {
    const struct guest_memory *memory;
    const struct range_table *ports;
    const struct range_table *mmio;
    uint64_t kernel_phys_end; /* after the kernel image and its symbol tables */
    const struct kernel_symbols *kernel_symbols; /* or NULL for none */
    const uint8_t *program;
    size_t program_size;
    char *const *argv;
    size_t argc;
    char *const *envp;
    size_t envc;
    const char *cwd; /* the working directory, an absolute guest path */
    char *const *tmpfs; /* the guest's tmpfs mount points */
    size_t tmpfs_count;
    uint32_t flags; /* MINIVM_BOOT_FLAG_* */
    uint64_t tsc_khz;
};

/* 0, or -1 with a message (e.g. the program does not fit in guest memory). */
int boot_params_write(const struct boot_params *params);

#ifdef __cplusplus
}
#endif

#endif
