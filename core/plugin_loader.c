#include "core/plugin_loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/host_api.h"
#include "core/log.h"
#include "core/resource_paths.h"
#include "core/vmm.h"

/* "console" names a bundled plugin; "./x.so", "/a/x.so" and "x.so" name files. */
static bool is_bundled_name(const char *path)
{
    size_t len = strlen(path);
    return !strchr(path, '/') && !(len > 3 && strcmp(path + len - 3, ".so") == 0);
}

char *plugin_resolve_path(const struct plugin_config *plugin, const char *config_dir)
{
    if (is_bundled_name(plugin->path))
        return bundled_plugin_path(plugin->path);
    if (plugin->path[0] == '/' || !config_dir)
        return strdup(plugin->path);
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", config_dir, plugin->path);
    if (n < 0 || (size_t)n >= sizeof path)
        return NULL;
    return strdup(path);
}

/* Loads one plugin up to (not including) init. 0 or -1 (logged). */
static int plugin_open(minivm_plugin_ctx *ctx, const char *config_dir)
{
    const struct plugin_config *config = ctx->config;
    ctx->file = plugin_resolve_path(config, config_dir);
    if (!ctx->file) {
        if (is_bundled_name(config->path))
            plugin_log_config_error(ctx, NULL,
                                    "no bundled plugin named '%s' (looked beside the minivm "
                                    "binary, in its runfiles, and in $MINIVM_PLUGIN_DIR)",
                                    config->path);
        else
            plugin_log_config_error(ctx, NULL, "path '%s' is too long", config->path);
        return -1;
    }
    /* RTLD_LOCAL: plugins cannot see or clash with each other's symbols. */
    ctx->handle = dlopen(ctx->file, RTLD_NOW | RTLD_LOCAL);
    if (!ctx->handle) {
        plugin_log_config_error(ctx, NULL, "cannot load %s: %s", ctx->file, dlerror());
        return -1;
    }
    ctx->descriptor = dlsym(ctx->handle, MINIVM_PLUGIN_DESCRIPTOR_SYMBOL);
    if (!ctx->descriptor) {
        plugin_log_config_error(ctx, NULL, "%s is not a minivm plugin (no symbol %s)", ctx->file,
                                MINIVM_PLUGIN_DESCRIPTOR_SYMBOL);
        return -1;
    }
    if (ctx->descriptor->abi_version != MINIVM_PLUGIN_ABI_VERSION) {
        plugin_log_config_error(ctx, NULL,
                                "%s was built for plugin ABI version %u, this minivm supports "
                                "version %u (rebuild the plugin)",
                                ctx->file, ctx->descriptor->abi_version,
                                MINIVM_PLUGIN_ABI_VERSION);
        return -1;
    }
    if (!ctx->descriptor->init) {
        plugin_log_config_error(ctx, NULL, "%s has no init function", ctx->file);
        return -1;
    }
    return 0;
}

static int check_unknown_keys(minivm_plugin_ctx *ctx)
{
    int rc = 0;
    for (size_t i = 0; i < ctx->config->entry_count; i++) {
        const struct config_entry *entry = &ctx->config->entries[i];
        if (!entry->used) {
            plugin_log_config_error(ctx, entry->key, "unknown key for this plugin");
            rc = -1;
        }
    }
    return rc;
}

int plugin_set_load(struct vmm *vmm)
{
    struct plugin_set *set = &vmm->plugins;
    const struct vm_config *config = vmm->config;
    if (config->plugin_count > PLUGIN_MAX) {
        log_error("%s: too many plugins (at most %d)", config->source, PLUGIN_MAX);
        return -1;
    }
    for (size_t i = 0; i < config->plugin_count; i++) {
        minivm_plugin_ctx *ctx = &set->plugins[set->count++];
        memset(ctx, 0, sizeof *ctx);
        ctx->vmm = vmm;
        ctx->config = &config->plugins[i];
        if (plugin_open(ctx, config->source_dir))
            return -1;
        if (ctx->descriptor->init(ctx, &host_api, &ctx->state) != 0) {
            plugin_log_config_error(ctx, NULL, "%s: initialisation failed", ctx->file);
            /* Its registrations point into a plugin that is going away. */
            return -1;
        }
        ctx->initialised = true;
        if (check_unknown_keys(ctx))
            return -1;
    }
    return 0;
}

void plugin_set_finish(struct plugin_set *set)
{
    for (size_t i = set->count; i-- > 0;) {
        minivm_plugin_ctx *ctx = &set->plugins[i];
        if (ctx->initialised && ctx->descriptor->fini)
            ctx->descriptor->fini(ctx->state);
        ctx->initialised = false;
    }
}

void plugin_set_unload(struct plugin_set *set)
{
    plugin_set_finish(set);
    for (size_t i = set->count; i-- > 0;) {
        minivm_plugin_ctx *ctx = &set->plugins[i];
        if (ctx->handle)
            dlclose(ctx->handle);
        free(ctx->file);
        memset(ctx, 0, sizeof *ctx);
    }
    set->count = 0;
}
