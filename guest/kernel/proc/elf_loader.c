#include "proc/elf_loader.h"

#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/vm_object.h"
#include "proc/elf.h"

/* Linux refuses program header tables above 64 KiB. */
#define ELF_MAX_PHDR_BYTES 65536u
/* Largest segment alignment honoured when choosing a static-PIE base. */
#define ELF_MAX_HONOURED_ALIGN (1ull << 30)

struct load_plan {
    Elf64_Ehdr ehdr;
    const Elf64_Ehdr *eh; /* &ehdr */
    struct file *file;
    uint64_t size;
    Elf64_Phdr phdrs[ELF_MAX_PHDR_BYTES / sizeof(Elf64_Phdr)];
};

/* Big (64 KiB of headers): static, the loader runs once at a time. In the
 * kernel image, so physically contiguous: files read straight into it. */
static struct load_plan plan;
/* The program's PT_INTERP path; outlives the interpreter's own load. */
static char interp_path[ELF_INTERP_MAX];

/* Reads exactly `len` bytes at `offset` into guest-physical `pa`; -ENOEXEC
 * if the file is shorter, -EIO if unreadable. */
static int read_exact_phys(uint64_t pa, uint64_t len, uint64_t offset)
{
    int64_t n = file_read_into_phys(plan.file, pa, len, offset);
    if (n < 0)
        return -EIO;
    return (uint64_t)n == len ? 0 : -ENOEXEC;
}

/* Reads exactly `len` bytes at `offset` into kernel memory `dst` (in the
 * kernel image). */
static int read_exact(void *dst, uint64_t len, uint64_t offset)
{
    return read_exact_phys(virt_to_phys(dst), len, offset);
}

/* Copies file bytes [offset, offset + len) to user address `va` of `mm`:
 * straight into each page, faulted in first (no bounce buffer: each copy
 * is costly where kernel instructions are emulated, PVM). */
static int copy_file_bytes(struct mm *mm, uint64_t va, uint64_t offset, uint64_t len)
{
    while (len > 0) {
        uint64_t n = PAGE_SIZE - (va & ~PAGE_MASK);
        if (n > len)
            n = len;
        uint64_t pa;
        int err = mm_translate(mm, va, ACCESS_WRITE, true, &pa);
        if (err == 0)
            err = read_exact_phys(pa, n, offset);
        if (err != 0)
            return err;
        va += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static int reject(const char **why, const char *reason)
{
    *why = reason;
    return -ENOEXEC;
}

static bool is_power_of_two(uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

static int check_header(const Elf64_Ehdr *eh, uint64_t size, const char **why)
{
    if (size < sizeof *eh)
        return reject(why, "file too small for an ELF header");
    const unsigned char *id = eh->e_ident;
    if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return reject(why, "not an ELF file");
    if (id[4] != ELFCLASS64 || id[5] != ELFDATA2LSB || id[6] != EV_CURRENT)
        return reject(why, "not a little-endian ELF64 file");
    if (eh->e_machine != EM_X86_64 || eh->e_version != EV_CURRENT)
        return reject(why, "not an x86-64 executable");
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return reject(why, "not an executable (ELF type is neither EXEC nor DYN)");
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return reject(why, "bad program header entry size");
    if (eh->e_phnum == 0 || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > ELF_MAX_PHDR_BYTES)
        return reject(why, "bad program header count");
    uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > size || table > size - eh->e_phoff)
        return reject(why, "program headers beyond the end of the file");
    return 0;
}

static int check_load_segment(const Elf64_Phdr *ph, uint64_t size, const char **why)
{
    if (ph->p_filesz > ph->p_memsz)
        return reject(why, "segment file size exceeds its memory size");
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return reject(why, "segment beyond the end of the file");
    if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
        return reject(why, "segment address range wraps");
    if (ph->p_align > 1 && !is_power_of_two(ph->p_align))
        return reject(why, "segment alignment is not a power of two");
    if ((ph->p_vaddr & ~PAGE_MASK) != (ph->p_offset & ~PAGE_MASK))
        return reject(why, "segment address and file offset disagree modulo the page size");
    return 0;
}

/* Reads PT_INTERP's path: absolute, NUL-terminated at its end, no NUL before. */
static int read_interp(const Elf64_Phdr *ph, struct elf_image_info *info, const char **why)
{
    if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX || ph->p_offset > plan.size ||
        ph->p_filesz > plan.size - ph->p_offset)
        return reject(why, "bad interpreter path (PT_INTERP)");
    if (read_exact(interp_path, ph->p_filesz, ph->p_offset) != 0)
        return reject(why, "interpreter path could not be read");
    if (interp_path[0] != '/' || interp_path[ph->p_filesz - 1] != 0 ||
        strnlen(interp_path, ph->p_filesz) != ph->p_filesz - 1)
        return reject(why, "bad interpreter path (PT_INTERP)");
    info->interp = interp_path;
    return 0;
}

/* Validates every program header; fills in what the mapping pass needs. */
static int check_program_headers(enum elf_role role, struct elf_image_info *info,
                                 uint64_t *min_page, uint64_t *max_align, const char **why)
{
    const Elf64_Ehdr *eh = plan.eh;
    uint64_t prev_end = 0;
    bool any_load = false;
    info->exec_stack = true; /* Linux's default for x86-64 binaries without PT_GNU_STACK */
    *max_align = PAGE_SIZE;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        switch (ph->p_type) {
        case PT_INTERP: {
            if (role == ELF_INTERPRETER)
                return reject(why, "the interpreter names an interpreter itself");
            if (info->interp != 0)
                return reject(why, "more than one interpreter (PT_INTERP)");
            int err = read_interp(ph, info, why);
            if (err != 0)
                return err;
            break;
        }
        case PT_GNU_STACK:
            info->exec_stack = (ph->p_flags & PF_X) != 0;
            break;
        case PT_LOAD: {
            int err = check_load_segment(ph, plan.size, why);
            if (err != 0)
                return err;
            if (ph->p_memsz == 0)
                break;
            if (any_load && ph->p_vaddr < prev_end)
                return reject(why, "loadable segments overlap or are out of order");
            if (!any_load)
                *min_page = page_floor(ph->p_vaddr);
            any_load = true;
            prev_end = ph->p_vaddr + ph->p_memsz;
            if (ph->p_align > *max_align && ph->p_align <= ELF_MAX_HONOURED_ALIGN)
                *max_align = ph->p_align;
            break;
        }
        default:
            break;
        }
    }
    if (!any_load)
        return reject(why, "no loadable segments");
    return 0;
}

