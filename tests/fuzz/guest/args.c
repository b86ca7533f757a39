#include "tests/fuzz/guest/args.h"

#include <string.h>

#include "tests/fuzz/guest/signals.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define AT_FDCWD (-100)

static const char *const kind_names[] = {
#define ARG_NAME(name) #name,
    ARG_KINDS(ARG_NAME)
#undef ARG_NAME
};

const char *args_kind_name(enum arg_kind kind)
{
    return kind < ARG_KIND_COUNT ? kind_names[kind] : "?";
}

static struct arg value(uint64_t v)
{
    return (struct arg){v, PTR_NONE, 0, 0, 0};
}

static struct arg pointer(struct fuzz_ptr p)
{
    return (struct arg){p.addr, p.cls, 0, 0, p.room};
}

/* An OR of a random subset of `bits` (each with probability 1/3). */
static uint64_t some_bits(struct rng *r, const uint64_t *bits, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        if (rng_one_in(r, 3))
            v |= bits[i];
    return v;
}

/* Values at the edges of the integer types. */
static uint64_t edge_int(struct rng *r)
{
    static const uint64_t edges[] = {
        0, 1, 2, 3, 7, 8, 16, 64, 255, 256, 4095, 4096, 65535, 65536,
        0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull, 0x100000001ull,
        0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~0ull - 1, (uint64_t)-4096,
        (uint64_t)-100, 0xffffffff00000000ull,
    };
    return RNG_PICK(r, edges);
}

static struct arg gen_int(struct rng *r)
{
    switch (rng_below(r, 4)) {
    case 0: return value(rng_below(r, 64));
    case 1: return value(rng_next(r));
    default: return value(edge_int(r));
    }
}

/* --- descriptors and processes ------------------------------------------------- */

static struct arg gen_fd(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    struct fuzz_state *s = c->s;
    uint64_t pick = rng_below(r, 20);
    if (pick < 12 && s->nfds > 0)
        return value((uint32_t)s->fds[rng_below(r, s->nfds)]);
    if (pick < 14)
        return value(rng_below(r, 3));
    if (pick < 15 && s->nclosed > 0)
        return value((uint32_t)s->closed_fds[rng_below(r, s->nclosed)]);
    if (pick < 16 && s->nfds > 0) /* upper half of the register is ignored */
        return value(0x100000000ull | (uint32_t)s->fds[rng_below(r, s->nfds)]);
    static const int64_t bad[] = {-1, AT_FDCWD, -2, 3, 9, 63, 64, 1023, 1024, 4096, 65536,
                                  0x7fffffff, (int32_t)0x80000000};
    return value((uint32_t)RNG_PICK(r, bad));
}

static struct arg gen_dirfd(struct arg_context *c)
{
    if (rng_one_in(&c->s->rng, 2))
        return value((uint32_t)AT_FDCWD);
    return gen_fd(c);
}

static struct arg gen_pid(struct arg_context *c)
{
    struct fuzz_state *s = c->s;
    struct rng *r = &s->rng;
    switch (rng_below(r, 12)) {
    case 0: return value(0);
    case 1: return value((uint32_t)-1);
    case 2: return value((uint32_t)s->pid);
    case 3: return value((uint32_t)-s->pid);
    case 4:
    case 5:
    case 6:
        if (s->nchildren > 0)
            return value((uint32_t)s->children[rng_below(r, s->nchildren)]);
        return value((uint32_t)(s->pid + 1 + rng_below(r, 4)));
    case 7: return value((uint32_t)(s->pid - 1 - rng_below(r, 4)));
    case 8: return value(1 + rng_below(r, 100));
    case 9: return value((uint32_t)-(int32_t)(1 + rng_below(r, 100)));
    default: {
        static const int64_t edges[] = {0x7fffffff, (int32_t)0x80000000, 32768, 32767, 65536,
                                        -2, 0x100000000ll};
        return value((uint32_t)RNG_PICK(r, edges));
    }
    }
}

static struct arg gen_signo(struct rng *r)
{
    static const int64_t interesting[] = {0, 9, 19, 17, 10, 12, 14, 15, 18, 20, 28, 13,
                                          31, 32, 33, 34, 64, 65, -1, 128, 0x7fffffff};
    if (rng_one_in(r, 2))
        return value((uint32_t)RNG_PICK(r, interesting));
    return value(1 + rng_below(r, 64));
}

/* --- memory ----------------------------------------------------------------------- */

static struct arg gen_buf(struct arg_context *c, enum ptr_use use)
{
    struct fuzz_ptr p = memory_pointer(&c->s->rng, use);
    c->last_room = p.room;
    return pointer(p);
}

static uint64_t huge_len(struct rng *r)
{
    static const uint64_t huge[] = {
        0x7ffff000ull, 0x7ffff001ull, 0x80000000ull, 0xffffffffull, 0x100000000ull,
        1ull << 47, (1ull << 47) - 4096, 1ull << 63, ~0ull, ~0ull - 7, ~0ull - 4095,
        0x7fffffffffffffffull,
    };
    return RNG_PICK(r, huge);
}

