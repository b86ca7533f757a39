#include "fs/vfs.h"

#include "fs/attr.h"
#include "fs/file.h"
#include "fs/mount.h"
#include "fs/path.h"
#include "fs/way_dir.h"
#include "kernel/log.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "proc/process.h"

#define X_OK 1 /* access(2): may execute */

/* One CPU and nothing here sleeps: one buffer per path of an operation. */
static char first[FILEIO_PATH_MAX];
static char second[FILEIO_PATH_MAX];

/* Where a path goes: its mount, the path inside it, and how the mount may
 * resolve it. */
struct route {
    const struct mount *m;
    const char *inner;
    uint32_t resolve;
};

/* A ".." component anywhere: the dots found by string scans (memchr), so
 * a path costs a few instructions a dot rather than a few a byte. */
static bool has_dotdot(const char *path)
{
    uint64_t len = strlen(path);
    const char *end = path + len;
    for (const char *p = memchr(path, '.', len); p != 0;
         p = memchr(p + 1, '.', (size_t)(end - p - 1))) {
        /* p < end, so p[1] is at most the NUL, and p[2] is read only past a dot. */
        if (p[1] == '.' && (p == path || p[-1] == '/') && (p[2] == 0 || p[2] == '/'))
            return true;
    }
    return false;
}

/*
 * The route of `path` as written, normalized into `buf`, when it holds no
 * "..": the mount resolves the rest, refusing symlinks (so that a mount
 * beneath is never bypassed) when it has mounts beneath it. -EXDEV when it
 * has to be walked.
 */
static int route_direct(const char *path, char *buf, struct route *r)
{
    if (has_dotdot(path))
        return -EXDEV;
    int err = path_normalize("/", path, buf, FILEIO_PATH_MAX - 1);
    if (err != 0)
        return err;
    /* Keep what makes the last component a directory ("x/", "x/."). */
    uint64_t plen = strlen(path), blen = strlen(buf);
    if (blen > 1 && plen > 1 && (path[plen - 1] == '/' || path[plen - 1] == '.')) {
        buf[blen] = '/';
        buf[blen + 1] = 0;
    }
    r->m = mount_find(buf, &r->inner);
    if (r->m == 0)
        return -ENOENT;
    r->resolve = r->m->has_submounts ? FILEIO_RESOLVE_NO_SYMLINKS : 0;
    return 0;
}

/* The route of `path` after walking it (fs/vfs_walk.c) into `buf`. */
static int route_walked(const char *path, bool follow_last, char *buf, struct route *r)
{
    int err = vfs_walk(path, follow_last, buf, FILEIO_PATH_MAX);
    if (err != 0)
        return err;
    r->m = mount_find(buf, &r->inner);
    r->resolve = 0;
    return r->m != 0 ? 0 : -ENOENT;
}

/* The filesystem could not finish the path inside its mount. */
static bool needs_walk(int64_t err, const struct route *r)
{
    return err == -EXDEV || (err == -ELOOP && (r->resolve & FILEIO_RESOLVE_NO_SYMLINKS));
}

/*
 * Runs CALL (an expression over the route `r`) for `path`: routed as written
 * first, walked when the filesystem asks for it. Returns from the function.
 */
#define ON_PATH(path, follow_last, CALL)                      \
    do {                                                      \
        struct route r = {0, 0, 0};                           \
        int64_t res_ = route_direct((path), first, &r);       \
        if (res_ == 0)                                        \
            res_ = (CALL);                                    \
        if (!needs_walk(res_, &r))                            \
            return res_;                                      \
        res_ = route_walked((path), (follow_last), first, &r); \
        return res_ != 0 ? res_ : (CALL);                     \
    } while (0)

/* The same for two paths that must lie in one mount (EXDEV otherwise). */
#define ON_TWO_PATHS(path1, follow1, path2, follow2, CALL)                    \
    do {                                                                      \
        struct route r = {0, 0, 0}, r2 = {0, 0, 0};                           \
        int64_t res_ = route_direct((path1), first, &r);                      \
        if (res_ == 0)                                                        \
            res_ = route_direct((path2), second, &r2);                        \
        if (res_ == 0)                                                        \
            res_ = r.m != r2.m ? -EXDEV : (r.resolve |= r2.resolve, (CALL));  \
        if (!needs_walk(res_, &r))                                            \
            return res_;                                                      \
        res_ = route_walked((path1), (follow1), first, &r);                   \
        if (res_ == 0)                                                        \
            res_ = route_walked((path2), (follow2), second, &r2);             \
        if (res_ != 0)                                                        \
            return res_;                                                      \
        return r.m != r2.m ? -EXDEV : (CALL);                                 \
    } while (0)

