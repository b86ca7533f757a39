/* Collecting children's exit statuses: the core of wait4 and waitid. */
#ifndef KERNEL_PROC_WAIT_H
#define KERNEL_PROC_WAIT_H

#include <stdbool.h>
#include <stdint.h>

struct process;

/* Which children: pid > 0 that one, -1 any, 0 the caller's group, < -1 group -pid. */
struct wait_request {
    int32_t pid;
    bool nohang;
    bool keep; /* WNOWAIT: report but leave the zombie */
};

struct wait_result {
    int32_t pid; /* 0: none ready (nohang) */
    int32_t wait_status;
};

/* What a wait status (Linux encoding) reports as siginfo: si_code CLD_EXITED
 * with the exit code, or CLD_KILLED with the signal. */
void wait_status_decode(int32_t wait_status, int32_t *code, int32_t *status);

/* Waits for a matching child to become a zombie and collects it: 0,
 * -ECHILD (no such child), or -ERESTARTSYS (a signal arrived). */
int wait_for_child(struct process *parent, const struct wait_request *req,
                   struct wait_result *out);

#endif
