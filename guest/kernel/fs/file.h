/*
 * Open files. A struct file is shared by every fd that refers to it (dup) and
 * by file-backed mappings; it goes away when the last reference is dropped.
 * Operations a file kind does not support are NULL and give the errno Linux
 * gives (see fs/file.c).
 */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

/* Linux open flags the kernel itself looks at. */
#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_LARGEFILE 0100000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_PATH 010000000
#define O_TMPFILE (020000000 | O_DIRECTORY)

/* File types in st_mode (Linux values). */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
/* utimensat's special nanoseconds: the current time, the time left alone. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

#define S_ISUID 0004000
#define S_ISGID 0002000

struct file;
struct vm_object;

struct file_ops {
    /* Whole transfers against a user buffer; `offset` -1 means the file position. */
    int64_t (*read)(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset);
    int64_t (*write)(struct file *f, uint64_t ubuf, uint64_t len, int64_t offset);
    int64_t (*lseek)(struct file *f, int64_t offset, int whence);
    int (*stat)(struct file *f, struct fileio_stat *st);
    int64_t (*ioctl)(struct file *f, uint64_t cmd, uint64_t arg);
    int64_t (*getdents64)(struct file *f, uint64_t ubuf, uint64_t len);
    /* Reads into physical memory (file-backed mappings). */
    int64_t (*read_phys)(struct file *f, uint64_t pa, uint64_t len, uint64_t offset);
    /* A physical page already holding the file's bytes [offset, offset + page)
     * that may be mapped read-only and shared, or -errno if there is none;
     * *pages gets how many such pages follow on from it, physically
     * contiguous (itself included), for a fault that maps a window. */
    int64_t (*map_phys)(struct file *f, uint64_t offset, uint64_t *pages);
    /* ftruncate; EINVAL when NULL. */
    int (*truncate)(struct file *f, uint64_t length);
    /* fsync/fdatasync; EINVAL when NULL (terminals, pipes). */
    int (*fsync)(struct file *f);
    /* futimens: `times` as utimensat's (UTIME_NOW/UTIME_OMIT in the nsec
     * words); EPERM when NULL. */
    int (*utimens)(struct file *f, const int64_t times[4], uint32_t flags);
    /* fchmod: set the permission bits to `mode` (07777 only); EROFS on a
     * read-only mount. EPERM when NULL (the kernel's own files). */
    int (*chmod)(struct file *f, uint32_t mode);
    /* fchown: `uid`/`gid` a guest id or FILEIO_ID_UNCHANGED. EROFS on a
     * read-only mount, then EPERM for what chown_permitted (fs/attr.h)
     * refuses. NULL: a chown that changes nothing succeeds, others EPERM. */
    int (*chown)(struct file *f, uint32_t uid, uint32_t gid);
    /* fstatfs of the file's filesystem. NULL: the answer for the kernel's
     * own (pipefs for a pipe, tmpfs's magic otherwise). */
    int (*statfs)(struct file *f, struct fileio_statfs *out);
    /* The memory object holding the file's bytes, for MAP_SHARED mappings
     * that write into the file itself (tmpfs): a new reference. NULL when
     * the file has none (then shared mappings are read-only). */
    struct vm_object *(*shared_object)(struct file *f);
    /* The memory object the pages of the file's mappings come from, private
     * and read-only shared ones (host files: the page cache): a new
     * reference, or NULL (then each mapping reads its own copies). */
    struct vm_object *(*page_object)(struct file *f);
    /* Readiness as poll(2) bits (POLLIN, POLLOUT, POLLHUP, POLLERR); NULL:
     * always ready for what the access mode allows. */
    uint32_t (*poll)(struct file *f);
    void (*release)(struct file *f);
};

struct file {
    uint32_t refcount;
    uint32_t flags; /* open(2) flags: access mode, O_APPEND, O_NONBLOCK, ... */
    const struct file_ops *ops;
    int32_t handle;  /* fileio handle */
    uint32_t stream; /* console stream */
    char *path;      /* absolute guest path it was opened by (fchdir), or NULL */
    uint64_t image_pa, image_size; /* image files: the bytes in guest RAM */
    void *priv;                    /* the kind's own state (pipes: the pipe) */
    uint64_t pos; /* the position of files whose kind keeps it here (tmpfs, /proc) */
    /* Host files: their identity on the host once asked for (page cache). */
    bool identity_known;
    uint64_t dev, ino;
    bool has_locks; /* it took OFD or flock locks (fs/locks.h): release them with it */
};

/* A new file with one reference; NULL when out of memory. */
struct file *file_alloc(const struct file_ops *ops, uint32_t flags);
void file_get(struct file *f);
void file_put(struct file *f);

bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* For page faults on file-backed mappings: bytes read, or -errno. */
int64_t file_read_into_phys(struct file *f, uint64_t pa, uint64_t len, uint64_t offset);

/*
 * Moves a user buffer through a device in chunks of at most MINIVM_SG_MAX
 * segments / MINIVM_HC_MAX_TRANSFER bytes. `xfer` performs one hypercall for a
 * chunk and returns the bytes moved or -errno. Stops at the first short
 * transfer (EOF, a partial write, a terminal read). Returns the total, or the
 * error if nothing was moved. `access` is ACCESS_WRITE when reading into the
 * user buffer.
 */
typedef int64_t (*chunk_xfer_fn)(void *ctx, const struct minivm_sg *sg, uint32_t nseg,
                                 uint64_t done);
int64_t transfer_user_buffer(uint64_t ubuf, uint64_t len, uint32_t access, chunk_xfer_fn xfer,
                             void *ctx);

#endif
