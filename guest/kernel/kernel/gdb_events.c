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

static void report(uint32_t op, int pid, int status, uint64_t rip, uint64_t cr3)
{
    uint16_t port;
    if (!stub_port(&port))
        return;
    event_block = (struct gdb_event_args){
        .hdr.op = op, .pid = pid, .status = status, .rip = rip, .cr3 = cr3};
    hypercall(port, &event_block.hdr);
}

void gdb_report_start(int pid, uint64_t rip, uint64_t cr3)
{
    report(GDB_EVENT_START, pid, 0, rip, cr3);
}

void gdb_report_exec(int pid)
{
    report(GDB_EVENT_EXEC, pid, 0, 0, 0);
}

void gdb_report_exit(int pid, int status)
{
    report(GDB_EVENT_EXIT, pid, status & 0xff, 0, 0);
}

void gdb_report_killed(int pid, int signo)
{
    report(GDB_EVENT_KILLED, pid, signo, 0, 0);
}
