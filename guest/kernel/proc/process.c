#include "proc/process.h"

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/percpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"
#include "fs/console.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/image_file.h"
#include "fs/path.h"
#include "fs/vfs.h"
#include "kernel/boot_info.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kernel_vm.h"
#include "mm/kheap.h"
#include "mm/mm.h"
#include "proc/debug_events.h"
#include "proc/program_load.h"
#include "proc/process_table.h"
#include "proc/thread.h"
#include "proc/user_stack.h"

/* Exit status for "the program cannot be run" (design.md §6). */
#define EXIT_NOT_RUNNABLE 126
#define EXIT_NOT_FOUND 127
/* Exit status for "minivm itself failed" (here: the guest ran out of memory
 * before the program started). */
#define EXIT_MINIVM_FAILED 125

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9

static void default_rlimits(struct process *p)
{
    for (int i = 0; i < RLIM_NLIMITS; i++)
        p->rlimits[i] = (struct rlimit64){RLIM_INFINITY, RLIM_INFINITY};
    p->rlimits[RLIMIT_STACK] = (struct rlimit64){USER_STACK_SIZE, RLIM_INFINITY};
    p->rlimits[RLIMIT_CORE] = (struct rlimit64){0, RLIM_INFINITY};
    p->rlimits[RLIMIT_NOFILE] = (struct rlimit64){FD_MAX, FD_MAX};
    p->rlimits[RLIMIT_NPROC] = (struct rlimit64){THREAD_MAX, THREAD_MAX};
}

/* A message on the program's stderr, then exit: the program never started. */
__attribute__((noreturn, format(printf, 2, 3))) static void refuse_program(int status,
                                                                           const char *fmt, ...)
{
    static char msg[512];
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    int len = kvsnprintf(msg, sizeof msg, fmt, ap);
    __builtin_va_end(ap);
    if (len >= (int)sizeof msg)
        len = sizeof msg - 1;
    console_write_kernel(2, msg, (uint64_t)len);
    platform_exit(status);
}

static int open_standard_streams(struct process *p)
{
    for (uint32_t stream = 0; stream < 3; stream++) {
        struct file *f = console_open(stream);
        if (f == 0)
            continue; /* no console device: fds 0-2 stay closed (EBADF) */
        if (fd_install(p->fds, f, (int)stream, 0, FD_MAX) != (int)stream) {
            file_put(f);
            return -ENOMEM;
        }
    }
    return 0;
}

/*
 * /proc/self/exe: argv[0] made absolute against the starting directory "/"
 * (glibc insists on an absolute answer). The VMM read the program from the
 * host, so this is the guest path that names it when minivm's root is the
 * directory the program was named from.
 */
static void set_exe_path(struct process *p, const char *argv0, uint64_t max)
{
    static char arg[FILEIO_PATH_MAX];
    uint64_t len = strnlen(argv0, max);
    if (len >= sizeof arg)
        len = sizeof arg - 1;
    memcpy(arg, argv0, len);
    arg[len] = 0;
    p->exe_path = kzalloc(FILEIO_PATH_MAX);
    if (p->exe_path != 0 && path_normalize("/", arg, p->exe_path, FILEIO_PATH_MAX) != 0)
        strlcpy(p->exe_path, "/", FILEIO_PATH_MAX);
    /* The name Linux gives a new program: the last path component, 15 bytes. */
    const char *base = arg;
    for (const char *q = arg; *q; q++) {
        if (*q == '/' && q[1] != 0)
            base = q + 1;
    }
    strlcpy(p->comm, base, sizeof p->comm);
}

struct process *process_alloc(void)
{
    struct process *p = kzalloc(sizeof *p);
    if (p == 0)
        return 0;
    p->state = PROC_ALIVE;
    p->umask = 022;
    p->start_ns = clock_monotonic_ns();
    default_rlimits(p);
    p->cwd_path = kzalloc(FILEIO_PATH_MAX);
    if (p->cwd_path == 0 || process_table_add(p) != 0) {
        process_free(p);
        return 0;
    }
    return p;
}

void process_free(struct process *p)
{
    process_table_remove(p);
    /* Threads that never ran go now; exited ones wait for the scheduler,
     * which frees them once no CPU is on their stacks. */
    while (p->threads != 0) {
        struct thread *t = p->threads;
        if (t->state == THREAD_DEAD) {
            p->threads = t->next_in_group;
            t->proc = 0;
        } else {
            KASSERT(t->state == THREAD_NEW);
            thread_free(t); /* unlinks it */
        }
    }
    if (p->fds != 0)
        fd_table_destroy(p->fds);
    kfree(p->cwd_path);
    kfree(p->exe_path);
    if (p->exe_file != 0)
        file_put(p->exe_file);
    kfree(p);
}

