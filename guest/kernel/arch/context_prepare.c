#include "arch/context_switch.h"

#include "arch/trap_frame.h"
#include "lib/string.h"

extern char context_first_return[];

/* What context_switch pops: r15 r14 r13 r12 rbx rbp, then the return address. */
#define SWITCH_SAVED_REGS 6

uint64_t context_prepare_return(struct trap_frame *tf, const void *entry)
{
    uint64_t *sp = (uint64_t *)tf;
    *--sp = (uint64_t)entry;
    for (int i = 0; i < SWITCH_SAVED_REGS; i++)
        *--sp = 0;
    return (uint64_t)sp;
}

uint64_t context_prepare_first_return(uint64_t kstack_top, const struct trap_frame *frame)
{
    struct trap_frame *tf = (struct trap_frame *)(kstack_top - sizeof *tf);
    memcpy(tf, frame, sizeof *tf);
    return context_prepare_return(tf, context_first_return);
}
