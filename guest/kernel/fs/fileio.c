#include "fs/fileio.h"

#include "fs/attr.h"
#include "fs/file.h"
#include "fs/page_cache.h"
#include "kernel/hypercall.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/process.h"

/* One argument block and the path buffers it points at, all in the kernel
 * image (physically contiguous, below 4 GiB). One CPU, no kernel preemption:
 * one set is enough; SMP will want one per CPU. */
static struct fileio_args block __attribute__((aligned(64)));
static char path_buf[FILEIO_PATH_MAX];
static char path2_buf[FILEIO_PATH_MAX];
/* getdents/readlink answers land here first: the ABI gives them one segment. */
static char bounce[32 * 1024] __attribute__((aligned(4096)));

static int set_path(const char *path);

static void begin(uint32_t op)
{
    memset(&block, 0, sizeof block);
    block.hdr.op = op;
    block.handle = -1;
    block.dir = FILEIO_DIR_ROOT;
    block.dir2 = FILEIO_DIR_ROOT;
}

/* A path operation: its path, and how the host may resolve it. */
static int begin_path(uint32_t op, const char *path, uint32_t resolve)
{
    begin(op);
    block.resolve = resolve;
    return set_path(path);
}

/* Every path is absolute: the host resolves it from the root (fileio_abi.h). */
static int set_path(const char *path)
{
    uint64_t len = strnlen(path, FILEIO_PATH_MAX + 1);
    if (len > FILEIO_PATH_MAX)
        return -ENAMETOOLONG;
    memcpy(path_buf, path, len);
    block.path_gpa = virt_to_phys(path_buf);
    block.path_len = len;
    return 0;
}

static int64_t call(const struct fileio_device *d)
{
    return hypercall(d->port, &block.hdr);
}

int64_t fileio_open(const struct fileio_device *d, const char *path, uint32_t resolve,
                    uint32_t flags, uint32_t mode)
{
    int err = begin_path(FILEIO_OP_OPEN, path, resolve);
    if (err != 0)
        return err;
    block.flags = flags;
    block.mode = mode;
    return call(d);
}

int64_t fileio_stat(const struct fileio_device *d, const char *path, uint32_t resolve,
                    uint32_t flags, struct fileio_stat *st)
{
    int err = begin_path(FILEIO_OP_STAT, path, resolve);
    if (err != 0)
        return err;
    block.flags = flags;
    int64_t r = call(d);
    if (r >= 0)
        *st = block.stat;
    return r;
}

int64_t fileio_readlink(const struct fileio_device *d, const char *path, uint32_t resolve,
                        char *buf, uint64_t size)
{
    int err = begin_path(FILEIO_OP_READLINK, path, resolve);
    if (err != 0)
        return err;
    if (size > sizeof bounce)
        size = sizeof bounce;
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(bounce), .len = size};
    int64_t r = call(d);
    if (r > 0) {
        if ((uint64_t)r > size)
            r = (int64_t)size;
        memcpy(buf, bounce, (uint64_t)r);
    }
    return r;
}

int64_t fileio_access(const struct fileio_device *d, const char *path, uint32_t resolve,
                      uint32_t mode, uint32_t flags)
{
    int err = begin_path(FILEIO_OP_ACCESS, path, resolve);
    if (err != 0)
        return err;
    block.mode = mode;
    block.flags = flags;
    return call(d);
}

int64_t fileio_unlink(const struct fileio_device *d, const char *path, uint32_t resolve,
                      uint32_t flags)
{
    int err = begin_path(FILEIO_OP_UNLINK, path, resolve);
    if (err != 0)
        return err;
    block.flags = flags;
    return call(d);
}

int64_t fileio_mkdir(const struct fileio_device *d, const char *path, uint32_t resolve,
                     uint32_t mode)
{
    int err = begin_path(FILEIO_OP_MKDIR, path, resolve);
    if (err != 0)
        return err;
    block.mode = mode;
    return call(d);
}

/* The second path of RENAME, SYMLINK (the target text) and LINK. */
static int set_path2(const char *path2)
{
    uint64_t len = strnlen(path2, FILEIO_PATH_MAX + 1);
    if (len > FILEIO_PATH_MAX)
        return -ENAMETOOLONG;
    memcpy(path2_buf, path2, len);
    block.path2_gpa = virt_to_phys(path2_buf);
    block.path2_len = len;
    return 0;
}

