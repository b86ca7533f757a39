/* Thread probe: two threads hand a token back and forth R times (default
 * 10,000) through raw futex(2) calls on two words, as a lock's slow path or a
 * condition variable would. Each round trip, each thread makes one FUTEX_WAKE
 * (for the other) and one FUTEX_WAIT (for its own word): with the other thread
 * asleep in FUTEX_WAIT every time, that is four futex calls and two switches
 * between the threads per round trip. A wait whose word already changed
 * returns at once (EAGAIN) and is retried by the loop, so no wake is lost.
 * Prints R. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* From <linux/futex.h>, which musl-gcc's include path lacks. */
#define FUTEX_WAIT_PRIVATE (0 | 128)
#define FUTEX_WAKE_PRIVATE (1 | 128)

static _Atomic int ping, pong; /* 1: the token is the other side's to take */
static long rounds;

static void futex_wait(_Atomic int *word, int expected)
{
    if (syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0) != 0 &&
        errno != EAGAIN && errno != EINTR) {
        perror("futex_pingpong: FUTEX_WAIT");
        exit(1);
    }
}

static void futex_wake(_Atomic int *word)
{
    if (syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0) {
        perror("futex_pingpong: FUTEX_WAKE");
        exit(1);
    }
}

static void *pong_side(void *arg)
{
    for (long r = 0; r < rounds; r++) {
        while (atomic_load(&ping) == 0)
            futex_wait(&ping, 0);
        atomic_store(&ping, 0);
        atomic_store(&pong, 1);
        futex_wake(&pong);
    }
    return arg;
}

int main(int argc, char **argv)
{
    rounds = argc > 1 ? atol(argv[1]) : 10000; /* bench/run.sh counts exits with fewer */
    pthread_t t;
    int err = pthread_create(&t, NULL, pong_side, NULL);
    if (err != 0) {
        fprintf(stderr, "futex_pingpong: pthread_create: %s\n", strerror(err));
        return 1;
    }
    for (long r = 0; r < rounds; r++) {
        atomic_store(&ping, 1);
        futex_wake(&ping);
        while (atomic_load(&pong) == 0)
            futex_wait(&pong, 0);
        atomic_store(&pong, 0);
    }
    err = pthread_join(t, NULL);
    if (err != 0) {
        fprintf(stderr, "futex_pingpong: pthread_join: %s\n", strerror(err));
        return 1;
    }
    printf("futex_pingpong rounds=%ld\n", rounds);
    return 0;
}
