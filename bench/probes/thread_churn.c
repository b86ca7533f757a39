/* Thread probe: create and join T threads one after another (default
 * 4,000), never more than two at once. Each create+join is a clone, the new
 * thread's start-up in the libc, its exit, and the futex wake that the kernel
 * does on its exit (CLONE_CHILD_CLEARTID) for the joining thread. Checks what
 * every thread returns; prints T. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *worker(void *arg)
{
    return (void *)((uintptr_t)arg * 2 + 1);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 4000; /* bench/run.sh counts exits with fewer */
    long wrong = 0;
    for (long i = 0; i < n; i++) {
        pthread_t t;
        void *ret;
        int err = pthread_create(&t, NULL, worker, (void *)(uintptr_t)i);
        if (err == 0)
            err = pthread_join(t, &ret);
        if (err != 0) {
            fprintf(stderr, "thread_churn: thread %ld: %s\n", i, strerror(err));
            return 1;
        }
        if ((uintptr_t)ret != (uintptr_t)i * 2 + 1)
            wrong++;
    }
    printf("thread_churn threads=%ld wrong=%ld\n", n, wrong);
    return wrong != 0;
}
