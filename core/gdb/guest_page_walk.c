#include "core/gdb/guest_page_walk.h"

#include <string.h>

#define PTE_PRESENT 0x1ull
#define PTE_WRITABLE 0x2ull
#define PTE_USER 0x4ull
#define PTE_LARGE 0x80ull
#define PTE_ADDRESS 0x000ffffffffff000ull

/* One table entry, copied out of guest memory once; false when the table is
 * not in guest RAM. */
static bool read_entry(const struct guest_memory *mem, uint64_t table, unsigned index,
                       uint64_t *entry)
{
    const void *p = guest_memory_ptr(mem, (table & PTE_ADDRESS) + index * 8ull, 8);
    if (!p)
        return false;
    memcpy(entry, p, 8);
    return true;
}

int guest_page_walk(const struct guest_address_space *as, uint64_t va, struct guest_page *page)
{
    if (va >= as->user_end && !as->supervisor)
        return -1;
    uint64_t table = as->cr3;
    bool writable = true;
    /* Levels: PML4 (shift 39), PDPT (30), PD (21), PT (12). */
    for (int shift = 39; shift >= 12; shift -= 9) {
        uint64_t entry;
        if (!read_entry(as->memory, table, (unsigned)((va >> shift) & 511), &entry))
            return -1;
        if (!(entry & PTE_PRESENT) || (!(entry & PTE_USER) && !as->supervisor))
            return -1;
        writable = writable && (entry & PTE_WRITABLE);
        bool leaf = shift == 12 || ((shift == 30 || shift == 21) && (entry & PTE_LARGE));
        if (leaf) {
            uint64_t size = 1ull << shift;
            uint64_t base = entry & PTE_ADDRESS & ~(size - 1);
            uint64_t offset = va & (size - 1);
            page->gpa = base + offset;
            page->span = size - offset;
            page->writable = writable;
            return 0;
        }
        table = entry;
    }
    return -1;
}

/* Copies between guest pages and `buf`, a page at a time. */
static size_t copy_virt(const struct guest_address_space *as, uint64_t va, uint8_t *buf,
                        size_t len, bool write)
{
    size_t done = 0;
    while (done < len) {
        struct guest_page page;
        if (va + done < va || guest_page_walk(as, va + done, &page) != 0 ||
            (write && !page.writable))
            break;
        size_t n = len - done;
        if (n > page.span)
            n = (size_t)page.span;
        uint8_t *host = guest_memory_ptr(as->memory, page.gpa, n);
        if (!host)
            break;
        if (write)
            memcpy(host, buf + done, n);
        else
            memcpy(buf + done, host, n);
        done += n;
    }
    return done;
}

size_t guest_virt_read(const struct guest_address_space *as, uint64_t va, uint8_t *buf,
                       size_t len)
{
    return copy_virt(as, va, buf, len, false);
}

size_t guest_virt_write(const struct guest_address_space *as, uint64_t va, const uint8_t *buf,
                        size_t len)
{
    return copy_virt(as, va, (uint8_t *)buf, len, true);
}

int guest_page_patch_byte(const struct guest_address_space *as, uint64_t va, uint8_t value,
                          uint8_t *old)
{
    struct guest_page page;
    if (guest_page_walk(as, va, &page) != 0)
        return -1;
    uint8_t *host = guest_memory_ptr(as->memory, page.gpa, 1);
    if (!host)
        return -1;
    *old = *host;
    *host = value;
    return 0;
}
