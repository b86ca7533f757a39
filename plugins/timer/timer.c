/*
 * Timer device: the tick that lets the guest kernel preempt a task that never
 * makes a system call (timer_abi.h). The guest names a 32-bit "tick wanted"
 * word in its RAM and a vector once (TIMER_OP_SETUP); on every core tick
 * (register_tick, MINIVM_TICK_MS) the device reads the word and, when it is
 * nonzero, raises the vector through the host API. The core injects it once
 * the guest has interrupts enabled. The guest changes the word without an
 * exit, so the device reads it afresh on every tick.
 */
#include "timer/timer_abi.h"

#include "common/hc_port.h"
#include "common/plugin_config.h"

#include <errno.h>
#include <stdlib.h>

#define TIMER_DEFAULT_PORT 0x503
#define TIMER_VECTOR_MAX 255u

struct timer {
    struct plugin_host host;
    /* Set by the last good TIMER_OP_SETUP; NULL until then. The pointer stays
     * valid for the VM's life: guest RAM is one mapping that never moves. */
    const uint32_t *word;
    uint32_t vector;
};

/* Validates a SETUP block (the host copy) and, only if every field is good,
 * replaces what an earlier SETUP set: a bad one changes nothing. */
static int64_t timer_setup(struct timer *t, const struct timer_args *args)
{
    if (args->pad != 0 || args->vector < TIMER_VECTOR_MIN || args->vector > TIMER_VECTOR_MAX ||
        args->request_gpa % sizeof(uint32_t) != 0)
        return -EINVAL;
    const uint32_t *word =
        t->host.api->guest_ptr(t->host.ctx, args->request_gpa, sizeof(uint32_t));
    if (word == NULL)
        return -EINVAL;
    t->word = word;
    t->vector = args->vector;
    return (int64_t)MINIVM_TICK_MS * 1000; /* the tick period in µs */
}

static int timer_port(void *opaque, uint16_t port, bool is_write, uint8_t size,
                      uint32_t *value)
{
    (void)port;
    struct timer *t = opaque;
    struct timer_args args;
    if (hc_load_block(&t->host, "timer", is_write, size, *value, &args, sizeof args) != 0)
        return -1;
    int64_t result = args.hdr.op == TIMER_OP_SETUP ? timer_setup(t, &args) : -EINVAL;
    return hc_store_result(&t->host, *value, result);
}

/* The core's tick. The guest writes the word while it runs (no exit), so this
 * is a relaxed atomic load (aligned, so never torn); a value a moment old only
 * moves the interrupt by one tick. */
static void timer_tick(void *opaque)
{
    struct timer *t = opaque;
    if (t->word == NULL)
        return;
    if (__atomic_load_n(t->word, __ATOMIC_RELAXED) != 0)
        t->host.api->raise_interrupt(t->host.ctx, t->vector);
}

static int timer_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api, void **state)
{
    struct plugin_host host;
    if (plugin_host_init(&host, ctx, api) != 0)
        return -1;
    uint16_t port;
    if (plugin_config_port(&host, TIMER_DEFAULT_PORT, &port) != 0)
        return -1;
    struct timer *t = calloc(1, sizeof *t);
    if (t == NULL) {
        api->log(ctx, MINIVM_LOG_ERROR, "out of memory");
        return -1;
    }
    t->host = host;
    /* No seccomp grants: the tick reads guest RAM and calls the core, nothing more. */
    if (api->register_ports(ctx, TIMER_KIND, port, 1, timer_port, t) != 0 ||
        api->register_tick(ctx, timer_tick, t) != 0) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static void timer_fini(void *state)
{
    free(state);
}

MINIVM_PLUGIN_DEFINE("timer", "preemption ticks: raises the guest's vector every tick it asks",
                     timer_init, timer_fini);
