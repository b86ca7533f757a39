/*
 * Dies of a fault three calls deep (crash_here <- middle_frame <- main), for
 * the crash-report tests: the report must name the three, in that order.
 * argv[1]: "write" (default): stores to NULL; "strlen": strlen(NULL), a
 * fault inside libc; "abort": abort(); "child": a forked child dies of the
 * write and the parent reports its wait status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Volatile, so the compiler can neither see the NULL nor drop the access. */
static char *volatile target;
static volatile int sink;

__attribute__((noinline)) int crash_here(const char *mode)
{
    if (strcmp(mode, "strlen") == 0)
        return (int)strlen(target);
    if (strcmp(mode, "abort") == 0)
        abort();
    *target = 1;
    return 0;
}

/* The uses of the results keep the calls from becoming tail jumps, so each
 * frame stays on the stack. */
__attribute__((noinline)) int middle_frame(const char *mode)
{
    int r = crash_here(mode);
    sink = r;
    return r + 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "write";
    if (strcmp(mode, "child") == 0) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(middle_frame("write"));
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid)
            return 1;
        printf("child killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        return 0;
    }
    int r = middle_frame(mode);
    sink = r;
    return r;
}
