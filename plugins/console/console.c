/*
 * Console device: the guest program's stdin, stdout and stderr are the host's
 * fds 0, 1 and 2, used directly, so stdout and stderr output reaches the host
 * in the order the program wrote it. Small writes may come through the output
 * ring (console_abi.h) instead of a hypercall each: it is written out before
 * every console operation, on the core's tick and when the VM ends, so order
 * holds and nothing is lost. The guest names a stream, never a host fd: it
 * cannot reach any other host fd, and there is no operation that closes or
 * redirects these three.
 */
#include "console/console_abi.h"

#include "common/hc_port.h"
#include "common/plugin_config.h"
#include "common/seccomp_grants.h"
#include "common/sg.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#define CONSOLE_DEFAULT_PORT 0x501

/* The ABI promises the 60-byte Linux x86-64 (glibc) struct termios. */
_Static_assert(sizeof(struct termios) == sizeof(((struct console_info *)0)->termios),
               "struct termios layout differs from console_info.termios");

struct console {
    struct plugin_host host;
    uint64_t ring_gpa;      /* 0 until the guest sets up its output ring */
    uint32_t ring_consumed; /* our own copy of the ring's tail: never read back */
    bool ring_broken;       /* the guest corrupted it: nothing more is read from it */
};

/* The host fds may be non-blocking (inherited from a shell or pipe); the guest
 * asked for blocking I/O, so wait for readiness instead of failing. */
static int wait_ready(int fd, short events)
{
    struct pollfd pfd = {.fd = fd, .events = events};
    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR)
            return -errno;
    }
    return 0;
}

/* Writes every byte of every segment unless an error stops it; a short count
 * is returned if some bytes went out first (as write(2) does). */
static int64_t console_write(int fd, const struct iovec *iov, uint32_t niov)
{
    int64_t done = 0;
    for (uint32_t i = 0; i < niov; i++) {
        const char *p = iov[i].iov_base;
        size_t left = iov[i].iov_len;
        while (left > 0) {
            ssize_t n = write(fd, p, left);
            if (n >= 0) {
                p += n;
                left -= (size_t)n;
                done += n;
                continue;
            }
            int err = errno;
            if (err == EINTR)
                continue;
            if (err == EAGAIN) {
                err = -wait_ready(fd, POLLOUT);
                if (err == 0)
                    continue;
            }
            return done > 0 ? done : -err;
        }
    }
    return done;
}

/* One read, like read(2) on a terminal or pipe: whatever is available now. */
static int64_t console_read(int fd, const struct iovec *iov, uint32_t niov)
{
    for (;;) {
        ssize_t n = readv(fd, iov, (int)niov);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return -errno;
        int err = wait_ready(fd, POLLIN);
        if (err != 0)
            return err;
    }
}

static void console_info(int fd, struct console_info *info)
{
    memset(info, 0, sizeof *info);
    if (!isatty(fd))
        return;
    info->is_tty = 1;
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
        info->rows = ws.ws_row;
        info->cols = ws.ws_col;
    }
    struct termios t;
    memset(&t, 0, sizeof t); /* its padding goes to the guest too: no host stack bytes */
    if (tcgetattr(fd, &t) == 0)
        memcpy(info->termios, &t, sizeof info->termios);
}

/* ---- the output ring ----------------------------------------------------- */

/* Copies [offset, offset + len) of the ring's data area, wrapping around its end. */
static int ring_copy_out(struct console *c, uint32_t offset, void *dst, uint32_t len)
{
    uint64_t data = c->ring_gpa + offsetof(struct console_ring, data);
    uint32_t start = offset % CONSOLE_RING_BYTES;
    uint32_t first = len < CONSOLE_RING_BYTES - start ? len : CONSOLE_RING_BYTES - start;
    const struct minivm_host_api *api = c->host.api;
    if (api->copy_from_guest(c->host.ctx, dst, data + start, first) != 0)
        return -1;
    if (first < len &&
        api->copy_from_guest(c->host.ctx, (char *)dst + first, data, len - first) != 0)
        return -1;
    return 0;
}

static void ring_set_direct(struct console *c, uint32_t stream)
{
    uint32_t one = 1;
    c->host.api->copy_to_guest(c->host.ctx,
                               c->ring_gpa + offsetof(struct console_ring, direct) +
                                   stream * sizeof one,
                               &one, sizeof one);
}

