#include "fs/file.h"

#include "fs/locks.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"

struct file *file_alloc(const struct file_ops *ops, uint32_t flags)
{
    struct file *f = kzalloc(sizeof *f);
    if (f == 0)
        return 0;
    f->refcount = 1;
    f->ops = ops;
    f->flags = flags;
    f->handle = -1;
    return f;
}

void file_get(struct file *f)
{
    KASSERT(f->refcount > 0);
    f->refcount++;
}

void file_put(struct file *f)
{
    KASSERT(f->refcount > 0);
    if (--f->refcount > 0)
        return;
    locks_file_released(f);
    if (f->ops->release != 0)
        f->ops->release(f);
    kfree(f->path);
    kfree(f);
}

bool file_readable(const struct file *f)
{
    uint32_t mode = f->flags & O_ACCMODE;
    return !(f->flags & O_PATH) && (mode == O_RDONLY || mode == O_RDWR);
}

bool file_writable(const struct file *f)
{
    uint32_t mode = f->flags & O_ACCMODE;
    return !(f->flags & O_PATH) && (mode == O_WRONLY || mode == O_RDWR);
}

int64_t file_read_into_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    if (f->ops->read_phys == 0)
        return -ENODEV;
    return f->ops->read_phys(f, pa, len, offset);
}

int64_t transfer_user_buffer(uint64_t ubuf, uint64_t len, uint32_t access, chunk_xfer_fn xfer,
                             void *ctx)
{
    uint64_t done = 0;
    while (done < len) {
        struct minivm_sg sg[MINIVM_SG_MAX];
        uint32_t nseg = 0;
        int64_t covered = user_buffer_segments(ubuf + done, len - done, access, sg, &nseg);
        if (covered < 0)
            return done > 0 ? (int64_t)done : covered;
        int64_t n = xfer(ctx, sg, nseg, done);
        if (n < 0)
            return done > 0 ? (int64_t)done : n;
        if ((uint64_t)n > (uint64_t)covered)
            n = covered; /* a host answering more than asked: believe the smaller */
        done += (uint64_t)n;
        if (n < covered)
            break;
    }
    return (int64_t)done;
}
