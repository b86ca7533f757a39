#include "lib/string.h"

#include <stdbool.h>
#include <stdint.h>

/* Whole quadwords first: under instruction emulation (PVM) every iteration
 * of a string instruction costs, so 8 bytes per iteration matter. */
void *memcpy(void *dst, const void *src, size_t n)
{
    void *ret = dst;
    size_t quads = n / 8, rest = n % 8;
    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(quads)::"memory");
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(rest)::"memory");
    return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    /* overlapping with dst above src: copy backwards */
    unsigned char *dp = d + n - 1;
    const unsigned char *sp = s + n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(dp), "+S"(sp), "+c"(n)::"memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *ret = dst;
    uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;
    size_t quads = n / 8, rest = n % 8;
    __asm__ volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(pattern) : "memory");
    __asm__ volatile("rep stosb" : "+D"(dst), "+c"(rest) : "a"(pattern) : "memory");
    return ret;
}

/* One `repe cmpsb` rather than a loop of four instructions per byte (see
 * memchr); it stops at the first difference, so it reads no further than a
 * byte loop would. */
int memcmp(const void *a, const void *b, size_t n)
{
    if (n == 0)
        return 0;
    const unsigned char *x = a, *y = b;
    bool equal;
    __asm__ volatile("repe cmpsb"
                     : "+S"(x), "+D"(y), "+c"(n), "=@ccz"(equal)
                     :
                     : "memory");
    return equal ? 0 : x[-1] < y[-1] ? -1 : 1;
}

/* One `repne scasb` rather than a loop: a single instruction to decode
 * where the kernel is emulated (PVM), against four per byte. */
void *memchr(const void *s, int c, size_t n)
{
    if (n == 0)
        return 0;
    const unsigned char *cursor = s;
    bool found;
    __asm__ volatile("repne scasb"
                     : "+D"(cursor), "+c"(n), "=@ccz"(found)
                     : "a"((unsigned char)c)
                     : "memory");
    return found ? (void *)(cursor - 1) : 0;
}

size_t strnlen(const char *s, size_t max)
{
    const char *nul = memchr(s, 0, max);
    return nul != 0 ? (size_t)(nul - s) : max;
}

size_t strlen(const char *s)
{
    return strnlen(s, ~(size_t)0);
}

/* The first byte alone settles most comparisons; past it, two string
 * instructions: a's length up to n, then a compare that includes its NUL (it
 * stops at the first difference, so b is not read past its own NUL). */
int strncmp(const char *a, const char *b, size_t n)
{
    if (n == 0)
        return 0;
    if (a[0] != b[0] || a[0] == 0)
        return (unsigned char)a[0] - (unsigned char)b[0];
    size_t len = strnlen(a, n);
    return memcmp(a, b, len < n ? len + 1 : n);
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, ~(size_t)0);
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
    }
    return len;
}
