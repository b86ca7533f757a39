#include "core/elf_image.h"

#include <stdio.h>
#include <string.h>

static int fail(char *why, size_t why_size, const char *reason)
{
    snprintf(why, why_size, "%s", reason);
    return -1;
}

int elf_image_parse(struct elf_image *image, const uint8_t *data, size_t size, char *why,
                    size_t why_size)
{
    memset(image, 0, sizeof *image);
    if (size < EI_NIDENT || memcmp(data, ELFMAG, SELFMAG) != 0)
        return fail(why, why_size, "not an ELF file");
    if (size < sizeof(Elf64_Ehdr))
        return fail(why, why_size, "truncated ELF header");
    const Elf64_Ehdr *ehdr = (const Elf64_Ehdr *)data;
    if (ehdr->e_ident[EI_CLASS] != ELFCLASS64)
        return fail(why, why_size, "a 32-bit ELF file, not x86-64");
    if (ehdr->e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(why, why_size, "a big-endian ELF file, not x86-64");
    if (ehdr->e_machine != EM_X86_64) {
        snprintf(why, why_size, "built for ELF machine %u, not x86-64", ehdr->e_machine);
        return -1;
    }
    if (ehdr->e_type != ET_EXEC && ehdr->e_type != ET_DYN)
        return fail(why, why_size, "an ELF object that is not an executable");
    if (ehdr->e_phentsize != sizeof(Elf64_Phdr) || ehdr->e_phnum == 0 || ehdr->e_phnum > 256)
        return fail(why, why_size, "an ELF executable with bad program headers");
    uint64_t ph_bytes = (uint64_t)ehdr->e_phnum * sizeof(Elf64_Phdr);
    if (ehdr->e_phoff > size || ph_bytes > size - ehdr->e_phoff || ehdr->e_phoff % 8)
        return fail(why, why_size, "an ELF executable whose program headers lie outside the file");
    const Elf64_Phdr *phdrs = (const Elf64_Phdr *)(data + ehdr->e_phoff);
    int loads = 0;
    for (unsigned i = 0; i < ehdr->e_phnum; i++) {
        const Elf64_Phdr *ph = &phdrs[i];
        if (ph->p_type == PT_INTERP) {
            /* An absolute path, NUL-terminated within the segment, as the
             * guest kernel will look it up. */
            if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset || ph->p_filesz < 2 ||
                ph->p_filesz > 4096 || data[ph->p_offset] != '/' ||
                memchr(data + ph->p_offset, 0, ph->p_filesz) !=
                    data + ph->p_offset + ph->p_filesz - 1)
                return fail(why, why_size, "an ELF executable with a malformed interpreter path");
            image->has_interp = 1;
            image->interp = (const char *)data + ph->p_offset;
        }
        if (ph->p_type != PT_LOAD)
            continue;
        loads++;
        if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
            return fail(why, why_size, "a truncated ELF executable (segment beyond end of file)");
        if (ph->p_filesz > ph->p_memsz)
            return fail(why, why_size, "an ELF executable with a segment larger in the file than in memory");
    }
    if (loads == 0)
        return fail(why, why_size, "an ELF executable with nothing to load");
    image->data = data;
    image->size = size;
    image->ehdr = ehdr;
    image->phdrs = phdrs;
    return 0;
}
