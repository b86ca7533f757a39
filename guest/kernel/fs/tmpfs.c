/*
 * tmpfs: the tree of nodes and the path operations (mount_ops). Paths are
 * resolved here as long as they stay plain: a ".." or a symlink to follow
 * is answered with -EXDEV, and fs/vfs.c walks the path across the mounts
 * and calls again with one that has neither.
 */
#include "fs/tmpfs.h"

#include "fs/file.h"
#include "fs/mount.h"
#include "fs/path.h"
#include "fs/tmpfs_node.h"
#include "kernel/clock.h"
#include "kernel/identity.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/vm_object.h"

#define NAME_MAX 255
#define R_OK 4
#define W_OK 2
#define X_OK 1
/* Anonymous block devices (tmpfs, proc, sysfs) have major 0; minors from here. */
#define TMPFS_FIRST_MINOR 0x30
#define TMPFS_MAGIC 0x01021994
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_VALID 0x0020
/* The largest file: what a signed 64-bit offset allows, in whole pages. */
#define TMPFS_MAX_SIZE 0x7ffffffffffff000ull

static unsigned mounted;

/* --- nodes ------------------------------------------------------------------------ */

struct tmpfs_time tmpfs_now(void)
{
    uint64_t ns = clock_realtime_ns();
    return (struct tmpfs_time){(int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u)};
}

static struct tmpfs_node *node_new(struct tmpfs_fs *fs, uint32_t mode)
{
    struct tmpfs_node *n = kzalloc(sizeof *n);
    if (n == 0)
        return 0;
    if ((mode & S_IFMT) == S_IFREG) {
        n->data = vm_object_create();
        if (n->data == 0) {
            kfree(n);
            return 0;
        }
    }
    n->fs = fs;
    n->ino = fs->next_ino++;
    n->mode = mode;
    n->uid = PROCESS_UID;
    n->gid = PROCESS_GID;
    n->atime = n->mtime = n->ctime = tmpfs_now();
    return n;
}

static void node_free(struct tmpfs_node *n)
{
    if (n->data != 0)
        vm_object_put(n->data);
    kfree(n->target);
    kfree(n);
}

void tmpfs_node_get(struct tmpfs_node *n)
{
    n->refs++;
}

void tmpfs_node_put(struct tmpfs_node *n)
{
    if (--n->refs == 0 && n->nlink == 0)
        node_free(n);
}

/* An entry was removed: the node goes when nothing else holds it. */
static void node_unlinked(struct tmpfs_node *n)
{
    if (n->nlink == 0 && n->refs == 0)
        node_free(n);
}

void tmpfs_node_stat(const struct tmpfs_node *n, struct fileio_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = n->fs->dev;
    st->ino = n->ino;
    st->nlink = n->nlink;
    st->mode = n->mode;
    st->uid = n->uid;
    st->gid = n->gid;
    st->blksize = PAGE_SIZE;
    st->size = (int64_t)n->size;
    if ((n->mode & S_IFMT) == S_IFDIR) {
        st->size = 40; /* Linux's tmpfs: 40, and 20 more per entry */
        for (const struct tmpfs_dirent *e = n->entries; e != 0; e = e->next)
            st->size += 20;
    }
    st->blocks = n->data != 0 ? (int64_t)vm_object_pages(n->data) * (PAGE_SIZE / 512) : 0;
    st->atime_sec = n->atime.sec;
    st->atime_nsec = n->atime.nsec;
    st->mtime_sec = n->mtime.sec;
    st->mtime_nsec = n->mtime.nsec;
    st->ctime_sec = n->ctime.sec;
    st->ctime_nsec = n->ctime.nsec;
}

static void set_time(struct tmpfs_time *t, int64_t sec, int64_t nsec, struct tmpfs_time now)
{
    if (nsec == UTIME_OMIT)
        return;
    *t = nsec == UTIME_NOW ? now : (struct tmpfs_time){sec, nsec};
}

void tmpfs_set_times(struct tmpfs_node *n, const int64_t times[4])
{
    struct tmpfs_time now = tmpfs_now();
    set_time(&n->atime, times[0], times[1], now);
    set_time(&n->mtime, times[2], times[3], now);
    n->ctime = now;
}

