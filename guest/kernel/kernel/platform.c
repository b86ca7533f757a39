#include "kernel/platform.h"

#include "arch/cpu.h"
#include "kernel/devices.h"
#include "kernel/hypercall.h"
#include "mm/addr.h"
#include "platform/platform_abi.h"

/* Separate blocks so a panic while another platform call is being filled in
 * (say, a fault inside platform_trace) does not clobber it. */
static struct platform_args call_block __attribute__((aligned(64)));
static struct platform_args panic_block __attribute__((aligned(64)));
/* The crash report that goes with the next signal death (in the kernel image). */
static const char *death_report;
static size_t death_report_len;
static struct platform_args strace_block __attribute__((aligned(64)));

static void halt_with(const char *why)
{
    /* No platform device: leave a clue in registers for the VMM's HLT dump. */
    for (;;)
        __asm__ volatile("cli; hlt" ::"a"(0xdeadbeefull), "D"(why) : "memory");
}

void platform_exit(int status)
{
    if (devices()->has_platform) {
        call_block = (struct platform_args){.hdr.op = PLATFORM_OP_EXIT, .status = status};
        hypercall(devices()->platform, &call_block.hdr);
    }
    halt_with("platform exit did not end the VM");
    __builtin_unreachable();
}

void platform_signal_death(int signo, uint64_t rip, uint64_t addr, uint32_t cause)
{
    if (devices()->has_platform) {
        call_block = (struct platform_args){.hdr.op = PLATFORM_OP_SIGNAL_DEATH,
                                            .signo = signo,
                                            .rip = rip,
                                            .addr = addr,
                                            .cause = cause};
        if (death_report != 0) {
            call_block.msg_gpa = virt_to_phys(death_report);
            call_block.msg_len = death_report_len;
        }
        hypercall(devices()->platform, &call_block.hdr);
    }
    halt_with("platform signal death did not end the VM");
    __builtin_unreachable();
}

void platform_set_death_report(const char *report, size_t len)
{
    death_report = len != 0 ? report : 0;
    death_report_len = len;
}

void platform_panic(const char *msg, size_t len)
{
    if (devices()->has_platform) {
        panic_block = (struct platform_args){
            .hdr.op = PLATFORM_OP_PANIC, .msg_gpa = virt_to_phys(msg), .msg_len = len};
        hypercall(devices()->platform, &panic_block.hdr);
    }
    halt_with(msg);
    __builtin_unreachable();
}

void platform_trace(const char *msg, size_t len)
{
    if (!devices()->has_platform)
        return;
    call_block = (struct platform_args){
        .hdr.op = PLATFORM_OP_TRACE, .msg_gpa = virt_to_phys(msg), .msg_len = len};
    hypercall(devices()->platform, &call_block.hdr);
}

void platform_sleep(uint64_t ns)
{
    if (!devices()->has_platform)
        return;
    call_block = (struct platform_args){.hdr.op = PLATFORM_OP_SLEEP, .sleep_ns = ns};
    hypercall(devices()->platform, &call_block.hdr);
}

void platform_strace_write(const char *buf, size_t len)
{
    if (!devices()->has_platform)
        return;
    strace_block = (struct platform_args){
        .hdr.op = PLATFORM_OP_STRACE, .msg_gpa = virt_to_phys(buf), .msg_len = len};
    hypercall(devices()->platform, &strace_block.hdr);
}
