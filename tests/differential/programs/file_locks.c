/*
 * Advisory locks between processes (issue 12): fcntl byte-range locks
 * (POSIX and OFD), flock, their conflicts across fork, F_GETLK's answer,
 * splitting and merging, release on close and exit, blocking waits woken by
 * an unlock or a signal (EINTR), deadlock detection (EDEADLK), and the
 * argument errors. Children mostly report through their exit status; the
 * parent waits for each, so the output's order is fixed. Run in an empty
 * writable directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static void result(const char *what, int r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: ok\n", what);
    fflush(stdout);
}

static int set_lock(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) for a write lock over [start, start+len). */
static void show_conflict(const char *what, int fd, int cmd, off_t start, off_t len,
                          pid_t expected_owner)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    if (fcntl(fd, cmd, &fl) != 0) {
        printf("%s: %s\n", what, strerror(errno));
    } else if (fl.l_type == F_UNLCK) {
        printf("%s: unlocked\n", what);
    } else {
        printf("%s: %s lock at %lld len %lld owner %s\n", what,
               fl.l_type == F_WRLCK ? "write" : "read", (long long)fl.l_start,
               (long long)fl.l_len,
               fl.l_pid == expected_owner ? "as expected"
               : fl.l_pid == -1           ? "an open file"
                                          : "unexpected");
    }
    fflush(stdout);
}

