#include "arch/pvm/native_mode.h"

#include "arch/cpu.h"
#include "arch/segments.h"
#include "kernel/panic.h"
#include "mm/addr.h"

/*
 * VIF feature bits (found by probing, docs/pvm.md §2): bit 0 makes the host
 * run user mode on the user PGD of the 8 KiB-aligned pair (CR3 + 4 KiB) and
 * the kernel on CR3; bit 1 makes SYSCALL and SYSRETQ switch without a TLB flush
 * and SYSRETQ without an exit.
 */
#define PVM_VIF_PGD_PAIR 0x1u
#define PVM_VIF_DIRECT_SWITCH 0x2u

/* The host's per-vCPU page (virtual interrupt flag, CR2 cell): zero, ours to keep. */
static uint8_t vif_page[PAGE_SIZE] __attribute__((aligned(4096)));

static uint16_t read_cs(void)
{
    uint16_t cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    return cs;
}

void pvm_enter_native_mode(uint64_t boot_info_pa)
{
    if (boot_info_pa >= MINIVM_MAX_GPA - sizeof(struct minivm_boot_info))
        early_panic("boot info address out of range");
    const struct minivm_boot_info *bi = phys_to_virt(boot_info_pa);
    if (!(bi->flags & MINIVM_BOOT_FLAG_PVM))
        early_panic("this kernel needs kvm_pvm's native mode, and the VMM did not set it up");
    if (rdmsr(MINIVM_PVM_MSR_SIGNATURE) != MINIVM_PVM_SIGNATURE)
        early_panic("kvm_pvm signature missing");
    wrmsr(MINIVM_PVM_MSR_VIF, virt_to_phys(vif_page) | PVM_VIF_PGD_PAIR | PVM_VIF_DIRECT_SWITCH);
    /* Natively, kernel code runs on the hardware's user code selector. */
    if (read_cs() != SEL_USER_CODE)
        early_panic("kvm_pvm did not switch to native mode");
}