/* An operation on two names: RENAME, SYMLINK, LINK. */
static int64_t two_path_call(const struct fileio_device *d, uint32_t op, const char *path,
                             const char *path2, uint32_t resolve)
{
    int err = begin_path(op, path, resolve);
    if (err == 0)
        err = set_path2(path2);
    return err != 0 ? err : call(d);
}

int64_t fileio_rename(const struct fileio_device *d, const char *path, const char *path2,
                      uint32_t resolve)
{
    return two_path_call(d, FILEIO_OP_RENAME, path, path2, resolve);
}

int64_t fileio_symlink(const struct fileio_device *d, const char *linkpath, uint32_t resolve,
                       const char *target)
{
    return two_path_call(d, FILEIO_OP_SYMLINK, linkpath, target, resolve);
}

int64_t fileio_link(const struct fileio_device *d, const char *oldpath, const char *newpath,
                    uint32_t resolve)
{
    return two_path_call(d, FILEIO_OP_LINK, oldpath, newpath, resolve);
}

int64_t fileio_utimens(const struct fileio_device *d, const char *path, uint32_t resolve,
                       const int64_t times[4], uint32_t flags)
{
    int err = begin_path(FILEIO_OP_UTIMENS, path, resolve);
    if (err != 0)
        return err;
    memcpy(block.times, times, sizeof block.times);
    block.flags = flags;
    return call(d);
}

int64_t fileio_chmod(const struct fileio_device *d, const char *path, uint32_t resolve,
                     uint32_t mode, uint32_t flags)
{
    int err = begin_path(FILEIO_OP_CHMOD, path, resolve);
    if (err != 0)
        return err;
    block.mode = mode;
    block.flags = flags;
    return call(d);
}

/* The host id for guest id `id` (fileio.h: the guest's own is the VMM's). */
static uint32_t host_id(uint32_t id, uint32_t own)
{
    return id == own ? FILEIO_ID_UNCHANGED : id;
}

int64_t fileio_chown(const struct fileio_device *d, const char *path, uint32_t resolve,
                     uint32_t uid, uint32_t gid, uint32_t flags)
{
    int err = begin_path(FILEIO_OP_CHOWN, path, resolve);
    if (err != 0)
        return err;
    block.uid = host_id(uid, PROCESS_UID);
    block.gid = host_id(gid, PROCESS_GID);
    block.flags = flags;
    return call(d);
}

/* STATFS's answer lands in the bounce buffer (one segment), then in *out. */
static int64_t statfs_call(const struct fileio_device *d, struct fileio_statfs *out)
{
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(bounce), .len = sizeof *out};
    int64_t r = call(d);
    if (r == 0)
        memcpy(out, bounce, sizeof *out);
    return r;
}

int64_t fileio_statfs(const struct fileio_device *d, const char *path, uint32_t resolve,
                      struct fileio_statfs *out)
{
    int err = begin_path(FILEIO_OP_STATFS, path, resolve);
    if (err != 0)
        return err;
    return statfs_call(d, out);
}

int64_t fileio_mount_info(const struct fileio_device *d, char *point, uint64_t size,
                          bool *writable)
{
    begin(FILEIO_OP_MOUNT_INFO);
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(bounce), .len = sizeof bounce};
    int64_t r = call(d);
    if (r < 0)
        return r;
    uint64_t len = (uint64_t)r & (FILEIO_MOUNT_WRITABLE - 1);
    if (len == 0 || len >= size)
        return -ENAMETOOLONG;
    memcpy(point, bounce, len);
    point[len] = 0;
    *writable = ((uint64_t)r & FILEIO_MOUNT_WRITABLE) != 0;
    return 0;
}

/* --- files backed by a fileio handle ---------------------------------------- */

/* The device a fileio file's handle belongs to. */
static const struct fileio_device *device_of(const struct file *f)
{
    return f->priv;
}

/* An operation on the handle of fileio file `f`. */
static void begin_handle(uint32_t op, const struct file *f)
{
    begin(op);
    block.handle = f->handle;
}

struct rw_ctx {
    uint32_t op;
    const struct file *file;
    int64_t offset; /* -1: the file position */
};

