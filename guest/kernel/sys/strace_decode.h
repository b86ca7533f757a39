/*
 * The pieces of --strace's syscall decoding (sys/strace_*.c): how each
 * syscall's arguments are described (strace_table.c) and the printers for
 * each kind of argument. User memory is read only through mm/uaccess.h's
 * checked copies; what cannot be read prints as its address, like strace.
 */
#ifndef KERNEL_SYS_STRACE_DECODE_H
#define KERNEL_SYS_STRACE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

struct strace_flag {
    uint64_t value;
    const char *name;
};

/* How an argument prints. "In" kinds print at entry, "out" kinds (the call
 * writes them) at exit, as strace does: the first out argument and all
 * after it wait for the result. */
enum strace_arg {
    SA_NONE = 0,
    /* numbers */
    SA_INT,   /* int, decimal */
    SA_LONG,  /* long, decimal */
    SA_ULONG, /* unsigned long, decimal */
    SA_HEX,   /* 0 or 0x... */
    SA_PTR,   /* NULL or 0x... */
    SA_OCT,   /* a mode: 0644 */
    SA_FD,    /* int */
    SA_DIRFD, /* AT_FDCWD or int */
    /* names and flags */
    SA_OPEN_FLAGS, SA_OPEN_MODE, /* the mode only with O_CREAT / O_TMPFILE */
    SA_ACCESS_MODE, SA_AT_FLAGS, SA_PROT, SA_MMAP_FLAGS, SA_CLONE_FLAGS, SA_SIGNO, SA_SIGHOW,
    SA_WHENCE, SA_WAIT_OPTIONS, SA_PIPE_FLAGS, SA_FCNTL_CMD, SA_FCNTL_ARG, SA_IOCTL_REQ,
    SA_ARCH_PRCTL, SA_RLIMIT_RES, SA_FUTEX_OP, SA_CLOCKID, SA_GRND_FLAGS,
    SA_MADVICE, SA_SOCK_FAMILY, SA_SOCK_TYPE, SA_PRCTL_OPT, SA_MREMAP_FLAGS, SA_UNLINK_FLAGS,
    SA_ITIMER,
    SA_FUTEX_TIMEOUT, SA_FUTEX_UADDR2, SA_FUTEX_VAL3, /* futex's last three, by op */
    SA_MREMAP_NEW,  /* mremap's new address, only with MREMAP_FIXED */
    SA_PRCTL_REST,  /* prctl's third to fifth: hex, none for the name calls */
    /* memory the call reads */
    SA_PATH,       /* NUL-terminated, printed whole */
    SA_BUF_IN,     /* bytes, length in the next argument, cut at 32 */
    SA_IOV_IN,     /* struct iovec[], count in the next argument */
    SA_ARGV,       /* execve's argv: ["a", "b"] */
    SA_ENVP,       /* execve's envp: 0x... / * N vars * / */
    SA_SIGSET_IN,  /* [CHLD], ~[RTMIN RT_1] */
    SA_SIGACT_IN,  /* struct sigaction */
    SA_TIMESPEC_IN,
    SA_RLIMIT_IN,
    /* memory the call writes (printed at exit); SA_BUF_OUT is the first */
    SA_BUF_OUT,     /* bytes, as many as the result, cut at 32 */
    SA_BUF_OUT_HEX, /* the same, every byte as \xNN (getrandom) */
    SA_STR_OUT,     /* a NUL-terminated string (getcwd) */
    SA_IOV_OUT,     /* struct iovec[] filled up to the result */
    SA_STAT_OUT,
    SA_STATX_OUT,
    SA_SIGSET_OUT,
    SA_SIGACT_OUT,
    SA_WSTATUS_OUT,
    SA_PIPE_OUT,   /* int[2] */
    SA_RLIMIT_OUT,
    SA_UNAME_OUT,
    SA_DIRENTS_OUT, /* 0x... / * N entries * / */
    SA_TIMESPEC_OUT,
    SA_PTR_OUT,     /* a pointer, printed at exit (a struct not decoded) */
    SA_IOCTL_ARG,   /* ioctl's third argument, by request (at exit: some fill it) */
    SA_PRCTL_ARG,   /* prctl's second: PR_SET_NAME/PR_GET_NAME's name, else hex */
};

/* How the result prints. */
enum strace_ret {
    SR_INT = 0, /* decimal, or -1 ERRNO (text) */
    SR_HEX,     /* 0x... (mmap, brk) */
    SR_OCT,     /* umask */
    SR_NONE,    /* never returns: " = ?" right at entry (exit, exit_group) */
    SR_FCNTL,   /* F_GETFD / F_GETFL results with their flags */
};

struct strace_syscall {
    uint8_t known;
    uint8_t nargs;
    uint8_t ret;    /* enum strace_ret */
    uint8_t special; /* enum strace_special */
    uint8_t arg[6]; /* enum strace_arg */
};

/* Calls printed by their own code rather than the argument list. */
enum strace_special {
    SS_NONE = 0,
    SS_CLONE,       /* clone(child_stack=..., flags=..., ...) */
    SS_RT_SIGRETURN, /* rt_sigreturn({mask=[...]}) */
};

/* The description of syscall `nr`, or 0 when it has none. */
const struct strace_syscall *strace_syscall_info(uint64_t nr);

struct strace_errno {
    const char *name; /* "ENOENT" */
    const char *text; /* "No such file or directory" */
};
/* For a positive errno value; 0 when unknown. */
const struct strace_errno *strace_errno(int64_t err);

/* One argument: `args` the six raw values, `i` its index; `result` the
 * call's result (exit-time kinds only). */
void strace_print_arg(enum strace_arg kind, const uint64_t *args, int i, int64_t result);

/* Whether `kind` is printed at exit. */
bool strace_arg_is_out(enum strace_arg kind);

/* Whether argument `i` of kind `kind` is left out (open's mode without O_CREAT). */
bool strace_arg_skipped(enum strace_arg kind, const uint64_t *args, int i);

/* Building blocks shared by the printers. */
void strace_print_ptr(uint64_t p);
void strace_print_hex(uint64_t v);   /* 0 or 0x... */
void strace_print_octal(uint64_t v); /* 0644, 000 */
/* A quoted string of `len` bytes at user `addr`, at most `max` shown,
 * "..." after the quote when cut; `hex`: every byte \xNN. Unreadable: the
 * address. */
void strace_print_user_bytes(uint64_t addr, uint64_t len, uint64_t max, bool hex);
/* A NUL-terminated user string, at most `max` bytes shown. */
void strace_print_user_string(uint64_t addr, uint64_t max);
/* The NUL-terminated user strings back to back in [start, end) (execve's
 * argv block): how many, and printed as strace prints an argv. */
uint64_t strace_count_strings(uint64_t start, uint64_t end);
void strace_print_string_area(uint64_t start, uint64_t end);
/* A quoted string from kernel memory. */
void strace_print_quoted(const char *s, uint64_t len, bool cut, bool hex);
void strace_print_flags(uint64_t value, const struct strace_flag *table, int count,
                        const char *zero);
void strace_print_sigset(uint64_t set);
void strace_print_mode(uint32_t mode); /* S_IFREG|0644 */
void strace_print_open_flags(uint64_t flags);
void strace_print_signo(int signo);

/* The printers of arguments in user memory (strace_memory.c). */
void strace_print_memory_arg(enum strace_arg kind, const uint64_t *args, int i, int64_t result);

/* Longest string shown (strace -s 32) and longest array (argv). */
#define STRACE_STRING_MAX 32u
#define STRACE_PATH_MAX 4096u

#endif
