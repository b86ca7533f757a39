#include "core/kernel_loader.h"

#include <string.h>

#include "core/elf_image.h"
#include "core/log.h"
#include "minivm/boot_info.h"

#define KERNEL_PHYS_LIMIT (1ull << 30) /* the host maps the kernel window over 1 GiB */

/* The window the segment is linked for: the upper-half one or PVM's lower-half one. */
static uint64_t window_of(const Elf64_Phdr *ph)
{
    if (ph->p_vaddr == MINIVM_PVM_KERNEL_VIRT_BASE + ph->p_paddr)
        return MINIVM_PVM_KERNEL_VIRT_BASE;
    return MINIVM_KERNEL_VIRT_BASE;
}

int kernel_load(const struct guest_memory *mem, const uint8_t *image, size_t size,
                const char *name, struct kernel_image *out)
{
    struct elf_image elf;
    char why[128];
    if (elf_image_parse(&elf, image, size, why, sizeof why)) {
        log_error("guest kernel %s: %s", name, why);
        return -1;
    }
    uint64_t limit = mem->low_size < KERNEL_PHYS_LIMIT ? mem->low_size : KERNEL_PHYS_LIMIT;
    uint64_t end = MINIVM_KERNEL_PHYS_BASE;
    int entry_ok = 0;
    uint64_t base = 0; /* the first segment's window; the others must share it */
    unsigned count = 0;
    for (unsigned i = 0; i < elf.ehdr->e_phnum; i++) {
        const Elf64_Phdr *ph = &elf.phdrs[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        if (base == 0)
            base = window_of(ph);
        if (ph->p_paddr < MINIVM_KERNEL_PHYS_BASE || ph->p_paddr > limit ||
            ph->p_memsz > limit - ph->p_paddr ||
            ph->p_vaddr != base + ph->p_paddr) {
            log_error("guest kernel %s: segment at paddr 0x%llx (vaddr 0x%llx, 0x%llx bytes) is "
                      "outside the kernel window of a %llu MiB guest",
                      name, (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_vaddr,
                      (unsigned long long)ph->p_memsz, (unsigned long long)(mem->size >> 20));
            return -1;
        }
        if (count == KERNEL_MAX_SEGMENTS) {
            log_error("guest kernel %s: more than %d loadable segments", name,
                      KERNEL_MAX_SEGMENTS);
            return -1;
        }
        out->segments[count++] = (struct kernel_segment){
            .paddr = ph->p_paddr, .size = ph->p_memsz, .flags = ph->p_flags & (PF_W | PF_X)};
        uint8_t *dst = guest_memory_ptr(mem, ph->p_paddr, ph->p_memsz);
        if (!dst)
            return -1;
        memcpy(dst, image + ph->p_offset, ph->p_filesz);
        memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
        if (ph->p_paddr + ph->p_memsz > end)
            end = ph->p_paddr + ph->p_memsz;
        if (elf.ehdr->e_entry >= ph->p_vaddr && elf.ehdr->e_entry - ph->p_vaddr < ph->p_memsz &&
            (ph->p_flags & PF_X))
            entry_ok = 1;
    }
    if (!entry_ok) {
        log_error("guest kernel %s: entry point 0x%llx is not in an executable segment", name,
                  (unsigned long long)elf.ehdr->e_entry);
        return -1;
    }
    out->entry = elf.ehdr->e_entry;
    out->phys_end = end;
    out->virt_base = base;
    out->segment_count = count;
    return 0;
}
