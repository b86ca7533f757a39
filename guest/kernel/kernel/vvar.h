/*
 * The vvar page: clock data the kernel publishes and every process can read
 * (mapped read-only just below the vDSO, guest/kernel/vdso/). Both the
 * kernel's clock (kernel/clock.c) and the vDSO compute time from it with the
 * functions below, so the system call and the vDSO always give the same
 * answer for the same TSC reading.
 *
 * This header is shared with the vDSO, which runs in user mode: only
 * <stdint.h>/<stdbool.h> and inline code, nothing of the kernel's.
 */
#ifndef KERNEL_VVAR_H
#define KERNEL_VVAR_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Time is extrapolated from an anchor with the TSC:
 *   elapsed   = ((tsc - tsc_base) * mult) >> shift            (nanoseconds)
 *   realtime  = realtime_ns + elapsed
 *   monotonic = max(monotonic_floor, monotonic_ns + elapsed)
 * The floor is the monotonic time the previous anchor gave at the moment it
 * was replaced, so a new anchor that is behind never makes MONOTONIC go back
 * (it stands still until the device's time catches up instead).
 *
 * An anchor is good for valid_ns nanoseconds; after that the vDSO asks the
 * kernel (a real system call), which re-anchors to the clock device first. A
 * valid_ns of 0 (the page before clock_init) sends every call to the kernel.
 */
struct vvar_clock {
    uint32_t seq; /* odd while the kernel rewrites the fields below */
    uint32_t shift;
    uint64_t mult;
    uint64_t tsc_base;
    uint64_t valid_ns;
    uint64_t monotonic_ns;
    uint64_t monotonic_floor;
    uint64_t realtime_ns;
};

/* The page itself; the vDSO finds it at a fixed offset (vdso/vdso.lds). */
struct vvar_page {
    struct vvar_clock clock;
    uint8_t unused[4096 - sizeof(struct vvar_clock)];
};

/* Cycles since the anchor; 0 for a TSC reading taken before it. */
static inline uint64_t vvar_cycles(const struct vvar_clock *c, uint64_t tsc)
{
    return (int64_t)(tsc - c->tsc_base) < 0 ? 0 : tsc - c->tsc_base;
}

static inline uint64_t vvar_elapsed_ns(const struct vvar_clock *c, uint64_t tsc)
{
    return (uint64_t)(((unsigned __int128)vvar_cycles(c, tsc) * c->mult) >> c->shift);
}

/* True while `tsc` is close enough to the anchor to extrapolate from it. */
static inline bool vvar_fresh(const struct vvar_clock *c, uint64_t tsc)
{
    return vvar_elapsed_ns(c, tsc) < c->valid_ns;
}

static inline uint64_t vvar_realtime_ns(const struct vvar_clock *c, uint64_t tsc)
{
    return c->realtime_ns + vvar_elapsed_ns(c, tsc);
}

static inline uint64_t vvar_monotonic_ns(const struct vvar_clock *c, uint64_t tsc)
{
    uint64_t now = c->monotonic_ns + vvar_elapsed_ns(c, tsc);
    return now < c->monotonic_floor ? c->monotonic_floor : now;
}

/* --- kernel side (kernel/vvar.c) ------------------------------------------- */

/* The clock data as last published. The kernel reads it without the sequence
 * counter: it is the only writer and never races with itself. */
const struct vvar_clock *vvar_clock(void);
/* Replaces the clock data; a vDSO reader sees either all old or all new. */
void vvar_clock_publish(const struct vvar_clock *next);
/* Physical address of the page, for mapping it into processes. */
uint64_t vvar_page_phys(void);

#endif
