/*
 * The frames of a user program's stack at a fatal fault, for the crash
 * report: the frame-pointer chain where there is one (reliable), and a
 * conservative scan of the stack for return addresses where there is none
 * (guesses, marked as the Linux kernel marks them, with "?").
 */
#ifndef KERNEL_PROC_CRASH_BACKTRACE_H
#define KERNEL_PROC_CRASH_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

struct mm;

#define CRASH_MAX_FRAMES 24

struct crash_frame {
    uint64_t addr;  /* the faulting rip (frame 0) or a return address */
    bool guess;     /* found by the stack scan, not the frame-pointer chain */
};

/*
 * Fills `frames` (CRASH_MAX_FRAMES) from rip/rsp/rbp of the faulting thread
 * in `mm`: frame 0 is rip, then return addresses, innermost first. Every
 * stack word is read through the checked user-memory copy; the chain must
 * stay inside the stack's VMA, aligned and strictly increasing; a value
 * counts as a return address only when it lies in an executable mapping
 * right after a call instruction. Returns the number of frames (>= 1).
 */
int crash_backtrace(struct mm *mm, uint64_t rip, uint64_t rsp, uint64_t rbp,
                    struct crash_frame *frames);

#endif
