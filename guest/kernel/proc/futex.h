/*
 * Futexes between threads and processes, keyed as Linux keys them: a word in
 * private memory (or any word of a FUTEX_PRIVATE_FLAG operation) by its
 * address space and virtual address, so copy-on-write after a fork cannot
 * separate a waiter from its waker; a word in MAP_SHARED memory by its
 * physical address, where every process that maps the page meets. The
 * kernel is never preempted (interrupts reach it only in user mode), so
 * "compare the word, then sleep" is atomic.
 */
#ifndef KERNEL_PROC_FUTEX_H
#define KERNEL_PROC_FUTEX_H

#include <stdbool.h>
#include <stdint.h>

struct process;

#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* Sleeps while the word at `uaddr` is `val`, until a wake with a matching
 * bitset, the monotonic `deadline_ns` (0: none) or a signal: 0, -EAGAIN
 * (the word differs), -ETIMEDOUT, -ERESTARTSYS / -EINTR (a signal; EINTR
 * when `restartable` is false), -EFAULT, -EINVAL (unaligned). */
int futex_wait(struct process *p, bool private_op, uint64_t uaddr, uint32_t val, uint32_t bitset,
               uint64_t deadline_ns, int restartable);

/* Wakes up to `n` waiters on `uaddr` whose bitset meets `bitset`; how many. */
int64_t futex_wake(struct process *p, bool private_op, uint64_t uaddr, int32_t n, uint32_t bitset);

/* Wakes up to `n` waiters on `uaddr` and moves up to `n2` more to wait on
 * `uaddr2`; woken + moved. With `check`, first -EAGAIN unless the word at
 * `uaddr` is `cmpval` (FUTEX_CMP_REQUEUE). */
int64_t futex_requeue(struct process *p, bool private_op, uint64_t uaddr, uint64_t uaddr2, int32_t n, int32_t n2,
                      int check, uint32_t cmpval);

/* FUTEX_WAKE_OP: applies `encoded_op` to the word at `uaddr2`, wakes up to
 * `n` on `uaddr` and, when the old value meets the op's comparison, up to
 * `n2` on `uaddr2`. */
int64_t futex_wake_op(struct process *p, bool private_op, uint64_t uaddr, uint64_t uaddr2, int32_t n, int32_t n2,
                      uint32_t encoded_op);

#endif
