/*
 * The end of a process. PROGRAM_PID is the program minivm ran: its end ends
 * the VM with its status (or 128 + signal). Any other process releases
 * its memory and files at once and stays a zombie holding only its wait
 * status until its parent collects it (wait4/waitid, proc/wait.c).
 */
#include "arch/percpu.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "kernel/log.h"
#include "kernel/platform.h"
#include "kernel/sched.h"
#include "mm/kernel_vm.h"
#include "mm/mm.h"
#include "platform/platform_abi.h"
#include "proc/process.h"
#include "proc/process_table.h"
#include "proc/signal.h"
#include "proc/wait.h"

/* Linux wait-status encodings. */
#define WAIT_STATUS_EXITED(code) (((code) & 0xff) << 8)
#define WAIT_STATUS_SIGNALED(signo) ((signo) & 0x7f)

static struct process *detached_zombies;

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
    for (int i = 0; i < PROC_MAX; i++) {
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

__attribute__((noreturn)) static void terminate(struct process *p, int32_t wait_status,
                                                int32_t code, int32_t status)
{
    fd_table_destroy(p->fds);
    p->fds = 0;
    /* Off the dying address space before freeing it (the kernel half is in
     * every page table). */
    mm_activate_kernel();
    mm_put(p->mm);
    p->mm = 0;
    reparent_children(p);
    p->wait_status = wait_status;
    p->state = PROC_ZOMBIE;
    if (p->vfork_waiting) {
        p->vfork_waiting = false;
        sched_wake(&p->vfork_waiting);
    }
    notify_parent(p, code, status);
    sched_exit_current();
}

void process_exit(struct process *p, int status)
{
    if (p->pid == PROGRAM_PID)
        platform_exit(status);
    terminate(p, WAIT_STATUS_EXITED(status), CLD_EXITED, status & 0xff);
}

void process_die_by_signal(struct process *p, int signo, uint64_t rip, uint64_t addr)
{
    if (p->pid == PROGRAM_PID)
        platform_signal_death(signo, rip, addr, PLATFORM_DEATH_SIGNAL);
    terminate(p, WAIT_STATUS_SIGNALED(signo), CLD_KILLED, signo);
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
    if (p->pid == PROGRAM_PID)
        platform_signal_death(SIGKILL, rip, addr, PLATFORM_DEATH_OUT_OF_MEMORY);
    ktrace("pid %d killed: the guest ran out of memory (rip %#lx)", p->pid, rip);
    terminate(p, WAIT_STATUS_SIGNALED(SIGKILL), CLD_KILLED, SIGKILL);
}
