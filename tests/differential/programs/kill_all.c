/*
 * kill(-1, sig) as the program minivm ran sees it: every process but the
 * caller and init gets the signal, and with no one else to signal the answer
 * is ESRCH (minivm signalled the caller itself and said 0); an orphan's
 * parent is init. Refuses to run unless it is
 * pid 2, a child of pid 1 — under minivm (which plays init), or natively as
 * the child of a shell that is pid 1 of a new pid namespace (`unshare --pid
 * --fork sh -c ...`) — so that kill(-1) can never reach the host's processes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int signo)
{
    (void)signo;
    usr1_seen++;
}

static void report(const char *what, long got)
{
    printf("%s: %ld\n", what, got);
    fflush(stdout);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

int main(void)
{
    if (getpid() != 2 || getppid() != 1) {
        fprintf(stderr, "kill_all: not pid 2 under init (run it under minivm or in a new pid "
                        "namespace)\n");
        return 2;
    }
    signal(SIGUSR1, on_usr1);


    report("kill(-1) with no one else", kill(-1, SIGUSR1) == 0 ? 0 : -errno);
    report("the caller's handler ran", usr1_seen);

    /* Two children wait; a third one signals everybody: both die, the
     * sender does not, and we get it too (we are not init). */
    pid_t a = fork();
    if (a == 0) {
        signal(SIGUSR1, SIG_DFL);
        for (;;)
            pause();
    }
    pid_t b = fork();
    if (b == 0) {
        signal(SIGUSR1, SIG_DFL);
        for (;;)
            pause();
    }
    sleep_ms(50);
    pid_t sender = fork();
    if (sender == 0)
        _exit(kill(-1, SIGUSR1) == 0 ? 0 : 1);
    int status = 0;
    waitpid(sender, &status, 0);
    report("sender lived and kill said 0", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    waitpid(a, &status, 0);
    report("first waiting child died of", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    waitpid(b, &status, 0);
    report("second waiting child died of", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    report("times our handler ran", usr1_seen);

    /* From us with a child alive: it gets it, we do not. */
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, SIG_DFL);
        for (;;)
            pause();
    }
    sleep_ms(50);
    report("kill(-1) from us with a child", kill(-1, SIGTERM) == 0 ? 0 : -errno);
    waitpid(c, &status, 0);
    report("the child died of", WIFSIGNALED(status) ? WTERMSIG(status) : -1);

    /* An orphan's parent is init: it says so through a pipe (its exit
     * status goes to init). */
    int gate[2], answer[2];
    pipe(gate);
    pipe(answer);
    pid_t middle = fork();
    if (middle == 0) {
        if (fork() == 0) {
            char c;
            close(gate[1]);
            read(gate[0], &c, 1); /* until the middle one is gone */
            long ppid = getppid();
            write(answer[1], &ppid, sizeof ppid);
            _exit(0);
        }
        _exit(0);
    }
    close(gate[0]);
    close(answer[1]);
    waitpid(middle, NULL, 0);
    close(gate[1]);
    long orphan_ppid = -1;
    if (read(answer[0], &orphan_ppid, sizeof orphan_ppid) != sizeof orphan_ppid)
        orphan_ppid = -1;
    close(answer[0]);
    report("an orphan's parent", orphan_ppid);
    return 0;
}
