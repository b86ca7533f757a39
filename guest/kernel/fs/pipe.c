#include "fs/pipe.h"

#include "fs/file.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "proc/signal.h"
#include "arch/percpu.h"

/* Linux's default capacity: 16 pages, allocated as data first arrives. */
#define PIPE_PAGES 16
#define PIPE_CAPACITY (PIPE_PAGES * PAGE_SIZE)

#define POLLIN 0x001
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define FIONREAD 0x541b
/* Linux's pipefs device number as stat shows it. */
#define PIPE_DEV 0xd

struct pipe {
    uint64_t pages[PIPE_PAGES]; /* physical pages of the ring, 0 until used */
    uint64_t head;              /* ring offset of the first unread byte */
    uint64_t count;             /* unread bytes */
    uint32_t readers, writers;  /* open ends (files, not descriptors) */
    uint64_t ino;
    /* Named pipes (FIFOs): the node, its ops, where it keeps this pipe, and
     * how many read and write opens there have been (an opener waits for
     * the other side's count to move, as Linux's r_counter/w_counter). */
    void *node;
    const struct pipe_node_ops *node_ops;
    struct pipe **slot;
    uint64_t reader_opens, writer_opens;
};

static uint64_t next_ino = 1;

/* Readers, writers and pollers all wait on the pipe (few processes: waking
 * every one of them is simpler than separate queues and costs little).
 * Returns how many were woken. */
static int wake_all(struct pipe *pp)
{
    return sched_wake(pp) + sched_wake(&sched_readiness_chan);
}

/* Kernel address of ring offset `off` and how many bytes follow it in its page. */
static char *ring_at(struct pipe *pp, uint64_t off, uint64_t *room)
{
    off %= PIPE_CAPACITY;
    *room = PAGE_SIZE - off % PAGE_SIZE;
    return phys_to_virt(pp->pages[off / PAGE_SIZE]) + off % PAGE_SIZE;
}

/* Moves up to `len` buffered bytes to the user; the count or -EFAULT. */
static int64_t drain(struct pipe *pp, uint64_t ubuf, uint64_t len)
{
    uint64_t done = 0;
    while (done < len && pp->count > 0) {
        uint64_t room;
        char *src = ring_at(pp, pp->head, &room);
        uint64_t n = len - done;
        if (n > room)
            n = room;
        if (n > pp->count)
            n = pp->count;
        if (copy_to_user(ubuf + done, src, n) != 0)
            return done > 0 ? (int64_t)done : -EFAULT;
        pp->head = (pp->head + n) % PIPE_CAPACITY;
        pp->count -= n;
        done += n;
    }
    return (int64_t)done;
}

/* Moves up to `len` user bytes into free space; the count or -EFAULT/-ENOMEM. */
static int64_t fill(struct pipe *pp, uint64_t ubuf, uint64_t len)
{
    uint64_t done = 0;
    while (done < len && pp->count < PIPE_CAPACITY) {
        uint64_t tail = (pp->head + pp->count) % PIPE_CAPACITY;
        if (pp->pages[tail / PAGE_SIZE] == 0) {
            pp->pages[tail / PAGE_SIZE] = pmm_alloc_page();
            if (pp->pages[tail / PAGE_SIZE] == 0)
                return done > 0 ? (int64_t)done : -ENOMEM;
        }
        uint64_t room;
        char *dst = ring_at(pp, tail, &room);
        uint64_t n = len - done;
        if (n > room)
            n = room;
        if (n > PIPE_CAPACITY - pp->count)
            n = PIPE_CAPACITY - pp->count;
        if (copy_from_user(dst, ubuf + done, n) != 0)
            return done > 0 ? (int64_t)done : -EFAULT;
        pp->count += n;
        done += n;
    }
    return (int64_t)done;
}

static int64_t pipe_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct pipe *pp = f->priv;
    if (offset != -1)
        return -ESPIPE;
    if (len == 0)
        return 0;
    while (pp->count == 0) {
        if (pp->writers == 0)
            return 0; /* end of file */
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending())
            return -ERESTARTSYS;
        sched_block(pp, 0);
    }
    int64_t n = drain(pp, ubuf, len);
    if (n > 0)
        wake_all(pp);
    return n;
}

static int64_t pipe_write(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    struct pipe *pp = f->priv;
    if (offset != -1)
        return -ESPIPE;
    uint64_t done = 0;
    while (done < len) {
        if (pp->readers == 0)
            return done > 0 ? (int64_t)done : -EPIPE;
        uint64_t space = PIPE_CAPACITY - pp->count;
        /* A write of at most PIPE_BUF bytes goes in whole or waits. */
        uint64_t need = len <= PIPE_BUF ? len : 1;
        if (space >= need) {
            int64_t n = fill(pp, ubuf + done, len - done);
            if (n < 0)
                return done > 0 ? (int64_t)done : n;
            done += (uint64_t)n;
            /* Let a waiting reader consume it now, as Linux's wake-up
             * preemption would: without a timer tick, a writer issuing many
             * small writes would otherwise fill the whole pipe first. */
            if (wake_all(pp) > 0)
                sched_yield_cpu();
            continue;
        }
        if (f->flags & O_NONBLOCK)
            return done > 0 ? (int64_t)done : -EAGAIN;
        if (signal_pending())
            return done > 0 ? (int64_t)done : -ERESTARTSYS;
        sched_block(pp, 0);
    }
    return (int64_t)done;
}

