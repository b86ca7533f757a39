/* Validation of ELF64 x86-64 executables held in memory: the guest kernel image
 * and the user program (whose header the VMM checks before booting, so "not a
 * static x86-64 executable" is reported by minivm with status 126). */
#ifndef MINIVM_CORE_ELF_IMAGE_H
#define MINIVM_CORE_ELF_IMAGE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct elf_image {
    const uint8_t *data;
    size_t size;
    const Elf64_Ehdr *ehdr;
    const Elf64_Phdr *phdrs;  /* ehdr->e_phnum entries, inside data */
    int has_interp;           /* PT_INTERP present: dynamically linked */
    const char *interp;       /* its path, NUL-terminated inside data (when has_interp) */
};

/*
 * Checks the header and program headers of an ELF64 little-endian x86-64
 * executable (ET_EXEC, or ET_DYN) and that every PT_LOAD segment's file range
 * lies inside the image with filesz <= memsz, and that a PT_INTERP names an
 * absolute path (NUL-terminated, inside the file). On failure returns -1 and writes
 * a short reason ("not an ELF file", "built for machine 183", ...) to `why`.
 */
int elf_image_parse(struct elf_image *image, const uint8_t *data, size_t size, char *why,
                    size_t why_size);

#ifdef __cplusplus
}
#endif

#endif
