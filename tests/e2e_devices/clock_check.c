/* Reads every clock for a while (long enough for the kernel to re-anchor to
 * the clock device at least once) and checks they agree and never go back.
 * Prints the wall-clock second it started at and "ok", or what went wrong. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static long long ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) {
        perror("clock_gettime");
        return -1;
    }
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
    const clockid_t clocks[] = {CLOCK_REALTIME,        CLOCK_MONOTONIC,        CLOCK_BOOTTIME,
                                CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
                                CLOCK_PROCESS_CPUTIME_ID};
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        if (ns(clocks[i]) < 0)
            return 1;
    }
    long long real0 = ns(CLOCK_REALTIME), mono0 = ns(CLOCK_MONOTONIC);
    printf("start %lld\n", real0 / 1000000000LL);
    long long last = mono0, now = mono0;
    while (now - mono0 < 2500000000LL) { /* past the kernel's 1 s re-anchoring */
        now = ns(CLOCK_MONOTONIC);
        if (now < last) {
            printf("monotonic went back by %lld ns\n", last - now);
            return 1;
        }
        last = now;
    }
    /* Wall clock and monotonic clock advanced alike (within 50 ms). */
    long long drift = (ns(CLOCK_REALTIME) - real0) - (ns(CLOCK_MONOTONIC) - mono0);
    if (drift > 50000000LL || drift < -50000000LL) {
        printf("realtime and monotonic disagree by %lld ns\n", drift);
        return 1;
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    long long tv_ns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL, real = ns(CLOCK_REALTIME);
    long long gap = real - tv_ns;
    if (gap > 50000000LL || gap < -50000000LL || time(NULL) < real0 / 1000000000LL) {
        printf("gettimeofday/time disagree with clock_gettime\n");
        return 1;
    }
    printf("ok\n");
    return 0;
}
