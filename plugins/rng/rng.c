/*
 * Random-number device (rng_abi.h): random bytes for the guest's getrandom and
 * AT_RANDOM, from the host's getrandom, or — with `seed = N` — from a
 * deterministic generator so a run can be reproduced byte for byte.
 */
#include "rng/rng_abi.h"

#include "common/hc_port.h"
#include "common/plugin_config.h"
#include "rng/byte_source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#define RNG_DEFAULT_ADDRESS 0xC0000000u

struct rng {
    struct plugin_host host;
    struct byte_source source;
    uint64_t fill_gpa;
    uint64_t last_fill;
};

static int rng_fill(struct rng *rng, uint64_t len)
{
    rng->last_fill = 0;
    if (len == 0 || len > RNG_FILL_MAX)
        return -1; /* a malformed request: fail closed */
    void *dst = rng->host.api->guest_ptr(rng->host.ctx, rng->fill_gpa, len);
    if (dst == NULL)
        return 0; /* the guest reads back 0 bytes filled */
    if (byte_source_read(&rng->source, dst, len) != 0)
        return -1;
    rng->last_fill = len;
    return 0;
}

static int rng_mmio(void *opaque, uint64_t offset, bool is_write, uint8_t size, uint64_t *value)
{
    struct rng *rng = opaque;
    switch (offset) {
    case RNG_REG_DATA:
        if (is_write)
            return -1;
        *value = 0;
        return byte_source_read(&rng->source, value, size);
    case RNG_REG_FLAGS:
        if (is_write || size != 4)
            return -1;
        *value = rng->source.deterministic ? RNG_FLAG_DETERMINISTIC : 0;
        return 0;
    case RNG_REG_FILL_GPA:
        if (!is_write || size != 8)
            return -1;
        rng->fill_gpa = *value;
        return 0;
    case RNG_REG_FILL_LEN:
        if (size != 8)
            return -1;
        if (!is_write) {
            *value = rng->last_fill;
            return 0;
        }
        return rng_fill(rng, *value);
    default:
        return -1;
    }
}

static int rng_read_seed(struct rng *rng, bool *seeded, uint64_t *seed)
{
    int line = 0;
    const char *text = rng->host.api->config_get(rng->host.ctx, "seed", &line);
    *seeded = text != NULL;
    if (!text)
        return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (text[0] < '0' || text[0] > '9' || errno || *end != '\0')
        return rng->host.api->config_error(rng->host.ctx, "seed",
                                           "not a non-negative integer: \"%s\"", text);
    *seed = v;
    return 0;
}

/* Reads the config and registers the window; on failure nothing refers to rng. */
static int rng_setup(struct rng *rng, minivm_plugin_ctx *ctx, const struct minivm_host_api *api)
{
    if (plugin_host_init(&rng->host, ctx, api) != 0)
        return -1;
    uint32_t address;
    bool seeded;
    uint64_t seed = 0;
    if (plugin_config_u32(&rng->host, "address", RNG_DEFAULT_ADDRESS, 0, UINT32_MAX, &address) ||
        rng_read_seed(rng, &seeded, &seed))
        return -1;
    if (address % RNG_WINDOW_SIZE)
        return api->config_error(ctx, "address", "0x%x is not 4 KiB aligned", address);
    if (seeded)
        byte_source_init_seeded(&rng->source, seed);
    else
        byte_source_init_host(&rng->source);
    if (!seeded && api->seccomp_allow(ctx, SYS_getrandom) != 0)
        return -1;
    return api->register_mmio(ctx, RNG_KIND, address, RNG_WINDOW_SIZE, rng_mmio, rng);
}

static int rng_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api, void **state)
{
    struct rng *rng = calloc(1, sizeof *rng);
    if (!rng)
        return -1;
    /* The core calls fini only after a successful init: free it here. */
    if (rng_setup(rng, ctx, api) != 0) {
        free(rng);
        return -1;
    }
    *state = rng;
    return 0;
}

static void rng_fini(void *state)
{
    free(state);
}

MINIVM_PLUGIN_DEFINE("rng", "random bytes for the guest (host getrandom, or seeded)", rng_init,
                     rng_fini);
