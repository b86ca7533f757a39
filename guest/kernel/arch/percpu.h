/*
 * Per-CPU data, reached through GS in the higher-half kernel (SWAPGS on every
 * entry from and exit to user mode). Under kvm_pvm's native mode SWAPGS is a
 * privileged instruction that exits, and there is no FSGSBASE: there the one
 * CPU's block is a plain global (percpu_cpu0). There is one CPU today; the
 * layout is what SMP needs. The first fields are used by the entry code at
 * fixed offsets.
 */
#ifndef KERNEL_ARCH_PERCPU_H
#define KERNEL_ARCH_PERCPU_H

#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP 16
#define PERCPU_CURRENT 24
#define PERCPU_CURRENT_PROC 32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct process;
struct thread;
struct tss;

struct percpu {
    struct percpu *self;
    uint64_t kernel_rsp; /* top of the current process's kernel stack */
    uint64_t user_rsp;   /* scratch for syscall entry */
    struct thread *current;       /* the running thread */
    struct process *current_proc; /* its process (kept with it: fs and mm ask for it) */
    struct tss *tss;
    uint32_t cpu_id;
};

_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, current) == PERCPU_CURRENT, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, current_proc) == PERCPU_CURRENT_PROC, "percpu");

/* Sets GS base (kernel) to this CPU's block; KERNEL_GS_BASE (user's GS) to 0.
 * (kvm_pvm native mode: GS stays the user's.) */
void percpu_init(void);

extern struct percpu percpu_cpu0;

#ifdef MINIVM_KERNEL_PVM
static inline struct percpu *this_cpu(void)
{
    return &percpu_cpu0;
}
#else
static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
    return p;
}
#endif

/* The running thread; NULL before the first one exists. */
static inline struct thread *current_thread(void)
{
    return this_cpu()->current;
}

/* The process of the running thread; NULL before the first one exists. */
static inline struct process *current_process(void)
{
    return this_cpu()->current_proc;
}

/* Makes `t` (of process `p`) the running thread of this CPU. */
static inline void percpu_set_current(struct thread *t, struct process *p)
{
    this_cpu()->current = t;
    this_cpu()->current_proc = p;
}

/* Makes `kstack_top` the stack of entries from user mode: the CPU's (TSS.RSP0),
 * or under kvm_pvm the one the entry code moves to from the entry stack. */
void percpu_set_kernel_stack(uint64_t kstack_top);

#endif
#endif
