/*
 * Signal dispositions the fuzzer installs and the frames it hands to
 * rt_sigreturn. Every code address that reaches the kernel is one of ours
 * (a handler, the restorer, a landing) or one nobody can execute: a fuzzed
 * RIP must never run arbitrary code.
 */
#ifndef GUEST_FUZZ_SIGNALS_H
#define GUEST_FUZZ_SIGNALS_H

#include <stdint.h>

#include "tests/fuzz/guest/rng.h"

/* Linux's struct sigaction as the rt_sigaction system call reads it. */
struct kernel_sigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

/* The signal the supervisor sends a stalled batch: its handler (installed
 * by signals_install_wake_handler, without SA_RESTART) makes the blocked
 * call fail with EINTR. Fuzzed calls may change or block it; then the
 * supervisor kills the batch instead. */
#define WAKE_SIGNAL 23 /* SIGURG: ignored by default, so a stray one is harmless */
void signals_install_wake_handler(void);

/* Seeds the handlers' own decisions (tampering) for this process. */
void signals_seed(uint64_t seed);
/* A handler value: SIG_DFL, SIG_IGN, one of ours, or a bad address. */
uint64_t signals_pick_handler(struct rng *r);
/* A complete struct the kernel may read (handler/restorer always safe). */
void signals_fill_action(struct rng *r, struct kernel_sigaction *act);
/* Builds a crafted rt_sigframe and enters it with rt_sigreturn; returns when
 * the frame's RIP brought it to the resume landing (else the process ends).
 * log_fd >= 0: describe the frame there first. */
void signals_crafted_sigreturn(struct rng *r, int log_fd);

/* How many times handlers ran in this process. */
extern volatile uint64_t signals_handled;

#endif
