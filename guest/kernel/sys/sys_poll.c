/*
 * poll/ppoll/select/pselect6 over our file kinds. Host files never block.
 * The console cannot report readiness (the ABI has no such operation), so
 * it is reported ready: a read then waits in the host, which is what a
 * program that polls before reading needs. Pipes report their real state;
 * while nothing is ready the caller blocks (kernel/sched.h) until a pipe
 * changes, a signal arrives or the timeout passes.
 */
#include "fs/fd.h"
#include "fs/file.h"
#include "arch/percpu.h"
#include "kernel/clock.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define POLL_MAX_FDS FD_MAX
#define FD_SET_BITS 1024

struct pollfd64 {
    int32_t fd;
    int16_t events;
    int16_t revents;
};

static int16_t ready_events(struct file *f, int16_t events)
{
    if (f->ops->poll != 0) /* hang-ups and errors are reported unasked */
        return (int16_t)(f->ops->poll(f) & ((uint16_t)events | POLLHUP | POLLERR));
    int16_t ready = 0;
    if (file_readable(f))
        ready |= POLLIN | POLLRDNORM;
    if (file_writable(f))
        ready |= POLLOUT | POLLWRNORM;
    return ready & events;
}

/*
 * Calls scan(c, ctx) until it finds something ready (> 0) or fails (< 0);
 * meanwhile blocks until readiness may have changed, a signal arrives
 * (-ERESTARTNOHAND) or `timeout_ns` passes (0; negative: no timeout).
 */
static int64_t wait_until_ready(struct syscall_call *c, int64_t (*scan)(struct syscall_call *, void *),
                                void *ctx, int64_t timeout_ns)
{
    uint64_t deadline = 0;
    if (timeout_ns > 0) {
        uint64_t now = clock_monotonic_ns();
        deadline = (uint64_t)timeout_ns > ~0ull - now ? ~0ull : now + (uint64_t)timeout_ns;
    }
    for (;;) {
        int64_t n = scan(c, ctx);
        if (n != 0 || timeout_ns == 0)
            return n;
        if (deadline != 0 && clock_monotonic_ns() >= deadline)
            return 0;
        if (signal_pending())
            return -ERESTARTNOHAND;
        sched_block(&sched_readiness_chan, deadline);
    }
}

struct poll_args {
    uint64_t ufds, nfds;
};

static int64_t scan_pollfds(struct syscall_call *c, void *arg)
{
    const struct poll_args *a = arg;
    uint64_t ufds = a->ufds, nfds = a->nfds;
    int64_t count = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        struct pollfd64 pfd;
        uint64_t at = ufds + i * sizeof pfd;
        int err = copy_from_user(&pfd, at, sizeof pfd);
        if (err != 0)
            return err;
        pfd.revents = 0;
        if (pfd.fd >= 0) {
            struct file *f = fd_get(c->proc->fds, pfd.fd);
            pfd.revents = f == 0 ? POLLNVAL : ready_events(f, pfd.events);
        }
        if (pfd.revents != 0)
            count++;
        err = copy_to_user(at + __builtin_offsetof(struct pollfd64, revents), &pfd.revents,
                           sizeof pfd.revents);
        if (err != 0)
            return err;
    }
    return count;
}

static int64_t do_poll(struct syscall_call *c, uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
    if (nfds > POLL_MAX_FDS)
        return -EINVAL;
    struct poll_args a = {.ufds = ufds, .nfds = nfds};
    return wait_until_ready(c, scan_pollfds, &a, timeout_ns);
}

/* ppoll/pselect6's mask: in force while waiting, the old one back afterwards
 * (proc/signal.c restores it on the way out, or a handler's frame does). */
static int64_t use_temporary_mask(struct thread *t, uint64_t umask, uint64_t size)
{
    if (umask == 0)
        return 0;
    if (size != sizeof(uint64_t))
        return -EINVAL;
    uint64_t mask;
    int err = copy_from_user(&mask, umask, sizeof mask);
    if (err != 0)
        return err;
    signal_mask_until_return(t, mask);
    return 0;
}

/* A timespec (ppoll, pselect6) as nanoseconds; -1 for NULL (wait forever). */
static int64_t read_timeout(uint64_t uts, int64_t *ns)
{
    if (uts == 0) {
        *ns = -1;
        return 0;
    }
    uint64_t u;
    int err = read_timespec(uts, &u);
    if (err != 0)
        return err;
    *ns = u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
    return 0;
}

