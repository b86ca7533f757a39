#include "fs/file.h"
#include "fs/image_file.h"
#include "fs/path.h"
#include "fs/vfs.h"
#include "kernel/boot_info.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "proc/exec.h"
#include "proc/process.h"

static char normalized[FILEIO_PATH_MAX];

/* The argv[0] minivm was given: the first string of the boot strings. */
static bool is_boot_argv0(const char *path)
{
    const struct minivm_boot_info *bi = boot_info();
    if (bi->argc == 0)
        return false;
    const char *argv0 = phys_to_virt(bi->strings_gpa);
    uint64_t len = strnlen(argv0, bi->strings_size);
    return len < bi->strings_size && strcmp(argv0, path) == 0;
}

static int open_image(const char *path, struct file **file, uint64_t *size, char *exe_path)
{
    const struct minivm_boot_info *bi = boot_info();
    *file = image_file_open(bi->program_gpa, bi->program_size);
    if (*file == 0)
        return -ENOMEM;
    *size = bi->program_size;
    if (path_normalize("/", path, exe_path, FILEIO_PATH_MAX) != 0)
        strlcpy(exe_path, "/", FILEIO_PATH_MAX);
    return 0;
}

static int open_host_file(struct process *p, const char *path, struct file **file,
                          uint64_t *size, char *exe_path)
{
    static char host_path[FILEIO_PATH_MAX];
    int err = path_at(p, AT_FDCWD, path, host_path, sizeof host_path);
    if (err != 0)
        return err;
    struct fileio_stat st;
    err = vfs_open_executable(host_path, normalized, file, &st);
    if (err != 0)
        return err;
    *size = (uint64_t)st.size;
    /* /proc/PID/exe of a program image (proc/procfs_pid.c opens it): it
     * keeps the name it has. */
    const char *name = image_file_is(*file) && p->exe_path != 0 ? p->exe_path : normalized;
    strlcpy(exe_path, name, FILEIO_PATH_MAX);
    return 0;
}

int exec_open(struct process *p, const char *path, struct file **file, uint64_t *size,
              char *exe_path)
{
    if (path[0] == 0)
        return -ENOENT;
    int err = path_normalize(p->cwd_path, path, normalized, sizeof normalized);
    if (err != 0)
        return err;
    if (is_boot_argv0(path))
        return open_image(path, file, size, exe_path);
    return open_host_file(p, path, file, size, exe_path);
}
