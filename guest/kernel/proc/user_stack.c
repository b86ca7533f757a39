#include "proc/user_stack.h"

#include "arch/cpu.h"
#include "kernel/panic.h"
#include "kernel/random.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/elf.h"
#include "proc/elf_loader.h"
#include "proc/process.h"
#include "proc/vdso.h"

/* Like Linux: argument and environment strings may use a quarter of the stack. */
#define MAX_STRINGS_BYTES (USER_STACK_SIZE / 4)
#define AUXV_PAIRS 19

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

static uint64_t push_bytes(struct stack_writer *w, const void *data, uint64_t len)
{
    w->sp -= len;
    const char *src = data;
    for (uint64_t va = w->sp; len > 0;) {
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
    return w->sp;
}

/* Words are pushed 8-byte aligned, so one never straddles two pages. */
static void push_word(struct stack_writer *w, uint64_t v)
{
    KASSERT((w->sp & 7) == 0);
    w->sp -= sizeof v;
    uint64_t *dst = (uint64_t *)stack_at(w, w->sp);
    if (dst != 0)
        *dst = v;
}

int user_stack_build(struct mm *mm, const struct elf_image_info *info,
                     const struct exec_strings *strings, uint64_t *sp)
{
    int64_t used = strings_used_bytes(strings);
    if (used < 0)
        return (int)used;
    if ((uint64_t)used > MAX_STRINGS_BYTES)
        return -E2BIG;
    uint32_t prot = PROT_READ | PROT_WRITE | (info->exec_stack ? PROT_EXEC : 0);
    int err = mm_map(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP, prot, VMA_STACK, 0, 0);
    if (err != 0)
        return err;
    uint64_t vdso;
    err = vdso_map(mm, &vdso);
    if (err != 0)
        return err;

    struct stack_writer w = {.mm = mm, .sp = USER_STACK_TOP};
    push_word(&w, 0); /* an end marker above everything, as Linux has */
    /* AT_EXECFN: argv[0] as given (empty if there is no argv[0]). */
    const char *argv0 = strings->argc > 0 ? strings->base : "";
    uint64_t execfn = push_bytes(&w, argv0, strlen(argv0) + 1);
    uint64_t strings_at = push_bytes(&w, strings->base, (uint64_t)used);
    uint64_t platform = push_bytes(&w, platform_name, sizeof platform_name);
    uint8_t random[16];
    random_bytes(random, sizeof random);
    uint64_t at_random = push_bytes(&w, random, sizeof random);
    w.sp &= ~15ull;

    uint64_t nptrs = (uint64_t)strings->argc + 1 + strings->envc + 1;
    uint64_t words = 1 + nptrs + 2 * AUXV_PAIRS;
    if (words & 1)
        push_word(&w, 0); /* keeps the final RSP 16-byte aligned */

    uint64_t hwcap = cpuid(1, 0).edx;
    const uint64_t auxv[AUXV_PAIRS][2] = {
        {AT_PHDR, info->phdr_addr},
        {AT_PHENT, info->phent},
        {AT_PHNUM, info->phnum},
        {AT_PAGESZ, PAGE_SIZE},
        {AT_BASE, 0}, /* no interpreter */
        {AT_FLAGS, 0},
        {AT_ENTRY, info->entry},
        {AT_UID, PROCESS_UID},
        {AT_EUID, PROCESS_UID},
        {AT_GID, PROCESS_GID},
        {AT_EGID, PROCESS_GID},
        {AT_SECURE, 0},
        {AT_HWCAP, hwcap},
        {AT_CLKTCK, 100},
        {AT_PLATFORM, platform},
        {AT_RANDOM, at_random},
        {AT_EXECFN, execfn},
        {AT_SYSINFO_EHDR, vdso},
        {AT_NULL, 0},
    };
    for (int i = AUXV_PAIRS - 1; i >= 0; i--) {
        push_word(&w, auxv[i][1]);
        push_word(&w, auxv[i][0]);
    }

    /* envp then argv pointers, pushed from the last string backwards (the
     * strings are back to back, so each one starts after the previous NUL). */
    push_word(&w, 0); /* envp terminator */
    uint64_t end = (uint64_t)used;
    for (uint64_t i = (uint64_t)strings->argc + strings->envc; i > 0; i--) {
        if (i == strings->argc)
            push_word(&w, 0); /* argv terminator, between envp[0] and argv[argc - 1] */
        uint64_t start = end - 1;
        while (start > 0 && strings->base[start - 1] != 0)
            start--;
        push_word(&w, strings_at + start);
        end = start;
    }
    if (strings->argc == 0)
        push_word(&w, 0);
    push_word(&w, strings->argc);

    if (w.err != 0)
        return w.err;
    *sp = w.sp;
    return 0;
}
