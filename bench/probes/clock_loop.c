/* Time probe: 1,000,000 clock_gettime(CLOCK_MONOTONIC) through the libc (on
 * Linux the vDSO answers them without entering the kernel). Checks monotonicity. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000000; /* bench/run.sh counts exits with fewer */
    struct timespec prev = {0, 0}, now;
    long backwards = 0;
    for (int i = 0; i < n; i++) {
        if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
            perror("clock_gettime");
            return 1;
        }
        if (now.tv_sec < prev.tv_sec || (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec))
            backwards++;
        prev = now;
    }
    printf("clock_loop backwards=%ld\n", backwards);
    return backwards != 0;
}
