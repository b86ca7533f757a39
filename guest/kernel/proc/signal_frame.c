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
#include "proc/thread.h"

/* Below the interrupted stack pointer: the System V red zone is not ours. */
#define RED_ZONE 128
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
/* struct _fpx_sw_bytes in the image's software-reserved bytes, and the
 * word after the XSAVE area: how user space (and our sigreturn) knows the
 * frame carries the whole XSAVE state, not just the legacy image. */
#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#define FP_XSTATE_MAGIC2_SIZE 4u

struct fpx_sw_bytes {
    uint32_t magic1, extended_size;
    uint64_t xfeatures;
    uint32_t xstate_size;
    uint32_t padding[7];
};
_Static_assert(sizeof(struct fpx_sw_bytes) == FPU_LEGACY_SIZE - FPU_SW_RESERVED_OFFSET, "sw");

/* Bytes of FPU state in a frame: the image, and MAGIC2 after an XSAVE one. */
static uint32_t frame_fpu_size(void)
{
    return fpu_state_size() + (fpu_xsave_features() != 0 ? FP_XSTATE_MAGIC2_SIZE : 0);
}
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

void signal_siginfo_fill(void *out, int signo, const struct pending_info *info)
{
    struct k_siginfo si;
    memset(&si, 0, sizeof si);
    si.si_signo = signo;
    si.si_code = info->code;
    bool fault = info->code > 0 && info->code != SI_KERNEL &&
                 (signo == SIGSEGV || signo == SIGBUS || signo == SIGILL || signo == SIGFPE ||
                  signo == SIGTRAP);
    if (fault) {
        memcpy(si.u.bytes, &info->addr, sizeof info->addr); /* si_addr */
    } else {
        si.u.child.pid = info->pid;
        si.u.child.uid = info->pid != 0 ? PROCESS_UID : 0;
        si.u.child.status = info->status;
    }
    memcpy(out, &si, sizeof si);
}

static bool altstack_enabled(const struct signal_stack *ss)
{
    return !(ss->flags & SS_DISABLE) && ss->size != 0;
}

bool signal_on_altstack(const struct thread *t, uint64_t sp)
{
    const struct signal_stack *ss = &t->altstack;
    return altstack_enabled(ss) && sp - ss->sp < ss->size;
}

struct signal_stack signal_altstack_report(const struct thread *t, uint64_t sp)
{
    struct signal_stack ss = t->altstack;
    if (!altstack_enabled(&ss))
        return (struct signal_stack){.flags = SS_DISABLE};
    ss.flags = (ss.flags & (int32_t)SS_AUTODISARM) | (signal_on_altstack(t, sp) ? SS_ONSTACK : 0);
    ss.pad = 0;
    return ss;
}

/* Where the frame goes: below the interrupted stack pointer, or at the top
 * of the alternate stack when the handler asks for it and the thread is
 * not on it already. */
static uint64_t frame_stack_top(struct thread *t, const struct trap_frame *tf, uint64_t sa_flags)
{
    const struct signal_stack *ss = &t->altstack;
    if ((sa_flags & SA_ONSTACK) && altstack_enabled(ss) && !signal_on_altstack(t, tf->rsp))
        return ss->sp + ss->size;
    return tf->rsp - RED_ZONE;
}

