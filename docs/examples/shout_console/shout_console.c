/*
 * Example device plugin: a console that SHOUTS. It speaks the console ABI
 * (plugins/console/console_abi.h), so the guest kernel uses it as the
 * program's stdout/stderr, and upper-cases everything the program writes.
 * Stdin reads are not offered (they fail with EBADF).
 *
 * Build out of tree (from the minivm checkout):
 *   cc -shared -fPIC -O2 -I core/include -I plugins \
 *      -o shout_console.so docs/examples/shout_console/shout_console.c
 * Use it instead of the bundled console:
 *   [plugin console]
 *   path = /absolute/or/relative/to/the/ini/shout_console.so
 *   port = 0x501
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <minivm/plugin.h>

#include "console/console_abi.h"

struct shout {
    minivm_plugin_ctx *ctx;
    const struct minivm_host_api *api;
};

/* Upper-cases and writes one guest buffer; returns bytes written or -errno. */
static int64_t shout_segment(int fd, const char *data, uint64_t len)
{
    char chunk[4096];
    uint64_t done = 0;
    while (done < len) {
        size_t n = len - done < sizeof chunk ? (size_t)(len - done) : sizeof chunk;
        for (size_t i = 0; i < n; i++)
            chunk[i] = (char)toupper((unsigned char)data[done + i]);
        size_t written = 0;
        while (written < n) {
            ssize_t w = write(fd, chunk + written, n - written);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return done + written > 0 ? (int64_t)(done + written) : -errno;
            written += (size_t)w;
        }
        done += n;
    }
    return (int64_t)done;
}

/* The whole hypercall: copy the block once, validate, act, write the result. */
static int shout_port(void *opaque, uint16_t port, bool is_write, uint8_t size, uint32_t *value)
{
    struct shout *s = opaque;
    (void)port;
    if (!is_write || size != 4)
        return -1; /* not a hypercall: the core ends the VM */
    uint64_t block_gpa = *value;
    struct console_args args;
    if (s->api->copy_from_guest(s->ctx, &args, block_gpa, sizeof args) != 0)
        return -1;

    int64_t result;
    if (args.hdr.op != CONSOLE_OP_WRITE) {
        result = args.hdr.op == CONSOLE_OP_INFO ? 0 : -EBADF;
        if (args.hdr.op == CONSOLE_OP_INFO) {
            struct console_info info = {0}; /* not a terminal */
            if (s->api->copy_to_guest(s->ctx, block_gpa + offsetof(struct console_args, info),
                                      &info, sizeof info) != 0)
                return -1;
        }
    } else if ((args.stream != 1 && args.stream != 2) || args.nseg == 0 ||
               args.nseg > MINIVM_SG_MAX) {
        result = -EINVAL;
    } else {
        result = 0;
        for (uint32_t i = 0; i < args.nseg; i++) {
            /* guest_ptr is the checked translation: NULL unless all of it is RAM. */
            const char *data = s->api->guest_ptr(s->ctx, args.seg[i].gpa, args.seg[i].len);
            int64_t n = (!data || args.seg[i].len > MINIVM_HC_MAX_TRANSFER)
                            ? -EFAULT
                            : shout_segment((int)args.stream, data, args.seg[i].len);
            if (n < 0) {
                result = result > 0 ? result : n; /* like write(2): bytes first */
                break;
            }
            result += n;
            if ((uint64_t)n < args.seg[i].len)
                break;
        }
    }
    return s->api->copy_to_guest(s->ctx, block_gpa + offsetof(struct console_args, hdr.result),
                                 &result, sizeof result);
}

static int shout_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api, void **state)
{
    if (api->version != MINIVM_HOST_API_VERSION || api->size < sizeof *api)
        return -1;
    struct shout *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    *state = s;
    s->ctx = ctx;
    s->api = api;
    unsigned long port = 0x501;
    int line;
    const char *text = api->config_get(ctx, "port", &line);
    if (text) {
        char *end;
        port = strtoul(text, &end, 0);
        if (*end || port == 0 || port > 0xffff)
            return api->config_error(ctx, "port", "not a port number: %s", text);
    }
    /* The handler writes to the host's stdout/stderr only. */
    if (api->seccomp_allow_arg(ctx, SYS_write, 0, 1) || api->seccomp_allow_arg(ctx, SYS_write, 0, 2))
        return -1;
    return api->register_ports(ctx, CONSOLE_KIND, (uint16_t)port, 1, shout_port, s);
}

static void shout_fini(void *state) { free(state); }

MINIVM_PLUGIN_DEFINE("shout_console", "a console that upper-cases the program's output",
                     shout_init, shout_fini);
