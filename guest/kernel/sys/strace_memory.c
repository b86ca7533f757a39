/*
 * --strace printers for arguments in user memory: strings quoted and cut as
 * strace does, argv/envp, iovecs, and the structs the common calls read or
 * fill. Everything is read through mm/uaccess.h's checked copies (once per
 * printed field); memory that cannot be read prints as its address.
 */
#include "kernel/strace_out.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "proc/signal_names.h"
#include "sys/strace_decode.h"

#define ARRAY_MAX 32u     /* argv, iovecs: strace shows this many, then "..." */
#define ENV_COUNT_MAX 4096u
#define DIRENT_COUNT_MAX 4096u
#define RLIM64_INFINITY (~0ull)

/* One byte the way strace's string_quote writes it; `next` is the byte after
 * it (-1: none), which decides whether an octal escape needs three digits. */
static void put_quoted_byte(unsigned char ch, int next, bool hex)
{
    char out[5];
    int n = 0;
    if (hex) {
        static const char digits[] = "0123456789abcdef";
        out[n++] = '\\';
        out[n++] = 'x';
        out[n++] = digits[ch >> 4];
        out[n++] = digits[ch & 15];
        strace_putn(out, (size_t)n);
        return;
    }
    switch (ch) {
    case '"': strace_puts("\\\""); return;
    case '\\': strace_puts("\\\\"); return;
    case '\f': strace_puts("\\f"); return;
    case '\n': strace_puts("\\n"); return;
    case '\r': strace_puts("\\r"); return;
    case '\t': strace_puts("\\t"); return;
    case '\v': strace_puts("\\v"); return;
    default: break;
    }
    if (ch >= ' ' && ch <= 0x7e) {
        out[n++] = (char)ch;
    } else {
        out[n++] = '\\';
        if (next >= '0' && next <= '7') {
            out[n++] = (char)('0' + (ch >> 6));
            out[n++] = (char)('0' + ((ch >> 3) & 7));
        } else if (ch >> 3) {
            if (ch >> 6)
                out[n++] = (char)('0' + (ch >> 6));
            out[n++] = (char)('0' + ((ch >> 3) & 7));
        }
        out[n++] = (char)('0' + (ch & 7));
    }
    strace_putn(out, (size_t)n);
}

void strace_print_quoted(const char *s, uint64_t len, bool cut, bool hex)
{
    strace_puts("\"");
    for (uint64_t i = 0; i < len; i++)
        put_quoted_byte((unsigned char)s[i], i + 1 < len ? (unsigned char)s[i + 1] : -1, hex);
    strace_puts(cut ? "\"..." : "\"");
}

/* One scratch buffer: the kernel is not preempted, and strace output is
 * never produced from inside itself. */
static char scratch[STRACE_PATH_MAX + 1];

void strace_print_user_bytes(uint64_t addr, uint64_t len, uint64_t max, bool hex)
{
    uint64_t shown = len < max ? len : max;
    if (copy_from_user(scratch, addr, shown) != 0) {
        strace_print_ptr(addr);
        return;
    }
    strace_print_quoted(scratch, shown, shown < len, hex);
}

void strace_print_user_string(uint64_t addr, uint64_t max)
{
    if (addr == 0) {
        strace_puts("NULL");
        return;
    }
    int64_t len = strncpy_from_user(scratch, addr, max + 1);
    if (len >= 0) {
        strace_print_quoted(scratch, (uint64_t)len, false, false);
        return;
    }
    /* No NUL within max + 1 bytes (all of them readable): the first max, cut. */
    if (len == -ENAMETOOLONG && copy_from_user(scratch, addr, max) == 0)
        strace_print_quoted(scratch, max, true, false);
    else
        strace_print_ptr(addr);
}

/* A user array of pointers: element `i`, or false at the end/unreadable. */
static bool read_pointer(uint64_t array, uint64_t i, uint64_t *out)
{
    return copy_from_user(out, array + i * 8, 8) == 0;
}

static void print_argv(uint64_t argv)
{
    uint64_t p;
    if (argv == 0 || !read_pointer(argv, 0, &p)) {
        strace_print_ptr(argv);
        return;
    }
    strace_puts("[");
    for (uint64_t i = 0; read_pointer(argv, i, &p) && p != 0; i++) {
        if (i > 0)
            strace_puts(", ");
        if (i == ARRAY_MAX) {
            strace_puts("...");
            break;
        }
        strace_print_user_string(p, STRACE_STRING_MAX);
    }
    strace_puts("]");
}

uint64_t strace_count_strings(uint64_t start, uint64_t end)
{
    uint64_t n = 0;
    while (start < end && n < ENV_COUNT_MAX) {
        int64_t len = strncpy_from_user(scratch, start, sizeof scratch);
        if (len < 0)
            break;
        start += (uint64_t)len + 1;
        n++;
    }
    return n;
}

