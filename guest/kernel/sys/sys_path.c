/* Syscalls that name files: open, stat, access, readlink, directories, links. */
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/fileio.h"
#include "fs/open.h"
#include "fs/path.h"
#include "fs/vfs.h"
#include "kernel/log.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define O_TMPFILE_FLAG 020000000

/* One CPU and no kernel preemption: one set of path buffers is enough. The
 * user's bytes land in `user_copy`; the absolute paths sent to the host
 * (path_at) in `resolved` and, for rename's second name, `resolved2`. */
static char user_copy[FILEIO_PATH_MAX];
static char resolved[FILEIO_PATH_MAX];
static char resolved2[FILEIO_PATH_MAX];
static char normalized[FILEIO_PATH_MAX];
static char link_buf[FILEIO_PATH_MAX];

/* struct stat of Linux x86-64 (144 bytes). */
struct linux_stat {
    uint64_t st_dev, st_ino, st_nlink;
    uint32_t st_mode, st_uid, st_gid, pad0;
    uint64_t st_rdev;
    int64_t st_size, st_blksize, st_blocks;
    int64_t st_atime_sec, st_atime_nsec;
    int64_t st_mtime_sec, st_mtime_nsec;
    int64_t st_ctime_sec, st_ctime_nsec;
    int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat");

struct statx_timestamp {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};

struct linux_statx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, pad0;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx");

#define STATX_BASIC_STATS 0x7ffu

/* Copies a user path into `buf`: its length, -EFAULT or -ENAMETOOLONG. */
static int64_t copy_path(uint64_t upath, char *buf)
{
    return strncpy_from_user(buf, upath, FILEIO_PATH_MAX);
}

/* Copies the user's path and makes it absolute at `dirfd` in `out`: 0, or
 * -ENOENT for an empty path, -EFAULT, -ENAMETOOLONG, -EBADF, -ENOTDIR. */
static int user_path_at(struct syscall_call *c, int32_t dirfd, uint64_t upath, char *out)
{
    int64_t len = copy_path(upath, user_copy);
    if (len < 0)
        return (int)len;
    if (len == 0)
        return -ENOENT;
    return path_at(c->proc, dirfd, user_copy, out, FILEIO_PATH_MAX);
}

/* --- open ------------------------------------------------------------------- */

static int64_t do_openat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t flags,
                         uint32_t mode)
{
    struct process *p = c->proc;
    int err = user_path_at(c, dirfd, upath, resolved);
    if (err != 0)
        return err;
    if ((flags & O_CREAT) || (flags & O_TMPFILE_FLAG) == O_TMPFILE_FLAG)
        mode = mode & ~p->umask & 07777;
    else
        mode = 0;
    struct file *f;
    err = fs_open(p, resolved, flags, mode, &f);
    if (err != 0)
        return err;
    int fd = fd_install(p->fds, f, 0, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0, fd_limit(p));
    if (fd < 0)
        file_put(f);
    return fd;
}

int64_t sys_open(struct syscall_call *c)
{
    return do_openat(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], (uint32_t)c->arg[2]);
}

int64_t sys_openat(struct syscall_call *c)
{
    return do_openat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2], (uint32_t)c->arg[3]);
}

int64_t sys_creat(struct syscall_call *c)
{
    return do_openat(c, AT_FDCWD, c->arg[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)c->arg[1]);
}

/* --- stat ------------------------------------------------------------------- */

/* The stat of `path` relative to dirfd, or of dirfd itself for AT_EMPTY_PATH. */
static int do_stat_at(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t flags,
                      struct fileio_stat *st)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
        return -EINVAL;
    int64_t len = copy_path(upath, user_copy);
    if (len < 0)
        return (int)len;
    if (len == 0) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd == AT_FDCWD)
            return fs_stat(c->proc, c->proc->cwd_path, 0, st);
        struct file *f = fd_get(c->proc->fds, dirfd);
        if (f == 0)
            return -EBADF;
        if (f->ops->stat == 0)
            return -EINVAL;
        return f->ops->stat(f, st);
    }
    int err = path_at(c->proc, dirfd, user_copy, resolved, sizeof resolved);
    if (err != 0)
        return err;
    return fs_stat(c->proc, resolved, flags & AT_SYMLINK_NOFOLLOW, st);
}

