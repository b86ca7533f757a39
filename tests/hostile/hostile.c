/*
 * A hostile guest program: each argument names one attack on the guest kernel
 * or the VMM (issue 5). Attacks the kernel must refuse print what the system
 * call returned ("write kernel-pointer: EFAULT") and the program goes on;
 * attacks that must kill the program do so (the test expects the signal).
 * Usage: hostile ATTACK
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_TEXT 0xffffffff80100000ull  /* the guest kernel's image */
#define PHYSMAP_BOOT 0xffff800000001000ull /* boot info through the physmap */

static void report(const char *what, long rc)
{
    /* Raw system calls: the result is -errno, no libc translation. */
    printf("%s: %s\n", what, rc >= 0 ? "succeeded" : strerrorname_np((int)-rc));
}

static long raw3(long nr, long a, long b, long c) { return syscall(nr, a, b, c) < 0 ? -errno : 0; }

static int kernel_pointers(void)
{
    report("write from kernel text", raw3(SYS_write, 1, (long)KERNEL_TEXT, 16));
    report("write from physmap", raw3(SYS_write, 1, (long)PHYSMAP_BOOT, 16));
    report("read into kernel text", raw3(SYS_read, 0, (long)KERNEL_TEXT, 16));
    report("open kernel path", raw3(SYS_open, (long)KERNEL_TEXT, O_RDONLY, 0));
    report("stat into kernel", raw3(SYS_stat, (long)"/", (long)PHYSMAP_BOOT, 0));
    report("getcwd into kernel", raw3(SYS_getcwd, (long)KERNEL_TEXT, 64, 0));
    return 0;
}

static int wild_pointers(void)
{
    static char buf[64];
    report("write from unmapped", raw3(SYS_write, 1, 0x1000, 16));
    report("write from non-canonical", raw3(SYS_write, 1, (long)0x0000900000000000ull, 16));
    report("write wrapping length", raw3(SYS_write, 1, (long)buf, -1L));
    report("write past the user half", raw3(SYS_write, 1, (long)0x00007ffffffff000ull, 0x2000));
    report("read huge length", raw3(SYS_read, 0, (long)buf, 1L << 62));
    report("open unterminated path at the end of a mapping",
           raw3(SYS_open, (long)0x1000 - 1, O_RDONLY, 0));
    report("clock_gettime into nowhere", raw3(SYS_clock_gettime, 0, 0x10, 0));
    return 0;
}

static int fd_exhaustion(void)
{
    int count = 0;
    for (;;) {
        int fd = open("/", O_RDONLY | O_DIRECTORY);
        if (fd < 0) {
            printf("opened %s fds, then %s\n", count > 100 ? "many" : "few",
                   strerrorname_np(errno));
            return 0;
        }
        count++;
    }
}

static int memory_exhaustion(void)
{
    /* Map and touch 1 MiB at a time until the guest runs out. */
    size_t touched = 0;
    for (;;) {
        char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            printf("mmap failed after touching memory: %s\n", strerrorname_np(errno));
            return 0;
        }
        for (size_t i = 0; i < (1 << 20); i += 4096)
            p[i] = 1; /* may kill us with SIGKILL when no page is left */
        touched += 1 << 20;
        if (touched > (8ull << 30)) {
            printf("touched 8 GiB without running out?!\n");
            return 1;
        }
    }
}

/* A child eats the guest's memory until it is killed; the memory comes back
 * a page at a time, and the parent must still be able to fork (the kernel's
 * multi-page objects then cannot come from one contiguous run). */
static int fork_after_out_of_memory(void)
{
    pid_t eater = fork();
    if (eater == 0)
        exit(memory_exhaustion());
    int status = 0;
    waitpid(eater, &status, 0);
    int forked = 0;
    for (int i = 0; i < 40; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0) {
            printf("fork %d after running out of memory: %s\n", i, strerrorname_np(errno));
            break;
        }
        waitpid(pid, NULL, 0);
        forked++;
    }
    printf("eater %s; forks after it: %d\n",
           WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "was killed" : "ended", forked);
    return 0;
}

/* The page cache gives its memory back: a 24 MiB host file read through a
 * mapping (its pages cached), unmapped, then 40 MiB of anonymous memory
 * touched in a 64 MiB guest. */