void strace_print_string_area(uint64_t start, uint64_t end)
{
    strace_puts("[");
    for (uint64_t i = 0; start < end; i++) {
        int64_t len = strncpy_from_user(scratch, start, sizeof scratch);
        if (len < 0)
            break;
        if (i > 0)
            strace_puts(", ");
        if (i == ARRAY_MAX) {
            strace_puts("...");
            break;
        }
        uint64_t shown = (uint64_t)len < STRACE_STRING_MAX ? (uint64_t)len : STRACE_STRING_MAX;
        strace_print_quoted(scratch, shown, shown < (uint64_t)len, false);
        start += (uint64_t)len + 1;
    }
    strace_puts("]");
}

static void print_envp(uint64_t envp)
{
    strace_print_ptr(envp);
    uint64_t n = 0, p;
    while (envp != 0 && n < ENV_COUNT_MAX && read_pointer(envp, n, &p) && p != 0)
        n++;
    if (envp != 0)
        strace_printf(" /* %lu var%s */", n, n == 1 ? "" : "s");
}

struct user_iovec {
    uint64_t base;
    uint64_t len;
};

/* [{iov_base="...", iov_len=N}, ...]; `data_left` bytes of data in all. */
static void print_iovecs(uint64_t iov, uint64_t count, uint64_t data_left)
{
    struct user_iovec v;
    if (iov == 0 || count == 0 || copy_from_user(&v, iov, sizeof v) != 0) {
        strace_print_ptr(iov);
        return;
    }
    strace_puts("[");
    for (uint64_t i = 0; i < count; i++) {
        if (copy_from_user(&v, iov + i * sizeof v, sizeof v) != 0)
            break;
        if (i > 0)
            strace_puts(", ");
        if (i == ARRAY_MAX) {
            strace_puts("...");
            break;
        }
        uint64_t data = v.len < data_left ? v.len : data_left;
        data_left -= data;
        strace_puts("{iov_base=");
        strace_print_user_bytes(v.base, data, STRACE_STRING_MAX, false);
        strace_printf(", iov_len=%lu}", v.len);
    }
    strace_puts("]");
}

void strace_print_sigset(uint64_t set)
{
    int count = 0; /* no libgcc in the kernel: __builtin_popcountll would call it */
    for (uint64_t rest = set; rest != 0; rest &= rest - 1)
        count++;
    if (count > 32) {
        strace_puts("~");
        set = ~set;
    }
    strace_puts("[");
    bool first = true;
    for (int signo = 1; signo <= 64; signo++) {
        if (!(set & (1ull << (signo - 1))))
            continue;
        char buf[12];
        const char *name = signal_name(signo, buf);
        strace_puts(first ? "" : " ");
        strace_puts(name[0] == 'S' ? name + 3 : name); /* "CHLD", "RTMIN", "RT_5" */
        first = false;
    }
    strace_puts("]");
}

static void print_user_sigset(uint64_t addr)
{
    uint64_t set;
    if (addr == 0)
        strace_puts("NULL");
    else if (copy_from_user(&set, addr, sizeof set) == 0)
        strace_print_sigset(set);
    else
        strace_print_ptr(addr);
}

static const struct strace_flag sa_flags[] = {
    {0x04000000, "SA_RESTORER"},  {0x08000000, "SA_ONSTACK"}, {0x10000000, "SA_RESTART"},
    {0x40000000, "SA_NODEFER"},   {0x80000000, "SA_RESETHAND"}, {4, "SA_SIGINFO"},
    {1, "SA_NOCLDSTOP"},          {2, "SA_NOCLDWAIT"},
};

static void print_sigaction(uint64_t addr)
{
    struct {
        uint64_t handler, flags, restorer, mask;
    } a;
    if (addr == 0) {
        strace_puts("NULL");
        return;
    }
    if (copy_from_user(&a, addr, sizeof a) != 0) {
        strace_print_ptr(addr);
        return;
    }
    strace_puts("{sa_handler=");
    if (a.handler == 0)
        strace_puts("SIG_DFL");
    else if (a.handler == 1)
        strace_puts("SIG_IGN");
    else
        strace_printf("%#lx", a.handler);
    strace_puts(", sa_mask=");
    strace_print_sigset(a.mask);
    strace_puts(", sa_flags=");
    strace_print_flags(a.flags, sa_flags, (int)(sizeof sa_flags / sizeof sa_flags[0]), "0");
    if (a.flags & 0x04000000) {
        strace_puts(", sa_restorer=");
        strace_print_ptr(a.restorer);
    }
    strace_puts("}");
}