static int put_stat(uint64_t ubuf, const struct fileio_stat *st)
{
    struct linux_stat out = {
        .st_dev = st->dev,
        .st_ino = st->ino,
        .st_nlink = st->nlink,
        .st_mode = st->mode,
        .st_uid = st->uid,
        .st_gid = st->gid,
        .st_rdev = st->rdev,
        .st_size = st->size,
        .st_blksize = st->blksize,
        .st_blocks = st->blocks,
        .st_atime_sec = st->atime_sec,
        .st_atime_nsec = st->atime_nsec,
        .st_mtime_sec = st->mtime_sec,
        .st_mtime_nsec = st->mtime_nsec,
        .st_ctime_sec = st->ctime_sec,
        .st_ctime_nsec = st->ctime_nsec,
    };
    return copy_to_user(ubuf, &out, sizeof out);
}

static int64_t stat_into(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t flags,
                         uint64_t ubuf)
{
    struct fileio_stat st;
    int err = do_stat_at(c, dirfd, upath, flags, &st);
    if (err != 0)
        return err;
    return put_stat(ubuf, &st);
}

int64_t sys_stat(struct syscall_call *c)
{
    return stat_into(c, AT_FDCWD, c->arg[0], 0, c->arg[1]);
}

int64_t sys_lstat(struct syscall_call *c)
{
    return stat_into(c, AT_FDCWD, c->arg[0], AT_SYMLINK_NOFOLLOW, c->arg[1]);
}

int64_t sys_newfstatat(struct syscall_call *c)
{
    return stat_into(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[3], c->arg[2]);
}

int64_t sys_fstat(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    if (f == 0)
        return -EBADF;
    if (f->ops->stat == 0)
        return -EINVAL;
    struct fileio_stat st;
    int err = f->ops->stat(f, &st);
    if (err != 0)
        return err;
    return put_stat(c->arg[1], &st);
}

static struct statx_timestamp statx_time(int64_t sec, int64_t nsec)
{
    return (struct statx_timestamp){.tv_sec = sec, .tv_nsec = (uint32_t)nsec};
}

/* Linux's encoding of dev_t: major in bits 8-19 and 32-43, minor in 0-7 and 20-31. */
static uint32_t dev_major(uint64_t dev)
{
    return (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
}

static uint32_t dev_minor(uint64_t dev)
{
    return (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffull));
}

int64_t sys_statx(struct syscall_call *c)
{
    /* AT_STATX_SYNC_TYPE bits (0x6000) only say how hard to sync: ignore them. */
    uint32_t flags = (uint32_t)c->arg[2] & ~0x6000u;
    if (c->arg[3] & 0x80000000u) /* STATX__RESERVED */
        return -EINVAL;
    struct fileio_stat st;
    int err = do_stat_at(c, arg_int(c->arg[0]), c->arg[1], flags, &st);
    if (err != 0)
        return err;
    struct linux_statx out = {
        .stx_mask = STATX_BASIC_STATS,
        .stx_blksize = (uint32_t)st.blksize,
        .stx_nlink = (uint32_t)st.nlink,
        .stx_uid = st.uid,
        .stx_gid = st.gid,
        .stx_mode = (uint16_t)st.mode,
        .stx_ino = st.ino,
        .stx_size = (uint64_t)st.size,
        .stx_blocks = (uint64_t)st.blocks,
        .stx_atime = statx_time(st.atime_sec, st.atime_nsec),
        .stx_ctime = statx_time(st.ctime_sec, st.ctime_nsec),
        .stx_mtime = statx_time(st.mtime_sec, st.mtime_nsec),
        .stx_rdev_major = dev_major(st.rdev),
        .stx_rdev_minor = dev_minor(st.rdev),
        .stx_dev_major = dev_major(st.dev),
        .stx_dev_minor = dev_minor(st.dev),
    };
    return copy_to_user(c->arg[4], &out, sizeof out);
}

/* --- access, readlink ----------------------------------------------------------- */

