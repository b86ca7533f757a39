/* The smallest useful guest program: one line on stdout, status 0. */
#include <stdio.h>

int main(void)
{
    puts("hello from glibc");
    return 0;
}
