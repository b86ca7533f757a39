#include "kernel/gdb_events.h"

#include <minivm/gdb_events.h>

#include "kernel/boot_info.h"
#include "kernel/devices.h"
#include "kernel/hypercall.h"

static struct gdb_event_args event_block __attribute__((aligned(64)));

bool gdb_events_enabled(void)
{
    const struct minivm_boot_info *bi = boot_info();
    return bi != 0 && (bi->flags & MINIVM_BOOT_FLAG_GDB) != 0;
}

/* The stub's port, when --gdb is on. */
static bool stub_port(uint16_t *port)
{
    return gdb_events_enabled() && devices_find_port(GDB_EVENTS_KIND, port);
}

static int64_t report(const struct gdb_event_args *event)
{
    uint16_t port;
    if (!stub_port(&port))
        return 0;
    event_block = *event;
    return hypercall(port, &event_block.hdr);
}

void gdb_report_start(int pid, uint64_t rip, uint64_t cr3, uint64_t kstack_top)
{
    report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_START,
                                    .pid = pid,
                                    .tid = pid,
                                    .rip = rip,
                                    .cr3 = cr3,
                                    .kstack_top = kstack_top});
}

void gdb_report_thread(int pid, int tid, uint64_t kstack_top)
{
    report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_THREAD,
                                    .pid = pid,
                                    .tid = tid,
                                    .kstack_top = kstack_top});
}

void gdb_report_thread_exit(int pid, int tid)
{
    report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_THREAD_EXIT, .pid = pid, .tid = tid});
}

void gdb_report_exec(int pid)
{
    report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_EXEC, .pid = pid});
}

bool gdb_report_trap(int pid, int tid, int vector, uint64_t frame_end)
{
    return report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_TRAP,
                                           .pid = pid,
                                           .tid = tid,
                                           .status = vector,
                                           .kstack_top = frame_end}) == 1;
}

void gdb_report_exit(int pid, int status)
{
    report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_EXIT, .pid = pid, .status = status & 0xff});
}

void gdb_report_killed(int pid, int signo)
{
    report(&(struct gdb_event_args){.hdr.op = GDB_EVENT_KILLED, .pid = pid, .status = signo});
}