/* Writes one run of same-stream records; a failure (a closed pipe, say) sends
 * the stream's later writes around the ring, so the guest sees the error. */
static void ring_write_run(struct console *c, uint32_t stream, const struct iovec *iov,
                           uint32_t niov)
{
    if (niov > 0 && console_write((int)stream, iov, niov) < 0)
        ring_set_direct(c, stream);
}

/*
 * Writes out what the guest appended since the last time, in order. The guest
 * is hostile: `head` is read once and must be within one ring of what we
 * consumed, the pending bytes are copied out once and every record checked.
 * Returns 0, or -1 when the ring is corrupt: that is logged and ends the VM
 * (125) once, and the ring is never read again.
 */
static int ring_drain(struct console *c)
{
    if (c->ring_broken)
        return -1;
    if (c->ring_gpa == 0)
        return 0;
    const struct minivm_host_api *api = c->host.api;
    uint32_t head;
    if (api->copy_from_guest(c->host.ctx, &head, c->ring_gpa + offsetof(struct console_ring, head),
                             sizeof head) != 0)
        goto corrupt;
    uint32_t pending = head - c->ring_consumed;
    if (pending == 0)
        return 0;
    static uint8_t bytes[CONSOLE_RING_BYTES];
    if (pending > CONSOLE_RING_BYTES || ring_copy_out(c, c->ring_consumed, bytes, pending) != 0)
        goto corrupt;

    struct iovec iov[64];
    uint32_t niov = 0, run_stream = 0;
    for (uint32_t at = 0; at < pending;) {
        struct console_record rec;
        if (pending - at < sizeof rec)
            goto corrupt;
        memcpy(&rec, bytes + at, sizeof rec);
        at += sizeof rec;
        if (rec.len == 0 || rec.len > CONSOLE_RING_RECORD_MAX || rec.len > pending - at ||
            (rec.stream != 1 && rec.stream != 2))
            goto corrupt;
        if (niov > 0 && (rec.stream != run_stream || niov == sizeof iov / sizeof iov[0])) {
            ring_write_run(c, run_stream, iov, niov);
            niov = 0;
        }
        run_stream = rec.stream;
        iov[niov++] = (struct iovec){.iov_base = bytes + at, .iov_len = rec.len};
        at += rec.len;
    }
    ring_write_run(c, run_stream, iov, niov);
    c->ring_consumed = head;
    api->copy_to_guest(c->host.ctx, c->ring_gpa + offsetof(struct console_ring, tail),
                       &c->ring_consumed, sizeof c->ring_consumed);
    return 0;
corrupt:
    c->ring_broken = true;
    api->log(c->host.ctx, MINIVM_LOG_ERROR,
             "the guest corrupted its output ring (head %u, %u bytes written out so far)",
             head, c->ring_consumed);
    api->request_exit(c->host.ctx, 125, NULL);
    return -1;
}

/* CONSOLE_OP_RING: where the ring is; the streams that must not use it. */
static int64_t ring_setup(struct console *c, const struct console_args *args)
{
    if (c->ring_gpa != 0 || args->nseg != 1 || args->seg[0].gpa == 0 ||
        args->seg[0].len < sizeof(struct console_ring) ||
        c->host.api->guest_ptr(c->host.ctx, args->seg[0].gpa, sizeof(struct console_ring)) == NULL)
        return -EINVAL;
    struct console_ring init;
    memset(&init, 0, offsetof(struct console_ring, data));
    /* A terminal gets every write at once, as natively. */
    init.direct[1] = isatty(STDOUT_FILENO) ? 1 : 0;
    init.direct[2] = isatty(STDERR_FILENO) ? 1 : 0;
    if (c->host.api->copy_to_guest(c->host.ctx, args->seg[0].gpa, &init,
                                   offsetof(struct console_ring, data)) != 0)
        return -EINVAL;
    c->ring_gpa = args->seg[0].gpa;
    c->ring_consumed = 0;
    return 0;
}

/* The core's tick: buffered output waits at most a few ticks. */
static void console_tick(void *state)
{
    ring_drain(state);
}

