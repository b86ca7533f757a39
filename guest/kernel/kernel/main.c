/*
 * kmain: bring the kernel up in an order where every step can rely on the
 * previous ones — exception handling first, so that any later mistake
 * produces a panic message instead of a silent triple fault.
 */
#include "arch/cpu_setup.h"
#include "arch/ext_state.h"
#include "arch/gdt.h"
#include "arch/idt.h"
#include "arch/percpu.h"
#ifdef MINIVM_KERNEL_PVM
#include "arch/pvm/native_mode.h"
#endif
#include "arch/user_entry.h"
#include "fs/console_ring.h"
#include "fs/host_mount.h"
#include "fs/page_cache.h"
#include "kernel/boot_info.h"
#include "kernel/clock.h"
#include "kernel/devices.h"
#include "kernel/kernel_mounts.h"
#include "kernel/log.h"
#include "kernel/random.h"
#include "kernel/strace_out.h"
#include "kernel/tick.h"
#include "mm/kernel_vm.h"
#include "mm/page_ref.h"
#include "mm/pmm.h"
#include "proc/process.h"

#include <stdint.h>

__attribute__((noreturn)) void kmain(uint64_t boot_info_pa);

#ifdef MINIVM_KERNEL_PANIC_TEST
/* Only in the panic test kernel (guest/kernel/BUILD): a kernel-mode write to
 * an unmapped address, which must end in a panic that names this function
 * and its caller. */
__attribute__((noinline)) void panic_test_fault(void);
__attribute__((noinline)) void panic_test_fault(void)
{
    *(volatile uint32_t *)0x10 = 1;
}
#endif

void kmain(uint64_t boot_info_pa)
{
    gdt_init(); /* our segments and TSS (IST stacks) */
#ifdef MINIVM_KERNEL_PVM
    pvm_enter_native_mode(boot_info_pa); /* before anything costly: until then, emulated */
#endif
    idt_init();    /* from here on, faults are reported, not triple faults */
    percpu_init(); /* GS base for the syscall path */

    boot_info_init(boot_info_pa); /* validated before anything trusts it */
    devices_init();               /* platform device: panics can now be reported */
    strace_out_init();            /* --strace: read the flag once */

    cpu_setup_features(!(boot_info()->flags & MINIVM_BOOT_FLAG_EMULATED_KERNEL));
    cpu_setup_syscall();
    pmm_init();
    page_ref_init(); /* while RAM is one contiguous run */
    kernel_vm_init(); /* our page tables: W^X kernel image, stack guard pages */
    user_entry_init();
    ext_state_init(boot_info()->flags & MINIVM_BOOT_FLAG_EMULATED_KERNEL); /* after the pmm */
    clock_init();
    tick_init(); /* preemption, when the timer device is there */
    random_init();
    console_ring_init(); /* small writes to stdout/stderr without an exit each */
    host_mounts_init();  /* the root and the other host directories */
    pmm_set_reclaimer(page_cache_reclaim); /* unmapped cached files go first */
    kernel_mounts_init(); /* tmpfs, /proc, /sys */
    ktrace("guest kernel up: %lu free pages, XCR0 %#lx", pmm_free_pages(), cpu_xcr0());

#ifdef MINIVM_KERNEL_PANIC_TEST
    panic_test_fault();
#endif
    process_start_first();
}
