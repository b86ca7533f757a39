/*
 * Time for the program. Monotonic time comes from KVM's paravirtual clock
 * (kvmclock) when the CPUID says it is there, else from the TSC scaled by
 * boot_info.tsc_khz (or, failing that, the frequency CPUID reports). Wall-clock time is boot_info.boot_time_ns plus the
 * monotonic time elapsed since boot: it does not follow host clock changes
 * made while the program runs (a clock device could fix that later).
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

void clock_init(void);

/* Nanoseconds since the kernel started. */
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since the epoch. */
uint64_t clock_realtime_ns(void);

/* Waits `ns` nanoseconds. There is no timer interrupt yet, so this spins
 * (with PAUSE); a host-side sleep operation would give the CPU back. */
void clock_delay_ns(uint64_t ns);

#endif