static uint32_t segment_prot(const Elf64_Phdr *ph)
{
    uint32_t prot = 0;
    if (ph->p_flags & PF_R)
        prot |= PROT_READ;
    if (ph->p_flags & PF_W)
        prot |= PROT_WRITE;
    if (ph->p_flags & PF_X)
        prot |= PROT_EXEC;
    return prot;
}

/* The bytes from the first segment's page to the end of the last. */
static uint64_t image_span(uint64_t min_page)
{
    uint64_t end = min_page;
    for (unsigned i = 0; i < plan.eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        if (ph->p_type == PT_LOAD && ph->p_memsz != 0)
            end = ph->p_vaddr + ph->p_memsz; /* ascending: the last one ends highest */
    }
    return page_ceil(end) - min_page;
}

/* Every segment must land inside [USER_SPACE_START, USER_MMAP_TOP). Segments
 * ascend from min_page (checked), so it is enough to bound each end relative
 * to the load base; this way no sum can wrap. */
static int check_placement(uint64_t min_page, uint64_t bias, const char **why)
{
    uint64_t load_base = min_page + bias;
    if (load_base < USER_SPACE_START || load_base >= USER_MMAP_TOP)
        return reject(why, "segment outside the user address range");
    for (unsigned i = 0; i < plan.eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        uint64_t rel_end = ph->p_vaddr + ph->p_memsz - min_page;
        if (rel_end > USER_MMAP_TOP - load_base)
            return reject(why, "segment outside the user address range");
    }
    return 0;
}

/*
 * Maps one PT_LOAD like Linux does: whole pages of file bytes as a private
 * file mapping of the image (read-only ones then share the image's pages, the
 * others are copied on first touch), the rest (the page holding the end of
 * the file bytes, and bss) as anonymous memory with those last file bytes
 * copied in. A first page shared with the previous segment gets both
 * permissions.
 */
static int map_segment(struct mm *mm, struct file *image, struct vm_object *pages,
                       const Elf64_Phdr *ph, uint64_t bias, uint64_t *prev_map_end,
                       uint32_t *prev_prot)
{
    uint64_t vaddr = ph->p_vaddr + bias;
    uint64_t file_end = vaddr + ph->p_filesz;
    uint64_t start = page_floor(vaddr);
    uint64_t end = page_ceil(vaddr + ph->p_memsz);
    uint32_t prot = segment_prot(ph);
    int err = 0;
    if (start < *prev_map_end) {
        /* The shared page is the previous segment's anonymous tail. */
        err = mm_protect(mm, start, start + PAGE_SIZE, *prev_prot | prot);
        start += PAGE_SIZE;
    }
    uint64_t file_pages_end = page_floor(file_end) > start ? page_floor(file_end) : start;
    if (err == 0 && start < file_pages_end)
        err = mm_map(mm, start, file_pages_end, prot, 0, image, pages,
                     page_floor(ph->p_offset) + (start - page_floor(vaddr)));
    if (err == 0 && file_pages_end < end)
        err = mm_map(mm, file_pages_end, end, prot, 0, 0, 0, 0);
    /* File bytes outside the whole file pages: copied (the rest stays zero). */
    uint64_t copy_from = vaddr > file_pages_end ? vaddr : file_pages_end;
    if (err == 0 && start > page_floor(vaddr) && vaddr < start) {
        /* bytes in the shared first page */
        uint64_t n = (file_end < start ? file_end : start) - vaddr;
        err = copy_file_bytes(mm, vaddr, ph->p_offset, n);
    }
    if (err == 0 && copy_from < file_end)
        err = copy_file_bytes(mm, copy_from, ph->p_offset + (copy_from - vaddr),
                              file_end - copy_from);
    *prev_map_end = page_ceil(vaddr + ph->p_memsz);
    *prev_prot = prot;
    return err;
}

