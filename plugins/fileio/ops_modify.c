/* Operations that change the directory tree; fileio.c refuses them on a
 * read-only root before they get here. Each opens the parent beneath the
 * root and acts on a plain last component. */
#include "fileio_state.h"

#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int64_t fileio_unlink(struct fileio *f, struct fileio_args *a)
{
    if ((a->flags & ~(uint32_t)AT_REMOVEDIR) != 0)
        return -EINVAL;
    const char *last;
    int parent = path_open_parent(f, a->path_gpa, a->path_len, f->path, &last);
    if (parent < 0)
        return parent;
    int r = unlinkat(parent, last, (int)a->flags) == 0 ? 0 : -errno;
    close(parent);
    return r;
}

int64_t fileio_mkdir(struct fileio *f, struct fileio_args *a)
{
    const char *last;
    int parent = path_open_parent(f, a->path_gpa, a->path_len, f->path, &last);
    if (parent < 0)
        return parent;
    int r = mkdirat(parent, last, a->mode & 07777) == 0 ? 0 : -errno;
    close(parent);
    return r;
}

/* RENAME and LINK: the parents of `path` and `path2`, each opened beneath the
 * root, with the last names in *from and *to. 0 (caller closes both fds) or
 * -errno (nothing left open). */
static int open_both_parents(struct fileio *f, const struct fileio_args *a, int *from_dir,
                             const char **from, int *to_dir, const char **to)
{
    *from_dir = path_open_parent(f, a->path_gpa, a->path_len, f->path, from);
    if (*from_dir < 0)
        return *from_dir;
    *to_dir = path_open_parent(f, a->path2_gpa, a->path2_len, f->path2, to);
    if (*to_dir < 0) {
        close(*from_dir);
        return *to_dir;
    }
    return 0;
}

int64_t fileio_rename(struct fileio *f, struct fileio_args *a)
{
    /* renameat2 flags; RENAME_WHITEOUT is for overlay filesystems only. */
    if ((a->flags & ~(uint32_t)(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0)
        return -EINVAL;
    const char *from, *to;
    int from_dir, to_dir;
    int err = open_both_parents(f, a, &from_dir, &from, &to_dir, &to);
    if (err != 0)
        return err;
    /* The system call itself: glibc's renameat2 turns flags 0 into renameat. */
    int r = syscall(SYS_renameat2, from_dir, from, to_dir, to, a->flags) == 0 ? 0 : -errno;
    close(from_dir);
    close(to_dir);
    return r;
}

int64_t fileio_symlink(struct fileio *f, struct fileio_args *a)
{
    /* The target is text stored in the link, never resolved here: whatever it
     * names is resolved beneath the root again when the link is followed. */
    int err = path_copy(&f->host, a->path2_gpa, a->path2_len, f->path2);
    if (err != 0)
        return err;
    if (f->path2[0] == '\0')
        return -ENOENT;
    const char *last;
    int parent = path_open_parent(f, a->path_gpa, a->path_len, f->path, &last);
    if (parent < 0)
        return parent;
    int r = symlinkat(f->path2, parent, last) == 0 ? 0 : -errno;
    close(parent);
    return r;
}

int64_t fileio_link(struct fileio *f, struct fileio_args *a)
{
    const char *from, *to;
    int from_dir, to_dir;
    int err = open_both_parents(f, a, &from_dir, &from, &to_dir, &to);
    if (err != 0)
        return err;
    /* flags 0: like link(2), a symlink as the last name is linked, not followed. */
    int r = linkat(from_dir, from, to_dir, to, 0) == 0 ? 0 : -errno;
    close(from_dir);
    close(to_dir);
    return r;
}
