#ifndef KERNEL_HYPERCALL_H
#define KERNEL_HYPERCALL_H

#include <minivm/hypercall.h>
#include <stdint.h>

/*
 * One hypercall: `out` the physical address of `block` (which starts with a
 * struct minivm_hc_header and lives in the kernel image, hence below 4 GiB) to
 * `port`, then return the result the host wrote back (>= 0 or -errno).
 */
int64_t hypercall(uint16_t port, struct minivm_hc_header *block);

/* Has `fn` run before every hypercall to a device other than the one at
 * `own_port`: the console's output ring is written out that way, so what the
 * program wrote before reaches the host before a file write, an exit or a
 * fault report. One such hook. */
void hypercall_before_other_devices(uint16_t own_port, void (*fn)(void));

#endif