int64_t sys_poll(struct syscall_call *c)
{
    int32_t timeout_ms = arg_int(c->arg[2]);
    return do_poll(c, c->arg[0], c->arg[1], timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000);
}

int64_t sys_ppoll(struct syscall_call *c)
{
    int64_t ns;
    int64_t err = read_timeout(c->arg[2], &ns);
    if (err == 0)
        err = use_temporary_mask(c->thread, c->arg[3], c->arg[4]);
    if (err != 0)
        return err;
    return do_poll(c, c->arg[0], c->arg[1], ns);
}

/* select: the same answer, in fd_set bitmaps. */
struct select_args {
    int32_t nfds;
    uint64_t addrs[3]; /* read, write, except sets (0: none) */
    uint64_t bytes;    /* of each set */
    uint64_t asked[3][FD_SET_BITS / 64];
    uint64_t ready[3][FD_SET_BITS / 64];
};

static int write_sets(const struct select_args *a)
{
    for (int s = 0; s < 3; s++) {
        if (a->addrs[s] != 0) {
            int err = copy_to_user(a->addrs[s], a->ready[s], a->bytes);
            if (err != 0)
                return err;
        }
    }
    return 0;
}

static int64_t scan_fd_sets(struct syscall_call *c, void *arg)
{
    struct select_args *a = arg;
    memset(a->ready, 0, sizeof a->ready);
    int64_t count = 0;
    for (int32_t fd = 0; fd < a->nfds; fd++) {
        uint64_t bit = 1ull << (fd % 64);
        int w = fd / 64;
        if (!((a->asked[0][w] | a->asked[1][w] | a->asked[2][w]) & bit))
            continue;
        struct file *f = fd_get(c->proc->fds, fd);
        if (f == 0)
            return -EBADF;
        int16_t ready = ready_events(f, POLLIN | POLLOUT);
        if ((a->asked[0][w] & bit) && (ready & (POLLIN | POLLHUP))) {
            a->ready[0][w] |= bit;
            count++;
        }
        if ((a->asked[1][w] & bit) && (ready & (POLLOUT | POLLERR))) {
            a->ready[1][w] |= bit;
            count++;
        }
        /* no exceptional conditions */
    }
    if (count > 0) {
        int err = write_sets(a);
        if (err != 0)
            return err;
    }
    return count;
}

static int64_t do_select(struct syscall_call *c, int32_t nfds, uint64_t ureads, uint64_t uwrites,
                         uint64_t uexcepts, int64_t timeout_ns)
{
    if (nfds < 0 || nfds > FD_SET_BITS)
        return -EINVAL;
    struct select_args a = {.nfds = nfds, .addrs = {ureads, uwrites, uexcepts},
                            .bytes = ((uint64_t)nfds + 63) / 64 * 8};
    for (int s = 0; s < 3; s++) {
        memset(a.asked[s], 0, sizeof a.asked[s]);
        if (a.addrs[s] != 0) {
            int err = copy_from_user(a.asked[s], a.addrs[s], a.bytes);
            if (err != 0)
                return err;
        }
    }
    int64_t n = wait_until_ready(c, scan_fd_sets, &a, timeout_ns);
    if (n == 0) {
        memset(a.ready, 0, sizeof a.ready); /* timed out: every set comes back empty */
        int err = write_sets(&a);
        if (err != 0)
            return err;
    }
    return n;
}

int64_t sys_select(struct syscall_call *c)
{
    int64_t ns = -1;
    if (c->arg[4] != 0) {
        int64_t tv[2];
        int err = copy_from_user(tv, c->arg[4], sizeof tv);
        if (err != 0)
            return err;
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return -EINVAL;
        ns = tv[0] > 9000000000ll ? INT64_MAX : tv[0] * 1000000000ll + tv[1] * 1000;
    }
    return do_select(c, arg_int(c->arg[0]), c->arg[1], c->arg[2], c->arg[3], ns);
}

int64_t sys_pselect6(struct syscall_call *c)
{
    int64_t ns;
    int64_t err = read_timeout(c->arg[4], &ns);
    if (err != 0)
        return err;
    if (c->arg[5] != 0) {
        /* { const sigset_t *mask; size_t size; } */
        uint64_t mask_arg[2];
        err = copy_from_user(mask_arg, c->arg[5], sizeof mask_arg);
        if (err == 0)
            err = use_temporary_mask(c->thread, mask_arg[0], mask_arg[1]);
        if (err != 0)
            return err;
    }
    return do_select(c, arg_int(c->arg[0]), c->arg[1], c->arg[2], c->arg[3], ns);
}
