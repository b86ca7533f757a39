#include "tests/fuzz/guest/signals.h"

#include <stdbool.h>
#include <string.h>

#include "tests/fuzz/guest/memory.h"
#include "tests/fuzz/guest/out.h"
#include "tests/fuzz/guest/raw.h"
#include "tests/fuzz/guest/stubs.h"

#define SIG_DFL 0
#define SIG_IGN 1
#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGSEGV 11

#define SA_NOCLDSTOP 0x1ull
#define SA_NOCLDWAIT 0x2ull
#define SA_SIGINFO 0x4ull
#define SA_RESTORER 0x04000000ull
#define SA_ONSTACK 0x08000000ull
#define SA_RESTART 0x10000000ull
#define SA_NODEFER 0x40000000ull
#define SA_RESETHAND 0x80000000ull

/* Linux x86-64 rt_sigframe: pretcode, ucontext (flags, link, stack,
 * sigcontext, sigmask), siginfo. Offsets within the ucontext. */
#define UC_FLAGS 0
#define UC_MCONTEXT 40
#define MC_RSP (UC_MCONTEXT + 120)
#define MC_RIP (UC_MCONTEXT + 128)
#define MC_EFLAGS (UC_MCONTEXT + 136)
#define MC_CS (UC_MCONTEXT + 144) /* u16 cs, gs, fs, ss */
#define MC_SS (UC_MCONTEXT + 150)
#define MC_FPSTATE (UC_MCONTEXT + 184)
#define UC_SIGMASK (UC_MCONTEXT + 256)
#define UCONTEXT_SIZE (UC_SIGMASK + 8)
#define FRAME_SIZE (8 + UCONTEXT_SIZE + 128)
#define FXSAVE_SIZE 512
#define FX_FCW 0
#define FX_MXCSR 24
#define FX_MXCSR_MASK 28

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_AC (1ull << 18)

volatile uint64_t signals_handled;
static uint64_t handler_seed;
/* A handler's tampered FPU image (the struct area may be in use). */
static unsigned char handler_fx[FXSAVE_SIZE] __attribute__((aligned(64)));

void signals_seed(uint64_t seed)
{
    handler_seed = seed;
    signals_handled = 0;
}

static uint64_t pick_selector(struct rng *r)
{
    static const uint16_t selectors[] = {0x33, 0x2b, 0x23, 0x10, 0x08, 0x18, 0x00,
                                         0x03, 0x1b, 0x43, 0xffff, 0x2b | 4};
    return rng_one_in(r, 4) ? (uint16_t)rng_next(r) : RNG_PICK(r, selectors);
}

static uint64_t pick_rflags(struct rng *r)
{
    switch (rng_below(r, 6)) {
    case 0: return 0x202;
    case 1: return 0x246;
    case 2: return rng_next(r);
    case 3: return 0x202 | RFLAGS_DF | RFLAGS_AC;
    case 4: return 0x202 | RFLAGS_TF;
    default: return (0x202 | (1ull << rng_below(r, 64))) & 0xffffffffull;
    }
}

/* Register values. Nothing here allocates: handlers call it, right after a
 * call whose buffers in the struct area checks.c still reads. */
static uint64_t pick_register(struct rng *r)
{
    switch (rng_below(r, 4)) {
    case 0: return rng_below(r, 4096);
    case 1: return memory_register_value(r);
    case 2: return 0;
    default: return rng_next(r);
    }
}

/* Where a resumed or redirected context goes: never arbitrary code. */
static uint64_t pick_rip(struct rng *r)
{
    uint64_t pick = rng_below(r, 20);
    if (pick < 15)
        return (uint64_t)fuzz_landing_resume;
    if (pick < 17)
        return (uint64_t)fuzz_landing_exit;
    return memory_bad_code_address(r);
}

static void fill_fx_image(struct rng *r, unsigned char *fx)
{
    for (unsigned i = 0; i < FXSAVE_SIZE; i += 8) {
        uint64_t v = rng_one_in(r, 2) ? 0 : rng_next(r);
        memcpy(fx + i, &v, 8);
    }
    if (rng_one_in(r, 2)) { /* plausible control words, odd MXCSR */
        uint16_t fcw = 0x37f;
        uint32_t mxcsr = rng_one_in(r, 2) ? 0x1f80 : (uint32_t)rng_next(r);
        uint32_t mask = rng_one_in(r, 2) ? 0xffff : (uint32_t)rng_next(r);
        memcpy(fx + FX_FCW, &fcw, sizeof fcw);
        memcpy(fx + FX_MXCSR, &mxcsr, sizeof mxcsr);
        memcpy(fx + FX_MXCSR_MASK, &mask, sizeof mask);
    }
}