static struct arg gen_len(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    switch (rng_below(r, 12)) {
    case 0:
    case 1:
    case 2:
        if (c->last_room != 0)
            return value(c->last_room);
        return value(rng_below(r, 256));
    case 3: return value(c->last_room + 1);
    case 4: return value(0);
    case 5: return value(1);
    case 6: return value(rng_below(r, 128));
    case 7: return value(rng_one_in(r, 2) ? 4096 : 4097);
    case 8: return value(memory_arena_span());
    case 9:
    case 10: return value(huge_len(r));
    default: return value(rng_below(r, 70000));
    }
}

static struct arg gen_offset(struct rng *r)
{
    static const uint64_t offsets[] = {0, 1, 5, 100, 4095, 4096, 1ull << 31, 1ull << 32,
                                       ~0ull, 0x7fffffffffffffffull, 0x7ffffffffffff000ull,
                                       1ull << 40};
    if (rng_one_in(r, 4))
        return value(rng_below(r, 10000));
    return value(RNG_PICK(r, offsets));
}

static struct arg gen_mm_addr(struct arg_context *c)
{
    struct fuzz_state *s = c->s;
    struct rng *r = &s->rng;
    if (s->nmaps > 0 && rng_one_in(r, 8)) {
        uint32_t i = (uint32_t)rng_below(r, s->nmaps);
        return value(s->map_addr[i] + (rng_one_in(r, 2) ? 0 : (s->map_len[i] / 2) & ~4095ull));
    }
    uint64_t a = memory_mm_address(r);
    bool arena = a >= memory_arena_end() - memory_arena_span() && a < memory_arena_end();
    return (struct arg){a, arena ? PTR_ARENA : PTR_NONE, 0, 0, 0};
}

static struct arg gen_mm_len(struct rng *r)
{
    switch (rng_below(r, 10)) {
    case 0: case 1: case 2: case 3: return value((1 + rng_below(r, 8)) * 4096);
    case 4: return value(0);
    case 5: return value(1 + rng_below(r, 8191));
    case 6: return value(memory_arena_span());
    case 7: return value((1 + rng_below(r, 256)) << 20);
    case 8: return value(huge_len(r));
    default: return value(rng_next(r));
    }
}

static struct arg gen_prot(struct rng *r)
{
    if (rng_one_in(r, 8))
        return value(rng_one_in(r, 2) ? rng_next(r) : 0x01000000ull << rng_below(r, 2));
    return value(rng_below(r, 8)); /* READ, WRITE, EXEC */
}

static struct arg gen_map_flags(struct rng *r)
{
    static const uint64_t bits[] = {0x10, 0x20, 0x20, 0x40, 0x100, 0x800, 0x1000, 0x2000,
                                    0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000,
                                    0x100000};
    if (rng_one_in(r, 16))
        return value(rng_next(r));
    uint64_t type = rng_one_in(r, 8) ? rng_below(r, 16) : 1 + rng_below(r, 2);
    return value(type | some_bits(r, bits, COUNT(bits)));
}

/* --- structures the kernel reads --------------------------------------------------- */

/* `n` bytes for a structure: in the struct area, or at its guard page
 * (partly readable), or somewhere bad. NULL when bad. */
static void *struct_place(struct rng *r, size_t n, struct arg *out)
{
    uint64_t pick = rng_below(r, 20);
    void *p = 0;
    if (pick < 16)
        p = structs_alloc(n);
    else if (pick < 18)
        p = structs_at_guard(n - (n > 1 ? rng_below(r, n) : 0));
    if (p == 0) {
        *out = (struct arg){pick == 19 ? 0 : memory_bad_pointer(r), PTR_BAD, 0, 0, 0};
        return 0;
    }
    *out = (struct arg){(uint64_t)p, PTR_STRUCT, 0, 0, structs_end() - (uint64_t)p};
    if (pick < 16)
        out->room = n;
    return p;
}

/* Writes the first `len` bytes of `src` to a placed struct (it may be short). */
static void struct_fill(void *dst, const void *src, size_t len)
{
    uint64_t guard_end = structs_end();
    uint64_t at = (uint64_t)dst;
    if (at + len > guard_end)
        len = guard_end - at;
    memcpy(dst, src, len);
}

