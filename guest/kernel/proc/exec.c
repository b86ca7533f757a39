/*
 * execve: the new program is loaded into a fresh address space first, so a
 * failure leaves the caller as it was; only then is the old one dropped.
 */
#include "proc/exec.h"

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "proc/elf_loader.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/user_stack.h"

/* Handlers do not survive: the code they point to is gone. Ignored signals
 * stay ignored; the mask and pending signals stay. */
static void reset_signal_handlers(struct process *p)
{
    for (int i = 0; i < NSIG; i++) {
        if (p->sigactions[i].handler != SIG_IGN)
            p->sigactions[i] = (struct k_sigaction){.handler = SIG_DFL};
    }
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
    struct elf_image_info info;
    const char *why;
    int err = elf_load(mm, file, size, &info, &why);
    uint64_t sp = 0;
    if (err == 0)
        err = user_stack_build(mm, &info, strings, &sp);
    if (err != 0) {
        if (err == -ENOEXEC)
            ktrace("execve %s: %s", exe_path, why);
        mm_destroy(mm);
        return err == -EFAULT ? -ENOEXEC : err;
    }
    mm->brk_start = info.brk_start;
    mm->brk = info.brk_start;

    /* The point of no return. */
    struct mm *old = p->mm;
    p->mm = mm;
    mm_activate(mm);
    mm_destroy(old);
    file_get(file);
    if (p->exe_file != 0)
        file_put(p->exe_file);
    p->exe_file = file;
    p->exe_size = size;
    if (p->exe_path != 0)
        strlcpy(p->exe_path, exe_path, FILEIO_PATH_MAX);
    set_comm(p, exe_path);
    fd_close_on_exec(p->fds);
    reset_signal_handlers(p);
    process_set_fs_base(p, 0);
    p->clear_child_tid = 0;
    p->robust_list = 0;
    p->robust_list_len = 0;
    fpu_init_state(p->fpu);
    fpu_restore(p->fpu);
    enter_new_program(tf, info.entry, sp);
    if (p->vfork_waiting) {
        p->vfork_waiting = false;
        sched_wake(&p->vfork_waiting);
    }
    return 0;
}
