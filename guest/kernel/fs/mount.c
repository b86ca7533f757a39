#include "fs/mount.h"

#include "lib/errno.h"
#include "lib/string.h"

static struct mount mounts[MOUNT_MAX];
static unsigned count;

/* "/", or "/a/b": no empty, "." or ".." component, no trailing slash. */
static bool normalized_absolute(const char *p)
{
    if (p[0] != '/')
        return false;
    if (p[1] == 0)
        return true;
    while (*p == '/') {
        const char *name = p + 1;
        uint64_t n = 0;
        while (name[n] != 0 && name[n] != '/')
            n++;
        if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
            return false;
        p = name + n;
    }
    return *p == 0;
}

/* `point` is `path` (of length `len`) itself or a leading part of it that
 * ends at a '/'. The lengths and the byte after the point rule out most
 * mounts before any string compare. */
static bool covers(const struct mount *m, const char *path, uint64_t len)
{
    uint32_t n = m->point_len;
    if (n == 1)
        return true; /* "/" */
    return n <= len && (path[n] == 0 || path[n] == '/') && memcmp(path, m->point, n) == 0;
}

int mount_add(const char *point, const struct mount_ops *ops, void *priv, bool writable)
{
    uint64_t len = strnlen(point, FILEIO_PATH_MAX);
    if (len >= FILEIO_PATH_MAX || !normalized_absolute(point))
        return -EINVAL;
    for (unsigned i = 0; i < count; i++) {
        if (mounts[i].point_len == len && memcmp(mounts[i].point, point, len) == 0)
            return -EBUSY;
    }
    if (count == MOUNT_MAX)
        return -ENOMEM;
    struct mount *m = &mounts[count++];
    memcpy(m->point, point, len + 1);
    m->point_len = (uint32_t)len;
    m->ops = ops;
    m->priv = priv;
    m->writable = writable;
    /* Whoever covers the new point has a mount beneath it now. */
    for (unsigned i = 0; i + 1 < count; i++) {
        if (covers(&mounts[i], point, len))
            mounts[i].has_submounts = true;
        else if (covers(m, mounts[i].point, mounts[i].point_len))
            m->has_submounts = true;
    }
    return 0;
}

const struct mount *mount_find(const char *path, const char **inner)
{
    const struct mount *best = 0;
    uint64_t len = strlen(path);
    for (unsigned i = 0; i < count; i++) {
        const struct mount *m = &mounts[i];
        if ((best == 0 || m->point_len > best->point_len) && covers(m, path, len))
            best = m;
    }
    if (best != 0)
        *inner = best->point_len == 1 ? path : path[best->point_len] != 0 ? path + best->point_len : "/";
    return best;
}

bool mount_beneath(const char *path)
{
    uint64_t len = strlen(path);
    for (unsigned i = 0; i < count; i++) {
        const struct mount *m = &mounts[i];
        if (m->point_len > len && (len == 1 || (strncmp(m->point, path, len) == 0 &&
                                                m->point[len] == '/')))
            return true;
    }
    return false;
}

unsigned mount_count(void)
{
    return count;
}

const struct mount *mount_at(unsigned i)
{
    return &mounts[i];
}
