#include "arch/percpu.h"

#include "arch/cpu.h"
#include "arch/gdt.h"

static struct percpu cpu0;

void percpu_init(void)
{
    cpu0.self = &cpu0;
    cpu0.tss = gdt_tss();
    cpu0.cpu_id = 0;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void percpu_set_kernel_stack(uint64_t kstack_top)
{
    struct percpu *cpu = this_cpu();
    cpu->kernel_rsp = kstack_top;
    cpu->tss->rsp[0] = kstack_top;
}
