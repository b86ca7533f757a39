/*
 * Bytes kept in a memory object (mm/vm_object.h) and a length: the contents
 * of tmpfs files and of generated files (/proc, /sys, directory listings).
 * Pages that were never written read as zeros; nothing beyond `size` is read.
 */
#ifndef KERNEL_FS_OBJECT_IO_H
#define KERNEL_FS_OBJECT_IO_H

#include <stdarg.h>
#include <stdint.h>

struct vm_object;

/* Up to `len` bytes from `offset` (clipped at `size`) to the user buffer:
 * the count, or -EFAULT/-ENOMEM when nothing was copied. */
int64_t object_read_user(struct vm_object *o, uint64_t size, uint64_t ubuf, uint64_t len,
                         uint64_t offset);
/* The same into kernel memory. */
uint64_t object_read_kernel(struct vm_object *o, uint64_t size, void *buf, uint64_t len,
                            uint64_t offset);
/* `len` user bytes into the object at `offset` (pages allocated as needed):
 * the count, or -EFAULT/-ENOMEM when nothing was written. */
int64_t object_write_user(struct vm_object *o, uint64_t ubuf, uint64_t len, uint64_t offset);

/* Text written into a new object, line by line: generated files. A failed
 * allocation is remembered in `err` and ends the writing. */
struct text {
    struct vm_object *o;
    uint64_t len;
    int err;
};

/* 0 and an empty text (its own object), or -ENOMEM. */
int text_begin(struct text *t);
void text_append(struct text *t, const void *data, uint64_t len);
void text_puts(struct text *t, const char *s);
/* ksnprintf's formats; one piece at most 512 bytes. */
void text_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drops the object (after an error). */
void text_discard(struct text *t);

#endif
