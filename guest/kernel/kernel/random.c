#include "kernel/random.h"

#include "arch/cpu.h"
#include "kernel/boot_info.h"
#include "lib/string.h"

static uint32_t key[8];
static uint64_t counter;

static uint32_t rotl(uint32_t v, int n)
{
    return (v << n) | (v >> (32 - n));
}

#define QUARTER(a, b, c, d)                                                         \
    do {                                                                            \
        a += b; d ^= a; d = rotl(d, 16);                                            \
        c += d; b ^= c; b = rotl(b, 12);                                            \
        a += b; d ^= a; d = rotl(d, 8);                                             \
        c += d; b ^= c; b = rotl(b, 7);                                             \
    } while (0)

/* One 64-byte ChaCha20 block for (key, counter). */
static void chacha20_block(uint32_t out[16])
{
    uint32_t s[16] = {
        0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, /* "expand 32-byte k" */
        key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
        (uint32_t)counter, (uint32_t)(counter >> 32), 0, 0,
    };
    uint32_t x[16];
    memcpy(x, s, sizeof x);
    for (int i = 0; i < 10; i++) {
        QUARTER(x[0], x[4], x[8], x[12]);
        QUARTER(x[1], x[5], x[9], x[13]);
        QUARTER(x[2], x[6], x[10], x[14]);
        QUARTER(x[3], x[7], x[11], x[15]);
        QUARTER(x[0], x[5], x[10], x[15]);
        QUARTER(x[1], x[6], x[11], x[12]);
        QUARTER(x[2], x[7], x[8], x[13]);
        QUARTER(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
        out[i] = x[i] + s[i];
    counter++;
}

static int rdrand64(uint64_t *v)
{
    unsigned char ok;
    for (int tries = 0; tries < 10; tries++) {
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok)
            return 1;
    }
    return 0;
}

void random_init(void)
{
    const struct minivm_boot_info *bi = boot_info();
    memcpy(key, bi->random, sizeof bi->random);
    uint64_t extra[2] = {rdtsc(), 0};
    if (cpuid(1, 0).ecx & (1u << 30))
        rdrand64(&extra[1]);
    memcpy(&key[4], extra, sizeof extra);
    /* Mix once so the raw boot bytes are not the key itself. */
    uint32_t block[16];
    chacha20_block(block);
    memcpy(key, block, sizeof key);
}

void random_bytes(void *buf, uint64_t len)
{
    uint8_t *out = buf;
    uint32_t block[16];
    while (len > 0) {
        chacha20_block(block);
        uint64_t n = len < sizeof block ? len : sizeof block;
        memcpy(out, block, n);
        out += n;
        len -= n;
    }
    chacha20_block(block);
    memcpy(key, block, sizeof key);
    memset(block, 0, sizeof block);
}
