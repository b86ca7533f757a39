/*
 * execve: the new program is loaded into a fresh address space first, so a
 * failure leaves the caller as it was; only then is the old one dropped.
 */
#include "proc/exec.h"

#include "arch/cpu.h"
#include "arch/ext_state.h"
#include "arch/fpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "kernel/gdb_events.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "proc/debug_events.h"
#include "proc/exec_args.h"
#include "proc/exec_script.h"
#include "proc/process.h"
#include "proc/program_load.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "proc/user_stack.h"

/* Handlers do not survive: the code they point to is gone. Ignored signals
 * stay ignored; the mask and pending signals stay. */
static void reset_signal_handlers(struct process *p)
{
    uint64_t kept = 0;
    for (uint64_t set = p->sigactions_set; set != 0; set &= set - 1) {
        int i = __builtin_ctzll(set);
        if (p->sigactions[i].handler != SIG_IGN)
            p->sigactions[i] = (struct k_sigaction){.handler = SIG_DFL};
        else
            kept |= 1ull << i;
    }
    p->sigactions_set = kept;
}

/* Linux names the process after the file it executed (the last component). */
static void set_comm(struct process *p, const char *exe_path)
{
    const char *base = exe_path;
    for (const char *q = exe_path; *q; q++) {
        if (*q == '/' && q[1] != 0)
            base = q + 1;
    }
    strlcpy(p->comm, base, sizeof p->comm);
}

/* Linux's de_thread: the other threads of the process end before the new
 * program starts, and the caller takes over the process's id. */
static void end_other_threads(struct process *p, struct thread *t)
{
    if (p->live_threads > 1) {
        p->group_exiting = true;
        p->exec_thread = t;
        signal_flag_return_work(p);
        for (struct thread *o = p->threads; o != 0; o = o->next_in_group) {
            if (o != t)
                sched_wake_thread(o);
        }
        while (p->live_threads > 1)
            sched_block(&p->live_threads, 0);
        p->group_exiting = false;
        p->exec_thread = 0;
    }
    t->tid = p->pid;
}

static void enter_new_program(struct trap_frame *tf, uint64_t entry, uint64_t sp)
{
    memset(tf, 0, sizeof *tf);
    tf->rip = entry;
    tf->cs = SEL_USER_CODE;
    tf->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
    tf->rsp = sp;
    tf->ss = SEL_USER_DATA;
    tf->vector = TRAP_VECTOR_SYSCALL;
}

int process_exec(struct process *p, struct trap_frame *tf, struct file *file, uint64_t size,
                 const char *exe_path, const struct exec_strings *strings)
{
    struct mm *mm = mm_create();
    if (mm == 0)
        return -ENOMEM;
    struct loaded_program loaded;
    const char *why = "";
    int err = program_load(mm, file, size, &loaded, &why);
    uint64_t sp = 0;
    struct exec_layout layout;
    if (err == 0)
        err = user_stack_build(mm, &loaded, strings, &sp, &layout);
    if (err != 0) {
        ktrace("execve %s: %s", exe_path, why);
        mm_destroy(mm);
        return err == -EFAULT ? -ENOEXEC : err;
    }
    mm->brk_start = loaded.program.brk_start;
    mm->brk = loaded.program.brk_start;

    /* The point of no return. */
    struct thread *t = current_thread();
    end_other_threads(p, t);
    /* Linux's exec_mm_release: a vfork child's CLONE_CHILD_CLEARTID is done
     * in the memory it leaves, which its parent goes on using. */
    thread_release_child_tid(t);
    /* Before the old image goes: the stub takes its breakpoints out of it. */
    gdb_report_exec(p->pid);
    struct mm *old = p->mm;
    p->mm = mm;
    mm_activate(mm);
    mm_put(old); /* a vfork parent keeps using it */
    file_get(file);
    if (p->exe_file != 0)
        file_put(p->exe_file);
    p->exe_file = file;
    p->exe_size = size;
    p->exe_load_bias = loaded.program.load_bias;
    p->layout = layout;
    if (p->exe_path != 0)
        strlcpy(p->exe_path, exe_path, FILEIO_PATH_MAX);
    set_comm(p, exe_path);
    memcpy(t->comm, p->comm, sizeof t->comm);
    fd_close_on_exec(p->fds);
    reset_signal_handlers(p);
    thread_set_fs_base(t, 0);
    t->clear_child_tid = 0;
    t->robust_list = 0;
    t->robust_list_len = 0;
    t->altstack = (struct signal_stack){.flags = SS_DISABLE};
    fpu_init_state(t->fpu);
    fpu_restore(t->fpu);
    ext_state_reset(t->ext_state_pa);
    ext_state_restore(t->ext_state_pa);
    enter_new_program(tf, loaded.entry, sp);
    if (p->vfork_waiting) {
        p->vfork_waiting = false;
        sched_wake(&p->vfork_waiting);
    }
    debug_report_start(p, t, loaded.entry);
    return 0;
}

/* Linux's BINPRM_MAX_RECURSION: a script's interpreter may be a script, 4 deep. */
#define SCRIPT_DEPTH_MAX 4

int exec_path(struct process *p, struct trap_frame *tf, const char *path,
              struct exec_strings *strings)
{
    static char exe_path[FILEIO_PATH_MAX];
    /* The file being tried: execve's path, then each interpreter in turn
     * (copied: parsing the next "#!" line reuses `line`). */
    static char current[FILEIO_PATH_MAX];
    static struct script_line line;
    strlcpy(current, path, sizeof current);
    for (int depth = 0;; depth++) {
        struct file *file = 0;
        uint64_t size = 0;
        int err = exec_open(p, current, &file, &size, exe_path);
        if (err != 0)
            return err;
        int script = script_parse(file, size, &line);
        if (script == 0) {
            err = process_exec(p, tf, file, size, exe_path, strings);
            file_put(file);
            return err;
        }
        file_put(file);
        if (script < 0)
            return script;
        if (depth == SCRIPT_DEPTH_MAX)
            return -ELOOP;
        /* The script is named as execve was given it; its interpreter runs. */
        err = exec_args_for_script(strings, line.interp, line.arg, current);
        if (err != 0)
            return err;
        strlcpy(current, line.interp, sizeof current);
    }
}
