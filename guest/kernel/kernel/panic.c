#include "kernel/panic.h"

#include "arch/cpu.h"
#include "kernel/devices.h"
#include "kernel/kernel_symbols.h"
#include "kernel/platform.h"
#include "lib/format.h"
#include "mm/addr.h"

#include <stdarg.h>
#include <stdint.h>

static char panic_buf[2048];
static int panicking;

/* Appends return addresses by walking RBP frames (the kernel keeps frame
 * pointers), one a line with its function's name (kernel_symbols.h). */
static int append_backtrace(char *buf, int len, int size)
{
    uint64_t *frame = __builtin_frame_address(0);
    len += ksnprintf(buf + len, (size_t)(size - len), "\nbacktrace:");
    char name[96];
    for (int depth = 0; depth < 16 && len < size; depth++) {
        uint64_t f = (uint64_t)frame;
        /* Only follow frames inside the kernel image (the static stacks live there). */
        if (f < (uint64_t)__kernel_start || f + 16 > (uint64_t)__kernel_end || (f & 7) != 0)
            break;
        uint64_t ret = frame[1];
        if (ret == 0)
            break;
        kernel_symbol_name(ret, true, name, sizeof name);
        len += ksnprintf(buf + len, (size_t)(size - len), "\n  %lx %s", ret, name);
        frame = (uint64_t *)frame[0];
    }
    return len;
}

void panic(const char *fmt, ...)
{
    __asm__ volatile("cli");
    if (panicking++)
        early_panic("panic while panicking");
    va_list ap;
    va_start(ap, fmt);
    int len = kvsnprintf(panic_buf, sizeof panic_buf, fmt, ap);
    va_end(ap);
    if (len >= (int)sizeof panic_buf)
        len = sizeof panic_buf - 1;
    len = append_backtrace(panic_buf, len, sizeof panic_buf);
    if (len >= (int)sizeof panic_buf)
        len = sizeof panic_buf - 1;
    platform_panic(panic_buf, (size_t)len);
}

void early_panic(const char *msg)
{
    for (;;)
        __asm__ volatile("cli; hlt" ::"a"(0xdeadbeefull), "D"(msg) : "memory");
}