static uint64_t pick_fpstate(struct rng *r, unsigned char *own_image)
{
    switch (rng_below(r, 6)) {
    case 0:
    case 1: return 0;
    case 2:
    case 3: fill_fx_image(r, own_image); return (uint64_t)own_image;
    case 4: return memory_bad_pointer(r);
    default: return memory_register_value(r);
    }
}

static void put64(unsigned char *uc, unsigned off, uint64_t v)
{
    memcpy(uc + off, &v, sizeof v);
}

static void put16(unsigned char *uc, unsigned off, uint64_t v)
{
    uint16_t w = (uint16_t)v;
    memcpy(uc + off, &w, sizeof w);
}

/* Rewrites a ucontext's registers; RIP always goes somewhere safe. */
static void tamper_context(struct rng *r, unsigned char *uc, unsigned char *fx)
{
    for (unsigned off = UC_MCONTEXT; off < MC_RSP; off += 8) /* r8..rcx */
        if (rng_one_in(r, 3))
            put64(uc, off, pick_register(r));
    put64(uc, MC_RSP, pick_register(r));
    put64(uc, MC_RIP, pick_rip(r));
    put64(uc, MC_EFLAGS, pick_rflags(r));
    if (rng_one_in(r, 2)) {
        put16(uc, MC_CS, pick_selector(r));
        put16(uc, MC_SS, pick_selector(r));
    }
    put64(uc, MC_FPSTATE, pick_fpstate(r, fx));
    if (rng_one_in(r, 2))
        put64(uc, UC_SIGMASK, rng_next(r));
    if (rng_one_in(r, 4))
        put64(uc, UC_FLAGS, rng_next(r));
}

/* Handlers run with whatever FS base a fuzzed call left: no TLS (no stack
 * protector, no errno, no libc beyond memcpy). */
__attribute__((no_stack_protector)) static void fuzz_handler(int sig, void *info, void *ucontext)
{
    signals_handled++;
    int32_t code;
    memcpy(&code, (char *)info + 8, sizeof code);
    bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
                 sig == SIGTRAP;
    if (fault && code > 0)
        raw_exit(128 + sig); /* returning would fault again, forever */
    struct rng r = rng_from(handler_seed, signals_handled);
    switch (rng_below(&r, 10)) {
    case 0:
    case 1:
        tamper_context(&r, ucontext, handler_fx);
        break;
    case 2:
        put64(ucontext, UC_SIGMASK, rng_next(&r));
        break;
    default:
        break; /* a plain return through the restorer */
    }
}

__attribute__((no_stack_protector)) static void wake_handler(int sig)
{
    (void)sig;
}

void signals_install_wake_handler(void)
{
    struct kernel_sigaction act = {(uint64_t)wake_handler, SA_RESTORER, (uint64_t)fuzz_restorer, 0};
    raw4(13 /* rt_sigaction */, WAKE_SIGNAL, (long)&act, 0, 8);
}

__attribute__((no_stack_protector)) static void exit_handler(int sig)
{
    raw_exit(sig);
}

uint64_t signals_pick_handler(struct rng *r)
{
    uint64_t pick = rng_below(r, 20);
    if (pick < 5)
        return SIG_DFL;
    if (pick < 9)
        return SIG_IGN;
    if (pick < 16)
        return (uint64_t)fuzz_handler;
    if (pick < 17)
        return (uint64_t)exit_handler;
    return memory_bad_code_address(r);
}

void signals_fill_action(struct rng *r, struct kernel_sigaction *act)
{
    static const uint64_t flag_bits[] = {SA_NOCLDSTOP, SA_NOCLDWAIT, SA_SIGINFO, SA_RESTORER,
                                         SA_ONSTACK,   SA_RESTART,   SA_NODEFER, SA_RESETHAND};
    act->handler = signals_pick_handler(r);
    act->flags = SA_RESTORER;
    for (unsigned i = 0; i < sizeof flag_bits / sizeof flag_bits[0]; i++)
        if (rng_one_in(r, 3))
            act->flags ^= flag_bits[i];
    if (rng_one_in(r, 16))
        act->flags = rng_next(r);
    uint64_t pick = rng_below(r, 20);
    act->restorer = pick < 15   ? (uint64_t)fuzz_restorer
                    : pick < 17 ? (uint64_t)fuzz_landing_exit
                    : pick < 19 ? memory_bad_code_address(r)
                                : 0;
    switch (rng_below(r, 4)) {
    case 0: act->mask = 0; break;
    case 1: act->mask = ~0ull; break;
    default: act->mask = rng_next(r); break;
    }
}

