/* A small deterministic generator (splitmix64): the whole fuzz run follows
 * from the seed, so a failure replays from seed + batch + call index. */
#ifndef GUEST_FUZZ_RNG_H
#define GUEST_FUZZ_RNG_H

#include <stdint.h>

struct rng {
    uint64_t state;
};

static inline uint64_t rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline struct rng rng_from(uint64_t a, uint64_t b)
{
    return (struct rng){rng_mix(a * 0x9e3779b97f4a7c15ull + rng_mix(b + 1))};
}

static inline uint64_t rng_next(struct rng *r)
{
    r->state += 0x9e3779b97f4a7c15ull;
    return rng_mix(r->state);
}

/* Uniform in [0, n); n > 0. */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/* True with probability 1/n. */
static inline int rng_one_in(struct rng *r, uint64_t n)
{
    return rng_below(r, n) == 0;
}

#define RNG_PICK(r, array) ((array)[rng_below((r), sizeof(array) / sizeof((array)[0]))])

#endif
