#include "proc/process_table.h"

#include "lib/errno.h"
#include "proc/process.h"
#include "proc/thread.h"

/* Linux's default pid_max: pids wrap below it, skipping those in use. */
#define PID_MAX 32768

static struct process *slots[PROC_MAX];
/* One past the highest slot in use: every scan stops there (a handful of
 * processes make a handful of slots, not PROC_MAX, per fork, exit and wait). */
static int slots_end;
static int32_t last_pid = INIT_PID; /* the first pid given out is PROGRAM_PID */
/* Until pids first wrap, each new one is above every pid ever given out, so
 * it cannot be in use: no table search (many slots of emulated loop, PVM). */
static bool pids_wrapped;

struct process *process_at(int i)
{
    return i >= 0 && i < slots_end ? slots[i] : 0;
}

int process_table_end(void)
{
    return slots_end;
}

struct process *process_find(int32_t pid)
{
    for (int i = 0; i < slots_end; i++) {
        if (slots[i] != 0 && slots[i]->pid == pid)
            return slots[i];
    }
    return 0;
}

int32_t pid_alloc(void)
{
    for (;;) {
        if (last_pid + 1 < PID_MAX) {
            last_pid++;
        } else {
            last_pid = 2;
            pids_wrapped = true;
        }
        if (!pids_wrapped || !thread_id_in_use(last_pid))
            return last_pid;
    }
}

int process_table_add(struct process *p)
{
    for (int i = 0; i < PROC_MAX; i++) {
        if (slots[i] == 0) {
            p->pid = pid_alloc();
            slots[i] = p;
            if (i >= slots_end)
                slots_end = i + 1;
            return 0;
        }
    }
    return -EAGAIN;
}

void process_table_remove(struct process *p)
{
    for (int i = 0; i < slots_end; i++) {
        if (slots[i] == p)
            slots[i] = 0;
    }
    while (slots_end > 0 && slots[slots_end - 1] == 0)
        slots_end--;
}