void strace_print_mode(uint32_t mode)
{
    static const struct {
        uint32_t type;
        const char *name;
    } types[] = {
        {0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"}, {0060000, "S_IFBLK"},
        {0040000, "S_IFDIR"},  {0020000, "S_IFCHR"}, {0010000, "S_IFIFO"},
    };
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
        if ((mode & 0170000) == types[i].type) {
            strace_puts(types[i].name);
            strace_puts("|");
        }
    }
    if (mode & 04000)
        strace_puts("S_ISUID|");
    if (mode & 02000)
        strace_puts("S_ISGID|");
    if (mode & 01000)
        strace_puts("S_ISVTX|");
    strace_print_octal(mode & 0777);
}

static void print_dev(uint64_t dev)
{
    uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull);
    uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~0xffull);
    strace_puts("makedev(");
    strace_print_hex(major);
    strace_puts(", ");
    strace_print_hex(minor);
    strace_puts(")");
}

/* struct stat (x86-64), abbreviated as strace does by default. */
static void print_stat(uint64_t addr)
{
    struct {
        uint64_t dev, ino, nlink;
        uint32_t mode, uid, gid, pad;
        uint64_t rdev;
        int64_t size;
    } st;
    if (copy_from_user(&st, addr, sizeof st) != 0) {
        strace_print_ptr(addr);
        return;
    }
    strace_puts("{st_mode=");
    strace_print_mode(st.mode);
    uint32_t type = st.mode & 0170000;
    if (type == 0020000 || type == 0060000) {
        strace_puts(", st_rdev=");
        print_dev(st.rdev);
    } else {
        strace_printf(", st_size=%ld", st.size);
    }
    strace_puts(", ...}");
}

static void print_statx(uint64_t addr)
{
    struct {
        uint32_t mask, blksize;
        uint64_t attributes;
        uint32_t nlink, uid, gid;
        uint16_t mode, pad;
        uint64_t ino, size;
    } stx;
    if (copy_from_user(&stx, addr, sizeof stx) != 0) {
        strace_print_ptr(addr);
        return;
    }
    static const struct strace_flag masks[] = {
        {0x7ff, "STATX_BASIC_STATS"}, {0x800, "STATX_BTIME"}, {0x1000, "STATX_MNT_ID"},
    };
    strace_puts("{stx_mask=");
    strace_print_flags(stx.mask, masks, 3, "0");
    strace_puts(", stx_attributes=");
    strace_print_hex(stx.attributes);
    strace_puts(", stx_mode=");
    strace_print_mode(stx.mode);
    strace_printf(", stx_size=%lu, ...}", stx.size);
}

static void print_timespec(uint64_t addr)
{
    struct {
        int64_t sec, nsec;
    } ts;
    if (addr == 0)
        strace_puts("NULL");
    else if (copy_from_user(&ts, addr, sizeof ts) == 0)
        strace_printf("{tv_sec=%ld, tv_nsec=%ld}", ts.sec, ts.nsec);
    else
        strace_print_ptr(addr);
}

static void print_rlim_value(uint64_t v)
{
    if (v == RLIM64_INFINITY)
        strace_puts("RLIM64_INFINITY");
    else if (v != 0 && v % 1024 == 0)
        strace_printf("%lu*1024", v / 1024);
    else
        strace_printf("%lu", v);
}

static void print_rlimit(uint64_t addr)
{
    uint64_t r[2];
    if (addr == 0) {
        strace_puts("NULL");
        return;
    }
    if (copy_from_user(r, addr, sizeof r) != 0) {
        strace_print_ptr(addr);
        return;
    }
    strace_puts("{rlim_cur=");
    print_rlim_value(r[0]);
    strace_puts(", rlim_max=");
    print_rlim_value(r[1]);
    strace_puts("}");
}

