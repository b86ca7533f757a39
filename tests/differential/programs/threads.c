/*
 * Threads in one process: pthread_create/join, the synchronisation objects
 * (mutex, condition variable, rwlock, barrier, semaphore, robust mutex),
 * TLS and errno per thread, detached threads, cancellation, thread-directed
 * and process-directed signals with per-thread masks, sigwait, sigaltstack,
 * preemption of threads that spin in user mode, exit/fatal signals/fork/execve
 * with several threads, FPU/SSE state per thread, and raw futex calls.
 * Output is deterministic (no tids, pids, addresses or times) so the
 * differential suite compares it with a native run; the status is 1 if any
 * check failed.
 * Usage: threads                 (runs every check; other arguments are ignored)
 *        threads stress N        (creates and joins N threads, one after another)
 *        threads bomb            (creates blocked threads until pthread_create fails,
 *                                 then releases and joins them all)
 *        threads exec-child N    (the program re-executed from a thread: exits with N)
 *        threads main-exits HOW  (re-executed: main calls pthread_exit, another
 *                                 thread then calls exit(5) or returns)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    fflush(stdout);
    if (!ok)
        failures++;
}

/* Like check, with details after FAILED (only printed on failure). */
static void check_detail(int ok, const char *what, const char *format, ...)
{
    if (ok) {
        check(1, what);
        return;
    }
    printf("%s: FAILED (", what);
    va_list args;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    printf(")\n");
    fflush(stdout);
    failures++;
}

static pid_t current_tid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static pthread_t spawn(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int r = pthread_create(&t, NULL, fn, arg);
    if (r != 0) {
        printf("pthread_create: FAILED (%s)\n", strerror(r));
        fflush(stdout);
        exit(1);
    }
    return t;
}

static void *join(pthread_t t)
{
    void *result = NULL;
    int r = pthread_join(t, &result);
    if (r != 0) {
        printf("pthread_join: FAILED (%s)\n", strerror(r));
        fflush(stdout);
        exit(1);
    }
    return result;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void sem_wait_all(sem_t *s)
{
    while (sem_wait(s) != 0 && errno == EINTR) {
    }
}

/* The "Threads:" line of /proc/self/status, or -1. */
static int status_threads(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    int n = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(f);
    return n;
}

/* Whether the entries of /proc/self/task are exactly `tids`. */
static int task_dir_is(const pid_t *tids, int count)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return 0;
    int seen = 0, ok = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int known = 0;
        for (int i = 0; i < count; i++)
            known |= atoi(e->d_name) == tids[i];
        ok &= known;
        seen++;
    }
    closedir(d);
    return ok && seen == count;
}

static int wait_status(pid_t pid)
{
    int status = -1;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

/* ------------------------------------------------------------------ */
/* pthread_create/join, getpid/gettid */

enum { IDENT_THREADS = 8 };
static pthread_barrier_t ident_barrier;

struct ident {
    int index;
    pid_t pid, tid;
    pthread_t self;
};

static void *identify(void *arg)
{
    struct ident *id = arg;
    id->pid = getpid();
    id->tid = current_tid();
    id->self = pthread_self();
    /* Everyone alive at once: tids cannot be reused. */
    pthread_barrier_wait(&ident_barrier);
    return (void *)(intptr_t)(id->index * id->index + 1);
}

static void create_and_join(void)
{
    pthread_t t[IDENT_THREADS];
    struct ident ids[IDENT_THREADS];
    pthread_barrier_init(&ident_barrier, NULL, IDENT_THREADS);
    for (int i = 0; i < IDENT_THREADS; i++) {
        ids[i].index = i;
        t[i] = spawn(identify, &ids[i]);
    }
    int values_ok = 1, pid_ok = 1, tid_ok = 1, self_ok = 1;
    for (int i = 0; i < IDENT_THREADS; i++)
        values_ok &= join(t[i]) == (void *)(intptr_t)(i * i + 1);
    pthread_barrier_destroy(&ident_barrier);
    pid_t me = getpid();
    for (int i = 0; i < IDENT_THREADS; i++) {
        pid_ok &= ids[i].pid == me;
        tid_ok &= ids[i].tid > 0 && ids[i].tid != me;
        self_ok &= pthread_equal(ids[i].self, t[i]) && !pthread_equal(ids[i].self, pthread_self());
        for (int j = 0; j < i; j++)
            tid_ok &= ids[i].tid != ids[j].tid;
    }
    check(values_ok, "pthread_join returns each thread's value");
    check(pid_ok, "getpid is the same in every thread");
    check(tid_ok, "gettid differs per thread and from getpid");
    check(self_ok, "pthread_self in a thread is what pthread_create returned");
    check(current_tid() == me, "gettid of the main thread is getpid");
    check(pthread_kill(pthread_self(), 0) == 0, "pthread_kill with signal 0 on oneself");
    check(syscall(SYS_tgkill, getpid() + 1000000, current_tid(), 0) == -1 && errno == ESRCH,
          "tgkill with another tgid is ESRCH");
}

/* ------------------------------------------------------------------ */
/* Mutexes */

enum { COUNTER_THREADS = 4, COUNTER_ADDS = 2000 };
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

static void *add_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < COUNTER_ADDS; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        if (i % 64 == 0)
            sched_yield(); /* with the lock held: the others must wait for it */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static pthread_mutex_t checked_lock;

static void *try_foreign_mutex(void *arg)
{
    (void)arg;
    intptr_t bits = 0;
    if (pthread_mutex_trylock(&counter_lock) == EBUSY)
        bits |= 1;
    if (pthread_mutex_unlock(&checked_lock) == EPERM)
        bits |= 2;
    return (void *)bits;
}

static void mutexes(void)
{
    pthread_t t[COUNTER_THREADS];
    for (int i = 0; i < COUNTER_THREADS; i++)
        t[i] = spawn(add_many, NULL);
    for (int i = 0; i < COUNTER_THREADS; i++)
        join(t[i]);
    check_detail(counter == COUNTER_THREADS * COUNTER_ADDS,
                 "mutex: 4 threads x 2000 increments, exact count", "%ld", counter);

    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&checked_lock, &attr);
    pthread_mutex_lock(&counter_lock);
    pthread_mutex_lock(&checked_lock);
    intptr_t bits = (intptr_t)join(spawn(try_foreign_mutex, NULL));
    check(bits == 3, "mutex: trylock of another thread's mutex is EBUSY, unlocking it EPERM");
    check(pthread_mutex_lock(&checked_lock) == EDEADLK, "mutex: error-checking relock is EDEADLK");
    pthread_mutex_unlock(&checked_lock);
    pthread_mutex_unlock(&counter_lock);
    pthread_mutex_destroy(&checked_lock);

    pthread_mutex_t recursive;
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&recursive, &attr);
    int ok = pthread_mutex_lock(&recursive) == 0 && pthread_mutex_lock(&recursive) == 0 &&
             pthread_mutex_unlock(&recursive) == 0 && pthread_mutex_unlock(&recursive) == 0 &&
             pthread_mutex_unlock(&recursive) == EPERM;
    check(ok, "mutex: recursive locks twice, unlocks twice");
    pthread_mutex_destroy(&recursive);
    pthread_mutexattr_destroy(&attr);
}

/* ------------------------------------------------------------------ */
/* Condition variables: a bounded queue, broadcast, timed wait */

enum { QUEUE_SIZE = 4, ITEMS = 200 };
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t queue_not_full = PTHREAD_COND_INITIALIZER;
static int queue[QUEUE_SIZE], queue_head, queue_count;

static void queue_put(int v)
{
    pthread_mutex_lock(&queue_lock);
    while (queue_count == QUEUE_SIZE)
        pthread_cond_wait(&queue_not_full, &queue_lock);
    queue[(queue_head + queue_count) % QUEUE_SIZE] = v;
    queue_count++;
    pthread_cond_signal(&queue_not_empty);
    pthread_mutex_unlock(&queue_lock);
}

