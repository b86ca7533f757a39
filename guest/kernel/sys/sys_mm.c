/* Memory syscalls: brk, mmap (anonymous and file-backed: private, or shared
 * where the file keeps its bytes in a memory object), munmap, mprotect,
 * mremap, madvise, msync. */
#include "fs/fd.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "mm/vm_object.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_32BIT 0x40
#define MAP_GROWSDOWN 0x100
#define MAP_DENYWRITE 0x800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000

#define MAP_KNOWN_FLAGS                                                             \
    (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | MAP_DENYWRITE | \
     MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |       \
     MAP_STACK | MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE)

/* MAP_32BIT: Linux places these in the second GiB. */
#define MAP_32BIT_LOW 0x40000000ull
#define MAP_32BIT_HIGH 0x80000000ull

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

#define MADV_DONTNEED 4
#define MADV_FREE 8

static bool page_aligned(uint64_t v)
{
    return (v & ~PAGE_MASK) == 0;
}

/* Page-rounded length, or 0 if it would not fit in the user half. */
static uint64_t round_len(uint64_t len)
{
    if (len == 0 || len > USER_SPACE_END)
        return 0;
    return page_ceil(len);
}

static bool in_user_space(uint64_t start, uint64_t len)
{
    return start >= USER_SPACE_START && start <= USER_SPACE_END && len <= USER_SPACE_END - start;
}

int64_t sys_brk(struct syscall_call *c)
{
    struct mm *mm = c->proc->mm;
    uint64_t want = c->arg[0];
    uint64_t cur = mm->brk;
    /* Linux returns the unchanged break on any failure. */
    if (want < mm->brk_start || want > USER_MMAP_TOP)
        return (int64_t)cur;
    uint64_t old_end = page_ceil(cur), new_end = page_ceil(want);
    if (new_end > old_end) {
        if (!mm_range_is_free(mm, old_end, new_end))
            return (int64_t)cur;
        if (mm_map(mm, old_end, new_end, PROT_READ | PROT_WRITE, VMA_HEAP, 0, 0, 0) != 0)
            return (int64_t)cur;
    } else if (new_end < old_end) {
        if (mm_unmap(mm, new_end, old_end) != 0)
            return (int64_t)cur;
    }
    mm->brk = want;
    return (int64_t)want;
}

/* The lowest gap of `len` in [low, high), for MAP_32BIT; 0 if none. */
static uint64_t find_low_gap(struct mm *mm, uint64_t len, uint64_t low, uint64_t high)
{
    uint64_t at = low;
    for (struct vma *v = mm->vmas; v != 0 && v->start < high; v = v->next) {
        if (v->end <= at)
            continue;
        if (v->start >= at && v->start - at >= len)
            break;
        at = v->end;
    }
    return at + len <= high ? at : 0;
}

static int64_t check_file_mapping(struct file *f, uint32_t type, uint32_t prot, uint64_t offset,
                                  uint64_t len)
{
    if (f == 0 || (f->flags & O_PATH))
        return -EBADF;
    if (f->ops->read_phys == 0)
        return -ENODEV;
    if (!file_readable(f))
        return -EACCES;
    if (type != MAP_PRIVATE && (prot & PROT_WRITE)) {
        if (!file_writable(f))
            return -EACCES;
        /* Writes through a shared mapping of a host file would have to reach
         * the host; there is no write-back yet, so refuse rather than lose
         * them. Files whose bytes are a memory object (tmpfs) map it. */
        if (f->ops->shared_object == 0)
            return -ENODEV;
    }
    if (offset + len < offset || (int64_t)(offset + len) < 0)
        return -EOVERFLOW;
    return 0;
}

