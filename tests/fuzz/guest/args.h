/*
 * Argument generators: each kind mixes valid values with the edges and the
 * invalid ones (bad fds, guard pages, read-only text, the vDSO, kernel-half
 * and non-canonical addresses, huge lengths, unknown flags, odd paths).
 * syscalls.c says which kind each argument of each system call is.
 */
#ifndef GUEST_FUZZ_ARGS_H
#define GUEST_FUZZ_ARGS_H

#include <stdint.h>

#include "tests/fuzz/guest/fuzz.h"
#include "tests/fuzz/guest/memory.h"

#define ARG_KINDS(X)                                                                      \
    X(NONE) X(ANY) X(INT) X(EXIT_CODE)                                                    \
    X(FD) X(DIRFD) X(BUF_IN) X(BUF_OUT) X(LEN) X(OFFSET) X(WHENCE)                        \
    X(IOCTL_CMD) X(IOCTL_ARG) X(IOVEC_IN) X(IOVEC_OUT) X(IOVCNT) X(FCNTL_CMD) X(FCNTL_ARG) \
    X(DUP3_FLAGS) X(PIPE_FDS) X(PIPE_FLAGS) X(POLLFDS) X(NFDS) X(TIMEOUT_MS)              \
    X(NFDS_SELECT) X(FDSET) X(TIMEVAL) X(TIMESPEC_TIMEOUT) X(TIMESPEC_SLEEP)              \
    X(PSELECT_SIGMASK) X(SIGSET) X(SIGSETSIZE)                                            \
    X(PATH) X(OPEN_FLAGS) X(MODE) X(ACCESS_MODE) X(AT_FLAGS) X(UTIMES) X(RENAME_FLAGS)    \
    X(STATX_MASK)                                                                         \
    X(MM_ADDR) X(MM_LEN) X(MM_OFFSET) X(PROT) X(MAP_FLAGS) X(BRK) X(MREMAP_FLAGS)         \
    X(MSYNC_FLAGS) X(MADVICE)                                                             \
    X(RLIMIT_RES) X(RLIMIT_IN) X(RUSAGE_WHO) X(PID) X(PRCTL_OPT) X(PRCTL_ARG)             \
    X(ARCH_PRCTL_CODE) X(ARCH_PRCTL_ADDR) X(FUTEX_ADDR) X(FUTEX_OP) X(FUTEX_VAL)          \
    X(ROBUST_LEN) X(GRND_FLAGS) X(UID)                                                    \
    X(CLONE_FLAGS) X(CLONE_STACK) X(TLS) X(EXEC_PATH) X(ARGV) X(WAIT_OPTIONS)             \
    X(WAITID_OPTIONS) X(IDTYPE)                                                           \
    X(SIGNO) X(SIGHOW) X(SIGACTION) X(SIGALTSTACK) X(CLOCKID) X(TIMER_FLAGS)

enum arg_kind {
#define ARG_ENUM(name) ARG_##name,
    ARG_KINDS(ARG_ENUM)
#undef ARG_ENUM
    ARG_KIND_COUNT
};

/* One generated argument. `str`/`str_len`: a path or string it points to
 * (for verbose output and guards), when the fuzzer built one. */
struct arg {
    uint64_t v;
    enum ptr_class cls;
    const char *str;
    uint32_t str_len;
    uint64_t room; /* a pointer's bytes to the end of its buffer or region */
};

/* `last_room`: bytes available behind the previous pointer argument of the
 * same call, which a following LEN likes to match. */
struct arg_context {
    struct fuzz_state *s;
    uint64_t last_room;
};

struct arg args_generate(struct arg_context *ctx, enum arg_kind kind);
const char *args_kind_name(enum arg_kind kind);

/* Paths that, passed to execve, start a program (guards.c limits them). */
bool args_is_exec_path(const struct fuzz_state *s, const char *path, uint32_t len);

#endif
