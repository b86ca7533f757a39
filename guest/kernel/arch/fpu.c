#include "arch/fpu.h"

#include "lib/string.h"

#define FCW_DEFAULT 0x37f
#define MXCSR_DEFAULT 0x1f80
/* MXCSR bits every CPU with SSE2 accepts (DAZ, bit 6, may be missing). */
#define MXCSR_VALID_MASK 0xffbfu
#define XFEATURE_X87_SSE 3ull

static uint64_t xsave_features; /* 0: FXSAVE */
static uint32_t state_size = FPU_LEGACY_SIZE;

void fpu_configure(uint64_t xcr0, uint32_t size)
{
    if (xcr0 == 0 || size < FPU_XSAVE_HEADER_OFFSET + FPU_XSAVE_HEADER_SIZE ||
        size > FPU_STATE_MAX) {
        xsave_features = 0;
        state_size = FPU_LEGACY_SIZE;
        return;
    }
    xsave_features = xcr0;
    state_size = size;
}

uint32_t fpu_state_size(void)
{
    return state_size;
}

uint64_t fpu_xsave_features(void)
{
    return xsave_features;
}

void fpu_save(struct fpu_state *s)
{
    if (xsave_features != 0)
        __asm__ volatile("xsave64 %0"
                         : "=m"(*s)
                         : "a"((uint32_t)xsave_features), "d"((uint32_t)(xsave_features >> 32))
                         : "memory");
    else
        __asm__ volatile("fxsave64 %0" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
    if (xsave_features != 0)
        __asm__ volatile("xrstor64 %0"
                         :
                         : "m"(*s), "a"((uint32_t)xsave_features),
                           "d"((uint32_t)(xsave_features >> 32))
                         : "memory");
    else
        __asm__ volatile("fxrstor64 %0" : : "m"(*s));
}

void fpu_init_state(struct fpu_state *s)
{
    memset(s, 0, sizeof *s);
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(s->bytes, &fcw, sizeof fcw);
    memcpy(s->bytes + FPU_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
    /* XSTATE_BV: x87 and SSE from the image above; AVX initialized (0). */
    uint64_t bv = xsave_features & XFEATURE_X87_SSE;
    memcpy(s->bytes + FPU_XSAVE_HEADER_OFFSET, &bv, sizeof bv);
}

void fpu_sanitize(struct fpu_state *s, bool full)
{
    uint32_t mxcsr;
    memcpy(&mxcsr, s->bytes + FPU_MXCSR_OFFSET, sizeof mxcsr);
    mxcsr &= MXCSR_VALID_MASK;
    memcpy(s->bytes + FPU_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
    if (xsave_features == 0)
        return;
    /* XRSTOR faults on a compacted header, reserved header bits or
     * components XCR0 lacks: keep only what is ours to load. */
    uint64_t bv = XFEATURE_X87_SSE;
    if (full) {
        memcpy(&bv, s->bytes + FPU_XSAVE_HEADER_OFFSET, sizeof bv);
        bv &= xsave_features;
    } else {
        memset(s->bytes + FPU_XSAVE_HEADER_OFFSET, 0, state_size - FPU_XSAVE_HEADER_OFFSET);
    }
    memset(s->bytes + FPU_XSAVE_HEADER_OFFSET, 0, FPU_XSAVE_HEADER_SIZE);
    memcpy(s->bytes + FPU_XSAVE_HEADER_OFFSET, &bv, sizeof bv);
}