/* Runs `child` in a child process; its exit status is what it reports. */
static int in_child(int (*child)(void *), void *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(child(arg));
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* What a child's lock attempt gave, as an exit status: 0 ok, else errno. */
static int errno_status(int r)
{
    return r == 0 ? 0 : errno;
}

static void report(const char *what, int status)
{
    printf("%s: %s\n", what, status == 0 ? "ok" : strerror(status));
    fflush(stdout);
}

static int child_write_lock(void *arg)
{
    off_t *range = arg;
    int fd = open("data", O_RDWR);
    return errno_status(set_lock(fd, F_SETLK, F_WRLCK, range[0], range[1]));
}

static int child_flock(void *arg)
{
    int op = *(int *)arg;
    int fd = open("data", O_RDWR);
    return errno_status(flock(fd, op));
}

static void posix_locks(int fd)
{
    pid_t me = getpid();
    result("write lock 0..9", set_lock(fd, F_SETLK, F_WRLCK, 0, 10));
    off_t overlapping[2] = {5, 1}, beyond[2] = {10, 5};
    report("child: write lock at 5", in_child(child_write_lock, overlapping));
    report("child: write lock 10..14", in_child(child_write_lock, beyond));
    show_conflict("own locks never conflict", fd, F_GETLK, 0, 0, me);

    /* Splitting: unlock the middle, two locks remain. */
    result("write lock 0..99", set_lock(fd, F_SETLK, F_WRLCK, 0, 100));
    result("unlock 40..59", set_lock(fd, F_SETLK, F_UNLCK, 40, 20));
    off_t middle[2] = {45, 1}, left[2] = {10, 1};
    report("child: write lock at 45", in_child(child_write_lock, middle));
    report("child: write lock at 10", in_child(child_write_lock, left));
    /* Merging: a read lock over the gap and beyond turns into one range. */
    result("read lock 40..59", set_lock(fd, F_SETLK, F_RDLCK, 40, 20));
    result("unlock everything", set_lock(fd, F_SETLK, F_UNLCK, 0, 0));
    result("read lock 0..9", set_lock(fd, F_SETLK, F_RDLCK, 0, 10));
    result("read lock 10..19", set_lock(fd, F_SETLK, F_RDLCK, 10, 10));
    result("unlock everything", set_lock(fd, F_SETLK, F_UNLCK, 0, 0));
}

struct getlk_args {
    pid_t parent;
};

static int child_getlk(void *arg)
{
    struct getlk_args *a = arg;
    int fd = open("data", O_RDONLY);
    show_conflict("child: getlk at 10", fd, F_GETLK, 10, 1, a->parent);
    show_conflict("child: getlk at 45", fd, F_GETLK, 45, 1, a->parent);
    show_conflict("child: getlk at 70", fd, F_GETLK, 70, 1, a->parent);
    show_conflict("child: getlk at 200", fd, F_GETLK, 200, 1, a->parent);
    show_conflict("child: getlk to the end", fd, F_GETLK, 150, 0, a->parent);
    return 0;
}

static int child_getlk_whole(void *arg)
{
    struct getlk_args *a = arg;
    int fd = open("data", O_RDONLY);
    show_conflict("child: getlk over the file, first of three", fd, F_GETLK, 0, 0, a->parent);
    show_conflict("child: getlk from 13", fd, F_GETLK, 13, 0, a->parent);
    show_conflict("child: getlk from 18", fd, F_GETLK, 18, 0, a->parent);
    return 0;
}

static void getlk(int fd)
{
    set_lock(fd, F_SETLK, F_WRLCK, 0, 100);
    set_lock(fd, F_SETLK, F_UNLCK, 40, 20);
    set_lock(fd, F_SETLK, F_RDLCK, 180, 0); /* to the end of the file */
    struct getlk_args a = {getpid()};
    in_child(child_getlk, &a);
    set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
    /* A read lock inside a write lock splits it in three; F_GETLK reports
     * the one that starts first (LTP fcntl11). */
    set_lock(fd, F_SETLK, F_WRLCK, 10, 10);
    set_lock(fd, F_SETLK, F_RDLCK, 13, 5);
    in_child(child_getlk_whole, &a);
    set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
}

static void close_releases(int fd)
{
    result("write lock 0..9 again", set_lock(fd, F_SETLK, F_WRLCK, 0, 10));
    int other = open("data", O_RDONLY);
    close(other); /* POSIX: any close of the file drops the process's locks */
    off_t first[2] = {0, 1};
    report("child after closing another fd: write lock at 0", in_child(child_write_lock, first));
}

static int child_dies_holding(void *arg)
{
    (void)arg;
    int fd = open("data", O_RDWR);
    set_lock(fd, F_SETLK, F_WRLCK, 0, 0);
    int f2 = open("data", O_RDWR);
    flock(f2, LOCK_EX);
    return 0; /* exit without unlocking */
}

static void exit_releases(int fd)
{
    in_child(child_dies_holding, 0);
    result("write lock after the holder exited", set_lock(fd, F_SETLK, F_WRLCK, 0, 0));
    result("flock after the holder exited", flock(fd, LOCK_EX | LOCK_NB));
    flock(fd, LOCK_UN);
    set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
}

static void flocks(int fd)
{
    result("flock shared", flock(fd, LOCK_SH));
    int shared = LOCK_SH | LOCK_NB, exclusive = LOCK_EX | LOCK_NB;
    report("child: flock shared", in_child(child_flock, &shared));
    report("child: flock exclusive", in_child(child_flock, &exclusive));
    result("flock upgrade to exclusive", flock(fd, LOCK_EX | LOCK_NB));
    report("child: flock shared now", in_child(child_flock, &shared));
    /* flock and fcntl locks do not see each other. */
    off_t all[2] = {0, 0};
    report("child: fcntl write lock under flock", in_child(child_write_lock, all));
    int dup_fd = dup(fd);
    result("flock through a dup (same open file)", flock(dup_fd, LOCK_EX | LOCK_NB));
    close(dup_fd);
    report("child: flock exclusive after closing the dup", in_child(child_flock, &exclusive));
    result("flock unlock", flock(fd, LOCK_UN));
    report("child: flock exclusive after unlock", in_child(child_flock, &exclusive));
    result("flock bad operation", flock(fd, 0));
    result("flock bad fd", flock(-1, LOCK_SH));
}

static void ofd_locks(int fd)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    result("ofd write lock 0..9", fcntl(fd, F_OFD_SETLK, &fl));
    int other = open("data", O_RDWR);
    fl.l_start = 5;
    result("ofd lock from another open file", fcntl(other, F_OFD_SETLK, &fl));
    result("posix lock of the same process", set_lock(other, F_SETLK, F_WRLCK, 5, 1));
    show_conflict("ofd getlk from another open file", other, F_OFD_GETLK, 0, 1, 0);
    fl.l_pid = 1;
    result("ofd lock with l_pid set", fcntl(other, F_OFD_SETLK, &fl));
    close(other); /* OFD locks stay: they belong to fd's open file */
    off_t first[2] = {0, 1};
    report("child: write lock at 0", in_child(child_write_lock, first));
    fl.l_type = F_UNLCK;
    fl.l_pid = 0;
    fl.l_start = 0;
    fl.l_len = 0;
    result("ofd unlock", fcntl(fd, F_OFD_SETLK, &fl));
}

static void on_usr1(int signo)
{
    (void)signo;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, 0);
}

