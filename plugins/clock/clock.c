/*
 * Clock device (clock_abi.h): wall-clock and monotonic time for the guest.
 * With `start = 2024-01-01T00:00:00Z` (or seconds since the epoch) the wall
 * clock starts at that instant and runs at real speed, so programs that print
 * the time (`date -u`) print the same thing on every run.
 */
#include "clock/clock_abi.h"

#include "clock/instant.h"
#include "common/hc_port.h"
#include "common/plugin_config.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#define CLOCK_DEFAULT_ADDRESS 0xC0001000u

struct clock_device {
    struct plugin_host host;
    int64_t boot_monotonic_ns; /* host CLOCK_MONOTONIC when the VM started */
    bool fixed_start;
    int64_t start_realtime_ns; /* the configured instant, when fixed_start */
};

static int64_t host_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int clock_mmio(void *opaque, uint64_t offset, bool is_write, uint8_t size, uint64_t *value)
{
    struct clock_device *clock = opaque;
    if (is_write || size != 8)
        return -1;
    int64_t since_boot = host_ns(CLOCK_MONOTONIC) - clock->boot_monotonic_ns;
    switch (offset) {
    case CLOCK_REG_REALTIME_NS:
        *value = (uint64_t)(clock->fixed_start ? clock->start_realtime_ns + since_boot
                                               : host_ns(CLOCK_REALTIME));
        return 0;
    case CLOCK_REG_MONOTONIC_NS:
        *value = (uint64_t)since_boot;
        return 0;
    case CLOCK_REG_FLAGS:
        *value = clock->fixed_start ? CLOCK_FLAG_FIXED_START : 0;
        return 0;
    default:
        return -1;
    }
}

/* Reads the config and registers the window; on failure nothing refers to clock. */
static int clock_setup(struct clock_device *clock, minivm_plugin_ctx *ctx,
                       const struct minivm_host_api *api)
{
    if (plugin_host_init(&clock->host, ctx, api) != 0)
        return -1;
    uint32_t address;
    if (plugin_config_u32(&clock->host, "address", CLOCK_DEFAULT_ADDRESS, 0, UINT32_MAX, &address))
        return -1;
    if (address % CLOCK_WINDOW_SIZE)
        return api->config_error(ctx, "address", "0x%x is not 4 KiB aligned", address);
    int line = 0;
    const char *start = api->config_get(ctx, "start", &line);
    if (start) {
        if (instant_parse(start, &clock->start_realtime_ns) != 0)
            return api->config_error(ctx, "start",
                                     "\"%s\" is not an instant (2024-01-01T00:00:00Z or seconds "
                                     "since the epoch)",
                                     start);
        clock->fixed_start = true;
    }
    clock->boot_monotonic_ns = host_ns(CLOCK_MONOTONIC);
    /* clock_gettime is served by the vDSO, but falls back to the system call
     * when the host's clocksource has no vDSO support. */
    if (api->seccomp_allow(ctx, SYS_clock_gettime) != 0)
        return -1;
    return api->register_mmio(ctx, CLOCK_KIND, address, CLOCK_WINDOW_SIZE, clock_mmio, clock);
}

static int clock_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api, void **state)
{
    struct clock_device *clock = calloc(1, sizeof *clock);
    if (!clock)
        return -1;
    /* The core calls fini only after a successful init: free it here. */
    if (clock_setup(clock, ctx, api) != 0) {
        free(clock);
        return -1;
    }
    *state = clock;
    return 0;
}

static void clock_fini(void *state)
{
    free(state);
}

MINIVM_PLUGIN_DEFINE("clock", "wall-clock and monotonic time for the guest", clock_init,
                     clock_fini);