static int64_t do_faccessat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t mode,
                            uint32_t flags)
{
    if (mode & ~7u)
        return -EINVAL;
    if (flags & ~(uint32_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    int64_t len = copy_path(upath, user_copy);
    if (len < 0)
        return len;
    if (len == 0) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        /* The object at dirfd itself: "." of it by name, if it has one. */
        if (dirfd != AT_FDCWD) {
            struct file *f = fd_get(c->proc->fds, dirfd);
            if (f == 0)
                return -EBADF;
            if (f->path == 0)
                return 0; /* console, pipe, device node: ours, usable as opened */
        }
        strlcpy(user_copy, ".", sizeof user_copy);
    }
    int err = path_at(c->proc, dirfd, user_copy, resolved, sizeof resolved);
    if (err != 0)
        return err;
    return fs_access(c->proc, resolved, mode, flags & ~(uint32_t)AT_EMPTY_PATH);
}

int64_t sys_access(struct syscall_call *c)
{
    return do_faccessat(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], 0);
}

int64_t sys_faccessat(struct syscall_call *c)
{
    return do_faccessat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2], 0);
}

int64_t sys_faccessat2(struct syscall_call *c)
{
    return do_faccessat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2],
                        (uint32_t)c->arg[3]);
}

static int64_t do_readlinkat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint64_t ubuf,
                             int64_t size)
{
    if (size <= 0)
        return -EINVAL;
    int err = user_path_at(c, dirfd, upath, resolved);
    if (err != 0)
        return err;
    uint64_t want = (uint64_t)size < sizeof link_buf ? (uint64_t)size : sizeof link_buf;
    int64_t n = vfs_readlink(resolved, link_buf, want);
    if (n <= 0)
        return n;
    err = copy_to_user(ubuf, link_buf, (uint64_t)n);
    return err != 0 ? err : n;
}

int64_t sys_readlink(struct syscall_call *c)
{
    return do_readlinkat(c, AT_FDCWD, c->arg[0], c->arg[1], (int64_t)arg_int(c->arg[2]));
}

int64_t sys_readlinkat(struct syscall_call *c)
{
    return do_readlinkat(c, arg_int(c->arg[0]), c->arg[1], c->arg[2], (int64_t)arg_int(c->arg[3]));
}

/* --- working directory ---------------------------------------------------------- */

int64_t sys_getcwd(struct syscall_call *c)
{
    uint64_t len = strlen(c->proc->cwd_path) + 1;
    if (c->arg[1] < len)
        return -ERANGE;
    int err = copy_to_user(c->arg[0], c->proc->cwd_path, len);
    return err != 0 ? err : (int64_t)len;
}

static void set_cwd(struct process *p, const char *path)
{
    strlcpy(p->cwd_path, path, FILEIO_PATH_MAX);
}

static bool is_directory(struct file *f)
{
    struct fileio_stat st;
    return f->ops->stat != 0 && f->ops->stat(f, &st) == 0 && (st.mode & S_IFMT) == S_IFDIR;
}

/* The working directory is a name: the directory's path with its symlinks
 * resolved, as getcwd shows it on Linux (a chdir through a link lands in
 * its target); relative paths are joined onto it. Where the walk cannot
 * name it (a directory that exists only on the way to a mount), the
 * lexically normalized path stands. */
int64_t sys_chdir(struct syscall_call *c)
{
    struct process *p = c->proc;
    int err = user_path_at(c, AT_FDCWD, c->arg[0], resolved);
    if (err != 0)
        return err;
    err = path_normalize("/", resolved, normalized, sizeof normalized);
    if (err != 0)
        return err;
    if (vfs_walk(normalized, true, resolved, sizeof resolved) == 0)
        strlcpy(normalized, resolved, sizeof normalized);
    struct fileio_stat st;
    err = fs_stat(p, normalized, 0, &st);
    if (err != 0)
        return err;
    if ((st.mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    set_cwd(p, normalized);
    return 0;
}

int64_t sys_fchdir(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    if (f == 0)
        return -EBADF;
    if (f->path == 0 || !is_directory(f))
        return -ENOTDIR;
    set_cwd(c->proc, f->path);
    return 0;
}

int64_t sys_umask(struct syscall_call *c)
{
    uint32_t old = c->proc->umask;
    c->proc->umask = (uint32_t)c->arg[0] & 0777;
    return old;
}

/* --- changing the tree (needs a writable root) ------------------------------------ */

static int64_t do_unlinkat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t flags)
{
    if (flags & ~(uint32_t)AT_REMOVEDIR)
        return -EINVAL;
    int err = user_path_at(c, dirfd, upath, resolved);
    if (err != 0)
        return err;
    return vfs_unlink(resolved, flags);
}

int64_t sys_unlink(struct syscall_call *c)
{
    return do_unlinkat(c, AT_FDCWD, c->arg[0], 0);
}

int64_t sys_rmdir(struct syscall_call *c)
{
    return do_unlinkat(c, AT_FDCWD, c->arg[0], AT_REMOVEDIR);
}

int64_t sys_unlinkat(struct syscall_call *c)
{
    return do_unlinkat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2]);
}