static int open_routed(const char *path, uint32_t flags, uint32_t mode, struct file **out)
{
    bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
    ON_PATH(path, follow,
            r.m->ops->open != 0 ? r.m->ops->open(r.m, r.inner, r.resolve, flags, mode, out)
                                : -ENOENT);
}

/* A heap copy of `name`, for the file about to be opened; NULL when out of
 * memory. Made before the open: a filesystem's open may call vfs_open
 * itself (a magic link), which reuses the static buffers. */
static char *copy_name(const char *name)
{
    uint64_t name_size = strlen(name) + 1;
    char *copy = kzalloc(name_size);
    if (copy != 0)
        memcpy(copy, name, name_size);
    return copy;
}

/* The opened file keeps the name, unless it has one of its own (a file a
 * filesystem reopened by its own path: /proc/PID/fd/N). */
static void name_opened_file(struct file *f, char *copy)
{
    if (f->path == 0)
        f->path = copy;
    else
        kfree(copy);
}

int vfs_open(const char *path, uint32_t flags, uint32_t mode, struct file **out)
{
    static char name[FILEIO_PATH_MAX];
    int err = path_normalize("/", path, name, sizeof name);
    if (err != 0)
        return err;
    char *copy = copy_name(name);
    if (copy == 0)
        return -ENOMEM;
    err = open_routed(path, flags, mode, out);
    if (err == -ENOENT && !(flags & O_CREAT) && way_dir_find(path, !(flags & O_NOFOLLOW), first) == 0)
        err = way_dir_open(first, flags, out);
    if (err != 0) {
        kfree(copy);
        return err;
    }
    name_opened_file(*out, copy);
    return 0;
}

/* execve's stat, permission check and open on one route (a regular file the
 * caller may execute, read-only). */
static int64_t open_executable_routed(const struct route *r, struct file **out,
                                      struct fileio_stat *st)
{
    const struct mount_ops *ops = r->m->ops;
    if (ops->stat == 0 || ops->open == 0)
        return -ENOENT;
    int64_t err = ops->stat(r->m, r->inner, r->resolve, 0, st);
    if (err != 0)
        return err;
    if ((st->mode & S_IFMT) != S_IFREG || ops->access == 0)
        return -EACCES;
    err = ops->access(r->m, r->inner, r->resolve, X_OK, 0);
    if (err < 0)
        return needs_walk(err, r) ? err : -EACCES;
    return ops->open(r->m, r->inner, r->resolve, O_RDONLY, 0, out);
}

static int open_executable_on_path(const char *path, struct file **out, struct fileio_stat *st)
{
    ON_PATH(path, true, open_executable_routed(&r, out, st));
}

int vfs_open_executable(const char *path, const char *name, struct file **out,
                        struct fileio_stat *st)
{
    char *copy = copy_name(name);
    if (copy == 0)
        return -ENOMEM;
    int err = open_executable_on_path(path, out, st);
    /* A directory on the way to a mount point (vfs_stat's way_dir): not a
     * file to run. */
    if (err == -ENOENT && way_dir_find(path, true, first) == 0)
        err = -EACCES;
    if (err != 0) {
        kfree(copy);
        return err;
    }
    name_opened_file(*out, copy);
    return 0;
}

static int stat_routed(const char *path, uint32_t flags, struct fileio_stat *st)
{
    ON_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW),
            r.m->ops->stat != 0 ? r.m->ops->stat(r.m, r.inner, r.resolve, flags, st) : -ENOENT);
}

int vfs_stat(const char *path, uint32_t flags, struct fileio_stat *st)
{
    int err = stat_routed(path, flags, st);
    /* A directory on the way to a mount point that the filesystem beneath
     * lacks (/dev for /dev/shm in a root without /dev): "ls -a /dev/shm"
     * stats its "..". */
    if (err == -ENOENT && way_dir_find(path, !(flags & AT_SYMLINK_NOFOLLOW), first) == 0) {
        way_dir_stat(first, st);
        return 0;
    }
    return err;
}

int vfs_access(const char *path, uint32_t mode, uint32_t flags)
{
    ON_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW),
            r.m->ops->access != 0 ? r.m->ops->access(r.m, r.inner, r.resolve, mode, flags)
                                  : -ENOENT);
}

int64_t vfs_readlink(const char *path, char *buf, uint64_t size)
{
    ON_PATH(path, false,
            r.m->ops->readlink != 0 ? r.m->ops->readlink(r.m, r.inner, r.resolve, buf, size)
                                    : -EINVAL);
}

int vfs_unlink(const char *path, uint32_t flags)
{
    ON_PATH(path, false,
            r.m->ops->unlink != 0 ? r.m->ops->unlink(r.m, r.inner, r.resolve, flags) : -EROFS);
}

