/*
 * File I/O device: host files beneath the configured root, which is the
 * guest's "/". The root is opened once at init; every later lookup is an
 * openat2 confined beneath it (path.c). Read-only unless vm_setting("rw").
 */
#include "fileio/fileio_abi.h"

#include "common/hc_port.h"
#include "common/plugin_config.h"
#include "common/seccomp_grants.h"
#include "fileio_state.h"
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FILEIO_DEFAULT_PORT 0x502
#define FILEIO_DEFAULT_MAX_OPEN 256u
#define FILEIO_MAX_OPEN_LIMIT 65536u

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* Linux 6.6; older C headers lack the name */
#endif

struct op_entry {
    fileio_op_fn fn;
    bool fills_stat; /* write the stat field back on success */
    /* Nonzero for an operation that changes files, whose handler makes system
     * calls only the writable grants allow: on a read-only root it is refused
     * with this error before any handler runs, so no guest request reaches a
     * call outside the read-only list. */
    int32_t read_only_error;
};

static const struct op_entry ops[] = {
    [FILEIO_OP_OPEN] = {fileio_open, false, 0},
    [FILEIO_OP_CLOSE] = {fileio_close, false, 0},
    [FILEIO_OP_READ] = {fileio_read, false, 0},
    /* No handle of a read-only root is open for writing. */
    [FILEIO_OP_WRITE] = {fileio_write, false, -EBADF},
    [FILEIO_OP_LSEEK] = {fileio_lseek, false, 0},
    [FILEIO_OP_FSTAT] = {fileio_fstat, true, 0},
    [FILEIO_OP_STAT] = {fileio_stat, true, 0},
    [FILEIO_OP_GETDENTS] = {fileio_getdents, false, 0},
    [FILEIO_OP_READLINK] = {fileio_readlink, false, 0},
    [FILEIO_OP_ACCESS] = {fileio_access, false, 0},
    [FILEIO_OP_UNLINK] = {fileio_unlink, false, -EROFS},
    [FILEIO_OP_MKDIR] = {fileio_mkdir, false, -EROFS},
    [FILEIO_OP_RENAME] = {fileio_rename, false, -EROFS},
    [FILEIO_OP_FTRUNCATE] = {fileio_ftruncate, false, -EROFS},
    /* Succeeds on a read-only root without the host's fsync (ops_fd.c). */
    [FILEIO_OP_FSYNC] = {fileio_fsync, false, 0},
    [FILEIO_OP_UTIMENS] = {fileio_utimens, false, -EROFS},
    [FILEIO_OP_SYMLINK] = {fileio_symlink, false, -EROFS},
    [FILEIO_OP_LINK] = {fileio_link, false, -EROFS},
    [FILEIO_OP_MOUNT_INFO] = {fileio_mount_info, false, 0},
    [FILEIO_OP_CHMOD] = {fileio_chmod, false, -EROFS},
    [FILEIO_OP_CHOWN] = {fileio_chown, false, -EROFS},
    [FILEIO_OP_STATFS] = {fileio_statfs, false, 0},
};

static int fileio_port(void *opaque, uint16_t port, bool is_write, uint8_t size,
                       uint32_t *value)
{
    (void)port;
    struct fileio *f = opaque;
    struct fileio_args args;
    if (hc_load_block(&f->host, "fileio", is_write, size, *value, &args, sizeof args) != 0)
        return -1;

    uint32_t op = args.hdr.op;
    if (op >= sizeof ops / sizeof ops[0] || ops[op].fn == NULL ||
        (args.resolve & ~FILEIO_RESOLVE_NO_SYMLINKS) != 0)
        return hc_store_result(&f->host, *value, -EINVAL);
    f->resolve = args.resolve;
    if (ops[op].read_only_error != 0 && !f->writable)
        return hc_store_result(&f->host, *value, ops[op].read_only_error);
    int64_t result = ops[op].fn(f, &args);
    if (result == 0 && ops[op].fills_stat &&
        hc_store_field(&f->host, *value, &args, offsetof(struct fileio_args, stat),
                       sizeof args.stat) != 0)
        return -1;
    return hc_store_result(&f->host, *value, result);
}

/* Everything the handlers call, for the VMM's seccomp allow-list; the calls
 * that change files only when the VM is writable. The fds are the guest's
 * open files, unknown in advance, so grants are for any argument. Handlers
 * make these exact system calls (no glibc wrapper that picks another one);
 * tests/plugins/seccomp_grants_test runs every operation under this list. */
#define ANY(nr) {nr, SECCOMP_ANY_ARG, 0}
static const struct seccomp_grant fileio_read_syscalls[] = {
    ANY(SYS_openat2),    ANY(SYS_close),      ANY(SYS_preadv2),    ANY(SYS_lseek),
    ANY(SYS_newfstatat), ANY(SYS_getdents64), ANY(SYS_readlinkat), ANY(SYS_faccessat2),
};
static const struct seccomp_grant fileio_write_syscalls[] = {
    ANY(SYS_pwritev2), ANY(SYS_unlinkat), ANY(SYS_mkdirat),   ANY(SYS_renameat2),
    ANY(SYS_ftruncate), ANY(SYS_fsync),   ANY(SYS_utimensat), ANY(SYS_symlinkat),
    ANY(SYS_linkat),     ANY(SYS_fchownat), ANY(SYS_fchmodat2), ANY(SYS_fchmodat),
    ANY(SYS_fstatfs), /* a read-only root answers STATFS from its start-up figures */
};
#undef ANY

