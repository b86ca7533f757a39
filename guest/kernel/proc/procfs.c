/*
 * procfs: paths inside /proc resolved against the entry tables, and the
 * mount_ops. Symlinks whose text is relative ("self" -> "PID", "mounts" ->
 * "self/mounts") are followed here; exe and fd/N, when they are the last
 * component, lead to the file itself as on Linux (magic links); other links
 * with absolute text (cwd, or exe in the middle of a path) are answered
 * with -EXDEV for fs/vfs.c to walk.
 */
#include "proc/procfs.h"

#include "arch/percpu.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/gen_file.h"
#include "fs/image_file.h"
#include "fs/mount.h"
#include "fs/path.h"
#include "fs/object_io.h"
#include "fs/vfs.h"
#include "kernel/clock.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "proc/procfs_node.h"
#include "proc/process.h"
#include "proc/thread.h"

#define PROCFS_DEV 0x16 /* st_dev: an anonymous device (0:22) */
#define MAX_LINKS 40
#define W_OK 2
#define X_OK 1

/* One CPU and nothing here sleeps: one buffer for spliced link text. */
static char spliced[FILEIO_PATH_MAX];
static char link_text[FILEIO_PATH_MAX];

static struct process *current(void)
{
    return current_process();
}

/* "123" with no sign or leading zero: the number, or -1. */
static int32_t parse_number(const char *name, uint64_t n)
{
    if (n == 0 || n > 9 || (name[0] == '0' && n > 1))
        return -1;
    int32_t v = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return v;
}

static const struct procfs_entry *find_in(const struct procfs_entry *table, uint32_t count,
                                          const char *name, uint64_t n, uint32_t *index)
{
    for (uint32_t i = 0; i < count; i++) {
        if (strncmp(table[i].name, name, n) == 0 && table[i].name[n] == 0) {
            *index = i;
            return &table[i];
        }
    }
    return 0;
}

static bool node_is_dir(const struct procfs_node *nd)
{
    return nd->kind == PROCFS_ROOT || nd->kind == PROCFS_PID_DIR || nd->kind == PROCFS_FD_DIR ||
           nd->kind == PROCFS_TASK_DIR ||
           (nd->kind == PROCFS_ENTRY && nd->entry->dir != 0);
}

static bool node_is_link(const struct procfs_node *nd)
{
    return nd->kind == PROCFS_FD_LINK || (nd->kind == PROCFS_ENTRY && nd->entry->link != 0);
}

/* The process a node belongs to (NULL for global nodes and gone ones). */
static struct process *node_process(const struct procfs_node *nd)
{
    return nd->pid != 0 ? process_find(nd->pid) : 0;
}

static int64_t node_link(const struct procfs_node *nd, char *buf, uint64_t size)
{
    struct process *p = node_process(nd);
    if (nd->pid != 0 && p == 0)
        return -ENOENT;
    if (nd->kind == PROCFS_FD_LINK)
        return procfs_fd_link(p, nd->fd, buf, size);
    return nd->entry->link(p != 0 ? p : current(), buf, size);
}

/* The name `name` (n bytes) inside directory node `dir`: 0 and *out, or -errno. */
static int lookup_child(const struct procfs_node *dir, const char *name, uint64_t n,
                        struct procfs_node *out)
{
    uint32_t index;
    const struct procfs_entry *e;
    switch (dir->kind) {
    case PROCFS_ROOT: {
        int32_t pid = parse_number(name, n);
        if (pid > 0) {
            /* A thread's id (not listed) names its process, as on Linux. */
            struct thread *t = process_find(pid) == 0 ? thread_find(pid) : 0;
            if (t != 0)
                pid = t->proc->pid;
            else if (process_find(pid) == 0)
                return -ENOENT;
            *out = (struct procfs_node){.kind = PROCFS_PID_DIR, .pid = pid};
            return 0;
        }
        e = find_in(procfs_root_entries, procfs_root_count, name, n, &index);
        break;
    }
    case PROCFS_PID_DIR:
        if (n == 2 && name[0] == 'f' && name[1] == 'd') {
            *out = (struct procfs_node){.kind = PROCFS_FD_DIR, .pid = dir->pid};
            return 0;
        }
        if (n == 4 && strncmp(name, "task", 4) == 0) {
            *out = (struct procfs_node){.kind = PROCFS_TASK_DIR, .pid = dir->pid};
            return 0;
        }
        e = find_in(procfs_pid_entries, procfs_pid_count, name, n, &index);
        break;
    case PROCFS_FD_DIR: {
        struct process *p = node_process(dir);
        int32_t fd = parse_number(name, n);
        if (p == 0 || p->fds == 0 || fd < 0 || fd_get(p->fds, fd) == 0)
            return -ENOENT;
        *out = (struct procfs_node){.kind = PROCFS_FD_LINK, .pid = dir->pid, .fd = fd};
        return 0;
    }
    case PROCFS_TASK_DIR: {
        struct process *p = node_process(dir);
        int32_t tid = parse_number(name, n);
        if (p == 0 || tid <= 0 || thread_in_process(p, tid) == 0)
            return -ENOENT;
        *out = (struct procfs_node){.kind = PROCFS_PID_DIR, .pid = dir->pid};
        return 0;
    }
    default:
        e = find_in(dir->entry->dir, dir->entry->dir_count, name, n, &index);
        break;
    }
    if (e == 0)
        return -ENOENT;
    *out = (struct procfs_node){.kind = PROCFS_ENTRY, .pid = dir->pid, .entry = e, .index = index};
    return 0;
}

