#include "fs/fd.h"

#include "arch/percpu.h"
#include "fs/file.h"
#include "fs/locks.h"
#include "proc/process.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"

/* Tables of exited processes, kept for the next fork: a table spans three
 * pages, and multi-page allocations only come from never-used memory. */
#define SPARE_TABLES_MAX 8
static struct fd_table *spare_tables[SPARE_TABLES_MAX];
static unsigned spare_count;

struct fd_table *fd_table_create(void)
{
    if (spare_count > 0)
        return spare_tables[--spare_count]; /* all closed: already empty */
    return kzalloc(sizeof(struct fd_table));
}

struct fd_table *fd_table_clone(const struct fd_table *t)
{
    struct fd_table *copy = fd_table_create();
    if (copy == 0)
        return 0;
    for (uint32_t fd = 0; fd < t->end; fd++) {
        if (t->files[fd] != 0) {
            file_get(t->files[fd]);
            copy->files[fd] = t->files[fd];
            copy->fd_flags[fd] = t->fd_flags[fd];
        }
    }
    copy->end = t->end;
    return copy;
}

void fd_close_on_exec(struct fd_table *t)
{
    for (uint32_t fd = 0; fd < t->end; fd++) {
        if (t->files[fd] != 0 && (t->fd_flags[fd] & FD_CLOEXEC))
            fd_close(t, fd);
    }
}

void fd_table_destroy(struct fd_table *t)
{
    for (uint32_t fd = 0; fd < t->end; fd++)
        fd_close(t, fd);
    t->end = 0;
    if (spare_count < SPARE_TABLES_MAX)
        spare_tables[spare_count++] = t;
    else
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
            if (fd >= t->end)
                t->end = (uint32_t)fd + 1;
            return (int)fd;
        }
    }
    return -EMFILE;
}

/* A descriptor of the current process goes: its POSIX locks on the file go
 * with it (fs/locks.h). Other tables (a fork that failed) hold none. */
static void descriptor_closed(const struct fd_table *t, struct file *f)
{
    struct process *p = current_process();
    if (p != 0 && p->fds == t)
        locks_descriptor_closed(f);
}

void fd_install_at(struct fd_table *t, int fd, struct file *f, uint8_t fd_flags)
{
    file_get(f);
    struct file *old = t->files[fd];
    t->files[fd] = f;
    t->fd_flags[fd] = fd_flags;
    if ((uint32_t)fd >= t->end)
        t->end = (uint32_t)fd + 1;
    if (old != 0) {
        descriptor_closed(t, old);
        file_put(old);
    }
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
    descriptor_closed(t, f);
    file_put(f);
    return 0;
}
