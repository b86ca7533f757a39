/*
 * Writes 300 short lines, alternating stdout and stderr with write(2), then
 * ends as argv[1] says: "exit" (status 3), "fault" (a NULL store) or "spin"
 * (forever, until minivm's --timeout). Every line must reach the host, in
 * order, however the program ends (the console's output ring, docs/plugins.md).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *end = argc > 1 ? argv[1] : "exit";
    char line[32];
    for (int i = 0; i < 300; i++) {
        int fd = 1 + (i & 1);
        int n = snprintf(line, sizeof line, "%s %d\n", fd == 1 ? "out" : "err", i);
        if (write(fd, line, (size_t)n) != n)
            return 1;
    }
    if (strcmp(end, "fault") == 0)
        *(volatile int *)0 = 1;
    if (strcmp(end, "spin") == 0)
        for (;;)
            __asm__ volatile("" ::: "memory");
    return 3;
}
