/*
 * poll/ppoll/select/pselect6 over our file kinds. Host files never block.
 * The console cannot report readiness (the ABI has no such operation), so
 * it is reported ready: a read then waits in the host, which is what a
 * program that polls before reading needs. Timeouts are therefore never
 * waited for when any descriptor is asked about.
 */
#include "fs/fd.h"
#include "fs/file.h"
#include "kernel/clock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
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
    int16_t ready = 0;
    if (file_readable(f))
        ready |= POLLIN | POLLRDNORM;
    if (file_writable(f))
        ready |= POLLOUT | POLLWRNORM;
    return ready & events;
}

static int64_t do_poll(struct syscall_call *c, uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
    if (nfds > POLL_MAX_FDS)
        return -EINVAL;
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
    if (count == 0 && timeout_ns > 0)
        clock_delay_ns((uint64_t)timeout_ns); /* nothing can become ready meanwhile */
    return count;
}

/* A timespec (ppoll, pselect6) as nanoseconds; -1 for NULL (wait forever). */
static int64_t read_timeout(uint64_t uts, int64_t *ns)
{
    if (uts == 0) {
        *ns = -1;
        return 0;
    }
    int64_t ts[2];
    int err = copy_from_user(ts, uts, sizeof ts);
    if (err != 0)
        return err;
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
        return -EINVAL;
    *ns = ts[0] > 9000000000ll ? INT64_MAX : ts[0] * 1000000000ll + ts[1];
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
    if (err != 0)
        return err;
    return do_poll(c, c->arg[0], c->arg[1], ns);
}

/* select: the same answer, in fd_set bitmaps. */
static int64_t do_select(struct syscall_call *c, int32_t nfds, uint64_t ureads, uint64_t uwrites,
                         uint64_t uexcepts, int64_t timeout_ns)
{
    if (nfds < 0 || nfds > FD_SET_BITS)
        return -EINVAL;
    uint64_t sets[3][FD_SET_BITS / 64];
    const uint64_t addrs[3] = {ureads, uwrites, uexcepts};
    uint64_t bytes = ((uint64_t)nfds + 63) / 64 * 8;
    for (int s = 0; s < 3; s++) {
        memset(sets[s], 0, sizeof sets[s]);
        if (addrs[s] != 0) {
            int err = copy_from_user(sets[s], addrs[s], bytes);
            if (err != 0)
                return err;
        }
    }
    int64_t count = 0;
    for (int32_t fd = 0; fd < nfds; fd++) {
        uint64_t bit = 1ull << (fd % 64);
        uint64_t *words[3] = {&sets[0][fd / 64], &sets[1][fd / 64], &sets[2][fd / 64]};
        if (!((*words[0] | *words[1] | *words[2]) & bit))
            continue;
        struct file *f = fd_get(c->proc->fds, fd);
        if (f == 0)
            return -EBADF;
        int16_t ready = ready_events(f, POLLIN | POLLOUT);
        if (!(ready & POLLIN))
            *words[0] &= ~bit;
        if (!(ready & POLLOUT))
            *words[1] &= ~bit;
        *words[2] &= ~bit; /* no exceptional conditions */
        count += ((*words[0] & bit) != 0) + ((*words[1] & bit) != 0);
    }
    for (int s = 0; s < 3; s++) {
        if (addrs[s] != 0) {
            int err = copy_to_user(addrs[s], sets[s], bytes);
            if (err != 0)
                return err;
        }
    }
    if (count == 0 && timeout_ns > 0)
        clock_delay_ns((uint64_t)timeout_ns);
    return count;
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
    return do_select(c, arg_int(c->arg[0]), c->arg[1], c->arg[2], c->arg[3], ns);
}
