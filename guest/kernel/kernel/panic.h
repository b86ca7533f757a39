#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

/* A kernel bug or an impossible state: report through the platform device
 * (PLATFORM_OP_PANIC, minivm exits 125) with a backtrace, then halt. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Before the boot info (and so the platform device) is known: halt with the
 * message's address in RDI for the VMM's register dump. */
__attribute__((noreturn)) void early_panic(const char *msg);

#define KASSERT(cond)                                                               \
    do {                                                                            \
        if (!(cond))                                                                \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);      \
    } while (0)

#endif
