#include "fs/image_file.h"

#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/uaccess.h"

/* st_dev of the image: it lies on no filesystem of the guest. */
#define IMAGE_DEV 0x1

static int64_t image_read_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    if (offset >= f->image_size)
        return 0;
    if (len > f->image_size - offset)
        len = f->image_size - offset;
    memcpy(phys_to_virt(pa), phys_to_virt(f->image_pa + offset), len);
    return (int64_t)len;
}

static int64_t image_map_phys(struct file *f, uint64_t offset, uint64_t *pages)
{
    /* Only whole pages of the image: the rest of a last partial page is not the file's. */
    if ((offset & ~PAGE_MASK) != 0 || (f->image_pa & ~PAGE_MASK) != 0 ||
        offset >= f->image_size || f->image_size - offset < PAGE_SIZE)
        return -EINVAL;
    *pages = (f->image_size - offset) / PAGE_SIZE;
    return (int64_t)(f->image_pa + offset);
}

/* Read by a program that opened /proc/self/exe. */
static int64_t image_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    uint64_t at = offset < 0 ? f->pos : (uint64_t)offset;
    if (at >= f->image_size)
        return 0;
    if (len > f->image_size - at)
        len = f->image_size - at;
    int err = copy_to_user(ubuf, phys_to_virt(f->image_pa + at), len);
    if (err != 0)
        return err;
    if (offset < 0)
        f->pos = at + len;
    return (int64_t)len;
}

static int64_t image_lseek(struct file *f, int64_t offset, int whence)
{
    int64_t base = whence == 0 ? 0 : whence == 1 ? (int64_t)f->pos
                                 : whence == 2 ? (int64_t)f->image_size : -1;
    if (base < 0 || (offset < 0 && -offset > base))
        return -EINVAL;
    f->pos = (uint64_t)(base + offset);
    return (int64_t)f->pos;
}

static int image_stat(struct file *f, struct fileio_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = IMAGE_DEV;
    st->ino = 1;
    st->nlink = 1;
    st->mode = S_IFREG | 0755;
    st->size = (int64_t)f->image_size;
    st->blksize = PAGE_SIZE;
    st->blocks = (int64_t)((f->image_size + 511) / 512);
    return 0;
}

static const struct file_ops image_ops = {
    .read = image_read,
    .lseek = image_lseek,
    .stat = image_stat,
    .read_phys = image_read_phys,
    .map_phys = image_map_phys,
};

struct file *image_file_open(uint64_t pa, uint64_t size)
{
    struct file *f = file_alloc(&image_ops, O_RDONLY);
    if (f != 0) {
        f->image_pa = pa;
        f->image_size = size;
    }
    return f;
}

struct file *image_file_reopen(const struct file *f, uint32_t flags)
{
    if (!image_file_is(f))
        return 0;
    struct file *copy = image_file_open(f->image_pa, f->image_size);
    if (copy != 0)
        copy->flags = (flags & ~(uint32_t)O_ACCMODE) | O_RDONLY;
    return copy;
}

bool image_file_is(const struct file *f)
{
    return f->ops == &image_ops;
}
