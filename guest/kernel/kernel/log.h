#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

/* A kernel trace line, sent to the platform device only when minivm runs with
 * --trace (MINIVM_BOOT_FLAG_TRACE): otherwise nobody would see it. */
__attribute__((format(printf, 1, 2))) void ktrace(const char *fmt, ...);

#endif
