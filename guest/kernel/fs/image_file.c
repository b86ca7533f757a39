#include "fs/image_file.h"

#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"

static int64_t image_read_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    if (offset >= f->image_size)
        return 0;
    if (len > f->image_size - offset)
        len = f->image_size - offset;
    memcpy(phys_to_virt(pa), phys_to_virt(f->image_pa + offset), len);
    return (int64_t)len;
}

static int64_t image_map_phys(struct file *f, uint64_t offset)
{
    /* Only whole pages of the image: the rest of a last partial page is not the file's. */
    if ((offset & ~PAGE_MASK) != 0 || (f->image_pa & ~PAGE_MASK) != 0 ||
        offset >= f->image_size || f->image_size - offset < PAGE_SIZE)
        return -EINVAL;
    return (int64_t)(f->image_pa + offset);
}

static const struct file_ops image_ops = {
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
