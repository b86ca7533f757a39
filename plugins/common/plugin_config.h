/* Reading a plugin's INI keys with errors that name the file and line. */
#ifndef MINIVM_PLUGINS_COMMON_PLUGIN_CONFIG_H
#define MINIVM_PLUGINS_COMMON_PLUGIN_CONFIG_H

#include "common/hc_port.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Reads unsigned integer key `key` (decimal, 0x hex or 0 octal) into *out, or
 * `fallback` when the key is absent. A value that is not a number or lies
 * outside [min, max] is reported through config_error; returns 0 or -1.
 */
int plugin_config_u32(const struct plugin_host *host, const char *key, uint32_t fallback,
                      uint32_t min, uint32_t max, uint32_t *out);

/* Reads boolean key `key` ("true"/"false", "yes"/"no", "1"/"0") into *out, or
 * `fallback` when absent; anything else is reported. 0 or -1. */
int plugin_config_bool(const struct plugin_host *host, const char *key, bool fallback, bool *out);

/* The `port` key every hypercall device has: 1..0xffff. */
int plugin_config_port(const struct plugin_host *host, uint16_t fallback, uint16_t *out);

#endif
