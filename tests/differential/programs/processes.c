/*
 * Exercises several processes in one system (design §10): fork and wait
 * statuses, pipes between processes (more than the pipe holds, EOF, EPIPE),
 * execve of the program itself, signal handlers with SA_SIGINFO and
 * SA_RESTART, masks and sigsuspend, FPU/SSE state across handlers and
 * process switches, poll with a timeout, vfork. Output is deterministic (no
 * pids or times) so the differential suite compares it with a native run.
 * Usage: processes            (runs every check)
 *        processes child N    (the re-executed program: exits with N)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count;
static volatile sig_atomic_t usr1_from_sender;
static volatile double handler_result;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    fflush(stdout);
}

static void on_usr1(int signo, siginfo_t *info, void *context)
{
    (void)context;
    usr1_count++;
    usr1_from_sender = signo == SIGUSR1 && (info->si_code == SI_USER || info->si_code == SI_TKILL);
    /* SSE work in the handler must not leak into the interrupted code. */
    volatile double x = 1.5;
    for (int i = 0; i < 10; i++)
        x = x * 1.25 + 0.5;
    handler_result = x;
}

static void fork_and_exit_statuses(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(42);
    int status;
    check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42,
          "child exit status");
    check(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "no children left");

    pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGTERM);
    check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "child killed by SIGTERM");

    pid = fork();
    if (pid == 0)
        _exit(getppid() > 0 ? 0 : 1);
    check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0, "child sees its parent");

    /* Ignoring SIGCHLD: children leave no zombie; wait waits for them all,
     * then fails with ECHILD. */
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++) {
        if (fork() == 0)
            _exit(i);
    }
    check(wait(&status) == -1 && errno == ECHILD, "no zombies when SIGCHLD is ignored");
    signal(SIGCHLD, SIG_DFL);
}

/* 200 KiB through a 64 KiB pipe: both sides block and wake each other. */
static void pipe_between_processes(void)
{
    enum { TOTAL = 200 * 1024 };
    int fds[2];
    if (pipe(fds) != 0) {
        check(0, "pipe");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        static unsigned char block[8192];
        for (int done = 0; done < TOTAL; done += (int)sizeof block) {
            for (size_t i = 0; i < sizeof block; i++)
                block[i] = (unsigned char)((done + (int)i) % 251);
            if (write(fds[1], block, sizeof block) != (ssize_t)sizeof block)
                _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);
    static unsigned char buf[5000];
    long total = 0, bad = 0;
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            bad += buf[i] != (unsigned char)((total + i) % 251);
        total += n;
    }
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    check(n == 0 && total == TOTAL && bad == 0 && WEXITSTATUS(status) == 0,
          "200 KiB through a pipe, then EOF");
}

static void broken_pipe(void)
{
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        for (;;)
            write(fds[1], "y\n", 2); /* dies of SIGPIPE once the reader is gone */
    }
    close(fds[1]);
    char buf[4];
    read(fds[0], buf, sizeof buf);
    close(fds[0]);
    int status;
    check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
          "writer killed by SIGPIPE");

    signal(SIGPIPE, SIG_IGN);
    pipe(fds);
    close(fds[0]);
    check(write(fds[1], "x", 1) == -1 && errno == EPIPE, "EPIPE with SIGPIPE ignored");
    close(fds[1]);
    signal(SIGPIPE, SIG_DFL);
}

static void handlers_and_masks(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);

    volatile double before = 3.0;
    raise(SIGUSR1);
    double after = before * 2.0;
    check(usr1_count == 1 && usr1_from_sender && after == 6.0, "handler runs, FPU state kept");
    check(handler_result > 30.0 && handler_result < 31.0, "handler computes with SSE");

    /* Blocked: pending, delivered when sigsuspend opens the mask. */
    sigset_t block, old, none;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    check(usr1_count == 1 && sigismember(&pending, SIGUSR1), "blocked signal stays pending");
    sigemptyset(&none);
    sigsuspend(&none);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    check(usr1_count == 2 && sigismember(&now, SIGUSR1), "sigsuspend delivers, mask restored");
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* A read blocked on a pipe, interrupted by a signal from the child and
     * restarted (SA_RESTART), then completed by the child's write. */
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR1);
        nanosleep(&ts, NULL);
        write(fds[1], "z", 1);
        _exit(0);
    }
    char c = 0;
    ssize_t n = read(fds[0], &c, 1);
    waitpid(pid, NULL, 0);
    check(n == 1 && c == 'z' && usr1_count == 3, "read restarted after a handler");
    close(fds[0]);
    close(fds[1]);
}

