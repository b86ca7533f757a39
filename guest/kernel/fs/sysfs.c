#include "fs/sysfs.h"

#include "fs/file.h"
#include "fs/gen_file.h"
#include "fs/mount.h"
#include "fs/object_io.h"
#include "fs/path.h"
#include "kernel/clock.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SYSFS_DEV 0x15 /* st_dev: an anonymous device (0:21), as Linux's sysfs has */
#define W_OK 2

/* The whole tree: directories have no contents. Parents come before their
 * children (a listing is every entry whose parent is the directory). */
struct sysfs_entry {
    const char *path;
    const char *contents; /* NULL: a directory */
};

static const struct sysfs_entry entries[] = {
    {"/", 0},
    {"/block", 0},
    {"/bus", 0},
    {"/class", 0},
    {"/dev", 0},
    {"/devices", 0},
    {"/devices/system", 0},
    {"/devices/system/cpu", 0},
    {"/devices/system/cpu/cpu0", 0},
    {"/devices/system/cpu/online", "0\n"},
    {"/devices/system/cpu/possible", "0\n"},
    {"/devices/system/cpu/present", "0\n"},
    {"/firmware", 0},
    {"/fs", 0},
    {"/kernel", 0},
    {"/module", 0},
    {"/power", 0},
};
#define ENTRY_COUNT (sizeof entries / sizeof entries[0])

static int64_t mounted_at_sec;

static uint32_t entry_mode(const struct sysfs_entry *e)
{
    return e->contents == 0 ? S_IFDIR | 0555 : S_IFREG | 0444;
}

static void entry_stat(const struct sysfs_entry *e, struct fileio_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = SYSFS_DEV;
    st->ino = (uint64_t)(e - entries) + 1;
    st->nlink = e->contents == 0 ? 2 : 1;
    st->mode = entry_mode(e);
    st->size = e->contents == 0 ? 0 : 4096; /* sysfs reports a page for attributes */
    st->blksize = 4096;
    st->atime_sec = st->mtime_sec = st->ctime_sec = mounted_at_sec;
}

/* The entry `path` names (normalized first): 0 and *out, or -errno. */
static int lookup(const char *path, const struct sysfs_entry **out)
{
    static char name[FILEIO_PATH_MAX]; /* one CPU, nothing here sleeps */
    int err = path_normalize("/", path, name, sizeof name);
    if (err != 0)
        return err;
    for (uint64_t i = 0; i < ENTRY_COUNT; i++) {
        if (strcmp(entries[i].path, name) == 0) {
            uint64_t len = strlen(path);
            /* "file/" or "file/.": only a directory may be named so. */
            if (entries[i].contents != 0 && len > 0 && (path[len - 1] == '/' || path[len - 1] == '.'))
                return -ENOTDIR;
            *out = &entries[i];
            return 0;
        }
    }
    /* Below a file: ENOTDIR, as a walk through it would find. */
    for (uint64_t i = 0; i < ENTRY_COUNT; i++) {
        uint64_t n = strlen(entries[i].path);
        if (entries[i].contents != 0 && strncmp(entries[i].path, name, n) == 0 && name[n] == '/')
            return -ENOTDIR;
    }
    return -ENOENT;
}

/* The entry directly inside `dir` that `e` is, or false. */
static bool is_child(const struct sysfs_entry *dir, const struct sysfs_entry *e)
{
    uint64_t n = strlen(dir->path);
    const char *rest = e->path + (n == 1 ? 0 : n);
    if (e == dir || (n > 1 && (strncmp(e->path, dir->path, n) != 0)) || rest[0] != '/')
        return false;
    return rest[1] != 0 && memchr(rest + 1, '/', strlen(rest + 1)) == 0;
}

static int fill(void *owner, struct text *t)
{
    const struct sysfs_entry *e = owner;
    if (e->contents != 0) {
        text_puts(t, e->contents);
        return 0;
    }
    gen_dir_add(t, (uint64_t)(e - entries) + 1, DT_DIR, ".");
    gen_dir_add(t, 1, DT_DIR, "..");
    for (uint64_t i = 0; i < ENTRY_COUNT; i++) {
        if (!is_child(e, &entries[i]))
            continue;
        const char *base = entries[i].path + strlen(e->path) + (e->path[1] != 0);
        gen_dir_add(t, i + 1, entries[i].contents == 0 ? DT_DIR : DT_REG, base);
    }
    return 0;
}

static void keep_static(void *owner)
{
    (void)owner; /* a table entry: nothing to free */
}

static const struct gen_ops sysfs_gen = {.fill = fill, .release = keep_static};

static int sysfs_open(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                      uint32_t mode, struct file **out)
{
    (void)m, (void)resolve, (void)mode;
    const struct sysfs_entry *e;
    int err = lookup(path, &e);
    if (err == -ENOENT && (flags & O_CREAT))
        return -EACCES;
    if (err != 0)
        return err;
    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
        return -EEXIST;
    bool dir = e->contents == 0;
    if (!dir && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return dir ? -EISDIR : -EACCES;
    struct fileio_stat st;
    entry_stat(e, &st);
    return gen_file_open(&sysfs_gen, (void *)e, &st, flags | O_LARGEFILE, out);
}

static int sysfs_stat(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                      struct fileio_stat *st)
{
    (void)m, (void)resolve, (void)flags;
    const struct sysfs_entry *e;
    int err = lookup(path, &e);
    if (err == 0)
        entry_stat(e, st);
    return err;
}

static int sysfs_access(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode,
                        uint32_t flags)
{
    (void)m, (void)resolve, (void)flags;
    const struct sysfs_entry *e;
    int err = lookup(path, &e);
    if (err != 0)
        return err;
    return (entry_mode(e) & mode & 7) == (mode & 7) ? 0 : -EACCES; /* "other" bits: not root */
}

static int64_t sysfs_readlink(const struct mount *m, const char *path, uint32_t resolve,
                              char *buf, uint64_t size)
{
    (void)m, (void)resolve, (void)buf, (void)size;
    const struct sysfs_entry *e;
    int err = lookup(path, &e);
    return err != 0 ? err : -EINVAL;
}

static const struct mount_ops sysfs_ops = {
    .type = "sysfs",
    .magic = 0x62656572, /* SYSFS_MAGIC */
    .open = sysfs_open,
    .stat = sysfs_stat,
    .access = sysfs_access,
    .readlink = sysfs_readlink,
};

int sysfs_mount(const char *point)
{
    mounted_at_sec = (int64_t)(clock_realtime_ns() / 1000000000u);
    return mount_add(point, &sysfs_ops, 0, false);
}
