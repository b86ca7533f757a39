#include "tests/fuzz/guest/syscalls.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct syscall_desc syscalls[] = {
#define SYSCALL(nr, name) {nr, #name, 10, false, {ARG_ANY, ARG_ANY, ARG_ANY, ARG_ANY, ARG_ANY, ARG_ANY}},
#include "tests/fuzz/guest/kernel_syscall_table.h"
#undef SYSCALL
};
const uint32_t syscall_count = COUNT(syscalls);

struct hint {
    const char *name;
    uint32_t weight;
    enum arg_kind kinds[6];
};

#define H(name, weight, ...) {#name, weight, {__VA_ARGS__}}

/* Argument kinds by name; unlisted arguments are ARG_NONE (0). Weights: 10 is
 * normal; calls that end or replace the process, or can only block, less. */
static const struct hint hints[] = {
    H(read, 10, ARG_FD, ARG_BUF_OUT, ARG_LEN),
    H(write, 10, ARG_FD, ARG_BUF_IN, ARG_LEN),
    H(close, 8, ARG_FD),
    H(lseek, 6, ARG_FD, ARG_OFFSET, ARG_WHENCE),
    H(ioctl, 8, ARG_FD, ARG_IOCTL_CMD, ARG_IOCTL_ARG),
    H(pread64, 8, ARG_FD, ARG_BUF_OUT, ARG_LEN, ARG_OFFSET),
    H(pwrite64, 8, ARG_FD, ARG_BUF_IN, ARG_LEN, ARG_OFFSET),
    H(readv, 8, ARG_FD, ARG_IOVEC_OUT, ARG_IOVCNT),
    H(writev, 8, ARG_FD, ARG_IOVEC_IN, ARG_IOVCNT),
    H(dup, 6, ARG_FD),
    H(dup2, 6, ARG_FD, ARG_FD),
    H(dup3, 6, ARG_FD, ARG_FD, ARG_DUP3_FLAGS),
    H(fcntl, 8, ARG_FD, ARG_FCNTL_CMD, ARG_FCNTL_ARG),
    H(fsync, 4, ARG_FD),
    H(fdatasync, 4, ARG_FD),
    H(ftruncate, 6, ARG_FD, ARG_OFFSET),
    H(getdents64, 8, ARG_FD, ARG_BUF_OUT, ARG_LEN),
    H(pipe, 6, ARG_PIPE_FDS),
    H(pipe2, 6, ARG_PIPE_FDS, ARG_PIPE_FLAGS),
    H(poll, 6, ARG_POLLFDS, ARG_NFDS, ARG_TIMEOUT_MS),
    H(select, 6, ARG_NFDS_SELECT, ARG_FDSET, ARG_FDSET, ARG_FDSET, ARG_TIMEVAL),
    H(pselect6, 6, ARG_NFDS_SELECT, ARG_FDSET, ARG_FDSET, ARG_FDSET, ARG_TIMESPEC_TIMEOUT,
      ARG_PSELECT_SIGMASK),
    H(ppoll, 6, ARG_POLLFDS, ARG_NFDS, ARG_TIMESPEC_TIMEOUT, ARG_SIGSET, ARG_SIGSETSIZE),
    H(open, 10, ARG_PATH, ARG_OPEN_FLAGS, ARG_MODE),
    H(stat, 6, ARG_PATH, ARG_BUF_OUT),
    H(fstat, 6, ARG_FD, ARG_BUF_OUT),
    H(lstat, 6, ARG_PATH, ARG_BUF_OUT),
    H(access, 5, ARG_PATH, ARG_ACCESS_MODE),
    H(getcwd, 5, ARG_BUF_OUT, ARG_LEN),
    H(chdir, 5, ARG_PATH),
    H(fchdir, 5, ARG_FD),
    H(rename, 6, ARG_PATH, ARG_PATH),
    H(link, 5, ARG_PATH, ARG_PATH),
    H(symlink, 5, ARG_PATH, ARG_PATH),
    H(mkdir, 6, ARG_PATH, ARG_MODE),
    H(rmdir, 5, ARG_PATH),
    H(creat, 5, ARG_PATH, ARG_MODE),
    H(unlink, 5, ARG_PATH),
    H(readlink, 5, ARG_PATH, ARG_BUF_OUT, ARG_LEN),
    H(umask, 3, ARG_MODE),
    H(openat, 10, ARG_DIRFD, ARG_PATH, ARG_OPEN_FLAGS, ARG_MODE),
    H(mkdirat, 5, ARG_DIRFD, ARG_PATH, ARG_MODE),
    H(newfstatat, 6, ARG_DIRFD, ARG_PATH, ARG_BUF_OUT, ARG_AT_FLAGS),
    H(unlinkat, 5, ARG_DIRFD, ARG_PATH, ARG_AT_FLAGS),
    H(renameat, 5, ARG_DIRFD, ARG_PATH, ARG_DIRFD, ARG_PATH),
    H(renameat2, 5, ARG_DIRFD, ARG_PATH, ARG_DIRFD, ARG_PATH, ARG_RENAME_FLAGS),
    H(linkat, 5, ARG_DIRFD, ARG_PATH, ARG_DIRFD, ARG_PATH, ARG_AT_FLAGS),
    H(symlinkat, 5, ARG_PATH, ARG_DIRFD, ARG_PATH),
    H(readlinkat, 5, ARG_DIRFD, ARG_PATH, ARG_BUF_OUT, ARG_LEN),
    H(faccessat, 5, ARG_DIRFD, ARG_PATH, ARG_ACCESS_MODE),
    H(faccessat2, 5, ARG_DIRFD, ARG_PATH, ARG_ACCESS_MODE, ARG_AT_FLAGS),
    H(utimensat, 5, ARG_DIRFD, ARG_PATH, ARG_UTIMES, ARG_AT_FLAGS),
    H(statx, 6, ARG_DIRFD, ARG_PATH, ARG_AT_FLAGS, ARG_STATX_MASK, ARG_BUF_OUT),
    H(mmap, 10, ARG_MM_ADDR, ARG_MM_LEN, ARG_PROT, ARG_MAP_FLAGS, ARG_FD, ARG_MM_OFFSET),
    H(mprotect, 8, ARG_MM_ADDR, ARG_MM_LEN, ARG_PROT),
    H(munmap, 8, ARG_MM_ADDR, ARG_MM_LEN),
    H(brk, 5, ARG_BRK),
    H(mremap, 8, ARG_MM_ADDR, ARG_MM_LEN, ARG_MM_LEN, ARG_MREMAP_FLAGS, ARG_MM_ADDR),
    H(msync, 4, ARG_MM_ADDR, ARG_MM_LEN, ARG_MSYNC_FLAGS),
    H(madvise, 6, ARG_MM_ADDR, ARG_MM_LEN, ARG_MADVICE),
    H(sched_yield, 3),
    H(getpid, 2),
    H(exit, 2, ARG_EXIT_CODE),
    H(exit_group, 2, ARG_EXIT_CODE),
    H(uname, 3, ARG_BUF_OUT),
    H(getrlimit, 4, ARG_RLIMIT_RES, ARG_BUF_OUT),
    H(setrlimit, 4, ARG_RLIMIT_RES, ARG_RLIMIT_IN),
    H(prlimit64, 5, ARG_PID, ARG_RLIMIT_RES, ARG_RLIMIT_IN, ARG_BUF_OUT),
    H(getrusage, 3, ARG_RUSAGE_WHO, ARG_BUF_OUT),
    H(sysinfo, 3, ARG_BUF_OUT),
    H(getuid, 1), H(getgid, 1), H(geteuid, 1), H(getegid, 1), H(getppid, 1), H(getpgrp, 1),
    H(gettid, 1),
    H(setuid, 2, ARG_UID),
    H(setgid, 2, ARG_UID),
    H(getpgid, 3, ARG_PID),
    H(getsid, 3, ARG_PID),
    H(prctl, 5, ARG_PRCTL_OPT, ARG_PRCTL_ARG, ARG_INT, ARG_INT, ARG_INT),
    H(arch_prctl, 5, ARG_ARCH_PRCTL_CODE, ARG_ARCH_PRCTL_ADDR),
    H(futex, 5, ARG_FUTEX_ADDR, ARG_FUTEX_OP, ARG_FUTEX_VAL, ARG_TIMESPEC_TIMEOUT,
      ARG_FUTEX_ADDR, ARG_FUTEX_VAL),
    H(set_tid_address, 3, ARG_BUF_OUT),
    H(set_robust_list, 3, ARG_BUF_IN, ARG_ROBUST_LEN),
    H(getrandom, 5, ARG_BUF_OUT, ARG_LEN, ARG_GRND_FLAGS),
    H(rseq, 2, ARG_BUF_IN, ARG_LEN, ARG_INT, ARG_INT),
    H(clone, 6, ARG_CLONE_FLAGS, ARG_CLONE_STACK, ARG_BUF_OUT, ARG_BUF_OUT, ARG_TLS),
    H(fork, 5),
    H(vfork, 4),
    H(execve, 4, ARG_EXEC_PATH, ARG_ARGV, ARG_ARGV),
    H(wait4, 6, ARG_PID, ARG_BUF_OUT, ARG_WAIT_OPTIONS, ARG_BUF_OUT),
    H(waitid, 5, ARG_IDTYPE, ARG_PID, ARG_BUF_OUT, ARG_WAITID_OPTIONS, ARG_BUF_OUT),
    H(setpgid, 4, ARG_PID, ARG_PID),
    H(setsid, 3),
    H(rt_sigaction, 10, ARG_SIGNO, ARG_SIGACTION, ARG_BUF_OUT, ARG_SIGSETSIZE),
    H(rt_sigprocmask, 8, ARG_SIGHOW, ARG_SIGSET, ARG_BUF_OUT, ARG_SIGSETSIZE),
    H(rt_sigreturn, 3),
    H(pause, 1),
    H(rt_sigpending, 4, ARG_BUF_OUT, ARG_SIGSETSIZE),
    H(rt_sigsuspend, 2, ARG_SIGSET, ARG_SIGSETSIZE),
    H(kill, 8, ARG_PID, ARG_SIGNO),
    H(tkill, 5, ARG_PID, ARG_SIGNO),
    H(tgkill, 5, ARG_PID, ARG_PID, ARG_SIGNO),
    H(sigaltstack, 3, ARG_SIGALTSTACK, ARG_BUF_OUT),
    H(nanosleep, 4, ARG_TIMESPEC_SLEEP, ARG_BUF_OUT),
    H(gettimeofday, 3, ARG_BUF_OUT, ARG_BUF_OUT),
    H(times, 2, ARG_BUF_OUT),
    H(time, 2, ARG_BUF_OUT),
    H(clock_gettime, 4, ARG_CLOCKID, ARG_BUF_OUT),
    H(clock_getres, 3, ARG_CLOCKID, ARG_BUF_OUT),
    H(clock_nanosleep, 4, ARG_CLOCKID, ARG_TIMER_FLAGS, ARG_TIMESPEC_SLEEP, ARG_BUF_OUT),
};

