#include "common/plugin_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int plugin_config_u32(const struct plugin_host *host, const char *key, uint32_t fallback,
                      uint32_t min, uint32_t max, uint32_t *out)
{
    int line = 0;
    const char *text = host->api->config_get(host->ctx, key, &line);
    if (text == NULL) {
        *out = fallback;
        return 0;
    }
    /* strtoull alone would accept " 12", "-1" (wrapped) and "" as numbers. */
    if (!isdigit((unsigned char)text[0]))
        return host->api->config_error(host->ctx, key, "not a number: \"%s\"", text);
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0')
        return host->api->config_error(host->ctx, key, "not a number: \"%s\"", text);
    if (v < min || v > max)
        return host->api->config_error(host->ctx, key, "%s is out of range %u..%u", text, min,
                                       max);
    *out = (uint32_t)v;
    return 0;
}

int plugin_config_bool(const struct plugin_host *host, const char *key, bool fallback, bool *out)
{
    int line = 0;
    const char *text = host->api->config_get(host->ctx, key, &line);
    if (text == NULL) {
        *out = fallback;
        return 0;
    }
    if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0 || strcmp(text, "1") == 0) {
        *out = true;
        return 0;
    }
    if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0 || strcmp(text, "0") == 0) {
        *out = false;
        return 0;
    }
    return host->api->config_error(host->ctx, key, "not true or false: \"%s\"", text);
}

int plugin_config_port(const struct plugin_host *host, uint16_t fallback, uint16_t *out)
{
    uint32_t port;
    if (plugin_config_u32(host, "port", fallback, 1, 0xffff, &port) != 0)
        return -1;
    *out = (uint16_t)port;
    return 0;
}
