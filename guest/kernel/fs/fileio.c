#include "fs/fileio.h"

#include "fs/file.h"
#include "kernel/devices.h"
#include "kernel/hypercall.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

/* One argument block and the path buffers it points at, all in the kernel
 * image (physically contiguous, below 4 GiB). One CPU, no kernel preemption:
 * one set is enough; SMP will want one per CPU. */
static struct fileio_args block __attribute__((aligned(64)));
static char path_buf[FILEIO_PATH_MAX];
static char path2_buf[FILEIO_PATH_MAX];
/* getdents/readlink answers land here first: the ABI gives them one segment. */
static char bounce[32 * 1024] __attribute__((aligned(4096)));

bool fileio_available(void)
{
    return devices()->has_fileio;
}

static void begin(uint32_t op)
{
    memset(&block, 0, sizeof block);
    block.hdr.op = op;
    block.handle = -1;
    block.dir = FILEIO_DIR_ROOT;
    block.dir2 = FILEIO_DIR_ROOT;
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

static int64_t call(void)
{
    if (!devices()->has_fileio)
        return -ENOSYS;
    return hypercall(devices()->fileio, &block.hdr);
}

int64_t fileio_open(const char *path, uint32_t flags, uint32_t mode)
{
    begin(FILEIO_OP_OPEN);
    int err = set_path(path);
    if (err != 0)
        return err;
    block.flags = flags;
    block.mode = mode;
    return call();
}

int64_t fileio_stat(const char *path, uint32_t flags, struct fileio_stat *st)
{
    begin(FILEIO_OP_STAT);
    int err = set_path(path);
    if (err != 0)
        return err;
    block.flags = flags;
    int64_t r = call();
    if (r >= 0)
        *st = block.stat;
    return r;
}

int64_t fileio_readlink(const char *path, char *buf, uint64_t size)
{
    begin(FILEIO_OP_READLINK);
    int err = set_path(path);
    if (err != 0)
        return err;
    if (size > sizeof bounce)
        size = sizeof bounce;
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(bounce), .len = size};
    int64_t r = call();
    if (r > 0) {
        if ((uint64_t)r > size)
            r = (int64_t)size;
        memcpy(buf, bounce, (uint64_t)r);
    }
    return r;
}

int64_t fileio_access(const char *path, uint32_t mode, uint32_t flags)
{
    begin(FILEIO_OP_ACCESS);
    int err = set_path(path);
    if (err != 0)
        return err;
    block.mode = mode;
    block.flags = flags;
    return call();
}

int64_t fileio_unlink(const char *path, uint32_t flags)
{
    begin(FILEIO_OP_UNLINK);
    int err = set_path(path);
    if (err != 0)
        return err;
    block.flags = flags;
    return call();
}

int64_t fileio_mkdir(const char *path, uint32_t mode)
{
    begin(FILEIO_OP_MKDIR);
    int err = set_path(path);
    if (err != 0)
        return err;
    block.mode = mode;
    return call();
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
static int64_t two_path_call(uint32_t op, const char *path, const char *path2)
{
    begin(op);
    int err = set_path(path);
    if (err == 0)
        err = set_path2(path2);
    return err != 0 ? err : call();
}

int64_t fileio_rename(const char *path, const char *path2)
{
    return two_path_call(FILEIO_OP_RENAME, path, path2);
}

int64_t fileio_symlink(const char *linkpath, const char *target)
{
    return two_path_call(FILEIO_OP_SYMLINK, linkpath, target);
}

int64_t fileio_link(const char *oldpath, const char *newpath)
{
    return two_path_call(FILEIO_OP_LINK, oldpath, newpath);
}

int64_t fileio_utimens(const char *path, int32_t handle, const int64_t times[4], uint32_t flags)
{
    begin(FILEIO_OP_UTIMENS);
    int err = set_path(path);
    if (err != 0)
        return err;
    block.handle = handle;
    memcpy(block.times, times, sizeof block.times);
    block.flags = flags;
    return call();
}

/* --- files backed by a fileio handle ---------------------------------------- */

struct rw_ctx {
    uint32_t op;
    int32_t handle;
    int64_t offset; /* -1: the file position */
};

static int64_t rw_chunk(void *arg, const struct minivm_sg *sg, uint32_t nseg, uint64_t done)
{
    const struct rw_ctx *ctx = arg;
    begin(ctx->op);
    block.handle = ctx->handle;
    block.offset = ctx->offset < 0 ? -1 : ctx->offset + (int64_t)done;
    block.nseg = nseg;
    memcpy(block.seg, sg, nseg * sizeof sg[0]);
    return call();
}

static int64_t fileio_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct rw_ctx ctx = {.op = FILEIO_OP_READ, .handle = f->handle, .offset = offset};
    return transfer_user_buffer(ubuf, len, ACCESS_WRITE, rw_chunk, &ctx);
}

static int64_t fileio_write(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct rw_ctx ctx = {.op = FILEIO_OP_WRITE, .handle = f->handle, .offset = offset};
    return transfer_user_buffer(ubuf, len, ACCESS_READ, rw_chunk, &ctx);
}

static int64_t fileio_read_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    begin(FILEIO_OP_READ);
    block.handle = f->handle;
    block.offset = (int64_t)offset;
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = pa, .len = len};
    return call();
}

static int64_t fileio_lseek(struct file *f, int64_t offset, int whence)
{
    begin(FILEIO_OP_LSEEK);
    block.handle = f->handle;
    block.offset = offset;
    block.whence = whence;
    return call();
}

static int fileio_fstat(struct file *f, struct fileio_stat *st)
{
    begin(FILEIO_OP_FSTAT);
    block.handle = f->handle;
    int64_t r = call();
    if (r >= 0)
        *st = block.stat;
    return r < 0 ? (int)r : 0;
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
    begin(FILEIO_OP_GETDENTS);
    block.handle = f->handle;
    block.nseg = 1;
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(bounce), .len = len};
    int64_t r = call();
    if (r <= 0)
        return r;
    if ((uint64_t)r > len)
        return -EIO;
    int err = copy_to_user(ubuf, bounce, (uint64_t)r);
    return err != 0 ? err : r;
}

static void fileio_release(struct file *f)
{
    begin(FILEIO_OP_CLOSE);
    block.handle = f->handle;
    call();
}

static const struct file_ops fileio_ops = {
    .read = fileio_read,
    .write = fileio_write,
    .lseek = fileio_lseek,
    .stat = fileio_fstat,
    .ioctl = fileio_ioctl,
    .getdents64 = fileio_getdents64,
    .read_phys = fileio_read_phys,
    .release = fileio_release,
};

struct file *fileio_file(int32_t handle, uint32_t open_flags)
{
    struct file *f = file_alloc(&fileio_ops, open_flags);
    if (f == 0) {
        begin(FILEIO_OP_CLOSE);
        block.handle = handle;
        call();
        return 0;
    }
    f->handle = handle;
    return f;
}

int32_t fileio_handle_of(const struct file *f)
{
    return f->ops == &fileio_ops ? f->handle : -1;
}

int64_t fileio_ftruncate(const struct file *f, int64_t length)
{
    begin(FILEIO_OP_FTRUNCATE);
    block.handle = f->handle;
    block.offset = length;
    return call();
}

int64_t fileio_fsync(const struct file *f)
{
    begin(FILEIO_OP_FSYNC);
    block.handle = f->handle;
    return call();
}
