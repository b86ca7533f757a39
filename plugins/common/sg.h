/*
 * Scatter-gather segments (struct minivm_sg) to host iovecs, so bulk data moves
 * between host files and guest RAM with no intermediate copy (design.md §3).
 */
#ifndef MINIVM_PLUGINS_COMMON_SG_H
#define MINIVM_PLUGINS_COMMON_SG_H

#include "common/hc_port.h"

#include <minivm/hypercall.h>

#include <stdint.h>
#include <sys/uio.h>

/*
 * Validates `nseg` segments from a host copy of an argument block and fills
 * `iov` (room for MINIVM_SG_MAX entries) with host pointers from the checked
 * guest_ptr translation. Rules: 1 <= nseg <= MINIVM_SG_MAX, every segment
 * wholly in guest RAM, total length <= MINIVM_HC_MAX_TRANSFER.
 * Returns the total length, -EINVAL for a bad count or total, -EFAULT for a
 * segment outside RAM.
 */
int64_t sg_to_iovec(const struct plugin_host *host, const struct minivm_sg *seg,
                    uint32_t nseg, struct iovec *iov);

#endif
