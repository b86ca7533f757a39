#include "arch/cpu_setup.h"

#include "arch/uaccess_copy.h"

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/segments.h"
#include "arch/user_entry.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)

#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_AVX (1u << 28)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

static uint64_t xcr0;
static uint32_t hwcap;

void cpu_setup_features(bool xsave_usable)
{
    struct cpuid_regs leaf1 = cpuid(1, 0);
    hwcap = leaf1.edx;
    uint64_t cr4 = read_cr4();
    if ((leaf1.ecx & CPUID1_ECX_XSAVE) && (cr4 & CR4_OSXSAVE) && cpuid(0, 0).eax >= 0xd) {
        uint64_t supported = cpuid(0xd, 0).eax | ((uint64_t)cpuid(0xd, 0).edx << 32);
        uint64_t want = XCR0_X87 | XCR0_SSE;
        if ((leaf1.ecx & CPUID1_ECX_AVX) && xsave_usable)
            want |= XCR0_AVX;
        xcr0 = want & supported;
        xcr0 |= XCR0_X87; /* architecturally required */
        if ((xcr0 & XCR0_AVX) && !(xcr0 & XCR0_SSE))
            xcr0 &= ~XCR0_AVX; /* AVX without SSE is not a valid XCR0 */
        xsetbv(0, xcr0);
        /* The save area for this XCR0 (EBX follows XCR0). */
        if (xsave_usable)
            fpu_configure(xcr0, cpuid(0xd, 0).ebx);
        if (fpu_xsave_features() == 0 && (xcr0 & XCR0_AVX)) {
            xcr0 &= ~XCR0_AVX; /* nothing could switch AVX state */
            xsetbv(0, xcr0);
        }
    }
#ifndef MINIVM_KERNEL_PVM /* there the kernel's own pages are U pages: no SMEP/SMAP */
    if (cpuid(0, 0).eax >= 7) {
        struct cpuid_regs leaf7 = cpuid(7, 0);
        uint64_t want = cr4;
        if (leaf7.ebx & CPUID7_EBX_SMEP)
            want |= CR4_SMEP;
        if (leaf7.ebx & CPUID7_EBX_SMAP)
            want |= CR4_SMAP;
        if (want != cr4) /* a CR4 write exits under kvm_pvm: only when it changes */
            write_cr4(want);
        uaccess_smap = (want & CR4_SMAP) ? 1 : 0;
    }
#endif
}

uint32_t cpu_hwcap(void)
{
    return hwcap;
}

uint64_t cpu_xcr0(void)
{
    return xcr0;
}

void cpu_setup_syscall(void)
{
    uint64_t star = ((uint64_t)SYSRET_BASE_SELECTOR << 48) | ((uint64_t)SEL_KERNEL_CODE << 32);
    wrmsr(MSR_STAR, star);
    wrmsr(MSR_LSTAR, user_entry_syscall_target());
    wrmsr(MSR_CSTAR, 0); /* no 32-bit compatibility-mode syscalls */
    /* NT too: a program may set it with popf, and IRETQ with NT set faults
     * (#GP) in 64-bit mode; interrupts and exceptions clear it themselves. */
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT);
}
