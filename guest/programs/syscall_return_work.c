/* What the way out of a system call must still do when the guest kernel
 * takes its fast path (issue 15): deliver a signal the call itself made
 * deliverable, an alarm that expired during a run of cheap calls (or of no
 * calls: the way back from an interrupt, which tests the same flag), and a
 * restart or EINTR. Prints one line per check and exits 0 when all hold,
 * the same natively and in minivm (tests/e2e:programs_test). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, alarm_count;
static int pipe_fds[2];

static void on_usr1(int signo) { (void)signo; usr1_count++; }

static void on_alarm(int signo)
{
    (void)signo;
    alarm_count++;
    /* The restarted read then finds this byte. */
    if (write(pipe_fds[1], "x", 1) != 1)
        _exit(3);
}

static int check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

static void set_handler(int signo, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(signo, &sa, NULL);
}

static void arm_alarm_ms(long ms)
{
    struct itimerval it = {.it_value = {.tv_sec = 0, .tv_usec = ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    int failed = 0;
    set_handler(SIGUSR1, on_usr1, 0);

    /* A signal sent to oneself is delivered before kill returns. */
    kill(getpid(), SIGUSR1);
    failed += check("kill to self delivered on return", usr1_count == 1);
    syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGUSR1);
    failed += check("tgkill to self delivered on return", usr1_count == 2);

    /* Blocked: pending, not delivered, across cheap calls; unblocking
     * delivers it before sigprocmask returns. */
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    kill(getpid(), SIGUSR1);
    for (int i = 0; i < 100; i++)
        syscall(SYS_getppid);
    failed += check("blocked signal stays pending", usr1_count == 2);
    sigprocmask(SIG_SETMASK, &old, NULL);
    failed += check("unblocked signal delivered on return", usr1_count == 3);

    /* An alarm that expires while the program only makes fast calls. */
    if (pipe(pipe_fds) != 0)
        return 2;
    set_handler(SIGALRM, on_alarm, 0);
    arm_alarm_ms(20);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        syscall(SYS_getppid);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (alarm_count == 0 && now.tv_sec - start.tv_sec < 10);
    failed += check("alarm delivered during getppid calls", alarm_count == 1);
    char byte;
    if (read(pipe_fds[0], &byte, 1) != 1) /* the handler's byte */
        return 2;

    /* One that expires while the program makes no system call at all: the
     * way back from the timer's interrupt delivers it (bounded, so that a
     * kernel that never does fails instead of spinning on). */
    arm_alarm_ms(20);
    for (volatile unsigned long spins = 0; alarm_count == 1 && spins < 2000000000ul; spins++)
        ;
    failed += check("alarm delivered during a loop without system calls", alarm_count == 2);
    if (read(pipe_fds[0], &byte, 1) != 1)
        return 2;

    /* A read interrupted by a handler without SA_RESTART fails with EINTR... */
    arm_alarm_ms(20);
    ssize_t n = read(pipe_fds[0], &byte, 1);
    failed += check("interrupted read without SA_RESTART is EINTR", n == -1 && errno == EINTR);
    if (read(pipe_fds[0], &byte, 1) != 1) /* the handler's byte */
        return 2;

    /* ...and with SA_RESTART it restarts and reads the handler's byte. */
    set_handler(SIGALRM, on_alarm, SA_RESTART);
    arm_alarm_ms(20);
    n = read(pipe_fds[0], &byte, 1);
    failed += check("interrupted read with SA_RESTART restarts", n == 1 && byte == 'x');
    return failed == 0 ? 0 : 1;
}