int tmpfs_resize(struct tmpfs_node *n, uint64_t size)
{
    if (size > TMPFS_MAX_SIZE)
        return -EFBIG;
    /* Shrinking frees what lies beyond; growing makes sure what a shared
     * mapping wrote past the old end reads as the zeros Linux shows. */
    if (size < n->size || vm_object_mapped(n->data))
        vm_object_truncate(n->data, size < n->size ? size : n->size);
    n->size = size;
    n->mtime = n->ctime = tmpfs_now();
    return 0;
}

/* --- directories ------------------------------------------------------------------ */

static bool is_dir(const struct tmpfs_node *n)
{
    return (n->mode & S_IFMT) == S_IFDIR;
}

static struct tmpfs_dirent **find_entry(struct tmpfs_node *dir, const char *name, uint64_t len)
{
    for (struct tmpfs_dirent **e = &dir->entries; *e != 0; e = &(*e)->next) {
        if (strncmp((*e)->name, name, len) == 0 && (*e)->name[len] == 0)
            return e;
    }
    return 0;
}

static void touch_dir(struct tmpfs_node *dir)
{
    dir->mtime = dir->ctime = tmpfs_now();
}

/* Adds `name` -> `n` to `dir` (one more link of n): 0 or -ENOMEM. */
static int add_entry(struct tmpfs_node *dir, const char *name, uint64_t len, struct tmpfs_node *n)
{
    struct tmpfs_dirent *e = kzalloc(sizeof *e + len + 1);
    if (e == 0)
        return -ENOSPC;
    memcpy(e->name, name, len);
    e->node = n;
    e->next = dir->entries;
    dir->entries = e;
    n->nlink++;
    if (is_dir(n)) {
        n->parent = dir;
        dir->nlink++;
    }
    touch_dir(dir);
    return 0;
}

/* Removes the entry at *slot of `dir`; the node loses that link. */
static void remove_entry(struct tmpfs_node *dir, struct tmpfs_dirent **slot, bool free_node)
{
    struct tmpfs_dirent *e = *slot;
    struct tmpfs_node *n = e->node;
    *slot = e->next;
    kfree(e);
    if (is_dir(n)) {
        dir->nlink--;
        n->nlink = 0;    /* its "." goes too */
        n->parent = 0;   /* which may go before it, while it is still open */
    } else {
        n->nlink--;
    }
    n->ctime = tmpfs_now();
    touch_dir(dir);
    if (free_node)
        node_unlinked(n);
}

/* --- paths ------------------------------------------------------------------------ */

/* What a path names: the node (NULL when only the last component is
 * missing), the directory holding it and its name there (len 0 for the
 * mount's top and a last component "."). */
struct lookup {
    struct tmpfs_node *dir, *node;
    const char *name;
    uint64_t len;
    bool trailing_slash; /* the path ends with "/" (or "/."): a directory */
};

static int walk(struct tmpfs_fs *fs, const char *path, bool follow_last, struct lookup *l)
{
    *l = (struct lookup){.dir = 0, .node = fs->root};
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == 0)
            return 0;
        const char *name = p;
        uint64_t n = 0;
        while (name[n] != 0 && name[n] != '/')
            n++;
        p = name + n;
        const char *after = p;
        while (*after == '/')
            after++;
        bool last = *after == 0;
        struct tmpfs_node *dir = l->node;
        if (!is_dir(dir))
            return -ENOTDIR;
        if (n == 1 && name[0] == '.') {
            l->trailing_slash = true;
            l->len = 0;
            continue;
        }
        if (n == 2 && name[0] == '.' && name[1] == '.')
            return -EXDEV; /* fs/vfs.c takes ".." on the resolved path */
        if (n > NAME_MAX)
            return -ENAMETOOLONG;
        if ((dir->mode & 0111) == 0)
            return -EACCES;
        struct tmpfs_dirent **e = find_entry(dir, name, n);
        l->dir = dir;
        l->name = name;
        l->len = n;
        l->trailing_slash = *p == '/';
        if (e == 0) {
            l->node = 0;
            return last ? 0 : -ENOENT;
        }
        struct tmpfs_node *child = (*e)->node;
        if ((child->mode & S_IFMT) == S_IFLNK && (!last || follow_last || l->trailing_slash))
            return -EXDEV; /* fs/vfs.c follows it, wherever it points */
        l->node = child;
    }
}

