/* The one vvar page (kernel/vvar.h) and its sequence-counted updates. */
#include "kernel/vvar.h"

#include "mm/addr.h"

_Static_assert(sizeof(struct vvar_page) == PAGE_SIZE, "the vvar page is one page");

/* Page-aligned so that exactly this page, and nothing else of the kernel's,
 * is mapped into processes. */
static struct vvar_page vvar __attribute__((aligned(4096), section(".bss.page_aligned")));

#define compiler_barrier() __asm__ volatile("" ::: "memory")

const struct vvar_clock *vvar_clock(void)
{
    return &vvar.clock;
}

void vvar_clock_publish(const struct vvar_clock *next)
{
    /* x86 keeps stores in order; only the compiler must not move them. A
     * reader interrupted by an update sees the counter change and retries. */
    volatile struct vvar_clock *c = &vvar.clock;
    uint32_t seq = c->seq;
    c->seq = seq + 1;
    compiler_barrier();
    c->shift = next->shift;
    c->mult = next->mult;
    c->tsc_base = next->tsc_base;
    c->valid_ns = next->valid_ns;
    c->monotonic_ns = next->monotonic_ns;
    c->monotonic_floor = next->monotonic_floor;
    c->realtime_ns = next->realtime_ns;
    compiler_barrier();
    c->seq = seq + 2;
}

uint64_t vvar_page_phys(void)
{
    return virt_to_phys(&vvar);
}
