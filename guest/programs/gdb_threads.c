/*
 * For the gdb test of threads (built -O0 -g): main starts a worker that
 * blocks reading a pipe, stops at all_threads_started() with both threads
 * alive, then lets the worker finish and exits 0.
 */
#include <pthread.h>
#include <unistd.h>

static int wake[2];
static volatile int worker_running;

static void *worker(void *arg)
{
    (void)arg;
    char byte;
    worker_running = 1;
    return read(wake[0], &byte, 1) == 1 ? NULL : (void *)1;
}

void all_threads_started(void)
{
}

int main(void)
{
    pthread_t thread;
    if (pipe(wake) != 0 || pthread_create(&thread, NULL, worker, NULL) != 0)
        return 1;
    while (!worker_running)
        usleep(1000);
    usleep(20000); /* the worker is blocked in read() by now */
    all_threads_started();
    void *result;
    if (write(wake[1], "x", 1) != 1 || pthread_join(thread, &result) != 0)
        return 1;
    return result == NULL ? 0 : 1;
}
