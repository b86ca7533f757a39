/*
 * The user FPU/SSE state (x87, MMX, XMM0-15, MXCSR) in the 512-byte FXSAVE
 * format. The kernel itself never uses these registers (-mgeneral-regs-only),
 * so whatever they hold is the running process's state; it is saved and
 * restored only where it changes hands: a switch between processes, and the
 * signal frame (which carries it in Linux's `struct _fpstate` layout).
 *
 * Why FXSAVE and not XSAVE: under PVM every kernel instruction is emulated,
 * and KVM's emulator runs FXSAVE/FXRSTOR but not XSAVE. The AVX upper halves
 * are therefore not switched. Processes switch only inside system calls,
 * where the SysV ABI makes every vector register caller-saved, so no live
 * YMM value is lost in practice.
 */
#ifndef KERNEL_ARCH_FPU_H
#define KERNEL_ARCH_FPU_H

#include <stdint.h>

#define FPU_STATE_SIZE 512
#define FPU_STATE_ALIGN 16

/* Byte offsets inside the FXSAVE area. */
#define FPU_MXCSR_OFFSET 24

struct fpu_state {
    _Alignas(FPU_STATE_ALIGN) uint8_t bytes[FPU_STATE_SIZE];
};

/* Saves the live user state into *s. */
void fpu_save(struct fpu_state *s);
/* Loads *s into the registers; its MXCSR must be valid (fpu_sanitize). */
void fpu_restore(const struct fpu_state *s);
/* The state a new program starts with: FCW 0x37f, MXCSR 0x1f80, all else 0. */
void fpu_init_state(struct fpu_state *s);
/* Makes state that came from user space safe for FXRSTOR (reserved MXCSR
 * bits would fault). */
void fpu_sanitize(struct fpu_state *s);

#endif
