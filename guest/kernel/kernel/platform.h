/* The platform device: how the guest ends the run and reports trace lines. */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* The program exited: minivm exits with status & 0xff. Does not return. */
__attribute__((noreturn)) void platform_exit(int status);

/* The program died of a signal: minivm prints a line and exits 128 + signo. */
/* `cause`: PLATFORM_DEATH_* (platform_abi.h), for the message. */
__attribute__((noreturn)) void platform_signal_death(int signo, uint64_t rip, uint64_t addr,
                                                     uint32_t cause);

/* Lines the VMM prints before the message of the next platform_signal_death
 * (the crash report; `report` must be in the kernel image). */
void platform_set_death_report(const char *report, size_t len);

/* The kernel panicked; `msg` must be in the kernel image. Does not return. */
__attribute__((noreturn)) void platform_panic(const char *msg, size_t len);

/* Sleeps `ns` nanoseconds (at most PLATFORM_SLEEP_MAX_NS) in the host: one
 * VM exit. Without the platform device, returns at once. */
void platform_sleep(uint64_t ns);

/* A batch of whole --strace lines (kernel/strace_out.h), `len` at most
 * PLATFORM_STRACE_MAX; `buf` must be in the kernel image. */
void platform_strace_write(const char *buf, size_t len);

/* A trace line (printed by the VMM only under --trace). */
void platform_trace(const char *msg, size_t len);

#endif
