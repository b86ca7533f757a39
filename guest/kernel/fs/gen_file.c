#include "fs/gen_file.h"

#include "fs/file.h"
#include "fs/object_io.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "mm/vm_object.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

struct gen_file {
    const struct gen_ops *ops;
    void *owner;
    struct fileio_stat st;
    struct vm_object *o; /* the bytes, or NULL before the first fill */
    uint64_t size;
};

/* struct linux_dirent64 without its name. */
struct dirent_head {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
} __attribute__((packed));

static struct gen_file *gen(struct file *f)
{
    return f->priv;
}

/* (Re)generates the bytes. */
static int fill(struct gen_file *g)
{
    struct text t;
    int err = text_begin(&t);
    if (err != 0)
        return err;
    err = g->ops->fill(g->owner, &t);
    if (err == 0)
        err = t.err;
    if (err != 0) {
        text_discard(&t);
        return err;
    }
    if (g->o != 0)
        vm_object_put(g->o);
    g->o = t.o;
    g->size = t.len;
    return 0;
}

static int64_t gen_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct gen_file *g = gen(f);
    if ((g->st.mode & S_IFMT) == S_IFDIR)
        return -EISDIR;
    uint64_t at = offset < 0 ? f->pos : (uint64_t)offset;
    int64_t n = object_read_user(g->o, g->size, ubuf, len, at);
    if (n > 0 && offset < 0)
        f->pos += (uint64_t)n;
    return n;
}

static int64_t gen_lseek(struct file *f, int64_t offset, int whence)
{
    struct gen_file *g = gen(f);
    int64_t base = whence == SEEK_SET   ? 0
                   : whence == SEEK_CUR ? (int64_t)f->pos
                   : whence == SEEK_END ? (int64_t)g->size
                                        : -1;
    if (base < 0 || (offset < 0 && -offset > base))
        return -EINVAL;
    uint64_t to = (uint64_t)(base + offset);
    if (to == 0) {
        /* Rewound: the contents as they are now (rewinddir, re-reading a
         * /proc file through the same descriptor). */
        int err = fill(g);
        if (err != 0)
            return err;
    }
    f->pos = to;
    return (int64_t)to;
}

static int gen_stat(struct file *f, struct fileio_stat *st)
{
    struct gen_file *g = gen(f);
    if (g->ops->stat != 0)
        return g->ops->stat(g->owner, st);
    *st = g->st;
    return 0;
}

static int64_t gen_getdents64(struct file *f, uint64_t ubuf, uint64_t len)
{
    struct gen_file *g = gen(f);
    if ((g->st.mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    uint64_t done = 0;
    while (f->pos < g->size) {
        struct dirent_head h;
        if (object_read_kernel(g->o, g->size, &h, sizeof h, f->pos) != sizeof h)
            break;
        if (done + h.d_reclen > len)
            break;
        int64_t n = object_read_user(g->o, g->size, ubuf + done, h.d_reclen, f->pos);
        if (n < 0)
            return done > 0 ? (int64_t)done : n;
        done += h.d_reclen;
        f->pos += h.d_reclen;
    }
    if (done == 0 && f->pos < g->size)
        return -EINVAL; /* the buffer is too small for the next entry */
    return (int64_t)done;
}

static int64_t gen_read_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    struct gen_file *g = gen(f);
    uint64_t n = object_read_kernel(g->o, g->size, phys_to_virt(pa), len, offset);
    return (int64_t)n;
}

static void gen_release(struct file *f)
{
    struct gen_file *g = gen(f);
    if (g->o != 0)
        vm_object_put(g->o);
    if (g->ops->release != 0)
        g->ops->release(g->owner);
    else
        kfree(g->owner);
    kfree(g);
}

static const struct file_ops gen_file_ops = {
    .read = gen_read,
    .lseek = gen_lseek,
    .stat = gen_stat,
    .getdents64 = gen_getdents64,
    .read_phys = gen_read_phys,
    .release = gen_release,
};

int gen_file_open(const struct gen_ops *ops, void *owner, const struct fileio_stat *st,
                  uint32_t flags, struct file **out)
{
    struct gen_file *g = kzalloc(sizeof *g);
    struct file *f = g != 0 ? file_alloc(&gen_file_ops, flags) : 0;
    if (f == 0) {
        kfree(g);
        if (ops->release != 0)
            ops->release(owner);
        else
            kfree(owner);
        return -ENOMEM;
    }
    g->ops = ops;
    g->owner = owner;
    g->st = *st;
    f->priv = g;
    int err = fill(g);
    if (err != 0) {
        file_put(f); /* releases the owner */
        return err;
    }
    *out = f;
    return 0;
}

void gen_dir_add(struct text *t, uint64_t ino, uint8_t type, const char *name)
{
    uint64_t name_len = strlen(name);
    uint16_t reclen = (uint16_t)((sizeof(struct dirent_head) + name_len + 1 + 7) & ~7ull);
    struct dirent_head h = {.d_ino = ino,
                            .d_off = (int64_t)(t->len + reclen),
                            .d_reclen = reclen,
                            .d_type = type};
    static const char zeros[8];
    text_append(t, &h, sizeof h);
    text_append(t, name, name_len);
    text_append(t, zeros, reclen - sizeof h - name_len);
}

uint8_t gen_dir_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
        return DT_DIR;
    case S_IFREG:
        return DT_REG;
    case S_IFLNK:
        return DT_LNK;
    case S_IFCHR:
        return DT_CHR;
    case S_IFIFO:
        return DT_FIFO;
    case S_IFSOCK:
        return DT_SOCK;
    default:
        return DT_UNKNOWN;
    }
}