static struct arg gen_timespec(struct rng *r, bool for_sleep)
{
    int64_t ts[2];
    switch (rng_below(r, 24)) {
    case 0: case 1: case 2: case 3: case 4:
        ts[0] = 0; ts[1] = 0; break;
    case 5: case 6: case 7: case 8: case 9: case 10:
        ts[0] = 0; ts[1] = (int64_t)rng_below(r, 2000000); break; /* up to 2 ms */
    case 11: ts[0] = 0; ts[1] = for_sleep ? 999999 : 999999999; break;
    case 12: ts[0] = 0; ts[1] = 1000000000; break;
    case 13: ts[0] = -1; ts[1] = 0; break;
    case 14: ts[0] = 0; ts[1] = -1; break;
    case 15: /* forever, now and then */
        if (rng_one_in(r, 3)) {
            ts[0] = 0x7fffffffffffffffll;
            ts[1] = 999999999;
        } else {
            ts[0] = 0;
            ts[1] = 0;
        }
        break;
    case 16: /* anything: mostly invalid, else mostly forever */
        ts[0] = (int64_t)rng_next(r);
        ts[1] = (int64_t)rng_next(r);
        if (rng_below(r, 4) != 0)
            ts[0] |= 1ll << 63;
        break;
    case 17: ts[0] = 0; ts[1] = 10000000; break; /* 10 ms */
    case 18:
        if (!for_sleep) /* NULL: wait forever */
            return value(0);
        /* fall through */
    default:
        ts[0] = 0; ts[1] = (int64_t)rng_below(r, 100000); break;
    }
    struct arg a;
    void *p = struct_place(r, sizeof ts, &a);
    if (p != 0)
        struct_fill(p, ts, sizeof ts);
    return a;
}

static struct arg gen_timeval(struct rng *r)
{
    int64_t tv[2] = {0, 0};
    switch (rng_below(r, 12)) {
    case 0: return value(0);
    case 1: tv[1] = 1000000; break;
    case 2: tv[0] = -1; break;
    case 3: tv[0] = 0x7fffffffffffffffll; break;
    case 4: case 5: case 6: tv[1] = (int64_t)rng_below(r, 2000); break;
    default: break;
    }
    struct arg a;
    void *p = struct_place(r, sizeof tv, &a);
    if (p != 0)
        struct_fill(p, tv, sizeof tv);
    return a;
}

static struct arg gen_timeout_ms(struct rng *r)
{
    static const int64_t forever[] = {-1, (int32_t)0x80000000, 0x7fffffff};
    if (rng_one_in(r, 16))
        return value((uint32_t)RNG_PICK(r, forever));
    return value(rng_below(r, 3) != 0 ? 0 : rng_below(r, 6));
}

static uint64_t pick_sigmask(struct rng *r)
{
    static const uint64_t masks[] = {0, ~0ull, 1ull << 16 /* SIGCHLD */, 1ull << 8 /* SIGKILL */,
                                     (1ull << 9) | (1ull << 18), 1ull << 13, 0xffffffff00000000ull};
    return rng_one_in(r, 2) ? rng_next(r) : RNG_PICK(r, masks);
}

static struct arg gen_sigset(struct rng *r)
{
    if (rng_one_in(r, 8))
        return value(0);
    uint64_t mask = pick_sigmask(r);
    struct arg a;
    void *p = struct_place(r, sizeof mask, &a);
    if (p != 0)
        struct_fill(p, &mask, sizeof mask);
    return a;
}

static struct arg gen_sigsetsize(struct rng *r)
{
    static const uint64_t sizes[] = {0, 4, 7, 16, 128, 0x100000008ull, ~0ull};
    return value(rng_below(r, 5) != 0 ? 8 : RNG_PICK(r, sizes));
}

static struct arg gen_sigaction(struct rng *r)
{
    struct kernel_sigaction act;
    signals_fill_action(r, &act);
    struct arg a;
    void *p = struct_place(r, sizeof act, &a);
    if (p != 0)
        struct_fill(p, &act, sizeof act);
    return a;
}

static struct arg gen_iovec(struct arg_context *c, enum ptr_use use)
{
    struct rng *r = &c->s->rng;
    uint64_t n = rng_below(r, 9);
    uint64_t iov[16];
    for (uint64_t i = 0; i < n; i++) {
        struct fuzz_ptr p = memory_pointer(r, use);
        iov[2 * i] = p.addr;
        iov[2 * i + 1] = rng_below(r, 4) == 0 ? gen_len(c).v : p.room;
    }
    c->last_room = n;
    struct arg a;
    void *at = struct_place(r, n == 0 ? 16 : n * 16, &a);
    if (at != 0 && n > 0)
        struct_fill(at, iov, n * 16);
    return a;
}

static struct arg gen_count(struct arg_context *c, uint64_t limit)
{
    struct rng *r = &c->s->rng;
    static const uint64_t edges[] = {0, 1, 1024, 1025, 0x7fffffff, 0x80000000ull, ~0ull};
    if (rng_below(r, 4) != 0)
        return value(c->last_room < limit ? c->last_room : limit);
    return value(RNG_PICK(r, edges));
}

static struct arg gen_pollfds(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    uint64_t n = rng_below(r, 9);
    struct {
        int32_t fd;
        int16_t events, revents;
    } fds[8];
    for (uint64_t i = 0; i < n; i++) {
        fds[i].fd = (int32_t)gen_fd(c).v;
        fds[i].events = (int16_t)(rng_one_in(r, 4) ? rng_next(r) : 1 + 4 * rng_below(r, 2));
        fds[i].revents = (int16_t)rng_next(r);
    }
    c->last_room = n;
    struct arg a;
    void *at = struct_place(r, n == 0 ? 8 : n * 8, &a);
    if (at != 0 && n > 0)
        struct_fill(at, fds, n * 8);
    return a;
}

