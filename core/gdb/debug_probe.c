#include "core/gdb/debug_probe.h"

#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROBE_MEMORY 0x4000u
#define PROBE_DATA 0x3000u

/* Real-mode code at 0x1000 (single step), 0x1010 (int3), 0x1020 (a store
 * the watchpoint catches); each ends in hlt. */
static const struct probe_code {
    uint16_t at;
    uint8_t bytes[4];
} probe_code[] = {
    {0x1000, {0x90, 0xf4}},             /* nop; hlt */
    {0x1010, {0xcc, 0xf4}},             /* int3; hlt */
    {0x1020, {0xa2, 0x00, 0x30, 0xf4}}, /* mov [0x3000], al; hlt */
};

struct scratch {
    int vm, vcpu;
    struct kvm_run *run;
    size_t run_size;
    uint8_t *mem;
};

/* Runs from `rip` with `control` (and DR0/DR7); the exit, or -1. */
static int run_once(struct scratch *s, uint64_t rip, uint32_t control, uint64_t dr0, uint64_t dr7)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs;
    memset(&regs, 0, sizeof regs);
    regs.rip = rip;
    regs.rflags = 2;
    struct kvm_guest_debug d;
    memset(&d, 0, sizeof d);
    d.control = control;
    d.arch.debugreg[0] = dr0;
    d.arch.debugreg[7] = dr7;
    if (ioctl(s->vcpu, KVM_GET_SREGS, &sregs) < 0)
        return -1;
    sregs.cs.base = sregs.ds.base = 0;
    sregs.cs.selector = sregs.ds.selector = 0;
    if (ioctl(s->vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(s->vcpu, KVM_SET_REGS, &regs) < 0 ||
        ioctl(s->vcpu, KVM_SET_GUEST_DEBUG, &d) < 0 || ioctl(s->vcpu, KVM_RUN, 0) < 0)
        return -1;
    return (int)s->run->exit_reason;
}

static void probe_in(struct scratch *s, struct debug_capabilities *caps)
{
    for (size_t i = 0; i < sizeof probe_code / sizeof probe_code[0]; i++)
        memcpy(s->mem + probe_code[i].at, probe_code[i].bytes, sizeof probe_code[i].bytes);
    int step = run_once(s, 0x1000, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0);
    if (step != KVM_EXIT_DEBUG && step != KVM_EXIT_HLT)
        return; /* the scratch guest does not run here: assume everything works */
    caps->single_step = step == KVM_EXIT_DEBUG;
    caps->software_breakpoints =
        run_once(s, 0x1010, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, 0, 0) == KVM_EXIT_DEBUG &&
        s->run->debug.arch.exception == 3;
    caps->hardware_points =
        run_once(s, 0x1020, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, PROBE_DATA,
                 1 | 1u << 16 /* L0, write, one byte */) == KVM_EXIT_DEBUG &&
        (s->run->debug.arch.dr6 & 1);
}

void debug_probe(int kvm_fd, struct debug_capabilities *caps)
{
    caps->single_step = caps->software_breakpoints = caps->hardware_points = true;
    struct scratch s = {.vm = -1, .vcpu = -1, .run = MAP_FAILED, .mem = MAP_FAILED};
    int run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    s.vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    s.mem = mmap(NULL, PROBE_MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (run_size > 0 && s.vm >= 0 && s.mem != MAP_FAILED) {
        struct kvm_userspace_memory_region region = {
            .slot = 0, .guest_phys_addr = 0, .memory_size = PROBE_MEMORY,
            .userspace_addr = (unsigned long)s.mem};
        s.run_size = (size_t)run_size;
        if (ioctl(s.vm, KVM_SET_USER_MEMORY_REGION, &region) == 0)
            s.vcpu = ioctl(s.vm, KVM_CREATE_VCPU, 0);
        if (s.vcpu >= 0)
            s.run = mmap(NULL, s.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, s.vcpu, 0);
        if (s.run != MAP_FAILED)
            probe_in(&s, caps);
    }
    if (s.run != MAP_FAILED)
        munmap(s.run, s.run_size);
    if (s.vcpu >= 0)
        close(s.vcpu);
    if (s.mem != MAP_FAILED)
        munmap(s.mem, PROBE_MEMORY);
    if (s.vm >= 0)
        close(s.vm);
}
