/* Per-operation probe (bench/per_op.sh): N times (argv[1], default 1,000)
 * fork, the child _exit(0)s at once, the parent waitpid()s for it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork_wait: fork");
            return 1;
        }
        if (pid == 0)
            _exit(0);
        int status;
        if (waitpid(pid, &status, 0) != pid) {
            perror("fork_wait: waitpid");
            return 1;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "fork_wait: child %ld ended with status 0x%x\n", i, status);
            return 1;
        }
    }
    printf("fork_wait children=%ld\n", n);
    return 0;
}
