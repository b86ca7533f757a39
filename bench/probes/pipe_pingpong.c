/* Per-operation probe (bench/per_op.sh): N round trips of one byte between two
 * processes (argv[1], default 10,000). The parent writes a byte to pipe A, the
 * child reads it and writes it back on pipe B, the parent reads it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    int a[2], b[2];
    if (pipe(a) != 0 || pipe(b) != 0) {
        perror("pipe_pingpong: pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("pipe_pingpong: fork");
        return 1;
    }
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        for (long i = 0; i < n; i++) {
            char c;
            if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    for (long i = 0; i < n; i++) {
        char c = (char)('a' + i % 26), back;
        if (write(a[1], &c, 1) != 1) {
            perror("pipe_pingpong: write");
            return 1;
        }
        if (read(b[0], &back, 1) != 1 || back != c) {
            fprintf(stderr, "pipe_pingpong: round trip %ld: no or wrong byte back\n", i);
            return 1;
        }
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "pipe_pingpong: the child failed\n");
        return 1;
    }
    printf("pipe_pingpong round_trips=%ld\n", n);
    return 0;
}