int64_t sys_mmap(struct syscall_call *c)
{
    struct mm *mm = c->proc->mm;
    uint64_t addr = c->arg[0], len = c->arg[1], offset = c->arg[5];
    uint32_t prot = (uint32_t)c->arg[2], flags = (uint32_t)c->arg[3];
    int32_t fd = arg_int(c->arg[4]);
    uint32_t type = flags & MAP_TYPE;

    /* Linux's order: the offset (the arch's entry), the fd, then the rest. */
    if (!page_aligned(offset))
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS) && fd_get(c->proc->fds, fd) == 0)
        return -EBADF;
    if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (type == MAP_SHARED_VALIDATE && (flags & ~(uint32_t)MAP_KNOWN_FLAGS))
        return -EOPNOTSUPP;
    if (prot & ~PROT_MASK)
        return -EINVAL;
    if (flags & MAP_HUGETLB)
        return -EINVAL; /* no huge page pool */
    if (len == 0)
        return -EINVAL;
    len = round_len(len);
    if (len == 0)
        return -ENOMEM;

    struct file *file = 0;
    if (!(flags & MAP_ANONYMOUS)) {
        file = fd_get(c->proc->fds, fd);
        int64_t err = check_file_mapping(file, type, prot, offset, len);
        if (err != 0)
            return err;
    }

    uint64_t start;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (!page_aligned(addr))
            return -EINVAL;
        if (addr < USER_SPACE_START)
            return -EPERM; /* below mmap_min_addr */
        if (!in_user_space(addr, len))
            return -ENOMEM;
        if (!mm_range_is_free(mm, addr, addr + len)) {
            if (!(flags & MAP_FIXED))
                return -EEXIST;
            if (mm_unmap(mm, addr, addr + len) != 0)
                return -ENOMEM;
        }
        start = addr;
    } else {
        start = 0;
        uint64_t hint = page_floor(addr);
        if (hint != 0 && in_user_space(hint, len) && mm_range_is_free(mm, hint, hint + len))
            start = hint;
        else if (flags & MAP_32BIT)
            start = find_low_gap(mm, len, MAP_32BIT_LOW, MAP_32BIT_HIGH);
        else
            start = mm_find_gap(mm, len);
        if (start == 0)
            return -ENOMEM;
    }
    uint32_t vma_flags = type == MAP_PRIVATE ? 0 : VMA_SHARED;
    /* Shared anonymous memory: one object, which forked children map too.
     * A shared mapping of a tmpfs file maps the file's own object; any other
     * mapping of a file, the object its pages come from (the page cache of a
     * host file), copied by a private mapping's first write to a page. */
    struct vm_object *object = 0;
    if (file == 0 && vma_flags == VMA_SHARED) {
        object = vm_object_create();
        if (object == 0)
            return -ENOMEM;
        offset = 0;
    } else if (file != 0 && vma_flags == VMA_SHARED && file->ops->shared_object != 0) {
        object = file->ops->shared_object(file);
        if (object == 0)
            return -ENOMEM;
    } else if (file != 0 && file->ops->page_object != 0) {
        object = file->ops->page_object(file); /* NULL: private copies per mapping */
    }
    int err = mm_map(mm, start, start + len, prot, vma_flags, file, object, offset);
    if (object != 0)
        vm_object_put(object); /* the VMA holds it now */
    if (err != 0)
        return err;
    return (int64_t)start;
}

int64_t sys_munmap(struct syscall_call *c)
{
    uint64_t addr = c->arg[0], len = c->arg[1];
    if (!page_aligned(addr) || len == 0)
        return -EINVAL;
    len = round_len(len);
    if (len == 0 || !in_user_space(addr, len))
        return -EINVAL;
    return mm_unmap(c->proc->mm, addr, addr + len);
}

int64_t sys_mprotect(struct syscall_call *c)
{
    struct mm *mm = c->proc->mm;
    uint64_t addr = c->arg[0], len = c->arg[1];
    uint32_t prot = (uint32_t)c->arg[2];
    if (!page_aligned(addr) || (prot & ~PROT_MASK))
        return -EINVAL;
    if (len == 0)
        return 0;
    len = round_len(len);
    if (len == 0 || !in_user_space(addr, len))
        return -ENOMEM;
    if (prot & PROT_WRITE) {
        for (struct vma *v = mm_find_vma(mm, addr); v != 0 && v->start < addr + len; v = v->next) {
            if ((v->flags & VMA_SHARED) && v->file != 0 &&
                (v->file->ops->shared_object == 0 || !file_writable(v->file)))
                return -EACCES; /* see check_file_mapping */
        }
    }
    return mm_protect(mm, addr, addr + len, prot);
}

