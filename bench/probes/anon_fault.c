/* Per-operation probe (bench/per_op.sh): map N pages (argv[1], default 10,000)
 * anonymous and private, and write one byte into each: N first-touch page
 * faults. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    long page = sysconf(_SC_PAGESIZE);
    if (n <= 0 || page <= 0) {
        fprintf(stderr, "anon_fault: N must be positive\n");
        return 2;
    }
    volatile char *m = mmap(NULL, (size_t)n * page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("anon_fault: mmap");
        return 1;
    }
    for (long i = 0; i < n; i++)
        m[i * page] = (char)i;
    long wrong = 0;
    for (long i = 0; i < n; i++)
        wrong += m[i * page] != (char)i;
    if (munmap((void *)m, (size_t)n * page) != 0) {
        perror("anon_fault: munmap");
        return 1;
    }
    printf("anon_fault pages=%ld wrong=%ld\n", n, wrong);
    return wrong != 0;
}
