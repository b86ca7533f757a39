#include "fs/object_io.h"

#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/uaccess.h"
#include "mm/vm_object.h"

/* What a page that was never written reads as. */
static const char zero_page[PAGE_SIZE];

/* The kernel address of the object's byte `offset` (zeros for an absent
 * page) and how many bytes follow it in its page. */
static const char *object_bytes(struct vm_object *o, uint64_t offset, uint64_t *room)
{
    uint64_t in_page = offset & (PAGE_SIZE - 1);
    *room = PAGE_SIZE - in_page;
    uint64_t pa = vm_object_lookup(o, offset >> PAGE_SHIFT);
    return (pa != 0 ? (const char *)phys_to_virt(pa) : zero_page) + in_page;
}

int64_t object_read_user(struct vm_object *o, uint64_t size, uint64_t ubuf, uint64_t len,
                         uint64_t offset)
{
    if (offset >= size)
        return 0;
    if (len > size - offset)
        len = size - offset;
    uint64_t done = 0;
    while (done < len) {
        uint64_t room;
        const char *src = object_bytes(o, offset + done, &room);
        uint64_t n = len - done < room ? len - done : room;
        int err = copy_to_user(ubuf + done, src, n);
        if (err != 0)
            return done > 0 ? (int64_t)done : err;
        done += n;
    }
    return (int64_t)done;
}

uint64_t object_read_kernel(struct vm_object *o, uint64_t size, void *buf, uint64_t len,
                            uint64_t offset)
{
    if (offset >= size)
        return 0;
    if (len > size - offset)
        len = size - offset;
    for (uint64_t done = 0; done < len;) {
        uint64_t room;
        const char *src = object_bytes(o, offset + done, &room);
        uint64_t n = len - done < room ? len - done : room;
        memcpy((char *)buf + done, src, n);
        done += n;
    }
    return len;
}

int64_t object_write_user(struct vm_object *o, uint64_t ubuf, uint64_t len, uint64_t offset)
{
    uint64_t done = 0;
    while (done < len) {
        uint64_t at = offset + done, pa;
        int err = vm_object_page(o, at >> PAGE_SHIFT, &pa);
        uint64_t in_page = at & (PAGE_SIZE - 1);
        uint64_t n = PAGE_SIZE - in_page;
        if (n > len - done)
            n = len - done;
        if (err == 0)
            err = copy_from_user((char *)phys_to_virt(pa) + in_page, ubuf + done, n);
        if (err != 0)
            return done > 0 ? (int64_t)done : err;
        done += n;
    }
    return (int64_t)done;
}

int text_begin(struct text *t)
{
    t->len = 0;
    t->err = 0;
    t->o = vm_object_create();
    return t->o != 0 ? 0 : -ENOMEM;
}

void text_append(struct text *t, const void *data, uint64_t len)
{
    const char *src = data;
    while (len > 0 && t->err == 0) {
        uint64_t pa;
        t->err = vm_object_page(t->o, t->len >> PAGE_SHIFT, &pa);
        if (t->err != 0)
            return;
        uint64_t in_page = t->len & (PAGE_SIZE - 1);
        uint64_t n = PAGE_SIZE - in_page < len ? PAGE_SIZE - in_page : len;
        memcpy((char *)phys_to_virt(pa) + in_page, src, n);
        src += n;
        len -= n;
        t->len += n;
    }
}

void text_puts(struct text *t, const char *s)
{
    text_append(t, s, strlen(s));
}

void text_printf(struct text *t, const char *fmt, ...)
{
    char piece[512];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    text_append(t, piece, (uint64_t)n < sizeof piece ? (uint64_t)n : sizeof piece - 1);
}

void text_discard(struct text *t)
{
    if (t->o != 0)
        vm_object_put(t->o);
    t->o = 0;
}
