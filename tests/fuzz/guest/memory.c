#include "tests/fuzz/guest/memory.h"

#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "tests/fuzz/guest/raw.h"

/* Fixed addresses, far from the program, its heap, the stack and the
 * addresses the kernel picks for mmap (just below the stack). */
#define ARENA_BASE 0x100000000000ull
#define STRUCT_BASE 0x110000000000ull
#define STRUCT_PAGES 32ull
#define NX_PAGE 0x118000000000ull
#define COW_BASE 0x118000010000ull
#define COW_PAGES 2ull
#define UNMAPPED_BASE 0x120000000000ull
#define UNMAPPED_SIZE (16 * PAGE)

/* The top of the user half and the stack below it (guest/kernel/mm/mm.h). */
#define USER_SPACE_END 0x7ffffffff000ull
#define STACK_RESERVE ((8ull << 20) + (1ull << 20))

/* sacrifice.S: read-only pages of the program image nobody may change. */
extern const unsigned char sacrificial_text[], sacrificial_text_end[];
extern const unsigned char sacrificial_rodata[], sacrificial_rodata_end[];

extern const char __executable_start[], etext[];

enum region_kind { REGION_DATA, REGION_SHARED, REGION_FILE, REGION_READONLY };

struct region {
    enum region_kind kind;
    uint64_t pages;
    uint64_t start; /* set by memory_setup */
};

/* Each region is followed by a PROT_NONE guard page; the first has one before. */
static struct region regions[] = {
    {REGION_DATA, 16, 0},
    {REGION_SHARED, 4, 0},
    {REGION_FILE, 4, 0},
    {REGION_READONLY, 2, 0},
    {REGION_DATA, 1, 0},
};
#define REGION_COUNT (sizeof regions / sizeof regions[0])
static uint64_t arena_end;

static uint64_t struct_used;

struct range {
    uint64_t start, end;
};
static struct range protected_ranges[12];
static int protected_count;

static uint64_t vdso_base;
/* Set in forked children: output pointers may aim at their canary copy. */
static bool cow_scribbling;

static void fill_random(struct rng *r, unsigned char *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i += 8) {
        uint64_t v = rng_next(r);
        /* Mostly random bytes; some runs of zeros and small numbers, which
         * make structures the kernel reads from the arena plausible. */
        switch (rng_below(r, 8)) {
        case 0: v = 0; break;
        case 1: v &= 0xff; break;
        case 2: v = ARENA_BASE + rng_below(r, arena_end - ARENA_BASE); break;
        default: break;
        }
        uint64_t left = n - i < 8 ? n - i : 8;
        memcpy(p + i, &v, left);
    }
}

static uint64_t map_fixed(uint64_t at, uint64_t len, int prot, int flags, int fd)
{
    return (uint64_t)raw6(9 /* mmap */, (long)at, (long)len, prot, flags | MAP_FIXED, fd, 0);
}

