/*
 * MMIO ABI of the clock device (kind "clock"). One 4 KiB window, 8-byte reads:
 *
 *   0x00 REALTIME_NS   wall-clock time, ns since 1970-01-01T00:00:00Z
 *   0x08 MONOTONIC_NS  ns since the VM started (never goes back)
 *   0x10 FLAGS         CLOCK_FLAG_FIXED_START when the wall clock was started at
 *                      a configured instant (`start = ...`) for reproducible runs
 *
 * Each read is a VM exit, so the guest kernel reads the device to anchor its
 * clocks and advances them with RDTSC in between (boot_info.tsc_khz); reads
 * are exact at the moment of the exit. Other offsets or widths are refused.
 */
#ifndef MINIVM_CLOCK_ABI_H
#define MINIVM_CLOCK_ABI_H

#define CLOCK_KIND "clock"
#define CLOCK_WINDOW_SIZE 0x1000u

#define CLOCK_REG_REALTIME_NS 0x00u
#define CLOCK_REG_MONOTONIC_NS 0x08u
#define CLOCK_REG_FLAGS 0x10u

#define CLOCK_FLAG_FIXED_START 0x1u

#endif
