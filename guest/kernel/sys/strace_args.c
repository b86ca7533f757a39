/*
 * --strace argument printers for values held in registers: numbers, file
 * descriptors, flag sets and named constants, with strace's names and
 * order. Arguments in user memory are strace_memory.c's.
 */
#include "kernel/strace_out.h"
#include "lib/format.h"
#include "proc/signal_names.h"
#include "sys/strace_decode.h"

#define COUNT(t) ((int)(sizeof(t) / sizeof((t)[0])))
#define AT_FDCWD (-100)
#define O_CREAT 0100u
#define O_TMPFILE 020200000u
#define MREMAP_FIXED 2u
#define PR_SET_NAME 15u
#define PR_GET_NAME 16u

bool strace_arg_is_out(enum strace_arg kind)
{
    return kind >= SA_BUF_OUT;
}

void strace_print_hex(uint64_t v)
{
    if (v == 0)
        strace_puts("0");
    else
        strace_printf("%#lx", v);
}

void strace_print_octal(uint64_t v)
{
    /* C's "%#03o", as strace prints modes: 0644, 004, 000. */
    char digits[24];
    int n = ksnprintf(digits, sizeof digits, "%lo", v);
    if (v != 0)
        n++; /* the leading 0 */
    for (; n < 3; n++)
        strace_puts("0");
    strace_puts(v != 0 ? "0" : "");
    strace_puts(digits);
}

void strace_print_ptr(uint64_t p)
{
    if (p == 0)
        strace_puts("NULL");
    else
        strace_printf("%#lx", p);
}

void strace_print_flags(uint64_t value, const struct strace_flag *table, int count,
                        const char *zero)
{
    if (value == 0) {
        strace_puts(zero);
        return;
    }
    bool first = true;
    for (int i = 0; i < count; i++) {
        if (table[i].value != 0 && (value & table[i].value) == table[i].value) {
            strace_puts(first ? "" : "|");
            strace_puts(table[i].name);
            value &= ~table[i].value;
            first = false;
        }
    }
    if (value != 0)
        strace_printf("%s%#lx", first ? "" : "|", value);
}

/* A value that is one of several names, else `fallback` in hex or decimal. */
static void print_enum(uint64_t value, const struct strace_flag *table, int count, bool hex)
{
    for (int i = 0; i < count; i++) {
        if (table[i].value == value) {
            strace_puts(table[i].name);
            return;
        }
    }
    if (hex)
        strace_printf("%#lx", value);
    else
        strace_printf("%d", (int)value);
}

static const struct strace_flag open_flags[] = {
    {0100, "O_CREAT"},        {0200, "O_EXCL"},          {0400, "O_NOCTTY"},
    {01000, "O_TRUNC"},       {02000, "O_APPEND"},       {04000, "O_NONBLOCK"},
    {04010000, "O_SYNC"},     {010000, "O_DSYNC"},       {020000, "O_ASYNC"},
    {040000, "O_DIRECT"},     {0100000, "O_LARGEFILE"},  {0400000, "O_NOFOLLOW"},
    {01000000, "O_NOATIME"},  {02000000, "O_CLOEXEC"},   {010000000, "O_PATH"},
    {020200000, "O_TMPFILE"}, {0200000, "O_DIRECTORY"},
};