/* The host fd a stream maps to for `op`, or -1: only 1/2 for WRITE, only 0 for
 * READ, 0..2 for INFO. Streams are the host fd numbers by definition. */
static int stream_fd(uint32_t op, uint32_t stream)
{
    switch (op) {
    case CONSOLE_OP_WRITE:
        return stream == 1 || stream == 2 ? (int)stream : -1;
    case CONSOLE_OP_READ:
        return stream == 0 ? 0 : -1;
    case CONSOLE_OP_INFO:
        return stream <= 2 ? (int)stream : -1;
    default:
        return -1;
    }
}

static int console_port(void *opaque, uint16_t port, bool is_write, uint8_t size,
                        uint32_t *value)
{
    (void)port;
    struct console *c = opaque;
    struct console_args args;
    if (hc_load_block(&c->host, "console", is_write, size, *value, &args, sizeof args) != 0)
        return -1;
    uint64_t gpa = *value;

    /* What the ring holds goes out before anything this call does. A corrupt
     * ring ends the VM (125) once this exit is handled. */
    if (ring_drain(c) != 0)
        return hc_store_result(&c->host, gpa, -EIO);
    if (args.hdr.op == CONSOLE_OP_FLUSH)
        return hc_store_result(&c->host, gpa, 0);
    if (args.hdr.op == CONSOLE_OP_RING)
        return hc_store_result(&c->host, gpa, ring_setup(c, &args));
    if (args.hdr.op != CONSOLE_OP_WRITE && args.hdr.op != CONSOLE_OP_READ &&
        args.hdr.op != CONSOLE_OP_INFO)
        return hc_store_result(&c->host, gpa, -EINVAL);
    int fd = stream_fd(args.hdr.op, args.stream);
    if (fd < 0)
        return hc_store_result(&c->host, gpa, -EBADF);

    if (args.hdr.op == CONSOLE_OP_INFO) {
        console_info(fd, &args.info);
        if (hc_store_field(&c->host, gpa, &args, offsetof(struct console_args, info),
                           sizeof args.info) != 0)
            return -1;
        return hc_store_result(&c->host, gpa, 0);
    }

    struct iovec iov[MINIVM_SG_MAX];
    int64_t result = sg_to_iovec(&c->host, args.seg, args.nseg, iov);
    if (result >= 0) {
        result = args.hdr.op == CONSOLE_OP_WRITE ? console_write(fd, iov, args.nseg)
                                                 : console_read(fd, iov, args.nseg);
    }
    return hc_store_result(&c->host, gpa, result);
}

/* Exactly the calls the handlers make, narrowed to the fds and ioctl
 * requests they use (isatty and tcgetattr are ioctl TCGETS). */
static const struct seccomp_grant console_syscalls[] = {
    {SYS_write, 0, STDOUT_FILENO},  {SYS_write, 0, STDERR_FILENO},
    {SYS_readv, 0, STDIN_FILENO},   {SYS_poll, SECCOMP_ANY_ARG, 0},
    {SYS_ioctl, 1, TCGETS},         {SYS_ioctl, 1, TIOCGWINSZ},
};

static int console_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api,
                        void **state)
{
    struct plugin_host host;
    if (plugin_host_init(&host, ctx, api) != 0)
        return -1;
    uint16_t port;
    if (plugin_config_port(&host, CONSOLE_DEFAULT_PORT, &port) != 0)
        return -1;

    if (plugin_seccomp_allow(&host, console_syscalls,
                             sizeof console_syscalls / sizeof console_syscalls[0]) != 0)
        return -1;

    struct console *c = calloc(1, sizeof *c);
    if (c == NULL) {
        api->log(ctx, MINIVM_LOG_ERROR, "out of memory");
        return -1;
    }
    c->host = host;
    if (api->register_ports(ctx, CONSOLE_KIND, port, 1, console_port, c) != 0 ||
        api->register_tick(ctx, console_tick, c) != 0) {
        free(c);
        return -1;
    }
    *state = c;
    return 0;
}

/* However the VM ended (exit, fault, timeout, triple fault), the ring is still
 * in guest memory: what it holds is written out, not lost. */
static void console_fini(void *state)
{
    ring_drain(state);
    free(state);
}

MINIVM_PLUGIN_DEFINE("console", "stdin/stdout/stderr of the guest program", console_init,
                     console_fini);