int64_t sys_mremap(struct syscall_call *c)
{
    struct mm *mm = c->proc->mm;
    uint64_t old_addr = c->arg[0], old_len = c->arg[1], new_len = c->arg[2];
    uint32_t flags = (uint32_t)c->arg[3];
    uint64_t new_addr = c->arg[4];

    if (!page_aligned(old_addr) || (flags & ~(uint32_t)(MREMAP_MAYMOVE | MREMAP_FIXED)))
        return -EINVAL; /* MREMAP_DONTUNMAP is not supported */
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL;
    old_len = page_ceil(old_len);
    new_len = round_len(new_len);
    if (old_len == 0 || new_len == 0)
        return -EINVAL; /* old_len 0 duplicates shared mappings: not supported */
    if (!in_user_space(old_addr, old_len))
        return -EFAULT;
    struct vma *v = mm_find_vma(mm, old_addr);
    if (v == 0 || old_addr + old_len > v->end)
        return -EFAULT; /* must lie within one mapping */

    if (!(flags & MREMAP_FIXED)) {
        if (new_len <= old_len) {
            if (new_len < old_len && mm_unmap(mm, old_addr + new_len, old_addr + old_len) != 0)
                return -ENOMEM;
            return (int64_t)old_addr;
        }
        /* Grow in place if the pages after it are free. */
        uint64_t tail = old_addr + old_len, grow = new_len - old_len;
        if (v->end == tail && in_user_space(tail, grow) && tail + grow <= USER_MMAP_TOP &&
            mm_range_is_free(mm, tail, tail + grow)) {
            uint64_t off = v->offset + (tail - v->start);
            int err = mm_map(mm, tail, tail + grow, v->prot, v->flags, v->file, v->object, off);
            return err != 0 ? err : (int64_t)old_addr;
        }
        if (!(flags & MREMAP_MAYMOVE))
            return -ENOMEM;
    }

    uint64_t target;
    if (flags & MREMAP_FIXED) {
        if (!page_aligned(new_addr) || !in_user_space(new_addr, new_len))
            return -EINVAL;
        if (new_addr < old_addr + old_len && old_addr < new_addr + new_len)
            return -EINVAL; /* overlapping ranges */
        if (mm_unmap(mm, new_addr, new_addr + new_len) != 0)
            return -ENOMEM;
        target = new_addr;
    } else {
        target = mm_find_gap(mm, new_len);
        if (target == 0)
            return -ENOMEM;
    }
    /* Shrinking moves only what stays; growing maps the rest after the move. */
    /* A copy of the VMA to grow from: the VMA itself goes during the move. */
    struct vma grow_like = *v;
    uint64_t grow_offset = v->offset + (old_addr - v->start) + old_len;
    uint64_t keep = new_len < old_len ? new_len : old_len;
    if (new_len < old_len && mm_unmap(mm, old_addr + new_len, old_addr + old_len) != 0)
        return -ENOMEM;
    if (grow_like.file != 0)
        file_get(grow_like.file);
    if (grow_like.object != 0)
        vm_object_get(grow_like.object);
    int err = mm_move(mm, old_addr, keep, target);
    if (err == 0 && new_len > old_len)
        err = mm_map(mm, target + old_len, target + new_len, grow_like.prot, grow_like.flags,
                     grow_like.file, grow_like.object, grow_offset);
    if (grow_like.file != 0)
        file_put(grow_like.file);
    if (grow_like.object != 0)
        vm_object_put(grow_like.object);
    return err != 0 ? err : (int64_t)target;
}

int64_t sys_madvise(struct syscall_call *c)
{
    uint64_t addr = c->arg[0], len = c->arg[1];
    int32_t advice = arg_int(c->arg[2]);
    if (!page_aligned(addr))
        return -EINVAL;
    if (len == 0)
        return 0;
    len = round_len(len);
    if (len == 0 || !in_user_space(addr, len))
        return -EINVAL;
    if (advice == MADV_DONTNEED || advice == MADV_FREE) {
        /* Private pages are dropped: anonymous memory reads back as zeros,
         * file-backed memory as the file's contents. Shared memory keeps
         * its contents (it has no other copy). */
        struct mm *mm = c->proc->mm;
        for (struct vma *v = mm->vmas; v != 0 && v->start < addr + len; v = v->next) {
            if (v->end <= addr || (v->flags & VMA_SHARED))
                continue;
            uint64_t from = v->start > addr ? v->start : addr;
            uint64_t to = v->end < addr + len ? v->end : addr + len;
            mm_discard(mm, from, to);
        }
    }
    return 0; /* every other advice is only a hint */
}

