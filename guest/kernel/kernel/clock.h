/*
 * Time for the program, without a VM exit per call.
 *
 * With the clock device (kind "clock", plugins/clock): its REALTIME and
 * MONOTONIC registers are read at boot and again after at most a second
 * (RESYNC_NS); in between both clocks advance with the local clock below.
 * With `start = ...` in the device's config the wall clock starts at that
 * instant, so runs are reproducible.
 *
 * Without it (fallback): monotonic time is the local clock since the kernel
 * started, and wall-clock time is boot_info.boot_time_ns (the host's time when
 * the VM was built) plus that; host clock changes made while the program runs
 * are not followed.
 *
 * The local clock is the TSC, scaled with KVM's own factor from kvmclock when
 * the CPUID says it is there, else by boot_info.tsc_khz (or, failing that, the
 * frequency CPUID reports). The anchor and the scale live in the vvar page
 * (kernel/vvar.h), which processes read through the vDSO: both compute time
 * the same way, so the system calls and the vDSO agree. An anchor older than
 * a second sends the vDSO to the kernel, which re-anchors then.
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

void clock_init(void);

/* Nanoseconds since the VM started (the kernel, without the device); never goes back. */
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since the epoch. */
uint64_t clock_realtime_ns(void);

/* The clock tick programs count in (AT_CLKTCK, times(), /proc's tick
 * fields), Linux's USER_HZ. */
#define USER_HZ 100

/* Waits `ns` nanoseconds. There is no timer interrupt yet, so this spins
 * (with PAUSE); a host-side sleep operation would give the CPU back. */
void clock_delay_ns(uint64_t ns);

#endif