static struct arg gen_fdset(struct arg_context *c)
{
    struct fuzz_state *s = c->s;
    struct rng *r = &s->rng;
    if (rng_one_in(r, 4))
        return value(0);
    uint64_t bits[16];
    memset(bits, 0, sizeof bits);
    for (uint32_t i = 0; i < s->nfds; i++)
        if (rng_one_in(r, 2) && s->fds[i] >= 0 && s->fds[i] < 1024)
            bits[s->fds[i] / 64] |= 1ull << (s->fds[i] % 64);
    if (rng_one_in(r, 4))
        bits[rng_below(r, 16)] = rng_next(r);
    struct arg a;
    void *p = struct_place(r, sizeof bits, &a);
    if (p != 0)
        struct_fill(p, bits, sizeof bits);
    return a;
}

static struct arg gen_nfds_select(struct arg_context *c)
{
    struct fuzz_state *s = c->s;
    struct rng *r = &s->rng;
    int32_t top = 0;
    for (uint32_t i = 0; i < s->nfds; i++)
        if (s->fds[i] >= top && s->fds[i] < 1024)
            top = s->fds[i] + 1;
    static const int64_t edges[] = {0, 1, 1024, 1025, -1, 0x7fffffff};
    return value(rng_below(r, 3) != 0 ? (uint64_t)top : (uint32_t)RNG_PICK(r, edges));
}

static struct arg gen_pselect_sigmask(struct rng *r)
{
    if (rng_one_in(r, 3))
        return value(0);
    uint64_t pair[2] = {gen_sigset(r).v, gen_sigsetsize(r).v};
    struct arg a;
    void *p = struct_place(r, sizeof pair, &a);
    if (p != 0)
        struct_fill(p, pair, sizeof pair);
    return a;
}

static struct arg gen_utimes(struct rng *r)
{
    if (rng_one_in(r, 4))
        return value(0);
    static const int64_t nsecs[] = {0, 999999999, 1000000000, -1, (1 << 30) - 1 /* UTIME_NOW */,
                                    (1 << 30) - 2 /* UTIME_OMIT */};
    int64_t ts[4];
    for (int i = 0; i < 2; i++) {
        ts[2 * i] = rng_one_in(r, 3) ? (int64_t)rng_next(r) : (int64_t)rng_below(r, 2000000000);
        ts[2 * i + 1] = RNG_PICK(r, nsecs);
    }
    struct arg a;
    void *p = struct_place(r, sizeof ts, &a);
    if (p != 0)
        struct_fill(p, ts, sizeof ts);
    return a;
}

static struct arg gen_rlimit(struct rng *r)
{
    static const uint64_t values[] = {~0ull, 0, 1, 8, 64, 1024, 1025, 4096, 1ull << 20,
                                      8ull << 20, 0x7fffffffffffffffull};
    uint64_t lim[2] = {RNG_PICK(r, values), RNG_PICK(r, values)};
    if (rng_one_in(r, 2) && lim[0] > lim[1]) {
        uint64_t t = lim[0];
        lim[0] = lim[1];
        lim[1] = t;
    }
    struct arg a;
    void *p = struct_place(r, sizeof lim, &a);
    if (p != 0)
        struct_fill(p, lim, sizeof lim);
    return a;
}

static struct arg gen_sigaltstack(struct rng *r)
{
    if (rng_one_in(r, 3))
        return value(0);
    uint64_t ss[3] = {memory_pointer(r, USE_WRITE).addr, rng_below(r, 8), rng_one_in(r, 2) ? 8192 : rng_next(r)};
    struct arg a;
    void *p = struct_place(r, sizeof ss, &a);
    if (p != 0)
        struct_fill(p, ss, sizeof ss);
    return a;
}

/* --- paths ---------------------------------------------------------------------------- */

/* The runner's scratch root (run.sh) and names batches create there. */
static const char *const known_paths[] = {
    "/", ".", "..", "/file", "file", "/empty", "/big", "/dir", "dir", "/dir/", "/dir/file",
    "dir/file", "/dir/sub", "/dir/sub/deep", "sub/deep", "/link", "/dirlink", "/dirlink/file",
    "/abs", "/dangling", "/loop", "/loop/x", "/escape", "/escape/secret", "/absescape",
    "/absescape/secret", "/prog", "/script", "/noexec", "/nonexistent", "/nonexistent/x",
    "/file/x", "/file/", "//dir//file", "/./dir/./file", "/dir/../file", "/../../..",
    "../../../../sentinel/secret", "/dir/sub/../../file", "/dev", "/dev/", "/dev/null",
    "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/stdin", "/dev/stdout",
    "/dev/stderr", "/dev/fd/0", "/dev/fd/3", "/dev/fd/", "/dev/fd/999999", "/dev/tty",
    "/dev/kvm", "/dev/nonexistent", "/proc", "/proc/self", "/proc/self/exe", "/proc/self/fd/0",
    "/proc/self/fd/4", "/proc/self/fd/", "/proc/self/fd/-1", "/proc/self/cwd", "/proc/1/exe",
    "/etc/passwd", "/f0", "/f1", "/f2", "/dir/f3", "/d0", "/d0/f4", "/d1", "/dir/d2", "f0",
    "d0", "d0/f4", "/l0", "/l1", "/d0/", "/f0/", "/dir/sub/f5",
};