/* walk, then the checks every operation on an existing node makes. */
static int walk_existing(struct tmpfs_fs *fs, const char *path, bool follow_last,
                         struct lookup *l)
{
    int err = walk(fs, path, follow_last, l);
    if (err != 0)
        return err;
    if (l->node == 0)
        return -ENOENT;
    if (l->trailing_slash && !is_dir(l->node))
        return -ENOTDIR;
    return 0;
}

static struct tmpfs_fs *fs_of(const struct mount *m)
{
    return m->priv;
}

/* Whether the program (uid PROCESS_UID) may `want` (R_OK|W_OK|X_OK) `n`. */
static bool permitted(const struct tmpfs_node *n, uint32_t want)
{
    uint32_t bits = n->uid == PROCESS_UID   ? (n->mode >> 6) & 7
                    : n->gid == PROCESS_GID ? (n->mode >> 3) & 7
                                            : n->mode & 7;
    return (bits & want) == want;
}

/* A new entry may be made in `dir`. */
static int may_create(const struct lookup *l)
{
    if (l->len == 0)
        return -EEXIST;
    if (!permitted(l->dir, W_OK | X_OK))
        return -EACCES;
    return 0;
}

/* A new node of `mode` named by l (missing): 0 and *out (held), or -errno. */
static int create(const struct mount *m, const struct lookup *l, uint32_t mode,
                  struct tmpfs_node **out)
{
    int err = may_create(l);
    if (err != 0)
        return err;
    struct tmpfs_node *n = node_new(fs_of(m), mode);
    if (n == 0)
        return -ENOSPC;
    err = add_entry(l->dir, l->name, l->len, n);
    if (err != 0) {
        node_free(n);
        return err;
    }
    if (is_dir(n))
        n->nlink = 2;
    *out = n;
    return 0;
}

/* O_TMPFILE: a file without a name in directory `path`, gone when closed. */
static int open_unnamed(const struct mount *m, const char *path, uint32_t flags, uint32_t mode,
                        struct file **out)
{
    struct lookup l;
    int err = walk_existing(fs_of(m), path, true, &l);
    if (err != 0)
        return err;
    if (!is_dir(l.node))
        return -ENOTDIR;
    if ((flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    if (!permitted(l.node, W_OK | X_OK))
        return -EACCES;
    struct tmpfs_node *n = node_new(fs_of(m), S_IFREG | (mode & 07777));
    if (n == 0)
        return -ENOSPC;
    return tmpfs_file_open(n, flags & ~(uint32_t)O_TMPFILE, out); /* nlink 0: freed on close */
}

static int tmpfs_open(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                      uint32_t mode, struct file **out)
{
    (void)resolve;
    if ((flags & O_TMPFILE) == O_TMPFILE)
        return open_unnamed(m, path, flags, mode, out);
    bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
    struct lookup l;
    int err = walk(fs_of(m), path, !(flags & O_NOFOLLOW) && !excl, &l);
    if (err != 0)
        return err;
    struct tmpfs_node *n = l.node;
    uint32_t acc = flags & O_ACCMODE;
    if (n == 0) {
        if (!(flags & O_CREAT))
            return -ENOENT;
        if (l.trailing_slash)
            return -EISDIR;
        err = create(m, &l, S_IFREG | (mode & 07777), &n);
        if (err != 0)
            return err;
    } else {
        if (excl)
            return -EEXIST;
        uint32_t type = n->mode & S_IFMT;
        if (type == S_IFLNK && !(flags & O_PATH))
            return -ELOOP; /* O_NOFOLLOW at a symlink */
        if (type != S_IFDIR && (l.trailing_slash || (flags & O_DIRECTORY)))
            return -ENOTDIR;
        if (type == S_IFDIR && (acc != O_RDONLY || (flags & O_CREAT)) && !(flags & O_PATH))
            return -EISDIR;
        if (!(flags & O_PATH)) {
            uint32_t want = (acc != O_WRONLY ? R_OK : 0) | (acc != O_RDONLY ? W_OK : 0) |
                            ((flags & O_TRUNC) ? W_OK : 0);
            if (!permitted(n, want))
                return -EACCES;
        }
        if ((flags & O_TRUNC) && type == S_IFREG && acc != O_RDONLY && n->size != 0)
            tmpfs_resize(n, 0);
    }
    return tmpfs_file_open(n, flags, out);
}

static int tmpfs_stat(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                      struct fileio_stat *st)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, !(flags & AT_SYMLINK_NOFOLLOW), &l);
    if (err == 0)
        tmpfs_node_stat(l.node, st);
    return err;
}

