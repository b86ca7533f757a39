/* Per-operation probe (bench/per_op.sh): N one-byte write(2) calls into a pipe
 * nobody reads. N (argv[1], default 10,000) must stay below the pipe's 64 KiB
 * so no write ever blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    int p[2];
    if (n < 0 || n >= 65536) {
        fprintf(stderr, "pipe_write: N must be 0..65535 (a pipe holds 64 KiB)\n");
        return 2;
    }
    if (pipe(p) != 0) {
        perror("pipe_write: pipe");
        return 1;
    }
    for (long i = 0; i < n; i++) {
        char c = (char)('a' + i % 26);
        if (write(p[1], &c, 1) != 1) {
            perror("pipe_write: write");
            return 1;
        }
    }
    printf("pipe_write writes=%ld\n", n);
    return 0;
}
