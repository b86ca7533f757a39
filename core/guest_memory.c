#include "core/guest_memory.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "core/log.h"
#include "minivm/boot_info.h"

int guest_memory_init(struct guest_memory *mem, uint64_t size)
{
    memset(mem, 0, sizeof *mem);
    if (size < GUEST_MEMORY_MIN || size > GUEST_MEMORY_MAX || size % MINIVM_LARGE_PAGE_SIZE) {
        log_error("guest memory size %llu bytes is not a multiple of 2 MiB between %llu MiB and %llu GiB",
                  (unsigned long long)size, GUEST_MEMORY_MIN >> 20, GUEST_MEMORY_MAX >> 30);
        return -1;
    }
    /* MAP_NORESERVE: untouched guest memory costs the host nothing. */
    void *base = mmap(NULL, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        log_error("cannot map %llu MiB of guest memory: %s", (unsigned long long)(size >> 20),
                  strerror(errno));
        return -1;
    }
    /* No MADV_HUGEPAGE: the guest touches a few scattered pages at start-up
     * (boot info, kernel, program), and each would cost a whole 2 MiB of host
     * memory; the ≤ 5 MiB RSS target of a small program matters more. */
    mem->host_base = base;
    mem->size = size;
    mem->low_size = size < MINIVM_MMIO_HOLE_START ? size : MINIVM_MMIO_HOLE_START;
    mem->high_size = size - mem->low_size;
    return 0;
}

void guest_memory_destroy(struct guest_memory *mem)
{
    if (mem->host_base)
        munmap(mem->host_base, mem->size);
    memset(mem, 0, sizeof *mem);
}

void *guest_memory_ptr(const struct guest_memory *mem, uint64_t gpa, uint64_t len)
{
    if (!mem->host_base)
        return NULL;
    /* Both checks are written so no addition can wrap. */
    if (gpa <= mem->low_size && len <= mem->low_size - gpa)
        return mem->host_base + gpa;
    if (mem->high_size && gpa >= MINIVM_HIGH_RAM_START) {
        uint64_t offset = gpa - MINIVM_HIGH_RAM_START;
        if (offset <= mem->high_size && len <= mem->high_size - offset)
            return mem->host_base + mem->low_size + offset;
    }
    return NULL;
}
