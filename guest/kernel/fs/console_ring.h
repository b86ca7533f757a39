/*
 * The console output ring (plugins/console/console_abi.h): small writes to
 * stdout and stderr are appended to a ring in guest memory instead of costing
 * a VM exit each; the host writes them out in order before every console
 * call, on its periodic tick and when the VM ends.
 */
#ifndef KERNEL_FS_CONSOLE_RING_H
#define KERNEL_FS_CONSOLE_RING_H

#include <stdbool.h>
#include <stdint.h>

/* Asks the console device for a ring; without one every write is direct. */
void console_ring_init(void);

/* Appends write(2) of [ubuf, ubuf + len) to `stream` when the ring takes it
 * (a small write, a stream not sent around the ring) and stores the result
 * in *result; false when the caller must write directly. */
bool console_ring_write(uint32_t stream, uint64_t ubuf, uint64_t len, int64_t *result);

/* Has the host write out what the ring holds. Runs before every hypercall to
 * another device (hypercall_before_other_devices), so that what the program
 * wrote first reaches the host first (a file written after a message, an exit
 * after the last line). */
void console_ring_flush(void);

#endif
