#include "core/gdb/gdb_vcpu.h"

#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

/* The eflags gdb may change: the arithmetic flags and DF (CF PF AF ZF SF DF
 * OF). TF is the stub's (single-stepping), IF/IOPL/... the kernel's. */
#define USER_EFLAGS 0x0cd5ull

bool gdb_vcpu_debug_supported(int kvm_fd)
{
    return ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_GUEST_DEBUG) > 0;
}

/* The FXSAVE "abridged" tag (one bit per register, 1 = in use) as the full
 * x87 tag word gdb shows (two bits, 3 = empty; in use shown as 0 = valid). */
static uint32_t full_tag(uint8_t abridged)
{
    uint32_t tag = 0;
    for (int i = 0; i < 8; i++)
        tag |= (abridged & (1u << i) ? 0u : 3u) << (2 * i);
    return tag;
}

static uint8_t abridged_tag(uint32_t full)
{
    uint8_t tag = 0;
    for (int i = 0; i < 8; i++)
        tag |= (((full >> (2 * i)) & 3) != 3 ? 1u : 0u) << i;
    return tag;
}

/* The vCPU's general, segment and FPU state: what gdb's registers come
 * from, and what a write of them starts from. */
static int read_state(int vcpu_fd, struct kvm_regs *r, struct kvm_sregs *s, struct kvm_fpu *f)
{
    if (ioctl(vcpu_fd, KVM_GET_REGS, r) < 0 || ioctl(vcpu_fd, KVM_GET_SREGS, s) < 0 ||
        ioctl(vcpu_fd, KVM_GET_FPU, f) < 0)
        return -1;
    return 0;
}

int gdb_vcpu_get(int vcpu_fd, struct x86_registers *out)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    struct kvm_fpu f;
    if (read_state(vcpu_fd, &r, &s, &f) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    uint64_t gpr[16] = {r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp,
                        r.r8,  r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15};
    memcpy(out->gpr, gpr, sizeof gpr);
    out->rip = r.rip;
    out->eflags = (uint32_t)r.rflags;
    out->segment[0] = s.cs.selector;
    out->segment[1] = s.ss.selector;
    out->segment[2] = s.ds.selector;
    out->segment[3] = s.es.selector;
    out->segment[4] = s.fs.selector;
    out->segment[5] = s.gs.selector;
    out->fs_base = s.fs.base;
    out->gs_base = s.gs.base;
    for (int i = 0; i < 8; i++)
        memcpy(out->st[i], f.fpr[i], 10);
    out->x87[0] = f.fcw;
    out->x87[1] = f.fsw;
    out->x87[2] = full_tag(f.ftwx);
    out->x87[4] = (uint32_t)f.last_ip;
    out->x87[6] = (uint32_t)f.last_dp;
    out->x87[7] = f.last_opcode;
    memcpy(out->xmm, f.xmm, sizeof out->xmm);
    out->mxcsr = f.mxcsr;
    out->orig_rax = ~0ull;
    return 0;
}

int gdb_vcpu_set(int vcpu_fd, const struct x86_registers *in)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    struct kvm_fpu f;
    if (read_state(vcpu_fd, &r, &s, &f) != 0)
        return -1;
    const uint64_t *g = in->gpr;
    r.rax = g[0], r.rbx = g[1], r.rcx = g[2], r.rdx = g[3], r.rsi = g[4], r.rdi = g[5];
    r.rbp = g[6], r.rsp = g[7], r.r8 = g[8], r.r9 = g[9], r.r10 = g[10], r.r11 = g[11];
    r.r12 = g[12], r.r13 = g[13], r.r14 = g[14], r.r15 = g[15];
    r.rip = in->rip;
    r.rflags = (r.rflags & ~USER_EFLAGS) | (in->eflags & USER_EFLAGS);
    s.fs.base = in->fs_base;
    s.gs.base = in->gs_base;
    for (int i = 0; i < 8; i++)
        memcpy(f.fpr[i], in->st[i], 10);
    f.fcw = (uint16_t)in->x87[0];
    f.fsw = (uint16_t)in->x87[1];
    f.ftwx = abridged_tag(in->x87[2]);
    f.last_opcode = (uint16_t)in->x87[7];
    memcpy(f.xmm, in->xmm, sizeof f.xmm);
    /* MXCSR's reserved bits fault on restore: keep them clear. */
    f.mxcsr = in->mxcsr & 0xffffu;
    if (ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0 || ioctl(vcpu_fd, KVM_SET_SREGS, &s) < 0 ||
        ioctl(vcpu_fd, KVM_SET_FPU, &f) < 0)
        return -1;
    return 0;
}

int gdb_vcpu_tss_base(int vcpu_fd, uint64_t *base)
{
    struct kvm_sregs s;
    if (ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -1;
    *base = s.tr.base;
    return 0;
}

int gdb_vcpu_position(int vcpu_fd, uint64_t *rip, uint64_t *rflags, uint64_t *cr3)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0 || ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -1;
    *rip = r.rip;
    *rflags = r.rflags;
    *cr3 = s.cr3;
    return 0;
}

int gdb_vcpu_set_rip_rflags(int vcpu_fd, uint64_t rip, uint64_t rflags)
{
    struct kvm_regs r;
    if (ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -1;
    r.rip = rip;
    r.rflags = rflags;
    return ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0 ? -1 : 0;
}

int gdb_vcpu_set_debug(int vcpu_fd, const struct debug_points *dp, bool sw_breakpoints,
                       bool single_step)
{
    struct kvm_guest_debug d;
    memset(&d, 0, sizeof d);
    bool hw = debug_points_any_slot(dp);
    if (hw || sw_breakpoints || single_step) {
        d.control = KVM_GUESTDBG_ENABLE;
        if (sw_breakpoints)
            d.control |= KVM_GUESTDBG_USE_SW_BP;
        if (hw)
            d.control |= KVM_GUESTDBG_USE_HW_BP;
        if (single_step)
            d.control |= KVM_GUESTDBG_SINGLESTEP;
        for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++)
            d.arch.debugreg[i] = dp->slot[i].owner != DEBUG_OWNER_NONE ? dp->slot[i].addr : 0;
        d.arch.debugreg[7] = debug_points_dr7(dp);
    }
    return ioctl(vcpu_fd, KVM_SET_GUEST_DEBUG, &d) < 0 ? -1 : 0;
}

int gdb_vcpu_inject_breakpoint(int vcpu_fd)
{
    struct kvm_vcpu_events e;
    if (ioctl(vcpu_fd, KVM_GET_VCPU_EVENTS, &e) < 0)
        return -1;
    e.exception.injected = 1;
    e.exception.nr = 3;
    e.exception.has_error_code = 0;
    e.flags = 0;
    return ioctl(vcpu_fd, KVM_SET_VCPU_EVENTS, &e) < 0 ? -1 : 0;
}
