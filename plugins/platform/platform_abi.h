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
    PLATFORM_OP_SIGNAL_DEATH = 2, /* signo, rip, addr: message, minivm exits 128+signo;
                                     msg (optional): the crash report, printed first */
    PLATFORM_OP_PANIC = 3,        /* message: "guest kernel panic: ...", minivm exits 125 */
    PLATFORM_OP_TRACE = 4,        /* message: printed as "minivm: trace: ..." when --trace */
    PLATFORM_OP_SLEEP = 5,        /* sleep_ns: the vCPU sleeps in the host (nothing to run) */
    PLATFORM_OP_STRACE = 6,       /* msg: whole --strace lines, written to stderr or the
                                     --strace-output file; -EPERM without --strace */
};

/* Longest PLATFORM_OP_SLEEP; longer requests sleep this long. The guest asks
 * again if it needs more: the bound keeps the VMM responsive (--timeout). */
#define PLATFORM_SLEEP_MAX_NS 1000000000ull

/* Longest message the host prints; longer ones are cut. */
#define PLATFORM_MESSAGE_MAX 4096u

/* Longest batch of --strace lines (PLATFORM_OP_STRACE): one guest page. The
 * host writes printable ASCII and '\n' only (the guest's formatter escapes
 * everything else as strace does), cuts a longer batch and ends it with '\n'. */
#define PLATFORM_STRACE_MAX 4096u

struct platform_args {
    struct minivm_hc_header hdr;
    int32_t status;    /* EXIT */
    int32_t signo;     /* SIGNAL_DEATH: Linux signal number 1..64 */
    uint64_t rip;      /* SIGNAL_DEATH: user rip at the fault */
    uint64_t addr;     /* SIGNAL_DEATH: faulting address (CR2 for page faults), else 0 */
    uint64_t msg_gpa;  /* PANIC/TRACE/SIGNAL_DEATH/STRACE: message bytes (not NUL-terminated) */
    uint64_t msg_len;  /* PANIC/TRACE/SIGNAL_DEATH (0: none): at most PLATFORM_MESSAGE_MAX
                          is printed; STRACE: at most PLATFORM_STRACE_MAX */
    uint64_t sleep_ns; /* SLEEP: how long (monotonic); result 0, or -EINTR if cut short */
    uint32_t cause;    /* SIGNAL_DEATH: PLATFORM_DEATH_* */
    uint32_t pad;
};

/* Why the program died (platform_args.cause), for the message. */
#define PLATFORM_DEATH_SIGNAL 0        /* a signal: a fault, kill(2), ... */
#define PLATFORM_DEATH_OUT_OF_MEMORY 1 /* killed because the guest's memory ran out */

#endif
