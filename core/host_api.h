/* The host API table handed to every plugin's init (minivm/plugin.h). */
#ifndef MINIVM_CORE_HOST_API_H
#define MINIVM_CORE_HOST_API_H

#include "minivm/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct minivm_host_api host_api;

/* Logs "minivm: <where>: plugin NAME: <message>" where <where> is the INI file
 * and line of `key` (or of the plugin's section when key is NULL or absent). */
void plugin_log_config_error(minivm_plugin_ctx *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
