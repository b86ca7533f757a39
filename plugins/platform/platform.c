/*
 * Platform device: how the guest kernel ends the run (program exit, death by
 * signal, kernel panic) and reports trace lines. Guest text is untrusted and
 * goes through sanitize_text before it reaches the host's terminal.
 */
#include "platform/platform_abi.h"

#include "common/hc_port.h"
#include "common/plugin_config.h"
#include "common/seccomp_grants.h"
#include "sanitize.h"
#include "signal_name.h"
#include "strace_output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PLATFORM_DEFAULT_PORT 0x500
#define PANIC_STATUS 125
#define PANIC_PREFIX "guest kernel panic: "
#define TRACE_PREFIX "trace: "
#define CRASH_PREFIX "crash: "

struct platform {
    struct plugin_host host;
    bool trace;
    struct strace_output strace;
    /* Message buffers live here rather than on the vCPU thread's stack. */
    unsigned char raw[PLATFORM_MESSAGE_MAX];
    char text[PLATFORM_MESSAGE_MAX + 1];
    char line[sizeof("minivm: ") + sizeof(PANIC_PREFIX) + PLATFORM_MESSAGE_MAX + 1];
};

/* Copies the guest's message (cut at PLATFORM_MESSAGE_MAX) and sanitizes it
 * into p->text. 0, or -EFAULT if the bytes are not in guest RAM. */
static int load_message(struct platform *p, const struct platform_args *args)
{
    uint64_t len = args->msg_len < PLATFORM_MESSAGE_MAX ? args->msg_len : PLATFORM_MESSAGE_MAX;
    if (p->host.api->copy_from_guest(p->host.ctx, p->raw, args->msg_gpa, len) != 0) {
        p->text[0] = '\0';
        return -EFAULT;
    }
    sanitize_text(p->raw, (size_t)len, p->text, sizeof p->text);
    return 0;
}

/* Prints "minivm: <prefix><line>" to stderr with one write when possible, so
 * lines from other writers do not interleave inside it. */
static void print_line(struct platform *p, const char *prefix, const char *line, size_t len)
{
    int n = snprintf(p->line, sizeof p->line, "minivm: %s%.*s\n", prefix, (int)len, line);
    if (n < 0)
        return;
    size_t left = (size_t)n < sizeof p->line ? (size_t)n : sizeof p->line - 1;
    const char *s = p->line;
    while (left > 0) {
        ssize_t w = write(STDERR_FILENO, s, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* stderr is gone; nothing better to do with a diagnostic */
        s += w;
        left -= (size_t)w;
    }
}

/* Calls print_line for each line of p->text but the last, which it returns
 * (p->text always holds at least one line when non-empty). */
static const char *print_all_but_last(struct platform *p, const char *prefix)
{
    const char *line = p->text;
    const char *nl;
    while ((nl = strchr(line, '\n')) != NULL) {
        print_line(p, prefix, line, (size_t)(nl - line));
        line = nl + 1;
    }
    return line;
}

/* The guest's crash report (optional: msg_len 0 for none), one
 * "minivm: crash: ..." line each, before the death message. An unreadable
 * report is left out: the death itself is what matters. */
static void print_crash_report(struct platform *p, const struct platform_args *args)
{
    if (args->msg_len == 0 || load_message(p, args) != 0 || p->text[0] == '\0')
        return;
    const char *last = print_all_but_last(p, CRASH_PREFIX);
    print_line(p, CRASH_PREFIX, last, strlen(last));
}

static int64_t do_signal_death(struct platform *p, const struct platform_args *args)
{
    if (args->signo < 1 || args->signo > 64)
        return -EINVAL;
    print_crash_report(p, args);
    char name[16];
    signal_name(args->signo, name, sizeof name);
    char msg[192];
    if (args->cause == PLATFORM_DEATH_OUT_OF_MEMORY) {
        const char *memory = p->host.api->vm_setting(p->host.ctx, "memory");
        unsigned long long mib = memory != NULL ? strtoull(memory, NULL, 10) >> 20 : 0;
        snprintf(msg, sizeof msg,
                 "program killed by %s (signal %d): the guest ran out of memory (%llu MiB; "
                 "raise --memory) at rip 0x%llx",
                 name, args->signo, mib, (unsigned long long)args->rip);
    } else {
        snprintf(msg, sizeof msg, "program killed by %s (signal %d) at rip 0x%llx address 0x%llx",
                 name, args->signo, (unsigned long long)args->rip,
                 (unsigned long long)args->addr);
    }
    p->host.api->request_exit(p->host.ctx, 128 + args->signo, msg);
    return 0;
}

/* A panic ends the VM even when the message is unreadable. Lines before the
 * last are printed now; the last is the exit message, printed by the core
 * after them, so the panic reads in order. */
static int64_t do_panic(struct platform *p, const struct platform_args *args)
{
    int err = load_message(p, args);
    const char *last = err != 0        ? "(message not in guest RAM)"
                       : p->text[0] == '\0' ? "(no message)"
                                            : print_all_but_last(p, PANIC_PREFIX);
    snprintf(p->line, sizeof p->line, PANIC_PREFIX "%s", last);
    p->host.api->request_exit(p->host.ctx, PANIC_STATUS, p->line);
    return err;
}

static int64_t do_trace(struct platform *p, const struct platform_args *args)
{
    if (!p->trace)
        return 0;
    int err = load_message(p, args);
    if (err != 0)
        return err;
    if (p->text[0] == '\0')
        return 0;
    const char *last = print_all_but_last(p, TRACE_PREFIX);
    print_line(p, TRACE_PREFIX, last, strlen(last));
    return 0;
}

/* The guest has nothing to run until a deadline: give the CPU back. Raw
 * syscall, so the seccomp grant names exactly what runs. The core's tick
 * signal interrupts it every few milliseconds: the sleep goes on for the
 * time left (the guest flushed its console before asking, and wants no
 * timer ticks while idle), so an idle VM does not re-enter the guest 100
 * times a second; only a run that must end (--timeout) cuts it short. */
static int64_t do_sleep(struct platform *p, const struct platform_args *args)
{
    uint64_t ns = args->sleep_ns < PLATFORM_SLEEP_MAX_NS ? args->sleep_ns : PLATFORM_SLEEP_MAX_NS;
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull),
                          .tv_nsec = (long)(ns % 1000000000ull)};
    while (syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &ts) != 0) {
        if (errno != EINTR || p->host.api->run_must_stop(p->host.ctx))
            return -errno;
    }
    return 0;
}

