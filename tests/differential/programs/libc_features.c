/*
 * Exercises what static glibc and musl programs rely on (issue 3): stdio,
 * small and large malloc, TLS, qsort, SSE math, setjmp/longjmp, directory
 * reading, clocks, nanosleep, stdin, errno strings, and the exit status.
 * Its output is deterministic so the differential suite can compare it with
 * a native run byte for byte. Usage: libc_features DIR  (reads one stdin line)
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static __thread int tls_counter = 5;
static jmp_buf jump_back;

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void jump_from_deep(int depth);
/* Called through a volatile pointer so the compiler keeps real stack frames. */
static void (*volatile descend)(int) = jump_from_deep;

static void jump_from_deep(int depth)
{
    if (depth <= 0)
        longjmp(jump_back, 42);
    descend(depth - 1);
}

static int64_t ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void list_directory(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        printf("opendir %s: %s\n", path, strerror(errno));
        return;
    }
    char *names[64];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 64)
        names[count++] = strdup(entry->d_name);
    closedir(dir);
    qsort(names, (size_t)count, sizeof names[0], compare_strings);
    printf("directory %s:", path);
    for (int i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    printf("stdio: %d %s %5.2f %x %c\n", 42, "text", 3.14159, 0xbeef, 'z');

    /* small blocks, then one large enough to be mmap'ed */
    char *small[100];
    for (int i = 0; i < 100; i++) {
        small[i] = malloc((size_t)(16 + i * 8));
        memset(small[i], i, (size_t)(16 + i * 8));
    }
    long sum = 0;
    for (int i = 0; i < 100; i++) {
        sum += small[i][i % 16];
        free(small[i]);
    }
    size_t big_size = 64u << 20;
    unsigned char *big = malloc(big_size);
    if (!big) {
        printf("malloc 64 MiB failed\n");
        return 1;
    }
    for (size_t i = 0; i < big_size; i += 4096)
        big[i] = (unsigned char)(i >> 12);
    unsigned checksum = 0;
    for (size_t i = 0; i < big_size; i += 4096)
        checksum = checksum * 31 + big[i];
    free(big);
    char *grown = NULL;
    for (size_t n = 1; n <= (1u << 20); n *= 2) {
        grown = realloc(grown, n);
        grown[n - 1] = 'x';
    }
    free(grown);
    printf("malloc: small sum %ld, big checksum %u\n", sum, checksum);

    tls_counter += 37;
    printf("tls: %d\n", tls_counter);

    int values[] = {9, -3, 27, 0, 14, -8, 3, 3, 100, 1};
    qsort(values, 10, sizeof values[0], compare_ints);
    printf("qsort:");
    for (int i = 0; i < 10; i++)
        printf(" %d", values[i]);
    printf("\n");

    volatile double x = 2.0;
    printf("math: %.6f %.6f %.6f %.6f\n", sqrt(x), sin(x), exp(x), pow(x, 0.5) * log(x));

    int jumped = setjmp(jump_back);
    if (jumped == 0)
        jump_from_deep(10);
    printf("setjmp: came back with %d\n", jumped);

    if (argc > 1)
        list_directory(argv[1]);

    int64_t m1 = ns(CLOCK_MONOTONIC);
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    int64_t m2 = ns(CLOCK_MONOTONIC);
    printf("clock: monotonic %s, slept %s\n", m2 >= m1 ? "ok" : "WENT BACK",
           m2 - m1 >= 10 * 1000 * 1000 ? "at least 10 ms" : "TOO SHORT");
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t real = ns(CLOCK_REALTIME);
    time_t now = time(NULL);
    int64_t tv_ns = (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
    printf("clock: realtime %s\n",
           (real - tv_ns < 1000000000 && real - tv_ns > -1000000000 &&
            (int64_t)now - real / 1000000000 <= 1 && (int64_t)now - real / 1000000000 >= -1 &&
            now > 1600000000)
               ? "consistent"
               : "INCONSISTENT");

    char line[128] = "";
    if (fgets(line, sizeof line, stdin))
        printf("stdin: %s", line);
    else
        printf("stdin: (none)\n");

    struct utsname u;
    uname(&u);
    printf("uname: %s %s, pid %s\n", u.sysname, u.machine, getpid() > 0 ? "positive" : "BAD");

    FILE *missing = fopen("no/such/file", "r");
    printf("errno: %s\n", missing ? "opened?!" : strerror(errno));
    fflush(stdout);
    return 3;
}
