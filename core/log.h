/* The one way minivm reports problems: a single line on stderr starting "minivm: ". */
#ifndef MINIVM_CORE_LOG_H
#define MINIVM_CORE_LOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorv(const char *prefix, const char *fmt, va_list ap);
/* Only printed with --trace. */
void log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_set_trace(int enabled);

#ifdef __cplusplus
}
#endif

#endif
