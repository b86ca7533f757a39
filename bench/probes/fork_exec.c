/* Per-operation probe (bench/per_op.sh): N times (argv[1], default 100) fork,
 * the child execve()s the program argv[2] (bench/probes/exit_zero.c: a static
 * program that only exits 0), the parent waitpid()s and checks the status. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100;
    if (argc < 3) {
        fprintf(stderr, "usage: fork_exec N PROGRAM\n");
        return 2;
    }
    char *child_argv[] = {argv[2], NULL};
    char *child_envp[] = {NULL};
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork_exec: fork");
            return 1;
        }
        if (pid == 0) {
            execve(argv[2], child_argv, child_envp);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid) {
            perror("fork_exec: waitpid");
            return 1;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "fork_exec: child %ld (%s) ended with status 0x%x\n", i, argv[2], status);
            return 1;
        }
    }
    printf("fork_exec children=%ld\n", n);
    return 0;
}
