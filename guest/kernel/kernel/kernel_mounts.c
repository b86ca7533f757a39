#include "kernel/kernel_mounts.h"

#include "fs/sysfs.h"
#include "fs/tmpfs.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
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

/* Always there; the tmpfs mounts are the VMM's choice (boot info: --tmpfs). */
static const struct kernel_mount default_mounts[] = {
    {"/proc", "proc"},
    {"/sys", "sysfs"},
};

static const struct fs_type *find_type(const char *name)
{
    for (unsigned i = 0; i < sizeof fs_types / sizeof fs_types[0]; i++) {
        if (strcmp(fs_types[i].name, name) == 0)
            return &fs_types[i];
    }
    return 0;
}

static void mount_one(const char *point, const char *type_name)
{
    const struct fs_type *type = find_type(type_name);
    int err = type != 0 ? type->mount(point) : -ENODEV;
    if (err != 0)
        ktrace("%s at %s not mounted: error %d", type_name, point, err);
}

void kernel_mounts_init(void)
{
    for (unsigned i = 0; i < sizeof default_mounts / sizeof default_mounts[0]; i++)
        mount_one(default_mounts[i].point, default_mounts[i].type);
    /* NUL-terminated paths back to back; the last byte is a NUL (checked). */
    const struct minivm_boot_info *bi = boot_info();
    const char *list = phys_to_virt(bi->tmpfs_gpa);
    for (uint64_t at = 0; at < bi->tmpfs_size; at += strlen(list + at) + 1)
        mount_one(list + at, "tmpfs");
}
