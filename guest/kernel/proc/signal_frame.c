#include "proc/signal_frame.h"

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "proc/signal.h"

/* Below the interrupted stack pointer: the System V red zone is not ours. */
#define RED_ZONE 128
#define UC_SIGCONTEXT_SS 0x2
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_DF (1ull << 10)

struct k_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* user address of the FXSAVE image, 0 for none */
    uint64_t reserved1[8];
};

struct k_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    struct {
        uint64_t ss_sp;
        int32_t ss_flags;
        int32_t pad;
        uint64_t ss_size;
    } uc_stack;
    struct k_sigcontext uc_mcontext;
    uint64_t uc_sigmask;
};

struct k_siginfo {
    int32_t si_signo, si_errno, si_code, pad;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status;
        } child; /* also the kill() sender: pid, uid */
        uint8_t bytes[112];
    } u;
};

struct rt_sigframe {
    uint64_t pretcode;
    struct k_ucontext uc;
    struct k_siginfo info;
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "sigcontext");
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo");
_Static_assert(__builtin_offsetof(struct rt_sigframe, uc.uc_mcontext) == 48, "ucontext");

static void save_registers(struct k_sigcontext *sc, const struct trap_frame *tf)
{
    *sc = (struct k_sigcontext){
        .r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
        .r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
        .rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
        .rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp,
        .rip = tf->rip, .eflags = tf->rflags,
        .cs = SEL_USER_CODE, .ss = SEL_USER_DATA,
        .trapno = tf->vector == TRAP_VECTOR_SYSCALL ? 0 : tf->vector,
        .err = tf->vector == TRAP_VECTOR_SYSCALL ? 0 : tf->error_code,
    };
}

int signal_frame_push(struct process *p, struct trap_frame *tf, int signo,
                      const struct pending_info *info)
{
    const struct k_sigaction *a = &p->sigactions[signo - 1];
    uint64_t sp = tf->rsp - RED_ZONE;
    uint64_t fp_at = (sp - FPU_STATE_SIZE) & ~63ull;
    uint64_t frame_at = ((fp_at - sizeof(struct rt_sigframe)) & ~15ull) - 8;

    static struct rt_sigframe frame; /* one CPU, no preemption */
    memset(&frame, 0, sizeof frame);
    frame.pretcode = a->restorer;
    frame.uc.uc_flags = UC_SIGCONTEXT_SS;
    frame.uc.uc_stack.ss_flags = 2; /* SS_DISABLE: no alternate stack */
    save_registers(&frame.uc.uc_mcontext, tf);
    /* The mask sigreturn restores: rt_sigsuspend's caller's, not its temporary one. */
    uint64_t restore_mask = p->restore_sigmask ? p->saved_sigmask : p->sigmask;
    frame.uc.uc_mcontext.oldmask = restore_mask;
    frame.uc.uc_mcontext.fpstate = fp_at;
    frame.uc.uc_sigmask = restore_mask;
    frame.info.si_signo = signo;
    frame.info.si_code = info->code;
    frame.info.u.child.pid = info->pid;
    frame.info.u.child.uid = info->pid != 0 ? PROCESS_UID : 0;
    frame.info.u.child.status = info->status;

    /* The one place besides a process switch that touches FPU registers. */
    static struct fpu_state fpu;
    fpu_save(&fpu);
    memset(fpu.bytes + 464, 0, FPU_STATE_SIZE - 464); /* no XSAVE extension: sw_reserved 0 */
    int err = copy_to_user(fp_at, &fpu, sizeof fpu);
    if (err == 0)
        err = copy_to_user(frame_at, &frame, sizeof frame);
    if (err != 0)
        return -EFAULT;

    p->restore_sigmask = false;
    /* The handler starts with a clean FPU state, as on Linux. */
    fpu_init_state(&fpu);
    fpu_restore(&fpu);
    tf->rdi = (uint64_t)signo;
    tf->rsi = frame_at + __builtin_offsetof(struct rt_sigframe, info);
    tf->rdx = frame_at + __builtin_offsetof(struct rt_sigframe, uc);
    tf->rax = 0;
    tf->rsp = frame_at;
    tf->rip = a->handler;
    tf->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    tf->cs = SEL_USER_CODE;
    tf->ss = SEL_USER_DATA;

    p->sigmask |= a->mask;
    if (!(a->flags & SA_NODEFER))
        p->sigmask |= sig_bit(signo);
    p->sigmask &= ~SIG_UNBLOCKABLE;
    if (a->flags & SA_RESETHAND)
        p->sigactions[signo - 1].handler = SIG_DFL;
    return 0;
}

int signal_frame_pop(struct process *p, struct trap_frame *tf)
{
    static struct rt_sigframe frame;
    uint64_t frame_at = tf->rsp - 8;
    if (copy_from_user(&frame, frame_at, sizeof frame) != 0)
        return -EFAULT;
    const struct k_sigcontext *sc = &frame.uc.uc_mcontext;
    /* IRETQ to a non-canonical RIP would fault in the kernel. */
    if (!user_address_valid(sc->rip))
        return -EFAULT;
    if (sc->fpstate != 0) {
        static struct fpu_state fpu;
        if (copy_from_user(&fpu, sc->fpstate, sizeof fpu) != 0)
            return -EFAULT;
        fpu_sanitize(&fpu);
        fpu_restore(&fpu);
    }
    tf->r8 = sc->r8;
    tf->r9 = sc->r9;
    tf->r10 = sc->r10;
    tf->r11 = sc->r11;
    tf->r12 = sc->r12;
    tf->r13 = sc->r13;
    tf->r14 = sc->r14;
    tf->r15 = sc->r15;
    tf->rdi = sc->rdi;
    tf->rsi = sc->rsi;
    tf->rbp = sc->rbp;
    tf->rbx = sc->rbx;
    tf->rdx = sc->rdx;
    tf->rax = sc->rax;
    tf->rcx = sc->rcx;
    tf->rsp = sc->rsp;
    tf->rip = sc->rip;
    /* Never IOPL or IF from user space; segments are always the user's. */
    tf->rflags = (sc->eflags & USER_RFLAGS_MASK) | RFLAGS_IF | RFLAGS_RESERVED1;
    tf->cs = SEL_USER_CODE;
    tf->ss = SEL_USER_DATA;
    p->sigmask = frame.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
    return 0;
}
