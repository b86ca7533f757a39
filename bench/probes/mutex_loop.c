/* Thread probe: N uncontended pthread_mutex_lock/unlock pairs in one thread
 * (default 10,000,000). One helper thread is created and joined first, so the
 * libc runs in its multi-threaded mode (glibc, for one, takes cheaper paths
 * while a process has never had a second thread). Uncontended, the pair is two
 * atomic instructions in user mode and never enters the kernel: in a VM it
 * should cost what it costs natively. Prints a checksum of the work done under
 * the lock so nothing is optimized away. */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t sum;

static void *helper(void *arg)
{
    pthread_mutex_lock(&lock);
    sum += (uintptr_t)arg;
    pthread_mutex_unlock(&lock);
    return arg;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000; /* bench/run.sh counts exits with fewer */
    pthread_t t;
    void *ret;
    int err = pthread_create(&t, NULL, helper, (void *)(uintptr_t)1);
    if (err == 0)
        err = pthread_join(t, &ret);
    if (err != 0) {
        fprintf(stderr, "mutex_loop: helper thread: %s\n", strerror(err));
        return 1;
    }
    long errors = 0;
    for (long i = 0; i < n; i++) {
        if (pthread_mutex_lock(&lock) != 0)
            errors++;
        sum = sum * 0x9e3779b97f4a7c15ull + (uint64_t)i;
        if (pthread_mutex_unlock(&lock) != 0)
            errors++;
    }
    printf("mutex_loop n=%ld errors=%ld sum=%016" PRIx64 "\n", n, errors, sum);
    return errors != 0;
}