static const char *const components[] = {"dir", "sub", "file", "f0", "f1", "d0", "d1", "..",
                                         ".", "", "x", "link", "dirlink", "loop", "escape",
                                         "deep", "l0", "dev", "null", "proc"};

static const char *const exec_paths[] = {"/prog", "/proc/self/exe", "/script", "/noexec",
                                         "/dir", "/file", "/dangling", "/dev/null"};

/* Copies `len` bytes of `text` into the struct area, NUL-terminated unless
 * `unterminated` (then it ends exactly at the guard page). */
static struct arg place_string(const char *text, uint32_t len, bool unterminated)
{
    char *p = unterminated ? structs_at_guard(len) : structs_alloc((size_t)len + 1);
    if (p == 0)
        return value(0);
    memcpy(p, text, len);
    if (!unterminated)
        p[len] = 0;
    return (struct arg){(uint64_t)p, PTR_STRUCT, p, len, unterminated ? len : len + 1};
}

static struct arg gen_path(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    static char scratch[4200];
    uint32_t len = 0;
    switch (rng_below(r, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: {
        const char *p = RNG_PICK(r, known_paths);
        return place_string(p, (uint32_t)strlen(p), false);
    }
    case 10: case 11: case 12: { /* components joined */
        if (rng_one_in(r, 2))
            scratch[len++] = '/';
        uint64_t n = 1 + rng_below(r, 4);
        for (uint64_t i = 0; i < n; i++) {
            const char *part = RNG_PICK(r, components);
            size_t l = strlen(part);
            memcpy(scratch + len, part, l);
            len += (uint32_t)l;
            if (i + 1 < n || rng_one_in(r, 4))
                scratch[len++] = '/';
        }
        return place_string(scratch, len, false);
    }
    case 13: { /* long: around PATH_MAX and NAME_MAX */
        static const uint32_t lengths[] = {255, 256, 4094, 4095, 4096, 4097};
        len = RNG_PICK(r, lengths);
        bool one_name = len < 300;
        for (uint32_t i = 0; i < len; i++)
            scratch[i] = (!one_name && i % 100 == 0) ? '/' : 'a';
        if (!one_name && rng_one_in(r, 2))
            memcpy(scratch, "/dir/../", 8);
        return place_string(scratch, len, false);
    }
    case 14: /* bytes of every kind */
        len = 1 + (uint32_t)rng_below(r, 40);
        for (uint32_t i = 0; i < len; i++)
            scratch[i] = (char)(1 + rng_below(r, 255));
        return place_string(scratch, len, false);
    case 15: { /* unterminated, up to the guard page */
        const char *p = RNG_PICK(r, known_paths);
        return place_string(p, (uint32_t)strlen(p), true);
    }
    case 16:
        return place_string("", 0, false);
    default: {
        struct fuzz_ptr p = memory_pointer(r, USE_READ);
        return pointer(p);
    }
    }
}

static struct arg gen_exec_path(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    if (rng_below(r, 3) != 0)
        return gen_path(c);
    if (rng_one_in(r, 4) && c->s->cfg->self_path != 0) {
        const char *p = c->s->cfg->self_path;
        return place_string(p, (uint32_t)strlen(p), false);
    }
    const char *p = RNG_PICK(r, exec_paths);
    return place_string(p, (uint32_t)strlen(p), false);
}

bool args_is_exec_path(const struct fuzz_state *s, const char *path, uint32_t len)
{
    if (path == 0)
        return false;
    const char *self = s->cfg->self_path;
    for (uint32_t i = 0; i + 3 < len; i++)
        if (memcmp(path + i, "prog", 4) == 0 || memcmp(path + i, "/exe", 4) == 0)
            return true;
    return self != 0 && strlen(self) == len && memcmp(self, path, len) == 0;
}

/* argv/envp: a NULL-terminated array of strings (or not terminated, or bad). */
static struct arg gen_argv(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    switch (rng_below(r, 12)) {
    case 0: return value(0);
    case 1: return (struct arg){memory_bad_pointer(r), PTR_BAD, 0, 0, 0};
    default: break;
    }
    bool huge = rng_one_in(r, 12);
    uint64_t n = huge ? 64 + rng_below(r, 64) : rng_below(r, 6);
    uint64_t *array = structs_alloc((n + 1) * 8);
    if (array == 0)
        return value(0);
    char *big = 0;
    if (huge) { /* one long string, many times: E2BIG, or nearly */
        size_t big_len = 1024 + rng_below(r, 4096);
        big = structs_alloc(big_len + 1);
        if (big != 0) {
            memset(big, 'A', big_len);
            big[big_len] = 0;
        }
    }
    for (uint64_t i = 0; i < n; i++) {
        if (big != 0)
            array[i] = (uint64_t)big;
        else if (rng_one_in(r, 8))
            array[i] = memory_bad_pointer(r);
        else
            array[i] = gen_path(c).v;
    }
    array[n] = 0;
    if (rng_one_in(r, 10)) { /* unterminated: runs into the guard page */
        uint64_t *edge = structs_at_guard(n * 8);
        memcpy(edge, array, n * 8);
        return (struct arg){(uint64_t)edge, PTR_STRUCT, 0, 0, 0};
    }
    return (struct arg){(uint64_t)array, PTR_STRUCT, 0, 0, 0};
}

/* --- flags and small enumerations --------------------------------------------------------- */

static struct arg gen_open_flags(struct rng *r)
{
    static const uint64_t bits[] = {0100, 0200, 0400, 01000, 02000, 04000, 010000, 040000,
                                    0100000, 0200000, 0400000, 01000000, 02000000, 04010000,
                                    010000000, 020200000};
    if (rng_one_in(r, 12))
        return value((uint32_t)rng_next(r));
    return value(rng_below(r, 4) | some_bits(r, bits, COUNT(bits)));
}

static struct arg gen_mode(struct rng *r)
{
    static const uint64_t modes[] = {0644, 0755, 0, 0777, 07777, 0600, 0400, 0xffffffff, 010644,
                                     0140755};
    return value(rng_one_in(r, 6) ? rng_next(r) & 0xffffffff : RNG_PICK(r, modes));
}

static struct arg gen_at_flags(struct rng *r)
{
    static const uint64_t bits[] = {0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000};
    if (rng_one_in(r, 10))
        return value((uint32_t)rng_next(r));
    return value(some_bits(r, bits, COUNT(bits)));
}

static struct arg pick_or_wild(struct rng *r, const uint64_t *values, unsigned n)
{
    if (rng_one_in(r, 10))
        return value(rng_one_in(r, 2) ? rng_next(r) : edge_int(r));
    return value(values[rng_below(r, n)]);
}

#define PICK(list) pick_or_wild(r, list, COUNT(list))

static struct arg gen_clone_flags(struct rng *r)
{
    static const uint64_t bits[] = {0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000,
                                    0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000,
                                    0x200000, 0x400000, 0x800000, 0x1000000, 0x2000000,
                                    0x20000000, 0x80000000ull};
    if (rng_one_in(r, 16))
        return value(rng_next(r));
    static const uint64_t exit_signals[] = {17, 17, 17, 0, 10, 9, 15, 64, 65, 255};
    uint64_t v = RNG_PICK(r, exit_signals);
    for (unsigned i = 0; i < COUNT(bits); i++)
        if (rng_one_in(r, 10))
            v |= bits[i];
    return v == 0 && rng_one_in(r, 2) ? value(17) : value(v);
}

static struct arg gen_tls(struct rng *r)
{
    switch (rng_below(r, 6)) {
    case 0: return value(0);
    case 1: return (struct arg){memory_bad_pointer(r), PTR_BAD, 0, 0, 0};
    case 2: return value(rng_next(r));
    default: return (struct arg){memory_arena_address(r, false), PTR_ARENA, 0, 0, 0};
    }
}

static struct arg gen_futex_addr(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    if (rng_one_in(r, 3)) {
        uint32_t *word = structs_alloc(8);
        if (word != 0) {
            *word = (uint32_t)rng_below(r, 3);
            return (struct arg){(uint64_t)word + (rng_one_in(r, 8) ? 1 : 0), PTR_STRUCT, 0, 0, 0};
        }
    }
    struct fuzz_ptr p = memory_pointer(r, USE_READ);
    if (rng_below(r, 4) != 0)
        p.addr &= ~3ull;
    return pointer(p);
}

/* --- the dispatcher ------------------------------------------------------------------------ */

static struct arg gen_any(struct arg_context *c)
{
    struct rng *r = &c->s->rng;
    switch (rng_below(r, 10)) {
    case 0: case 1: return gen_int(r);
    case 2: return gen_fd(c);
    case 3: return gen_buf(c, USE_READ);
    case 4: return gen_buf(c, USE_WRITE);
    case 5: return gen_len(c);
    case 6: return gen_path(c);
    case 7: return gen_pid(c);
    case 8: return gen_signo(r);
    default: return value(rng_next(r));
    }
}

struct arg args_generate(struct arg_context *c, enum arg_kind kind)
{
    struct rng *r = &c->s->rng;
    switch (kind) {
    case ARG_NONE: return value(rng_one_in(r, 4) ? rng_next(r) : 0); /* unused registers */
    case ARG_ANY: return gen_any(c);
    case ARG_INT: return gen_int(r);
    case ARG_EXIT_CODE: return value(rng_one_in(r, 2) ? rng_below(r, 4) : rng_next(r));
    case ARG_FD: return gen_fd(c);
    case ARG_DIRFD: return gen_dirfd(c);
    case ARG_BUF_IN: return gen_buf(c, USE_READ);
    case ARG_BUF_OUT: return gen_buf(c, USE_WRITE);
    case ARG_LEN: return gen_len(c);
    case ARG_OFFSET: return gen_offset(r);
    case ARG_WHENCE: {
        static const uint64_t w[] = {0, 1, 2, 3, 4, 5, 0xffffffff};
        return PICK(w);
    }
    case ARG_IOCTL_CMD: {
        static const uint64_t cmds[] = {0x5401, 0x5402, 0x5403, 0x5404, 0x5413, 0x5414, 0x541b,
                                        0x5421, 0x5450, 0x5451, 0x540f, 0x5410, 0x540e, 0x5422,
                                        0x540b, 0x5452, 0x80045430, 0, 0x40049409};
        return PICK(cmds);
    }
    case ARG_IOCTL_ARG:
        return rng_below(r, 3) != 0 ? gen_buf(c, USE_WRITE) : gen_int(r);
    case ARG_IOVEC_IN: return gen_iovec(c, USE_READ);
    case ARG_IOVEC_OUT: return gen_iovec(c, USE_WRITE);
    case ARG_IOVCNT: return gen_count(c, 1u << 20);
    case ARG_FCNTL_CMD: {
        static const uint64_t cmds[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 1024, 1025,
                                        1026, 1030, 1031, 1032, 1033, 1034, 0xffffffff};
        return PICK(cmds);
    }
    case ARG_FCNTL_ARG:
        switch (rng_below(r, 4)) {
        case 0: return gen_buf(c, USE_WRITE);
        case 1: return value(rng_one_in(r, 2) ? 04000 : 02000 | 04000);
        default: return gen_int(r);
        }
    case ARG_DUP3_FLAGS: {
        static const uint64_t f[] = {0, 0, 02000000, 1};
        return PICK(f);
    }
    case ARG_PIPE_FDS: {
        if (rng_below(r, 4) != 0) {
            int32_t *p = structs_alloc(8);
            if (p != 0) {
                p[0] = p[1] = -1;
                return (struct arg){(uint64_t)p, PTR_STRUCT, 0, 0, 0};
            }
        }
        return gen_buf(c, USE_WRITE);
    }
    case ARG_PIPE_FLAGS: {
        static const uint64_t f[] = {0, 04000, 02000000, 040000, 04000 | 02000000};
        return PICK(f);
    }
    case ARG_POLLFDS: return gen_pollfds(c);
    case ARG_NFDS: return gen_count(c, 1024);
    case ARG_TIMEOUT_MS: return gen_timeout_ms(r);
    case ARG_NFDS_SELECT: return gen_nfds_select(c);
    case ARG_FDSET: return gen_fdset(c);
    case ARG_TIMEVAL: return gen_timeval(r);
    case ARG_TIMESPEC_TIMEOUT: return gen_timespec(r, false);
    case ARG_TIMESPEC_SLEEP: return gen_timespec(r, true);
    case ARG_PSELECT_SIGMASK: return gen_pselect_sigmask(r);
    case ARG_SIGSET: return gen_sigset(r);
    case ARG_SIGSETSIZE: return gen_sigsetsize(r);
    case ARG_PATH: return gen_path(c);
    case ARG_OPEN_FLAGS: return gen_open_flags(r);
    case ARG_MODE: return gen_mode(r);
    case ARG_ACCESS_MODE: return value(rng_one_in(r, 8) ? rng_next(r) : rng_below(r, 8));
    case ARG_AT_FLAGS: return gen_at_flags(r);
    case ARG_UTIMES: return gen_utimes(r);
    case ARG_RENAME_FLAGS: {
        static const uint64_t f[] = {0, 0, 1, 2, 3, 4, 8};
        return PICK(f);
    }
    case ARG_STATX_MASK: {
        static const uint64_t m[] = {0x7ff, 0xfff, 0, 0x80000000, 1};
        return PICK(m);
    }
    case ARG_MM_ADDR: return gen_mm_addr(c);
    case ARG_MM_LEN: return gen_mm_len(r);
    case ARG_MM_OFFSET: {
        static const uint64_t o[] = {0, 0, 4096, 1, 1ull << 32, ~0ull & ~4095ull,
                                     0x7ffffffffffff000ull};
        return PICK(o);
    }
    case ARG_PROT: return gen_prot(r);
    case ARG_MAP_FLAGS: return gen_map_flags(r);
    case ARG_BRK: {
        uint64_t b = c->s->brk;
        switch (rng_below(r, 6)) {
        case 0: return value(0);
        case 1: return value(b + (1 + rng_below(r, 64)) * 4096);
        case 2: return value(b - rng_below(r, 16) * 4096);
        case 3: return value(b + rng_below(r, 4096));
        case 4: return gen_mm_addr(c);
        default: return value(huge_len(r));
        }
    }
    case ARG_MREMAP_FLAGS: {
        static const uint64_t f[] = {0, 1, 1, 2, 3, 4, 5, 7};
        return PICK(f);
    }
    case ARG_MSYNC_FLAGS: {
        static const uint64_t f[] = {0, 1, 2, 4, 5, 6, 7, 8};
        return PICK(f);
    }
    case ARG_MADVICE: {
        static const uint64_t a[] = {0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 20, 21, 22, 25,
                                     100};
        return PICK(a);
    }
    case ARG_RLIMIT_RES: {
        static const uint64_t res[] = {0, 1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                       16, 0xffffffff};
        return PICK(res);
    }
    case ARG_RLIMIT_IN: return gen_rlimit(r);
    case ARG_RUSAGE_WHO: {
        static const uint64_t w[] = {0, 0xffffffff, 1, 2};
        return PICK(w);
    }
    case ARG_PID: return gen_pid(c);
    case ARG_PRCTL_OPT: {
        static const uint64_t o[] = {1, 2, 3, 4, 15, 16, 15, 16, 0, 22, 36, 38, 39, 59};
        return PICK(o);
    }
    case ARG_PRCTL_ARG:
        switch (rng_below(r, 3)) {
        case 0: return gen_int(r);
        case 1: return gen_path(c);
        default: return gen_buf(c, USE_WRITE);
        }
    case ARG_ARCH_PRCTL_CODE: {
        static const uint64_t codes[] = {0x1001, 0x1002, 0x1002, 0x1003, 0x1004, 0x1011,
                                         0x1012, 0x1021, 0x2001, 0};
        return PICK(codes);
    }
    case ARG_ARCH_PRCTL_ADDR:
        return rng_one_in(r, 2) ? gen_buf(c, USE_WRITE) : gen_tls(r);
    case ARG_FUTEX_ADDR: return gen_futex_addr(c);
    case ARG_FUTEX_OP: {
        static const uint64_t ops[] = {0, 1, 9, 10, 128, 129, 137, 138, 256, 265, 2, 3, 4, 5,
                                       6, 7, 8, 11, 12, 13};
        return PICK(ops);
    }
    case ARG_FUTEX_VAL: return value(rng_one_in(r, 2) ? rng_below(r, 3) : rng_next(r));
    case ARG_ROBUST_LEN: {
        static const uint64_t l[] = {24, 24, 0, 23, 25, 48};
        return PICK(l);
    }
    case ARG_GRND_FLAGS: return value(rng_one_in(r, 8) ? rng_next(r) : rng_below(r, 8));
    case ARG_UID: {
        static const uint64_t ids[] = {0, 1, 1000, 65534, 0xffffffff, 0xfffffffe};
        return PICK(ids);
    }
    case ARG_CLONE_FLAGS: return gen_clone_flags(r);
    case ARG_CLONE_STACK:
        switch (rng_below(r, 6)) {
        case 0: case 1: case 2: return value(0);
        case 3: return (struct arg){memory_arena_address(r, false), PTR_ARENA, 0, 0, 0};
        case 4: return (struct arg){memory_bad_pointer(r), PTR_BAD, 0, 0, 0};
        default: return value(rng_next(r));
        }
    case ARG_TLS: return gen_tls(r);
    case ARG_EXEC_PATH: return gen_exec_path(c);
    case ARG_ARGV: return gen_argv(c);
    case ARG_WAIT_OPTIONS: {
        static const uint64_t bits[] = {2, 8, 0x20000000, 0x40000000, 0x80000000ull};
        if (rng_one_in(r, 16))
            return value(rng_next(r));
        uint64_t v = some_bits(r, bits, COUNT(bits));
        return value(rng_below(r, 5) != 0 ? v | 1 /* WNOHANG */ : v);
    }
    case ARG_WAITID_OPTIONS: {
        static const uint64_t bits[] = {2, 8, 0x01000000, 0x40000000};
        if (rng_one_in(r, 16))
            return value(rng_next(r));
        uint64_t v = some_bits(r, bits, COUNT(bits)) | (rng_below(r, 5) != 0 ? 4 : 0);
        return value(rng_below(r, 5) != 0 ? v | 1 : v);
    }
    case ARG_IDTYPE: {
        static const uint64_t t[] = {0, 1, 1, 2, 3, 4};
        return PICK(t);
    }
    case ARG_SIGNO: return gen_signo(r);
    case ARG_SIGHOW: {
        static const uint64_t h[] = {0, 1, 2, 3, 0xffffffff};
        return PICK(h);
    }
    case ARG_SIGACTION:
        return rng_one_in(r, 4) ? value(0) : gen_sigaction(r);
    case ARG_SIGALTSTACK: return gen_sigaltstack(r);
    case ARG_CLOCKID: {
        static const uint64_t ids[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xffffffff,
                                       0xfffffffa /* a process CPU clock */, 0x80000000};
        return PICK(ids);
    }
    case ARG_TIMER_FLAGS: {
        static const uint64_t f[] = {0, 0, 1, 2};
        return PICK(f);
    }
    case ARG_KIND_COUNT: break;
    }
    return value(0);
}
