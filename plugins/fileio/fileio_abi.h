/*
 * Hypercall ABI of the file I/O device (kind "fileio"): host files beneath the
 * configured root directory, which is the guest's "/". Read-only unless the VM
 * is configured writable. One port; `outl` the GPA of a struct fileio_args.
 *
 * Handles are small integers chosen by the host (never host fds). Paths are
 * byte strings (path_gpa, path_len, no NUL needed, at most FILEIO_PATH_MAX),
 * absolute guest paths: the guest kernel joins relative names onto the
 * working directory or the *at() directory itself. The host resolves every
 * path from the root with chroot semantics (".." at "/" stays at "/", an
 * absolute symlink restarts at the root), enforced by openat2's
 * RESOLVE_IN_ROOT; a path without a leading slash is taken from the root too.
 * `dir`/`dir2` no longer name a starting directory (the guest kernel leaves
 * them FILEIO_DIR_ROOT); they stay in the block only for an empty path with
 * AT_EMPTY_PATH, where `dir` is the handle the operation applies to. Flags and
 * modes use Linux x86-64 values (O_*, S_IF*, AT_*; O_LARGEFILE 0100000 is
 * accepted and implied). Results are >= 0 or -errno.
 */
#ifndef MINIVM_FILEIO_ABI_H
#define MINIVM_FILEIO_ABI_H

#include <minivm/hypercall.h>

#define FILEIO_KIND "fileio"

#define FILEIO_PATH_MAX 4096u
#define FILEIO_DIR_ROOT (-1)

enum fileio_op {
    FILEIO_OP_OPEN = 1,     /* dir, path, flags, mode -> handle */
    FILEIO_OP_CLOSE = 2,    /* handle -> 0 */
    FILEIO_OP_READ = 3,     /* handle, seg, offset (-1: file position) -> bytes */
    FILEIO_OP_WRITE = 4,    /* handle, seg, offset (-1: file position) -> bytes */
    FILEIO_OP_LSEEK = 5,    /* handle, offset, whence -> new position */
    FILEIO_OP_FSTAT = 6,    /* handle -> 0, fills stat */
    FILEIO_OP_STAT = 7,     /* dir, path, flags (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH) -> 0, fills stat */
    FILEIO_OP_GETDENTS = 8, /* handle, seg[0] -> bytes of struct linux_dirent64 records, 0 at end */
    FILEIO_OP_READLINK = 9, /* dir, path, seg[0] -> bytes */
    FILEIO_OP_ACCESS = 10,  /* dir, path, mode (R_OK...), flags -> 0 */
    FILEIO_OP_UNLINK = 11,  /* dir, path, flags (AT_REMOVEDIR) -> 0 */
    FILEIO_OP_MKDIR = 12,   /* dir, path, mode -> 0 */
    FILEIO_OP_RENAME = 13,  /* dir, path -> dir2, path2 -> 0 */
    FILEIO_OP_FTRUNCATE = 14, /* handle, offset -> 0 */
    FILEIO_OP_FSYNC = 15,   /* handle -> 0 */
    FILEIO_OP_UTIMENS = 16, /* dir, path (or handle with empty path), times, flags -> 0 */
    FILEIO_OP_SYMLINK = 17, /* path (the new link), path2 (its target, stored as given) -> 0 */
    FILEIO_OP_LINK = 18,    /* path (an existing file) -> path2 (a new hard link) -> 0 */
};

/* struct stat fields the guest needs (times as seconds + nanoseconds). */
struct fileio_stat {
    uint64_t dev, ino, nlink;
    uint32_t mode, uid, gid, pad;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    int64_t atime_sec, atime_nsec;
    int64_t mtime_sec, mtime_nsec;
    int64_t ctime_sec, ctime_nsec;
};

struct fileio_args {
    struct minivm_hc_header hdr;
    int32_t handle;
    int32_t dir;
    int32_t dir2;
    uint32_t flags;
    uint32_t mode;
    int32_t whence;
    int64_t offset;
    uint64_t path_gpa, path_len;
    uint64_t path2_gpa, path2_len;
    int64_t times[4];   /* UTIMENS: atime sec, nsec, mtime sec, nsec (UTIME_NOW/UTIME_OMIT in nsec) */
    uint32_t nseg;
    uint32_t pad;
    struct minivm_sg seg[MINIVM_SG_MAX];
    struct fileio_stat stat;
};

#endif