/*
 * Resolves `path` into *out. *magic is set when the last component is a
 * magic link to be followed (the caller goes to the file). -EXDEV when the
 * path has to be walked by fs/vfs.c.
 */
static int resolve_path(const char *path, bool follow_last, struct procfs_node *out, bool *magic)
{
    *out = (struct procfs_node){.kind = PROCFS_ROOT};
    *magic = false;
    unsigned links = 0;
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == 0)
            return 0;
        const char *name = p;
        uint64_t n = 0;
        while (name[n] != 0 && name[n] != '/')
            n++;
        p = name + n;
        const char *after = p;
        while (*after == '/')
            after++;
        bool last = *after == 0;
        bool slash = *p == '/';
        if (!node_is_dir(out))
            return -ENOTDIR;
        if (n == 1 && name[0] == '.')
            continue;
        if (n == 2 && name[0] == '.' && name[1] == '.')
            return -EXDEV;
        struct procfs_node dir = *out;
        int err = lookup_child(&dir, name, n, out);
        if (err != 0)
            return err;
        if (!node_is_link(out) || (last && !follow_last && !slash))
            continue;
        bool has_magic = out->kind == PROCFS_FD_LINK || out->entry->magic != 0;
        if (has_magic && last && !slash) {
            *magic = true;
            return 0;
        }
        if (++links > MAX_LINKS)
            return -ELOOP;
        int64_t len = node_link(out, link_text, sizeof link_text - 1);
        if (len < 0)
            return (int)len;
        link_text[len] = 0;
        if (link_text[0] == '/' || dir.kind != PROCFS_ROOT)
            return -EXDEV; /* out of /proc, or not a link this code splices */
        /* Relative to /proc: go on with the text, then what followed the link. */
        uint64_t rest = strlen(p);
        if ((uint64_t)len + rest + 1 > sizeof spliced)
            return -ENAMETOOLONG;
        memmove(spliced + len, p, rest + 1); /* p may point into spliced */
        memcpy(spliced, link_text, (uint64_t)len);
        p = spliced;
        *out = (struct procfs_node){.kind = PROCFS_ROOT};
    }
}

static struct file *magic_target(const struct procfs_node *nd)
{
    struct process *p = node_process(nd);
    if (p == 0)
        return 0;
    if (nd->kind == PROCFS_FD_LINK)
        return procfs_fd_file(p, nd->fd);
    return nd->entry->magic(p, 0);
}

static uint32_t node_mode(const struct procfs_node *nd)
{
    switch (nd->kind) {
    case PROCFS_ROOT:
    case PROCFS_PID_DIR:
    case PROCFS_TASK_DIR:
        return S_IFDIR | 0555;
    case PROCFS_FD_DIR:
        return S_IFDIR | 0500;
    case PROCFS_FD_LINK:
        return S_IFLNK | 0700;
    default:
        return nd->entry->dir != 0    ? S_IFDIR | 0555
               : nd->entry->link != 0 ? S_IFLNK | 0777
                                      : S_IFREG | 0444;
    }
}

/* Global entries' inode numbers: from their names (FNV-1a, 15 bits), which
 * are distinct enough in tables this small and say nothing about kernel
 * addresses. */