static int queue_get(void)
{
    pthread_mutex_lock(&queue_lock);
    while (queue_count == 0)
        pthread_cond_wait(&queue_not_empty, &queue_lock);
    int v = queue[queue_head];
    queue_head = (queue_head + 1) % QUEUE_SIZE;
    queue_count--;
    pthread_cond_signal(&queue_not_full);
    pthread_mutex_unlock(&queue_lock);
    return v;
}

struct consumed {
    long sum;
    int count;
    int in_order;
};

static void *consume(void *arg)
{
    struct consumed *c = arg;
    int last = 0;
    c->in_order = 1;
    for (;;) {
        int v = queue_get();
        if (v == 0)
            return NULL;
        c->in_order &= v > last;
        last = v;
        c->sum += v;
        c->count++;
    }
}

static void *produce(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++)
        queue_put(i);
    queue_put(0);
    queue_put(0);
    return NULL;
}

static pthread_mutex_t go_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER;
static int go, waiting_for_go;

static void *wait_for_go(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&go_lock);
    waiting_for_go++;
    pthread_cond_broadcast(&go_cond);
    while (!go)
        pthread_cond_wait(&go_cond, &go_lock);
    pthread_mutex_unlock(&go_lock);
    return (void *)1;
}

static void condition_variables(void)
{
    struct consumed a = {0, 0, 0}, b = {0, 0, 0};
    pthread_t ca = spawn(consume, &a), cb = spawn(consume, &b), p = spawn(produce, NULL);
    join(p);
    join(ca);
    join(cb);
    check_detail(a.sum + b.sum == ITEMS * (ITEMS + 1) / 2 && a.count + b.count == ITEMS &&
                     a.in_order && b.in_order,
                 "condvar: producer and two consumers through a 4-slot queue",
                 "sum %ld count %d", a.sum + b.sum, a.count + b.count);

    enum { WAITERS = 3 };
    pthread_t w[WAITERS];
    for (int i = 0; i < WAITERS; i++)
        w[i] = spawn(wait_for_go, NULL);
    pthread_mutex_lock(&go_lock);
    while (waiting_for_go < WAITERS)
        pthread_cond_wait(&go_cond, &go_lock);
    go = 1;
    pthread_cond_broadcast(&go_cond);
    pthread_mutex_unlock(&go_lock);
    int woke = 0;
    for (int i = 0; i < WAITERS; i++)
        woke += join(w[i]) == (void *)1;
    check(woke == WAITERS, "condvar: broadcast wakes every waiter");

    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_t timed;
    pthread_cond_init(&timed, &attr);
    struct timespec start, deadline, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    deadline = start;
    deadline.tv_nsec += 20 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&go_lock);
    int r;
    do
        r = pthread_cond_timedwait(&timed, &go_lock, &deadline);
    while (r == 0);
    pthread_mutex_unlock(&go_lock);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
    check(r == ETIMEDOUT && ms >= 19, "condvar: timed wait on CLOCK_MONOTONIC times out");
    pthread_cond_destroy(&timed);
    pthread_condattr_destroy(&attr);
}

/* ------------------------------------------------------------------ */
/* Read-write locks */

static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static volatile int rw_a, rw_b;

static void *try_while_read_locked(void *arg)
{
    (void)arg;
    intptr_t bits = 0;
    if (pthread_rwlock_tryrdlock(&rwlock) == 0) {
        bits |= 1;
        pthread_rwlock_unlock(&rwlock);
    }
    if (pthread_rwlock_trywrlock(&rwlock) == EBUSY)
        bits |= 2;
    return (void *)bits;
}

static void *rw_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        pthread_rwlock_wrlock(&rwlock);
        rw_a++;
        if (i % 8 == 0)
            sched_yield();
        rw_b++;
        pthread_rwlock_unlock(&rwlock);
    }
    return NULL;
}

static void *rw_reader(void *arg)
{
    (void)arg;
    intptr_t torn = 0;
    for (int i = 0; i < 100; i++) {
        pthread_rwlock_rdlock(&rwlock);
        int a = rw_a;
        if (i % 8 == 0)
            sched_yield();
        torn += a != rw_b;
        pthread_rwlock_unlock(&rwlock);
    }
    return (void *)torn;
}

static void rwlocks(void)
{
    pthread_rwlock_rdlock(&rwlock);
    intptr_t bits = (intptr_t)join(spawn(try_while_read_locked, NULL));
    pthread_rwlock_unlock(&rwlock);
    check(bits == 3, "rwlock: a second reader gets in, a writer does not");

    pthread_t w = spawn(rw_writer, NULL);
    pthread_t r[3];
    for (int i = 0; i < 3; i++)
        r[i] = spawn(rw_reader, NULL);
    intptr_t torn = 0;
    for (int i = 0; i < 3; i++)
        torn += (intptr_t)join(r[i]);
    join(w);
    check(torn == 0 && rw_a == 100 && rw_b == 100, "rwlock: readers never see half a write");
}

/* ------------------------------------------------------------------ */
/* Barriers */

enum { BARRIER_THREADS = 4, BARRIER_ROUNDS = 3 };
static pthread_barrier_t barrier;
static volatile int barrier_slots[BARRIER_ROUNDS][BARRIER_THREADS];
static volatile int serial_count[BARRIER_ROUNDS];

static void *barrier_rounds(void *arg)
{
    int me = (int)(intptr_t)arg;
    intptr_t ok = 1;
    for (int round = 0; round < BARRIER_ROUNDS; round++) {
        barrier_slots[round][me] = me + 1;
        if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
            __sync_fetch_and_add(&serial_count[round], 1);
        for (int i = 0; i < BARRIER_THREADS; i++)
            ok &= barrier_slots[round][i] == i + 1;
    }
    return (void *)ok;
}

static void barriers(void)
{
    pthread_barrier_init(&barrier, NULL, BARRIER_THREADS);
    pthread_t t[BARRIER_THREADS];
    for (int i = 0; i < BARRIER_THREADS; i++)
        t[i] = spawn(barrier_rounds, (void *)(intptr_t)i);
    int ok = 1;
    for (int i = 0; i < BARRIER_THREADS; i++)
        ok &= join(t[i]) == (void *)1;
    check(ok, "barrier: nobody passes before everyone arrives (3 rounds)");
    ok = 1;
    for (int round = 0; round < BARRIER_ROUNDS; round++)
        ok &= serial_count[round] == 1;
    check(ok, "barrier: one serial thread per round");
    pthread_barrier_destroy(&barrier);
}

/* ------------------------------------------------------------------ */
/* POSIX semaphores */

static sem_t ping, pong;
enum { PING_PONGS = 100 };

static void *ponger(void *arg)
{
    (void)arg;
    for (int i = 0; i < PING_PONGS; i++) {
        sem_wait_all(&ping);
        sem_post(&pong);
    }
    return NULL;
}

static void semaphores(void)
{
    sem_init(&ping, 0, 0);
    sem_init(&pong, 0, 0);
    pthread_t t = spawn(ponger, NULL);
    for (int i = 0; i < PING_PONGS; i++) {
        sem_post(&ping);
        sem_wait_all(&pong);
    }
    join(t);
    int value = -1;
    sem_getvalue(&ping, &value);
    check(value == 0, "semaphore: 100 round trips between two threads");

    check(sem_trywait(&ping) == -1 && errno == EAGAIN, "semaphore: trywait at zero is EAGAIN");
    struct timespec past;
    clock_gettime(CLOCK_REALTIME, &past);
    past.tv_sec -= 1;
    check(sem_timedwait(&ping, &past) == -1 && errno == ETIMEDOUT,
          "semaphore: timedwait with a past deadline is ETIMEDOUT");
    sem_post(&ping);
    sem_post(&ping);
    sem_post(&ping);
    sem_getvalue(&ping, &value);
    check(value == 3, "semaphore: three posts, value 3");
    sem_destroy(&ping);
    sem_destroy(&pong);

    /* Process-shared, on a shared mapping: the child posts, the parent waits. */
    sem_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sem_init(shared, 1, 0);
    pid_t pid = fork();
    if (pid == 0) {
        sem_post(shared);
        _exit(0);
    }
    sem_wait_all(shared);
    check(wait_status(pid) == 0, "semaphore: process-shared, posted by a child");
    sem_destroy(shared);
    munmap(shared, 4096);
}

