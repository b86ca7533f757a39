/*
 * The end of threads and processes. A thread ends alone (exit) or with all
 * of its process (exit_group, a fatal signal); the process ends with its
 * last thread. PROGRAM_PID is the program minivm ran: its end ends the VM
 * with its status (or 128 + signal). Any other process releases its memory
 * and files at once and stays a zombie holding only its wait status until
 * its parent collects it (wait4/waitid, proc/wait.c).
 */
#include "arch/percpu.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "kernel/gdb_events.h"
#include "kernel/log.h"
#include "kernel/platform.h"
#include "kernel/sched.h"
#include "kernel/strace_out.h"
#include "mm/kernel_vm.h"
#include "mm/mm.h"
#include "platform/platform_abi.h"
#include "proc/debug_events.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/process_table.h"
#include "proc/signal.h"
#include "mm/uaccess.h"
#include "proc/futex.h"
#include "proc/itimer.h"
#include "proc/wait.h"

/* Linux wait-status encodings. */
#define WAIT_STATUS_EXITED(code) (((code) & 0xff) << 8)
#define WAIT_STATUS_SIGNALED(signo) ((signo) & 0x7f)

static struct process *detached_zombies;

/* --strace: "+++ exited with N +++" / "+++ killed by SIGX +++" for `tid`;
 * the program's end also writes out what is buffered, as the VM ends next. */
static void strace_exit(int32_t tid, int32_t wait_status, bool vm_ends)
{
    if (!strace_enabled())
        return;
    strace_exit_line(tid, thread_count() > 1, wait_status);
    if (vm_ends)
        strace_out_flush();
}

/* A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never collects its
 * children: they leave no zombie for wait4, as on Linux. */