static uint64_t name_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (; *name; name++)
        h = (h ^ (uint8_t)*name) * 16777619u;
    return h & 0x7fff;
}

static void node_stat(const struct procfs_node *nd, struct fileio_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = PROCFS_DEV;
    uint64_t pid_bits = (uint64_t)nd->pid << 16;
    switch (nd->kind) {
    case PROCFS_ROOT:
        st->ino = 1;
        break;
    case PROCFS_PID_DIR:
        st->ino = pid_bits;
        break;
    case PROCFS_FD_DIR:
        st->ino = pid_bits | 0x8000;
        break;
    case PROCFS_TASK_DIR:
        st->ino = pid_bits | 0x7000;
        break;
    case PROCFS_FD_LINK:
        st->ino = pid_bits | 0x4000 | (uint64_t)nd->fd;
        break;
    default:
        /* Global entries from 2 on, per table; a process's after its pid. */
        st->ino = nd->pid != 0 ? pid_bits | (nd->index + 1) : 2 + name_hash(nd->entry->name);
        break;
    }
    st->mode = node_mode(nd);
    st->nlink = (st->mode & S_IFMT) == S_IFDIR ? 2 : 1;
    if (nd->pid != 0)
        st->uid = st->gid = PROCESS_UID;
    st->blksize = 1024;
    uint64_t now = clock_realtime_ns() / 1000000000u;
    st->atime_sec = st->mtime_sec = st->ctime_sec = (int64_t)now;
}

/* --- listings -------------------------------------------------------------------- */

static void list_table(struct text *t, const struct procfs_node *dir,
                       const struct procfs_entry *table, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        struct procfs_node child = {
            .kind = PROCFS_ENTRY, .pid = dir->pid, .entry = &table[i], .index = i};
        struct fileio_stat st;
        node_stat(&child, &st);
        gen_dir_add(t, st.ino, gen_dir_type(st.mode), table[i].name);
    }
}

static void list_processes(struct text *t)
{
    int32_t pids[PROC_MAX];
    unsigned n = 0;
    for (int i = 0; i < process_table_end(); i++) {
        struct process *p = process_at(i);
        if (p == 0)
            continue;
        /* Ascending, as Linux lists them. */
        unsigned j = n++;
        for (; j > 0 && pids[j - 1] > p->pid; j--)
            pids[j] = pids[j - 1];
        pids[j] = p->pid;
    }
    for (unsigned i = 0; i < n; i++) {
        char name[16];
        ksnprintf(name, sizeof name, "%d", pids[i]);
        gen_dir_add(t, (uint64_t)pids[i] << 16, DT_DIR, name);
    }
}

static void list_fds(struct text *t, const struct procfs_node *dir)
{
    struct process *p = node_process(dir);
    if (p == 0 || p->fds == 0)
        return;
    for (uint32_t fd = 0; fd < p->fds->end; fd++) {
        if (p->fds->files[fd] == 0)
            continue;
        char name[16];
        ksnprintf(name, sizeof name, "%u", fd);
        gen_dir_add(t, ((uint64_t)dir->pid << 16) | 0x4000 | fd, DT_LNK, name);
    }
}

static void list_threads(struct text *t, const struct procfs_node *dir)
{
    struct process *p = node_process(dir);
    if (p == 0)
        return;
    for (const struct thread *th = p->threads; th != 0; th = th->next_in_group) {
        if (th->state == THREAD_DEAD)
            continue;
        char name[16];
        ksnprintf(name, sizeof name, "%d", th->tid);
        gen_dir_add(t, (uint64_t)th->tid << 16, DT_DIR, name);
    }
}

static int fill_node(void *owner, struct text *t)
{
    const struct procfs_node *nd = owner;
    struct process *p = node_process(nd);
    if (nd->pid != 0 && p == 0)
        return -ESRCH; /* it has gone since */
    if (!node_is_dir(nd))
        return nd->entry->fill(p, t);
    struct fileio_stat st;
    node_stat(nd, &st);
    gen_dir_add(t, st.ino, DT_DIR, ".");
    gen_dir_add(t, 1, DT_DIR, "..");
    switch (nd->kind) {
    case PROCFS_ROOT:
        list_table(t, nd, procfs_root_entries, procfs_root_count);
        list_processes(t);
        break;
    case PROCFS_PID_DIR:
        gen_dir_add(t, ((uint64_t)nd->pid << 16) | 0x8000, DT_DIR, "fd");
        gen_dir_add(t, ((uint64_t)nd->pid << 16) | 0x7000, DT_DIR, "task");
        list_table(t, nd, procfs_pid_entries, procfs_pid_count);
        break;
    case PROCFS_TASK_DIR:
        list_threads(t, nd);
        break;
    case PROCFS_FD_DIR:
        list_fds(t, nd);
        break;
    default:
        list_table(t, nd, nd->entry->dir, nd->entry->dir_count);
        break;
    }
    return 0;
}