/* ------------------------------------------------------------------ */
/* TLS, errno, thread-specific data */

enum { TLS_THREADS = 4 };
static __thread int tls_value = 42;
static __thread char tls_block[256];
static uintptr_t tls_addresses[TLS_THREADS + 1];
static pthread_barrier_t tls_barrier;

static void *use_tls(void *arg)
{
    int me = (int)(intptr_t)arg;
    intptr_t ok = tls_value == 42;
    for (size_t i = 0; i < sizeof tls_block; i++)
        ok &= tls_block[i] == 0;
    tls_value = 1000 + me;
    memset(tls_block, 'a' + me, sizeof tls_block);
    tls_addresses[me] = (uintptr_t)&tls_value;
    pthread_barrier_wait(&tls_barrier);
    for (int i = 0; i < 5; i++)
        sched_yield();
    ok &= tls_value == 1000 + me;
    for (size_t i = 0; i < sizeof tls_block; i++)
        ok &= tls_block[i] == 'a' + me;
    pthread_barrier_wait(&tls_barrier);
    return (void *)ok;
}

/* Handshakes through volatile flags and sched_yield, which leave errno
 * alone (semaphores may set it: musl's sem_wait goes through sem_trywait). */
static volatile int errno_step;

static void wait_step(int step)
{
    while (errno_step < step)
        sched_yield();
}

static void *set_errno(void *arg)
{
    (void)arg;
    wait_step(1);
    close(-1);
    int mine = errno;
    errno_step = 2;
    wait_step(3);
    return (void *)(intptr_t)(mine == EBADF && errno == EBADF);
}

static pthread_key_t key;
static volatile int destructor_calls;
static volatile intptr_t destructor_sum;

static void key_destructor(void *value)
{
    __sync_fetch_and_add(&destructor_calls, 1);
    __sync_fetch_and_add(&destructor_sum, (intptr_t)value);
}

static void *set_key(void *arg)
{
    pthread_setspecific(key, arg);
    return (void *)(intptr_t)(pthread_getspecific(key) == arg);
}

static void thread_locals(void)
{
    tls_value = 7;
    pthread_barrier_init(&tls_barrier, NULL, TLS_THREADS);
    pthread_t t[TLS_THREADS];
    for (int i = 0; i < TLS_THREADS; i++)
        t[i] = spawn(use_tls, (void *)(intptr_t)i);
    int ok = 1;
    for (int i = 0; i < TLS_THREADS; i++)
        ok &= join(t[i]) == (void *)1;
    pthread_barrier_destroy(&tls_barrier);
    check(ok && tls_value == 7, "__thread: each thread starts from the TLS image, keeps its own");
    tls_addresses[TLS_THREADS] = (uintptr_t)&tls_value;
    ok = 1;
    for (int i = 0; i <= TLS_THREADS; i++)
        for (int j = 0; j < i; j++)
            ok &= tls_addresses[i] != tls_addresses[j];
    check(ok, "__thread: a different address in every thread");

    pthread_t e = spawn(set_errno, NULL);
    errno = ENOENT;
    errno_step = 1;
    wait_step(2); /* the thread's close(-1) set its errno to EBADF */
    int main_errno = errno;
    errno = EINTR;
    errno_step = 3;
    check(join(e) == (void *)1 && main_errno == ENOENT, "errno: each thread has its own");

    pthread_key_create(&key, key_destructor);
    pthread_t k[3];
    for (int i = 0; i < 3; i++)
        k[i] = spawn(set_key, (void *)(intptr_t)(i + 1));
    ok = 1;
    for (int i = 0; i < 3; i++)
        ok &= join(k[i]) == (void *)1;
    check(ok && destructor_calls == 3 && destructor_sum == 6 && pthread_getspecific(key) == NULL,
          "pthread_key: values per thread, destructors at thread exit");
    pthread_key_delete(key);
}

/* ------------------------------------------------------------------ */
/* Detached threads, attributes */

enum { DETACHED = 5 };
static sem_t detached_done;
static volatile int detached_ran[DETACHED];

static void *detached_body(void *arg)
{
    int me = (int)(intptr_t)arg;
    if (me >= 3)
        pthread_detach(pthread_self());
    detached_ran[me] = 1;
    sem_post(&detached_done);
    return NULL;
}

static volatile uintptr_t stack_local;

static void *where_is_my_stack(void *arg)
{
    (void)arg;
    volatile char local = 0;
    stack_local = (uintptr_t)&local;
    return (void *)1;
}

