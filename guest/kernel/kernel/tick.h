/*
 * The preemption tick, from the timer device (plugins/timer/timer_abi.h):
 * while the kernel says it wants ticks, the device raises TICK_VECTOR every
 * few milliseconds, delivered when the CPU runs user code (the kernel runs
 * with interrupts off, so it is never preempted itself). Without the device
 * scheduling is cooperative: a task runs until it blocks or exits.
 */
#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H

#include <stdbool.h>

#define TICK_VECTOR 32

/* Finds the timer device and tells it where the "ticks wanted" word is. */
void tick_init(void);

/* Whether ticks arrive (the device exists and took the set-up). */
bool tick_available(void);

/* Asks for ticks, or stops them: a plain store the device reads on its
 * own tick, no exit. */
void tick_request(bool wanted);

#endif
