#ifndef KERNEL_ARCH_CONTEXT_SWITCH_H
#define KERNEL_ARCH_CONTEXT_SWITCH_H

#include <stdint.h>

struct trap_frame;

/* Saves the callee-saved registers and RSP in *save_sp, then continues on the
 * kernel stack saved at next_sp. Returns when something switches back. */
void context_switch(uint64_t *save_sp, uint64_t next_sp);

/*
 * Prepares the kernel stack whose top is `kstack_top` so that the first
 * context_switch to the returned stack pointer enters user mode with
 * `*frame` (copied to the top of that stack).
 */
/* A stack for context_switch to "return" from into `entry` (code that
 * expects the trap frame `tf` right above its return address, as
 * trap_return does): 6 zero callee-saved slots, then `entry`, below `tf`. */
uint64_t context_prepare_return(struct trap_frame *tf, const void *entry);

uint64_t context_prepare_first_return(uint64_t kstack_top, const struct trap_frame *frame);

#endif
