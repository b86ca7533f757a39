#include "fs/path.h"

#include "fs/fd.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/process.h"

/* Appends component [s, s + n) to `out` (length *len), handling "." and "..". */
static int push_component(char *out, uint64_t *len, uint64_t size, const char *s, uint64_t n)
{
    if (n == 0 || (n == 1 && s[0] == '.'))
        return 0;
    if (n == 2 && s[0] == '.' && s[1] == '.') {
        while (*len > 1 && out[*len - 1] != '/')
            (*len)--;
        if (*len > 1)
            (*len)--; /* the slash before the removed component */
        out[*len] = 0;
        return 0;
    }
    uint64_t need = (*len > 1 ? 1 : 0) + n;
    if (*len + need + 1 > size)
        return -ENAMETOOLONG;
    if (*len > 1)
        out[(*len)++] = '/';
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = 0;
    return 0;
}

static int push_path(char *out, uint64_t *len, uint64_t size, const char *path)
{
    const char *p = path, *end = path + strlen(path);
    while (p < end) {
        while (p < end && *p == '/')
            p++;
        /* The component's end by memchr: a string instruction, not a byte loop. */
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *stop = slash != 0 ? slash : end;
        int err = push_component(out, len, size, p, (uint64_t)(stop - p));
        if (err != 0)
            return err;
        p = stop;
    }
    return 0;
}

int path_normalize(const char *base, const char *path, char *out, uint64_t size)
{
    if (size < 2)
        return -ENAMETOOLONG;
    out[0] = '/';
    out[1] = 0;
    uint64_t len = 1;
    if (path[0] != '/') {
        int err = push_path(out, &len, size, base);
        if (err != 0)
            return err;
    }
    return push_path(out, &len, size, path);
}

/* The guest path of the directory `dirfd` names, for joining relative names. */
static int dir_path(struct process *p, int32_t dirfd, const char **dir)
{
    if (dirfd == AT_FDCWD) {
        *dir = p->cwd_path;
        return 0;
    }
    struct file *f = fd_get(p->fds, dirfd);
    if (f == 0)
        return -EBADF;
    if (f->path == 0)
        return -ENOTDIR; /* console, pipe, device node: never a directory */
    *dir = f->path;
    return 0;
}

int path_at(struct process *p, int32_t dirfd, const char *path, char *out, uint64_t size)
{
    uint64_t len = strlen(path);
    if (path[0] == '/') {
        if (len + 1 > size)
            return -ENAMETOOLONG;
        memcpy(out, path, len + 1);
        return 0;
    }
    const char *dir;
    int err = dir_path(p, dirfd, &dir);
    if (err != 0)
        return err;
    uint64_t dlen = strlen(dir);
    if (dlen == 1)
        dlen = 0; /* "/": the slash below is the root's */
    if (dlen + 1 + len + 1 > size)
        return -ENAMETOOLONG;
    memcpy(out, dir, dlen);
    out[dlen] = '/';
    memcpy(out + dlen + 1, path, len + 1);
    return 0;
}