static int platform_port(void *opaque, uint16_t port, bool is_write, uint8_t size,
                         uint32_t *value)
{
    (void)port;
    struct platform *p = opaque;
    struct platform_args args;
    if (hc_load_block(&p->host, "platform", is_write, size, *value, &args, sizeof args) != 0)
        return -1;

    int64_t result;
    switch (args.hdr.op) {
    case PLATFORM_OP_EXIT:
        p->host.api->request_exit(p->host.ctx, args.status & 0xff, NULL);
        result = 0;
        break;
    case PLATFORM_OP_SIGNAL_DEATH:
        result = do_signal_death(p, &args);
        break;
    case PLATFORM_OP_PANIC:
        result = do_panic(p, &args);
        break;
    case PLATFORM_OP_TRACE:
        result = do_trace(p, &args);
        break;
    case PLATFORM_OP_SLEEP:
        result = do_sleep(p, &args);
        break;
    case PLATFORM_OP_STRACE:
        result = strace_output_write(&p->strace, &p->host, args.msg_gpa, args.msg_len);
        break;
    default:
        result = -EINVAL;
        break;
    }
    return hc_store_result(&p->host, *value, result);
}

static int platform_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api,
                         void **state)
{
    struct plugin_host host;
    if (plugin_host_init(&host, ctx, api) != 0)
        return -1;
    uint16_t port;
    if (plugin_config_port(&host, PLATFORM_DEFAULT_PORT, &port) != 0)
        return -1;
    static const struct seccomp_grant grants[] = {
        {SYS_write, 0, STDERR_FILENO},
        {SYS_clock_nanosleep, 0, CLOCK_MONOTONIC}, /* PLATFORM_OP_SLEEP */
    };
    if (plugin_seccomp_allow(&host, grants, sizeof grants / sizeof grants[0]) != 0)
        return -1;

    struct platform *p = calloc(1, sizeof *p);
    if (p == NULL) {
        api->log(ctx, MINIVM_LOG_ERROR, "out of memory");
        return -1;
    }
    p->host = host;
    const char *trace = api->vm_setting(ctx, "trace");
    p->trace = trace != NULL && strcmp(trace, "1") == 0;
    if (strace_output_init(&p->strace, &host) != 0) {
        free(p);
        return -1;
    }
    if (api->register_ports(ctx, PLATFORM_KIND, port, 1, platform_port, p) != 0) {
        strace_output_close(&p->strace);
        free(p);
        return -1;
    }
    *state = p;
    return 0;
}

static void platform_fini(void *state)
{
    struct platform *p = state;
    strace_output_close(&p->strace);
    free(p);
}

MINIVM_PLUGIN_DEFINE("platform",
                     "program exit, signal death, guest kernel panic, trace and --strace lines",
                     platform_init, platform_fini);
