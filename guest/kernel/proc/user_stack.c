#include "proc/user_stack.h"

#include "arch/cpu_setup.h"
#include "kernel/clock.h"
#include "kernel/panic.h"
#include "kernel/random.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/elf.h"
#include "proc/elf_loader.h"
#include "proc/program_load.h"
#include "proc/process.h"
#include "proc/vdso.h"

/* Like Linux: argument and environment strings may use a quarter of the stack. */
#define MAX_STRINGS_BYTES (USER_STACK_SIZE / 4)
#define AUXV_PAIRS 21

static const char platform_name[] = "x86_64";

/* Counts the strings; -EFAULT if fewer than argc + envc fit in `size`. */
static int64_t strings_used_bytes(const struct exec_strings *s)
{
    uint64_t off = 0;
    for (uint64_t i = 0; i < (uint64_t)s->argc + s->envc; i++) {
        uint64_t len = strnlen(s->base + off, s->size - off);
        if (off + len >= s->size)
            return -EFAULT; /* not NUL-terminated within the block */
        off += len + 1;
    }
    return (int64_t)off;
}

/*
 * Writes the start-up stack downwards from USER_STACK_TOP. The user page
 * being written is translated once and then filled through the physmap: a
 * translation per word (~200 emulated instructions under PVM) was most of
 * the cost of starting a program.
 */
struct stack_writer {
    struct mm *mm;
    uint64_t sp;
    int err;
    uint64_t page_va; /* the user page `page` maps; 0 before the first */
    char *page;
};

/* The kernel address of user stack byte `va`, or NULL after an error. */
static char *stack_at(struct stack_writer *w, uint64_t va)
{
    if (w->err != 0)
        return 0;
    if (page_floor(va) != w->page_va) {
        uint64_t pa;
        int err = mm_translate(w->mm, va, ACCESS_WRITE, false, &pa);
        if (err != 0) {
            w->err = err;
            return 0;
        }
        w->page_va = page_floor(va);
        w->page = phys_to_virt(page_floor(pa));
    }
    return w->page + (va - w->page_va);
}

/* Copies `len` bytes to user stack address `va`, a page at a time. */
static void write_bytes(struct stack_writer *w, uint64_t va, const void *data, uint64_t len)
{
    const char *src = data;
    while (len > 0) {
        uint64_t n = PAGE_SIZE - (va & ~PAGE_MASK);
        if (n > len)
            n = len;
        char *dst = stack_at(w, va);
        if (dst == 0)
            break;
        memcpy(dst, src, n);
        src += n;
        va += n;
        len -= n;
    }
}

static uint64_t push_bytes(struct stack_writer *w, const void *data, uint64_t len)
{
    w->sp -= len;
    write_bytes(w, w->sp, data, len);
    return w->sp;
}

/* Writes words upwards from `va`, a page translated at a time. */
struct word_cursor {
    struct stack_writer *w;
    uint64_t va;       /* user address of the next word */
    uint64_t *p, *end; /* its kernel address; the end of that page */
};

/* Moves the cursor's kernel pointer to the page of c->va; false on error. */
__attribute__((noinline)) static bool cursor_map(struct word_cursor *c)
{
    c->p = (uint64_t *)stack_at(c->w, c->va);
    c->end = c->p != 0 ? c->p + (PAGE_SIZE - (c->va & ~PAGE_MASK)) / sizeof *c->p : 0;
    return c->p != 0; /* else w->err says why */
}

static inline void put_word(struct word_cursor *c, uint64_t v)
{
    if (c->p == c->end && !cursor_map(c))
        return;
    *c->p++ = v;
    c->va += sizeof v;
}

/* What sysconf(_SC_MINSIGSTKSZ) builds on: room for the rt_sigframe with
 * its FXSAVE image and the handler's first frames. */
#define MIN_SIGNAL_STACK 2048

int user_stack_build(struct mm *mm, const struct loaded_program *loaded,
                     const struct exec_strings *strings, uint64_t *sp,
                     struct exec_layout *layout)
{
    const struct elf_image_info *info = &loaded->program;
    int64_t used = strings_used_bytes(strings);
    if (used < 0)
        return (int)used;
    if ((uint64_t)used > MAX_STRINGS_BYTES)
        return -E2BIG;
    uint32_t prot = PROT_READ | PROT_WRITE | (info->exec_stack ? PROT_EXEC : 0);
    int err = mm_map(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP, prot, VMA_STACK, 0, 0, 0);
    if (err != 0)
        return err;
    uint64_t vdso;
    err = vdso_map(mm, &vdso);
    if (err != 0)
        return err;

