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
 * The local clock is KVM's paravirtual clock (kvmclock) when the CPUID says it
 * is there, else the TSC scaled by boot_info.tsc_khz (or, failing that, the
 * frequency CPUID reports).
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

void clock_init(void);

/* Nanoseconds since the VM started (the kernel, without the device); never goes back. */
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since the epoch. */
uint64_t clock_realtime_ns(void);

/* Waits `ns` nanoseconds. There is no timer interrupt yet, so this spins
 * (with PAUSE); a host-side sleep operation would give the CPU back. */
void clock_delay_ns(uint64_t ns);

#endif
