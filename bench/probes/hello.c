/* Start-up probe: print one line and exit. Built static with musl (and glibc). */
#include <stdio.h>

int main(void)
{
    puts("hello from a static program");
    return 0;
}
