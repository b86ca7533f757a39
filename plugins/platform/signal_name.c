#include "signal_name.h"

#include <stdio.h>

static const char *const classic[32] = {
    [1] = "SIGHUP",   [2] = "SIGINT",   [3] = "SIGQUIT",    [4] = "SIGILL",
    [5] = "SIGTRAP",  [6] = "SIGABRT",  [7] = "SIGBUS",     [8] = "SIGFPE",
    [9] = "SIGKILL",  [10] = "SIGUSR1", [11] = "SIGSEGV",   [12] = "SIGUSR2",
    [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",   [16] = "SIGSTKFLT",
    [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP",   [20] = "SIGTSTP",
    [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",    [24] = "SIGXCPU",
    [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
    [29] = "SIGIO",   [30] = "SIGPWR",  [31] = "SIGSYS",
};

enum { KERNEL_SIGRTMIN = 32, KERNEL_SIGRTMAX = 64 };

void signal_name(int signo, char *buf, size_t cap)
{
    if (signo >= 1 && signo < KERNEL_SIGRTMIN)
        snprintf(buf, cap, "%s", classic[signo]);
    else if (signo == KERNEL_SIGRTMIN)
        snprintf(buf, cap, "SIGRTMIN");
    else if (signo > KERNEL_SIGRTMIN && signo < KERNEL_SIGRTMAX)
        snprintf(buf, cap, "SIGRTMIN+%d", signo - KERNEL_SIGRTMIN);
    else if (signo == KERNEL_SIGRTMAX)
        snprintf(buf, cap, "SIGRTMAX");
    else
        snprintf(buf, cap, "signal %d", signo);
}
