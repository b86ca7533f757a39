#include "core/gdb/gdb_signals.h"

#define GDB_SIGNAL_UNKNOWN 143

/* Linux 1..31 → gdb. 16 is Linux's SIGSTKFLT, which gdb has no name for. */
static const unsigned char linux_to_gdb[32] = {
    [1] = 1,   /* HUP */  [2] = 2,   /* INT */   [3] = 3,   /* QUIT */  [4] = 4,   /* ILL */
    [5] = 5,   /* TRAP */ [6] = 6,   /* ABRT */  [7] = 10,  /* BUS */   [8] = 8,   /* FPE */
    [9] = 9,   /* KILL */ [10] = 30, /* USR1 */  [11] = 11, /* SEGV */  [12] = 31, /* USR2 */
    [13] = 13, /* PIPE */ [14] = 14, /* ALRM */  [15] = 15, /* TERM */  [16] = GDB_SIGNAL_UNKNOWN,
    [17] = 20, /* CHLD */ [18] = 19, /* CONT */  [19] = 17, /* STOP */  [20] = 18, /* TSTP */
    [21] = 21, /* TTIN */ [22] = 22, /* TTOU */  [23] = 16, /* URG */   [24] = 24, /* XCPU */
    [25] = 25, /* XFSZ */ [26] = 26, /* VTALRM */ [27] = 27, /* PROF */ [28] = 28, /* WINCH */
    [29] = 23, /* IO */   [30] = 32, /* PWR */   [31] = 12, /* SYS */
};

int gdb_signal_from_linux(int signo)
{
    if (signo >= 1 && signo <= 31)
        return linux_to_gdb[signo];
    if (signo == 32)
        return 77; /* GDB_SIGNAL_REALTIME_32 */
    if (signo >= 33 && signo <= 63)
        return 45 + (signo - 33); /* GDB_SIGNAL_REALTIME_33.. */
    if (signo == 64)
        return 78; /* GDB_SIGNAL_REALTIME_64 */
    return GDB_SIGNAL_UNKNOWN;
}