static int64_t rw_chunk(void *arg, const struct minivm_sg *sg, uint32_t nseg, uint64_t done)
{
    const struct rw_ctx *ctx = arg;
    begin_handle(ctx->op, ctx->file);
    block.offset = ctx->offset < 0 ? -1 : ctx->offset + (int64_t)done;
    block.nseg = nseg;
    memcpy(block.seg, sg, nseg * sizeof sg[0]);
    return call(device_of(ctx->file));
}

static int64_t fileio_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct rw_ctx ctx = {.op = FILEIO_OP_READ, .file = f, .offset = offset};
    return transfer_user_buffer(ubuf, len, ACCESS_WRITE, rw_chunk, &ctx);
}

static int64_t fileio_write(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct rw_ctx ctx = {.op = FILEIO_OP_WRITE, .file = f, .offset = offset};
    int64_t n = transfer_user_buffer(ubuf, len, ACCESS_READ, rw_chunk, &ctx);
    if (n > 0)
        page_cache_forget(f);
    return n;
}

int64_t fileio_read_pages(const struct file *f, uint64_t offset, const uint64_t *pas,
                          uint32_t count)
{
    if (count == 0 || count > MINIVM_SG_MAX)
        return -EINVAL;
    /* A host may answer a read of several segments short (a network
     * filesystem, 9p, does): ask again for the rest until the end of the
     * file. The segments are built once; a retry copies the rest of them. */
    struct minivm_sg segs[MINIVM_SG_MAX];
    for (uint32_t i = 0; i < count; i++)
        segs[i] = (struct minivm_sg){.gpa = pas[i], .len = PAGE_SIZE};
    uint64_t done = 0, want = (uint64_t)count * PAGE_SIZE;
    while (done < want) {
        begin_handle(FILEIO_OP_READ, f);
        block.offset = (int64_t)(offset + done);
        uint32_t first = (uint32_t)(done / PAGE_SIZE);
        uint64_t skip = done % PAGE_SIZE;
        block.nseg = count - first;
        memcpy(block.seg, &segs[first], (count - first) * sizeof segs[0]);
        block.seg[0].gpa += skip;
        block.seg[0].len -= skip;
        int64_t n = call(device_of(f));
        if (n < 0)
            return done > 0 ? (int64_t)done : n;
        if (n == 0)
            break; /* the end of the file */
        done += (uint64_t)n;
    }
    return (int64_t)done;
}

bool fileio_same_device(const struct file *a, const struct file *b)
{
    return device_of(a) == device_of(b);
}

static int64_t fileio_read_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    begin_handle(FILEIO_OP_READ, f);
    block.offset = (int64_t)offset;
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = pa, .len = len};
    return call(device_of(f));
}

static int64_t fileio_lseek(struct file *f, int64_t offset, int whence)
{
    begin_handle(FILEIO_OP_LSEEK, f);
    block.offset = offset;
    block.whence = whence;
    return call(device_of(f));
}

static int fileio_fstat(struct file *f, struct fileio_stat *st)
{
    begin_handle(FILEIO_OP_FSTAT, f);
    int64_t r = call(device_of(f));
    if (r < 0)
        return (int)r;
    *st = block.stat;
    f->identity_known = true;
    f->dev = st->dev;
    f->ino = st->ino;
    return 0;
}

int fileio_identity(struct file *f, uint64_t *dev, uint64_t *ino)
{
    struct fileio_stat st;
    if (!f->identity_known && fileio_fstat(f, &st) != 0)
        return -EIO;
    *dev = f->dev;
    *ino = f->ino;
    return 0;
}

static int64_t fileio_ioctl(struct file *f, uint64_t cmd, uint64_t arg)
{
    (void)f;
    (void)cmd;
    (void)arg;
    return -ENOTTY;
}

static int64_t fileio_getdents64(struct file *f, uint64_t ubuf, uint64_t len)
{
    if (len > sizeof bounce)
        len = sizeof bounce;
    begin_handle(FILEIO_OP_GETDENTS, f);
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(bounce), .len = len};
    int64_t r = call(device_of(f));
    if (r <= 0)
        return r;
    if ((uint64_t)r > len)
        return -EIO;
    int err = copy_to_user(ubuf, bounce, (uint64_t)r);
    return err != 0 ? err : r;
}

