/*
 * The fileio devices (host directories: the root and any further mounts):
 * one function per hypercall operation, and the file kind for fileio
 * handles. Paths are absolute inside the device's directory ("/" is its top),
 * NUL-terminated kernel strings; `resolve` (FILEIO_RESOLVE_*) says how the
 * host may resolve them. Results are >= 0 or -errno, as the host answered:
 * -EXDEV when a path would leave the directory, -ELOOP at a symlink under
 * FILEIO_RESOLVE_NO_SYMLINKS (fs/vfs.c then walks the path itself).
 */
#ifndef KERNEL_FS_FILEIO_H
#define KERNEL_FS_FILEIO_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct file;

/* One fileio device, as the boot info lists it. */
struct fileio_device {
    uint16_t port;
    bool writable; /* its MOUNT_INFO: the host lets the guest change files there */
};

/* `flags` are open(2)'s, passed as given (the host handles O_LARGEFILE). */
int64_t fileio_open(const struct fileio_device *d, const char *path, uint32_t resolve,
                    uint32_t flags, uint32_t mode);
int64_t fileio_stat(const struct fileio_device *d, const char *path, uint32_t resolve,
                    uint32_t flags, struct fileio_stat *st);
/* Reads the link into kernel buffer `buf` (up to `size` bytes); returns its length. */
int64_t fileio_readlink(const struct fileio_device *d, const char *path, uint32_t resolve,
                        char *buf, uint64_t size);
int64_t fileio_access(const struct fileio_device *d, const char *path, uint32_t resolve,
                      uint32_t mode, uint32_t flags);
int64_t fileio_unlink(const struct fileio_device *d, const char *path, uint32_t resolve,
                      uint32_t flags);
int64_t fileio_mkdir(const struct fileio_device *d, const char *path, uint32_t resolve,
                     uint32_t mode);
int64_t fileio_rename(const struct fileio_device *d, const char *path, const char *path2,
                      uint32_t resolve);
/* A symbolic link at `linkpath` holding `target` (stored as given). */
int64_t fileio_symlink(const struct fileio_device *d, const char *linkpath, uint32_t resolve,
                       const char *target);
/* A hard link at `newpath` to `oldpath`. */
int64_t fileio_link(const struct fileio_device *d, const char *oldpath, const char *newpath,
                    uint32_t resolve);
int64_t fileio_utimens(const struct fileio_device *d, const char *path, uint32_t resolve,
                       const int64_t times[4], uint32_t flags);
/* chmod: the permission bits `mode`; `flags` AT_SYMLINK_NOFOLLOW. */
int64_t fileio_chmod(const struct fileio_device *d, const char *path, uint32_t resolve,
                     uint32_t mode, uint32_t flags);
/*
 * chown to guest ids `uid`, `gid` (FILEIO_ID_UNCHANGED, chown's -1: keep);
 * `flags` AT_SYMLINK_NOFOLLOW. The guest's own identity (PROCESS_UID/GID)
 * stands for the VMM's on the host: a chown to it leaves that id of the host
 * file as it is, so a guest never hands a host file to whichever host user
 * has its number. Other ids go to the host as they are (vfs only lets
 * through the ones the file already has).
 */
int64_t fileio_chown(const struct fileio_device *d, const char *path, uint32_t resolve,
                     uint32_t uid, uint32_t gid, uint32_t flags);
/* statfs of the filesystem holding `path` (its last symlink followed). */
int64_t fileio_statfs(const struct fileio_device *d, const char *path, uint32_t resolve,
                      struct fileio_statfs *out);
/* The device's mount point (absolute guest path, into `point` of `size`
 * bytes) and whether it is writable. 0 or -errno. */
int64_t fileio_mount_info(const struct fileio_device *d, char *point, uint64_t size,
                          bool *writable);

/* Wraps an open handle of device `d` into a file (taking ownership of the handle). */
struct file *fileio_file(const struct fileio_device *d, int32_t handle, uint32_t open_flags);
/* True for a file of a fileio handle (a host file). */
bool fileio_is_host_file(const struct file *f);

/* Reads the file's bytes at `offset` into the `count` physical pages `pas`
 * with one hypercall: the bytes read (short at the end of the file), or
 * -errno. */
int64_t fileio_read_pages(const struct file *f, uint64_t offset, const uint64_t *pas,
                          uint32_t count);
/* Two host files of the same fileio device (mount). */
bool fileio_same_device(const struct file *a, const struct file *b);
/* The host's device and inode of host file `f` (asked once, then kept). */
int fileio_identity(struct file *f, uint64_t *dev, uint64_t *ino);

/* Operations on the handle of a host file. */
int64_t fileio_ftruncate(const struct file *f, int64_t length);
int64_t fileio_fsync(const struct file *f);
int64_t fileio_futimens(const struct file *f, const int64_t times[4], uint32_t flags);
/* Writes [pa, pa + len) of guest-physical memory at `offset` (-1: the file
 * position), as write(2) does (the page cache forgets the file); bytes
 * written or -errno. */
int64_t fileio_write_phys(struct file *f, uint64_t pa, uint64_t len, int64_t offset);
int64_t fileio_fchmod(const struct file *f, uint32_t mode);
/* fchown, with the ids as for fileio_chown. */
int64_t fileio_fchown(const struct file *f, uint32_t uid, uint32_t gid);
int64_t fileio_fstatfs(const struct file *f, struct fileio_statfs *out);

#endif
