/*
 * The user FPU/SSE/AVX state. The kernel itself never uses these registers
 * (-mgeneral-regs-only), so whatever they hold is the running thread's
 * state; it is saved and restored only where it changes hands: a switch
 * between threads, and the signal frame (which carries it in Linux's
 * `struct _fpstate` layout, with the XSAVE extension when XSAVE is used).
 *
 * With XSAVE (hardware virtualization) every component enabled in XCR0 is
 * switched (x87, SSE, AVX): a preempted thread may hold live YMM values
 * anywhere. Where the host emulates the kernel's instructions (kvm_pvm
 * without native mode), KVM's emulator runs FXSAVE/FXRSTOR but not XSAVE:
 * there XCR0 enables x87 and SSE only (cpu_setup.c). That XCR0 does not
 * reach user mode: kvm_pvm runs it natively with the host's XCR0 and CPUID,
 * so programs use AVX and AVX-512 all the same, and the state beyond this
 * 512-byte image is switched by XSAVE/XRSTOR run in user mode
 * (arch/ext_state.h).
 */
#ifndef KERNEL_ARCH_FPU_H
#define KERNEL_ARCH_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* The legacy (FXSAVE) image, and the largest XSAVE area we keep: x87, SSE
 * and AVX in the standard format take 832 bytes. */
#define FPU_LEGACY_SIZE 512
#define FPU_STATE_MAX 1024
#define FPU_STATE_ALIGN 64

/* Byte offsets inside the FXSAVE area. */
#define FPU_MXCSR_OFFSET 24
#define FPU_SW_RESERVED_OFFSET 464
/* The XSAVE header follows the legacy image: XSTATE_BV, XCOMP_BV, reserved. */
#define FPU_XSAVE_HEADER_OFFSET 512
#define FPU_XSAVE_HEADER_SIZE 64

struct fpu_state {
    _Alignas(FPU_STATE_ALIGN) uint8_t bytes[FPU_STATE_MAX];
};

/* Chooses the save format: XSAVE of the components in `xcr0` into `size`
 * bytes (CPUID.(0xD,0).EBX), or FXSAVE when `xcr0` is 0. */
void fpu_configure(uint64_t xcr0, uint32_t size);
/* The bytes of state fpu_save writes: 512 (FXSAVE) or the XSAVE size. */
uint32_t fpu_state_size(void);
/* The XSAVE components in use; 0 with FXSAVE. */
uint64_t fpu_xsave_features(void);

/* Saves the live user state into *s. */
void fpu_save(struct fpu_state *s);
/* Loads *s into the registers; it must be valid (fpu_sanitize). */
void fpu_restore(const struct fpu_state *s);
/* The state a new program starts with: FCW 0x37f, MXCSR 0x1f80, all else 0
 * (for XSAVE: every component in its initial configuration). */
void fpu_init_state(struct fpu_state *s);
/* Makes state that came from user space safe to load: reserved MXCSR bits
 * cleared; with XSAVE, a header that names only enabled components in the
 * standard format (`full`: the image has the XSAVE part; otherwise only the
 * legacy image is valid and the other components start initialized). */
void fpu_sanitize(struct fpu_state *s, bool full);

#endif
