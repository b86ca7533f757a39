/* Signal and si_code names as Linux's headers (and strace) spell them: one
 * table for the --strace lines and the crash reports. */
#ifndef KERNEL_PROC_SIGNAL_NAMES_H
#define KERNEL_PROC_SIGNAL_NAMES_H

#include <stdint.h>

/* "SIGSEGV", "SIGRTMIN", "SIGRT_5" (strace's names: 32 is glibc's RTMIN);
 * for a number out of range, its decimal digits in `buf` (room for 12). */
const char *signal_name(int signo, char buf[12]);

/* "SEGV_MAPERR", "CLD_EXITED", "SI_TKILL", ... for `code` sent with
 * `signo`; NULL for a code without a name. */
const char *signal_code_name(int signo, int32_t code);

#endif