void strace_print_open_flags(uint64_t flags)
{
    static const char *const access[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    strace_puts(access[flags & 3]);
    flags &= ~3ull;
    if (flags != 0) {
        strace_puts("|");
        strace_print_flags(flags, open_flags, COUNT(open_flags), "");
    }
}

void strace_print_signo(int signo)
{
    char buf[12];
    strace_puts(signal_name(signo, buf));
}

static const struct strace_flag access_modes[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};
static const struct strace_flag at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"},     {0x1000, "AT_EMPTY_PATH"},
    {0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"},
    {0x200, "AT_EACCESS"},
};
static const struct strace_flag prot_flags[] = {
    {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {0x01000000, "PROT_GROWSDOWN"},
    {0x02000000, "PROT_GROWSUP"},
};
static const struct strace_flag mmap_types[] = {
    {1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}, {3, "MAP_SHARED_VALIDATE"},
};
static const struct strace_flag mmap_flags[] = {
    {0x10, "MAP_FIXED"},         {0x20, "MAP_ANONYMOUS"},   {0x40, "MAP_32BIT"},
    {0x100, "MAP_GROWSDOWN"},    {0x800, "MAP_DENYWRITE"},  {0x1000, "MAP_EXECUTABLE"},
    {0x2000, "MAP_LOCKED"},      {0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"},   {0x20000, "MAP_STACK"},    {0x40000, "MAP_HUGETLB"},
    {0x80000, "MAP_SYNC"},       {0x100000, "MAP_FIXED_NOREPLACE"},
};
static const struct strace_flag clone_flags[] = {
    {0x100, "CLONE_VM"},
    {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"},
    {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},
    {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"},
    {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"},
    {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"},
    {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},
    {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},
};
static const struct strace_flag sighow[] = {
    {0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"},
};
static const struct strace_flag whence[] = {
    {0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"},
};
static const struct strace_flag wait_options[] = {
    {1, "WNOHANG"},          {2, "WSTOPPED"},        {4, "WEXITED"},
    {8, "WCONTINUED"},       {0x1000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"},
    {0x40000000, "__WALL"},  {0x80000000, "__WCLONE"},
};
static const struct strace_flag pipe_flags[] = {
    {02000000, "O_CLOEXEC"}, {040000, "O_DIRECT"}, {04000, "O_NONBLOCK"},
};
static const struct strace_flag fcntl_cmds[] = {
    {0, "F_DUPFD"},          {1, "F_GETFD"},         {2, "F_SETFD"},
    {3, "F_GETFL"},          {4, "F_SETFL"},         {5, "F_GETLK"},
    {6, "F_SETLK"},          {7, "F_SETLKW"},        {8, "F_SETOWN"},
    {9, "F_GETOWN"},         {10, "F_SETSIG"},       {11, "F_GETSIG"},
    {36, "F_OFD_GETLK"},     {37, "F_OFD_SETLK"},    {38, "F_OFD_SETLKW"},
    {1024, "F_SETLEASE"},    {1025, "F_GETLEASE"},   {1030, "F_DUPFD_CLOEXEC"},
    {1031, "F_SETPIPE_SZ"},  {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"},
    {1034, "F_GET_SEALS"},
};
static const struct strace_flag ioctl_requests[] = {
    {0x5401, "TCGETS"},     {0x5402, "TCSETS"},     {0x5403, "TCSETSW"},
    {0x5404, "TCSETSF"},    {0x540b, "TCFLSH"},     {0x540e, "TIOCSCTTY"},
    {0x540f, "TIOCGPGRP"},  {0x5410, "TIOCSPGRP"},  {0x5413, "TIOCGWINSZ"},
    {0x5414, "TIOCSWINSZ"}, {0x541b, "FIONREAD"},   {0x5421, "FIONBIO"},
    {0x5422, "TIOCNOTTY"},  {0x5450, "FIONCLEX"},   {0x5451, "FIOCLEX"},
    {0x5452, "FIOASYNC"},   {0x80045430, "TIOCGPTN"},
};
static const struct strace_flag arch_prctl_codes[] = {
    {0x1001, "ARCH_SET_GS"},     {0x1002, "ARCH_SET_FS"},     {0x1003, "ARCH_GET_FS"},
    {0x1004, "ARCH_GET_GS"},     {0x1011, "ARCH_GET_CPUID"},  {0x1012, "ARCH_SET_CPUID"},
    {0x3001, "ARCH_CET_STATUS"}, {0x4001, "ARCH_GET_XCOMP_SUPP"},
    {0x4002, "ARCH_GET_XCOMP_PERM"}, {0x4003, "ARCH_REQ_XCOMP_PERM"},
};
static const struct strace_flag rlimits[] = {
    {0, "RLIMIT_CPU"},        {1, "RLIMIT_FSIZE"},   {2, "RLIMIT_DATA"},
    {3, "RLIMIT_STACK"},      {4, "RLIMIT_CORE"},    {5, "RLIMIT_RSS"},
    {6, "RLIMIT_NPROC"},      {7, "RLIMIT_NOFILE"},  {8, "RLIMIT_MEMLOCK"},
    {9, "RLIMIT_AS"},         {10, "RLIMIT_LOCKS"},  {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"},  {13, "RLIMIT_NICE"},   {14, "RLIMIT_RTPRIO"},
    {15, "RLIMIT_RTTIME"},
};
static const char *const futex_ops[] = {
    "FUTEX_WAIT",          "FUTEX_WAKE",        "FUTEX_FD",          "FUTEX_REQUEUE",
    "FUTEX_CMP_REQUEUE",   "FUTEX_WAKE_OP",     "FUTEX_LOCK_PI",     "FUTEX_UNLOCK_PI",
    "FUTEX_TRYLOCK_PI",    "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
    "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
};
static const struct strace_flag clocks[] = {
    {0, "CLOCK_REALTIME"},        {1, "CLOCK_MONOTONIC"},       {2, "CLOCK_PROCESS_CPUTIME_ID"},
    {3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
    {6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"},
};
static const struct strace_flag grnd_flags[] = {
    {1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"},
};
static const struct strace_flag madvices[] = {
    {0, "MADV_NORMAL"},     {1, "MADV_RANDOM"},      {2, "MADV_SEQUENTIAL"},
    {3, "MADV_WILLNEED"},   {4, "MADV_DONTNEED"},    {8, "MADV_FREE"},
    {9, "MADV_REMOVE"},     {10, "MADV_DONTFORK"},   {11, "MADV_DOFORK"},
    {12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"},
    {15, "MADV_NOHUGEPAGE"}, {16, "MADV_DONTDUMP"},  {17, "MADV_DODUMP"},
};
static const struct strace_flag families[] = {
    {0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {10, "AF_INET6"},
    {16, "AF_NETLINK"}, {17, "AF_PACKET"},
};
static const struct strace_flag sock_types[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {5, "SOCK_SEQPACKET"},
};
static const struct strace_flag sock_flags[] = {{02000000, "SOCK_CLOEXEC"}, {04000, "SOCK_NONBLOCK"}};
static const struct strace_flag prctl_options[] = {
    {1, "PR_SET_PDEATHSIG"},  {2, "PR_GET_PDEATHSIG"},   {3, "PR_GET_DUMPABLE"},
    {4, "PR_SET_DUMPABLE"},   {15, "PR_SET_NAME"},       {16, "PR_GET_NAME"},
    {23, "PR_CAPBSET_READ"},  {36, "PR_SET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"},
    {39, "PR_GET_NO_NEW_PRIVS"}, {0x53564d41, "PR_SET_VMA"},
};
static const struct strace_flag mremap_flags[] = {
    {1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"},
};
static const struct strace_flag itimers[] = {
    {0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"},
};

/* Which of futex's last three arguments strace shows for an operation. */
enum { FUTEX_SHOW_TIMEOUT = 1, FUTEX_SHOW_VAL2 = 2, FUTEX_SHOW_UADDR2 = 4, FUTEX_SHOW_VAL3 = 8 };

static unsigned futex_shows(uint64_t op)
{
    switch (op & 0x7f) {
    case 0: /* WAIT */
    case 6: /* LOCK_PI */
    case 13: /* LOCK_PI2 */
        return FUTEX_SHOW_TIMEOUT;
    case 1: /* WAKE */
    case 7: /* UNLOCK_PI */
    case 8: /* TRYLOCK_PI */
        return 0;
    case 9: /* WAIT_BITSET */
        return FUTEX_SHOW_TIMEOUT | FUTEX_SHOW_VAL3;
    case 10: /* WAKE_BITSET */
        return FUTEX_SHOW_VAL3;
    case 3: /* REQUEUE */
        return FUTEX_SHOW_VAL2 | FUTEX_SHOW_UADDR2;
    default:
        return FUTEX_SHOW_VAL2 | FUTEX_SHOW_UADDR2 | FUTEX_SHOW_VAL3;
    }
}

static bool fcntl_takes_arg(uint64_t cmd)
{
    switch ((uint32_t)cmd) {
    case 1:    /* F_GETFD */
    case 3:    /* F_GETFL */
    case 9:    /* F_GETOWN */
    case 11:   /* F_GETSIG */
    case 1025: /* F_GETLEASE */
    case 1032: /* F_GETPIPE_SZ */
    case 1034: /* F_GET_SEALS */
        return false;
    default:
        return true;
    }
}

bool strace_arg_skipped(enum strace_arg kind, const uint64_t *args, int i)
{
    switch (kind) {
    case SA_OPEN_MODE:
        return !(args[i - 1] & O_CREAT) && (args[i - 1] & O_TMPFILE) != O_TMPFILE;
    case SA_FCNTL_ARG:
        return !fcntl_takes_arg(args[1]);
    case SA_FUTEX_TIMEOUT:
        return !(futex_shows(args[1]) & (FUTEX_SHOW_TIMEOUT | FUTEX_SHOW_VAL2));
    case SA_FUTEX_UADDR2:
        return !(futex_shows(args[1]) & FUTEX_SHOW_UADDR2);
    case SA_FUTEX_VAL3:
        return !(futex_shows(args[1]) & FUTEX_SHOW_VAL3);
    case SA_MREMAP_NEW:
        return !(args[3] & MREMAP_FIXED);
    case SA_PRCTL_REST:
        return args[0] == PR_SET_NAME || args[0] == PR_GET_NAME;
    default:
        return false;
    }
}

static void print_futex_op(uint64_t op)
{
    uint64_t base = op & 0x7f;
    if (base < (uint64_t)COUNT(futex_ops))
        strace_puts(futex_ops[base]);
    else
        strace_printf("%#lx", base);
    if (op & 128)
        strace_puts("_PRIVATE");
    if (op & 256)
        strace_puts("|FUTEX_CLOCK_REALTIME");
}

static void print_fcntl_arg(const uint64_t *args)
{
    uint64_t v = args[2];
    switch ((uint32_t)args[1]) {
    case 2: /* F_SETFD */
        if (v == 1)
            strace_puts("FD_CLOEXEC");
        else
            strace_print_hex(v);
        break;
    case 4: /* F_SETFL */
        strace_print_open_flags(v);
        break;
    case 5: case 6: case 7: case 36: case 37: case 38: /* struct flock */
        strace_print_ptr(v);
        break;
    default:
        strace_printf("%d", (int)v);
        break;
    }
}

static void print_clone_flags(uint64_t flags)
{
    uint64_t rest = flags & ~0xffull;
    int exit_signal = (int)(flags & 0xff);
    if (rest != 0)
        strace_print_flags(rest, clone_flags, COUNT(clone_flags), "0");
    if (exit_signal != 0) {
        strace_puts(rest != 0 ? "|" : "");
        strace_print_signo(exit_signal);
    } else if (rest == 0) {
        strace_puts("0");
    }
}

static void print_mmap_flags(uint64_t flags)
{
    print_enum(flags & 0xf, mmap_types, COUNT(mmap_types), true);
    if (flags & ~0xfull) {
        strace_puts("|");
        strace_print_flags(flags & ~0xfull, mmap_flags, COUNT(mmap_flags), "");
    }
}

static void print_socket_type(uint64_t type)
{
    print_enum(type & 0xf, sock_types, COUNT(sock_types), true);
    if (type & ~0xfull) {
        strace_puts("|");
        strace_print_flags(type & ~0xfull, sock_flags, COUNT(sock_flags), "");
    }
}

void strace_print_arg(enum strace_arg kind, const uint64_t *args, int i, int64_t result)
{
    uint64_t v = args[i];
    if (strace_arg_is_out(kind) && result < 0 && result >= -4095) {
        strace_print_ptr(v); /* the call failed: nothing was written there */
        return;
    }
    switch (kind) {
    case SA_INT:
    case SA_FD:
        strace_printf("%d", (int)v);
        break;
    case SA_LONG:
        strace_printf("%ld", (int64_t)v);
        break;
    case SA_ULONG:
        strace_printf("%lu", v);
        break;
    case SA_HEX:
        strace_print_hex(v);
        break;
    case SA_PTR:
    case SA_MREMAP_NEW:
    case SA_FUTEX_UADDR2:
        strace_print_ptr(v);
        break;
    case SA_OCT:
    case SA_OPEN_MODE:
        strace_print_octal((uint32_t)v);
        break;
    case SA_DIRFD:
        if ((int)v == AT_FDCWD)
            strace_puts("AT_FDCWD");
        else
            strace_printf("%d", (int)v);
        break;
    case SA_OPEN_FLAGS:
        strace_print_open_flags(v);
        break;
    case SA_ACCESS_MODE:
        strace_print_flags(v, access_modes, COUNT(access_modes), "F_OK");
        break;
    case SA_AT_FLAGS:
        strace_print_flags(v, at_flags, COUNT(at_flags), "0");
        break;
    case SA_UNLINK_FLAGS:
        if (v == 0x200)
            strace_puts("AT_REMOVEDIR");
        else
            strace_print_hex(v);
        break;
    case SA_PROT:
        strace_print_flags(v, prot_flags, COUNT(prot_flags), "PROT_NONE");
        break;
    case SA_MMAP_FLAGS:
        print_mmap_flags(v);
        break;
    case SA_CLONE_FLAGS:
        print_clone_flags(v);
        break;
    case SA_SIGNO:
        strace_print_signo((int)v);
        break;
    case SA_SIGHOW:
        print_enum(v, sighow, COUNT(sighow), true);
        break;
    case SA_WHENCE:
        print_enum(v, whence, COUNT(whence), false);
        break;
    case SA_WAIT_OPTIONS:
        strace_print_flags(v, wait_options, COUNT(wait_options), "0");
        break;
    case SA_PIPE_FLAGS:
        strace_print_flags(v, pipe_flags, COUNT(pipe_flags), "0");
        break;
    case SA_FCNTL_CMD:
        print_enum((uint32_t)v, fcntl_cmds, COUNT(fcntl_cmds), true);
        break;
    case SA_FCNTL_ARG:
        print_fcntl_arg(args);
        break;
    case SA_IOCTL_REQ:
        print_enum((uint32_t)v, ioctl_requests, COUNT(ioctl_requests), true);
        break;
    case SA_ARCH_PRCTL:
        print_enum(v, arch_prctl_codes, COUNT(arch_prctl_codes), true);
        break;
    case SA_RLIMIT_RES:
        print_enum(v, rlimits, COUNT(rlimits), false);
        break;
    case SA_FUTEX_OP:
        print_futex_op(v);
        break;
    case SA_FUTEX_TIMEOUT:
        if (futex_shows(args[1]) & FUTEX_SHOW_TIMEOUT)
            strace_print_memory_arg(SA_TIMESPEC_IN, args, i, result);
        else
            strace_printf("%u", (uint32_t)v);
        break;
    case SA_FUTEX_VAL3: {
        uint64_t base = args[1] & 0x7f;
        if ((base == 9 || base == 10) && (uint32_t)v == 0xffffffffu)
            strace_puts("FUTEX_BITSET_MATCH_ANY");
        else
            strace_printf("%#x", (uint32_t)v);
        break;
    }
    case SA_CLOCKID:
        print_enum(v, clocks, COUNT(clocks), false);
        break;
    case SA_GRND_FLAGS:
        strace_print_flags(v, grnd_flags, COUNT(grnd_flags), "0");
        break;
    case SA_MADVICE:
        print_enum(v, madvices, COUNT(madvices), false);
        break;
    case SA_SOCK_FAMILY:
        print_enum(v, families, COUNT(families), false);
        break;
    case SA_SOCK_TYPE:
        print_socket_type(v);
        break;
    case SA_PRCTL_OPT:
        print_enum(v, prctl_options, COUNT(prctl_options), true);
        break;
    case SA_MREMAP_FLAGS:
        strace_print_flags(v, mremap_flags, COUNT(mremap_flags), "0");
        break;
    case SA_ITIMER:
        print_enum(v, itimers, COUNT(itimers), false);
        break;
    case SA_PRCTL_REST:
        strace_print_hex(v);
        break;
    case SA_PRCTL_ARG:
        if (args[0] == PR_SET_NAME || args[0] == PR_GET_NAME)
            strace_print_user_string(v, 16); /* TASK_COMM_LEN */
        else
            strace_print_hex(v);
        break;
    default:
        strace_print_memory_arg(kind, args, i, result);
        break;
    }
}
