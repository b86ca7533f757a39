#include "rng/byte_source.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** (Blackman & Vigna): fast, and the same stream on every host. */
static uint64_t xoshiro_next(uint64_t s[4])
{
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

void byte_source_init_host(struct byte_source *source)
{
    memset(source, 0, sizeof *source);
}

void byte_source_init_seeded(struct byte_source *source, uint64_t seed)
{
    memset(source, 0, sizeof *source);
    source->deterministic = true;
    for (int i = 0; i < 4; i++)
        source->state[i] = splitmix64(&seed);
}

static int refill(struct byte_source *source)
{
    if (source->deterministic) {
        for (size_t i = 0; i < sizeof source->buffer; i += 8) {
            uint64_t v = xoshiro_next(source->state);
            memcpy(source->buffer + i, &v, 8);
        }
    } else {
        size_t got = 0;
        while (got < sizeof source->buffer) {
            ssize_t n = getrandom(source->buffer + got, sizeof source->buffer - got, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return -1;
            got += (size_t)n;
        }
    }
    source->available = sizeof source->buffer;
    return 0;
}

int byte_source_read(struct byte_source *source, void *dst, size_t len)
{
    uint8_t *out = dst;
    while (len > 0) {
        if (source->available == 0 && refill(source) != 0)
            return -1;
        size_t take = len < source->available ? len : source->available;
        size_t start = sizeof source->buffer - source->available;
        memcpy(out, source->buffer + start, take);
        /* Bytes handed out are never handed out again. */
        memset(source->buffer + start, 0, take);
        source->available -= take;
        out += take;
        len -= take;
    }
    return 0;
}
