/*
 * Switching to kvm_pvm's native mode (docs/pvm.md): until then every kernel
 * instruction is emulated by the host (~1 us each); after it the kernel runs
 * natively at hardware CPL 3 and cannot go back.
 */
#ifndef KERNEL_ARCH_PVM_NATIVE_MODE_H
#define KERNEL_ARCH_PVM_NATIVE_MODE_H

#include <stdint.h>

/* Checks the VMM's PVM boot flag and the host's signature, registers the VIF
 * page and checks that the switch happened; halts with a message otherwise
 * (nothing can report yet). Called first thing, after the GDT is loaded. */
void pvm_enter_native_mode(uint64_t boot_info_pa);

#endif
