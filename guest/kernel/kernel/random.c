#include "kernel/random.h"

#include "arch/cpu.h"
#include "fs/file.h"
#include "kernel/boot_info.h"
#include "kernel/mmio.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "rng/rng_abi.h"

static uint32_t key[8];
static uint64_t counter;

/* The rng device's window, or NULL: then ChaCha20 serves every request. */
static volatile void *rng_device;
/* Kernel requests are filled here first: a stack buffer may live in a kernel
 * stack slot, which has no physical address the device could be given. */
static uint8_t bounce[256];

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

/* The key is mixed from the boot material on first use: with the rng
 * device ChaCha20 may never run, and mixing costs ~1,300 emulated
 * instructions (PVM) on every start-up. */
static bool key_mixed;

void random_init(void)
{
    rng_device = mmio_map_device(RNG_KIND, RNG_WINDOW_SIZE);
    const struct minivm_boot_info *bi = boot_info();
    memcpy(key, bi->random, sizeof bi->random);
    uint64_t extra[2] = {rdtsc(), 0};
    if (cpuid(1, 0).ecx & (1u << 30))
        rdrand64(&extra[1]);
    memcpy(&key[4], extra, sizeof extra);
}

/* Mixes once so the raw boot bytes are not the key itself. */
static void mix_key(void)
{
    if (key_mixed)
        return;
    key_mixed = true;
    uint32_t block[16];
    chacha20_block(block);
    memcpy(key, block, sizeof key);
}

static void chacha20_bytes(uint8_t *out, uint64_t len)
{
    mix_key();
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

/* Asks the device to fill guest-physical [pa, pa + len), len <= RNG_FILL_MAX:
 * three VM exits, whatever the length. */
static bool device_fill(uint64_t pa, uint64_t len)
{
    mmio_write64(rng_device, RNG_REG_FILL_GPA, pa);
    mmio_write64(rng_device, RNG_REG_FILL_LEN, len);
    return mmio_read64(rng_device, RNG_REG_FILL_LEN) == len;
}

/* Fills RAM [pa, pa + len) with random bytes, from the device when there is one. */
static void fill_phys(uint64_t pa, uint64_t len)
{
    while (len > 0) {
        uint64_t n = len < RNG_FILL_MAX ? len : RNG_FILL_MAX;
        /* A refused fill (the device thinks this is not RAM) must not leave
         * the bytes as they were: ChaCha20 fills them instead. */
        if (rng_device == 0 || !device_fill(pa, n))
            chacha20_bytes(phys_to_virt(pa), n);
        pa += n;
        len -= n;
    }
}

void random_bytes(void *buf, uint64_t len)
{
    uint8_t *out = buf;
    while (len > 0) {
        uint64_t n = len < sizeof bounce ? len : sizeof bounce;
        fill_phys(virt_to_phys(bounce), n);
        memcpy(out, bounce, n);
        out += n;
        len -= n;
    }
    memset(bounce, 0, sizeof bounce);
}

static int64_t fill_segments(void *ctx, const struct minivm_sg *sg, uint32_t nseg, uint64_t done)
{
    (void)ctx;
    (void)done;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nseg; i++) {
        fill_phys(sg[i].gpa, sg[i].len);
        total += sg[i].len;
    }
    return (int64_t)total;
}

int64_t random_to_user(uint64_t ubuf, uint64_t len)
{
    if (len == 0)
        return 0;
    return transfer_user_buffer(ubuf, len, ACCESS_WRITE, fill_segments, 0);
}
