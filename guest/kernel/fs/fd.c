#include "fs/fd.h"

#include "fs/file.h"
#include "lib/errno.h"
#include "mm/kheap.h"

struct fd_table *fd_table_create(void)
{
    return kzalloc(sizeof(struct fd_table));
}

void fd_table_destroy(struct fd_table *t)
{
    for (int fd = 0; fd < FD_MAX; fd++)
        fd_close(t, fd);
    kfree(t);
}

int fd_install(struct fd_table *t, struct file *f, int min_fd, uint8_t fd_flags, uint64_t limit)
{
    if (limit > FD_MAX)
        limit = FD_MAX;
    for (uint64_t fd = min_fd < 0 ? 0 : (uint64_t)min_fd; fd < limit; fd++) {
        if (t->files[fd] == 0) {
            t->files[fd] = f;
            t->fd_flags[fd] = fd_flags;
            return (int)fd;
        }
    }
    return -EMFILE;
}

void fd_install_at(struct fd_table *t, int fd, struct file *f, uint8_t fd_flags)
{
    file_get(f);
    struct file *old = t->files[fd];
    t->files[fd] = f;
    t->fd_flags[fd] = fd_flags;
    if (old != 0)
        file_put(old);
}

struct file *fd_get(struct fd_table *t, int64_t fd)
{
    if (fd < 0 || fd >= FD_MAX)
        return 0;
    return t->files[fd];
}

int fd_close(struct fd_table *t, int64_t fd)
{
    struct file *f = fd_get(t, fd);
    if (f == 0)
        return -EBADF;
    t->files[fd] = 0;
    t->fd_flags[fd] = 0;
    file_put(f);
    return 0;
}
