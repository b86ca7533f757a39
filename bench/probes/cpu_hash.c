/* CPU-bound probe: fill 64 MiB with a xorshift stream, then run mixing passes
 * over it (multiply/rotate/xor, four independent lanes) and print the checksum so
 * nothing can be optimized away. No system calls inside the timed work besides
 * the one allocation (its page faults count: they are part of real programs). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BYTES (64u << 20)
#define WORDS (BYTES / sizeof(uint64_t))
#define PASSES 32

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

int main(void)
{
    uint64_t *buf = malloc(BYTES);
    if (!buf) {
        perror("malloc");
        return 1;
    }
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < WORDS; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        buf[i] = s;
    }
    uint64_t h[4] = {1, 2, 3, 4};
    for (int p = 0; p < PASSES; p++) {
        for (size_t i = 0; i < WORDS; i += 4) {
            for (int l = 0; l < 4; l++) {
                uint64_t v = buf[i + l] * 0xff51afd7ed558ccdull;
                h[l] = rotl(h[l] ^ v, 31) * 0xc4ceb9fe1a85ec53ull + (uint64_t)p;
                buf[i + l] = v ^ (h[l] >> 29);
            }
        }
    }
    printf("cpu_hash %016" PRIx64 "\n", h[0] ^ rotl(h[1], 17) ^ rotl(h[2], 34) ^ rotl(h[3], 51));
    free(buf);
    return 0;
}