void memory_setup(struct rng *r, int file_fd)
{
    uint64_t at = ARENA_BASE;
    uint64_t total = PAGE;
    for (unsigned i = 0; i < REGION_COUNT; i++)
        total += (regions[i].pages + 1) * PAGE;
    arena_end = ARENA_BASE + total;
    map_fixed(ARENA_BASE, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    at += PAGE;
    for (unsigned i = 0; i < REGION_COUNT; i++) {
        struct region *g = &regions[i];
        uint64_t len = g->pages * PAGE;
        int rw = PROT_READ | PROT_WRITE;
        g->start = at;
        switch (g->kind) {
        case REGION_SHARED:
            map_fixed(at, len, rw, MAP_SHARED | MAP_ANONYMOUS, -1);
            break;
        case REGION_FILE:
            if (file_fd < 0 || map_fixed(at, len, rw, MAP_PRIVATE, file_fd) != at)
                map_fixed(at, len, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1);
            break;
        default:
            map_fixed(at, len, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1);
            break;
        }
        /* Not the file mapping: an earlier --rw batch may have truncated the
         * file, and touching it past the end would be SIGBUS. */
        if (g->kind != REGION_FILE)
            fill_random(r, (unsigned char *)at, len);
        if (g->kind == REGION_READONLY)
            raw3(10 /* mprotect */, (long)at, (long)len, PROT_READ);
        at += len + PAGE;
    }
    map_fixed(STRUCT_BASE, STRUCT_PAGES * PAGE, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_fixed(STRUCT_BASE + STRUCT_PAGES * PAGE, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
              -1);
    map_fixed(NX_PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_fixed(COW_BASE, COW_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
              -1);
    cow_scribbling = false;
    memset((void *)NX_PAGE, 0xc3 /* ret: were it ever executed */, PAGE);
    structs_reset();
}

uint64_t memory_arena_span(void)
{
    return arena_end - ARENA_BASE;
}

uint64_t memory_arena_end(void)
{
    return arena_end;
}

uint64_t memory_nx_page(void)
{
    return NX_PAGE;
}

uint64_t memory_arena_address(struct rng *r, bool page_aligned)
{
    uint64_t a = ARENA_BASE + rng_below(r, arena_end - ARENA_BASE);
    return page_aligned ? a & ~(PAGE - 1) : a;
}

/* Addresses no fuzzed call can map (kernel half, non-canonical, protected). */
static const uint64_t bad_code[] = {
    0xffffffff80100000ull, /* kernel text */
    0xffff800000100000ull, /* physmap */
    0xfffffffffffff000ull,
    0x0000800000000000ull, /* first non-canonical */
    0x8000000000000000ull,
    0xdead0000beef0000ull,
    UNMAPPED_BASE,
    UNMAPPED_BASE + 0x123,
    NX_PAGE,
    NX_PAGE + 0x10,
    STRUCT_BASE + STRUCT_PAGES * PAGE, /* the struct area's guard page */
};

uint64_t memory_bad_code_address(struct rng *r)
{
    return RNG_PICK(r, bad_code);
}

uint64_t memory_bad_pointer(struct rng *r)
{
    static const uint64_t bad[] = {
        0, 1, 0xfff, 0x1000, 0xfff8, /* below the lowest user address */
        USER_SPACE_END,              /* the never-mapped top user page */
        USER_SPACE_END + 0xff8,      /* 8 bytes below non-canonical */
        0x7fffffffffffull,
        0x0000800000000000ull,
        0x0000800000001000ull,
        0x8000000000000000ull,
        0xdead0000beef0000ull,
        0xffff800000000000ull, /* physmap */
        0xffff800000100000ull,
        0xffffffff80000000ull, /* kernel image */
        0xffffffff80100000ull,
        0xfffffffffffff000ull,
        0xffffffffffffffffull,
        0x00007f0000100000ull, /* where the kvm_pvm build's kernel lives */
        0x00007f8000000000ull,
        UNMAPPED_BASE,
        UNMAPPED_BASE + UNMAPPED_SIZE - 1,
        ARENA_BASE, /* the guard page before the arena */
        STRUCT_BASE + STRUCT_PAGES * PAGE, /* the struct area's guard page */
    };
    if (rng_one_in(r, 4)) { /* the guard page after some region */
        const struct region *g = &regions[rng_below(r, REGION_COUNT)];
        return g->start + g->pages * PAGE + rng_below(r, PAGE);
    }
    return RNG_PICK(r, bad);
}

static struct fuzz_ptr arena_pointer(struct rng *r)
{
    const struct region *g = &regions[rng_below(r, REGION_COUNT)];
    uint64_t len = g->pages * PAGE, off;
    switch (rng_below(r, 6)) {
    case 0: off = 0; break;
    case 1: off = len - 1 - rng_below(r, 16); break; /* a few bytes before the guard */
    case 2: off = len - 8 * (1 + rng_below(r, 64)); break;
    case 3: off = rng_below(r, g->pages) * PAGE; break;
    default: off = rng_below(r, len); break;
    }
    return (struct fuzz_ptr){g->start + off, len - off, PTR_ARENA};
}

static struct fuzz_ptr struct_pointer(struct rng *r, enum ptr_use use)
{
    static const size_t sizes[] = {1, 4, 8, 16, 24, 64, 128, 144, 256, 512, 4096};
    size_t n = RNG_PICK(r, sizes);
    unsigned char *p = rng_one_in(r, 4) ? structs_at_guard(n) : structs_alloc(n);
    if (p == 0)
        return (struct fuzz_ptr){0, 0, PTR_BAD};
    if (use == USE_READ)
        fill_random(r, p, n);
    return (struct fuzz_ptr){(uint64_t)p, n, PTR_STRUCT};
}

static struct fuzz_ptr image_pointer(struct rng *r, enum ptr_use use)
{
    if (use == USE_READ && rng_one_in(r, 2)) {
        uint64_t len = (uint64_t)(etext - __executable_start);
        uint64_t off = rng_below(r, len);
        return (struct fuzz_ptr){(uint64_t)__executable_start + off, len - off, PTR_TEXT};
    }
    /* Writes only ever aim at the sacrificial pages: if the kernel wrongly
     * wrote through, it must not be into code the fuzzer runs. */
    const unsigned char *start = rng_one_in(r, 2) ? sacrificial_text : sacrificial_rodata;
    uint64_t len = 2 * PAGE;
    uint64_t off = rng_one_in(r, 2) ? 0 : rng_below(r, len);
    return (struct fuzz_ptr){(uint64_t)start + off, len - off, PTR_SACRIFICE};
}

static struct fuzz_ptr vdso_pointer(struct rng *r)
{
    if (vdso_base == 0)
        return (struct fuzz_ptr){memory_bad_pointer(r), 0, PTR_BAD};
    /* The vvar page is the page below the vDSO (guest/kernel/README.md). */
    uint64_t base = rng_one_in(r, 3) ? vdso_base - PAGE : vdso_base;
    uint64_t off = rng_one_in(r, 2) ? 0 : rng_below(r, PAGE);
    return (struct fuzz_ptr){base + off, PAGE - off, PTR_VDSO};
}

uint64_t memory_register_value(struct rng *r)
{
    switch (rng_below(r, 4)) {
    case 0: return arena_pointer(r).addr;
    case 1: return vdso_base != 0 ? vdso_base + rng_below(r, PAGE) : memory_bad_pointer(r);
    case 2: return (uint64_t)__executable_start + rng_below(r, (uint64_t)(etext - __executable_start));
    default: return memory_bad_pointer(r);
    }
}

struct fuzz_ptr memory_pointer(struct rng *r, enum ptr_use use)
{
    if (cow_scribbling && use == USE_WRITE && rng_one_in(r, 6)) {
        uint64_t off = rng_below(r, COW_PAGES * PAGE);
        return (struct fuzz_ptr){COW_BASE + off, COW_PAGES * PAGE - off, PTR_STRUCT};
    }
    uint64_t pick = rng_below(r, 100);
    if (pick < 45)
        return arena_pointer(r);
    if (pick < 65)
        return struct_pointer(r, use);
    if (pick < 72)
        return image_pointer(r, use);
    if (pick < 77)
        return vdso_pointer(r);
    return (struct fuzz_ptr){memory_bad_pointer(r), 0, PTR_BAD};
}

/* --- the struct area ------------------------------------------------------- */

void structs_reset(void)
{
    struct_used = 0;
}

void *structs_alloc(size_t n)
{
    uint64_t at = (struct_used + 7) & ~7ull;
    /* The last page is kept for structs_at_guard. */
    if (at + n > (STRUCT_PAGES - 1) * PAGE)
        return 0;
    struct_used = at + n;
    void *p = (void *)(STRUCT_BASE + at);
    memset(p, 0, n);
    return p;
}

void *structs_at_guard(size_t n)
{
    if (n > PAGE)
        n = PAGE;
    void *p = (void *)(STRUCT_BASE + STRUCT_PAGES * PAGE - n);
    memset(p, 0, n);
    return p;
}

uint64_t structs_end(void)
{
    return STRUCT_BASE + STRUCT_PAGES * PAGE;
}

bool structs_contains(uint64_t addr)
{
    return addr >= STRUCT_BASE && addr < STRUCT_BASE + STRUCT_PAGES * PAGE;
}

/* --- protected ranges ------------------------------------------------------- */

static void protect(uint64_t start, uint64_t end)
{
    protected_ranges[protected_count++] = (struct range){start & ~(PAGE - 1), end};
}

void memory_protect_init(uint64_t progress_page)
{
    protected_count = 0;
    vdso_base = getauxval(AT_SYSINFO_EHDR);
    uint64_t brk_now = (uint64_t)raw1(12 /* brk */, 0);
    /* The image, the libc heap (TLS lives there in a static binary); not the
     * sacrificial pages, which nothing executes or reads as data. */
    protect((uint64_t)__executable_start, (uint64_t)sacrificial_text);
    protect((uint64_t)sacrificial_text_end, (uint64_t)sacrificial_rodata);
    protect((uint64_t)sacrificial_rodata_end, brk_now + (1ull << 20));
    protect(COW_BASE, COW_BASE + COW_PAGES * PAGE);
    protect(USER_SPACE_END - STACK_RESERVE, 0x800000000000ull);
    protect(STRUCT_BASE, STRUCT_BASE + (STRUCT_PAGES + 1) * PAGE);
    protect(NX_PAGE, NX_PAGE + PAGE);
    protect(UNMAPPED_BASE, UNMAPPED_BASE + UNMAPPED_SIZE);
    protect(progress_page, progress_page + PAGE);
}

bool memory_is_protected(uint64_t start, uint64_t len)
{
    uint64_t end = start + (len == 0 ? 1 : len);
    if (end < start)
        return true; /* wraps: covers everything */
    for (int i = 0; i < protected_count; i++) {
        if (start < protected_ranges[i].end && protected_ranges[i].start < end)
            return true;
    }
    return false;
}

/* --- what must never change --------------------------------------------------- */

static uint64_t checksum(const unsigned char *p, uint64_t n, uint64_t h)
{
    for (uint64_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

uint64_t memory_shared_image_checksum(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = checksum(sacrificial_text, (uint64_t)(sacrificial_text_end - sacrificial_text), h);
    h = checksum(sacrificial_rodata, (uint64_t)(sacrificial_rodata_end - sacrificial_rodata), h);
    if (vdso_base != 0)
        h = checksum((const unsigned char *)vdso_base, PAGE, h);
    return h;
}

/* --- the copy-on-write canary --------------------------------------------------- */

static uint64_t cow_word(uint64_t seed, uint64_t i)
{
    return rng_mix(seed ^ (i * 0x9e3779b97f4a7c15ull));
}

void memory_cow_fill(uint64_t seed)
{
    uint64_t *w = (uint64_t *)COW_BASE;
    for (uint64_t i = 0; i < COW_PAGES * PAGE / 8; i++)
        w[i] = cow_word(seed, i);
}

bool memory_cow_intact(uint64_t seed)
{
    const uint64_t *w = (const uint64_t *)COW_BASE;
    for (uint64_t i = 0; i < COW_PAGES * PAGE / 8; i++)
        if (w[i] != cow_word(seed, i))
            return false;
    return true;
}

void memory_cow_scribble(struct rng *r)
{
    cow_scribbling = true;
    /* One word of the first page by a user-mode write (a write fault); the
     * rest is left to the kernel's writes through fuzzed output buffers. */
    uint64_t *w = (uint64_t *)COW_BASE;
    w[rng_below(r, PAGE / 8)] = rng_next(r);
}

uint64_t memory_cow_address(struct rng *r)
{
    return COW_BASE + (rng_below(r, COW_PAGES * PAGE / 4) * 4);
}

uint64_t memory_mm_address(struct rng *r)
{
    switch (rng_below(r, 24)) {
    case 0: return vdso_base != 0 ? vdso_base : memory_bad_pointer(r);
    case 1: return vdso_base != 0 ? vdso_base - PAGE : memory_bad_pointer(r); /* vvar */
    case 2: return (uint64_t)sacrificial_text + rng_below(r, 2) * PAGE;
    case 3: return (uint64_t)sacrificial_rodata + rng_below(r, 2) * PAGE;
    case 4: case 5: case 6: return 0;
    case 7: case 8: return memory_bad_pointer(r);
    case 9: return rng_next(r) & 0x00007ffffffff000ull;
    case 10: return 0x40000000ull + rng_below(r, 1024) * 4096; /* MAP_32BIT's GiB */
    case 11: return memory_arena_address(r, false);
    default: return memory_arena_address(r, true);
    }
}
