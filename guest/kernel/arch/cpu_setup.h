#ifndef KERNEL_ARCH_CPU_SETUP_H
#define KERNEL_ARCH_CPU_SETUP_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Extended state for user programs: with CR4.OSXSAVE (set by the VMM when the
 * CPU has XSAVE) enable x87|SSE|AVX in XCR0 as far as CPUID leaf 0xD allows,
 * so libc's AVX paths work, and switch that state with XSAVE (arch/fpu.h).
 * Without `xsave_usable` (the host emulates the kernel: kvm_pvm) only x87
 * and SSE, which FXSAVE switches. Also turns on SMEP and SMAP when offered:
 * the kernel never touches user pages through user addresses (mm/uaccess.c).
 */
void cpu_setup_features(bool xsave_usable);

/* SYSCALL/SYSRET: STAR selectors, LSTAR entry point (the trampoline page),
 * SFMASK (IF, DF, TF, AC, NT cleared on entry). EFER.SCE is already on. */
void cpu_setup_syscall(void);

/* CPUID leaf 1's EDX as read at boot: AT_HWCAP for every exec, which would
 * otherwise pay a CPUID, and so a VM exit, each time. */
uint32_t cpu_hwcap(void);
/* XCR0 as set (0 without XSAVE). */
uint64_t cpu_xcr0(void);

#endif