static int64_t do_mkdirat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t mode)
{
    int err = user_path_at(c, dirfd, upath, resolved);
    if (err != 0)
        return err;
    return vfs_mkdir(resolved, mode & ~c->proc->umask & 07777);
}

int64_t sys_mkdir(struct syscall_call *c)
{
    return do_mkdirat(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1]);
}

int64_t sys_mkdirat(struct syscall_call *c)
{
    return do_mkdirat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2]);
}

static int64_t do_renameat2(struct syscall_call *c, int32_t olddirfd, uint64_t oldpath,
                            int32_t newdirfd, uint64_t newpath, uint32_t flags)
{
    if (flags != 0)
        return -EINVAL; /* RENAME_NOREPLACE/EXCHANGE/WHITEOUT: not in the fileio ABI */
    int err = user_path_at(c, olddirfd, oldpath, resolved);
    if (err == 0)
        err = user_path_at(c, newdirfd, newpath, resolved2);
    if (err != 0)
        return err;
    return vfs_rename(resolved, resolved2);
}

int64_t sys_rename(struct syscall_call *c)
{
    return do_renameat2(c, AT_FDCWD, c->arg[0], AT_FDCWD, c->arg[1], 0);
}

int64_t sys_renameat(struct syscall_call *c)
{
    return do_renameat2(c, arg_int(c->arg[0]), c->arg[1], arg_int(c->arg[2]), c->arg[3], 0);
}

int64_t sys_renameat2(struct syscall_call *c)
{
    return do_renameat2(c, arg_int(c->arg[0]), c->arg[1], arg_int(c->arg[2]), c->arg[3],
                        (uint32_t)c->arg[4]);
}

static int64_t do_symlinkat(struct syscall_call *c, uint64_t utarget, int32_t newdirfd,
                            uint64_t linkpath)
{
    int64_t len = copy_path(utarget, link_buf); /* text kept as given, not resolved */
    if (len < 0)
        return len;
    if (len == 0)
        return -ENOENT;
    int err = user_path_at(c, newdirfd, linkpath, resolved);
    return err != 0 ? err : vfs_symlink(link_buf, resolved);
}

int64_t sys_symlink(struct syscall_call *c)
{
    return do_symlinkat(c, c->arg[0], AT_FDCWD, c->arg[1]);
}

int64_t sys_symlinkat(struct syscall_call *c)
{
    return do_symlinkat(c, c->arg[0], arg_int(c->arg[1]), c->arg[2]);
}

static int64_t do_linkat(struct syscall_call *c, int32_t olddirfd, uint64_t oldpath,
                         int32_t newdirfd, uint64_t newpath, uint32_t flags)
{
    if (flags != 0)
        return -EINVAL; /* AT_SYMLINK_FOLLOW / AT_EMPTY_PATH: not in the fileio ABI */
    int err = user_path_at(c, olddirfd, oldpath, resolved);
    if (err == 0)
        err = user_path_at(c, newdirfd, newpath, resolved2);
    return err != 0 ? err : vfs_link(resolved, resolved2);
}

int64_t sys_link(struct syscall_call *c)
{
    return do_linkat(c, AT_FDCWD, c->arg[0], AT_FDCWD, c->arg[1], 0);
}

