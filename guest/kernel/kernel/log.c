#include "kernel/log.h"

#include "kernel/boot_info.h"
#include "kernel/platform.h"
#include "lib/format.h"

#include <stdarg.h>

static char trace_buf[512];

void ktrace(const char *fmt, ...)
{
    if (!boot_trace_enabled())
        return;
    va_list ap;
    va_start(ap, fmt);
    int len = kvsnprintf(trace_buf, sizeof trace_buf, fmt, ap);
    va_end(ap);
    if (len >= (int)sizeof trace_buf)
        len = sizeof trace_buf - 1;
    platform_trace(trace_buf, (size_t)len);
}
