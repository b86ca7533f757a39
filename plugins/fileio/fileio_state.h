/* State of the file I/O device and the operations fileio.c dispatches to. */
#ifndef MINIVM_PLUGINS_FILEIO_STATE_H
#define MINIVM_PLUGINS_FILEIO_STATE_H

#include "fileio/fileio_abi.h"

#include "common/hc_port.h"
#include "handles.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/statfs.h>

/* Host buffer GETDENTS reads records into before copying them to the guest. */
#define FILEIO_DIRENT_BUF (32u << 10)

struct fileio {
    struct plugin_host host;
    int root_fd;   /* O_PATH fd of the mount's directory; every path resolves beneath it */
    bool writable; /* the `rw` key, else vm_setting("rw") == "1" */
    char mount_point[FILEIO_PATH_MAX + 1]; /* the `at` key: its guest path ("/") */
    uint32_t resolve; /* FILEIO_RESOLVE_* of the current call */
    struct statfs root_statfs; /* the mount directory's filesystem at start-up */
    struct handle_table handles;
    /* Scratch space for one hypercall at a time (handlers never run concurrently). */
    char path[FILEIO_PATH_MAX + 1];
    char path2[FILEIO_PATH_MAX + 1];
    unsigned char dirents[FILEIO_DIRENT_BUF];
};

/* One operation: reads the host copy of the block, may fill its output fields
 * (stat), returns the result (>= 0 or -errno). */
typedef int64_t (*fileio_op_fn)(struct fileio *f, struct fileio_args *a);

/* ops_fd.c: operations on a handle. */
int64_t fileio_close(struct fileio *f, struct fileio_args *a);
int64_t fileio_read(struct fileio *f, struct fileio_args *a);
int64_t fileio_write(struct fileio *f, struct fileio_args *a);
int64_t fileio_lseek(struct fileio *f, struct fileio_args *a);
int64_t fileio_fstat(struct fileio *f, struct fileio_args *a);
int64_t fileio_getdents(struct fileio *f, struct fileio_args *a);
int64_t fileio_ftruncate(struct fileio *f, struct fileio_args *a);
int64_t fileio_fsync(struct fileio *f, struct fileio_args *a);
int64_t fileio_mount_info(struct fileio *f, struct fileio_args *a);

/* ops_path.c: operations that look a path up. */
int64_t fileio_open(struct fileio *f, struct fileio_args *a);
int64_t fileio_stat(struct fileio *f, struct fileio_args *a);
int64_t fileio_access(struct fileio *f, struct fileio_args *a);
int64_t fileio_readlink(struct fileio *f, struct fileio_args *a);
int64_t fileio_utimens(struct fileio *f, struct fileio_args *a);

/* ops_modify.c: operations that change the directory tree (writable VM only). */
int64_t fileio_unlink(struct fileio *f, struct fileio_args *a);
int64_t fileio_mkdir(struct fileio *f, struct fileio_args *a);
int64_t fileio_rename(struct fileio *f, struct fileio_args *a);
int64_t fileio_symlink(struct fileio *f, struct fileio_args *a);
int64_t fileio_link(struct fileio *f, struct fileio_args *a);

/* ops_attr.c: mode, owner, statfs of a path or handle. */
int64_t fileio_chmod(struct fileio *f, struct fileio_args *a);
int64_t fileio_chown(struct fileio *f, struct fileio_args *a);
int64_t fileio_statfs(struct fileio *f, struct fileio_args *a);

#endif