static void print_wait_status(uint64_t addr, int64_t result)
{
    int32_t s;
    if (addr == 0) {
        strace_puts("NULL");
        return;
    }
    if (result == 0 || copy_from_user(&s, addr, sizeof s) != 0) {
        strace_print_ptr(addr); /* WNOHANG with nothing to report: nothing written */
        return;
    }
    if ((s & 0x7f) == 0) {
        strace_printf("[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", (s >> 8) & 0xff);
    } else if ((s & 0xff) == 0x7f) {
        strace_puts("[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
        strace_print_signo((s >> 8) & 0xff);
        strace_puts("}]");
    } else if (s == 0xffff) {
        strace_puts("[{WIFCONTINUED(s)}]");
    } else {
        strace_puts("[{WIFSIGNALED(s) && WTERMSIG(s) == ");
        strace_print_signo(s & 0x7f);
        strace_puts((s & 0x80) ? " && WCOREDUMP(s)}]" : "}]");
    }
}

static void print_pipe_fds(uint64_t addr)
{
    int32_t fds[2];
    if (copy_from_user(fds, addr, sizeof fds) == 0)
        strace_printf("[%d, %d]", fds[0], fds[1]);
    else
        strace_print_ptr(addr);
}

/* struct utsname: six fields of 65 bytes; strace shows the first two. */
static void print_uname(uint64_t addr)
{
    char field[65];
    if (copy_from_user(field, addr, sizeof field) != 0) {
        strace_print_ptr(addr);
        return;
    }
    field[64] = '\0';
    strace_puts("{sysname=");
    strace_print_quoted(field, strnlen(field, 64), false, false);
    if (copy_from_user(field, addr + 65, sizeof field) == 0) {
        field[64] = '\0';
        strace_puts(", nodename=");
        strace_print_quoted(field, strnlen(field, 64), false, false);
    }
    strace_puts(", ...}");
}

/* getdents64: the buffer's address and how many entries the call wrote. */
static void print_dirents(uint64_t addr, int64_t bytes)
{
    uint64_t n = 0, at = 0;
    uint16_t reclen;
    while ((int64_t)at < bytes && n < DIRENT_COUNT_MAX &&
           copy_from_user(&reclen, addr + at + 16, sizeof reclen) == 0 && reclen != 0) {
        at += reclen;
        n++;
    }
    strace_print_ptr(addr);
    strace_printf(" /* %lu entries */", n);
}

/* ioctl's third argument: a filled struct for the requests strace decodes
 * that we can show, else the pointer or number. */
static void print_ioctl_arg(const uint64_t *args)
{
    uint32_t req = (uint32_t)args[1];
    uint64_t arg = args[2];
    if (req == 0x5413) { /* TIOCGWINSZ */
        uint16_t ws[4];
        if (copy_from_user(ws, arg, sizeof ws) == 0) {
            strace_printf("{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", ws[0], ws[1],
                          ws[2], ws[3]);
            return;
        }
    } else if (req == 0x541b || req == 0x5421 || req == 0x540f || req == 0x5410) {
        int32_t v; /* FIONREAD, FIONBIO, TIOCGPGRP, TIOCSPGRP: an int */
        if (copy_from_user(&v, arg, sizeof v) == 0) {
            strace_printf("[%d]", v);
            return;
        }
    } else if (req == 0x540b || req == 0x5450 || req == 0x5451) {
        if (req == 0x540b) /* TCFLSH: a number */
            strace_printf("%d", (int)arg);
        return;
    }
    strace_print_ptr(arg);
}

void strace_print_memory_arg(enum strace_arg kind, const uint64_t *args, int i, int64_t result)
{
    uint64_t v = args[i];
    switch (kind) {
    case SA_PATH:
        strace_print_user_string(v, STRACE_PATH_MAX);
        break;
    case SA_BUF_IN:
        strace_print_user_bytes(v, args[i + 1], STRACE_STRING_MAX, false);
        break;
    case SA_IOV_IN:
        print_iovecs(v, args[i + 1], ~0ull);
        break;
    case SA_ARGV:
        print_argv(v);
        break;
    case SA_ENVP:
        print_envp(v);
        break;
    case SA_SIGSET_IN:
    case SA_SIGSET_OUT:
        print_user_sigset(v);
        break;
    case SA_SIGACT_IN:
    case SA_SIGACT_OUT:
        print_sigaction(v);
        break;
    case SA_TIMESPEC_IN:
    case SA_TIMESPEC_OUT:
        print_timespec(v);
        break;
    case SA_RLIMIT_IN:
    case SA_RLIMIT_OUT:
        print_rlimit(v);
        break;
    case SA_BUF_OUT:
        strace_print_user_bytes(v, (uint64_t)result, STRACE_STRING_MAX, false);
        break;
    case SA_BUF_OUT_HEX:
        strace_print_user_bytes(v, (uint64_t)result, STRACE_STRING_MAX, true);
        break;
    case SA_STR_OUT:
        strace_print_user_string(v, STRACE_PATH_MAX);
        break;
    case SA_IOV_OUT:
        print_iovecs(v, args[i + 1], (uint64_t)result);
        break;
    case SA_STAT_OUT:
        print_stat(v);
        break;
    case SA_STATX_OUT:
        print_statx(v);
        break;
    case SA_WSTATUS_OUT:
        print_wait_status(v, result);
        break;
    case SA_PIPE_OUT:
        print_pipe_fds(v);
        break;
    case SA_UNAME_OUT:
        print_uname(v);
        break;
    case SA_DIRENTS_OUT:
        print_dirents(v, result);
        break;
    case SA_IOCTL_ARG:
        print_ioctl_arg(args);
        break;
    default: /* SA_PTR_OUT and anything not decoded */
        strace_print_ptr(v);
        break;
    }
}
