/*
 * Copies between files inside the kernel: sendfile and copy_file_range (cp
 * and Python's shutil use them). Between host files the bytes go host file
 * -> kernel buffer -> host file, a chunk at a time, two hypercalls per
 * chunk. Any other pair (tmpfs files, a pipe or the console as sendfile's
 * output) goes through the files' own read and write, which take user
 * addresses: a scratch mapping in the caller's address space holds each
 * chunk, and is gone before the call returns.
 */
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/fileio.h"
#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define COPY_CHUNK (64u * 1024)

/* One CPU, and the kernel is not preempted while a copy runs. */
static char copy_buf[COPY_CHUNK] __attribute__((aligned(4096)));

/*
 * Copies up to `len` bytes from `in` at `in_off` to `out` at `out_off` (-1:
 * its file position). Stops at the end of `in` or a short write. The bytes
 * copied, or the error when there are none.
 */
static int64_t copy_chunks(struct file *in, int64_t in_off, struct file *out, int64_t out_off,
                           uint64_t len)
{
    uint64_t done = 0;
    uint64_t pa = virt_to_phys(copy_buf);
    while (done < len) {
        uint64_t want = len - done < COPY_CHUNK ? len - done : COPY_CHUNK;
        int64_t got = file_read_into_phys(in, pa, want, (uint64_t)in_off + done);
        if (got <= 0)
            return done > 0 ? (int64_t)done : got;
        int64_t put = fileio_write_phys(out, pa, (uint64_t)got,
                                        out_off < 0 ? -1 : out_off + (int64_t)done);
        if (put < 0)
            return done > 0 ? (int64_t)done : put;
        done += (uint64_t)put;
        if (put < got || (uint64_t)got < want)
            break;
    }
    return (int64_t)done;
}

/* The same through a scratch mapping in `mm` and the files' read and write. */
static int64_t copy_through_user(struct mm *mm, struct file *in, int64_t in_off, struct file *out,
                                 int64_t out_off, uint64_t len)
{
    if (in->ops->read == 0 || out->ops->write == 0)
        return -EINVAL;
    uint64_t scratch = mm_find_gap(mm, COPY_CHUNK);
    if (scratch == 0 ||
        mm_map(mm, scratch, scratch + COPY_CHUNK, PROT_READ | PROT_WRITE, 0, 0, 0, 0) != 0)
        return -ENOMEM;
    uint64_t done = 0;
    int64_t err = 0;
    while (done < len) {
        uint64_t want = len - done < COPY_CHUNK ? len - done : COPY_CHUNK;
        int64_t got = in->ops->read(in, scratch, want, in_off + (int64_t)done);
        if (got <= 0) {
            err = got;
            break;
        }
        int64_t put =
            out->ops->write(out, scratch, (uint64_t)got, out_off < 0 ? -1 : out_off + (int64_t)done);
        if (put < 0) {
            err = put;
            break;
        }
        done += (uint64_t)put;
        if (put < got || (uint64_t)got < want)
            break;
    }
    mm_unmap(mm, scratch, scratch + COPY_CHUNK);
    return done > 0 ? (int64_t)done : err;
}

/* Host files on both sides take the direct path. */
static int64_t copy_between(struct mm *mm, struct file *in, int64_t in_off, struct file *out,
                            int64_t out_off, uint64_t len)
{
    if (fileio_is_host_file(in) && fileio_is_host_file(out))
        return copy_chunks(in, in_off, out, out_off, len);
    return copy_through_user(mm, in, in_off, out, out_off, len);
}

static bool is_regular(struct file *f, bool *is_dir)
{
    struct fileio_stat st;
    bool ok = f->ops->stat != 0 && f->ops->stat(f, &st) == 0;
    *is_dir = ok && (st.mode & S_IFMT) == S_IFDIR;
    return ok && (st.mode & S_IFMT) == S_IFREG;
}