static const struct gen_ops procfs_gen = {.fill = fill_node};

/* --- mount_ops ------------------------------------------------------------------- */

/* A magic link opened: the file again, as Linux reopens it — the program
 * image afresh, a file with a name by that name; others cannot be. */
static int open_magic(const struct procfs_node *nd, uint32_t flags, uint32_t mode,
                      struct file **out)
{
    struct file *target = magic_target(nd);
    if (target == 0)
        return -ENOENT;
    if (image_file_is(target)) {
        if ((flags & O_ACCMODE) != O_RDONLY)
            return -EACCES;
        *out = image_file_reopen(target, flags);
        return *out != 0 ? 0 : -ENOMEM;
    }
    if (target->path != 0)
        return vfs_open(target->path, flags, mode, out);
    return -ENXIO; /* a pipe or terminal of another process (fs/open.c has one's own) */
}

static int procfs_open(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                       uint32_t mode, struct file **out)
{
    (void)m, (void)resolve;
    bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
    struct procfs_node nd;
    bool magic;
    int err = resolve_path(path, !(flags & O_NOFOLLOW) && !excl, &nd, &magic);
    if (err == -ENOENT && (flags & O_CREAT))
        return -EACCES; /* nothing can be made here */
    if (err != 0)
        return err;
    if (excl)
        return -EEXIST;
    if (magic)
        return open_magic(&nd, flags, mode, out);
    if (node_is_link(&nd))
        return -ELOOP; /* O_NOFOLLOW at a symlink */
    bool dir = node_is_dir(&nd);
    if (!dir && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))
        return dir ? -EISDIR : -EACCES;
    struct procfs_node *owner = kzalloc(sizeof *owner);
    if (owner == 0)
        return -ENOMEM;
    *owner = nd;
    struct fileio_stat st;
    node_stat(&nd, &st);
    return gen_file_open(&procfs_gen, owner, &st, flags | O_LARGEFILE, out);
}

static int procfs_stat(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                       struct fileio_stat *st)
{
    (void)m, (void)resolve;
    struct procfs_node nd;
    bool magic;
    int err = resolve_path(path, !(flags & AT_SYMLINK_NOFOLLOW), &nd, &magic);
    if (err != 0)
        return err;
    if (magic) {
        struct file *target = magic_target(&nd);
        if (target == 0 || target->ops->stat == 0)
            return -ENOENT;
        return target->ops->stat(target, st);
    }
    node_stat(&nd, st);
    return 0;
}

static int procfs_access(const struct mount *m, const char *path, uint32_t resolve,
                         uint32_t mode, uint32_t flags)
{
    struct fileio_stat st;
    int err = procfs_stat(m, path, resolve, flags, &st);
    if (err != 0)
        return err;
    uint32_t bits = (st.mode >> 6) & 7; /* the owner's: the program owns its own */
    return (bits & mode & 7) == (mode & 7) ? 0 : -EACCES;
}

static int64_t procfs_readlink(const struct mount *m, const char *path, uint32_t resolve,
                               char *buf, uint64_t size)
{
    (void)m, (void)resolve;
    struct procfs_node nd;
    bool magic;
    int err = resolve_path(path, false, &nd, &magic);
    if (err != 0)
        return err;
    if (!node_is_link(&nd))
        return -EINVAL;
    return node_link(&nd, buf, size);
}

static const struct mount_ops procfs_ops = {
    .type = "proc",
    .magic = 0x9fa0, /* PROC_SUPER_MAGIC */
    .open = procfs_open,
    .stat = procfs_stat,
    .access = procfs_access,
    .readlink = procfs_readlink,
};

int procfs_mount(const char *point)
{
    return mount_add(point, &procfs_ops, 0, false);
}

int64_t procfs_copy_link(const char *text, char *buf, uint64_t size)
{
    uint64_t n = strlen(text);
    if (n > size)
        n = size;
    memcpy(buf, text, n);
    return (int64_t)n;
}
