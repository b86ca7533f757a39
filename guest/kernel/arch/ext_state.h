/*
 * The user vector state beyond FXSAVE's (x87, XMM0-15) where the host
 * emulates the kernel (kvm_pvm without native mode): the upper halves of
 * YMM0-15, ZMM0-31 and the opmask registers.
 *
 * There the kernel switches only the FXSAVE image (the emulator has no
 * XSAVE) and sets XCR0 to x87|SSE, but kvm_pvm runs user mode natively with
 * the host's XCR0 and CPUID: XGETBV there says AVX and AVX-512 are on, so
 * glibc takes its EVEX/AVX2 string functions. Left alone, those registers
 * went from one process to the next at every switch (glibc's memcpy,
 * preempted between its loads and stores, stored another process's YMM16).
 *
 * User mode can run XSAVE/XRSTOR natively, so the kernel has them run
 * there: an "upcall" returns to a two-instruction stub (XSAVE or XRSTOR,
 * then UD2) in the thread's own address space, with the thread's save area
 * mapped below mmap_min_addr for just that long, and the UD2 brings it back
 * into the kernel where it left. The save happens when a thread leaves the
 * CPU, the restore when it gets it back.
 */
#ifndef KERNEL_ARCH_EXT_STATE_H
#define KERNEL_ARCH_EXT_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* At boot: `enabled` when the kernel is emulated (MINIVM_BOOT_FLAG_EMULATED_KERNEL). */
void ext_state_init(bool enabled);
/* A thread's save area (one page, by physical address; 0 when disabled), in
 * the initial state: 0 or -ENOMEM. */
int ext_state_alloc(uint64_t *area_pa);
void ext_state_free(uint64_t *area_pa);
/* The live registers into a thread's save area (a new thread: the creator's
 * state). The current thread's address space must be loaded. */
void ext_state_save(uint64_t area_pa);
/* A save area into the live registers; its thread's address space must be loaded. */
void ext_state_restore(uint64_t area_pa);
/* A save area back to the initial state (execve). */
void ext_state_reset(uint64_t area_pa);
/* Called first for every trap: true when it belonged to an upcall (its
 * stub trapped back, or an interrupt arrived meanwhile) and is handled. */
bool ext_state_trap(struct trap_frame *tf);

#endif
