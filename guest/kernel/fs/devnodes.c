#include "fs/devnodes.h"

#include "fs/fd.h"
#include "fs/file.h"
#include "fs/gen_file.h"
#include "kernel/random.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"

#define DEVTMPFS_DEV 5 /* st_dev of the nodes: any fixed value, as devtmpfs has */

struct devnode {
    const char *path;
    uint32_t major, minor; /* Linux's numbers for the device */
    const struct file_ops *ops;
};

/* --- operations ------------------------------------------------------------------ */

static int64_t read_nothing(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    (void)f, (void)ubuf, (void)len, (void)offset;
    return 0;
}

static int64_t write_discard(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    (void)f, (void)ubuf, (void)offset;
    return (int64_t)len;
}

static int64_t write_full(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    (void)f, (void)ubuf, (void)len, (void)offset;
    return -ENOSPC;
}

static int64_t zero_segments(void *ctx, const struct minivm_sg *sg, uint32_t nseg, uint64_t done)
{
    (void)ctx, (void)done;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nseg; i++) {
        memset(phys_to_virt(sg[i].gpa), 0, sg[i].len);
        total += sg[i].len;
    }
    return (int64_t)total;
}

static int64_t read_zeros(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    (void)f, (void)offset;
    if (len == 0)
        return 0;
    return transfer_user_buffer(ubuf, len, ACCESS_WRITE, zero_segments, 0);
}

/* MAP_PRIVATE of /dev/zero: zero pages, like anonymous memory. */
static int64_t read_phys_zeros(struct file *f, uint64_t pa, uint64_t len, uint64_t offset)
{
    (void)f, (void)offset;
    memset(phys_to_virt(pa), 0, len);
    return (int64_t)len;
}

static int64_t read_random(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    (void)f, (void)offset;
    return random_to_user(ubuf, len);
}

/* Seeking a character device succeeds and leaves position 0, as on Linux. */
static int64_t seek_nowhere(struct file *f, int64_t offset, int whence)
{
    (void)f, (void)offset, (void)whence;
    return 0;
}

static int stat_node(struct file *f, struct fileio_stat *st);

static const struct file_ops null_ops = {
    .read = read_nothing, .write = write_discard, .lseek = seek_nowhere, .stat = stat_node};
static const struct file_ops zero_ops = {.read = read_zeros,
                                         .write = write_discard,
                                         .lseek = seek_nowhere,
                                         .stat = stat_node,
                                         .read_phys = read_phys_zeros};
static const struct file_ops full_ops = {
    .read = read_zeros, .write = write_full, .lseek = seek_nowhere, .stat = stat_node};
/* Two tables with the same functions: stat tells the nodes apart by ops. */
static const struct file_ops random_ops = {
    .read = read_random, .write = write_discard, .lseek = seek_nowhere, .stat = stat_node};
static const struct file_ops urandom_ops = {
    .read = read_random, .write = write_discard, .lseek = seek_nowhere, .stat = stat_node};

static const struct devnode nodes[] = {
    {"/dev/null", 1, 3, &null_ops},       {"/dev/zero", 1, 5, &zero_ops},
    {"/dev/full", 1, 7, &full_ops},       {"/dev/random", 1, 8, &random_ops},
    {"/dev/urandom", 1, 9, &urandom_ops},
};
#define NODE_COUNT (sizeof nodes / sizeof nodes[0])

static int stat_node(struct file *f, struct fileio_stat *st)
{
    for (uint64_t i = 0; i < NODE_COUNT; i++) {
        if (nodes[i].ops == f->ops) {
            devnode_stat(&nodes[i], st);
            return 0;
        }
    }
    return -EINVAL; /* not reached: only node files have these ops */
}

/* --- lookup ------------------------------------------------------------------------ */

const struct devnode *devnode_find(const char *path)
{
    if (strncmp(path, "/dev/", 5) != 0)
        return 0; /* the common case, decided at once */
    for (uint64_t i = 0; i < NODE_COUNT; i++) {
        if (strcmp(path, nodes[i].path) == 0)
            return &nodes[i];
    }
    return 0;
}

int devnode_open(const struct devnode *node, uint32_t flags, struct file **out)
{
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
        return -EEXIST;
    struct file *f = file_alloc(node->ops, flags | O_LARGEFILE);
    if (f == 0)
        return -ENOMEM;
    *out = f;
    return 0;
}

void devnode_stat(const struct devnode *node, struct fileio_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = DEVTMPFS_DEV;
    st->ino = (uint64_t)(node - nodes) + 1;
    st->nlink = 1;
    st->mode = S_IFCHR | 0666;
    st->rdev = (uint64_t)node->major << 8 | node->minor; /* Linux's dev_t for small numbers */
    st->blksize = 4096;
}

/* Decimal digits to the end of `s`: the number (capped at FD_MAX), or -1. */
static int parse_fd(const char *s)
{
    if (*s == 0)
        return -1;
    int n = 0;
    for (; *s != 0; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        n = n * 10 + (*s - '0');
        if (n > FD_MAX)
            n = FD_MAX;
    }
    return n;
}

int devnode_fd_alias(const char *path)
{
    static const char *const std_names[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
    if (strncmp(path, "/proc/self/fd/", 14) == 0)
        return parse_fd(path + 14);
    if (strncmp(path, "/dev/", 5) != 0)
        return -1;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        return parse_fd(path + 8);
    for (int fd = 0; fd < 3; fd++) {
        if (strcmp(path, std_names[fd]) == 0)
            return fd;
    }
    return -1;
}

void devnode_list(struct text *t)
{
    for (uint64_t i = 0; i < NODE_COUNT; i++)
        gen_dir_add(t, i + 1, DT_CHR, nodes[i].path + 5); /* past "/dev/" */
}
