/*
 * System calls a restricted environment answers with an errno, and hints
 * that change nothing (issue 12): sockets of families the system lacks
 * (EAFNOSUPPORT), socket calls on descriptors that are no sockets
 * (ENOTSOCK), scheduling queries, posix_fadvise/readahead, close_range,
 * mincore, and the xattr calls on a file without attributes; and what LTP's
 * syscall tests found (mlock & co., msync's checks, prctl's parent-death
 * signal and timer slack, ioctl on O_PATH, an empty argv, pwrite with
 * O_APPEND, /proc/sys/kernel/version). Prints only what a native run and
 * one under minivm share (no CPU counts, no ids).
 * Usage: restricted_calls DIR   (uses DIR/a.txt, a regular file)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define AF_DECNET_GONE 12 /* removed from Linux in 6.1 */
#define AF_BEYOND_LAST 46 /* no such family (NPROTO) */
#define CLOSE_RANGE_SYSCALL 436
#define CLOSE_RANGE_CLOEXEC_FLAG 4

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: ok\n", what);
    fflush(stdout);
}

static void sockets(int file_fd, int pipe_fd)
{
    result("socket of a family the system lacks", socket(AF_DECNET_GONE, SOCK_STREAM, 0));
    result("socket of no family", socket(AF_BEYOND_LAST, SOCK_DGRAM, 0));
    result("socket of a bad type", socket(AF_UNIX, 99, 0));
    result("socket with bad flags", socket(AF_UNIX, SOCK_STREAM | 0x100000, 0));
    int sv[2];
    result("socketpair of a family the system lacks",
           socketpair(AF_DECNET_GONE, SOCK_STREAM, 0, sv));
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    result("getpeername of a file", getpeername(file_fd, (struct sockaddr *)&addr, &len));
    result("getpeername of a pipe", getpeername(pipe_fd, (struct sockaddr *)&addr, &len));
    result("getpeername of a bad fd", getpeername(-1, (struct sockaddr *)&addr, &len));
    result("getsockname of a file", getsockname(file_fd, (struct sockaddr *)&addr, &len));
    result("connect of a file", connect(file_fd, (struct sockaddr *)&addr, sizeof(short)));
    result("shutdown of a file", shutdown(file_fd, SHUT_RDWR));
    int one = 1;
    result("setsockopt of a file", setsockopt(file_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    result("send on a pipe", send(pipe_fd, "x", 1, 0));
    result("recv on a file", recv(file_fd, &one, 1, 0));
    result("listen on a file", listen(file_fd, 1));
    result("accept on a bad fd", accept(-1, 0, 0));
}

static void scheduling(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    result("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    printf("cpu 0 in the mask: %d\n", CPU_ISSET(0, &set) != 0);
    result("sched_getaffinity of no process", sched_getaffinity(-5, sizeof set, &set));
    result("sched_getaffinity with a short mask", syscall(SYS_sched_getaffinity, 0, 1, &set));
    result("sched_setaffinity to cpu 0", sched_setaffinity(0, sizeof set, &set));
    CPU_ZERO(&set);
    result("sched_setaffinity to no cpu", sched_setaffinity(0, sizeof set, &set));
    printf("priority max fifo %d rr %d other %d\n", sched_get_priority_max(SCHED_FIFO),
           sched_get_priority_max(SCHED_RR), sched_get_priority_max(SCHED_OTHER));
    printf("priority min fifo %d rr %d other %d\n", sched_get_priority_min(SCHED_FIFO),
           sched_get_priority_min(SCHED_RR), sched_get_priority_min(SCHED_OTHER));
    result("sched_get_priority_max of a bad policy", sched_get_priority_max(42));
    printf("sched_getscheduler: %d\n", sched_getscheduler(0));
    struct sched_param param = {0};
    result("sched_getparam", sched_getparam(0, &param));
    printf("priority %d\n", param.sched_priority);
    result("sched_setscheduler other 0", sched_setscheduler(0, SCHED_OTHER, &param));
    param.sched_priority = 5;
    result("sched_setscheduler other 5", sched_setscheduler(0, SCHED_OTHER, &param));
    unsigned cpu = 99, node = 99;
    result("getcpu", syscall(SYS_getcpu, &cpu, &node, 0));
}

static void hints(int file_fd, int pipe_fd)
{
    printf("posix_fadvise sequential: %d\n", posix_fadvise(file_fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    printf("posix_fadvise on a pipe: %s\n",
           strerror(posix_fadvise(pipe_fd, 0, 0, POSIX_FADV_NORMAL)));
    printf("posix_fadvise bad advice: %s\n", strerror(posix_fadvise(file_fd, 0, 0, 77)));
    printf("posix_fadvise bad fd: %s\n", strerror(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL)));
    result("readahead", readahead(file_fd, 0, 4096));
    result("readahead of a pipe", readahead(pipe_fd, 0, 4096));
}

static void descriptors(int file_fd)
{
    for (int fd = 20; fd < 24; fd++)
        dup2(file_fd, fd);
    result("close_range cloexec 20..21",
           syscall(CLOSE_RANGE_SYSCALL, 20, 21, CLOSE_RANGE_CLOEXEC_FLAG));
    printf("fd 20 cloexec %d, fd 22 cloexec %d\n", fcntl(20, F_GETFD) & FD_CLOEXEC,
           fcntl(22, F_GETFD) & FD_CLOEXEC);
    result("close_range 21..", syscall(CLOSE_RANGE_SYSCALL, 21, ~0u, 0));
    printf("fd 20 open %d, fd 21 open %d, fd 23 open %d\n", fcntl(20, F_GETFD) >= 0,
           fcntl(21, F_GETFD) >= 0, fcntl(23, F_GETFD) >= 0);
    result("close_range backwards", syscall(CLOSE_RANGE_SYSCALL, 30, 29, 0));
    result("close_range bad flags", syscall(CLOSE_RANGE_SYSCALL, 30, 31, 0x80));
    close(20);
}

/* mincore on memory the program wrote (resident natively too) and a hole. */
static void residency(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    memset(p, 1, 3 * page);
    unsigned char vec[3] = {0, 0, 0};
    result("mincore", mincore(p, 3 * page, vec));
    printf("resident %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1);
    result("mincore unaligned", mincore(p + 1, page, vec));
    munmap(p + page, page);
    result("mincore over a hole", mincore(p, 3 * page, vec));
    munmap(p, 3 * page);
}

static void attributes(const char *file)
{
    char value[64];
    ssize_t n = getxattr(file, "user.none", value, sizeof value);
    printf("getxattr: %s\n",
           n < 0 && (errno == ENODATA || errno == EOPNOTSUPP) ? "no attribute" : strerror(errno));
    n = listxattr(file, value, sizeof value);
    printf("listxattr: %s\n", n >= 0 ? "ok" : strerror(errno));
    result("getxattr of a missing file", getxattr("no/such/file", "user.x", value, sizeof value));
}

static void locking_and_sync(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 2 * page, page); /* a hole at the third page */
    result("mlock of two mapped pages", mlock(m, 2 * page));
    result("munlock of them", munlock(m, 2 * page));
    result("mlock over a hole", mlock(m, 4 * page));
    result("mlock2 with unknown flags", syscall(SYS_mlock2, m, page, 8));
    result("mlockall(0)", mlockall(0));
    result("munlockall", munlockall());
    result("msync MS_SYNC", msync(m, page, MS_SYNC));
    result("msync MS_SYNC|MS_ASYNC", msync(m, page, MS_SYNC | MS_ASYNC));
    result("msync unknown flag", msync(m, page, 64));
    result("msync over a hole", msync(m, 4 * page, MS_ASYNC));
    result("msync unaligned", msync(m + 1, page, MS_ASYNC));
}

static volatile sig_atomic_t parent_died;

static void on_parent_death(int signo)
{
    (void)signo;
    parent_died = 1;
}

static void process_controls(void)
{
    int sig = -1;
    result("PR_SET_PDEATHSIG", prctl(PR_SET_PDEATHSIG, SIGUSR2));
    result("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig));
    printf("pdeath signal: %d\n", sig);
    prctl(PR_SET_PDEATHSIG, 0);
    result("PR_SET_TIMERSLACK", prctl(PR_SET_TIMERSLACK, 200000));
    printf("timer slack: %ld\n", (long)prctl(PR_GET_TIMERSLACK));

    /* The grandchild asks for SIGUSR1 when its parent ends, and reports. */
    int answer[2];
    pipe(answer);
    pid_t middle = fork();
    if (middle == 0) {
        int gate[2];
        pipe(gate);
        if (fork() == 0) {
            signal(SIGUSR1, on_parent_death);
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            close(gate[1]);
            char c;
            read(gate[0], &c, 1); /* EOF: the parent is gone */
            for (int i = 0; i < 200 && !parent_died; i++)
                usleep(5000);
            char got = parent_died ? 'y' : 'n';
            write(answer[1], &got, 1);
            _exit(0);
        }
        usleep(50000);
        _exit(0);
    }
    close(answer[1]);
    waitpid(middle, NULL, 0);
    char got = '?';
    read(answer[0], &got, 1);
    close(answer[0]);
    printf("the parent-death signal came: %c\n", got);
}

static void more_descriptors(void)
{
    int path_fd = open("/", O_PATH);
    int n = 0;
    result("ioctl on an O_PATH descriptor", ioctl(path_fd, FIONREAD, &n));
    close(path_fd);

    char name[64];
    snprintf(name, sizeof name, "/tmp/restricted_calls.%d", (int)getpid());
    int fd = open(name, O_RDWR | O_CREAT | O_APPEND | O_TRUNC, 0600);
    char buf[1024];
    memset(buf, 'a', sizeof buf);
    write(fd, buf, sizeof buf);
    result("pwrite with O_APPEND", pwrite(fd, buf, sizeof buf, 0));
    long position = (long)lseek(fd, 0, SEEK_CUR);
    long size = (long)lseek(fd, 0, SEEK_END);
    printf("after pwrite: position %ld, size %ld\n", position, size);
    close(fd);
    unlink(name);

    /* An empty input still writes the offset back: EFAULT on a read-only page. */
    int empty = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    int sink = open("/dev/null", O_WRONLY);
    off_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result("sendfile of nothing, offset on a read-only page", (long)sendfile(sink, empty, ro, 1));
    munmap(ro, 4096);
    close(sink);
    close(empty);
    unlink(name);
    int closed = open("/", O_RDONLY);
    close(closed);
    result("mmap of a closed fd with length 0", mmap(NULL, 0, PROT_READ, MAP_SHARED, closed, 0) ==
                                                         MAP_FAILED ? -1 : 0);
    path_fd = open("/", O_PATH);
    result("mmap of an O_PATH fd", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, path_fd, 0) ==
                                           MAP_FAILED ? -1 : 0);
    close(path_fd);
    result("/proc/sys/kernel/domainname", access("/proc/sys/kernel/domainname", R_OK));

    struct utsname u;
    char version[sizeof u.version + 2] = "";
    FILE *f = fopen("/proc/sys/kernel/version", "r");
    if (f != NULL) {
        if (fgets(version, sizeof version, f) == NULL)
            version[0] = 0;
        fclose(f);
    }
    version[strcspn(version, "\n")] = 0;
    printf("/proc/sys/kernel/version is uname's: %d\n",
           uname(&u) == 0 && strcmp(version, u.version) == 0);
}

/* execve with an empty argv: the program still gets argc 1, argv[0] "". */
static void empty_argv(const char *self)
{
    pid_t child = fork();
    if (child == 0) {
        char *argv[] = {NULL};
        char *envp[] = {"EMPTY_ARGV=1", NULL};
        execve(self, argv, envp);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("empty argv: the program saw %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 42 ? "argc 1, argv[0] \"\"" : "something else");
}

int main(int argc, char **argv)
{
    if (getenv("EMPTY_ARGV") != NULL)
        return argc == 1 && argv[0] != NULL && argv[0][0] == 0 ? 42 : 43;
    char file[4096];
    snprintf(file, sizeof file, "%s/a.txt", argc > 1 ? argv[1] : ".");
    int file_fd = open(file, O_RDONLY);
    int p[2];
    if (file_fd < 0 || pipe(p) != 0) {
        perror(file);
        return 1;
    }
    sockets(file_fd, p[0]);
    scheduling();
    hints(file_fd, p[0]);
    descriptors(file_fd);
    residency();
    attributes(file);
    locking_and_sync();
    process_controls();
    more_descriptors();
    empty_argv("/proc/self/exe");
    return 0;
}
