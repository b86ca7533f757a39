#include "proc/thread.h"

#include "arch/cpu.h"
#include "arch/ext_state.h"
#include "arch/fpu.h"
#include "arch/percpu.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/kernel_vm.h"
#include "mm/kheap.h"
#include "proc/process_table.h"

_Static_assert(THREAD_MAX <= KSTACK_SLOTS, "a kernel stack for every thread");

static struct thread *slots[THREAD_MAX];
static int slots_end; /* one past the highest slot in use: scans stop there */
static int live_count;

int thread_count(void)
{
    return live_count;
}

bool thread_id_in_use(int32_t id)
{
    if (process_find(id) != 0)
        return true;
    return thread_find(id) != 0;
}

struct thread *thread_find(int32_t tid)
{
    for (int i = 0; i < slots_end; i++) {
        struct thread *t = slots[i];
        if (t != 0 && t->tid == tid && t->state != THREAD_DEAD)
            return t;
    }
    return 0;
}

struct thread *thread_in_process(const struct process *p, int32_t tid)
{
    for (struct thread *t = p->threads; t != 0; t = t->next_in_group) {
        if (t->tid == tid && t->state != THREAD_DEAD)
            return t;
    }
    return 0;
}

static int free_slot(void)
{
    for (int i = 0; i < THREAD_MAX; i++) {
        if (slots[i] == 0)
            return i;
    }
    return -1;
}

struct thread *thread_alloc(struct process *p, int *err)
{
    int slot = free_slot();
    if (slot < 0) {
        *err = -EAGAIN;
        return 0;
    }
    struct thread *t = kzalloc(sizeof *t);
    if (t == 0) {
        *err = -ENOMEM;
        return 0;
    }
    t->return_work = true; /* its process's pending signals, alarm, ... */
    t->proc = p;
    t->altstack.flags = SS_DISABLE;
    t->state = THREAD_NEW; /* on no scheduler list until sched_start */
    t->kstack_top = kstack_alloc();
    t->fpu_block = kzalloc(sizeof *t->fpu + FPU_STATE_ALIGN);
    t->fpu = (struct fpu_state *)(((uint64_t)t->fpu_block + FPU_STATE_ALIGN - 1) &
                                  ~(uint64_t)(FPU_STATE_ALIGN - 1));
    if (t->kstack_top == 0 || t->fpu_block == 0 || ext_state_alloc(&t->ext_state_pa) != 0) {
        ext_state_free(&t->ext_state_pa);
        if (t->kstack_top != 0)
            kstack_free(t->kstack_top);
        kfree(t->fpu_block);
        kfree(t);
        *err = -ENOMEM;
        return 0;
    }
    /* The first thread's id is the process's pid; later ones get their own. */
    t->tid = p->threads == 0 ? p->pid : pid_alloc();
    t->next_in_group = p->threads;
    p->threads = t;
    p->live_threads++;
    slots[slot] = t;
    if (slot >= slots_end)
        slots_end = slot + 1;
    live_count++;
    return t;
}

void thread_free(struct thread *t)
{
    KASSERT(t != current_thread());
    if (t->state != THREAD_DEAD)
        thread_mark_dead(t); /* never started: counted until now */
    for (struct thread **link = t->proc != 0 ? &t->proc->threads : 0; link != 0 && *link != 0;
         link = &(*link)->next_in_group) {
        if (*link == t) {
            *link = t->next_in_group;
            break;
        }
    }
    for (int i = 0; i < slots_end; i++) {
        if (slots[i] == t)
            slots[i] = 0;
    }
    while (slots_end > 0 && slots[slots_end - 1] == 0)
        slots_end--;
    kstack_free(t->kstack_top);
    ext_state_free(&t->ext_state_pa);
    kfree(t->fpu_block);
    kfree(t);
}

void thread_mark_dead(struct thread *t)
{
    t->state = THREAD_DEAD;
    t->proc->live_threads--;
    live_count--;
}

int thread_set_fs_base(struct thread *t, uint64_t base)
{
    if (!user_address_valid(base))
        return -EPERM;
    t->fs_base = base;
    if (t == current_thread())
        wrmsr(MSR_FS_BASE, base);
    return 0;
}