static int cache_then_anonymous_memory(void)
{
    int fd = open("big.bin", O_RDONLY);
    size_t len = 24 << 20;
    volatile unsigned char *file = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd < 0 || file == MAP_FAILED) {
        printf("big.bin: %s\n", strerrorname_np(errno));
        return 1;
    }
    unsigned sum = 0;
    for (size_t i = 0; i < len; i += 4096)
        sum += file[i];
    munmap((void *)file, len);
    close(fd);
    size_t anon_len = 40 << 20;
    char *anon = mmap(NULL, anon_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t i = 0; i < anon_len; i += 4096)
        anon[i] = (char)sum; /* SIGKILL here if the cache kept its pages */
    printf("read 24 MiB of a file, then touched 40 MiB\n");
    return 0;
}

static int huge_mapping(void)
{
    /* Far more virtual memory than the guest has: fine until touched. */
    char *p = mmap(NULL, 64ull << 30, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        printf("64 GiB mapping: %s\n", strerrorname_np(errno));
        return 0;
    }
    p[0] = 1;
    p[(64ull << 30) - 1] = 2;
    printf("64 GiB mapping: touched both ends\n");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 2) {
        fprintf(stderr, "usage: hostile ATTACK\n");
        return 2;
    }
    const char *a = argv[1];
    if (!strcmp(a, "kernel-pointers"))
        return kernel_pointers();
    if (!strcmp(a, "wild-pointers"))
        return wild_pointers();
    if (!strcmp(a, "fd-exhaustion"))
        return fd_exhaustion();
    if (!strcmp(a, "memory-exhaustion"))
        return memory_exhaustion();
    if (!strcmp(a, "cache-then-anonymous-memory"))
        return cache_then_anonymous_memory();
    if (!strcmp(a, "fork-after-out-of-memory"))
        return fork_after_out_of_memory();
    if (!strcmp(a, "huge-mapping"))
        return huge_mapping();
    if (!strcmp(a, "unknown-syscall")) {
        report("io_uring_setup", raw3(425, 1, 0, 0)); /* not implemented by our kernel */
        report("io_uring_setup again", raw3(425, 1, 0, 0));
        return 0;
    }
    if (!strcmp(a, "spin"))
        for (;;)
            __asm__ volatile("" ::: "memory"); /* user-mode busy loop, no system call */
    /* The rest must kill the program. */
    if (!strcmp(a, "write-kernel"))
        *(volatile uint64_t *)KERNEL_TEXT = 0;
    else if (!strcmp(a, "read-physmap"))
        printf("%llx\n", (unsigned long long)*(volatile uint64_t *)PHYSMAP_BOOT);
    else if (!strcmp(a, "jump-kernel"))
        ((void (*)(void))KERNEL_TEXT)();
    else if (!strcmp(a, "execute-stack")) {
        volatile unsigned char code[] = {0xc3}; /* ret, on the non-executable stack */
        ((void (*)(void))(uintptr_t)code)();
    } else if (!strcmp(a, "out"))
        __asm__ volatile("outb %%al, $0x80" : : "a"(0));
    else if (!strcmp(a, "in")) {
        unsigned char v;
        __asm__ volatile("inb $0x80, %0" : "=a"(v));
    } else if (!strcmp(a, "out-platform-port"))
        __asm__ volatile("outl %%eax, %%dx" : : "a"(0x1000), "d"(0x500));
    else if (!strcmp(a, "hlt"))
        __asm__ volatile("hlt");
    else if (!strcmp(a, "cli"))
        __asm__ volatile("cli");
    else if (!strcmp(a, "wrmsr"))
        __asm__ volatile("wrmsr" : : "c"(0xc0000082), "a"(0), "d"(0)); /* LSTAR */
    else if (!strcmp(a, "lgdt")) {
        struct __attribute__((packed)) {
            uint16_t limit;
            uint64_t base;
        } gdtr = {0, 0};
        __asm__ volatile("lgdt %0" : : "m"(gdtr));
    } else if (!strcmp(a, "mov-cr3"))
        __asm__ volatile("mov %0, %%cr3" : : "r"(0ul));
    else if (!strcmp(a, "ud2"))
        __asm__ volatile("ud2");
    else {
        fprintf(stderr, "hostile: unknown attack %s\n", a);
        return 2;
    }
    printf("survived %s\n", a);
    return 1;
}
