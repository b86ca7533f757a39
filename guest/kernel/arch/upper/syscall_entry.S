/*
 * SYSCALL entry of the higher-half kernel. The CPU has put the user RIP in RCX
 * and RFLAGS in R11, loaded kernel CS/SS from STAR and masked RFLAGS with
 * SFMASK (IF, DF, TF, AC, NT off); RSP is still the user's. We switch to the
 * process's kernel stack (per-CPU data through GS after SWAPGS), build a
 * struct trap_frame like an exception would, and call syscall_dispatch(frame),
 * the one C entry point for all syscalls.
 *
 * Exit: SYSRET when the frame still describes an ordinary return to 64-bit
 * user code at a canonical lower-half RIP; otherwise IRETQ (trap_return).
 */
#include "arch/percpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"

    .text
    .code64
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    SYSCALL_FRAME_AND_DISPATCH %gs:PERCPU_USER_RSP
    JUMP_UNLESS_SYSRET_EXACT trap_return, 0x00007ffffffff000
    POP_FOR_SYSRET
    swapgs
    sysretq