static int tmpfs_access(const struct mount *m, const char *path, uint32_t resolve,
                        uint32_t mode, uint32_t flags)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, !(flags & AT_SYMLINK_NOFOLLOW), &l);
    if (err != 0)
        return err;
    return permitted(l.node, mode & 7) ? 0 : -EACCES;
}

static int64_t tmpfs_readlink(const struct mount *m, const char *path, uint32_t resolve,
                              char *buf, uint64_t size)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, false, &l);
    if (err != 0)
        return err;
    if ((l.node->mode & S_IFMT) != S_IFLNK)
        return -EINVAL;
    uint64_t n = l.node->size < size ? l.node->size : size;
    memcpy(buf, l.node->target, n);
    l.node->atime = tmpfs_now();
    return (int64_t)n;
}

static int tmpfs_unlink(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, false, &l);
    if (err != 0)
        return err;
    struct tmpfs_node *n = l.node;
    if (flags & AT_REMOVEDIR) {
        if (!is_dir(n))
            return -ENOTDIR;
        if (l.dir == 0)
            return -EBUSY; /* the mount's top */
        if (l.len == 0)
            return -EINVAL; /* "dir/." */
        if (n->entries != 0)
            return -ENOTEMPTY;
    } else if (is_dir(n)) {
        return -EISDIR;
    }
    if (!permitted(l.dir, W_OK | X_OK))
        return -EACCES;
    remove_entry(l.dir, find_entry(l.dir, l.name, l.len), true);
    return 0;
}

/* A new node of `mode` (type and permissions) at `path`, which must not exist. */
static int make_node(const struct mount *m, const char *path, uint32_t mode)
{
    struct lookup l;
    int err = walk(fs_of(m), path, false, &l);
    if (err != 0)
        return err;
    if (l.node != 0)
        return -EEXIST;
    struct tmpfs_node *n;
    return create(m, &l, mode, &n);
}

static int tmpfs_mkdir(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode)
{
    (void)resolve;
    return make_node(m, path, S_IFDIR | (mode & 07777));
}

static int tmpfs_mknod(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode)
{
    (void)resolve;
    uint32_t type = mode & S_IFMT;
    if (type != S_IFIFO && type != S_IFSOCK)
        return -EPERM;
    return make_node(m, path, type | (mode & 07777));
}

/* `n` is `dir` or lies beneath it. */
static bool is_within(const struct tmpfs_node *n, const struct tmpfs_node *dir)
{
    for (; n != 0; n = n->parent) {
        if (n == dir)
            return true;
    }
    return false;
}

