/*
 * What guest syscall fuzzing found (issue 11), each case as Linux behaves:
 * the differential suite runs this natively and under minivm (read-only
 * root) and compares the output. Every line is deterministic.
 *   fsync/fdatasync on a read-only root succeed (minivm died of SIGSYS);
 *   clone(CLONE_SETTLS) with a TLS outside the user half fails with EPERM
 *     (the guest kernel panicked on the FS-base write);
 *   a parent waiting in vfork dies at once of SIGKILL (minivm waited for
 *     --timeout);
 *   an orphan's clone() exit signal becomes SIGCHLD when it is adopted (its
 *     SIGKILL killed the adopter);
 *   MAP_SHARED|MAP_ANONYMOUS pages untouched before fork are shared (the
 *     child's writes were lost);
 *   execve with ~256 KiB of arguments passes them all (it took seconds);
 *   wait4 with WNOHANG and nothing to report leaves the rusage alone (a bad
 *     pointer gave EFAULT);
 *   system calls made with the nested-task flag (NT) set in RFLAGS work (the
 *     kernel ran with NT and its next IRETQ faulted: a guest-kernel panic).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARCH_GET_FS 0x1003 /* asm/prctl.h, which musl-gcc does not have */

static void report(const char *what, long got)
{
    printf("%s: %ld\n", what, got);
    fflush(stdout);
}

/* The result of a raw system call: -errno on failure (no libc errno, which
 * lives in TLS: a clone child with another FS base must not touch it). */
static long raw_syscall(long nr, long a, long b, long c, long d, long e)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return ret;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void fsync_on_read_only_root(void)
{
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    report("fsync of the root directory", fsync(dir) == 0 ? 0 : -errno);
    report("fdatasync of the root directory", fdatasync(dir) == 0 ? 0 : -errno);
    close(dir);
    int file = open("tree/a.txt", O_RDONLY);
    report("fsync of a file opened read-only", fsync(file) == 0 ? 0 : -errno);
    close(file);
    int fds[2];
    pipe(fds);
    report("fsync of a pipe", fsync(fds[0]) == 0 ? 0 : -errno);
    close(fds[0]);
    close(fds[1]);
}

/* No stack protector: its check would read the canary through the FS base
 * the child was given. */
