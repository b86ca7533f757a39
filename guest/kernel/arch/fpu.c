#include "arch/fpu.h"

#include "lib/string.h"

#define FCW_DEFAULT 0x37f
#define MXCSR_DEFAULT 0x1f80
/* MXCSR bits every CPU with SSE2 accepts (DAZ, bit 6, may be missing). */
#define MXCSR_VALID_MASK 0xffbfu

void fpu_save(struct fpu_state *s)
{
    __asm__ volatile("fxsave64 %0" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
    __asm__ volatile("fxrstor64 %0" : : "m"(*s));
}

void fpu_init_state(struct fpu_state *s)
{
    memset(s, 0, sizeof *s);
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(s->bytes, &fcw, sizeof fcw);
    memcpy(s->bytes + FPU_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}

void fpu_sanitize(struct fpu_state *s)
{
    uint32_t mxcsr;
    memcpy(&mxcsr, s->bytes + FPU_MXCSR_OFFSET, sizeof mxcsr);
    mxcsr &= MXCSR_VALID_MASK;
    memcpy(s->bytes + FPU_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}