/* Every page of [start, start + len) is mapped: 0, or -ENOMEM at a hole. */
static int64_t range_mapped(struct mm *mm, uint64_t start, uint64_t len)
{
    if (len == 0)
        return 0;
    if (!user_range_valid(start, len))
        return -ENOMEM;
    uint64_t end = page_ceil(start + len);
    for (uint64_t va = start; va < end;) {
        struct vma *v = mm_find_vma(mm, va);
        if (v == 0)
            return -ENOMEM;
        va = v->end;
    }
    return 0;
}

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

int64_t sys_msync(struct syscall_call *c)
{
    uint64_t start = c->arg[0], len = c->arg[1];
    uint32_t flags = (uint32_t)c->arg[2];
    if (!page_aligned(start) || (flags & ~(uint32_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    /* Nothing to write back: writable shared maps are of memory objects. */
    return range_mapped(c->proc->mm, start, len);
}

/*
 * mlock & co.: every page stays in memory anyway (no swap), so locking only
 * checks its arguments and that the range is mapped, as Linux does; the
 * amount is not limited by RLIMIT_MEMLOCK's default (64 KiB would refuse
 * what Linux's unprivileged users lock today, up to 8 MiB).
 */
#define MLOCK_ONFAULT 1
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

static int64_t lock_range(struct syscall_call *c, uint64_t start, uint64_t len)
{
    uint64_t aligned = start & ~(PAGE_SIZE - 1);
    if (len > UINT64_MAX - (start - aligned))
        return -ENOMEM;
    return range_mapped(c->proc->mm, aligned, len + (start - aligned));
}

int64_t sys_mlock(struct syscall_call *c)
{
    return lock_range(c, c->arg[0], c->arg[1]);
}

int64_t sys_mlock2(struct syscall_call *c)
{
    if (c->arg[2] & ~(uint64_t)MLOCK_ONFAULT)
        return -EINVAL;
    return lock_range(c, c->arg[0], c->arg[1]);
}

int64_t sys_munlock(struct syscall_call *c)
{
    return lock_range(c, c->arg[0], c->arg[1]);
}

int64_t sys_mlockall(struct syscall_call *c)
{
    uint64_t flags = c->arg[0];
    if (flags == 0 || (flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
        flags == MCL_ONFAULT)
        return -EINVAL;
    return 0;
}

int64_t sys_munlockall(struct syscall_call *c)
{
    (void)c;
    return 0;
}

/*
 * mincore: which pages of a mapped range are in memory. Every page of a
 * mapping counts as resident (the VM has no swap, and file pages come from
 * the host on first touch, as from a page cache): 1 per page. A range with a
 * hole is ENOMEM, as Linux answers; programs (gnulib's stack checks) use it
 * to learn what is mapped.
 */
int64_t sys_mincore(struct syscall_call *c)
{
    uint64_t start = c->arg[0], len = c->arg[1], uvec = c->arg[2];
    if (!page_aligned(start))
        return -EINVAL;
    if (len == 0)
        return 0;
    if (!user_range_valid(start, len))
        return -ENOMEM;
    uint64_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
    if (!user_range_valid(uvec, pages))
        return -EFAULT;
    struct mm *mm = c->proc->mm;
    uint8_t ones[64];
    memset(ones, 1, sizeof ones);
    uint64_t va = start;
    for (uint64_t done = 0; done < pages;) {
        struct vma *v = mm_find_vma(mm, va);
        if (v == 0)
            return -ENOMEM;
        uint64_t in_vma = (v->end - va) / PAGE_SIZE;
        if (in_vma > pages - done)
            in_vma = pages - done;
        for (uint64_t i = 0; i < in_vma;) {
            uint64_t n = in_vma - i < sizeof ones ? in_vma - i : sizeof ones;
            int err = copy_to_user(uvec + done + i, ones, n);
            if (err != 0)
                return err;
            i += n;
        }
        done += in_vma;
        va += in_vma * PAGE_SIZE;
    }
    return 0;
}