static void fileio_fini(void *state)
{
    struct fileio *f = state;
    if (f == NULL)
        return;
    handles_fini(&f->handles);
    if (f->root_fd >= 0)
        close(f->root_fd);
    free(f);
}

/* A mount point as the guest kernel routes by it: absolute and normalized
 * ("/", or "/a/b" without ".", "..", empty components or a trailing slash). */
static bool mount_point_valid(const char *at)
{
    if (at[0] != '/' || strlen(at) > FILEIO_PATH_MAX)
        return false;
    if (at[1] == '\0')
        return true;
    for (const char *c = at; *c != '\0';) {
        const char *name = c + 1;
        const char *end = strchr(name, '/');
        size_t n = end != NULL ? (size_t)(end - name) : strlen(name);
        if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
            return false;
        c = name + n;
    }
    return true;
}

/* Opens the mount's directory once (the `root` key, else the VM's root);
 * later lookups never consult the host path again. */
static int open_root(struct fileio *f)
{
    const struct minivm_host_api *api = f->host.api;
    int line = 0;
    const char *root = api->config_get(f->host.ctx, "root", &line);
    if (root == NULL)
        root = api->vm_setting(f->host.ctx, "root");
    if (root == NULL || root[0] == '\0') {
        api->log(f->host.ctx, MINIVM_LOG_ERROR, "no root directory configured");
        return -1;
    }
    const char *at = api->config_get(f->host.ctx, "at", &line);
    if (at == NULL)
        at = "/";
    if (!mount_point_valid(at))
        return api->config_error(f->host.ctx, "at",
                                 "not an absolute, normalized guest path: \"%s\"", at);
    strcpy(f->mount_point, at);
    f->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (f->root_fd < 0) {
        api->log(f->host.ctx, MINIVM_LOG_ERROR, "cannot open root directory %s: %s", root,
                 strerror(errno));
        return -1;
    }
    /* Fail now, clearly, on a kernel without openat2 (Linux < 5.6). */
    int probe = path_openat(f, ".", O_PATH | O_DIRECTORY, 0);
    if (probe < 0) {
        api->log(f->host.ctx, MINIVM_LOG_ERROR, "openat2 on root %s failed: %s%s", root,
                 strerror(-probe), probe == -ENOSYS ? " (Linux 5.6 or later is needed)" : "");
        return -1;
    }
    close(probe);
    /* What STATFS answers on a read-only root (ops_attr.c), taken now, before
     * the sandbox: fstatfs stays out of the read-only grants. */
    if (fstatfs(f->root_fd, &f->root_statfs) != 0) {
        api->log(f->host.ctx, MINIVM_LOG_ERROR, "cannot statfs root directory %s: %s", root,
                 strerror(errno));
        return -1;
    }
    const char *rw = api->vm_setting(f->host.ctx, "rw");
    return plugin_config_bool(&f->host, "rw", rw != NULL && strcmp(rw, "1") == 0, &f->writable);
}

static int fileio_init(minivm_plugin_ctx *ctx, const struct minivm_host_api *api,
                       void **state)
{
    struct plugin_host host;
    if (plugin_host_init(&host, ctx, api) != 0)
        return -1;
    uint16_t port;
    uint32_t max_open;
    if (plugin_config_port(&host, FILEIO_DEFAULT_PORT, &port) != 0 ||
        plugin_config_u32(&host, "max_open", FILEIO_DEFAULT_MAX_OPEN, 1, FILEIO_MAX_OPEN_LIMIT,
                          &max_open) != 0)
        return -1;
    struct fileio *f = calloc(1, sizeof *f);
    if (f == NULL) {
        api->log(ctx, MINIVM_LOG_ERROR, "out of memory");
        return -1;
    }
    f->host = host;
    f->root_fd = -1;
    if (handles_init(&f->handles, max_open) != 0) {
        api->log(ctx, MINIVM_LOG_ERROR, "out of memory");
        fileio_fini(f);
        return -1;
    }
    if (open_root(f) != 0 ||
        api->register_ports(ctx, FILEIO_KIND, port, 1, fileio_port, f) != 0 ||
        plugin_seccomp_allow(&host, fileio_read_syscalls,
                             sizeof fileio_read_syscalls / sizeof fileio_read_syscalls[0]) != 0 ||
        (f->writable &&
         plugin_seccomp_allow(&host, fileio_write_syscalls,
                              sizeof fileio_write_syscalls / sizeof fileio_write_syscalls[0]) != 0)) {
        fileio_fini(f);
        return -1;
    }
    *state = f;
    return 0;
}

MINIVM_PLUGIN_DEFINE("fileio", "host files beneath the root directory", fileio_init,
                     fileio_fini);
