#include "proc/wait.h"

#include "kernel/sched.h"
#include "lib/errno.h"
#include "proc/process.h"
#include "proc/signal.h"

static bool matches(const struct process *parent, const struct process *c, int32_t pid)
{
    if (c->ppid != parent->pid || c->detached)
        return false;
    if (pid > 0)
        return c->pid == pid;
    if (pid == 0)
        return c->pgid == parent->pgid;
    if (pid < -1)
        return c->pgid == -pid;
    return true;
}

void wait_status_decode(int32_t wait_status, int32_t *code, int32_t *status)
{
    bool signaled = (wait_status & 0x7f) != 0;
    *code = signaled ? CLD_KILLED : CLD_EXITED;
    *status = signaled ? wait_status & 0x7f : (wait_status >> 8) & 0xff;
}

int wait_for_child(struct process *parent, const struct wait_request *req,
                   struct wait_result *out)
{
    for (;;) {
        bool any = false;
        for (int i = 0; i < process_table_end(); i++) {
            struct process *c = process_at(i);
            if (c == 0 || !matches(parent, c, req->pid))
                continue;
            any = true;
            if (c->state != PROC_ZOMBIE)
                continue;
            out->pid = c->pid;
            out->wait_status = c->wait_status;
            if (!req->keep)
                process_reap(c);
            return 0;
        }
        if (!any)
            return -ECHILD;
        if (req->nohang) {
            out->pid = 0;
            out->wait_status = 0;
            return 0;
        }
        if (signal_pending())
            return -ERESTARTSYS;
        sched_block(parent, 0); /* exiting children wake their parent */
    }
}
