#include "core/gdb/stub_state.h"

#include <string.h>

#include "core/gdb/gdb_vcpu.h"

static int target_get_registers(void *ctx, uint32_t thread, struct x86_registers *regs)
{
    struct gdb_stub *st = ctx;
    const struct followed_thread *t = stub_find_thread(st, thread);
    if ((thread == st->session.thread && !st->frame_stop) || !t)
        return gdb_vcpu_get(vcpu_fd(st), regs);
    if (stub_thread_get(st, t, regs) != 0)
        return -1;
    /* Stopped in the guest kernel's report: the kernel touches neither FS
     * nor the x87/SSE state, so those on the vCPU are still the thread's. */
    struct x86_registers cpu;
    if (thread == st->session.thread && gdb_vcpu_get(vcpu_fd(st), &cpu) == 0) {
        memcpy(regs->st, cpu.st, sizeof regs->st);
        memcpy(regs->x87, cpu.x87, sizeof regs->x87);
        memcpy(regs->xmm, cpu.xmm, sizeof regs->xmm);
        regs->mxcsr = cpu.mxcsr;
        regs->fs_base = cpu.fs_base;
    }
    return 0;
}

static int target_set_registers(void *ctx, uint32_t thread, const struct x86_registers *regs)
{
    struct gdb_stub *st = ctx;
    const struct followed_thread *t = stub_find_thread(st, thread);
    if ((thread == st->session.thread && !st->frame_stop) || !t)
        return gdb_vcpu_set(vcpu_fd(st), regs);
    return stub_thread_set(st, t, regs);
}

static size_t target_list_threads(void *ctx, uint32_t *ids, size_t max)
{
    struct gdb_stub *st = ctx;
    size_t n = 0;
    for (; n < st->thread_count && n < max; n++)
        ids[n] = (uint32_t)st->threads[n].tid;
    return n;
}

static size_t target_read_memory(void *ctx, uint64_t addr, uint8_t *buf, size_t len)
{
    struct gdb_stub *st = ctx;
    struct guest_address_space as = followed_space(st);
    size_t n = guest_virt_read(&as, addr, buf, len);
    /* gdb sees the program's bytes, not the int3s put in for it. */
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++) {
        const struct sw_breakpoint *bp = &st->points.sw[i];
        if (bp->used && bp->addr >= addr && bp->addr - addr < n)
            buf[bp->addr - addr] = bp->saved;
    }
    return n;
}

static size_t target_write_memory(void *ctx, uint64_t addr, const uint8_t *buf, size_t len)
{
    struct gdb_stub *st = ctx;
    struct guest_address_space as = followed_space(st);
    return guest_virt_write(&as, addr, buf, len);
}

/* An int3 at `addr` of the followed process, for gdb or for the stub. */
int stub_insert_int3(struct gdb_stub *st, uint64_t addr, bool by_stub)
{
    struct sw_breakpoint *bp = debug_points_find_sw(&st->points, addr);
    if (!bp) {
        bp = debug_points_free_sw(&st->points);
        struct guest_address_space as = followed_space(st);
        struct guest_page page;
        if (!bp || guest_page_walk(&as, addr, &page) != 0)
            return -1;
        /* Without int3 reports the breakpoint is only a note the stepping
         * compares rip with: nothing is written. */
        if (st->caps.software_breakpoints &&
            guest_page_patch_byte(&as, addr, INT3, &bp->saved) != 0)
            return -1;
        bp->used = true;
        bp->addr = addr;
        bp->gpa = page.gpa;
    }
    if (by_stub)
        bp->by_stub = true;
    else
        bp->by_gdb = true;
    return 0;
}

/* Puts the replaced byte back, unless the page no longer holds our int3
 * (its process is gone and the page reused): then it is not ours to touch. */
void stub_restore_byte(struct gdb_stub *st, const struct sw_breakpoint *bp)
{
    uint8_t *host = guest_memory_ptr(&st->vmm->memory, bp->gpa, 1);
    if (st->caps.software_breakpoints && host && *host == INT3)
        *host = bp->saved;
}

/* Drops one owner's claim; the int3 goes when nobody needs it. Removing a
 * breakpoint that is not there succeeds: after an execve the stub has taken
 * the old image's out itself, and gdb removes them again at its next stop. */
int stub_remove_int3(struct gdb_stub *st, uint64_t addr, bool by_stub)
{
    struct sw_breakpoint *bp = debug_points_find_sw(&st->points, addr);
    if (!bp)
        return 0;
    if (by_stub)
        bp->by_stub = false;
    else
        bp->by_gdb = false;
    if (!bp->by_stub && !bp->by_gdb) {
        if (st->stepping_over == bp)
            st->stepping_over = NULL;
        stub_restore_byte(st, bp);
        memset(bp, 0, sizeof *bp);
    }
    return 0;
}

static enum debug_slot_kind slot_kind(enum gdb_point_type type)
{
    return type == GDB_POINT_HARDWARE ? DEBUG_SLOT_EXECUTE
           : type == GDB_POINT_WRITE  ? DEBUG_SLOT_WRITE
                                      : DEBUG_SLOT_ACCESS;
}

static int target_insert_point(void *ctx, enum gdb_point_type type, uint64_t addr, uint64_t len)
{
    struct gdb_stub *st = ctx;
    if (addr >= st->user_end)
        return -1;
    if (type == GDB_POINT_SOFTWARE)
        return stub_insert_int3(st, addr, false);
    if (!st->caps.hardware_points)
        return 1; /* unsupported: gdb falls back to software watchpoints */
    return debug_points_add_gdb(&st->points, slot_kind(type), (uint8_t)type, addr, len);
}

static int target_remove_point(void *ctx, enum gdb_point_type type, uint64_t addr, uint64_t len)
{
    struct gdb_stub *st = ctx;
    if (type == GDB_POINT_SOFTWARE)
        return stub_remove_int3(st, addr, false);
    if (!st->caps.hardware_points)
        return 1;
    return debug_points_remove_gdb(&st->points, slot_kind(type), addr, len);
}

const struct gdb_target_ops stub_target_ops = {
    .get_registers = target_get_registers,
    .set_registers = target_set_registers,
    .list_threads = target_list_threads,
    .read_memory = target_read_memory,
    .write_memory = target_write_memory,
    .insert_point = target_insert_point,
    .remove_point = target_remove_point,
};