int signal_frame_push(struct thread *t, struct trap_frame *tf, int signo,
                      const struct pending_info *info)
{
    struct process *p = t->proc;
    const struct k_sigaction *a = &p->sigactions[signo - 1];
    uint64_t sp = frame_stack_top(t, tf, a->flags);
    uint64_t fp_at = (sp - frame_fpu_size()) & ~63ull;
    uint64_t frame_at = ((fp_at - sizeof(struct rt_sigframe)) & ~15ull) - 8;

    static struct rt_sigframe frame; /* the kernel is never preempted */
    memset(&frame, 0, sizeof frame);
    frame.pretcode = a->restorer;
    frame.uc.uc_flags = UC_SIGCONTEXT_SS | (fpu_xsave_features() != 0 ? UC_FP_XSTATE : 0);
    struct signal_stack seen = signal_altstack_report(t, tf->rsp);
    frame.uc.uc_stack.ss_sp = seen.sp;
    frame.uc.uc_stack.ss_size = seen.size;
    frame.uc.uc_stack.ss_flags = seen.flags;
    save_registers(&frame.uc.uc_mcontext, tf);
    /* The mask sigreturn restores: rt_sigsuspend's caller's, not its temporary one. */
    uint64_t restore_mask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
    frame.uc.uc_mcontext.oldmask = restore_mask;
    frame.uc.uc_mcontext.fpstate = fp_at;
    frame.uc.uc_sigmask = restore_mask;
    signal_siginfo_fill(&frame.info, signo, info);

    /* The one place besides a process switch that touches FPU registers. */
    static struct fpu_state fpu;
    fpu_save(&fpu);
    struct fpx_sw_bytes sw = {0};
    if (fpu_xsave_features() != 0) {
        sw = (struct fpx_sw_bytes){.magic1 = FP_XSTATE_MAGIC1,
                                   .extended_size = frame_fpu_size(),
                                   .xfeatures = fpu_xsave_features(),
                                   .xstate_size = fpu_state_size()};
        uint32_t magic2 = FP_XSTATE_MAGIC2;
        memcpy(fpu.bytes + fpu_state_size(), &magic2, sizeof magic2);
    }
    memcpy(fpu.bytes + FPU_SW_RESERVED_OFFSET, &sw, sizeof sw);
    int err = copy_to_user(fp_at, &fpu, frame_fpu_size());
    if (err == 0)
        err = copy_to_user(frame_at, &frame, sizeof frame);
    if (err != 0)
        return -EFAULT;

    t->restore_sigmask = false;
    /* SS_AUTODISARM: the handler may switch stacks itself; sigreturn
     * brings the alternate stack back from the frame. */
    if ((t->altstack.flags & (int32_t)SS_AUTODISARM) && sp == t->altstack.sp + t->altstack.size)
        t->altstack = (struct signal_stack){.flags = SS_DISABLE};
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

    t->sigmask |= a->mask;
    if (!(a->flags & SA_NODEFER))
        t->sigmask |= sig_bit(signo);
    t->sigmask &= ~SIG_UNBLOCKABLE;
    if (a->flags & SA_RESETHAND)
        p->sigactions[signo - 1].handler = SIG_DFL;
    return 0;
}

int signal_frame_pop(struct thread *t, struct trap_frame *tf)
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
        if (copy_from_user(&fpu, sc->fpstate, FPU_LEGACY_SIZE) != 0)
            return -EFAULT;
        /* The whole XSAVE state when the frame says it has it, as we wrote
         * it (or a program built one the same way); else the legacy image. */
        struct fpx_sw_bytes sw;
        memcpy(&sw, fpu.bytes + FPU_SW_RESERVED_OFFSET, sizeof sw);
        bool full = fpu_xsave_features() != 0 && sw.magic1 == FP_XSTATE_MAGIC1 &&
                    sw.xstate_size == fpu_state_size() && sw.extended_size == frame_fpu_size();
        uint32_t magic2 = 0;
        if (full && (copy_from_user(fpu.bytes + FPU_LEGACY_SIZE, sc->fpstate + FPU_LEGACY_SIZE,
                                    fpu_state_size() - FPU_LEGACY_SIZE) != 0 ||
                     copy_from_user(&magic2, sc->fpstate + fpu_state_size(), sizeof magic2) != 0))
            return -EFAULT;
        fpu_sanitize(&fpu, full && magic2 == FP_XSTATE_MAGIC2);
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
    t->sigmask = frame.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
    if ((uint32_t)frame.uc.uc_stack.ss_flags & SS_AUTODISARM)
        t->altstack = (struct signal_stack){.sp = frame.uc.uc_stack.ss_sp,
                                            .size = frame.uc.uc_stack.ss_size,
                                            .flags = (int32_t)SS_AUTODISARM};
    return 0;
}
