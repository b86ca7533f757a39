#include "proc/program_load.h"

#include "fs/file.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/format.h"

static char reason[ELF_INTERP_MAX + 96];

/* The interpreter named by the program, from the guest's filesystem. */
static int load_interpreter(struct mm *mm, const char *path, struct elf_image_info *info,
                            const char **why)
{
    struct file *f;
    int err = vfs_open(path, O_RDONLY, 0, &f);
    if (err != 0) {
        ksnprintf(reason, sizeof reason, "interpreter %s: %s", path,
                  err == -ENOENT ? "not found in the guest's filesystem" : "cannot be opened");
        *why = reason;
        return err;
    }
    struct fileio_stat st;
    err = f->ops->stat != 0 ? f->ops->stat(f, &st) : -ENOEXEC;
    if (err == 0 && (st.mode & S_IFMT) != S_IFREG)
        err = -EACCES;
    const char *elf_why = "";
    if (err == 0)
        err = elf_load(mm, f, (uint64_t)st.size, ELF_INTERPRETER, info, &elf_why);
    file_put(f); /* its mappings hold their own references */
    if (err != 0) {
        ksnprintf(reason, sizeof reason, "interpreter %s: %s", path,
                  err == -EACCES ? "not a regular file" : elf_why);
        *why = reason;
    }
    return err;
}

int program_load(struct mm *mm, struct file *file, uint64_t size, struct loaded_program *out,
                 const char **why)
{
    int err = elf_load(mm, file, size, ELF_PROGRAM, &out->program, why);
    if (err != 0)
        return err;
    out->entry = out->program.entry;
    out->interp_base = 0;
    if (out->program.interp == 0)
        return 0;
    struct elf_image_info interp;
    err = load_interpreter(mm, out->program.interp, &interp, why);
    if (err != 0)
        return err;
    out->entry = interp.entry;
    out->interp_base = interp.load_bias;
    return 0;
}
