#include "core/resource_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int exists(const char *path) { return access(path, R_OK) == 0; }

static char *try_candidate(const char *dir, const char *name)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s/%s.so", dir, name, name);
    if (n > 0 && (size_t)n < sizeof path && exists(path))
        return strdup(path);
    return NULL;
}

char *bundled_plugin_path(const char *name)
{
    const char *override = getenv("MINIVM_PLUGIN_DIR");
    if (override && *override)
        return try_candidate(override, name);

    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    char dir[PATH_MAX];
    char *result = NULL;
    /* Beside the binary: <dir>/plugins/NAME/NAME.so */
    char *slash = strrchr(exe, '/');
    if (slash) {
        int n = snprintf(dir, sizeof dir, "%.*s/plugins", (int)(slash - exe), exe);
        if (n > 0 && (size_t)n < sizeof dir)
            result = try_candidate(dir, name);
    }
    /* In Bazel runfiles: <exe>.runfiles/minivm/plugins/NAME/NAME.so */
    if (!result) {
        int n = snprintf(dir, sizeof dir, "%s.runfiles/minivm/plugins", exe);
        if (n > 0 && (size_t)n < sizeof dir)
            result = try_candidate(dir, name);
    }
    return result;
}
