/*
 * System calls whose buffers lie in awkward places: across two mappings,
 * across a 2 MiB page-table boundary, over pages faulted in out of order, into
 * a read-only tail, and copy-on-write after fork. The guest kernel turns
 * such buffers into physical segments for its devices (mm_translate_range);
 * the output must be Linux's. Reads tree/a.txt (argv[1] is the tree).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096l

static void report(const char *what, long result, const char *buf, long shown)
{
    printf("%s: %ld [", what, result);
    for (long i = 0; i < shown; i++)
        putchar(buf[i] == '\n' ? '|' : buf[i]);
    printf("]\n");
    fflush(stdout);
}

static long read_file_into(const char *path, char *buf, long len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -100;
    long n = read(fd, buf, len);
    close(fd);
    return n;
}

static char *map(long len, int prot)
{
    char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("user_buffers: mmap");
        _exit(3);
    }
    return p;
}

int main(int argc, char **argv)
{
    char path[512];
    snprintf(path, sizeof path, "%s/a.txt", argc > 1 ? argv[1] : "tree");

    /* Eight pages faulted in from the last to the first (physically out of
     * order), written out from the middle of the first to the middle of the last. */
    char *pages = map(8 * PAGE, PROT_READ | PROT_WRITE);
    for (int i = 7; i >= 0; i--)
        memset(pages + i * PAGE, 'a' + i, PAGE);
    /* The upper half read-only: a second mapping right after the first. */
    mprotect(pages + 4 * PAGE, 4 * PAGE, PROT_READ);
    long n = write(STDOUT_FILENO, pages + PAGE / 2, 7 * PAGE);
    printf("\nout of order, two mappings: %ld\n", n);

    /* A read whose buffer runs from a writable page into the read-only one:
     * Linux reads what fits before the read-only page. */
    memset(pages + 3 * PAGE, '.', PAGE);
    n = read_file_into(path, pages + 4 * PAGE - 10, 64);
    report("read into writable then read-only", n, pages + 4 * PAGE - 10, n > 0 ? n : 0);

    /* (A write from a buffer with an inaccessible tail is left out: Linux's
     * answer depends on the file — a pipe gives EFAULT, a regular file the
     * bytes before the fault.) */

    /* Across a 2 MiB boundary (one leaf page table to the next). */
    char *big = map(4 << 20, PROT_READ | PROT_WRITE);
    char *boundary = (char *)(((uintptr_t)big + (2 << 20)) & ~(uintptr_t)((2 << 20) - 1));
    memset(boundary - 3 * PAGE, 'L', 3 * PAGE);
    memset(boundary, 'R', 3 * PAGE);
    n = read_file_into(path, boundary - 12, 24);
    report("read across 2 MiB", n, boundary - 14, 28);
    n = write(STDOUT_FILENO, boundary - 2 * PAGE - 1, 4 * PAGE + 2);
    printf("\nwrite across 2 MiB: %ld\n", n);

    /* Copy-on-write: the child's read must not show in the parent. */
    char *shared = map(2 * PAGE, PROT_READ | PROT_WRITE);
    memset(shared, '-', 2 * PAGE);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        long got = read_file_into(path, shared + PAGE - 5, 20);
        report("child read into a copy-on-write buffer", got, shared + PAGE - 7, 24);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    report("parent's buffer after the child's read", 0, shared + PAGE - 7, 24);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