static void detached_threads(void)
{
    sem_init(&detached_done, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int state = -1;
    pthread_attr_getdetachstate(&attr, &state);
    int created = 0;
    for (int i = 0; i < DETACHED; i++) {
        pthread_t t;
        created += pthread_create(&t, i < 3 ? &attr : NULL, detached_body,
                                  (void *)(intptr_t)i) == 0;
    }
    pthread_attr_destroy(&attr);
    for (int i = 0; i < created; i++)
        sem_wait_all(&detached_done);
    int ok = created == DETACHED && state == PTHREAD_CREATE_DETACHED;
    for (int i = 0; i < DETACHED; i++)
        ok &= detached_ran[i];
    check(ok, "detached threads run and signal completion");
    sem_destroy(&detached_done);

    enum { STACK = 256 * 1024 };
    char *stack = mmap(NULL, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, stack, STACK);
    pthread_t t;
    stack_local = 0;
    if (pthread_create(&t, &attr, where_is_my_stack, NULL) == 0)
        join(t);
    pthread_attr_destroy(&attr);
    check(stack_local >= (uintptr_t)stack && stack_local < (uintptr_t)stack + STACK,
          "a thread runs on the stack given by pthread_attr_setstack");
    munmap(stack, STACK);

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    void *r = NULL;
    if (pthread_create(&t, &attr, where_is_my_stack, NULL) == 0)
        r = join(t);
    pthread_attr_destroy(&attr);
    check(r == (void *)1, "a thread with a 64 KiB stack");
}

/* ------------------------------------------------------------------ */
/* Cancellation */

static sem_t cancel_ready;
static volatile int cleanup_order[4], cleanups;

static void record_cleanup(void *arg)
{
    cleanup_order[cleanups++] = (int)(intptr_t)arg;
}

static void *cancel_in_pause(void *arg)
{
    (void)arg;
    pthread_cleanup_push(record_cleanup, (void *)1);
    pthread_cleanup_push(record_cleanup, (void *)2);
    sem_post(&cancel_ready);
    for (;;)
        pause();
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_cond = PTHREAD_COND_INITIALIZER;

static void unlock_cancel_lock(void *arg)
{
    (void)arg;
    pthread_mutex_unlock(&cancel_lock);
    cleanups++;
}

static void *cancel_in_cond_wait(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cancel_lock);
    pthread_cleanup_push(unlock_cancel_lock, NULL);
    sem_post(&cancel_ready);
    for (;;)
        pthread_cond_wait(&cancel_cond, &cancel_lock);
    pthread_cleanup_pop(1);
    return NULL;
}

static void *cancel_in_read(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char c;
    sem_post(&cancel_ready);
    for (;;)
        if (read(fd, &c, 1) <= 0)
            return (void *)2;
}

static volatile int cancel_disabled_reached;
static sem_t cancel_go;

static void *cancel_disabled(void *arg)
{
    (void)arg;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    sem_post(&cancel_ready);
    sem_wait_all(&cancel_go); /* a cancellation point, but cancellation is off */
    cancel_disabled_reached = 1;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    pthread_testcancel();
    return (void *)3;
}

static volatile unsigned long async_spins;

static void *cancel_spinning(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    sem_post(&cancel_ready);
    for (;;)
        async_spins++;
    return NULL;
}

static void cancellation(void)
{
    sem_init(&cancel_ready, 0, 0);

    pthread_t t = spawn(cancel_in_pause, NULL);
    sem_wait_all(&cancel_ready);
    pthread_cancel(t);
    check(join(t) == PTHREAD_CANCELED && cleanups == 2 && cleanup_order[0] == 2 &&
              cleanup_order[1] == 1,
          "cancel: a thread in pause() ends PTHREAD_CANCELED, cleanups run last-first");

    cleanups = 0;
    t = spawn(cancel_in_cond_wait, NULL);
    sem_wait_all(&cancel_ready);
    pthread_mutex_lock(&cancel_lock); /* only once the thread waits */
    pthread_cancel(t);
    pthread_mutex_unlock(&cancel_lock);
    void *r = join(t);
    int relocked = pthread_mutex_trylock(&cancel_lock) == 0;
    if (relocked)
        pthread_mutex_unlock(&cancel_lock);
    check(r == PTHREAD_CANCELED && cleanups == 1 && relocked,
          "cancel: a thread in pthread_cond_wait, its cleanup unlocks the mutex");

    int fds[2];
    if (pipe(fds) != 0)
        fds[0] = fds[1] = -1;
    t = spawn(cancel_in_read, (void *)(intptr_t)fds[0]);
    sem_wait_all(&cancel_ready);
    pthread_cancel(t);
    check(join(t) == PTHREAD_CANCELED, "cancel: a thread blocked in read()");
    close(fds[0]);
    close(fds[1]);

    sem_init(&cancel_go, 0, 0);
    t = spawn(cancel_disabled, NULL);
    sem_wait_all(&cancel_ready);
    pthread_cancel(t);
    sem_post(&cancel_go);
    check(join(t) == PTHREAD_CANCELED && cancel_disabled_reached,
          "cancel: held while disabled, acted on at pthread_testcancel");
    sem_destroy(&cancel_go);

    t = spawn(cancel_spinning, NULL);
    sem_wait_all(&cancel_ready);
    pthread_cancel(t);
    check(join(t) == PTHREAD_CANCELED, "cancel: asynchronous, a thread spinning in user mode");
    sem_destroy(&cancel_ready);
}

/* ------------------------------------------------------------------ */
/* Signals and threads */

static volatile pthread_t handled_by;
static volatile pid_t handled_by_tid;
static volatile sig_atomic_t handled;
static int usr2_pipe[2];

static void on_usr1_record(int signo)
{
    (void)signo;
    handled_by = pthread_self();
    handled_by_tid = current_tid();
    handled++;
}

static void on_usr2_record(int signo)
{
    (void)signo;
    handled_by = pthread_self();
    handled_by_tid = current_tid();
    handled++;
    char c = 's';
    if (write(usr2_pipe[1], &c, 1) != 1)
        handled += 100;
}

static sem_t signal_ready, signal_release;

static void *await_usr1(void *arg)
{
    (void)arg;
    /* SIGUSR1 is blocked (inherited): it stays pending until sigsuspend. */
    sigset_t open;
    pthread_sigmask(SIG_SETMASK, NULL, &open);
    sigdelset(&open, SIGUSR1);
    sem_post(&signal_ready);
    while (!handled)
        sigsuspend(&open);
    return (void *)(intptr_t)current_tid();
}

static void *blocks_usr2(void *arg)
{
    (void)arg;
    sem_post(&signal_ready);
    sem_wait_all(&signal_release);
    return NULL;
}

static void *takes_usr2(void *arg)
{
    (void)arg;
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
    sem_post(&signal_ready);
    char c = 0;
    ssize_t n;
    do
        n = read(usr2_pipe[0], &c, 1); /* SA_RESTART: interrupted and restarted */
    while (n == -1 && errno == EINTR);
    return (void *)(intptr_t)(n == 1 && c == 's');
}

static sem_t sigwait_got;
static volatile int waited_signals[2];

static void *sigwaiter(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    for (int i = 0; i < 2; i++) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            sig = -1;
        waited_signals[i] = sig;
        sem_post(&sigwait_got);
    }
    return NULL;
}

static void thread_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1_record;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_usr2_record;
    sigaction(SIGUSR2, &sa, NULL);
    sem_init(&signal_ready, 0, 0);
    sem_init(&signal_release, 0, 0);

    /* pthread_kill on oneself: the handler runs before it returns. */
    handled = 0;
    pthread_kill(pthread_self(), SIGUSR1);
    check(handled == 1 && pthread_equal(handled_by, pthread_self()),
          "pthread_kill on oneself runs the handler at once");

    /* pthread_kill on another thread: the handler runs on that thread. */
    sigset_t usr1, usr2, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr1, &old);
    handled = 0;
    handled_by_tid = 0;
    pthread_t t = spawn(await_usr1, NULL);
    sem_wait_all(&signal_ready);
    pthread_kill(t, SIGUSR1);
    pid_t its_tid = (pid_t)(intptr_t)join(t);
    check(handled == 1 && pthread_equal(handled_by, t) && handled_by_tid == its_tid,
          "pthread_kill: the handler runs on the target thread");
    sigset_t pending;
    sigpending(&pending);
    check(!sigismember(&pending, SIGUSR1), "pthread_kill: nothing left pending on the sender");
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    /* kill(getpid()): handled by the one thread that does not block it. */
    if (pipe(usr2_pipe) != 0)
        usr2_pipe[0] = usr2_pipe[1] = -1;
    pthread_sigmask(SIG_BLOCK, &usr2, &old);
    handled = 0;
    pthread_t b1 = spawn(blocks_usr2, NULL);
    pthread_t taker = spawn(takes_usr2, NULL);
    pthread_t b2 = spawn(blocks_usr2, NULL);
    for (int i = 0; i < 3; i++)
        sem_wait_all(&signal_ready);
    kill(getpid(), SIGUSR2);
    int read_ok = join(taker) == (void *)1;
    sem_post(&signal_release);
    sem_post(&signal_release);
    join(b1);
    join(b2);
    check(read_ok && handled == 1 && pthread_equal(handled_by, taker),
          "kill(getpid()) is handled by the only thread that does not block it");
    sigpending(&pending);
    check(!sigismember(&pending, SIGUSR2), "kill(getpid()): nothing left pending");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(usr2_pipe[0]);
    close(usr2_pipe[1]);

    /* Every thread blocks both; one takes them with sigwait: first one sent
     * to it, then one sent to the process. */
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &both, &old);
    sem_init(&sigwait_got, 0, 0);
    handled = 0;
    t = spawn(sigwaiter, NULL);
    pthread_kill(t, SIGUSR1);
    sem_wait_all(&sigwait_got);
    kill(getpid(), SIGUSR2);
    sem_wait_all(&sigwait_got);
    join(t);
    check(waited_signals[0] == SIGUSR1 && waited_signals[1] == SIGUSR2 && handled == 0,
          "sigwait in a thread takes a thread-directed, then a process-directed signal");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sem_destroy(&sigwait_got);

    sem_destroy(&signal_ready);
    sem_destroy(&signal_release);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

/* ------------------------------------------------------------------ */
/* sigaltstack */

enum { ALT_SIZE = 64 * 1024 };
/* Volatile: glibc declares raise() a leaf function, one that calls nothing
 * in this file, so the compiler would not expect the handler's stores. */
static __thread volatile uintptr_t alt_local;
static __thread volatile int alt_flags;

static void on_usr1_alt(int signo)
{
    (void)signo;
    volatile char local = 0;
    alt_local = (uintptr_t)&local;
    stack_t now;
    alt_flags = sigaltstack(NULL, &now) == 0 ? now.ss_flags : -1;
}

static volatile int segv_count;

static void on_segv_count(int signo)
{
    (void)signo;
    segv_count++;
}

static int ran_on(const char *base)
{
    return alt_local >= (uintptr_t)base && alt_local < (uintptr_t)base + ALT_SIZE &&
           (alt_flags & SS_ONSTACK);
}

static void *altstack_thread(void *arg)
{
    intptr_t bits = 0;
    stack_t none;
    if (sigaltstack(NULL, &none) == 0 && none.ss_flags == SS_DISABLE)
        bits |= 1;
    /* Without an alternate stack, SA_ONSTACK runs on the thread's stack. */
    alt_local = 0;
    raise(SIGUSR1);
    if (alt_local != 0 && !(alt_flags & SS_ONSTACK))
        bits |= 2;
    char *mine = arg;
    stack_t ss = {.ss_sp = mine, .ss_size = ALT_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) == 0) {
        pthread_kill(pthread_self(), SIGUSR1);
        if (ran_on(mine))
            bits |= 4;
    }
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    return (void *)bits;
}

