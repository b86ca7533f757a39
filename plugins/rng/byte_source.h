/* Where the rng device's bytes come from: the host's getrandom (buffered, so
 * small reads cost no system call), or a deterministic generator from a seed. */
#ifndef MINIVM_PLUGINS_RNG_BYTE_SOURCE_H
#define MINIVM_PLUGINS_RNG_BYTE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct byte_source {
    bool deterministic;
    uint64_t state[4]; /* xoshiro256** when deterministic */
    uint8_t buffer[256];
    size_t available; /* unread bytes at the end of buffer */
};

void byte_source_init_host(struct byte_source *source);
void byte_source_init_seeded(struct byte_source *source, uint64_t seed);
/* Fills dst with len bytes. 0, or -1 if the host's getrandom failed. */
int byte_source_read(struct byte_source *source, void *dst, size_t len);

#endif
