#include "arch/percpu.h"

#include "arch/cpu.h"
#include "arch/gdt.h"

/* The one CPU's block; the kvm_pvm entry code (arch/pvm/entry.S) uses it by name. */
struct percpu percpu_cpu0;

void percpu_init(void)
{
    percpu_cpu0.self = &percpu_cpu0;
    percpu_cpu0.tss = gdt_tss();
    percpu_cpu0.cpu_id = 0;
#ifndef MINIVM_KERNEL_PVM
    wrmsr(MSR_GS_BASE, (uint64_t)&percpu_cpu0);
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
