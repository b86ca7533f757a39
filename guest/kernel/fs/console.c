/*
 * Console-backed files: fds 0, 1 and 2 of a process. Data moves zero-copy
 * between the user buffer and the host's stdin/stdout/stderr, except small
 * writes, which go through the output ring (fs/console_ring.h).
 */
#include "fs/console.h"

#include "fs/console_ring.h"

#include "console/console_abi.h"
#include "fs/file.h"
#include "kernel/devices.h"
#include "kernel/hypercall.h"
#include "kernel/strace_out.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413


/* One block: a single CPU, and the kernel does not preempt itself. */
static struct console_args block __attribute__((aligned(64)));

struct console_xfer {
    uint32_t op;
    uint32_t stream;
};

static int64_t console_chunk(void *arg, const struct minivm_sg *sg, uint32_t nseg, uint64_t done)
{
    (void)done;
    const struct console_xfer *x = arg;
    memset(&block, 0, sizeof block);
    block.hdr.op = x->op;
    block.stream = x->stream;
    block.nseg = nseg;
    memcpy(block.seg, sg, nseg * sizeof sg[0]);
    return hypercall(devices()->console, &block.hdr);
}

static int64_t console_read(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    if (offset != -1)
        return -ESPIPE;
    if (strace_enabled())
        strace_out_flush(); /* the lines so far, before the host may wait for input */
    struct console_xfer x = {.op = CONSOLE_OP_READ, .stream = f->stream};
    return transfer_user_buffer(ubuf, len, ACCESS_WRITE, console_chunk, &x);
}

static int64_t console_write(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset)
{
    if (offset != -1)
        return -ESPIPE;
    int64_t result;
    /* --strace lines so far reach the terminal before the program's text
     * (the host may write the ring out at any exit from now on). */
    if (strace_enabled())
        strace_out_flush();
    if (console_ring_write(f->stream, ubuf, len, &result))
        return result;
    struct console_xfer x = {.op = CONSOLE_OP_WRITE, .stream = f->stream};
    return transfer_user_buffer(ubuf, len, ACCESS_READ, console_chunk, &x);
}

static int64_t console_lseek(struct file *f, int64_t offset, int whence)
{
    (void)f;
    (void)offset;
    (void)whence;
    return -ESPIPE;
}

static int console_info(uint32_t stream, struct console_info *info)
{
    memset(&block, 0, sizeof block);
    block.hdr.op = CONSOLE_OP_INFO;
    block.stream = stream;
    int64_t r = hypercall(devices()->console, &block.hdr);
    if (r < 0)
        return (int)r;
    *info = block.info;
    return 0;
}

static int console_stat(struct file *f, struct fileio_stat *st)
{
    struct console_info info = {0};
    int err = console_info(f->stream, &info);
    if (err != 0)
        return err;
    memset(st, 0, sizeof *st);
    /* A terminal, or else a pipe: we cannot tell files from pipes on the host
     * side, and a pipe is what a program must be ready for. */
    st->mode = info.is_tty ? (S_IFCHR | 0620) : (S_IFIFO | 0600);
    st->dev = 0x0c;
    st->ino = 1 + f->stream; /* distinct per stream */
    st->nlink = 1;
    st->blksize = PAGE_SIZE;
    return 0;
}

static int64_t console_ioctl(struct file *f, uint64_t cmd, uint64_t arg)
{
    struct console_info info = {0};
    int err = console_info(f->stream, &info);
    if (err != 0)
        return err;
    if (!info.is_tty)
        return -ENOTTY;
    switch (cmd) {
    case TCGETS:
        /* The kernel's struct termios is the first 36 bytes of the 60-byte
         * glibc layout the host gives us (flags, c_line, c_cc[19]). */
        return copy_to_user(arg, info.termios, 36);
    case TIOCGWINSZ: {
        uint16_t ws[4] = {info.rows, info.cols, 0, 0};
        return copy_to_user(arg, ws, sizeof ws);
    }
    default:
        return -EINVAL;
    }
}

static const struct file_ops console_ops = {
    .read = console_read,
    .write = console_write,
    .lseek = console_lseek,
    .stat = console_stat,
    .ioctl = console_ioctl,
};

struct file *console_open(uint32_t stream)
{
    if (!devices()->has_console)
        return 0;
    struct file *f = file_alloc(&console_ops, stream == 0 ? O_RDONLY : O_WRONLY);
    if (f != 0)
        f->stream = stream;
    return f;
}

void console_write_kernel(uint32_t stream, const char *msg, uint64_t len)
{
    if (!devices()->has_console || len == 0)
        return;
    memset(&block, 0, sizeof block);
    block.hdr.op = CONSOLE_OP_WRITE;
    block.stream = stream;
    block.nseg = 1;
    /* Kernel messages are in the kernel image, physically contiguous. */
    block.seg[0] = (struct minivm_sg){.gpa = virt_to_phys(msg), .len = len};
    hypercall(devices()->console, &block.hdr);
}