__attribute__((no_stack_protector)) static void clone_with_tls(void)
{
    const long settls_sigchld = CLONE_SETTLS | SIGCHLD;
    /* Beyond the user half (non-canonical): refused, nothing created. */
    long r = raw_syscall(SYS_clone, settls_sigchld, 0, 0, 0, 0x0400000000000000L);
    report("clone with a non-canonical TLS", r);
    r = raw_syscall(SYS_clone, settls_sigchld, 0, 0, 0, (long)0xffff800000000000UL);
    report("clone with a kernel-half TLS", r);
    report("children created by them", waitpid(-1, NULL, WNOHANG) == -1 ? -errno : 1);

    /* A user-half TLS is the child's FS base. */
    static char tls_block[64];
    long want = (long)tls_block;
    r = raw_syscall(SYS_clone, settls_sigchld, 0, 0, 0, want);
    if (r == 0) {
        long base = 0;
        raw_syscall(SYS_arch_prctl, ARCH_GET_FS, (long)&base, 0, 0, 0);
        raw_syscall(SYS_exit, base == want ? 0 : 1, 0, 0, 0, 0);
    }
    int status = 0;
    waitpid((pid_t)r, &status, 0);
    report("child's FS base is the TLS it was given", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* A parent blocked in vfork (its child waits in read) is killed at once. */
static void kill_a_vfork_parent(void)
{
    int gate[2];
    pipe(gate);
    pid_t parent = fork();
    if (parent == 0) {
        close(gate[1]); /* the vfork child must see EOF once we close ours */
        if (vfork() == 0) {
            char c;
            raw_syscall(SYS_read, gate[0], (long)&c, 1, 0, 0);
            raw_syscall(SYS_exit, 0, 0, 0, 0, 0);
        }
        _exit(1); /* never: SIGKILL comes first */
    }
    close(gate[0]);
    sleep_ms(100);
    kill(parent, SIGKILL);
    int status = 0;
    waitpid(parent, &status, 0);
    report("vfork parent killed by signal", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    close(gate[1]); /* the vfork child reads EOF and exits */
    pid_t orphan = wait(&status);
    report("the orphaned vfork child, adopted, exited with",
           orphan > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* A grandchild made with exit signal SIGKILL outlives its parent; adopted
 * by us, it exits with SIGCHLD instead, and we live to collect it. */
static void orphan_exit_signal(void)
{
    pid_t middle = fork();
    if (middle == 0) {
        long g = raw_syscall(SYS_clone, SIGKILL, 0, 0, 0, 0);
        if (g == 0) {
            struct timespec ts = {0, 100 * 1000000};
            raw_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0);
            raw_syscall(SYS_exit, 5, 0, 0, 0, 0);
        }
        _exit(0);
    }
    int status = 0;
    waitpid(middle, &status, 0);
    pid_t adopted = wait(&status);
    report("adopted orphan collected", adopted > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    report("adopter still alive", 1);
}

/* Pages far apart (a kernel may map neighbours of a touched page early). */
enum { SHARED_PAGES = 256 };
static const int probe_pages[] = {0, 37, 101, 255};
#define PROBES (int)(sizeof probe_pages / sizeof probe_pages[0])

static volatile int *probe(volatile int *base, int i)
{
    return base + probe_pages[i] * (sysconf(_SC_PAGESIZE) / (long)sizeof(int));
}

static void shared_anonymous_memory(void)
{
    size_t len = SHARED_PAGES * (size_t)sysconf(_SC_PAGESIZE);
    volatile int *touched = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *untouched = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *probe(touched, 0) = 1; /* only the first page of one mapping before the fork */
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < PROBES; i++) {
            *probe(touched, i) = 42 + i;
            *probe(untouched, i) = 52 + i;
        }
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    long sum = 0, sum2 = 0;
    for (int i = 0; i < PROBES; i++) {
        sum = sum * 100 + *probe(touched, i);
        sum2 = sum2 * 100 + *probe(untouched, i);
    }
    report("parent sees the child's writes, first page touched before fork", sum);
    report("parent sees the child's writes, nothing touched before fork", sum2);

    /* The other way round, and through a second fork generation. */
    pid = fork();
    if (pid == 0) {
        pid_t inner = fork();
        if (inner == 0) {
            while (*probe(untouched, 3) != 7)
                sched_yield();
            *probe(untouched, 2) = 8;
            _exit(0);
        }
        waitpid(inner, NULL, 0);
        _exit(0);
    }
    *probe(untouched, 3) = 7;
    waitpid(pid, NULL, 0);
    report("grandchild saw the parent's write and answered", *probe(untouched, 2));
    munmap((void *)touched, len);
    munmap((void *)untouched, len);
}

enum { BIG_ARGS = 4000, BIG_ARG_LEN = 60 };

/* execve of ourselves with BIG_ARGS arguments of BIG_ARG_LEN bytes. */
static void execve_with_big_arguments(const char *self)
{
    char **argv = calloc(BIG_ARGS + 3, sizeof *argv);
    argv[0] = (char *)self;
    argv[1] = "count-args";
    for (int i = 0; i < BIG_ARGS; i++) {
        argv[i + 2] = malloc(BIG_ARG_LEN + 1);
        memset(argv[i + 2], 'a' + i % 26, BIG_ARG_LEN);
        argv[i + 2][BIG_ARG_LEN] = 0;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char *envp[] = {"FUZZ_FINDINGS=1", NULL};
        execve(self, argv, envp);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    report("execve with 240 KB of arguments: child's check", WEXITSTATUS(status));
}

/* The re-executed program: every argument arrived intact. */
static int count_args(int argc, char **argv)
{
    if (argc != BIG_ARGS + 2)
        return 1;
    for (int i = 0; i < BIG_ARGS; i++) {
        const char *a = argv[i + 2];
        if (strlen(a) != BIG_ARG_LEN || a[0] != 'a' + i % 26 || a[BIG_ARG_LEN - 1] != a[0])
            return 2;
    }
    return getenv("FUZZ_FINDINGS") != NULL ? 0 : 3;
}

static void wait4_nohang_leaves_rusage_alone(void)
{
    int gate[2];
    pipe(gate);
    pid_t child = fork();
    if (child == 0) { /* alive until the parent closes the pipe */
        char c;
        close(gate[1]);
        read(gate[0], &c, 1);
        _exit(0);
    }
    close(gate[0]);
    long r = raw_syscall(SYS_wait4, -1, 0, WNOHANG, 8 /* not a valid rusage */, 0);
    report("wait4 WNOHANG, nothing to report, bad rusage pointer", r);
    close(gate[1]);
    waitpid(child, NULL, 0);
}

#define RFLAGS_NT 0x4000ul

static void set_nested_task_flag(int on)
{
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    flags = on ? flags | RFLAGS_NT : flags & ~RFLAGS_NT;
    __asm__ volatile("pushq %0; popfq" : : "r"(flags) : "cc", "memory");
}

static volatile sig_atomic_t nt_handled;

static void nt_handler(int signo)
{
    (void)signo;
    nt_handled = 1;
}

/* Any program may set NT with popf; the kernel must not inherit it. */
static void nested_task_flag(void)
{
    signal(SIGUSR1, nt_handler);
    set_nested_task_flag(1);
    long ppid = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0);
    long yielded = raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0);
    struct timespec ts = {0, 1000000};
    long slept = raw_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0);
    long child = raw_syscall(SYS_fork, 0, 0, 0, 0, 0);
    if (child == 0)
        raw_syscall(SYS_exit, 7, 0, 0, 0, 0);
    long killed = raw_syscall(SYS_kill, raw_syscall(SYS_getpid, 0, 0, 0, 0, 0), SIGUSR1, 0, 0, 0);
    set_nested_task_flag(0);
    int status = 0;
    waitpid((pid_t)child, &status, 0);
    report("NT: getppid is the parent's", ppid == (long)getppid());
    report("NT: sched_yield", yielded);
    report("NT: nanosleep", slept);
    report("NT: fork child's status", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    report("NT: kill self", killed);
    report("NT: handler ran", nt_handled);
    signal(SIGUSR1, SIG_DFL);
}

static void execve_self_with_big_arguments(void)
{
    execve_with_big_arguments("/proc/self/exe");
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    {"fsync", fsync_on_read_only_root},
    {"clone-tls", clone_with_tls},
    {"vfork-kill", kill_a_vfork_parent},
    {"orphan", orphan_exit_signal},
    {"shared-anon", shared_anonymous_memory},
    {"big-execve", execve_self_with_big_arguments},
    {"wait4-rusage", wait4_nohang_leaves_rusage_alone},
    {"nt-flag", nested_task_flag},
};

/* Usage: fuzz_findings [--only CASE]   (every case by default) */
int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "count-args") == 0)
        return count_args(argc, argv);
    const char *only = argc > 2 && strcmp(argv[1], "--only") == 0 ? argv[2] : NULL;
    /* Orphans come to us natively too, as they do to minivm's first process. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (only == NULL || strcmp(only, cases[i].name) == 0)
            cases[i].run();
    }
    return 0;
}