static void poll_and_sleep(void)
{
    int fds[2];
    pipe(fds);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    check(poll(&p, 1, 30) == 0, "poll times out on an empty pipe");
    write(fds[1], "a", 1);
    check(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "poll sees data");
    close(fds[1]);
    char c;
    read(fds[0], &c, 1);
    check(poll(&p, 1, 1000) == 1 && (p.revents & POLLHUP), "poll sees the hang-up");
    close(fds[0]);

    struct timespec start, end, ts = {0, 50 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    nanosleep(&ts, NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
    check(ms >= 50, "nanosleep sleeps");
}

static volatile sig_atomic_t alarms;

static void on_alarm(int signo)
{
    (void)signo;
    alarms++;
}

/* alarm and setitimer(ITIMER_REAL): SIGALRM on time, in a blocking call and
 * in a loop of system calls; what is left; a periodic timer; fork clears it. */
static void interval_timers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    check(alarm(5) == 0, "alarm: nothing was armed");
    unsigned left = alarm(1);
    check(left == 5 || left == 4, "alarm: the old one had about 5 s left");
    struct itimerval now;
    check(getitimer(ITIMER_REAL, &now) == 0 && now.it_value.tv_sec == 0 &&
              now.it_value.tv_usec > 0 && now.it_interval.tv_sec == 0,
          "getitimer: under a second left, no interval");
    pid_t child = fork();
    if (child == 0) {
        struct itimerval c;
        _exit(getitimer(ITIMER_REAL, &c) == 0 && c.it_value.tv_sec == 0 && c.it_value.tv_usec == 0
                  ? 0
                  : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork: the child has no timer");
    pause();
    check(alarms == 1, "SIGALRM ended pause()");
    check(alarm(0) == 0, "alarm(0): nothing left");

    struct itimerval every = {{0, 20000}, {0, 20000}}, old;
    check(setitimer(ITIMER_REAL, &every, &old) == 0 && old.it_value.tv_usec == 0,
          "setitimer: every 20 ms");
    struct timespec start, t;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do { /* system calls only: the alarms come on the way back to user mode */
        clock_gettime(CLOCK_MONOTONIC, &t);
        getppid();
    } while (alarms < 4 && t.tv_sec - start.tv_sec < 5);
    check(alarms >= 4, "a periodic timer fires again and again");
    struct itimerval off = {{0, 0}, {0, 0}};
    check(setitimer(ITIMER_REAL, &off, &old) == 0 && old.it_interval.tv_usec == 20000,
          "setitimer: disarmed; it had its 20 ms interval");
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    check(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL,
          "setitimer: a million microseconds is EINVAL");
    check(setitimer(99, &off, NULL) == -1 && errno == EINVAL, "setitimer: unknown timer EINVAL");
    signal(SIGALRM, SIG_DFL);
}

/* Futex constants (linux/futex.h, which musl-gcc lacks). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10

static long futex(volatile uint32_t *word, int op, uint32_t val, const struct timespec *timeout,
                  volatile uint32_t *word2, uint32_t val3)
{
    return syscall(SYS_futex, word, op, val, timeout, word2, val3);
}

/* Gives forked waiters time to reach their futex wait: a wake before they
 * sleep would find nobody. */
static void let_waiters_sleep(void)
{
    struct timespec pause_for = {0, 200000000};
    nanosleep(&pause_for, NULL);
}

/* Futexes on shared memory between processes, as LTP's checkpoints and
 * process-shared semaphores use them. */
static void shared_futexes(void)
{
    volatile uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check(w != MAP_FAILED, "futex: shared page");
    struct timespec short_wait = {0, 20000000};
    errno = 0;
    check(futex(&w[0], FUTEX_WAIT, 1, &short_wait, NULL, 0) == -1 && errno == EAGAIN,
          "futex: WAIT on a word that differs is EAGAIN");
    check(futex(&w[0], FUTEX_WAIT, 0, &short_wait, NULL, 0) == -1 && errno == ETIMEDOUT,
          "futex: WAIT times out");
    check(futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "futex: WAKE with nobody waiting is 0");
    check(futex((uint32_t *)((char *)w + 1), FUTEX_WAKE, 1, NULL, NULL, 0) == -1 && errno == EINVAL,
          "futex: an unaligned word is EINVAL");

    /* Ping-pong: each side waits for its turn on the shared word. */
    enum { ROUNDS = 200 };
    pid_t child = fork();
    if (child == 0) {
        for (uint32_t i = 0; i < ROUNDS; i++) {
            while (w[0] != 2 * i + 1)
                futex(&w[0], FUTEX_WAIT, 2 * i, NULL, NULL, 0);
            w[0] = 2 * i + 2;
            futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0);
        }
        _exit(0);
    }
    for (uint32_t i = 0; i < ROUNDS; i++) {
        w[0] = 2 * i + 1;
        futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0);
        while (w[0] != 2 * i + 2)
            futex(&w[0], FUTEX_WAIT, 2 * i + 1, NULL, NULL, 0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && w[0] == 2 * ROUNDS,
          "futex: 200 round trips between two processes");

    /* Three waiters; WAKE 2 wakes two; REQUEUE moves the third to w[1];
     * a bitset wake that matches nobody wakes nobody; WAKE_OP sets w[1]. */
    w[0] = 0;
    w[1] = 0;
    w[2] = 0;
    pid_t kids[3];
    for (int k = 0; k < 3; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            long r = futex(&w[0], FUTEX_WAIT_BITSET, 0, NULL, NULL, 1u << k);
            __sync_fetch_and_add(&w[2], 1);
            _exit(r == 0 ? 0 : 1);
        }
    }
    let_waiters_sleep();
    check(futex(&w[0], FUTEX_WAKE_BITSET, 3, NULL, NULL, 8) == 0,
          "futex: a bitset that meets no waiter wakes none");
    long woken = futex(&w[0], FUTEX_WAKE_BITSET, 2, NULL, NULL, 3);
    check(woken == 2, "futex: WAKE_BITSET wakes the two whose bits meet");
    long moved = futex(&w[0], FUTEX_REQUEUE, 0, (const struct timespec *)1L, &w[1], 0);
    check(moved == 1, "futex: REQUEUE moves the last waiter");
    check(futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "futex: nobody is left on the first word");
    /* FUTEX_OP_SET 5 on w[1], compare old == 0: wake one there too. */
    uint32_t op = (0u << 28) | (0u << 24) | (5u << 12) | 0u;
    check(futex(&w[0], FUTEX_WAKE_OP, 0, (const struct timespec *)1L, &w[1], op) == 1 && w[1] == 5,
          "futex: WAKE_OP sets the second word and wakes its waiter");
    int ok = 1;
    for (int k = 0; k < 3; k++) {
        waitpid(kids[k], &status, 0);
        ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    check(ok && w[2] == 3, "futex: every waiter woke with 0");
    munmap((void *)w, 4096);
}

static void exec_self(const char *self)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *)self, "child", "7", NULL};
        execv("/proc/self/exe", argv);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 7, "execve of /proc/self/exe");

    pid = vfork();
    if (pid == 0)
        _exit(3);
    waitpid(pid, &status, 0);
    check(WEXITSTATUS(status) == 3, "vfork");

    check(execl("/no/such/program", "x", (char *)NULL) == -1 && errno == ENOENT,
          "execve of a missing file fails");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return atoi(argv[2]);
    fork_and_exit_statuses();
    pipe_between_processes();
    broken_pipe();
    handlers_and_masks();
    poll_and_sleep();
    interval_timers();
    shared_futexes();
    exec_self(argv[0]);
    return 0;
}
