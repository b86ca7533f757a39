#include "proc/crash_report.h"

#include "arch/percpu.h"
#include "arch/trap_frame.h"
#include "arch/vectors.h"
#include "kernel/boot_info.h"
#include "kernel/platform.h"
#include "lib/format.h"
#include "platform/platform_abi.h"
#include "proc/crash_backtrace.h"
#include "proc/crash_symbols.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/signal_names.h"
#include "proc/thread.h"

#include <stdarg.h>

#define SIGSYS 31

/* Page-fault error code bits. */
#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)

/* The report: handed to the platform device by its guest-physical address,
 * so it lives in the kernel image. The host prints at most this much. */
static char report[PLATFORM_MESSAGE_MAX];

struct report_writer {
    char *buf;
    size_t size, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct report_writer *w, const char *fmt,
                                                      ...)
{
    if (w->len + 1 >= w->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(w->buf + w->len, w->size - w->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        w->len = w->len + (size_t)n < w->size ? w->len + (size_t)n : w->size - 1;
}

/* The signals Linux would dump core for: the ones a crash report is for. */
static bool reported_signal(int signo)
{
    return signo == SIGQUIT || signo == SIGILL || signo == SIGTRAP || signo == SIGABRT ||
           signo == SIGBUS || signo == SIGFPE || signo == SIGSEGV || signo == SIGSYS;
}

static void put_cause(struct report_writer *w, const struct process *p, const struct thread *t,
                      const struct trap_frame *tf, int signo, const struct pending_info *info)
{
    put(w, "pid %d", p->pid);
    if (t->tid != p->pid)
        put(w, " thread %d", t->tid);
    char name_buf[12];
    put(w, " (%s) killed by %s", t->comm, signal_name(signo, name_buf));
    const char *code = signal_code_name(signo, info->code);
    if (code != 0)
        put(w, " (%s)", code);
    else
        put(w, " (si_code %d)", info->code);
    if (info->code == SI_USER || info->code == SI_TKILL || info->code == -1)
        put(w, " sent by pid %d", info->pid);
    /* The access kind only for the fault itself (a page fault's SEGV_* or
     * BUS_* code), not for a signal that merely arrived after one. */
    if (tf->vector == VEC_PF && info->code > 0 && (signo == SIGSEGV || signo == SIGBUS)) {
        const char *access = (tf->error_code & PF_FETCH)   ? "instruction fetch at"
                             : (tf->error_code & PF_WRITE) ? "write to"
                                                           : "read of";
        put(w, ": %s address %#lx (%s)", access, info->addr,
            (tf->error_code & PF_PRESENT) ? "protection violation" : "page not present");
    } else if (info->addr != 0) {
        put(w, " at address %#lx", info->addr);
    }
    put(w, "\n");
}

static void put_registers(struct report_writer *w, const struct trap_frame *tf,
                          const struct thread *t)
{
    put(w, "rip %016lx rsp %016lx rbp %016lx rflags %08lx\n", tf->rip, tf->rsp, tf->rbp,
        tf->rflags);
    put(w, "rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
    put(w, "rsi %016lx rdi %016lx r8  %016lx r9  %016lx\n", tf->rsi, tf->rdi, tf->r8, tf->r9);
    put(w, "r10 %016lx r11 %016lx r12 %016lx r13 %016lx\n", tf->r10, tf->r11, tf->r12, tf->r13);
    put(w, "r14 %016lx r15 %016lx fs_base %016lx\n", tf->r14, tf->r15, t->fs_base);
}

static const char *base_name(const char *path)
{
    const char *base = path;
    for (const char *s = path; *s != '\0'; s++) {
        if (*s == '/' && s[1] != '\0')
            base = s + 1;
    }
    return base;
}

static void put_backtrace(struct report_writer *w, struct process *p, const struct trap_frame *tf)
{
    static struct crash_frame frames[CRASH_MAX_FRAMES];
    static struct crash_symbol symbols[CRASH_MAX_FRAMES];
    int n = crash_backtrace(p->mm, tf->rip, tf->rsp, tf->rbp, frames);
    crash_symbolize(p, frames, n, symbols);
    put(w, "backtrace (? marks a guess from the stack scan):\n");
    for (int i = 0; i < n; i++) {
        const struct crash_symbol *s = &symbols[i];
        put(w, "  #%-2d %016lx %s", i, frames[i].addr, frames[i].guess ? "? " : "");
        if (s->name[0] != '\0')
            put(w, "%s+%#lx", s->name, s->offset);
        else
            put(w, "??");
        if (s->file != 0)
            put(w, " (%s)", base_name(s->file));
        put(w, "\n");
    }
}

void crash_report_and_die(struct process *p, const struct trap_frame *tf, int signo,
                          const struct pending_info *info)
{
    bool first = p->pid == PROGRAM_PID;
    if (!reported_signal(signo) || (!first && !boot_trace_enabled()) || p->mm == 0)
        process_die_by_signal(p, signo, tf->rip, info->addr);
    struct thread *t = current_thread();
    struct report_writer w = {.buf = report, .size = sizeof report, .len = 0};
    put_cause(&w, p, t, tf, signo, info);
    put_registers(&w, tf, t);
    put_backtrace(&w, p, tf);
    if (first)
        platform_set_death_report(report, w.len);
    else
        platform_trace(report, w.len);
    process_die_by_signal(p, signo, tf->rip, info->addr);
}