static uint32_t pipe_poll(struct file *f)
{
    struct pipe *pp = f->priv;
    uint32_t ready = 0;
    if (file_readable(f)) {
        if (pp->count > 0)
            ready |= POLLIN;
        if (pp->writers == 0)
            ready |= POLLHUP;
    }
    if (file_writable(f)) {
        if (pp->readers == 0)
            ready |= POLLERR;
        else if (PIPE_CAPACITY - pp->count >= PIPE_BUF)
            ready |= POLLOUT;
    }
    return ready;
}

static int pipe_stat(struct file *f, struct fileio_stat *st)
{
    struct pipe *pp = f->priv;
    if (pp->node != 0) {
        pp->node_ops->stat(pp->node, st);
        return 0;
    }
    *st = (struct fileio_stat){
        .dev = PIPE_DEV, .ino = pp->ino, .nlink = 1, .mode = S_IFIFO | 0600,
        .uid = 1000, .gid = 1000, .blksize = PAGE_SIZE,
    };
    return 0;
}

static int64_t pipe_ioctl(struct file *f, uint64_t cmd, uint64_t arg)
{
    struct pipe *pp = f->priv;
    if (cmd != FIONREAD)
        return -ENOTTY;
    int32_t n = (int32_t)pp->count;
    return copy_to_user(arg, &n, sizeof n);
}

static void pipe_release(struct file *f)
{
    struct pipe *pp = f->priv;
    if (file_readable(f))
        pp->readers--;
    if (file_writable(f))
        pp->writers--; /* both for a FIFO opened O_RDWR */
    wake_all(pp);
    void *node = pp->node;
    const struct pipe_node_ops *node_ops = pp->node_ops;
    if (pp->readers == 0 && pp->writers == 0) {
        /* A FIFO's unread bytes go with its last end, as on Linux. */
        for (int i = 0; i < PIPE_PAGES; i++) {
            if (pp->pages[i] != 0)
                pmm_free_page(pp->pages[i]);
        }
        if (pp->slot != 0)
            *pp->slot = 0;
        kfree(pp);
    }
    if (node != 0)
        node_ops->put(node);
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .stat = pipe_stat,
    .ioctl = pipe_ioctl,
    .poll = pipe_poll,
    .release = pipe_release,
};

int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end)
{
    struct pipe *pp = kzalloc(sizeof *pp);
    if (pp == 0)
        return -ENOMEM;
    pp->ino = next_ino++;
    *read_end = file_alloc(&pipe_ops, O_RDONLY | flags);
    *write_end = file_alloc(&pipe_ops, O_WRONLY | flags);
    if (*read_end == 0 || *write_end == 0) {
        kfree(*read_end);
        kfree(*write_end);
        kfree(pp);
        return -ENOMEM;
    }
    (*read_end)->priv = pp;
    (*write_end)->priv = pp;
    pp->readers = 1;
    pp->writers = 1;
    return 0;
}

/* Waits until `*count` moves past `seen` (the other side opened). */
static int wait_for_partner(struct pipe *pp, const uint64_t *count, uint64_t seen)
{
    while (*count == seen) {
        if (signal_pending())
            return -ERESTARTSYS;
        sched_block(pp, 0);
    }
    return 0;
}

int pipe_open_named(struct pipe **slot, const struct pipe_node_ops *ops, void *node,
                    uint32_t flags, struct file **out)
{
    uint32_t acc = flags & O_ACCMODE;
    if (acc != O_RDONLY && acc != O_WRONLY && acc != O_RDWR)
        return -EINVAL;
    struct pipe *pp = *slot;
    if (acc == O_WRONLY && (flags & O_NONBLOCK) && (pp == 0 || pp->readers == 0))
        return -ENXIO;
    if (pp == 0) {
        pp = kzalloc(sizeof *pp);
        if (pp == 0)
            return -ENOMEM;
        pp->ino = next_ino++;
        pp->node = node;
        pp->node_ops = ops;
        pp->slot = slot;
        *slot = pp;
    }
    struct file *f = file_alloc(&pipe_ops, flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC));
    if (f == 0) {
        if (pp->readers == 0 && pp->writers == 0) {
            *slot = 0;
            kfree(pp);
        }
        return -ENOMEM;
    }
    f->priv = pp;
    ops->get(node);
    /* From here the file is an end: pipe_release undoes all of it. */
    if (acc != O_WRONLY) {
        pp->readers++;
        pp->reader_opens++;
    }
    if (acc != O_RDONLY) {
        pp->writers++;
        pp->writer_opens++;
    }
    wake_all(pp);
    int err = 0;
    if (acc == O_RDONLY && !(flags & O_NONBLOCK) && pp->writers == 0)
        err = wait_for_partner(pp, &pp->writer_opens, pp->writer_opens);
    else if (acc == O_WRONLY && pp->readers == 0)
        err = wait_for_partner(pp, &pp->reader_opens, pp->reader_opens);
    if (err != 0) {
        file_put(f);
        return err;
    }
    *out = f;
    return 0;
}