static bool parent_discards_children(const struct process *parent)
{
    const struct k_sigaction *a = &parent->sigactions[SIGCHLD - 1];
    return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* Tells the parent: SIGCHLD (or clone's exit signal) and a wake-up for wait4.
 * Init (INIT_PID, no process) reaps at once. */
static void notify_parent(struct process *p, int32_t code, int32_t status)
{
    struct process *parent = process_find(p->ppid);
    if (parent == 0 || parent_discards_children(parent)) {
        p->detached = true;
        p->next_detached = detached_zombies;
        detached_zombies = p;
    }
    if (parent == 0)
        return;
    if (p->exit_signal > 0 && p->exit_signal <= NSIG) {
        struct pending_info info = {.code = code, .pid = p->pid, .status = status};
        signal_send(parent, p->exit_signal, &info);
    }
    sched_wake(parent);
}

/* Who adopts the children of `p`: its nearest living ancestor that asked to
 * (PR_SET_CHILD_SUBREAPER), else init (NULL). */
static struct process *find_reaper(const struct process *p)
{
    struct process *a = process_find(p->ppid);
    for (int depth = 0; a != 0 && depth < PROC_MAX; depth++) {
        if (a->child_subreaper && a->state != PROC_ZOMBIE)
            return a;
        a = process_find(a->ppid);
    }
    return 0;
}

/* Orphans get a new parent, and exit with SIGCHLD from now on whatever
 * clone() asked for (no one may slay the adopter, as Linux puts it); one
 * that is already a zombie is reported to its new parent at once. */
static void reparent_children(struct process *p)
{
    struct process *reaper = find_reaper(p);
    for (int i = 0; i < process_table_end(); i++) {
        struct process *c = process_at(i);
        if (c == 0 || c->ppid != p->pid)
            continue;
        c->ppid = reaper != 0 ? reaper->pid : INIT_PID;
        c->exit_signal = SIGCHLD;
        if (c->pdeath_signal != 0 && c->state != PROC_ZOMBIE) {
            struct pending_info info = {.code = SI_USER, .pid = p->pid};
            signal_send(c, c->pdeath_signal, &info);
        }
        if (c->state == PROC_ZOMBIE && !c->detached) {
            int32_t code, status;
            wait_status_decode(c->wait_status, &code, &status);
            notify_parent(c, code, status);
        }
    }
}

/* The last thread is gone: the process releases its memory and files and
 * becomes a zombie with `wait_status` until its parent collects it. */
static void process_end(struct process *p, int32_t wait_status)
{
    fd_table_destroy(p->fds);
    p->fds = 0;
    /* Off the dying address space before freeing it (the kernel half is in
     * every page table). */
    mm_activate_kernel();
    mm_put(p->mm);
    p->mm = 0;
    itimer_disarm(p);
    reparent_children(p);
    p->wait_status = wait_status;
    p->state = PROC_ZOMBIE;
    if (p->vfork_waiting) {
        p->vfork_waiting = false;
        sched_wake(&p->vfork_waiting);
    }
    int32_t code, status;
    wait_status_decode(wait_status, &code, &status);
    notify_parent(p, code, status);
}

#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
/* Linux's ROBUST_LIST_LIMIT: a cyclic list must not hang the exit. */
#define ROBUST_LIST_LIMIT 2048

/* A robust futex the dying thread holds: marked OWNER_DIED, one waiter woken
 * (its pthread_mutex_lock then returns EOWNERDEAD). */
static void robust_futex_release(struct thread *t, uint64_t uaddr)
{
    uint32_t val;
    if ((uaddr & 3) || copy_from_user(&val, uaddr, sizeof val) != 0)
        return;
    if ((val & FUTEX_TID_MASK) != (uint32_t)t->tid)
        return;
    uint32_t next = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    if (copy_to_user(uaddr, &next, sizeof next) != 0)
        return;
    if (val & FUTEX_WAITERS)
        futex_wake(t->proc, false, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
}

/* set_robust_list's list (struct robust_list_head: list, futex_offset,
 * list_op_pending), walked as Linux's exit_robust_list does. */
static void robust_list_release(struct thread *t)
{
    struct {
        uint64_t list;
        int64_t futex_offset;
        uint64_t list_op_pending;
    } head;
    if (t->robust_list == 0 || copy_from_user(&head, t->robust_list, sizeof head) != 0)
        return;
    uint64_t entry = head.list & ~1ull, pending = head.list_op_pending & ~1ull;
    for (int n = 0; entry != t->robust_list && n < ROBUST_LIST_LIMIT; n++) {
        uint64_t next;
        if (copy_from_user(&next, entry, sizeof next) != 0)
            return;
        if (entry != pending)
            robust_futex_release(t, entry + (uint64_t)head.futex_offset);
        entry = next & ~1ull;
    }
    if (pending != 0)
        robust_futex_release(t, pending + (uint64_t)head.futex_offset);
}

void thread_release_child_tid(struct thread *t)
{
    struct process *p = t->proc;
    if (t->clear_child_tid == 0 || (p->live_threads <= 1 && p->mm->users <= 1))
        return;
    uint32_t zero = 0;
    if (copy_to_user(t->clear_child_tid, &zero, sizeof zero) == 0)
        futex_wake(p, false, t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
}

/* What a thread's end does to user memory, as Linux's mm_release: robust
 * futexes are released (they may live in memory other processes share),
 * then CLONE_CHILD_CLEARTID. */
static void release_user_state(struct thread *t)
{
    if (t->proc->mm == 0)
        return;
    robust_list_release(t);
    thread_release_child_tid(t);
}

/* The current thread ends; the last one ends the process with `wait_status`. */
__attribute__((noreturn)) static void thread_end(struct thread *t, int32_t wait_status)
{
    debug_report_thread_exit(t);
    struct process *p = t->proc;
    strace_exit(t->tid, wait_status, false);
    release_user_state(t);
    thread_mark_dead(t);
    if (p->live_threads == 0)
        process_end(p, wait_status);
    else
        sched_wake(&p->live_threads); /* an execve waiting for the others */
    sched_exit_current();
}

/* Every thread of `p` is to end with `wait_status` (exit_group, a fatal
 * signal): the others stop at their next way out of the kernel. */
static void start_group_exit(struct process *p, int32_t wait_status)
{
    if (!p->group_exiting) {
        p->group_exiting = true;
        p->group_exit_status = wait_status;
    }
    signal_flag_return_work(p);
    for (struct thread *o = p->threads; o != 0; o = o->next_in_group)
        sched_wake_thread(o);
}

void thread_exit(struct thread *t, int status)
{
    struct process *p = t->proc;
    if (t->tid == p->pid)
        p->leader_exit_code = status & 0xff;
    if (p->live_threads > 1)
        thread_end(t, 0);
    /* The last thread: the process ends as the first thread's exit says. */
    process_exit(p, t->tid == p->pid ? status : p->leader_exit_code);
}

void thread_exit_for_group(struct thread *t)
{
    thread_end(t, t->proc->group_exit_status);
}

void process_exit(struct process *p, int status)
{
    if (p->pid == PROGRAM_PID) {
        strace_exit(current_thread()->tid, WAIT_STATUS_EXITED(status), true);
        gdb_report_exit(p->pid, status);
        platform_exit(status);
    }
    start_group_exit(p, WAIT_STATUS_EXITED(status));
    thread_exit_for_group(current_thread());
}

void process_die_by_signal(struct process *p, int signo, uint64_t rip, uint64_t addr)
{
    if (p->pid == PROGRAM_PID) {
        strace_exit(current_thread()->tid, WAIT_STATUS_SIGNALED(signo), true);
        gdb_report_killed(p->pid, signo);
        platform_signal_death(signo, rip, addr, PLATFORM_DEATH_SIGNAL);
    }
    start_group_exit(p, WAIT_STATUS_SIGNALED(signo));
    thread_exit_for_group(current_thread());
}

void process_reap(struct process *p)
{
    process_free(p);
}

void process_reap_detached(void)
{
    struct process **link = &detached_zombies;
    while (*link != 0) {
        struct process *z = *link;
        if (z == current_process()) {
            link = &z->next_detached;
            continue;
        }
        *link = z->next_detached;
        process_free(z);
    }
}

void process_die_out_of_memory(struct process *p, uint64_t rip, uint64_t addr)
{
    if (p->pid == PROGRAM_PID) {
        strace_exit(current_thread()->tid, WAIT_STATUS_SIGNALED(SIGKILL), true);
        gdb_report_killed(p->pid, SIGKILL);
        platform_signal_death(SIGKILL, rip, addr, PLATFORM_DEATH_OUT_OF_MEMORY);
    }
    ktrace("pid %d killed: the guest ran out of memory (rip %#lx)", p->pid, rip);
    start_group_exit(p, WAIT_STATUS_SIGNALED(SIGKILL));
    thread_exit_for_group(current_thread());
}