static uint64_t get64(const unsigned char *p, unsigned off)
{
    uint64_t v;
    memcpy(&v, p + off, sizeof v);
    return v;
}

static void describe_frame(int fd, uint64_t at, const unsigned char *uc)
{
    struct out o = {.len = 0};
    out_str(&o, "  frame at ");
    out_hex(&o, at);
    out_str(&o, ": rip ");
    out_hex(&o, get64(uc, MC_RIP));
    out_str(&o, " rsp ");
    out_hex(&o, get64(uc, MC_RSP));
    out_str(&o, " rflags ");
    out_hex(&o, get64(uc, MC_EFLAGS));
    out_str(&o, " cs/gs/fs/ss ");
    out_hex(&o, get64(uc, MC_CS));
    out_str(&o, " fpstate ");
    out_hex(&o, get64(uc, MC_FPSTATE));
    out_str(&o, " mask ");
    out_hex(&o, get64(uc, UC_SIGMASK));
    out_line(&o, fd);
}

void signals_crafted_sigreturn(struct rng *r, int log_fd)
{
    unsigned char frame[FRAME_SIZE];
    unsigned char *uc = frame + 8;
    /* Most frames are plausible (they resume); the rest, anything goes. */
    bool plausible = rng_below(r, 4) != 0;
    for (unsigned i = 0; i < FRAME_SIZE; i += 8)
        put64(frame, i, rng_one_in(r, 2) ? 0 : rng_next(r));
    put64(uc, UC_FLAGS, rng_one_in(r, 2) ? 2 /* UC_SIGCONTEXT_SS */ : rng_next(r));
    for (unsigned off = UC_MCONTEXT; off < MC_RSP; off += 8)
        put64(uc, off, pick_register(r));
    put64(uc, MC_RSP, pick_register(r));
    put64(uc, MC_RIP, plausible ? (uint64_t)fuzz_landing_resume : pick_rip(r));
    put64(uc, MC_EFLAGS, plausible ? 0x202 | (rng_next(r) & 0x40cd5) : pick_rflags(r));
    put16(uc, MC_CS, rng_one_in(r, 2) ? 0x33 : pick_selector(r));
    put16(uc, MC_CS + 2, pick_selector(r));
    put16(uc, MC_CS + 4, pick_selector(r));
    put16(uc, MC_SS, rng_one_in(r, 2) ? 0x2b : pick_selector(r));
    unsigned char *fx = structs_alloc(FXSAVE_SIZE + 64);
    if (fx != 0)
        fx = (unsigned char *)(((uint64_t)fx + 63) & ~63ull);
    uint64_t fpstate = fx != 0 ? pick_fpstate(r, fx) : 0;
    if (plausible && fpstate != (uint64_t)fx)
        fpstate = 0;
    put64(uc, MC_FPSTATE, fpstate);
    put64(uc, UC_SIGMASK, rng_one_in(r, 3) ? 0 : rng_next(r));

    uint64_t at;
    uint64_t pick = plausible ? 0 : rng_below(r, 20);
    if (pick < 16) {
        unsigned char *p = structs_alloc(FRAME_SIZE + 16);
        at = p != 0 ? (uint64_t)p : memory_bad_pointer(r);
    } else if (pick < 18) {
        /* Straddles the guard page: only a prefix is readable. */
        size_t readable = 1 + rng_below(r, FRAME_SIZE - 1);
        at = (uint64_t)structs_at_guard(readable);
        memcpy((void *)at, frame, readable);
        if (log_fd >= 0)
            describe_frame(log_fd, at, uc);
        fuzz_sigreturn(at);
        return;
    } else if (pick < 19) {
        at = memory_bad_pointer(r);
    } else {
        extern const unsigned char sacrificial_text[];
        if (log_fd >= 0)
            describe_frame(log_fd, (uint64_t)sacrificial_text, sacrificial_text + 8);
        fuzz_sigreturn((uint64_t)sacrificial_text); /* reads 0xcc: RIP non-canonical */
        return;
    }
    if (structs_contains(at))
        memcpy((void *)at, frame, FRAME_SIZE);
    if (log_fd >= 0)
        describe_frame(log_fd, at, uc);
    fuzz_sigreturn(at);
}
