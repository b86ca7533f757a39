#include "proc/signal_names.h"

#include "lib/format.h"

/* The generic codes (<asm-generic/siginfo.h>). */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TKILL (-6)

static const char *const signal_names[] = {
    [1] = "SIGHUP",   [2] = "SIGINT",     [3] = "SIGQUIT",  [4] = "SIGILL",    [5] = "SIGTRAP",
    [6] = "SIGABRT",  [7] = "SIGBUS",     [8] = "SIGFPE",   [9] = "SIGKILL",   [10] = "SIGUSR1",
    [11] = "SIGSEGV", [12] = "SIGUSR2",   [13] = "SIGPIPE", [14] = "SIGALRM",  [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP",  [20] = "SIGTSTP",
    [21] = "SIGTTIN", [22] = "SIGTTOU",   [23] = "SIGURG",  [24] = "SIGXCPU",  [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",  [32] = "SIGRTMIN",
};

const char *signal_name(int signo, char buf[12])
{
    if (signo >= 1 && signo <= 32)
        return signal_names[signo];
    if (signo > 32 && signo <= 64) {
        ksnprintf(buf, 12, "SIGRT_%d", signo - 32);
        return buf;
    }
    ksnprintf(buf, 12, "%d", signo);
    return buf;
}

/* Each signal's own codes, from 1. */
static const char *const segv_codes[] = {0, "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR",
                                         "SEGV_PKUERR"};
static const char *const bus_codes[] = {0, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR"};
static const char *const ill_codes[] = {0,            "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR",
                                        "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC",
                                        "ILL_BADSTK"};
static const char *const fpe_codes[] = {0,            "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV",
                                        "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV",
                                        "FPE_FLTSUB"};
static const char *const trap_codes[] = {0, "TRAP_BRKPT", "TRAP_TRACE"};
static const char *const chld_codes[] = {0,           "CLD_EXITED",  "CLD_KILLED",
                                         "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED",
                                         "CLD_CONTINUED"};

#define NAME_IN(table)                                                                         \
    (code > 0 && (uint32_t)code < sizeof(table) / sizeof(table[0]) ? table[code] : 0)

const char *signal_code_name(int signo, int32_t code)
{
    switch (code) {
    case SI_USER:
        return "SI_USER";
    case SI_KERNEL:
        return "SI_KERNEL";
    case SI_QUEUE:
        return "SI_QUEUE";
    case SI_TKILL:
        return "SI_TKILL";
    default:
        break;
    }
    switch (signo) {
    case 11:
        return NAME_IN(segv_codes);
    case 7:
        return NAME_IN(bus_codes);
    case 4:
        return NAME_IN(ill_codes);
    case 8:
        return NAME_IN(fpe_codes);
    case 5:
        return NAME_IN(trap_codes);
    case 17:
        return NAME_IN(chld_codes);
    default:
        return 0;
    }
}