static int tmpfs_rename(const struct mount *m, const char *from, const char *to, uint32_t resolve)
{
    (void)resolve;
    struct lookup src, dst;
    int err = walk_existing(fs_of(m), from, false, &src);
    if (err == 0)
        err = walk(fs_of(m), to, false, &dst);
    if (err != 0)
        return err;
    struct tmpfs_node *n = src.node;
    if (src.dir == 0 || dst.dir == 0)
        return -EBUSY; /* a mount's top */
    if (src.len == 0 || dst.len == 0)
        return -EINVAL; /* "." */
    if (dst.node == n)
        return 0; /* the same file: nothing happens */
    if (is_dir(n) && is_within(dst.dir, n))
        return -EINVAL; /* into itself */
    if (dst.node != 0) {
        if (is_dir(n) && !is_dir(dst.node))
            return -ENOTDIR;
        if (!is_dir(n) && is_dir(dst.node))
            return -EISDIR;
        if (dst.node->entries != 0)
            return -ENOTEMPTY;
    } else if (dst.trailing_slash && !is_dir(n)) {
        return -ENOTDIR;
    }
    if (!permitted(src.dir, W_OK | X_OK) || !permitted(dst.dir, W_OK | X_OK))
        return -EACCES;
    /* The new entry first (it can fail), then the old ones go. */
    struct tmpfs_dirent *renamed = kzalloc(sizeof *renamed + dst.len + 1);
    if (renamed == 0)
        return -ENOSPC;
    memcpy(renamed->name, dst.name, dst.len);
    renamed->node = n;
    if (dst.node != 0)
        remove_entry(dst.dir, find_entry(dst.dir, dst.name, dst.len), true);
    struct tmpfs_dirent **old = find_entry(src.dir, src.name, src.len);
    struct tmpfs_dirent *gone = *old;
    *old = gone->next;
    kfree(gone);
    renamed->next = dst.dir->entries;
    dst.dir->entries = renamed;
    if (is_dir(n)) {
        src.dir->nlink--;
        dst.dir->nlink++;
        n->parent = dst.dir;
    }
    n->ctime = tmpfs_now();
    touch_dir(src.dir);
    touch_dir(dst.dir);
    return 0;
}

static int tmpfs_symlink(const struct mount *m, const char *linkpath, uint32_t resolve,
                         const char *target)
{
    (void)resolve;
    struct lookup l;
    int err = walk(fs_of(m), linkpath, false, &l);
    if (err != 0)
        return err;
    if (l.node != 0)
        return -EEXIST;
    uint64_t len = strlen(target);
    char *copy = kzalloc(len + 1);
    if (copy == 0)
        return -ENOSPC;
    memcpy(copy, target, len);
    struct tmpfs_node *n;
    err = create(m, &l, S_IFLNK | 0777, &n);
    if (err != 0) {
        kfree(copy);
        return err;
    }
    n->target = copy;
    n->size = len;
    return 0;
}

static int tmpfs_link(const struct mount *m, const char *oldpath, const char *newpath,
                      uint32_t resolve)
{
    (void)resolve;
    struct lookup src, dst;
    int err = walk_existing(fs_of(m), oldpath, false, &src);
    if (err == 0)
        err = walk(fs_of(m), newpath, false, &dst);
    if (err != 0)
        return err;
    if (is_dir(src.node))
        return -EPERM;
    if (dst.node != 0)
        return -EEXIST;
    if (src.node->nlink == 0)
        return -ENOENT;
    err = may_create(&dst);
    if (err != 0)
        return err;
    err = add_entry(dst.dir, dst.name, dst.len, src.node);
    if (err == 0)
        src.node->ctime = tmpfs_now();
    return err;
}

static int tmpfs_utimens(const struct mount *m, const char *path, uint32_t resolve,
                         const int64_t times[4], uint32_t flags)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, !(flags & AT_SYMLINK_NOFOLLOW), &l);
    if (err != 0)
        return err;
    tmpfs_set_times(l.node, times);
    return 0;
}

/* --- attributes -------------------------------------------------------------------- */

int tmpfs_node_chmod(struct tmpfs_node *n, uint32_t mode)
{
    if (n->uid != PROCESS_UID)
        return -EPERM;
    n->mode = (n->mode & S_IFMT) | (mode & 07777);
    n->ctime = tmpfs_now();
    return 0;
}

