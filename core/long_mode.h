/*
 * Puts the vCPU straight into 64-bit long mode, as minivm/boot_info.h describes:
 * the VMM builds the page tables and a minimal GDT in guest memory and loads
 * CR0/CR3/CR4/EFER and the segment registers itself, so the guest kernel's
 * first instruction already runs in 64-bit mode at its higher-half address.
 */
#ifndef MINIVM_CORE_LONG_MODE_H
#define MINIVM_CORE_LONG_MODE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/guest_memory.h"
#include "core/kernel_loader.h"
#include "core/kvm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The two boot layouts of minivm/boot_info.h. */
enum long_mode_layout {
    LONG_MODE_LAYOUT_UPPER, /* upper-half kernel, supervisor pages: any KVM */
    LONG_MODE_LAYOUT_PVM,   /* lower-half kernel, U pages, PGD pair: kvm_pvm native mode */
};

/* Writes the page tables (the physmap; the kernel's segments in its window,
 * 4 KiB pages with their ELF permissions) and the boot GDT into guest memory.
 * 0 or -1 (logged). */
int long_mode_build_page_tables(const struct guest_memory *mem, enum long_mode_layout which,
                                const struct kernel_image *kernel);

/* Loads special and general registers: entry at `rip`, RDI = `rdi`. */
int long_mode_enter(struct kvm_vm *vm, enum long_mode_layout which, uint64_t rip, uint64_t rdi);

#ifdef __cplusplus
}
#endif

#endif
