#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Confinement, enforced by the host kernel: a path resolves strictly beneath
 * the mount's directory, and a ".." or a symlink that would leave it fails
 * with EXDEV (the guest kernel then resolves it across its own mounts, with
 * chroot semantics for the whole guest tree); /proc style magic links are
 * refused. */
#define FILEIO_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)

/* openat2 reports EAGAIN when a concurrent rename could have let ".." escape;
 * a retry then resolves against the new tree. Bounded so a guest-induced
 * livelock cannot hang the vCPU. */
#define OPENAT2_RETRIES 16

int path_copy(const struct plugin_host *host, uint64_t gpa, uint64_t len, char *buf)
{
    if (len > FILEIO_PATH_MAX)
        return -ENAMETOOLONG;
    if (host->api->copy_from_guest(host->ctx, buf, gpa, len) != 0)
        return -EFAULT;
    if (memchr(buf, '\0', (size_t)len) != NULL)
        return -EINVAL;
    buf[len] = '\0';
    return 0;
}

const char *path_in_root(const char *path)
{
    while (*path == '/')
        path++;
    return *path != '\0' ? path : ".";
}

int path_openat(const struct fileio *f, const char *rel, uint64_t flags, uint64_t mode)
{
    struct open_how how = {
        .flags = flags | O_CLOEXEC,
        .mode = mode,
        .resolve = FILEIO_RESOLVE |
                   ((f->resolve & FILEIO_RESOLVE_NO_SYMLINKS) ? RESOLVE_NO_SYMLINKS : 0),
    };
    for (int i = 0; i < OPENAT2_RETRIES; i++) {
        long fd = syscall(SYS_openat2, f->root_fd, rel, &how, sizeof how);
        if (fd >= 0)
            return (int)fd;
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
    }
    return -EAGAIN;
}

int path_open_object(struct fileio *f, uint64_t gpa, uint64_t len, bool nofollow, char *buf)
{
    int err = path_copy(&f->host, gpa, len, buf);
    if (err != 0)
        return err;
    if (buf[0] == '\0')
        return -ENOENT;
    return path_openat(f, path_in_root(buf), O_PATH | (nofollow ? O_NOFOLLOW : 0), 0);
}

int path_open_parent(struct fileio *f, uint64_t gpa, uint64_t len, char *buf, const char **last)
{
    int err = path_copy(&f->host, gpa, len, buf);
    if (err != 0)
        return err;
    if (buf[0] == '\0')
        return -ENOENT;
    if (buf[strspn(buf, "/")] == '\0')
        return -EINVAL; /* "/": the root is no entry of a parent we could act on */

    /* Not "/", so the relative form points into buf, which is ours to edit. */
    char *rel = buf + (path_in_root(buf) - buf);
    size_t n = strlen(rel);
    while (n > 1 && rel[n - 1] == '/')
        rel[--n] = '\0';

    const char *parent = ".";
    char *slash = strrchr(rel, '/');
    if (slash != NULL) {
        *slash = '\0';
        parent = rel;
        *last = slash + 1;
    } else {
        *last = rel;
    }
    if (**last == '\0' || strcmp(*last, ".") == 0 || strcmp(*last, "..") == 0)
        return -EINVAL;
    return path_openat(f, parent, O_PATH | O_DIRECTORY, 0);
}
