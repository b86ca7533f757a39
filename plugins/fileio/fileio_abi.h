/*
 * Hypercall ABI of the file I/O device (kind "fileio"): host files beneath a
 * host directory, mounted at a guest path (its mount point: "/" for the root;
 * more instances serve --mount, each on its own port). Read-only unless
 * configured writable. One port; `outl` the GPA of a struct fileio_args.
 *
 * Handles are small integers chosen by the host (never host fds). Paths are
 * byte strings (path_gpa, path_len, no NUL needed, at most FILEIO_PATH_MAX),
 * absolute paths inside the mount ("/" is the mount's top): the guest kernel
 * joins relative names onto the working directory or the *at() directory and
 * routes each path to its mount itself. The host resolves a path strictly
 * beneath the mount's directory (openat2's RESOLVE_BENEATH): a ".." or a
 * symlink that would leave it fails with EXDEV, and with
 * FILEIO_RESOLVE_NO_SYMLINKS any symlink on the way fails with ELOOP; the
 * guest kernel then walks the path itself, component by component, across
 * its mounts (chroot semantics for the whole guest tree). A path without a
 * leading slash is taken from the mount's top too.
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

/* fileio_args.resolve: how paths may be resolved (any other bit is EINVAL). */
#define FILEIO_RESOLVE_NO_SYMLINKS 1u /* ELOOP at any symlink, as openat2's flag */

/* MOUNT_INFO's result: the mount point's length in the low bits, and this
 * bit when the mount is writable. */
#define FILEIO_MOUNT_WRITABLE (1 << 16)

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
    FILEIO_OP_MOUNT_INFO = 19, /* seg[0] -> the mount point's length | FILEIO_MOUNT_WRITABLE;
                                  the mount point (absolute guest path) in the segment */
    /* The next three act on `path` (flags: AT_SYMLINK_NOFOLLOW) or, with an
     * empty path, on `handle` (fchmod, fchown, fstatfs). */
    FILEIO_OP_CHMOD = 20,   /* path or handle, mode (07777 bits), flags -> 0; a symlink
                               itself (AT_SYMLINK_NOFOLLOW) is EOPNOTSUPP, as Linux */
    FILEIO_OP_CHOWN = 21,   /* path or handle, uid, gid (FILEIO_ID_UNCHANGED: keep), flags -> 0;
                               host ids, applied as the host allows the VMM */
    FILEIO_OP_STATFS = 22,  /* path or handle, seg[0] -> 0; a struct fileio_statfs in the
                               segment; a read-only mount: ST_RDONLY set, and the figures of
                               the mount directory's filesystem at start-up */
};

/* CHOWN's uid/gid value for "leave it as it is" (chown's -1). */
#define FILEIO_ID_UNCHANGED 0xffffffffu

/* statfs(2) fields (Linux x86-64 struct statfs, without the spare words). */
struct fileio_statfs {
    int64_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags;
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
    uint32_t resolve; /* FILEIO_RESOLVE_* for the paths of this call */
    uint32_t uid, gid;  /* CHOWN */
    struct minivm_sg seg[MINIVM_SG_MAX];
    struct fileio_stat stat;
};

#endif