    struct stack_writer w = {.mm = mm, .sp = USER_STACK_TOP};
    static const uint64_t end_marker = 0; /* above everything, as Linux has */
    push_bytes(&w, &end_marker, sizeof end_marker);
    /* AT_EXECFN: argv[0] as given (empty if there is no argv[0]). */
    const char *argv0 = strings->argc > 0 ? strings->base : "";
    uint64_t execfn = push_bytes(&w, argv0, strlen(argv0) + 1);
    uint64_t strings_at = push_bytes(&w, strings->base, (uint64_t)used);
    uint64_t platform = push_bytes(&w, platform_name, sizeof platform_name);
    uint8_t random[16];
    random_bytes(random, sizeof random);
    uint64_t at_random = push_bytes(&w, random, sizeof random);
    w.sp &= ~15ull;

    /* argc, argv, envp and auxv, written upwards from the final RSP. */
    uint64_t nptrs = (uint64_t)strings->argc + 1 + strings->envc + 1;
    uint64_t words = 1 + nptrs + 2 * AUXV_PAIRS;
    bool pad = (words & 1) != 0; /* a zero word on top keeps the final RSP 16-byte aligned */
    w.sp -= (words + pad) * sizeof(uint64_t);
    struct word_cursor c = {.w = &w, .va = w.sp};
    put_word(&c, strings->argc);
    /* The strings are back to back: each one starts after the previous NUL
     * (all are terminated within the block: strings_used_bytes checked). */
    uint64_t off = 0;
    for (uint64_t i = 0; i < (uint64_t)strings->argc + strings->envc; i++) {
        if (i == strings->argc)
            put_word(&c, 0); /* argv terminator */
        put_word(&c, strings_at + off);
        off += strnlen(strings->base + off, (uint64_t)used - off) + 1;
    }
    if (strings->envc == 0)
        put_word(&c, 0); /* argv terminator (envc > 0 wrote it in the loop) */
    put_word(&c, 0);     /* envp terminator */

    /* The auxiliary vector (and the pad word) built here and copied at once. */
    const uint64_t auxv[2 * AUXV_PAIRS + 1] = {
        AT_PHDR, info->phdr_addr,   AT_PHENT, info->phent,
        AT_PHNUM, info->phnum,      AT_PAGESZ, PAGE_SIZE,
        AT_BASE, loaded->interp_base, AT_FLAGS, 0,
        AT_ENTRY, info->entry,      AT_UID, PROCESS_UID,
        AT_EUID, PROCESS_UID,       AT_GID, PROCESS_GID,
        AT_EGID, PROCESS_GID,       AT_SECURE, 0,
        AT_HWCAP, cpu_hwcap(),      AT_HWCAP2, 0,
        AT_MINSIGSTKSZ, MIN_SIGNAL_STACK, AT_CLKTCK, USER_HZ,
        AT_PLATFORM, platform,      AT_RANDOM, at_random,
        AT_EXECFN, execfn,          AT_SYSINFO_EHDR, vdso,
        AT_NULL, 0,
        0, /* the pad word, when there is one */
    };
    uint64_t auxv_at = c.va;
    if (w.err == 0)
        write_bytes(&w, auxv_at, auxv, (2 * AUXV_PAIRS + pad) * sizeof(uint64_t));
    KASSERT(w.err != 0 || auxv_at + (2 * AUXV_PAIRS + pad) * sizeof(uint64_t) ==
                              w.sp + (words + pad) * sizeof(uint64_t));

    if (w.err != 0)
        return w.err;
    *sp = w.sp;
    /* The argv strings are the first `argc` of the block, envp's the rest. */
    uint64_t argv_bytes = 0;
    for (uint64_t i = 0; i < strings->argc; i++)
        argv_bytes += strnlen(strings->base + argv_bytes, (uint64_t)used - argv_bytes) + 1;
    *layout = (struct exec_layout){.arg_start = strings_at,
                                   .arg_end = strings_at + argv_bytes,
                                   .env_start = strings_at + argv_bytes,
                                   .env_end = strings_at + (uint64_t)used,
                                   .auxv_start = auxv_at,
                                   .auxv_end = auxv_at + 2 * AUXV_PAIRS * sizeof(uint64_t)};
    return 0;
}
