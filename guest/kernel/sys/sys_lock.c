/* File locks: flock(2) and fcntl's byte-range lock commands (fs/locks.h
 * keeps the locks). */
#include "sys/sys_lock.h"

#include "fs/fd.h"
#include "fs/file.h"
#include "fs/locks.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* struct flock of Linux x86-64 (flock64 is the same). */
struct linux_flock {
    int16_t l_type, l_whence;
    int32_t pad0;
    int64_t l_start, l_len;
    int32_t l_pid;
    int32_t pad1;
};
_Static_assert(sizeof(struct linux_flock) == 32, "struct flock");

int64_t sys_flock(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    if (f == 0 || (f->flags & O_PATH))
        return -EBADF;
    return locks_flock(f, (uint32_t)c->arg[1]);
}

bool fcntl_is_lock_command(int32_t cmd)
{
    return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_GETLK ||
           cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/* Where l_whence counts from: the start, the file position or the end. */
static int64_t whence_base(struct file *f, int16_t whence)
{
    if (whence == SEEK_SET)
        return 0;
    if (whence == SEEK_CUR)
        return f->ops->lseek != 0 ? f->ops->lseek(f, 0, SEEK_CUR) : 0;
    if (whence == SEEK_END) {
        struct fileio_stat st;
        int err = f->ops->stat != 0 ? f->ops->stat(f, &st) : -EINVAL;
        return err != 0 ? err : st.size;
    }
    return -EINVAL;
}

/* The byte range a struct flock describes, as Linux computes it. */
static int flock_to_range(struct file *f, const struct linux_flock *fl, struct lock_range *r)
{
    int64_t base = whence_base(f, fl->l_whence);
    if (base < 0)
        return (int)base;
    int64_t start;
    if (__builtin_add_overflow(base, fl->l_start, &start))
        return -EOVERFLOW;
    if (start < 0)
        return -EINVAL;
    int64_t end = LOCK_OFFSET_MAX;
    if (fl->l_len > 0) {
        if (__builtin_add_overflow(start, fl->l_len - 1, &end))
            return -EOVERFLOW;
    } else if (fl->l_len < 0) {
        end = start - 1;
        start += fl->l_len; /* no overflow: start >= 0 > l_len */
        if (start < 0)
            return -EINVAL;
    }
    r->type = fl->l_type;
    r->start = start;
    r->end = end;
    return 0;
}

int64_t fcntl_lock(struct syscall_call *c, struct file *f, int32_t cmd, uint64_t uflock)
{
    bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
    bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
    if (f->flags & O_PATH)
        return -EBADF;
    struct linux_flock fl;
    int err = copy_from_user(&fl, uflock, sizeof fl);
    if (err != 0)
        return err;
    if (ofd && fl.l_pid != 0)
        return -EINVAL;
    if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
        return -EINVAL;
    struct lock_range r;
    err = flock_to_range(f, &fl, &r);
    if (err != 0)
        return err;
    if (get) {
        if (r.type == F_UNLCK)
            return -EINVAL;
        int32_t pid = 0;
        err = locks_get_range(c->proc, f, ofd, &r, &pid);
        if (err != 0)
            return err;
        fl.l_type = r.type;
        if (r.type != F_UNLCK) {
            fl.l_whence = SEEK_SET;
            fl.l_start = r.start;
            fl.l_len = r.end == LOCK_OFFSET_MAX ? 0 : r.end - r.start + 1;
            fl.l_pid = pid;
        }
        return copy_to_user(uflock, &fl, sizeof fl);
    }
    /* A read lock needs the file open for reading, a write lock for writing. */
    if ((r.type == F_RDLCK && !file_readable(f)) || (r.type == F_WRLCK && !file_writable(f)))
        return -EBADF;
    return locks_set_range(c->proc, f, ofd, &r, wait);
}
