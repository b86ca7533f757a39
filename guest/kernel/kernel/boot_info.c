#include "kernel/boot_info.h"

#include "kernel/panic.h"
#include "fileio/fileio_abi.h"
#include "lib/string.h"
#include "mm/addr.h"

static const struct minivm_boot_info *info;

bool boot_info_ram_contains(uint64_t pa, uint64_t len)
{
    const struct minivm_boot_info *bi = info;
    if (pa + len < pa)
        return false;
    for (uint32_t i = 0; i < bi->ram_range_count; i++) {
        const struct minivm_ram_range *r = &bi->ram[i];
        if (pa >= r->start && pa + len <= r->start + r->size)
            return true;
    }
    return false;
}

static bool range_sane(const struct minivm_ram_range *r)
{
    return r->start + r->size >= r->start && r->start + r->size <= MINIVM_MAX_GPA;
}

void boot_info_init(uint64_t boot_info_pa)
{
    /* Until the boot info is known good we cannot find the platform device, so
     * early_panic() halts with the message address in registers for the VMM's dump. */
    if (boot_info_pa == 0 || boot_info_pa >= MINIVM_MAX_GPA ||
        boot_info_pa + sizeof(struct minivm_boot_info) > MINIVM_MAX_GPA)
        early_panic("boot info address out of range");
    const struct minivm_boot_info *bi = phys_to_virt(boot_info_pa);
    if (bi->magic != MINIVM_BOOT_INFO_MAGIC)
        early_panic("boot info: bad magic");
    if (bi->version != MINIVM_BOOT_INFO_VERSION)
        early_panic("boot info: unsupported version");
    /* Fields may be appended in later versions; older layouts are too short. */
    if (bi->size < sizeof(struct minivm_boot_info))
        early_panic("boot info: size smaller than struct minivm_boot_info");
    if (bi->device_count > MINIVM_BOOT_MAX_DEVICES)
        early_panic("boot info: too many devices");
    if (bi->ram_range_count == 0 || bi->ram_range_count > MINIVM_BOOT_MAX_RAM_RANGES ||
        bi->free_range_count > MINIVM_BOOT_MAX_RAM_RANGES)
        early_panic("boot info: bad RAM range count");
    for (uint32_t i = 0; i < bi->ram_range_count; i++) {
        if (!range_sane(&bi->ram[i]))
            early_panic("boot info: RAM range beyond the physmap");
    }
    info = bi;
    for (uint32_t i = 0; i < bi->free_range_count; i++) {
        if (!range_sane(&bi->free[i]) || !boot_info_ram_contains(bi->free[i].start, bi->free[i].size))
            early_panic("boot info: free range outside RAM");
    }
    if (!boot_info_ram_contains(bi->program_gpa, bi->program_size))
        early_panic("boot info: program image outside RAM");
    if (!boot_info_ram_contains(bi->strings_gpa, bi->strings_size))
        early_panic("boot info: argv/envp strings outside RAM");
    if (!boot_info_ram_contains(bi->cwd_gpa, bi->cwd_size) || bi->cwd_size < 2 ||
        bi->cwd_size > FILEIO_PATH_MAX || ((const char *)phys_to_virt(bi->cwd_gpa))[0] != '/' ||
        strnlen(phys_to_virt(bi->cwd_gpa), bi->cwd_size) != bi->cwd_size - 1)
        early_panic("boot info: bad working directory");
    if (bi->tmpfs_size != 0 &&
        (!boot_info_ram_contains(bi->tmpfs_gpa, bi->tmpfs_size) ||
         ((const char *)phys_to_virt(bi->tmpfs_gpa))[bi->tmpfs_size - 1] != 0))
        early_panic("boot info: bad tmpfs list");
}

const struct minivm_boot_info *boot_info(void)
{
    return info;
}
