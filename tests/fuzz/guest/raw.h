/* The fuzzer's own system calls: inline SYSCALL, no errno, no TLS. Batches
 * may change the FS base or unmap the libc heap, so code that runs while a
 * batch is fuzzing uses these instead of libc. Results are -errno on error. */
#ifndef GUEST_FUZZ_RAW_H
#define GUEST_FUZZ_RAW_H

#include <stdint.h>

static inline long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static inline long raw0(long nr) { return raw6(nr, 0, 0, 0, 0, 0, 0); }
static inline long raw1(long nr, long a) { return raw6(nr, a, 0, 0, 0, 0, 0); }
static inline long raw2(long nr, long a, long b) { return raw6(nr, a, b, 0, 0, 0, 0); }
static inline long raw3(long nr, long a, long b, long c) { return raw6(nr, a, b, c, 0, 0, 0); }
static inline long raw4(long nr, long a, long b, long c, long d)
{
    return raw6(nr, a, b, c, d, 0, 0);
}

__attribute__((noreturn)) static inline void raw_exit(int code)
{
    for (;;)
        raw1(60 /* exit */, code);
}

#endif
