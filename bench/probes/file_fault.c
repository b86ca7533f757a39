/* Per-operation probe (bench/per_op.sh): map the first N pages (argv[1],
 * default 1,000) of the file argv[2] PROT_READ and MAP_PRIVATE, and read one
 * byte of each: N first-touch faults on file pages. The file must hold at least
 * N pages; the checksum of the bytes read is printed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    long page = sysconf(_SC_PAGESIZE);
    if (argc < 3 || n <= 0 || page <= 0) {
        fprintf(stderr, "usage: file_fault N FILE (FILE at least N pages)\n");
        return 2;
    }
    int fd = open(argv[2], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror("file_fault: open");
        return 1;
    }
    if (st.st_size < n * page) {
        fprintf(stderr, "file_fault: %s holds fewer than %ld pages\n", argv[2], n);
        return 1;
    }
    const volatile unsigned char *m = mmap(NULL, (size_t)n * page, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        perror("file_fault: mmap");
        return 1;
    }
    unsigned long sum = 0;
    for (long i = 0; i < n; i++)
        sum = sum * 31 + m[i * page];
    if (munmap((void *)m, (size_t)n * page) != 0 || close(fd) != 0) {
        perror("file_fault: munmap");
        return 1;
    }
    printf("file_fault pages=%ld sum=%lu\n", n, sum);
    return 0;
}