/* A child blocks in F_SETLKW; `wake` ends the wait (unlock or signal). */
static void blocking_wait(int fd, int signal_it)
{
    set_lock(fd, F_SETLK, F_WRLCK, 0, 10);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1; /* no SA_RESTART: the wait ends with EINTR */
        sigaction(SIGUSR1, &sa, 0);
        int cfd = open("data", O_RDWR);
        _exit(errno_status(set_lock(cfd, F_SETLKW, F_WRLCK, 0, 1)));
    }
    sleep_ms(200); /* the child is waiting by now */
    if (signal_it)
        kill(pid, SIGUSR1);
    else
        set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
    int status;
    waitpid(pid, &status, 0);
    report(signal_it ? "child: wait interrupted by a signal" : "child: wait ended by the unlock",
           WIFEXITED(status) ? WEXITSTATUS(status) : 255);
    set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
}

/* Parent holds A (byte 0) and wants B (byte 1); the child holds B and waits
 * for A: the parent's wait would never end. */
static void deadlock(int fd)
{
    int ready[2];
    if (pipe(ready) != 0)
        return;
    set_lock(fd, F_SETLK, F_WRLCK, 0, 1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = open("data", O_RDWR);
        set_lock(cfd, F_SETLK, F_WRLCK, 1, 1);
        write(ready[1], "x", 1);
        _exit(errno_status(set_lock(cfd, F_SETLKW, F_WRLCK, 0, 1)));
    }
    char c;
    read(ready[0], &c, 1);
    sleep_ms(200);
    result("wait for the child's lock", set_lock(fd, F_SETLKW, F_WRLCK, 1, 1));
    set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
    int status;
    waitpid(pid, &status, 0);
    report("child: its wait ended once the parent unlocked",
           WIFEXITED(status) ? WEXITSTATUS(status) : 255);
    close(ready[0]);
    close(ready[1]);
}

static void argument_errors(int fd)
{
    struct flock fl = {.l_type = 7, .l_whence = SEEK_SET};
    result("bad lock type", fcntl(fd, F_SETLK, &fl));
    fl.l_type = F_RDLCK;
    fl.l_whence = 9;
    result("bad whence", fcntl(fd, F_SETLK, &fl));
    fl.l_whence = SEEK_SET;
    fl.l_start = -5;
    result("negative start", fcntl(fd, F_SETLK, &fl));
    fl.l_start = 2;
    fl.l_len = -5;
    result("negative length before the start", fcntl(fd, F_SETLK, &fl));
    fl.l_len = -2;
    result("negative length", fcntl(fd, F_SETLK, &fl));
    fl.l_start = 0;
    fl.l_len = 0;
    fl.l_type = F_UNLCK;
    result("getlk of F_UNLCK", fcntl(fd, F_GETLK, &fl));
    fcntl(fd, F_SETLK, &fl);
    int ro = open("data", O_RDONLY);
    result("write lock on a read-only fd", set_lock(ro, F_SETLK, F_WRLCK, 0, 1));
    result("read lock on a read-only fd", set_lock(ro, F_SETLK, F_RDLCK, 0, 1));
    close(ro);
    int wo = open("data", O_WRONLY);
    result("read lock on a write-only fd", set_lock(wo, F_SETLK, F_RDLCK, 0, 1));
    close(wo);
    lseek(fd, 30, SEEK_SET);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_CUR;
    fl.l_start = -10;
    fl.l_len = 5;
    result("lock relative to the position", fcntl(fd, F_SETLK, &fl));
    show_conflict("own lock at 20 (never a conflict)", fd, F_GETLK, 20, 1, getpid());
    set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
    result("lock on a bad fd", set_lock(-1, F_SETLK, F_RDLCK, 0, 1));
}

int main(void)
{
    if (mkdir("scratch", 0755) != 0 || chdir("scratch") != 0) {
        perror("scratch");
        return 1;
    }
    int fd = open("data", O_RDWR | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || write(fd, "0123456789abcdefghijklmnopqrstuvwxyz", 36) != 36) {
        perror("data");
        return 1;
    }
    posix_locks(fd);
    getlk(fd);
    close_releases(fd);
    exit_releases(fd);
    flocks(fd);
    ofd_locks(fd);
    blocking_wait(fd, 0);
    blocking_wait(fd, 1);
    deadlock(fd);
    argument_errors(fd);
    return 0;
}