int tmpfs_node_chown(struct tmpfs_node *n, uint32_t uid, uint32_t gid)
{
    /* Linux (chown_ok): only the owner may name a uid, even its own, or a
     * group; asking for no change is allowed to anyone. */
    bool changes = uid != FILEIO_ID_UNCHANGED || gid != FILEIO_ID_UNCHANGED;
    if (changes && n->uid != PROCESS_UID)
        return -EPERM;
    if (uid != FILEIO_ID_UNCHANGED && uid != n->uid)
        return -EPERM; /* giving a file away takes CAP_CHOWN */
    if (gid != FILEIO_ID_UNCHANGED && gid != n->gid && gid != PROCESS_GID)
        return -EPERM;
    if (gid != FILEIO_ID_UNCHANGED)
        n->gid = gid;
    /* As Linux for an unprivileged chown of a non-directory: set-user-ID goes,
     * and set-group-ID where it means "run as" (group-executable). */
    if (changes && (n->mode & S_IFMT) != S_IFDIR) {
        n->mode &= ~(uint32_t)S_ISUID;
        if (n->mode & 0010)
            n->mode &= ~(uint32_t)S_ISGID;
    }
    n->ctime = tmpfs_now();
    return 0;
}

void tmpfs_statfs_answer(struct fileio_statfs *out)
{
    /* No size limit of its own: the guest's memory is the limit, as for a
     * tmpfs mounted with size=100%. */
    memset(out, 0, sizeof *out);
    out->type = TMPFS_MAGIC;
    out->bsize = out->frsize = PAGE_SIZE;
    out->blocks = pmm_total_pages();
    out->bfree = out->bavail = pmm_free_pages();
    out->files = out->blocks;
    out->ffree = out->bfree;
    out->namelen = NAME_MAX;
    out->flags = ST_VALID | ST_NOSUID | ST_NODEV;
}

static int tmpfs_chmod(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode,
                       uint32_t flags)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, !(flags & AT_SYMLINK_NOFOLLOW), &l);
    if (err != 0)
        return err;
    if ((l.node->mode & S_IFMT) == S_IFLNK)
        return -EOPNOTSUPP;
    return tmpfs_node_chmod(l.node, mode);
}

static int tmpfs_chown(const struct mount *m, const char *path, uint32_t resolve, uint32_t uid,
                       uint32_t gid, uint32_t flags)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, !(flags & AT_SYMLINK_NOFOLLOW), &l);
    if (err != 0)
        return err;
    return tmpfs_node_chown(l.node, uid, gid);
}

static int tmpfs_statfs(const struct mount *m, const char *path, uint32_t resolve,
                        struct fileio_statfs *out)
{
    (void)resolve;
    struct lookup l;
    int err = walk_existing(fs_of(m), path, true, &l);
    if (err == 0)
        tmpfs_statfs_answer(out);
    return err;
}

static const struct mount_ops tmpfs_ops = {
    .type = "tmpfs",
    .magic = TMPFS_MAGIC,
    .open = tmpfs_open,
    .stat = tmpfs_stat,
    .access = tmpfs_access,
    .readlink = tmpfs_readlink,
    .unlink = tmpfs_unlink,
    .mkdir = tmpfs_mkdir,
    .mknod = tmpfs_mknod,
    .rename = tmpfs_rename,
    .symlink = tmpfs_symlink,
    .link = tmpfs_link,
    .utimens = tmpfs_utimens,
    .chmod = tmpfs_chmod,
    .chown = tmpfs_chown,
    .statfs = tmpfs_statfs,
};

int tmpfs_mount(const char *point)
{
    struct tmpfs_fs *fs = kzalloc(sizeof *fs);
    if (fs == 0)
        return -ENOMEM;
    fs->dev = TMPFS_FIRST_MINOR + mounted; /* major 0: Linux's dev_t is the minor */
    fs->next_ino = 1;
    fs->root = node_new(fs, S_IFDIR | 01777);
    if (fs->root == 0) {
        kfree(fs);
        return -ENOMEM;
    }
    fs->root->uid = 0;
    fs->root->gid = 0;
    fs->root->nlink = 2;
    int err = mount_add(point, &tmpfs_ops, fs, true);
    if (err != 0) {
        node_free(fs->root);
        kfree(fs);
        return err;
    }
    mounted++;
    return 0;
}
