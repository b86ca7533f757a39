#include "mm/uaccess.h"

#include "arch/percpu.h"
#include "arch/uaccess_copy.h"
#include "arch/user_entry.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "proc/process.h"

static struct mm *current_mm(void)
{
    return current_process()->mm;
}

bool user_range_valid(uint64_t va, uint64_t len)
{
    return va + len >= va && va + len <= USER_SPACE_END;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

int mm_copy_to(struct mm *mm, uint64_t dst, const void *src, uint64_t len, bool force)
{
    if (!user_range_valid(dst, len))
        return -EFAULT;
    const char *s = src;
    while (len > 0) {
        uint64_t pa;
        int err = mm_translate(mm, dst, ACCESS_WRITE, force, &pa);
        if (err != 0)
            return err;
        uint64_t n = min_u64(len, PAGE_SIZE - (dst & ~PAGE_MASK));
        memcpy(phys_to_virt(pa), s, n);
        s += n;
        dst += n;
        len -= n;
    }
    return 0;
}

int mm_copy_from(struct mm *mm, void *dst, uint64_t src, uint64_t len)
{
    if (!user_range_valid(src, len))
        return -EFAULT;
    char *d = dst;
    while (len > 0) {
        uint64_t pa;
        int err = mm_translate(mm, src, ACCESS_READ, false, &pa);
        if (err != 0)
            return err;
        uint64_t n = min_u64(len, PAGE_SIZE - (src & ~PAGE_MASK));
        memcpy(d, phys_to_virt(pa), n);
        d += n;
        src += n;
        len -= n;
    }
    return 0;
}

/* The plain copy works on the loaded address space: only when that is the
 * current process's (always, outside exec and exit). */
static bool current_mm_loaded(struct mm *mm)
{
    return mm != 0 && address_space_loaded() == mm->root_pa;
}

/* The page walk behind the plain copies (uaccess_copy_or's fallback): it
 * faults pages in, breaks copy-on-write and decides EFAULT. */
static int copy_to_user_walk(void *dst, const void *src, uint64_t len)
{
    return mm_copy_to(current_mm(), (uint64_t)dst, src, len, false);
}

static int copy_from_user_walk(void *dst, const void *src, uint64_t len)
{
    return mm_copy_from(current_mm(), dst, (uint64_t)src, len);
}

int copy_to_user(uint64_t dst, const void *src, uint64_t len)
{
    if (!user_range_valid(dst, len))
        return -EFAULT;
    if (!current_mm_loaded(current_mm()))
        return copy_to_user_walk((void *)dst, src, len);
    /* A page not yet there, or read-only (copy-on-write): the walk sorts it out. */
    return uaccess_copy_or((void *)dst, src, len, copy_to_user_walk);
}

int copy_from_user(void *dst, uint64_t src, uint64_t len)
{
    if (!user_range_valid(src, len))
        return -EFAULT;
    if (!current_mm_loaded(current_mm()))
        return copy_from_user_walk(dst, (const void *)src, len);
    return uaccess_copy_or(dst, (const void *)src, len, copy_from_user_walk);
}

int64_t strncpy_from_user(char *dst, uint64_t src, uint64_t size)
{
    struct mm *mm = current_mm();
    /* Eight bytes at a time straight from the loaded address space, never
     * past the end of the user half; a fault, or no NUL before that end,
     * leaves it to the page walk below. */
    if (size > 0 && user_range_valid(src, 1) && current_mm_loaded(mm)) {
        uint64_t direct = min_u64(size, USER_SPACE_END - src);
        int64_t n = uaccess_strncpy(dst, (const char *)src, direct);
        if (n >= 0 && (uint64_t)n < direct)
            return n;
        if (n >= 0 && direct == size)
            return -ENAMETOOLONG;
    }
    uint64_t done = 0;
    while (done < size) {
        if (!user_range_valid(src + done, 1))
            return -EFAULT;
        uint64_t pa;
        int err = mm_translate(mm, src + done, ACCESS_READ, false, &pa);
        if (err != 0)
            return err == -ENOMEM ? -ENOMEM : -EFAULT;
        uint64_t n = min_u64(size - done, PAGE_SIZE - ((src + done) & ~PAGE_MASK));
        const char *page = phys_to_virt(pa);
        for (uint64_t i = 0; i < n; i++) {
            dst[done + i] = page[i];
            if (page[i] == 0)
                return (int64_t)(done + i);
        }
        done += n;
    }
    return -ENAMETOOLONG;
}

struct segment_list {
    struct minivm_sg *sg;
    uint32_t n;
};

/* Appends a piece, merged with the last segment when physically contiguous. */
static bool add_segment(void *ctx, uint64_t pa, uint64_t len)
{
    struct segment_list *list = ctx;
    struct minivm_sg *last = list->n > 0 ? &list->sg[list->n - 1] : 0;
    if (last != 0 && last->gpa + last->len == pa) {
        last->len += len;
        return true;
    }
    if (list->n == MINIVM_SG_MAX)
        return false;
    list->sg[list->n++] = (struct minivm_sg){.gpa = pa, .len = len};
    return true;
}

int64_t user_buffer_segments(uint64_t va, uint64_t len, uint32_t access, struct minivm_sg *sg,
                             uint32_t *nseg)
{
    if (!user_range_valid(va, len))
        return -EFAULT;
    len = min_u64(len, MINIVM_HC_MAX_TRANSFER);
    struct segment_list list = {.sg = sg, .n = 0};
    int64_t covered = mm_translate_range(current_mm(), va, len, access, add_segment, &list);
    *nseg = list.n;
    return covered;
}