/* An offset argument: the user's int64 at `uptr`, or -1 for "the file position". */
static int read_offset(uint64_t uptr, int64_t *off)
{
    *off = -1;
    if (uptr == 0)
        return 0;
    int err = copy_from_user(off, uptr, sizeof *off);
    if (err != 0)
        return err;
    return *off < 0 ? -EINVAL : 0;
}

/* Where a copy starts in `f`: `off`, or its position for -1. */
static int64_t start_of(struct file *f, int64_t off)
{
    return off >= 0 ? off : f->ops->lseek(f, 0, SEEK_CUR);
}

/* After copying `n` bytes from `start`: the user's offset, or the file position. */
static int advance(struct file *f, uint64_t uptr, int64_t start, int64_t n)
{
    int64_t next = start + n;
    if (uptr != 0)
        return copy_to_user(uptr, &next, sizeof next);
    int64_t r = f->ops->lseek(f, next, SEEK_SET);
    return r < 0 ? (int)r : 0;
}

int64_t sys_sendfile(struct syscall_call *c)
{
    struct file *out = fd_get(c->proc->fds, arg_int(c->arg[0]));
    struct file *in = fd_get(c->proc->fds, arg_int(c->arg[1]));
    uint64_t uoff = c->arg[2], count = c->arg[3];
    if (in == 0 || out == 0 || !file_readable(in) || !file_writable(out))
        return -EBADF;
    bool dir;
    if (!is_regular(in, &dir) || (out->flags & O_APPEND) || (out->flags & O_PATH))
        return -EINVAL;
    int64_t off;
    int err = read_offset(uoff, &off);
    if (err != 0)
        return err;
    int64_t start = start_of(in, off);
    if (start < 0)
        return start;
    int64_t n =
        copy_between(c->proc->mm, in, start, out, -1, count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
    /* The offset goes back even when nothing was copied (EFAULT if it cannot). */
    if (n > 0 || (n == 0 && uoff != 0)) {
        err = advance(in, uoff, start, n);
        if (err != 0)
            return err;
    }
    return n;
}

int64_t sys_copy_file_range(struct syscall_call *c)
{
    struct file *in = fd_get(c->proc->fds, arg_int(c->arg[0]));
    struct file *out = fd_get(c->proc->fds, arg_int(c->arg[2]));
    uint64_t uoff_in = c->arg[1], uoff_out = c->arg[3], len = c->arg[4];
    if ((uint32_t)c->arg[5] != 0)
        return -EINVAL;
    if (in == 0 || out == 0 || !file_readable(in) || !file_writable(out) ||
        (out->flags & O_APPEND))
        return -EBADF;
    bool in_dir, out_dir;
    bool regular = is_regular(in, &in_dir) & is_regular(out, &out_dir);
    if (in_dir || out_dir)
        return -EISDIR;
    if (!regular)
        return -EINVAL;
    int64_t off_in, off_out;
    int err = read_offset(uoff_in, &off_in);
    if (err == 0)
        err = read_offset(uoff_out, &off_out);
    if (err != 0)
        return err;
    int64_t start_in = start_of(in, off_in), start_out = start_of(out, off_out);
    if (start_in < 0 || start_out < 0)
        return start_in < 0 ? start_in : start_out;
    if (len > MAX_RW_COUNT)
        len = MAX_RW_COUNT;
    /* The same file with overlapping ranges: Linux refuses. */
    struct fileio_stat a, b;
    if (in->ops->stat(in, &a) == 0 && out->ops->stat(out, &b) == 0 && a.dev == b.dev &&
        a.ino == b.ino && start_in < start_out + (int64_t)len &&
        start_out < start_in + (int64_t)len)
        return -EINVAL;
    int64_t n = copy_between(c->proc->mm, in, start_in, out, start_out, len);
    if (n > 0 || (n == 0 && (uoff_in != 0 || uoff_out != 0))) {
        err = advance(in, uoff_in, start_in, n);
        if (err == 0)
            err = advance(out, uoff_out, start_out, n);
        if (err != 0)
            return err;
    }
    return n;
}
