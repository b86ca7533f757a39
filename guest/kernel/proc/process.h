/*
 * A process: everything that belongs to one running program (design.md §10:
 * no per-process state in globals, so fork/execve/a scheduler can come later).
 */
#ifndef KERNEL_PROC_PROCESS_H
#define KERNEL_PROC_PROCESS_H

#include <stdint.h>

#define NSIG 64
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ull)

/* The identity programs see: an ordinary user, consistently everywhere
 * (getuid & co., AT_UID & co.). Files keep the owners the host reports. */
#define PROCESS_UID 1000
#define PROCESS_GID 1000

struct mm;
struct fd_table;
struct file;

/* struct sigaction as the rt_sigaction syscall sees it (x86-64). */
struct k_sigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

struct rlimit64 {
    uint64_t cur, max;
};

struct process {
    int32_t pid, ppid;
    struct mm *mm;
    struct fd_table *fds;

    /* Working directory: its absolute path, lexically normalized; relative
     * paths are joined onto it (path_at in fs/path.h). */
    char *cwd_path;
    uint32_t umask;

    struct k_sigaction sigactions[NSIG]; /* index = signo - 1 */
    uint64_t sigmask;
    struct rlimit64 rlimits[RLIM_NLIMITS];

    uint64_t fs_base; /* MSR_FS_BASE of this process (TLS) */
    uint64_t clear_child_tid;
    uint64_t robust_list, robust_list_len;

    char *exe_path; /* what /proc/self/exe reads as: argv[0] made absolute */
    char comm[16];  /* prctl(PR_SET_NAME): the thread name, NUL-terminated */
    uint64_t kstack_top;
    /* User FPU/SSE/AVX state would be saved here (XSAVE area) on a switch to
     * another process; with one process nothing else touches it. */
};

/* Creates the first process from the boot info's program and argv/envp and
 * enters it in user mode. Never returns. */
__attribute__((noreturn)) void process_start_first(void);

/* The program finished: report `status` to the VMM. Never returns. */
__attribute__((noreturn)) void process_exit(struct process *p, int status);

/* The program dies of signal `signo` (a fault it cannot survive). */
__attribute__((noreturn)) void process_die_by_signal(struct process *p, int signo, uint64_t rip,
                                                     uint64_t addr);

#endif
