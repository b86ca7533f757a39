#include "proc/crash_backtrace.h"

#include "mm/mm.h"
#include "mm/uaccess.h"

/* How far above the stack pointer the scan looks (bounded work). */
#define SCAN_BYTES (16u * 1024u)
/* Stack words read at a time. */
#define SCAN_CHUNK_WORDS 64u
/* The longest call instruction whose end a return address is (call *disp32(%rip)). */
#define CALL_MAX_LEN 7u

/* The executable mappings, listed once per report: the scan asks about
 * thousands of words, and an address space may hold 65530 VMAs. Beyond
 * this many, the rest count as not executable (fewer guesses, no more). */
#define MAX_EXEC_RANGES 64

static struct {
    int count;
    uint64_t start[MAX_EXEC_RANGES], end[MAX_EXEC_RANGES];
} exec_ranges;

static void list_executable_ranges(struct mm *mm)
{
    exec_ranges.count = 0;
    for (const struct vma *v = mm->vmas; v != 0 && exec_ranges.count < MAX_EXEC_RANGES;
         v = v->next) {
        if (!(v->prot & PROT_EXEC))
            continue;
        int last = exec_ranges.count - 1;
        if (last >= 0 && exec_ranges.end[last] == v->start) {
            exec_ranges.end[last] = v->end; /* adjacent: one range */
            continue;
        }
        exec_ranges.start[exec_ranges.count] = v->start;
        exec_ranges.end[exec_ranges.count] = v->end;
        exec_ranges.count++;
    }
}

static bool executable(uint64_t va)
{
    for (int i = 0; i < exec_ranges.count; i++) {
        if (va >= exec_ranges.start[i] && va < exec_ranges.end[i])
            return true;
    }
    return false;
}

/*
 * True when `ret` could be where a call returns to: in an executable
 * mapping, right after a near call (E8 rel32, or FF /2 with any of its
 * addressing forms, 2 to 7 bytes long).
 */
static bool return_address(struct mm *mm, uint64_t ret)
{
    if (ret < USER_SPACE_START + CALL_MAX_LEN || !user_address_valid(ret) ||
        !executable(ret - 1) || !executable(ret - CALL_MAX_LEN))
        return false;
    unsigned char code[CALL_MAX_LEN];
    if (mm_copy_from(mm, code, ret - CALL_MAX_LEN, CALL_MAX_LEN) != 0)
        return false;
    if (code[CALL_MAX_LEN - 5] == 0xe8)
        return true;
    /* FF /2: the ModRM byte after FF has reg = 2. Lengths 2 (register), 3
     * (register-indirect with SIB or disp8), 4 (SIB + disp8), 6 (disp32 or
     * RIP-relative), 7 (SIB + disp32). */
    static const unsigned lengths[] = {2, 3, 4, 6, 7};
    for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        unsigned at = CALL_MAX_LEN - lengths[i];
        if (code[at] == 0xff && ((code[at + 1] >> 3) & 7) == 2)
            return true;
    }
    return false;
}

struct chain {
    int count;
    uint64_t slot[CRASH_MAX_FRAMES]; /* where each return address is on the stack */
    uint64_t ret[CRASH_MAX_FRAMES];
};

/* Follows saved-RBP links from `rbp` while they stay in [lo, hi), aligned
 * and increasing, each with a plausible return address. */
static void walk_frame_pointers(struct mm *mm, uint64_t rbp, uint64_t lo, uint64_t hi,
                                struct chain *c)
{
    uint64_t fp = rbp;
    c->count = 0;
    while (c->count < CRASH_MAX_FRAMES && fp >= lo && (fp & 7) == 0 && fp <= hi - 16 &&
           hi >= 16) {
        uint64_t pair[2]; /* saved rbp, return address */
        if (mm_copy_from(mm, pair, fp, sizeof pair) != 0 || !return_address(mm, pair[1]))
            break;
        c->slot[c->count] = fp + 8;
        c->ret[c->count] = pair[1];
        c->count++;
        if (pair[0] <= fp)
            break;
        fp = pair[0];
    }
}

int crash_backtrace(struct mm *mm, uint64_t rip, uint64_t rsp, uint64_t rbp,
                    struct crash_frame *frames)
{
    int n = 0;
    frames[n++] = (struct crash_frame){.addr = rip, .guess = false};
    list_executable_ranges(mm);
    const struct vma *stack = (rsp & 7) == 0 ? mm_find_vma(mm, rsp) : 0;
    if (stack == 0 || !(stack->prot & PROT_READ))
        return n;
    uint64_t hi = stack->end - rsp > SCAN_BYTES ? rsp + SCAN_BYTES : stack->end;
    struct chain chain;
    walk_frame_pointers(mm, rbp, rsp, stack->end, &chain);

    /* The scan covers what the chain does not explain: the words below its
     * first frame (functions without a frame pointer, a leaf's return
     * address) and those above its last one. Words between chained frames
     * are left alone: stale return addresses of finished calls live there. */
    int next = 0; /* the next chained frame */
    uint64_t words[SCAN_CHUNK_WORDS];
    for (uint64_t at = rsp; n < CRASH_MAX_FRAMES && (at < hi || next < chain.count);) {
        if (next < chain.count && at == chain.slot[next]) {
            frames[n++] = (struct crash_frame){.addr = chain.ret[next], .guess = false};
            next++;
            at += 8;
            continue;
        }
        if (next < chain.count && (next > 0 || at >= hi)) {
            at = chain.slot[next]; /* inside the chain: go on to its next frame */
            continue;
        }
        if (at >= hi)
            break;
        uint64_t count = (hi - at) / 8 < SCAN_CHUNK_WORDS ? (hi - at) / 8 : SCAN_CHUNK_WORDS;
        if (next < chain.count && (chain.slot[next] - at) / 8 < count)
            count = (chain.slot[next] - at) / 8;
        if (count == 0 || mm_copy_from(mm, words, at, count * 8) != 0)
            break;
        for (uint64_t i = 0; i < count && n < CRASH_MAX_FRAMES; i++) {
            if (return_address(mm, words[i]))
                frames[n++] = (struct crash_frame){.addr = words[i], .guess = true};
        }
        at += count * 8;
    }
    return n;
}
