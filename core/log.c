#include "core/log.h"

#include <stdio.h>
#include <string.h>

static int trace_enabled;

void log_set_trace(int enabled) { trace_enabled = enabled; }

/* Formats the whole line first so it reaches stderr in one write and never
 * interleaves with the guest's output. */
void log_errorv(const char *prefix, const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "minivm: %s", prefix ? prefix : "");
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    size_t len = (m < 0) ? (size_t)n : strnlen(line, sizeof line - 1);
    if (len + 1 < sizeof line) {
        line[len++] = '\n';
    } else {
        line[sizeof line - 2] = '\n';
        len = sizeof line - 1;
    }
    fwrite(line, 1, len, stderr);
    fflush(stderr);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_errorv("", fmt, ap);
    va_end(ap);
}

void log_trace(const char *fmt, ...)
{
    if (!trace_enabled)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_errorv("trace: ", fmt, ap);
    va_end(ap);
}
