/*
 * Hypercall ABI of the platform device (kind "platform"): how the guest kernel
 * ends the run (program exit, death by signal, kernel panic) and reports trace
 * lines. One port; `outl` the GPA of a struct platform_args.
 */
#ifndef MINIVM_PLATFORM_ABI_H
#define MINIVM_PLATFORM_ABI_H

#include <minivm/hypercall.h>

#define PLATFORM_KIND "platform"

enum platform_op {
    PLATFORM_OP_EXIT = 1,         /* status: minivm exits with status & 0xff */
    PLATFORM_OP_SIGNAL_DEATH = 2, /* signo, rip, addr: message, minivm exits 128+signo */
    PLATFORM_OP_PANIC = 3,        /* message: "guest kernel panic: ...", minivm exits 125 */
    PLATFORM_OP_TRACE = 4,        /* message: printed as "minivm: trace: ..." when --trace */
};

/* Longest message the host prints; longer ones are cut. */
#define PLATFORM_MESSAGE_MAX 4096u

struct platform_args {
    struct minivm_hc_header hdr;
    int32_t status;    /* EXIT */
    int32_t signo;     /* SIGNAL_DEATH: Linux signal number 1..64 */
    uint64_t rip;      /* SIGNAL_DEATH: user rip at the fault */
    uint64_t addr;     /* SIGNAL_DEATH: faulting address (CR2 for page faults), else 0 */
    uint64_t msg_gpa;  /* PANIC/TRACE: message bytes (not NUL-terminated) */
    uint64_t msg_len;  /* PANIC/TRACE: at most PLATFORM_MESSAGE_MAX is printed */
};

#endif
