#include "core/gdb/stub_state.h"

#include <stddef.h>
#include <string.h>

#include "core/gdb/gdb_vcpu.h"
#include "minivm/gdb_events.h"

struct followed_thread *stub_find_thread(struct gdb_stub *st, uint32_t tid)
{
    for (size_t i = 0; i < st->thread_count; i++) {
        if ((uint32_t)st->threads[i].tid == tid)
            return &st->threads[i];
    }
    return NULL;
}

/* The thread running on the vCPU: the one whose kernel stack is the TSS's
 * RSP0 (read through the guest kernel's own mappings); the main thread when
 * that cannot be told. */
uint32_t stub_running_thread(struct gdb_stub *st, uint64_t cr3)
{
    uint64_t tss, rsp0 = 0;
    struct guest_address_space kernel = {&st->vmm->memory, cr3 & PTE_ADDRESS, 0, true};
    if (gdb_vcpu_tss_base(vcpu_fd(st), &tss) == 0 &&
        guest_virt_read(&kernel, tss + 4, (uint8_t *)&rsp0, sizeof rsp0) == sizeof rsp0) {
        for (size_t i = 0; i < st->thread_count; i++) {
            if (st->threads[i].kstack_top == rsp0)
                return (uint32_t)st->threads[i].tid;
        }
    }
    return (uint32_t)st->pid;
}

/* A thread that is not running: its user registers as it saved them on
 * entering the kernel (general registers, rip, flags, cs/ss), just below
 * its kernel stack's top, read through the guest kernel's mappings (the
 * kernel half is the same in every address space); the rest (x87/SSE,
 * fs_base) lives in kernel structures the stub does not read. */
static uint64_t frame_address(const struct followed_thread *t)
{
    return t->kstack_top - sizeof(struct gdb_user_frame);
}

static struct guest_address_space kernel_space(const struct gdb_stub *st)
{
    uint64_t rip, rflags, cr3 = 0;
    gdb_vcpu_position(vcpu_fd(st), &rip, &rflags, &cr3);
    return (struct guest_address_space){&st->vmm->memory, cr3 & PTE_ADDRESS, 0, true};
}

int stub_thread_get(struct gdb_stub *st, const struct followed_thread *t, struct x86_registers *r)
{
    struct gdb_user_frame f; /* one copy */
    struct guest_address_space kernel = kernel_space(st);
    if (guest_virt_read(&kernel, frame_address(t), (uint8_t *)&f, sizeof f) != sizeof f)
        return -1;
    memset(r, 0, sizeof *r);
    uint64_t gpr[16] = {f.rax, f.rbx, f.rcx, f.rdx, f.rsi, f.rdi, f.rbp, f.rsp,
                        f.r8,  f.r9,  f.r10, f.r11, f.r12, f.r13, f.r14, f.r15};
    memcpy(r->gpr, gpr, sizeof gpr);
    r->rip = f.rip;
    r->eflags = (uint32_t)f.rflags;
    r->segment[0] = (uint32_t)f.cs;
    r->segment[1] = (uint32_t)f.ss;
    r->orig_rax = ~0ull;
    return 0;
}

int stub_thread_set(struct gdb_stub *st, const struct followed_thread *t,
                     const struct x86_registers *r)
{
    struct gdb_user_frame f;
    struct guest_address_space kernel = kernel_space(st);
    if (guest_virt_read(&kernel, frame_address(t), (uint8_t *)&f, sizeof f) != sizeof f)
        return -1;
    const uint64_t *g = r->gpr;
    f.rax = g[0], f.rbx = g[1], f.rcx = g[2], f.rdx = g[3], f.rsi = g[4], f.rdi = g[5];
    f.rbp = g[6], f.rsp = g[7], f.r8 = g[8], f.r9 = g[9], f.r10 = g[10], f.r11 = g[11];
    f.r12 = g[12], f.r13 = g[13], f.r14 = g[14], f.r15 = g[15];
    f.rip = r->rip;
    /* The arithmetic flags and DF only, as for the running thread; the guest
     * kernel checks the rest of the frame before it returns to user mode. */
    f.rflags = (f.rflags & ~0xcd5ull) | (r->eflags & 0xcd5ull);
    return guest_virt_write(&kernel, frame_address(t), (const uint8_t *)&f, sizeof f) == sizeof f
               ? 0
               : -1;
}

/* One field of a thread's frame, read and written through the kernel's mappings. */
static int frame_field(struct gdb_stub *st, const struct followed_thread *t, size_t offset,
                       uint64_t *value, bool write)
{
    struct guest_address_space kernel = kernel_space(st);
    uint64_t at = frame_address(t) + offset;
    size_t n = write ? guest_virt_write(&kernel, at, (const uint8_t *)value, sizeof *value)
                     : guest_virt_read(&kernel, at, (uint8_t *)value, sizeof *value);
    return n == sizeof *value ? 0 : -1;
}

int stub_thread_set_trap_flag(struct gdb_stub *st, const struct followed_thread *t, bool on)
{
    uint64_t rflags;
    size_t at = offsetof(struct gdb_user_frame, rflags);
    if (frame_field(st, t, at, &rflags, false) != 0)
        return -1;
    rflags = on ? rflags | 0x100 : rflags & ~0x100ull;
    return frame_field(st, t, at, &rflags, true);
}

uint64_t stub_thread_rip(struct gdb_stub *st, const struct followed_thread *t)
{
    uint64_t rip = 0;
    return frame_field(st, t, offsetof(struct gdb_user_frame, rip), &rip, false) == 0 ? rip : 0;
}

int stub_thread_set_rip(struct gdb_stub *st, const struct followed_thread *t, uint64_t rip)
{
    return frame_field(st, t, offsetof(struct gdb_user_frame, rip), &rip, true);
}
