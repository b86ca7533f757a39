/* snprintf for kernel messages: %d %i %u %o %x %X %p %s %c %%, flags '-' '0' '#',
 * width, and the length modifiers l, ll, z. */
#ifndef KERNEL_LIB_FORMAT_H
#define KERNEL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: returns the length the whole output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
