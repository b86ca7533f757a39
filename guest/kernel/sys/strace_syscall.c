/*
 * --strace lines for system calls: "name(args) = result", split as strace
 * splits them. The entry prints the arguments up to the first one the call
 * writes; the exit prints the rest and the result. Between the two, another
 * task's line turns this one into "<unfinished ...>" / "<... name resumed>"
 * (kernel/strace_out.c).
 */
#include "sys/strace.h"

#include "arch/trap_frame.h"
#include "kernel/strace_out.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "sys/strace_decode.h"
#include "sys/syscall.h"

/* Arguments printed at entry: those before the first the call writes. */
static int entry_args(const struct strace_syscall *s)
{
    int n = 0;
    while (n < s->nargs && !strace_arg_is_out((enum strace_arg)s->arg[n]))
        n++;
    return n;
}

/* Prints arguments [from, to), each after ", " but the first of the call
 * (at entry, the ", " before the first out argument is printed already,
 * as strace does: "wait4(-1,  <unfinished ...>"). */
static void print_args(const struct strace_syscall *s, const uint64_t *args, int from, int to,
                       int64_t result)
{
    bool first = true;
    for (int i = from; i < to; i++) {
        enum strace_arg kind = (enum strace_arg)s->arg[i];
        if (strace_arg_skipped(kind, args, i))
            continue;
        if (i > 0 && !(first && strace_arg_is_out(kind)))
            strace_puts(", ");
        strace_print_arg(kind, args, i, result);
        first = false;
    }
}

/* clone(flags, stack, parent_tid, child_tid, tls) the way strace names it. */
static void print_clone(const uint64_t *args)
{
    uint64_t flags = args[0];
    strace_puts("child_stack=");
    strace_print_ptr(args[1]);
    strace_puts(", flags=");
    strace_print_arg(SA_CLONE_FLAGS, args, 0, 0);
    if (flags & 0x00100000u) { /* CLONE_PARENT_SETTID */
        strace_puts(", parent_tid=");
        strace_print_ptr(args[2]);
    }
    if (flags & 0x01200000u) { /* CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID */
        strace_puts(", child_tidptr=");
        strace_print_ptr(args[3]);
    }
    if (flags & 0x00080000u) { /* CLONE_SETTLS */
        strace_puts(", tls=");
        strace_print_ptr(args[4]);
    }
}

/* The mask rt_sigreturn restores: uc_sigmask in the rt_sigframe whose
 * return address the handler's `ret` popped (proc/signal_frame.c). */
#define SIGFRAME_MASK_FROM_RSP 296u

static void print_rt_sigreturn(const struct syscall_call *c)
{
    uint64_t mask;
    strace_puts("{mask=");
    if (copy_from_user(&mask, c->frame->rsp + SIGFRAME_MASK_FROM_RSP, sizeof mask) == 0)
        strace_print_sigset(mask);
    else
        strace_puts("?");
    strace_puts("}");
}

static void print_name(uint64_t nr)
{
    const char *name = syscall_name(nr);
    if (name[0] == '?')
        strace_printf("syscall_%#lx", nr);
    else
        strace_puts(name);
}

/*
 * strace's first line is the execve that started the traced program. The
 * kernel loaded minivm's program itself, so that line is written from what
 * the load left in user memory: the argv strings and, just below the auxv,
 * the envp array (proc/user_stack.c's layout).
 */
static void print_program_exec(const struct process *p)
{
    const struct exec_layout *l = &p->layout;
    uint64_t envc = strace_count_strings(l->env_start, l->env_end);
    strace_line_begin(p->pid, false);
    strace_puts("execve(");
    strace_print_user_string(l->arg_start, STRACE_PATH_MAX);
    strace_puts(", ");
    strace_print_string_area(l->arg_start, l->arg_end);
    strace_printf(", %#lx /* %lu var%s */)", l->auxv_start - 8 * (envc + 1), envc,
                  envc == 1 ? "" : "s");
    strace_result_column();
    strace_puts("0");
    strace_line_end();
}

void strace_syscall_entry(const struct syscall_call *c)
{
    static bool program_exec_shown;
    if (!program_exec_shown && c->proc->pid == PROGRAM_PID) {
        program_exec_shown = true;
        print_program_exec(c->proc);
    }
    const struct strace_syscall *s = strace_syscall_info(c->nr);
    strace_line_begin(c->thread->tid, thread_count() > 1);
    print_name(c->nr);
    strace_puts("(");
    if (s == 0) {
        /* Undecoded: the six raw registers in hex, as strace shows an unknown call. */
        for (int i = 0; i < 6; i++) {
            if (i > 0)
                strace_puts(", ");
            strace_print_hex(c->arg[i]);
        }
        return;
    }
    if (s->special == SS_CLONE)
        print_clone(c->arg);
    else if (s->special == SS_RT_SIGRETURN)
        print_rt_sigreturn(c);
    else
        print_args(s, c->arg, 0, entry_args(s), 0);
    if (entry_args(s) > 0 && entry_args(s) < s->nargs)
        strace_puts(", ");
    if (s->ret == SR_NONE) {
        strace_puts(")");
        strace_result_column();
        strace_puts("?");
        strace_line_end();
    }
}

static bool is_error(int64_t result)
{
    return result < 0 && result >= -4095;
}

static void print_error(int64_t result)
{
    const struct strace_errno *e = strace_errno(-result);
    if (e == 0) {
        strace_printf("-1 (errno %ld)", -result);
        return;
    }
    /* The restart codes never reach the program: strace shows them as "?". */
    strace_printf("%s %s (%s)", -result >= 512 ? "?" : "-1", e->name, e->text);
}

/* fcntl's F_GETFD / F_GETFL results, as strace adds their meaning. */
static void print_fcntl_result(const uint64_t *args, int64_t result)
{
    strace_print_hex((uint64_t)result);
    if ((uint32_t)args[1] == 1) { /* F_GETFD */
        if (result == 1)
            strace_puts(" (flags FD_CLOEXEC)");
    } else if ((uint32_t)args[1] == 3) { /* F_GETFL */
        strace_puts(" (flags ");
        strace_print_open_flags((uint64_t)result);
        strace_puts(")");
    }
}

static void print_result(const struct strace_syscall *s, const uint64_t *args, int64_t result)
{
    strace_result_column();
    if (is_error(result)) {
        print_error(result);
        return;
    }
    switch (s != 0 ? s->ret : SR_INT) {
    case SR_HEX:
        strace_print_hex((uint64_t)result);
        break;
    case SR_OCT:
        strace_print_octal((uint64_t)result);
        break;
    case SR_FCNTL:
        if ((uint32_t)args[1] == 1 || (uint32_t)args[1] == 3)
            print_fcntl_result(args, result);
        else
            strace_printf("%ld", result);
        break;
    default:
        strace_printf("%ld", result);
        break;
    }
}

void strace_syscall_exit(const struct syscall_call *c, uint64_t nr, int64_t result)
{
    const struct strace_syscall *s = strace_syscall_info(nr);
    if (s != 0 && s->ret == SR_NONE)
        return; /* printed whole at entry (an exit that failed is not worth a second line) */
    const char *name = syscall_name(nr);
    strace_line_resume(c->thread->tid, thread_count() > 1, name[0] == '?' ? "syscall" : name);
    if (s != 0 && s->special == SS_NONE)
        print_args(s, c->arg, entry_args(s), s->nargs, result);
    strace_puts(")");
    print_result(s, c->arg, result);
    strace_line_end();
}