/* The working directory the VMM names: --workdir must be a directory of the
 * guest's tree; where minivm was started may not be (under the guest's own
 * /tmp, say), and "/" stands in for it then. */
static void set_first_cwd(struct process *p, const struct minivm_boot_info *bi)
{
    const char *cwd = phys_to_virt(bi->cwd_gpa);
    struct fileio_stat st;
    int err = vfs_stat(cwd, 0, &st);
    if (err == 0 && (st.mode & S_IFMT) != S_IFDIR)
        err = -ENOTDIR;
    if (err != 0 && !(bi->flags & MINIVM_BOOT_FLAG_WORKDIR_GIVEN)) {
        ktrace("working directory %s is not in the guest's tree: starting in /", cwd);
        cwd = "/";
        err = 0;
    }
    if (err != 0)
        refuse_program(EXIT_MINIVM_FAILED, "minivm: working directory %s: %s in the guest\n", cwd,
                       err == -ENOENT ? "does not exist" : "is not a directory");
    path_normalize("/", cwd, p->cwd_path, FILEIO_PATH_MAX);
}

void process_start_first(void)
{
    const struct minivm_boot_info *bi = boot_info();
    struct process *p = process_alloc();
    struct thread *t = 0;
    int err;
    if (p != 0) {
        p->mm = mm_create();
        p->fds = fd_table_create();
        t = thread_alloc(p, &err);
    }
    if (p == 0 || t == 0 || p->mm == 0 || p->fds == 0 || open_standard_streams(p) != 0)
        refuse_program(EXIT_MINIVM_FAILED, "minivm: guest kernel: out of memory starting the program\n");

    struct exec_strings strings = {
        .base = phys_to_virt(bi->strings_gpa),
        .size = bi->strings_size,
        .argc = bi->argc,
        .envc = bi->envc,
    };
    set_exe_path(p, bi->argc > 0 ? strings.base : "", bi->strings_size);

    const char *program = bi->argc > 0 ? strings.base : "program";
    struct loaded_program loaded;
    const char *why = "";
    struct file *image = image_file_open(bi->program_gpa, bi->program_size);
    if (image == 0)
        refuse_program(EXIT_MINIVM_FAILED, "minivm: guest kernel: out of memory loading the program\n");
    err = program_load(p->mm, image, bi->program_size, &loaded, &why);
    p->exe_file = image; /* for execve("/proc/self/exe") */
    p->exe_size = bi->program_size;
    p->exe_load_bias = loaded.program.load_bias;
    if (err == -ENOENT)
        refuse_program(EXIT_NOT_FOUND, "minivm: %s: cannot run: %s\n", program, why);
    if (err == -ENOMEM)
        refuse_program(EXIT_MINIVM_FAILED, "minivm: guest kernel: out of memory loading the program\n");
    if (err != 0)
        refuse_program(EXIT_NOT_RUNNABLE, "minivm: %s: cannot run: %s\n", program, why);
    p->mm->brk_start = loaded.program.brk_start;
    p->mm->brk = loaded.program.brk_start;

    uint64_t user_sp;
    err = user_stack_build(p->mm, &loaded, &strings, &user_sp, &p->layout);
    if (err == -E2BIG)
        refuse_program(EXIT_NOT_RUNNABLE, "minivm: argument list too long\n");
    if (err == -EFAULT)
        refuse_program(EXIT_MINIVM_FAILED, "minivm: guest kernel: malformed argv/envp from the VMM\n");
    if (err != 0)
        refuse_program(EXIT_MINIVM_FAILED, "minivm: guest kernel: out of memory setting up the stack\n");
    set_first_cwd(p, bi);

    ktrace("starting program: entry %#lx sp %#lx brk %#lx", loaded.entry, user_sp,
           loaded.program.brk_start);

    p->ppid = INIT_PID;
    p->pgid = p->pid;
    p->sid = p->pid;
    t->state = THREAD_RUNNABLE;
    memcpy(t->comm, p->comm, sizeof t->comm);
    percpu_set_current(t, p);
    percpu_set_kernel_stack(t->kstack_top);
    mm_activate(p->mm);
    thread_set_fs_base(t, 0);
    /* x87/SSE state is the vCPU's reset state (FCW 0x37f, MXCSR 0x1f80): the
     * kernel never executes FPU/SSE instructions itself; it only saves and
     * restores them when processes switch (arch/fpu.h). */

    /* The frame the common exit path restores: user mode at the entry point,
     * all registers zero (RDX = 0: no atexit function from a dynamic loader). */
    struct trap_frame *tf = (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
    memset(tf, 0, sizeof *tf);
    tf->rip = loaded.entry;
    tf->cs = SEL_USER_CODE;
    tf->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
    tf->rsp = user_sp;
    tf->ss = SEL_USER_DATA;
    debug_report_start(p, t, loaded.entry);
    trap_return_to(tf);
}

