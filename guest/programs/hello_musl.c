/* The musl twin of hello.c, to prove a second libc's start-up works. */
#include <stdio.h>

int main(void)
{
    puts("hello from musl");
    return 0;
}
