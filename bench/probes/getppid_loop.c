/* Cheap-syscall probe: 1,000,000 getppid through syscall(2), which the libc
 * cannot cache or answer without entering the kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000000; /* bench/run.sh counts exits with fewer */
    long errors = 0;
    for (int i = 0; i < n; i++)
        if (syscall(SYS_getppid) < 0)
            errors++;
    printf("getppid_loop errors=%ld\n", errors);
    return errors != 0;
}
