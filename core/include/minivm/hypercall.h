/*
 * Conventions every hypercall ABI shares (design.md §3). Included by plugins and
 * by the freestanding guest kernel.
 *
 * The guest issues ONE 32-bit `out` to a port of the device; the value is the
 * guest-physical address of an argument block that lies wholly in guest RAM
 * (below 4 GiB, since the value is 32 bits). The block starts with
 * struct minivm_hc_header. The handler copies the block into host memory once,
 * validates every field, acts, and writes `result` back: >= 0 on success, or a
 * negated Linux errno (the guest sees the Linux x86-64 errno values).
 * A malformed block (unknown op, bad segment count, ...) is answered with
 * -EINVAL. An `out` of the wrong size, an `in`, or a block that is not wholly
 * in guest RAM (there is nowhere to write a result) fails closed: the VM ends
 * with status 125.
 */
#ifndef MINIVM_HYPERCALL_H
#define MINIVM_HYPERCALL_H

#include <stdint.h>

struct minivm_hc_header {
    uint32_t op;     /* operation number from the device's ABI header */
    uint32_t pad;
    int64_t result;  /* written by the host */
};

/* One physically contiguous piece of a guest buffer (zero-copy bulk data). */
struct minivm_sg {
    uint64_t gpa;
    uint64_t len;
};

/* Most segments one block may carry; the guest splits longer transfers. */
#define MINIVM_SG_MAX 32u

/* Largest byte count one hypercall moves (keeps each exit bounded in time). */
#define MINIVM_HC_MAX_TRANSFER (16ull << 20)

#endif /* MINIVM_HYPERCALL_H */