static int map_segments(struct mm *mm, struct file *image, uint64_t bias,
                        struct elf_image_info *info)
{
    uint64_t prev_map_end = 0, highest = 0;
    uint32_t prev_prot = 0;
    /* A host file's segments map its page cache: processes running the same
     * program or library share its pages (NULL: each reads its own). */
    struct vm_object *pages = image->ops->page_object != 0 ? image->ops->page_object(image) : 0;
    for (unsigned i = 0; i < plan.eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        int err = map_segment(mm, image, pages, ph, bias, &prev_map_end, &prev_prot);
        if (err != 0) {
            if (pages != 0)
                vm_object_put(pages);
            return err;
        }
        if (prev_map_end > highest)
            highest = prev_map_end;
    }
    if (pages != 0)
        vm_object_put(pages); /* the mappings hold it now */
    info->brk_start = highest;
    return 0;
}

/* AT_PHDR: PT_PHDR if present, else where the file's header table lands in a
 * loaded segment, else what Linux computes (first segment base + e_phoff). */
static uint64_t phdr_address(uint64_t bias)
{
    const Elf64_Ehdr *eh = plan.eh;
    uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    const Elf64_Phdr *first_load = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        if (ph->p_type == PT_PHDR)
            return ph->p_vaddr + bias;
    }
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        if (ph->p_type != PT_LOAD)
            continue;
        if (first_load == 0)
            first_load = ph;
        if (eh->e_phoff >= ph->p_offset && eh->e_phoff + table <= ph->p_offset + ph->p_filesz)
            return ph->p_vaddr + bias + (eh->e_phoff - ph->p_offset);
    }
    return first_load->p_vaddr - first_load->p_offset + bias + eh->e_phoff;
}

static bool entry_is_executable(uint64_t entry, uint64_t bias)
{
    for (unsigned i = 0; i < plan.eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &plan.phdrs[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && entry >= ph->p_vaddr + bias &&
            entry < ph->p_vaddr + bias + ph->p_memsz)
            return true;
    }
    return false;
}

/* The load bias: none for ET_EXEC; a position-independent program at
 * ELF_DYN_BASE, its interpreter in the highest free gap of the address
 * space, each aligned to its largest segment alignment. 0 and *bias, or
 * -ENOMEM when no gap is big enough. */
static int choose_bias(struct mm *mm, enum elf_role role, uint64_t min_page, uint64_t max_align,
                       uint64_t *bias)
{
    *bias = 0;
    if (plan.eh->e_type != ET_DYN)
        return 0;
    uint64_t base;
    if (role == ELF_PROGRAM) {
        base = (ELF_DYN_BASE + max_align - 1) & ~(max_align - 1);
    } else {
        uint64_t span = image_span(min_page);
        uint64_t gap = mm_find_gap(mm, span + max_align);
        if (gap == 0 || span == 0)
            return -ENOMEM;
        base = (gap + max_align - 1) & ~(max_align - 1);
    }
    *bias = base - min_page;
    return 0;
}

int elf_load(struct mm *mm, struct file *image_file, uint64_t size, enum elf_role role,
             struct elf_image_info *info, const char **why)
{
    *why = "";
    memset(info, 0, sizeof *info);
    plan.file = image_file;
    plan.size = size;
    plan.eh = &plan.ehdr;
    const Elf64_Ehdr *eh = plan.eh;
    int err = size < sizeof plan.ehdr ? -ENOEXEC : read_exact(&plan.ehdr, sizeof plan.ehdr, 0);
    if (err == -EIO)
        return reject(why, "file could not be read");
    if (err == 0)
        err = check_header(eh, size, why);
    else
        err = reject(why, "file too small for an ELF header");
    if (err != 0)
        return err;
    err = read_exact(plan.phdrs, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), eh->e_phoff);
    if (err != 0)
        return reject(why, "program headers could not be read");

    uint64_t min_page = 0, max_align = PAGE_SIZE;
    err = check_program_headers(role, info, &min_page, &max_align, why);
    if (err != 0)
        return err;

    /* A position-independent program relocates itself (or its interpreter
     * does); we only choose where it goes. */
    uint64_t bias;
    err = choose_bias(mm, role, min_page, max_align, &bias);
    if (err != 0)
        return reject(why, "no room in the address space for it");
    err = check_placement(min_page, bias, why);
    if (err != 0)
        return err;
    if (!entry_is_executable(eh->e_entry + bias, bias))
        return reject(why, "entry point is not in an executable segment");

    err = map_segments(mm, image_file, bias, info);
    if (err != 0) {
        if (err == -EFAULT)
            return reject(why, "segment could not be placed");
        if (err == -EIO || err == -ENOEXEC)
            return reject(why, "segment bytes could not be read");
        return err;
    }
    info->entry = eh->e_entry + bias;
    info->load_bias = bias;
    info->phent = sizeof(Elf64_Phdr);
    info->phnum = eh->e_phnum;
    info->phdr_addr = phdr_address(bias);
    return 0;
}
