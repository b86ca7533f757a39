/*
 * Loads the plugins a config declares: dlopen, descriptor lookup, ABI check,
 * init with the host API and the plugin's INI section, unknown-key check.
 * Every failure names the .so file, the INI file and line, and the cause.
 */
#ifndef MINIVM_CORE_PLUGIN_LOADER_H
#define MINIVM_CORE_PLUGIN_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "minivm/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vmm;

/* What the core knows about one loaded plugin; the SDK's minivm_plugin_ctx. */
struct minivm_plugin_ctx {
    struct vmm *vmm;
    struct plugin_config *config;
    char *file;  /* resolved .so path */
    void *handle;
    const struct minivm_plugin_descriptor *descriptor;
    void *state;
    bool initialised;
};

#define PLUGIN_MAX 32

struct plugin_set {
    size_t count;
    struct minivm_plugin_ctx plugins[PLUGIN_MAX];
};

/* Loads and initialises every plugin of vmm->config in order. 0, or -1 after
 * logging; on failure the plugins already loaded stay in the set for
 * plugin_set_unload to finalise. */
int plugin_set_load(struct vmm *vmm);
/* Calls fini of every initialised plugin, in reverse order, once. */
void plugin_set_finish(struct plugin_set *set);
/* plugin_set_finish, then dlclose and forget them (not under seccomp). */
void plugin_set_unload(struct plugin_set *set);

/* The .so file a plugin section names: a bundled plugin name, or a path
 * (relative paths from the INI file's directory). Caller frees. */
char *plugin_resolve_path(const struct plugin_config *plugin, const char *config_dir);

#ifdef __cplusplus
}
#endif

#endif
