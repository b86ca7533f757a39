/*
 * Open tmpfs files: regular files read and write their node's memory object
 * (which MAP_SHARED mappings map too); directories are generated listings
 * (fs/gen_file.h) of the node's entries; symlinks opened with O_PATH only
 * answer fstat.
 */
#include "fs/file.h"
#include "fs/gen_file.h"
#include "fs/object_io.h"
#include "fs/pipe.h"
#include "fs/tmpfs_node.h"
#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/vm_object.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

static struct tmpfs_node *node_of(struct file *f)
{
    return f->priv;
}

static int64_t tmpfs_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct tmpfs_node *n = node_of(f);
    uint64_t at = offset < 0 ? f->pos : (uint64_t)offset;
    int64_t got = object_read_user(n->data, n->size, ubuf, len, at);
    if (got > 0 && offset < 0)
        f->pos += (uint64_t)got;
    return got;
}

static int64_t tmpfs_write(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct tmpfs_node *n = node_of(f);
    /* O_APPEND writes at the end, pwrite included (Linux does so too). */
    uint64_t at = (f->flags & O_APPEND) ? n->size : offset < 0 ? f->pos : (uint64_t)offset;
    if (len == 0)
        return 0;
    if (at + len < at || at + len > 0x7ffffffffffff000ull)
        return -EFBIG;
    /* What a shared mapping wrote past the end must not show up in a gap. */
    if (at + len > n->size && vm_object_mapped(n->data))
        vm_object_truncate(n->data, n->size);
    int64_t done = object_write_user(n->data, ubuf, len, at);
    if (done == -ENOMEM)
        return -ENOSPC; /* tmpfs's answer when memory runs out */
    if (done <= 0)
        return done;
    if (at + (uint64_t)done > n->size)
        n->size = at + (uint64_t)done;
    n->mtime = n->ctime = tmpfs_now();
    if (offset < 0) /* pwrite leaves the position alone, even with O_APPEND */
        f->pos = at + (uint64_t)done;
    return done;
}

static int64_t tmpfs_lseek(struct file *f, int64_t offset, int whence)
{
    struct tmpfs_node *n = node_of(f);
    int64_t base;
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = (int64_t)f->pos;
        break;
    case SEEK_END:
        base = (int64_t)n->size;
        break;
    case SEEK_DATA:
    case SEEK_HOLE:
        /* All data: the only hole is the one at the end. */
        if (offset < 0 || (uint64_t)offset >= n->size)
            return -ENXIO;
        f->pos = whence == SEEK_DATA ? (uint64_t)offset : n->size;
        return (int64_t)f->pos;
    default:
        return -EINVAL;
    }
    if ((offset < 0 && -offset > base) || (offset > 0 && base + offset < base))
        return -EINVAL;
    f->pos = (uint64_t)(base + offset);
    return (int64_t)f->pos;
}

static int tmpfs_fstat(struct file *f, struct fileio_stat *st)
{
    tmpfs_node_stat(node_of(f), st);
    return 0;
}

static int tmpfs_truncate(struct file *f, uint64_t length)
{
    struct tmpfs_node *n = node_of(f);
    if ((n->mode & S_IFMT) != S_IFREG)
        return -EINVAL;
    return tmpfs_resize(n, length);
}

static int tmpfs_fsync(struct file *f)
{
    (void)f;
    return 0; /* memory is where it lives */
}

static int tmpfs_futimens(struct file *f, const int64_t times[4], uint32_t flags)
{
    (void)flags;
    tmpfs_set_times(node_of(f), times);
    return 0;
}

static int tmpfs_fchmod(struct file *f, uint32_t mode)
{
    return tmpfs_node_chmod(node_of(f), mode);
}

static int tmpfs_fchown(struct file *f, uint32_t uid, uint32_t gid)
{
    return tmpfs_node_chown(node_of(f), uid, gid);
}

static int tmpfs_fstatfs(struct file *f, struct fileio_statfs *out)
{
    (void)f;
    tmpfs_statfs_answer(out);
    return 0;
}