int64_t sys_linkat(struct syscall_call *c)
{
    return do_linkat(c, arg_int(c->arg[0]), c->arg[1], arg_int(c->arg[2]), c->arg[3],
                     (uint32_t)c->arg[4]);
}

int64_t sys_truncate(struct syscall_call *c)
{
    if ((int64_t)c->arg[1] < 0)
        return -EINVAL;
    int err = user_path_at(c, AT_FDCWD, c->arg[0], resolved);
    if (err != 0)
        return err;
    struct file *f;
    err = fs_open(c->proc, resolved, O_WRONLY, 0, &f); /* EISDIR, EACCES as Linux */
    if (err != 0)
        return err;
    err = f->ops->truncate != 0 ? f->ops->truncate(f, c->arg[1]) : -EINVAL;
    file_put(f);
    return err;
}

int64_t do_utimensat(struct syscall_call *c, int32_t dirfd, uint64_t upath,
                     const int64_t times[4], uint32_t flags)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    for (int i = 1; i < 4; i += 2) /* each nsec: a time, UTIME_NOW or UTIME_OMIT */
        if ((times[i] < 0 || times[i] > 999999999) && times[i] != UTIME_NOW &&
            times[i] != UTIME_OMIT)
            return -EINVAL;
    int64_t len = 0;
    if (upath != 0) {
        len = copy_path(upath, user_copy);
        if (len < 0)
            return len;
    }
    if (len == 0 && (upath == 0 || (flags & AT_EMPTY_PATH))) {
        /* futimens: the file open at dirfd */
        struct file *f = fd_get(c->proc->fds, dirfd);
        if (f == 0)
            return -EBADF;
        if (f->ops->utimens == 0)
            return -EPERM;
        return f->ops->utimens(f, times, flags & ~(uint32_t)AT_EMPTY_PATH);
    }
    if (len == 0)
        return -ENOENT;
    int err = path_at(c->proc, dirfd, user_copy, resolved, sizeof resolved);
    if (err != 0)
        return err;
    return vfs_utimens(resolved, times, flags);
}

int64_t sys_utimensat(struct syscall_call *c)
{
    uint64_t utimes = c->arg[2];
    int64_t times[4] = {0, UTIME_NOW, 0, UTIME_NOW};
    if (utimes != 0) {
        int err = copy_from_user(times, utimes, sizeof times);
        if (err != 0)
            return err;
    }
    return do_utimensat(c, arg_int(c->arg[0]), c->arg[1], times, (uint32_t)c->arg[3]);
}

/* --- mknod ------------------------------------------------------------------------ */

/*
 * Regular files are created as open(O_CREAT | O_EXCL) would. Device nodes
 * need CAP_MKNOD, which the program lacks (EPERM, as on Linux); FIFOs and
 * sockets are made by filesystems that keep them (tmpfs), and are EPERM on
 * host directories (the VM keeps none on the host; --trace says so). An
 * existing name is EEXIST first.
 */
static int64_t do_mknodat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t mode)
{
    uint32_t type = mode & S_IFMT;
    bool regular = type == 0 || type == S_IFREG;
    if (type == S_IFDIR)
        return -EPERM;
    if (!regular && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK)
        return -EINVAL;
    int err = user_path_at(c, dirfd, upath, resolved);
    if (err != 0)
        return err;
    if (regular) {
        struct file *f;
        err = fs_open(c->proc, resolved, O_CREAT | O_EXCL | O_WRONLY,
                      mode & ~c->proc->umask & 07777, &f);
        if (err == 0)
            file_put(f);
        return err;
    }
    struct fileio_stat st;
    err = fs_stat(c->proc, resolved, AT_SYMLINK_NOFOLLOW, &st);
    if (err == 0)
        return -EEXIST;
    if (err != -ENOENT)
        return err;
    if (type == S_IFIFO || type == S_IFSOCK)
        return vfs_mknod(resolved, type | (mode & ~c->proc->umask & 07777));
    return -EPERM;
}

int64_t sys_mknod(struct syscall_call *c)
{
    return do_mknodat(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1]);
}

int64_t sys_mknodat(struct syscall_call *c)
{
    return do_mknodat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2]);
}
