#include "core/kernel_symbols.h"

#include <elf.h>
#include <string.h>

#include "core/log.h"
#include "minivm/boot_info.h"

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* [offset, offset + len) lies inside an image of `size` bytes. */
static int inside(uint64_t offset, uint64_t len, size_t size)
{
    return offset <= size && len <= size - offset;
}

/* The section header at `index`, copied out (the image may be unaligned). */
static Elf64_Shdr section(const uint8_t *image, const Elf64_Ehdr *eh, unsigned index)
{
    Elf64_Shdr sh;
    memcpy(&sh, image + eh->e_shoff + (uint64_t)index * sizeof sh, sizeof sh);
    return sh;
}

/* Copies `len` image bytes at `offset` to guest RAM at *gpa (page-aligned
 * first); 0, or -1 when RAM ends first. */
static int copy_table(const struct guest_memory *mem, const uint8_t *image, uint64_t offset,
                      uint64_t len, uint64_t *gpa)
{
    *gpa = align_up(*gpa, MINIVM_PAGE_SIZE);
    if (*gpa >= mem->low_size || len > mem->low_size - *gpa)
        return -1;
    uint8_t *dst = guest_memory_ptr(mem, *gpa, len);
    if (!dst)
        return -1;
    memcpy(dst, image + offset, len);
    return 0;
}

int kernel_symbols_place(const struct guest_memory *mem, const uint8_t *image, size_t size,
                         uint64_t *phys_end, struct kernel_symbols *out)
{
    memset(out, 0, sizeof *out);
    Elf64_Ehdr eh;
    if (size < sizeof eh)
        return 0;
    memcpy(&eh, image, sizeof eh);
    if (eh.e_shnum == 0 || eh.e_shoff == 0)
        return 0; /* no section headers: no symbols */
    if (eh.e_shentsize != sizeof(Elf64_Shdr) ||
        !inside(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), size)) {
        log_error("guest kernel: section headers outside the image");
        return -1;
    }
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr symtab = section(image, &eh, i);
        if (symtab.sh_type != SHT_SYMTAB)
            continue;
        if (symtab.sh_link >= eh.e_shnum || symtab.sh_entsize != sizeof(Elf64_Sym))
            return 0;
        Elf64_Shdr strtab = section(image, &eh, symtab.sh_link);
        uint64_t symtab_size = symtab.sh_size - symtab.sh_size % sizeof(Elf64_Sym);
        if (strtab.sh_type != SHT_STRTAB || !inside(symtab.sh_offset, symtab_size, size) ||
            !inside(strtab.sh_offset, strtab.sh_size, size) ||
            symtab_size > KERNEL_SYMBOLS_MAX_BYTES || strtab.sh_size > KERNEL_SYMBOLS_MAX_BYTES)
            return 0;
        uint64_t symtab_gpa = *phys_end;
        if (copy_table(mem, image, symtab.sh_offset, symtab_size, &symtab_gpa))
            return 0;
        uint64_t strtab_gpa = symtab_gpa + symtab_size;
        if (copy_table(mem, image, strtab.sh_offset, strtab.sh_size, &strtab_gpa))
            return 0;
        *out = (struct kernel_symbols){.symtab_gpa = symtab_gpa,
                                       .symtab_size = symtab_size,
                                       .strtab_gpa = strtab_gpa,
                                       .strtab_size = strtab.sh_size};
        *phys_end = strtab_gpa + strtab.sh_size;
        return 0;
    }
    return 0;
}
