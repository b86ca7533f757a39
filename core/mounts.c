#include "core/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"

const char *const host_library_dirs[] = {"/lib", "/lib64", "/usr/lib", "/usr/lib64", NULL};

/* The root holds `path` (resolved inside it, as the guest will). */
static bool root_holds(const char *root, const char *path)
{
    int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return false;
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
    long fd = syscall(SYS_openat2, root_fd, path + strspn(path, "/"), &how, sizeof how);
    close(root_fd);
    if (fd < 0)
        return false;
    close((int)fd);
    return true;
}

static bool is_host_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool mounted(const struct vm_config *config, const char *guest)
{
    for (size_t i = 0; i < config->mount_count; i++) {
        if (strcmp(config->mounts[i].guest, guest) == 0)
            return true;
    }
    return false;
}

/* Adds HOST:HOST read-only unless the host lacks it or it is mounted. */
static int add_library_dir(struct vm_config *config, const char *dir)
{
    if (!is_host_directory(dir) || mounted(config, dir))
        return 0;
    char spec[4200], why[512];
    snprintf(spec, sizeof spec, "%s:%s:ro", dir, dir);
    if (config_add_mount(config, spec, "host libraries", why, sizeof why)) {
        log_error("host libraries: %s", why);
        return -1;
    }
    return 0;
}

int mounts_add_host_libraries(struct vm_config *config, const char *interp)
{
    if (interp == NULL || !config->host_libraries || root_holds(config->root, interp))
        return 0;
    char interp_dir[4096];
    snprintf(interp_dir, sizeof interp_dir, "%s", interp);
    char *slash = strrchr(interp_dir, '/');
    if (slash != NULL && slash != interp_dir)
        *slash = '\0';
    int rc = add_library_dir(config, interp_dir);
    for (size_t i = 0; rc == 0 && host_library_dirs[i] != NULL; i++)
        rc = add_library_dir(config, host_library_dirs[i]);
    log_trace("%s is not in the root: the host's library directories are shown read-only",
              interp);
    return rc;
}

static void add_entry(struct plugin_config *plugin, const char *key, const char *value)
{
    plugin->entries[plugin->entry_count++] = (struct config_entry){
        .key = strdup(key), .value = strdup(value), .line = 0, .used = false};
}

int mounts_add_plugins(struct vm_config *config)
{
    for (size_t i = 0; i < config->mount_count; i++) {
        const struct vm_mount *m = &config->mounts[i];
        if (!is_host_directory(m->host)) {
            log_error("%s: mount %s:%s: %s is not a host directory%s", m->origin, m->host,
                      m->guest, m->host, errno == ENOENT ? " (it does not exist)" : "");
            return -1;
        }
        struct plugin_config *plugins =
            reallocarray(config->plugins, config->plugin_count + 1, sizeof *plugins);
        if (plugins == NULL) {
            log_error("out of memory");
            return -1;
        }
        config->plugins = plugins;
        struct plugin_config *plugin = &plugins[config->plugin_count++];
        char name[32], port[16];
        snprintf(name, sizeof name, "mount-%zu", i + 1);
        snprintf(port, sizeof port, "%#x", MOUNT_PORT_BASE + (unsigned)i);
        *plugin = (struct plugin_config){
            .name = strdup(name),
            .path = strdup("fileio"),
            .source = strdup(m->origin),
            .line = 0,
            .entries = calloc(4, sizeof *plugin->entries),
        };
        if (plugin->entries == NULL) {
            log_error("out of memory");
            return -1;
        }
        add_entry(plugin, "root", m->host);
        add_entry(plugin, "at", m->guest);
        add_entry(plugin, "rw", m->rw ? "true" : "false");
        add_entry(plugin, "port", port);
    }
    return 0;
}