static void fileio_release(struct file *f)
{
    begin_handle(FILEIO_OP_CLOSE, f);
    call(device_of(f));
}

static int fileio_truncate_op(struct file *f, uint64_t length)
{
    int err = (int)fileio_ftruncate(f, (int64_t)length);
    if (err == 0)
        page_cache_forget(f);
    return err;
}

static int fileio_fsync_op(struct file *f)
{
    return (int)fileio_fsync(f);
}

static int fileio_utimens_op(struct file *f, const int64_t times[4], uint32_t flags)
{
    return (int)fileio_futimens(f, times, flags);
}

/* fchmod and fchown: EROFS on a read-only mount before any host call. */
static int fileio_chmod_op(struct file *f, uint32_t mode)
{
    if (!device_of(f)->writable)
        return -EROFS;
    return (int)fileio_fchmod(f, mode);
}

static int fileio_chown_op(struct file *f, uint32_t uid, uint32_t gid)
{
    if (!device_of(f)->writable)
        return -EROFS;
    struct fileio_stat st;
    int err = fileio_fstat(f, &st);
    if (err != 0)
        return err;
    if (!chown_permitted(&st, uid, gid))
        return -EPERM;
    return (int)fileio_fchown(f, uid, gid);
}

static int fileio_statfs_op(struct file *f, struct fileio_statfs *out)
{
    return (int)fileio_fstatfs(f, out);
}

static const struct file_ops fileio_ops = {
    .read = fileio_read,
    .write = fileio_write,
    .lseek = fileio_lseek,
    .stat = fileio_fstat,
    .ioctl = fileio_ioctl,
    .getdents64 = fileio_getdents64,
    .read_phys = fileio_read_phys,
    .page_object = page_cache_object,
    .truncate = fileio_truncate_op,
    .fsync = fileio_fsync_op,
    .utimens = fileio_utimens_op,
    .chmod = fileio_chmod_op,
    .chown = fileio_chown_op,
    .statfs = fileio_statfs_op,
    .release = fileio_release,
};

struct file *fileio_file(const struct fileio_device *d, int32_t handle, uint32_t open_flags)
{
    struct file *f = file_alloc(&fileio_ops, open_flags);
    if (f == 0) {
        begin(FILEIO_OP_CLOSE);
        block.handle = handle;
        call(d);
        return 0;
    }
    f->handle = handle;
    f->priv = (void *)d;
    return f;
}

bool fileio_is_host_file(const struct file *f)
{
    return f->ops == &fileio_ops;
}

int64_t fileio_ftruncate(const struct file *f, int64_t length)
{
    begin_handle(FILEIO_OP_FTRUNCATE, f);
    block.offset = length;
    return call(device_of(f));
}

int64_t fileio_fsync(const struct file *f)
{
    begin_handle(FILEIO_OP_FSYNC, f);
    return call(device_of(f));
}

int64_t fileio_futimens(const struct file *f, const int64_t times[4], uint32_t flags)
{
    begin_handle(FILEIO_OP_UTIMENS, f);
    block.path_len = 0;
    memcpy(block.times, times, sizeof block.times);
    block.flags = flags;
    return call(device_of(f));
}

int64_t fileio_fchmod(const struct file *f, uint32_t mode)
{
    begin_handle(FILEIO_OP_CHMOD, f);
    block.mode = mode;
    return call(device_of(f));
}

int64_t fileio_fchown(const struct file *f, uint32_t uid, uint32_t gid)
{
    begin_handle(FILEIO_OP_CHOWN, f);
    block.uid = host_id(uid, PROCESS_UID);
    block.gid = host_id(gid, PROCESS_GID);
    return call(device_of(f));
}

int64_t fileio_fstatfs(const struct file *f, struct fileio_statfs *out)
{
    begin_handle(FILEIO_OP_STATFS, f);
    return statfs_call(device_of(f), out);
}

int64_t fileio_write_phys(struct file *f, uint64_t pa, uint64_t len, int64_t offset)
{
    begin_handle(FILEIO_OP_WRITE, f);
    block.offset = offset;
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = pa, .len = len};
    int64_t n = call(device_of(f));
    if (n > 0)
        page_cache_forget(f); /* as a write(2): later mappings read the file afresh */
    return n;
}
