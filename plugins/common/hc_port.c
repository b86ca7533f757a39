#include "common/hc_port.h"

#include <minivm/hypercall.h>

int plugin_host_init(struct plugin_host *host, minivm_plugin_ctx *ctx,
                     const struct minivm_host_api *api)
{
    host->ctx = ctx;
    host->api = api;
    /* Without a usable table we cannot even log; the core sees the failure. */
    if (api == NULL || api->version != MINIVM_HOST_API_VERSION)
        return -1;
    if (api->size < sizeof(struct minivm_host_api)) {
        api->log(ctx, MINIVM_LOG_ERROR,
                 "host API table too small (%u bytes, plugin needs %zu)", api->size,
                 sizeof(struct minivm_host_api));
        return -1;
    }
    return 0;
}

int hc_load_block(const struct plugin_host *host, const char *device, bool is_write,
                  uint8_t size, uint32_t value, void *block, size_t block_size)
{
    if (!is_write || size != 4) {
        host->api->log(host->ctx, MINIVM_LOG_ERROR,
                       "%s port: %s of size %u; only a 32-bit OUT is a hypercall", device,
                       is_write ? "OUT" : "IN", (unsigned)size);
        return -1;
    }
    if (host->api->copy_from_guest(host->ctx, block, value, block_size) != 0) {
        host->api->log(host->ctx, MINIVM_LOG_ERROR,
                       "%s hypercall block at GPA 0x%x (%zu bytes) is not in guest RAM",
                       device, value, block_size);
        return -1;
    }
    return 0;
}

int hc_store_field(const struct plugin_host *host, uint64_t gpa, const void *block,
                   size_t offset, size_t len)
{
    /* The block was wholly in RAM when loaded and RAM does not shrink, so this
     * only fails on a core bug; report it rather than hide it. */
    if (host->api->copy_to_guest(host->ctx, gpa + offset, (const char *)block + offset, len) !=
        0) {
        host->api->log(host->ctx, MINIVM_LOG_ERROR,
                       "cannot write hypercall results back to GPA 0x%llx",
                       (unsigned long long)(gpa + offset));
        return -1;
    }
    return 0;
}

int hc_store_result(const struct plugin_host *host, uint64_t gpa, int64_t result)
{
    struct minivm_hc_header hdr = {.result = result};
    return hc_store_field(host, gpa, &hdr, offsetof(struct minivm_hc_header, result),
                          sizeof hdr.result);
}
