/*
 * The registers gdb sees, in the order of the target description
 * (x86_target_xml): gdb's amd64 "core" (general registers, rip, eflags,
 * segment selectors, x87), "sse" (xmm0-15, mxcsr), "linux" (orig_rax) and
 * "segments" (fs_base, gs_base) features, numbered 0..59 as in gdbserver's
 * amd64-linux description. gdb requires the x87 registers in the core
 * feature, so they are part of it (read from KVM_GET_FPU).
 */
#ifndef MINIVM_CORE_GDB_X86_REGISTERS_H
#define MINIVM_CORE_GDB_X86_REGISTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct x86_registers {
    uint64_t gpr[16]; /* rax rbx rcx rdx rsi rdi rbp rsp r8..r15 (gdb's order) */
    uint64_t rip;
    uint32_t eflags;
    uint32_t segment[6];  /* cs ss ds es fs gs selectors */
    uint8_t st[8][10];    /* x87 ST(0)..ST(7), 80-bit */
    uint32_t x87[8];      /* fctrl fstat ftag fiseg fioff foseg fooff fop */
    uint8_t xmm[16][16];
    uint32_t mxcsr;
    uint64_t orig_rax;    /* always -1: no system call to restart */
    uint64_t fs_base;
    uint64_t gs_base;
};

#define X86_REGISTER_COUNT 60u
/* Bytes of all registers in the `g` packet's order (hex doubles it). */
#define X86_REGISTERS_BYTES 560u

/* Size in bytes of register `regno`, 0 when there is none. */
size_t x86_register_size(unsigned regno);

/* Copies register `regno` out of / into `regs` (little-endian bytes, as gdb
 * exchanges them). false for an unknown register. */
bool x86_register_get(const struct x86_registers *regs, unsigned regno, uint8_t *bytes);
bool x86_register_set(struct x86_registers *regs, unsigned regno, const uint8_t *bytes);

/* All registers as one byte image in `g` order (X86_REGISTERS_BYTES). */
void x86_registers_pack(const struct x86_registers *regs, uint8_t *image);
void x86_registers_unpack(struct x86_registers *regs, const uint8_t *image);

/* The target description gdb reads with qXfer:features:read:target.xml. */
extern const char x86_target_xml[];
size_t x86_target_xml_len(void);

#ifdef __cplusplus
}
#endif

#endif
