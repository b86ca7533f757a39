/*
 * vfs_walk: a path resolved component by component, the way Linux's namei
 * does it: each name is looked up (lstat) in the mount holding the resolved
 * prefix, a symlink's text is spliced in front of what is left, ".." drops
 * the last resolved component. The prefix never holds a symlink, so the
 * filesystems are asked about one plain name below a plain directory each
 * time (with FILEIO_RESOLVE_NO_SYMLINKS, which can then not fail), and
 * crossing into a mount beneath is just another lookup in the table.
 */
#include "fs/vfs.h"

#include "fs/file.h"
#include "fs/mount.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"

/* Linux's limit on symlinks followed in one resolution (MAXSYMLINKS). */
#define MAX_LINKS 40

/* One CPU and nothing here sleeps: one set of buffers. */
static char rest[FILEIO_PATH_MAX];
static char link_text[FILEIO_PATH_MAX];
static char spliced[FILEIO_PATH_MAX];

static bool is_dot(const char *name, uint64_t n)
{
    return n == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, uint64_t n)
{
    return n == 2 && name[0] == '.' && name[1] == '.';
}

/* The length of `out` without its last component ("/" stays "/"). */
static uint64_t parent_len(const char *out, uint64_t len)
{
    while (len > 1 && out[len - 1] != '/')
        len--;
    return len > 1 ? len - 1 : 1;
}

/* rest := link text, then what came after the link (`after`: "" or "/..."). */
static int splice_link(const char *after)
{
    uint64_t a = strlen(link_text), b = strlen(after);
    if (a + b + 1 > sizeof spliced)
        return -ENAMETOOLONG;
    memcpy(spliced, link_text, a);
    memcpy(spliced + a, after, b + 1);
    memcpy(rest, spliced, a + b + 1);
    return 0;
}

int vfs_walk(const char *path, bool follow_last, char *out, uint64_t size)
{
    if (size < 3)
        return -ENAMETOOLONG;
    if (strlcpy(rest, path, sizeof rest) >= sizeof rest)
        return -ENAMETOOLONG;
    uint64_t plen = strlen(path);
    /* "x/", "x/." and "x/.." name directories: the result keeps a slash. */
    bool must_be_dir = plen > 1 && path[plen - 1] == '/';
    out[0] = '/';
    out[1] = 0;
    uint64_t len = 1;
    unsigned links = 0;
    const char *p = rest;
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == 0)
            break;
        const char *name = p;
        uint64_t n = 0;
        while (name[n] != 0 && name[n] != '/')
            n++;
        p = name + n;
        const char *after = p;
        while (*after == '/')
            after++;
        bool last = *after == 0;
        if (is_dot(name, n) || is_dotdot(name, n)) {
            if (is_dotdot(name, n))
                len = parent_len(out, len);
            out[len] = 0;
            must_be_dir |= last;
            continue;
        }
        uint64_t prefix = len;
        if (len + (len > 1) + n + 2 > size)
            return -ENAMETOOLONG;
        if (len > 1)
            out[len++] = '/';
        memcpy(out + len, name, n);
        len += n;
        out[len] = 0;

        const char *inner;
        const struct mount *m = mount_find(out, &inner);
        if (m == 0)
            return -ENOENT;
        if (m->point_len == len)
            continue; /* a mount's top: a directory */
        struct fileio_stat st;
        int err = m->ops->stat != 0
                      ? m->ops->stat(m, inner, FILEIO_RESOLVE_NO_SYMLINKS, AT_SYMLINK_NOFOLLOW, &st)
                      : -ENOENT;
        if (err == -ENOENT && mount_beneath(out))
            continue; /* a directory on the way to a mount */
        if (err == -ENOENT && last)
            break; /* the operation may create it */
        if (err != 0)
            return err;
        bool follow = !last || follow_last || must_be_dir;
        if ((st.mode & S_IFMT) == S_IFLNK && follow) {
            if (++links > MAX_LINKS)
                return -ELOOP;
            int64_t got = m->ops->readlink != 0
                              ? m->ops->readlink(m, inner, FILEIO_RESOLVE_NO_SYMLINKS, link_text,
                                                 sizeof link_text - 1)
                              : -EINVAL;
            if (got < 0)
                return (int)got;
            if (got == 0)
                return -ENOENT;
            link_text[got] = 0;
            err = splice_link(p);
            if (err != 0)
                return err;
            p = rest;
            /* The link's text continues from where the link was, or from "/". */
            len = link_text[0] == '/' ? 1 : prefix;
            out[len] = 0;
            continue;
        }
        if (!last && (st.mode & S_IFMT) != S_IFDIR)
            return -ENOTDIR;
    }
    if (must_be_dir && len > 1) {
        out[len++] = '/';
        out[len] = 0;
    }
    return 0;
}