static uint32_t total_weight;

void syscalls_init(void)
{
    total_weight = 0;
    for (uint32_t i = 0; i < syscall_count; i++) {
        struct syscall_desc *d = &syscalls[i];
        for (unsigned h = 0; h < COUNT(hints); h++) {
            if (strcmp(hints[h].name, d->name) != 0)
                continue;
            d->hinted = true;
            d->weight = hints[h].weight;
            memcpy(d->kinds, hints[h].kinds, sizeof d->kinds);
        }
        total_weight += d->weight;
    }
}

const struct syscall_desc *syscall_find(int64_t nr)
{
    for (uint32_t i = 0; i < syscall_count; i++)
        if (syscalls[i].nr == nr)
            return &syscalls[i];
    return 0;
}

const struct syscall_desc *syscall_pick(struct rng *r)
{
    uint64_t at = rng_below(r, total_weight);
    for (uint32_t i = 0; i < syscall_count; i++) {
        if (at < syscalls[i].weight)
            return &syscalls[i];
        at -= syscalls[i].weight;
    }
    return &syscalls[0];
}

int64_t syscall_pick_unknown(struct rng *r)
{
    static const int64_t far[] = {512, 513, 547, 1023, 1024, 0x40000000 /* x32 */,
                                  0x40000000 + 1, 0x40000000 + 512, 0x7fffffff, 0x80000000ll,
                                  0xffffffffll, 0x100000000ll, -1, -2, (int64_t)0x8000000000000000ull};
    for (;;) {
        int64_t nr = rng_one_in(r, 4) ? RNG_PICK(r, far) : (int64_t)rng_below(r, 512);
        if (syscall_find(nr) == 0 && syscall_find(nr & 0xffffffff) == 0)
            return nr;
    }
}
