/* Ordering probe for the write target: 2,000 lines alternating between stdout
 * and stderr with write(2), then a stdio line without a newline that only the
 * exit-time flush writes, then ends as argv[1] says: "exit" (status 3), "fault"
 * (a NULL store: SIGSEGV) or "hang" (spins until a timeout kills it).
 * Run with 2>&1 into one pipe, its output must be the same as natively. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "exit";
    char line[32];
    for (int i = 0; i < 2000; i++) {
        int fd = 1 + (i & 1);
        int n = snprintf(line, sizeof line, "%s %d\n", fd == 1 ? "out" : "err", i);
        if (write(fd, line, (size_t)n) != n)
            return 1;
    }
    if (strcmp(mode, "fault") == 0) {
        *(volatile int *)0 = 1;
    } else if (strcmp(mode, "hang") == 0) {
        for (;;)
            __asm__ volatile("" ::: "memory");
    }
    printf("tail flushed at exit");
    exit(3);
}
