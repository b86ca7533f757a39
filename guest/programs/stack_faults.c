/*
 * Page faults that depend on where the user stack pointer is, which a kernel
 * must handle without touching the user's stack (docs/pvm.md §9):
 *   stack_faults redzone  values stored below RSP (the SysV red zone, which a
 *                         leaf function may use) survive a page fault taken
 *                         at that moment; prints "redzone ok"
 *   stack_faults grow     RSP is moved onto a page not yet mapped and the
 *                         first touch is through it (the stack grows);
 *                         prints "grow ok"
 * Exit status 1 with a message on the first wrong value.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define RED_ZONE_WORDS 16 /* the 128-byte red zone */

static int red_zone_survives_a_fault(void)
{
    char *fresh = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fresh == MAP_FAILED) {
        perror("stack_faults: mmap");
        return 1;
    }
    unsigned long seen[RED_ZONE_WORDS];
    /* Fill the red zone, fault on a fresh page, read the red zone back: no
     * call and no push in between, so only the kernel could change it. */
    __asm__ volatile("mov $1, %%ecx\n\t"
                     "1: mov %%rcx, %%rax\n\t"
                     "imul $0x1111, %%rax\n\t"
                     "neg %%rcx\n\t"
                     "mov %%rax, (%%rsp,%%rcx,8)\n\t"
                     "neg %%rcx\n\t"
                     "inc %%rcx\n\t"
                     "cmp $16, %%rcx\n\t"
                     "jbe 1b\n\t"
                     "movb $1, (%[page])\n\t"
                     "mov $1, %%ecx\n\t"
                     "2: neg %%rcx\n\t"
                     "mov (%%rsp,%%rcx,8), %%rax\n\t"
                     "neg %%rcx\n\t"
                     "mov %%rax, -8(%[seen],%%rcx,8)\n\t"
                     "inc %%rcx\n\t"
                     "cmp $16, %%rcx\n\t"
                     "jbe 2b\n\t"
                     :
                     : [page] "r"(fresh + 5 * 4096), [seen] "r"(seen)
                     : "rax", "rcx", "memory");
    for (int i = 0; i < RED_ZONE_WORDS; i++) {
        unsigned long want = 0x1111ul * (unsigned long)(i + 1);
        if (seen[i] != want) {
            printf("stack_faults: red zone word -%d is %#lx after a page fault, want %#lx\n",
                   (i + 1) * 8, seen[i], want);
            return 1;
        }
    }
    puts("redzone ok");
    return 0;
}

/* 64 KiB of locals: the frame starts pages below anything touched so far. */
__attribute__((noinline)) static int deep_frame(int depth)
{
    volatile char frame[65536];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = (char)depth;
    return depth ? deep_frame(depth - 1) + frame[0] : frame[sizeof frame - 1];
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "redzone") == 0)
        return red_zone_survives_a_fault();
    if (argc == 2 && strcmp(argv[1], "grow") == 0) {
        int sum = deep_frame(8); /* 8 + 7 + ... + 1 + 0 */
        if (sum != 36) {
            printf("stack_faults: deep frames summed to %d, want 36\n", sum);
            return 1;
        }
        puts("grow ok");
        return 0;
    }
    fprintf(stderr, "usage: stack_faults redzone|grow\n");
    return 2;
}