static void alternate_stacks(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1_alt;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    char *main_alt = malloc(ALT_SIZE), *thread_alt = malloc(ALT_SIZE);
    stack_t ss = {.ss_sp = main_alt, .ss_size = ALT_SIZE, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    raise(SIGUSR1);
    check(ran_on(main_alt), "sigaltstack: the main thread's handler runs on its alternate stack");
    intptr_t bits = (intptr_t)join(spawn(altstack_thread, thread_alt));
    check(bits & 1, "sigaltstack: a new thread has none");
    check(bits & 2, "sigaltstack: SA_ONSTACK without one runs on the thread's stack");
    check(bits & 4, "sigaltstack: a thread's handler runs on its own alternate stack");
    alt_local = 0;
    raise(SIGUSR1);
    check(ran_on(main_alt), "sigaltstack: the main thread's is still in place");
    /* No room for the frame (a read-only alternate stack): SIGSEGV instead,
     * which its own handler, on the ordinary stack, takes (LTP signal06). */
    char *ro_alt = mmap(NULL, ALT_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t ro = {.ss_sp = ro_alt, .ss_size = ALT_SIZE, .ss_flags = 0};
    struct sigaction segv, old_segv;
    memset(&segv, 0, sizeof segv);
    segv.sa_handler = on_segv_count;
    sigaction(SIGSEGV, &segv, &old_segv);
    segv_count = 0;
    alt_local = 0;
    if (ro_alt != MAP_FAILED && sigaltstack(&ro, NULL) == 0)
        raise(SIGUSR1);
    sigaction(SIGSEGV, &old_segv, NULL);
    check(segv_count == 1 && alt_local == 0,
          "sigaltstack: no room on it for the frame raises SIGSEGV, which its handler takes");
    if (ro_alt != MAP_FAILED)
        munmap(ro_alt, ALT_SIZE);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    signal(SIGUSR1, SIG_DFL);
    free(main_alt);
    free(thread_alt);
}

/* ------------------------------------------------------------------ */
/* Robust mutexes */

static void *lock_and_leave(void *arg)
{
    return (void *)(intptr_t)pthread_mutex_lock(arg);
}

static void robust_mutexes(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_t m;
    pthread_mutex_init(&m, &attr);
    int locked = join(spawn(lock_and_leave, &m)) == 0;
    int r = pthread_mutex_lock(&m);
    check(locked && r == EOWNERDEAD, "robust mutex: its owner thread exited, lock is EOWNERDEAD");
    check(pthread_mutex_consistent(&m) == 0 && pthread_mutex_unlock(&m) == 0 &&
              pthread_mutex_lock(&m) == 0 && pthread_mutex_unlock(&m) == 0,
          "robust mutex: made consistent, usable again");
    pthread_mutex_destroy(&m);

    pthread_mutex_init(&m, &attr);
    join(spawn(lock_and_leave, &m));
    r = pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m); /* not made consistent: unrecoverable */
    check(r == EOWNERDEAD && pthread_mutex_lock(&m) == ENOTRECOVERABLE,
          "robust mutex: unlocked without pthread_mutex_consistent, ENOTRECOVERABLE");

    /* Process-shared: the owner is a child process that exits holding it. */
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutex_t *shared =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutex_init(shared, &attr);
    pid_t pid = fork();
    if (pid == 0)
        _exit(pthread_mutex_lock(shared) == 0 ? 0 : 1);
    int status = wait_status(pid);
    r = pthread_mutex_lock(shared);
    check(status == 0 && r == EOWNERDEAD,
          "robust mutex: process-shared, its owner process exited, EOWNERDEAD");
    if (r == EOWNERDEAD)
        pthread_mutex_consistent(shared);
    if (r == 0 || r == EOWNERDEAD)
        pthread_mutex_unlock(shared);
    munmap(shared, 4096);
    pthread_mutexattr_destroy(&attr);
}

/* ------------------------------------------------------------------ */
/* Preemption: threads that never enter the kernel */

static volatile int spin_flag;
static volatile unsigned long spin_count;

static void *spin_until_flag(void *arg)
{
    (void)arg;
    while (!spin_flag)
        spin_count++;
    return (void *)1;
}

enum { PING_PONG_ROUNDS = 100 };
static volatile int turn;

static void *spin_ping_pong(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        while (turn != me) {
        }
        turn = 1 - me;
    }
    return (void *)1;
}

static volatile int main_spin_release;

static void *sleep_then_release(void *arg)
{
    (void)arg;
    sleep_ms(10);
    main_spin_release = 1;
    return NULL;
}

static void preemption(void)
{
    pthread_t t = spawn(spin_until_flag, NULL);
    sleep_ms(20); /* the spinner has the CPU; only a timer takes it back */
    spin_flag = 1;
    check(join(t) == (void *)1, "preemption: a spinning thread is stopped by the main thread");

    pthread_t a = spawn(spin_ping_pong, (void *)0), b = spawn(spin_ping_pong, (void *)1);
    int ok = join(a) == (void *)1 && join(b) == (void *)1;
    check(ok && turn == 0, "preemption: two spinning threads hand a turn back and forth 100 times");

    t = spawn(sleep_then_release, NULL);
    while (!main_spin_release) {
    }
    join(t);
    check(1, "preemption: the main thread spins until a sleeping thread wakes and releases it");
}

/* ------------------------------------------------------------------ */
/* exit, fatal signals and main's return with other threads running */

static pthread_mutex_t forever_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t forever_cond = PTHREAD_COND_INITIALIZER;
static int child_pipe[2];
static sem_t child_ready;

static void *wait_forever_cond(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&forever_lock);
    sem_post(&child_ready);
    for (;;)
        pthread_cond_wait(&forever_cond, &forever_lock);
    return NULL;
}

static void *wait_forever_read(void *arg)
{
    (void)arg;
    char c;
    sem_post(&child_ready);
    for (;;)
        if (read(child_pipe[0], &c, 1) == 0)
            sleep_ms(1000);
    return NULL;
}

static void *exit_23(void *arg)
{
    (void)arg;
    sem_wait_all(&child_ready);
    sem_wait_all(&child_ready);
    exit(23);
}

static void *crash(void *arg)
{
    (void)arg;
    sem_wait_all(&child_ready);
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
    return NULL;
}

static void *exit_5_later(void *arg)
{
    (void)arg;
    sem_wait_all(&child_ready);
    exit(5);
}

static void *return_quietly(void *arg)
{
    (void)arg;
    sem_wait_all(&child_ready);
    return NULL;
}

/* The main thread calls pthread_exit; the other thread exits with 5 or
 * returns. In a re-executed program: musl's fork leaves the child's main
 * thread without a clear-tid address, so a thread that outlives it there
 * waits forever in its own exit (natively, too). */
static int main_exits(const char *how)
{
    sem_init(&child_ready, 0, 0);
    spawn(strcmp(how, "exit5") == 0 ? exit_5_later : return_quietly, NULL);
    sem_post(&child_ready);
    pthread_exit(NULL);
}

static const char *self_path;

static pid_t run_self(const char *mode, const char *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *)self_path, (char *)mode, (char *)arg, NULL};
        execv("/proc/self/exe", argv);
        _exit(99);
    }
    return pid;
}

static pid_t fork_child(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        sem_init(&child_ready, 0, 0);
        if (pipe(child_pipe) != 0)
            _exit(90);
    }
    return pid;
}

