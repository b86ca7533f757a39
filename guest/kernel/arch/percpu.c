#include "arch/percpu.h"

#include "arch/cpu.h"
#include "arch/gdt.h"

#ifdef MINIVM_KERNEL_PVM
struct percpu percpu_cpu0; /* the entry code (arch/pvm/entry.S) uses it by name */
#define cpu0 percpu_cpu0
#else
static struct percpu cpu0;
#endif

void percpu_init(void)
{
    cpu0.self = &cpu0;
    cpu0.tss = gdt_tss();
    cpu0.cpu_id = 0;
#ifndef MINIVM_KERNEL_PVM
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
#endif
}

void percpu_set_kernel_stack(uint64_t kstack_top)
{
    struct percpu *cpu = this_cpu();
    cpu->kernel_rsp = kstack_top;
#ifndef MINIVM_KERNEL_PVM
    cpu->tss->rsp[0] = kstack_top; /* PVM: RSP0 stays the entry stack (gdt.c) */
#endif
}
