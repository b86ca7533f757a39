#include "kernel/kernel_symbols.h"

#include "kernel/boot_info.h"
#include "lib/elf_symbols.h"
#include "lib/format.h"
#include "mm/addr.h"

#define NAME_MAX_LEN 80

void kernel_symbol_name(uint64_t addr, bool return_address, char *buf, size_t size)
{
    const struct minivm_boot_info *bi = boot_info();
    ksnprintf(buf, size, "?");
    if (bi == 0 || bi->kernel_symtab_size == 0 ||
        !boot_info_ram_contains(bi->kernel_symtab_gpa, bi->kernel_symtab_size) ||
        !boot_info_ram_contains(bi->kernel_strtab_gpa, bi->kernel_strtab_size))
        return;
    struct elf_symbol_match match = {0};
    uint64_t lookup = return_address ? addr - 1 : addr;
    elf_symbols_scan(phys_to_virt(bi->kernel_symtab_gpa), (size_t)bi->kernel_symtab_size, lookup,
                     &match);
    if (!match.found || (!match.inside && match.size != 0))
        return;
    char name[NAME_MAX_LEN];
    if (!elf_symbol_name(phys_to_virt(bi->kernel_strtab_gpa), (size_t)bi->kernel_strtab_size,
                         match.name, name, sizeof name))
        return;
    ksnprintf(buf, size, "%s+%#lx", name, addr - match.value);
}