int vfs_mkdir(const char *path, uint32_t mode)
{
    ON_PATH(path, false,
            r.m->ops->mkdir != 0 ? r.m->ops->mkdir(r.m, r.inner, r.resolve, mode) : -EROFS);
}

static int read_only_answer(const struct route *r, uint32_t flags);

static int mknod_routed(const struct route *r, uint32_t mode)
{
    if (r->m->writable && r->m->ops->mknod != 0)
        return r->m->ops->mknod(r->m, r->inner, r->resolve, mode);
    int err = read_only_answer(r, AT_SYMLINK_NOFOLLOW);
    if (err != -ENOENT)
        return err == -EROFS ? -EEXIST : err; /* the name exists */
    if (!r->m->writable)
        return -EROFS;
    ktrace("mknod of a FIFO or socket on a %s mount: it keeps none, returning EPERM",
           r->m->ops->type);
    return -EPERM;
}

int vfs_mknod(const char *path, uint32_t mode)
{
    ON_PATH(path, false, mknod_routed(&r, mode));
}

int vfs_rename(const char *from, const char *to)
{
    ON_TWO_PATHS(from, false, to, false,
                 r.m->ops->rename != 0 ? r.m->ops->rename(r.m, r.inner, r2.inner, r.resolve)
                                       : -EROFS);
}

int vfs_symlink(const char *target, const char *linkpath)
{
    ON_PATH(linkpath, false,
            r.m->ops->symlink != 0 ? r.m->ops->symlink(r.m, r.inner, r.resolve, target) : -EROFS);
}

int vfs_link(const char *oldpath, const char *newpath)
{
    ON_TWO_PATHS(oldpath, false, newpath, false,
                 r.m->ops->link != 0 ? r.m->ops->link(r.m, r.inner, r2.inner, r.resolve)
                                     : -EROFS);
}

int vfs_utimens(const char *path, const int64_t times[4], uint32_t flags)
{
    ON_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW),
            r.m->ops->utimens != 0 ? r.m->ops->utimens(r.m, r.inner, r.resolve, times, flags)
                                   : -EROFS);
}

/* ST_RDONLY / ST_VALID in statfs's f_flags. */
#define ST_RDONLY 0x0001
#define ST_VALID 0x0020

/* A change on a mount that is not writable: the lookup's error, or EROFS. */
static int read_only_answer(const struct route *r, uint32_t flags)
{
    struct fileio_stat st;
    int err = r->m->ops->stat != 0 ? r->m->ops->stat(r->m, r->inner, r->resolve, flags, &st)
                                   : -ENOENT;
    return err != 0 ? err : -EROFS;
}

static int chmod_routed(const struct route *r, uint32_t mode, uint32_t flags)
{
    if (!r->m->writable)
        return read_only_answer(r, flags);
    return r->m->ops->chmod != 0 ? r->m->ops->chmod(r->m, r->inner, r->resolve, mode, flags)
                                 : -EROFS;
}

int vfs_chmod(const char *path, uint32_t mode, uint32_t flags)
{
    ON_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW), chmod_routed(&r, mode & 07777, flags));
}

static int chown_routed(const struct route *r, uint32_t uid, uint32_t gid, uint32_t flags)
{
    if (!r->m->writable)
        return read_only_answer(r, flags);
    struct fileio_stat st;
    int err = r->m->ops->stat != 0 ? r->m->ops->stat(r->m, r->inner, r->resolve, flags, &st)
                                   : -ENOENT;
    if (err != 0)
        return err;
    if (!chown_permitted(&st, uid, gid))
        return -EPERM;
    return r->m->ops->chown != 0
               ? r->m->ops->chown(r->m, r->inner, r->resolve, uid, gid, flags)
               : -EROFS;
}

int vfs_chown(const char *path, uint32_t uid, uint32_t gid, uint32_t flags)
{
    ON_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW), chown_routed(&r, uid, gid, flags));
}

static int statfs_routed(const struct route *r, struct fileio_statfs *out)
{
    if (r->m->ops->statfs != 0)
        return r->m->ops->statfs(r->m, r->inner, r->resolve, out);
    /* No statfs of its own: the object must exist; the rest stays zero. */
    struct fileio_stat st;
    int err = r->m->ops->stat != 0 ? r->m->ops->stat(r->m, r->inner, r->resolve, 0, &st)
                                   : -ENOENT;
    if (err != 0)
        return err;
    memset(out, 0, sizeof *out);
    out->type = r->m->ops->magic;
    out->bsize = out->frsize = 4096;
    out->namelen = 255;
    out->flags = ST_VALID | (r->m->writable ? 0 : ST_RDONLY);
    return 0;
}

int vfs_statfs(const char *path, struct fileio_statfs *out)
{
    ON_PATH(path, true, statfs_routed(&r, out));
}
