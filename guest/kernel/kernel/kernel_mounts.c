#include "kernel/kernel_mounts.h"

#include "fs/sysfs.h"
#include "fs/tmpfs.h"
#include "kernel/log.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/procfs.h"

/* The filesystem types the kernel has, by the names mount(8) uses. */
struct fs_type {
    const char *name;
    int (*mount)(const char *point);
};

static const struct fs_type fs_types[] = {
    {"tmpfs", tmpfs_mount},
    {"proc", procfs_mount},
    {"sysfs", sysfs_mount},
};

struct kernel_mount {
    const char *point;
    const char *type;
};

static const struct kernel_mount default_mounts[] = {
    {"/proc", "proc"},
    {"/sys", "sysfs"},
    {"/tmp", "tmpfs"},
    {"/dev/shm", "tmpfs"},
};

static const struct fs_type *find_type(const char *name)
{
    for (unsigned i = 0; i < sizeof fs_types / sizeof fs_types[0]; i++) {
        if (strcmp(fs_types[i].name, name) == 0)
            return &fs_types[i];
    }
    return 0;
}

void kernel_mounts_init(void)
{
    for (unsigned i = 0; i < sizeof default_mounts / sizeof default_mounts[0]; i++) {
        const struct kernel_mount *km = &default_mounts[i];
        const struct fs_type *type = find_type(km->type);
        int err = type != 0 ? type->mount(km->point) : -ENODEV;
        if (err != 0)
            ktrace("%s at %s not mounted: error %d", km->type, km->point, err);
    }
}
