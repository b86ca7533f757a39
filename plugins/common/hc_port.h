/*
 * The shape every hypercall device shares (minivm/hypercall.h): the guest does
 * one 32-bit OUT whose value is the GPA of an argument block; the plugin copies
 * the block once, acts, and writes results back into it.
 */
#ifndef MINIVM_PLUGINS_COMMON_HC_PORT_H
#define MINIVM_PLUGINS_COMMON_HC_PORT_H

#include <minivm/plugin.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a plugin needs to call back into the core; kept in its state. */
struct plugin_host {
    minivm_plugin_ctx *ctx;
    const struct minivm_host_api *api;
};

/*
 * Checks the host API table is one this plugin was built against (version and
 * a size that covers every entry we call). Logs and returns -1 if not.
 */
int plugin_host_init(struct plugin_host *host, minivm_plugin_ctx *ctx,
                     const struct minivm_host_api *api);

/*
 * Accepts only a 32-bit OUT (anything else is a malformed access the core must
 * fail closed on) and copies the argument block at GPA `value` into `block`.
 * Returns 0, or -1 after logging why; the port handler then returns non-zero.
 * A block that is not wholly in guest RAM also fails closed: there is nowhere
 * to write a result the guest could read.
 */
int hc_load_block(const struct plugin_host *host, const char *device, bool is_write,
                  uint8_t size, uint32_t value, void *block, size_t block_size);

/*
 * Writes `len` bytes of the host copy of a block back to the same offset of
 * the guest's block at `gpa` (results and output fields only; the guest's
 * input fields are never rewritten). 0, or -1 after logging.
 */
int hc_store_field(const struct plugin_host *host, uint64_t gpa, const void *block,
                   size_t offset, size_t len);

/* hc_store_field for the header's `result`, the one field every op writes. */
int hc_store_result(const struct plugin_host *host, uint64_t gpa, int64_t result);

#endif