static void exits_and_fatal_signals(void)
{
    pid_t pid = fork_child();
    if (pid == 0) {
        pthread_t a = spawn(wait_forever_cond, NULL);
        spawn(wait_forever_read, NULL);
        spawn(exit_23, NULL);
        join(a);
        _exit(91);
    }
    int status = wait_status(pid);
    check_detail(WIFEXITED(status) && WEXITSTATUS(status) == 23,
                 "exit() in a thread ends the process while others block", "status %#x", status);

    pid = fork_child();
    if (pid == 0) {
        pthread_t a = spawn(wait_forever_cond, NULL);
        spawn(wait_forever_read, NULL);
        sem_wait_all(&child_ready);
        sem_wait_all(&child_ready);
        pthread_kill(a, SIGTERM);
        for (;;)
            pause();
    }
    status = wait_status(pid);
    check_detail(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
                 "pthread_kill(SIGTERM), default action, kills the whole process", "status %#x",
                 status);

    pid = fork_child();
    if (pid == 0) {
        spawn(wait_forever_read, NULL);
        spawn(crash, NULL);
        pthread_mutex_lock(&forever_lock);
        for (;;)
            pthread_cond_wait(&forever_cond, &forever_lock);
    }
    status = wait_status(pid);
    check_detail(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
                 "SIGSEGV in a thread kills the whole process", "status %#x", status);

    pid = fork_child();
    if (pid == 0) {
        spawn(wait_forever_cond, NULL);
        spawn(wait_forever_read, NULL);
        sem_wait_all(&child_ready);
        sem_wait_all(&child_ready);
        exit(4); /* as returning from main */
    }
    status = wait_status(pid);
    check_detail(WIFEXITED(status) && WEXITSTATUS(status) == 4,
                 "exit from the main thread ends blocked threads", "status %#x", status);

    status = wait_status(run_self("main-exits", "exit5"));
    check_detail(WIFEXITED(status) && WEXITSTATUS(status) == 5,
                 "pthread_exit in main: the process lives on until a thread calls exit",
                 "status %#x", status);

    status = wait_status(run_self("main-exits", "return"));
    check_detail(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                 "pthread_exit in main, then the last thread returns: status 0", "status %#x",
                 status);
}

/* ------------------------------------------------------------------ */
/* fork and execve from a thread that is not the main thread */

static void *child_thread(void *arg)
{
    return (void *)((intptr_t)arg + 1);
}

/* What the child of a fork in a thread, or the program exec'd from a
 * thread, checks: 0 or bits of what failed. */
static int single_thread_bits(void)
{
    int bits = 0;
    if (current_tid() != getpid())
        bits |= 1;
    if (status_threads() != 1)
        bits |= 2;
    pthread_t t;
    void *r = NULL;
    if (pthread_create(&t, NULL, child_thread, (void *)41) != 0 || pthread_join(t, &r) != 0 ||
        r != (void *)42)
        bits |= 4;
    char *p = malloc(100000);
    if (!p)
        bits |= 8;
    free(p);
    return bits;
}

static sem_t bystander_go;

static void *bystander(void *arg)
{
    (void)arg;
    sem_wait_all(&bystander_go);
    return (void *)7;
}

static void *fork_here(void *arg)
{
    (void)arg;
    pid_t pid = fork();
    if (pid == 0)
        _exit(64 | single_thread_bits());
    return (void *)(intptr_t)wait_status(pid);
}

static void *exec_here(void *arg)
{
    (void)arg;
    sem_wait_all(&child_ready);
    char *argv[] = {(char *)self_path, "exec-child", "9", NULL};
    execv("/proc/self/exe", argv);
    _exit(92);
}

static void fork_and_exec_in_threads(void)
{
    sem_init(&bystander_go, 0, 0);
    pthread_t by = spawn(bystander, NULL);
    int status = (int)(intptr_t)join(spawn(fork_here, NULL));
    sem_post(&bystander_go);
    int bystander_ok = join(by) == (void *)7;
    int bits = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    check_detail(bits >= 64 && !(bits & 1), "fork in a thread: in the child, gettid == getpid",
                 "status %#x", status);
    check_detail(bits >= 64 && !(bits & 2), "fork in a thread: the child's /proc/self/status says Threads: 1",
                 "status %#x", status);
    check_detail(bits >= 64 && !(bits & 12), "fork in a thread: the child starts a thread, mallocs",
                 "status %#x", status);
    check(bystander_ok, "fork in a thread: the parent's other thread carries on");
    sem_destroy(&bystander_go);

    pid_t pid = fork_child();
    if (pid == 0) {
        spawn(wait_forever_cond, NULL);
        spawn(wait_forever_read, NULL);
        sem_wait_all(&child_ready);
        sem_wait_all(&child_ready);
        pthread_t e = spawn(exec_here, NULL);
        sem_post(&child_ready);
        join(e);
        _exit(93);
    }
    status = wait_status(pid);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    check_detail(code >= 9 && code < 9 + 16,
                 "execve in a thread: the other threads end, the program runs, status seen",
                 "status %#x", status);
    code -= 9;
    check(code >= 0 && !(code & 1), "execve in a thread: the new program's gettid == getpid");
    check(code >= 0 && !(code & 2), "execve in a thread: the new program's /proc/self/status says Threads: 1");
    check(code >= 0 && !(code & 12), "execve in a thread: the new program starts a thread");
}

/* ------------------------------------------------------------------ */
/* FPU/SSE state per thread */

static double fp_series(int seed)
{
    volatile double x = seed;
    double acc = 0.0;
    for (int i = 1; i <= 400; i++) {
        acc = acc * 0.999 + x / i;
        x = x * 1.0001 + 0.25;
        if (i % 50 == 0)
            sched_yield();
    }
    return acc;
}

static long double x87_series(int seed)
{
    volatile long double x = seed;
    long double acc = 0.0L;
    for (int i = 1; i <= 200; i++) {
        acc = acc * 0.999L + x / i;
        x = x * 1.0001L + 0.25L;
        if (i % 50 == 0)
            sched_yield();
    }
    return acc;
}

struct fp_job {
    int seed;
    double expected;
    long double expected_x87;
};

/* xmm12-15 and st(0) around a sched_yield system call, in registers only. */
static int registers_kept_over_yield(uint64_t seed)
{
    uint64_t in[8], out[8];
    for (int i = 0; i < 8; i++)
        in[i] = seed * 0x9E3779B97F4A7C15ull + (uint64_t)i * 0x0101010101010101ull;
    long rax = SYS_sched_yield;
    __asm__ volatile("movdqu 0(%[in]), %%xmm12\n\t"
                     "movdqu 16(%[in]), %%xmm13\n\t"
                     "movdqu 32(%[in]), %%xmm14\n\t"
                     "movdqu 48(%[in]), %%xmm15\n\t"
                     "syscall\n\t"
                     "movdqu %%xmm12, 0(%[out])\n\t"
                     "movdqu %%xmm13, 16(%[out])\n\t"
                     "movdqu %%xmm14, 32(%[out])\n\t"
                     "movdqu %%xmm15, 48(%[out])\n\t"
                     : "+a"(rax)
                     : [in] "r"(in), [out] "r"(out)
                     : "rcx", "r11", "memory", "xmm12", "xmm13", "xmm14", "xmm15");
    long double in87 = (long double)seed / 7.0L, out87;
    long rax2 = SYS_sched_yield;
    __asm__ volatile("syscall" : "+a"(rax2), "+t"(in87) : : "rcx", "r11", "memory");
    out87 = in87;
    return rax == 0 && rax2 == 0 && memcmp(in, out, sizeof in) == 0 &&
           out87 == (long double)seed / 7.0L;
}

static pthread_barrier_t fp_barrier;

static void *fp_worker(void *arg)
{
    struct fp_job *job = arg;
    pthread_barrier_wait(&fp_barrier);
    int ok = fp_series(job->seed) == job->expected && x87_series(job->seed) == job->expected_x87;
    for (int i = 0; i < 20; i++)
        ok &= registers_kept_over_yield((uint64_t)job->seed * 100 + (uint64_t)i);
    return (void *)(intptr_t)ok;
}

struct rounding_job {
    int mode;
    int mode_kept;
    double third, neg_third;
};

static void *rounding_worker(void *arg)
{
    struct rounding_job *job = arg;
    fesetround(job->mode);
    pthread_barrier_wait(&fp_barrier); /* both modes are set before either divides */
    for (int i = 0; i < 5; i++)
        sched_yield();
    volatile double one = 1.0, three = 3.0;
    job->third = one / three;
    job->neg_third = -one / three;
    job->mode_kept = fegetround() == job->mode;
    return NULL;
}

