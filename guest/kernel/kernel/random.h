/*
 * The kernel's random numbers (getrandom, AT_RANDOM, /dev/urandom).
 *
 * With the rng device (kind "rng", plugins/rng) every byte comes from it,
 * filled straight into the destination's physical pages (one fill per
 * RNG_FILL_MAX bytes); with `seed = N` in its config the bytes are a
 * deterministic function of N, so a run can be reproduced byte for byte.
 *
 * Without it (fallback): a ChaCha20 generator keyed from the host's 16
 * boot_info.random bytes (plus the TSC and RDRAND when the CPU has it),
 * re-keyed from its own output after every request so earlier output cannot
 * be recomputed from the state (fast key erasure). Never reproducible.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stdint.h>

void random_init(void);
/* Fills a kernel buffer. */
void random_bytes(void *buf, uint64_t len);
/* Fills user buffer [ubuf, ubuf + len): the bytes filled (fewer when a bad page
 * stops it), or -EFAULT/-ENOMEM when not even the first byte could be. */
int64_t random_to_user(uint64_t ubuf, uint64_t len);

#endif
