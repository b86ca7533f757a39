#include "proc/vdso.h"

#include "fs/file.h"
#include "fs/image_file.h"
#include "kernel/vvar.h"
#include "lib/errno.h"
#include "mm/addr.h"
#include "mm/mm.h"

/* proc/vdso_image.S */
extern const char vdso_image_start[], vdso_image_end[];

/*
 * The vvar page and the vDSO image as files over kernel memory: image files
 * give their pages out for read-only mappings as they are (PTE_SW_SHARED, no
 * copy), so every process reads the very page the kernel updates. Opened
 * once, kept for good (each mapping holds a reference too).
 */
static struct file *vvar_file, *vdso_file;

static int open_files(void)
{
    if (vvar_file == 0)
        vvar_file = image_file_open(vvar_page_phys(), PAGE_SIZE);
    if (vdso_file == 0)
        vdso_file = image_file_open(virt_to_phys(vdso_image_start),
                                    (uint64_t)(vdso_image_end - vdso_image_start));
    return vvar_file != 0 && vdso_file != 0 ? 0 : -ENOMEM;
}

int vdso_map(struct mm *mm, uint64_t *base)
{
    int err = open_files();
    if (err != 0)
        return err;
    uint64_t image_size = (uint64_t)(vdso_image_end - vdso_image_start);
    /* Below the mmap area's top, like Linux's placement near the stack; fixed
     * for a given program, so runs stay reproducible. */
    uint64_t vvar = mm_find_gap(mm, PAGE_SIZE + image_size);
    if (vvar == 0)
        return -ENOMEM;
    err = mm_map(mm, vvar, vvar + PAGE_SIZE, PROT_READ, 0, vvar_file, 0, 0);
    if (err == 0)
        err = mm_map(mm, vvar + PAGE_SIZE, vvar + PAGE_SIZE + image_size, PROT_READ | PROT_EXEC,
                     0, vdso_file, 0, 0);
    if (err != 0)
        return err;
    *base = vvar + PAGE_SIZE;
    return 0;
}

const char *vdso_mapping_name(const struct file *f)
{
    if (f != 0 && f == vvar_file)
        return "[vvar]";
    if (f != 0 && f == vdso_file)
        return "[vdso]";
    return 0;
}