static void fpu_state(void)
{
    enum { FP_THREADS = 4 };
    struct fp_job jobs[FP_THREADS];
    for (int i = 0; i < FP_THREADS; i++) {
        jobs[i].seed = 3 + 5 * i;
        jobs[i].expected = fp_series(jobs[i].seed);
        jobs[i].expected_x87 = x87_series(jobs[i].seed);
    }
    pthread_barrier_init(&fp_barrier, NULL, FP_THREADS);
    pthread_t t[FP_THREADS];
    for (int i = 0; i < FP_THREADS; i++)
        t[i] = spawn(fp_worker, &jobs[i]);
    int ok = 1;
    for (int i = 0; i < FP_THREADS; i++)
        ok &= join(t[i]) == (void *)1;
    pthread_barrier_destroy(&fp_barrier);
    check(ok, "FPU: 4 threads compute with SSE and x87 while yielding, exact results");
    check(registers_kept_over_yield(12345), "FPU: xmm12-15 and st(0) kept over a system call");

    pthread_barrier_init(&fp_barrier, NULL, 2);
    struct rounding_job up = {FE_UPWARD, 0, 0, 0}, down = {FE_DOWNWARD, 0, 0, 0};
    pthread_t tu = spawn(rounding_worker, &up), td = spawn(rounding_worker, &down);
    join(tu);
    join(td);
    pthread_barrier_destroy(&fp_barrier);
    volatile double one = 1.0, three = 3.0;
    double nearest = one / three; /* rounds down, as FE_DOWNWARD does */
    check(up.mode_kept && down.mode_kept && fegetround() == FE_TONEAREST && up.third > nearest &&
              down.third == nearest && up.neg_third == -nearest && down.neg_third < -nearest,
          "FPU: a rounding mode per thread (MXCSR)");
}

/* ------------------------------------------------------------------ */
/* Raw futexes between threads */

/* Futex constants (linux/futex.h, which musl-gcc lacks). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

static long futex(volatile uint32_t *word, int op, uint32_t val, const struct timespec *timeout,
                  volatile uint32_t *word2, uint32_t val3)
{
    return syscall(SYS_futex, word, op, val, timeout, word2, val3);
}

static volatile uint32_t fword, fword2;

struct futex_waiter {
    int op;
    long result;
    int error;
};

static void *futex_wait_thread(void *arg)
{
    struct futex_waiter *w = arg;
    errno = 0;
    w->result = futex(&fword, w->op, 0, NULL, NULL, 0);
    w->error = errno;
    return NULL;
}

/* Wakes `n` waiters once they all sleep on fword: FUTEX_WAKE until it has
 * woken them (a wake before a waiter sleeps finds nobody). */
static long wake_when_waiting(int op, int n)
{
    long woken = 0;
    for (int tries = 0; tries < 20000 && woken < n; tries++) {
        long r = futex(&fword, op, n - (int)woken, NULL, NULL, 0);
        if (r < 0)
            return r;
        woken += r;
        if (woken < n)
            sleep_ms(1);
    }
    return woken;
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void futexes(void)
{
    for (int priv = 0; priv < 2; priv++) {
        int flag = priv ? FUTEX_PRIVATE_FLAG : 0;
        const char *name = priv ? "FUTEX_PRIVATE" : "futex";
        char what[160];
        fword = 0;
        errno = 0;
        snprintf(what, sizeof what, "%s: WAIT on a word that differs is EAGAIN", name);
        check(futex(&fword, FUTEX_WAIT | flag, 1, NULL, NULL, 0) == -1 && errno == EAGAIN, what);

        struct timespec start, rel = {0, 10 * 1000000L};
        clock_gettime(CLOCK_MONOTONIC, &start);
        long r = futex(&fword, FUTEX_WAIT | flag, 0, &rel, NULL, 0);
        snprintf(what, sizeof what, "%s: WAIT with a 10 ms timeout is ETIMEDOUT", name);
        check(r == -1 && errno == ETIMEDOUT && elapsed_ms(&start) >= 9, what);

        struct futex_waiter w = {FUTEX_WAIT | flag, -5, 0};
        pthread_t t = spawn(futex_wait_thread, &w);
        long woken = wake_when_waiting(FUTEX_WAKE | flag, 1);
        join(t);
        snprintf(what, sizeof what, "%s: WAKE wakes a waiting thread, returns 1", name);
        check(woken == 1 && w.result == 0, what);

        snprintf(what, sizeof what, "%s: WAKE with nobody waiting returns 0", name);
        check(futex(&fword, FUTEX_WAKE | flag, INT_MAX, NULL, NULL, 0) == 0, what);
    }

    /* Three waiters: moved to another word without waking (CMP_REQUEUE
     * counts them), then all woken there at once. */
    enum { WAITERS = 3 };
    struct futex_waiter w[WAITERS];
    pthread_t t[WAITERS];
    fword = 0;
    fword2 = 0;
    for (int i = 0; i < WAITERS; i++) {
        w[i] = (struct futex_waiter){FUTEX_WAIT | FUTEX_PRIVATE_FLAG, -5, 0};
        t[i] = spawn(futex_wait_thread, &w[i]);
    }
    long moved = 0;
    for (int tries = 0; tries < 20000 && moved < WAITERS; tries++) {
        long r = futex(&fword, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0,
                       (const struct timespec *)(uintptr_t)INT_MAX, &fword2, 0);
        if (r < 0)
            break;
        moved += r;
        if (moved < WAITERS)
            sleep_ms(1);
    }
    check(moved == WAITERS, "futex: CMP_REQUEUE moves three waiting threads without waking them");
    errno = 0;
    check(futex(&fword, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0,
                (const struct timespec *)(uintptr_t)INT_MAX, &fword2, 1) == -1 &&
              errno == EAGAIN,
          "futex: CMP_REQUEUE with a value that differs is EAGAIN");
    long woken = futex(&fword2, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
    int ok = 1;
    for (int i = 0; i < WAITERS; i++) {
        join(t[i]);
        ok &= w[i].result == 0;
    }
    check(woken == WAITERS && ok, "futex: WAKE on the second word wakes all three");

    struct timespec past;
    clock_gettime(CLOCK_MONOTONIC, &past);
    past.tv_sec -= 1;
    errno = 0;
    check(futex(&fword, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &past, NULL,
                FUTEX_BITSET_MATCH_ANY) == -1 &&
              errno == ETIMEDOUT,
          "futex: WAIT_BITSET with a past CLOCK_MONOTONIC deadline is ETIMEDOUT");
    clock_gettime(CLOCK_REALTIME, &past);
    past.tv_sec -= 1;
    errno = 0;
    check(futex(&fword, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0, &past,
                NULL, FUTEX_BITSET_MATCH_ANY) == -1 &&
              errno == ETIMEDOUT,
          "futex: WAIT_BITSET with a past CLOCK_REALTIME deadline is ETIMEDOUT");
    struct timespec start, deadline;
    clock_gettime(CLOCK_MONOTONIC, &start);
    deadline = start;
    deadline.tv_nsec += 10 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    errno = 0;
    long r = futex(&fword, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &deadline, NULL,
                   FUTEX_BITSET_MATCH_ANY);
    check(r == -1 && errno == ETIMEDOUT && elapsed_ms(&start) >= 9,
          "futex: WAIT_BITSET until 10 ms from now is ETIMEDOUT");
    errno = 0;
    check(futex(&fword, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &deadline, NULL, 0) == -1 &&
              errno == EINVAL,
          "futex: WAIT_BITSET with an empty bitset is EINVAL");
    struct timespec bad = {0, 1000000000L};
    errno = 0;
    check(futex(&fword, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &bad, NULL, 0) == -1 &&
              errno == EINVAL,
          "futex: a timeout of 10^9 ns is EINVAL");
    errno = 0;
    check(futex(&fword, 99 | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0) == -1 && errno == ENOSYS,
          "futex: an unknown operation is ENOSYS");
}

/* ------------------------------------------------------------------ */
/* What threads share: memory, descriptors, the working directory, and
 * what they do not: their name. */

static char *shared_map;

static void *map_something(void *arg)
{
    (void)arg;
    shared_map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (shared_map != MAP_FAILED)
        strcpy(shared_map, "mapped in a thread");
    return NULL;
}

static void *unmap_it(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)munmap(shared_map, 8192);
}

static sigjmp_buf fault_jump;

static void on_segv(int signo)
{
    (void)signo;
    siglongjmp(fault_jump, 1);
}

static void *open_pipe(void *arg)
{
    int *fds = arg;
    return (void *)(intptr_t)pipe(fds);
}

static void *close_fd(void *arg)
{
    return (void *)(intptr_t)close((int)(intptr_t)arg);
}

static void *go_to_root(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)chdir("/");
}

