#include "core/boot_params.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/log.h"
#include "minivm/boot_info.h"

_Static_assert(sizeof(struct minivm_boot_info) <= 2 * MINIVM_PAGE_SIZE,
               "boot info must fit its two pages");

#define ARGS_MAX_BYTES (2u << 20) /* like a generous ARG_MAX */

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
static uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

static uint64_t strings_size(char *const *list, size_t count)
{
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += strlen(list[i]) + 1;
    return total;
}

static char *copy_strings(char *dst, char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(list[i]) + 1;
        memcpy(dst, list[i], len);
        dst += len;
    }
    return dst;
}

static void add_devices(struct minivm_boot_info *info, const struct range_table *table, int is_port)
{
    for (size_t i = 0; i < table->count && info->device_count < MINIVM_BOOT_MAX_DEVICES; i++) {
        const struct range_entry *e = &table->entries[i];
        struct minivm_boot_device *dev = &info->devices[info->device_count++];
        memcpy(dev->kind, e->kind, sizeof dev->kind);
        if (is_port) {
            dev->port_base = (uint16_t)e->start;
            dev->port_count = (uint16_t)e->size;
        } else {
            dev->mmio_base = e->start;
            dev->mmio_size = e->size;
        }
    }
}

int boot_params_write(const struct boot_params *p)
{
    const struct guest_memory *mem = p->memory;
    uint64_t strings_bytes = strings_size(p->argv, p->argc) + strings_size(p->envp, p->envc);
    uint64_t cwd_bytes = strlen(p->cwd) + 1;
    uint64_t tmpfs_bytes = strings_size(p->tmpfs, p->tmpfs_count);
    if (p->cwd[0] != '/' || cwd_bytes > 4096) {
        log_error("working directory '%s' is not an absolute guest path of at most 4095 bytes",
                  p->cwd);
        return -1;
    }
    if (strings_bytes > ARGS_MAX_BYTES || p->argc > 0x10000 || p->envc > 0x10000) {
        log_error("arguments and environment are too large (%llu bytes, at most %u)",
                  (unsigned long long)strings_bytes, ARGS_MAX_BYTES);
        return -1;
    }
    if (p->ports->count + p->mmio->count > MINIVM_BOOT_MAX_DEVICES) {
        log_error("too many devices for the boot-info table (at most %u)", MINIVM_BOOT_MAX_DEVICES);
        return -1;
    }
    /* Top of low RAM, downwards: strings, then the program image. */
    uint64_t free_start = align_up(p->kernel_phys_end, MINIVM_PAGE_SIZE);
    uint64_t strings_gpa =
        align_down(mem->low_size - strings_bytes - cwd_bytes - tmpfs_bytes, MINIVM_PAGE_SIZE);
    uint64_t needed = align_up(p->program_size, MINIVM_PAGE_SIZE) + (mem->low_size - strings_gpa);
    if (needed + (4u << 20) > mem->low_size - free_start) {
        log_error("the program (%llu KiB) does not fit in %llu MiB of guest memory; raise --memory",
                  (unsigned long long)(p->program_size >> 10),
                  (unsigned long long)(mem->size >> 20));
        return -1;
    }
    uint64_t program_gpa = align_down(strings_gpa - p->program_size, MINIVM_PAGE_SIZE);

    char *strings = guest_memory_ptr(mem, strings_gpa, strings_bytes + cwd_bytes + tmpfs_bytes);
    uint8_t *program = guest_memory_ptr(mem, program_gpa, p->program_size);
    struct minivm_boot_info *info =
        guest_memory_ptr(mem, MINIVM_BOOT_INFO_GPA, sizeof(struct minivm_boot_info));
    if (!strings || !program || !info)
        return -1;
    char *cwd = copy_strings(copy_strings(strings, p->argv, p->argc), p->envp, p->envc);
    memcpy(cwd, p->cwd, cwd_bytes);
    copy_strings(cwd + cwd_bytes, p->tmpfs, p->tmpfs_count);
    memcpy(program, p->program, p->program_size);

    memset(info, 0, sizeof *info);
    info->magic = MINIVM_BOOT_INFO_MAGIC;
    info->version = MINIVM_BOOT_INFO_VERSION;
    info->size = sizeof *info;
    info->flags = p->flags;
    info->ram[0] = (struct minivm_ram_range){0, mem->low_size};
    info->free[0] = (struct minivm_ram_range){free_start, program_gpa - free_start};
    info->ram_range_count = info->free_range_count = 1;
    if (mem->high_size) {
        info->ram[1] = (struct minivm_ram_range){MINIVM_HIGH_RAM_START, mem->high_size};
        info->free[1] = info->ram[1];
        info->ram_range_count = info->free_range_count = 2;
    }
    info->program_gpa = program_gpa;
    info->program_size = p->program_size;
    info->strings_gpa = strings_gpa;
    info->strings_size = strings_bytes;
    info->argc = (uint32_t)p->argc;
    info->envc = (uint32_t)p->envc;
    info->cwd_gpa = strings_gpa + strings_bytes;
    info->cwd_size = cwd_bytes;
    info->tmpfs_gpa = info->cwd_gpa + cwd_bytes;
    info->tmpfs_size = tmpfs_bytes;
    if (getrandom(info->random, sizeof info->random, 0) != (ssize_t)sizeof info->random) {
        log_error("getrandom failed");
        return -1;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    info->boot_time_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
    info->tsc_khz = p->tsc_khz;
    if (p->kernel_symbols) {
        info->kernel_symtab_gpa = p->kernel_symbols->symtab_gpa;
        info->kernel_symtab_size = p->kernel_symbols->symtab_size;
        info->kernel_strtab_gpa = p->kernel_symbols->strtab_gpa;
        info->kernel_strtab_size = p->kernel_symbols->strtab_size;
    }
    add_devices(info, p->ports, 1);
    add_devices(info, p->mmio, 0);
    return 0;
}