static struct vm_object *tmpfs_shared_object(struct file *f)
{
    struct tmpfs_node *n = node_of(f);
    vm_object_get(n->data);
    return n->data;
}

/* MAP_PRIVATE: a private copy of the file's bytes (zeros past its end). */
static int64_t tmpfs_read_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    struct tmpfs_node *n = node_of(f);
    return (int64_t)object_read_kernel(n->data, n->size, phys_to_virt(pa), len, offset);
}

static void tmpfs_release(struct file *f)
{
    tmpfs_node_put(node_of(f));
}

static const struct file_ops tmpfs_file_ops = {
    .read = tmpfs_read,
    .write = tmpfs_write,
    .lseek = tmpfs_lseek,
    .stat = tmpfs_fstat,
    .read_phys = tmpfs_read_phys,
    .truncate = tmpfs_truncate,
    .fsync = tmpfs_fsync,
    .utimens = tmpfs_futimens,
    .chmod = tmpfs_fchmod,
    .chown = tmpfs_fchown,
    .statfs = tmpfs_fstatfs,
    .shared_object = tmpfs_shared_object,
    .page_object = tmpfs_shared_object,
    .release = tmpfs_release,
};

/* An O_PATH file of a symlink: fstat, and nothing else. */
static const struct file_ops tmpfs_link_ops = {
    .stat = tmpfs_fstat,
    .release = tmpfs_release,
};

/* --- directories ------------------------------------------------------------------ */

static int list_dir(void *owner, struct text *t)
{
    struct tmpfs_node *dir = owner;
    gen_dir_add(t, dir->ino, DT_DIR, ".");
    gen_dir_add(t, dir->parent != 0 ? dir->parent->ino : dir->ino, DT_DIR, "..");
    for (const struct tmpfs_dirent *e = dir->entries; e != 0; e = e->next)
        gen_dir_add(t, e->node->ino, gen_dir_type(e->node->mode), e->name);
    dir->atime = tmpfs_now();
    return 0;
}

static int stat_dir(void *owner, struct fileio_stat *st)
{
    tmpfs_node_stat(owner, st);
    return 0;
}

static void release_dir(void *owner)
{
    tmpfs_node_put(owner);
}

static const struct gen_ops dir_listing = {
    .fill = list_dir,
    .stat = stat_dir,
    .release = release_dir,
};

/* --- FIFOs: a named pipe (fs/pipe.c) whose ends hold the node -------------------- */

static void fifo_get(void *node)
{
    tmpfs_node_get(node);
}

static void fifo_put(void *node)
{
    tmpfs_node_put(node);
}

static void fifo_stat(void *node, struct fileio_stat *st)
{
    tmpfs_node_stat(node, st);
}

static const struct pipe_node_ops fifo_node = {
    .get = fifo_get,
    .put = fifo_put,
    .stat = fifo_stat,
};

int tmpfs_file_open(struct tmpfs_node *n, uint32_t flags, struct file **out)
{
    uint32_t type = n->mode & S_IFMT;
    if (!(flags & O_PATH)) {
        if (type == S_IFIFO)
            return pipe_open_named(&n->fifo, &fifo_node, n, flags, out);
        if (type == S_IFSOCK)
            return -ENXIO; /* no socket is bound to it */
    }
    tmpfs_node_get(n);
    if (type == S_IFDIR) {
        struct fileio_stat st;
        tmpfs_node_stat(n, &st);
        return gen_file_open(&dir_listing, n, &st, flags | O_LARGEFILE, out);
    }
    /* Symlinks, FIFOs and sockets opened with O_PATH: fstat and close. */
    struct file *f = file_alloc(type == S_IFREG ? &tmpfs_file_ops : &tmpfs_link_ops,
                                flags | O_LARGEFILE);
    if (f == 0) {
        tmpfs_node_put(n);
        return -ENOMEM;
    }
    f->priv = n;
    *out = f;
    return 0;
}