static void *rename_thread(void *arg)
{
    (void)arg;
    char name[17] = {0};
    prctl(PR_SET_NAME, "worker-thread");
    prctl(PR_GET_NAME, name);
    return (void *)(intptr_t)(strcmp(name, "worker-thread") == 0);
}

static void *read_one(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char c = 0;
    return (void *)(intptr_t)(read(fd, &c, 1) == 1 ? c : -1);
}

static void sharing(void)
{
    join(spawn(map_something, NULL));
    check(shared_map != MAP_FAILED && strcmp(shared_map, "mapped in a thread") == 0,
          "mmap in a thread: the mapping is the main thread's too");
    join(spawn(unmap_it, NULL));
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old);
    volatile int faulted = 0;
    if (sigsetjmp(fault_jump, 1) == 0) {
        volatile char c = shared_map[0];
        (void)c;
    } else {
        faulted = 1;
    }
    sigaction(SIGSEGV, &old, NULL);
    check(faulted, "munmap in a thread: the main thread's access faults");

    int fds[2] = {-1, -1};
    int opened = join(spawn(open_pipe, fds)) == 0;
    int wrote = opened && write(fds[1], "p", 1) == 1;
    char c = 0;
    int ok = wrote && read(fds[0], &c, 1) == 1 && c == 'p';
    int closed = join(spawn(close_fd, (void *)(intptr_t)fds[1])) == 0;
    ok &= closed && write(fds[1], "q", 1) == -1 && errno == EBADF;
    check(ok, "descriptors opened or closed in a thread are the process's");
    close(fds[0]);

    if (pipe(fds) == 0) {
        pthread_t reader = spawn(read_one, (void *)(intptr_t)fds[0]);
        sleep_ms(5);
        ok = write(fds[1], "r", 1) == 1 && join(reader) == (void *)'r';
        close(fds[0]);
        close(fds[1]);
    } else {
        ok = 0;
    }
    check(ok, "a thread blocked in read() wakes on the main thread's write");

    int here = open(".", O_RDONLY | O_DIRECTORY);
    char before[4096] = "", after[4096] = "";
    ok = getcwd(before, sizeof before) != NULL && join(spawn(go_to_root, NULL)) == 0 &&
         getcwd(after, sizeof after) != NULL && strcmp(after, "/") == 0;
    ok &= here >= 0 && fchdir(here) == 0 && getcwd(after, sizeof after) != NULL &&
          strcmp(before, after) == 0;
    close(here);
    check(ok, "chdir in a thread moves the whole process");

    char main_name[17] = {0}, main_after[17] = {0};
    prctl(PR_GET_NAME, main_name);
    ok = join(spawn(rename_thread, NULL)) == (void *)1;
    prctl(PR_GET_NAME, main_after);
    check(ok && strcmp(main_name, main_after) == 0,
          "PR_SET_NAME names only the calling thread");
}

/* ------------------------------------------------------------------ */
/* The threads in /proc. Threads that were joined or detached a moment ago
 * may still be on their way out (natively, too): poll until they are gone. */

enum { PROC_THREADS = 3 };
static sem_t proc_ready, proc_release;
static pid_t proc_tids[PROC_THREADS + 1];

static void *listed_thread(void *arg)
{
    proc_tids[(intptr_t)arg] = current_tid();
    sem_post(&proc_ready);
    sem_wait_all(&proc_release);
    return NULL;
}

static void threads_in_proc(void)
{
    sem_init(&proc_ready, 0, 0);
    sem_init(&proc_release, 0, 0);
    proc_tids[0] = current_tid();
    pthread_t t[PROC_THREADS];
    for (int i = 0; i < PROC_THREADS; i++)
        t[i] = spawn(listed_thread, (void *)(intptr_t)(i + 1));
    for (int i = 0; i < PROC_THREADS; i++)
        sem_wait_all(&proc_ready);
    int n = -1, listed = 0;
    for (int tries = 0; tries < 5000 && n != PROC_THREADS + 1; tries++) {
        n = status_threads();
        if (n != PROC_THREADS + 1)
            sleep_ms(1);
    }
    for (int tries = 0; tries < 5000 && !listed; tries++) {
        listed = task_dir_is(proc_tids, PROC_THREADS + 1);
        if (!listed)
            sleep_ms(1);
    }
    for (int i = 0; i < PROC_THREADS; i++)
        sem_post(&proc_release);
    for (int i = 0; i < PROC_THREADS; i++)
        join(t[i]);
    check_detail(n == PROC_THREADS + 1, "/proc/self/status: Threads: 4 with three threads running",
                 "%d", n);
    check(listed, "/proc/self/task lists the four threads by tid");
    sem_destroy(&proc_ready);
    sem_destroy(&proc_release);
}

/* ------------------------------------------------------------------ */

static void *nothing(void *arg)
{
    return arg;
}

static int stress(long n)
{
    long ok = 0;
    for (long i = 0; i < n; i++) {
        pthread_t t;
        void *r = NULL;
        if (pthread_create(&t, NULL, nothing, (void *)(intptr_t)i) != 0)
            break;
        if (pthread_join(t, &r) != 0 || r != (void *)(intptr_t)i)
            break;
        ok++;
    }
    if (ok == n)
        printf("stress %ld: ok\n", n);
    else
        printf("stress %ld: FAILED (after %ld)\n", n, ok);
    return ok == n ? 0 : 1;
}

/* A thread bomb: the task limit (RLIMIT_NPROC, or the kernel's) ends it
 * with EAGAIN, and the process goes on. The count depends on the system:
 * only whether it stopped cleanly is printed. */
enum { BOMB_MAX = 100000 };
static sem_t bomb_release;

static void *bomb_wait(void *arg)
{
    sem_wait_all(&bomb_release);
    return arg;
}

static int bomb(void)
{
    static pthread_t t[BOMB_MAX];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    sem_init(&bomb_release, 0, 0);
    long n = 0;
    int err = 0;
    while (n < BOMB_MAX && (err = pthread_create(&t[n], &attr, bomb_wait, NULL)) == 0)
        n++;
    for (long i = 0; i < n; i++)
        sem_post(&bomb_release);
    long joined = 0;
    for (long i = 0; i < n; i++)
        joined += pthread_join(t[i], NULL) == 0;
    printf("bomb: stopped by %s after more than 100 threads, all joined: %s\n",
           err == EAGAIN ? "EAGAIN" : strerror(err), n > 100 && joined == n ? "ok" : "FAILED");
    return err == EAGAIN && n > 100 && joined == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "stress") == 0)
        return stress(atol(argv[2]));
    if (argc == 2 && strcmp(argv[1], "bomb") == 0)
        return bomb();
    if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
        return atoi(argv[2]) + single_thread_bits();
    if (argc == 3 && strcmp(argv[1], "main-exits") == 0)
        return main_exits(argv[2]);
    self_path = argv[0];
    create_and_join();
    mutexes();
    condition_variables();
    rwlocks();
    barriers();
    semaphores();
    thread_locals();
    detached_threads();
    cancellation();
    thread_signals();
    alternate_stacks();
    robust_mutexes();
    preemption();
    exits_and_fatal_signals();
    fork_and_exec_in_threads();
    fpu_state();
    futexes();
    sharing();
    threads_in_proc();
    return failures ? 1 : 0;
}
