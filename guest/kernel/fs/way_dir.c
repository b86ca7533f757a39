#include "fs/way_dir.h"

#include "fs/devnodes.h"
#include "fs/file.h"
#include "fs/gen_file.h"
#include "fs/mount.h"
#include "fs/object_io.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"

/* Inode numbers of these directories: far from what filesystems hand out. */
#define WAY_DIR_INO_BASE 0x7f000000u

int way_dir_find(const char *path, bool follow_last, char *out)
{
    if (vfs_walk(path, follow_last, out, FILEIO_PATH_MAX) != 0)
        return -ENOENT;
    uint64_t len = strlen(out);
    if (len > 1 && out[len - 1] == '/')
        out[len - 1] = 0;
    return mount_beneath(out) ? 0 : -ENOENT;
}

void way_dir_stat(const char *name, struct fileio_stat *st)
{
    memset(st, 0, sizeof *st);
    st->ino = WAY_DIR_INO_BASE + strlen(name);
    st->nlink = 2;
    st->mode = S_IFDIR | 0755;
    st->blksize = 4096;
}

/* The component below `dir` on the way to mount point `point`, or NULL;
 * its length in *len. */
static const char *next_component(const char *dir, const char *point, uint64_t *len)
{
    uint64_t n = strlen(dir);
    const char *rest = n == 1 ? point : point + n;
    if ((n > 1 && strncmp(point, dir, n) != 0) || rest[0] != '/' || rest[1] == 0)
        return 0;
    rest++;
    *len = 0;
    while (rest[*len] != 0 && rest[*len] != '/')
        (*len)++;
    return rest;
}

static int list(void *owner, struct text *t)
{
    const char *dir = owner;
    struct fileio_stat st;
    way_dir_stat(dir, &st);
    gen_dir_add(t, st.ino, DT_DIR, ".");
    gen_dir_add(t, st.ino, DT_DIR, "..");
    for (unsigned i = 0; i < mount_count(); i++) {
        uint64_t len;
        const char *name = next_component(dir, mount_at(i)->point, &len);
        if (name == 0)
            continue;
        /* Once per name: mounts at /a/b and /a/c both lead through a. */
        bool seen = false;
        for (unsigned j = 0; j < i && !seen; j++) {
            uint64_t other_len;
            const char *other = next_component(dir, mount_at(j)->point, &other_len);
            seen = other != 0 && other_len == len && strncmp(other, name, len) == 0;
        }
        if (seen)
            continue;
        char entry[256];
        if (len >= sizeof entry)
            continue;
        memcpy(entry, name, len);
        entry[len] = 0;
        gen_dir_add(t, st.ino + 1 + i, DT_DIR, entry);
    }
    if (strcmp(dir, "/dev") == 0)
        devnode_list(t);
    return 0;
}

static const struct gen_ops way_dir_listing = {.fill = list};

int way_dir_open(const char *name, uint32_t flags, struct file **out)
{
    if ((flags & O_ACCMODE) != O_RDONLY)
        return -EISDIR;
    uint64_t size = strlen(name) + 1;
    char *owner = kzalloc(size);
    if (owner == 0)
        return -ENOMEM;
    memcpy(owner, name, size);
    struct fileio_stat st;
    way_dir_stat(name, &st);
    return gen_file_open(&way_dir_listing, owner, &st, flags | O_LARGEFILE, out);
}
