/* Cheap-syscall probe: 1,000,000 getppid through syscall(2), which the libc
 * cannot cache or answer without entering the kernel. */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    long errors = 0;
    for (int i = 0; i < 1000000; i++)
        if (syscall(SYS_getppid) < 0)
            errors++;
    printf("getppid_loop errors=%ld\n", errors);
    return errors != 0;
}
