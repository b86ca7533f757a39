/*
 * The vector registers a program may use survive the switches to other
 * processes, whichever of them the CPU offers: XMM always, the upper halves
 * of YMM where AVX is usable, ZMM0-31 and the opmask registers where
 * AVX-512 is. Usable is what glibc and musl programs go by: CPUID says so
 * and XGETBV shows the state enabled.
 *
 * Two processes each keep their own values in the registers across
 * sched_yield, which hands the CPU to the other (which loads its values)
 * and back. Under kvm_pvm with an emulated kernel, user mode ran with the
 * host's XCR0 (AVX-512 on) while the guest kernel switched only the FXSAVE
 * state: glibc's EVEX memcpy, interrupted between its loads and its stores,
 * then stored another process's YMM16 (busybox sh_pipe_stdin's TLS block).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 20
#define SYS_SCHED_YIELD 24

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static int avx_usable, avx512_usable;

static void detect(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 27))) /* OSXSAVE: XGETBV works */
        return;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    avx_usable = (r[2] & (1u << 28)) && (lo & 0x6) == 0x6;
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        avx512_usable = (r[1] & (1u << 16)) && (lo & 0xe6) == 0xe6;
    }
}

/* Each test: registers loaded from `in`, the CPU given away, stored to `out`. */
static void sse_round(const uint8_t *in, uint8_t *out)
{
    __asm__ volatile(
        "movdqu 0(%[in]), %%xmm0\n\tmovdqu 16(%[in]), %%xmm1\n\tmovdqu 32(%[in]), %%xmm2\n\t"
        "movdqu 48(%[in]), %%xmm3\n\tmovdqu 64(%[in]), %%xmm4\n\tmovdqu 80(%[in]), %%xmm5\n\t"
        "movdqu 96(%[in]), %%xmm6\n\tmovdqu 112(%[in]), %%xmm7\n\tmovdqu 128(%[in]), %%xmm8\n\t"
        "movdqu 144(%[in]), %%xmm9\n\tmovdqu 160(%[in]), %%xmm10\n\tmovdqu 176(%[in]), %%xmm11\n\t"
        "movdqu 192(%[in]), %%xmm12\n\tmovdqu 208(%[in]), %%xmm13\n\tmovdqu 224(%[in]), %%xmm14\n\t"
        "movdqu 240(%[in]), %%xmm15\n\t"
        "movl %[nr], %%eax\n\tsyscall\n\t"
        "movdqu %%xmm0, 0(%[out])\n\tmovdqu %%xmm1, 16(%[out])\n\tmovdqu %%xmm2, 32(%[out])\n\t"
        "movdqu %%xmm3, 48(%[out])\n\tmovdqu %%xmm4, 64(%[out])\n\tmovdqu %%xmm5, 80(%[out])\n\t"
        "movdqu %%xmm6, 96(%[out])\n\tmovdqu %%xmm7, 112(%[out])\n\tmovdqu %%xmm8, 128(%[out])\n\t"
        "movdqu %%xmm9, 144(%[out])\n\tmovdqu %%xmm10, 160(%[out])\n\tmovdqu %%xmm11, 176(%[out])\n\t"
        "movdqu %%xmm12, 192(%[out])\n\tmovdqu %%xmm13, 208(%[out])\n\tmovdqu %%xmm14, 224(%[out])\n\t"
        "movdqu %%xmm15, 240(%[out])"
        :
        : [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_SCHED_YIELD)
        : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
          "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static void avx_round(const uint8_t *in, uint8_t *out)
{
    __asm__ volatile(
        "vmovdqu 0(%[in]), %%ymm0\n\tvmovdqu 32(%[in]), %%ymm1\n\tvmovdqu 64(%[in]), %%ymm2\n\t"
        "vmovdqu 96(%[in]), %%ymm3\n\tvmovdqu 128(%[in]), %%ymm4\n\tvmovdqu 160(%[in]), %%ymm5\n\t"
        "vmovdqu 192(%[in]), %%ymm6\n\tvmovdqu 224(%[in]), %%ymm7\n\tvmovdqu 256(%[in]), %%ymm8\n\t"
        "vmovdqu 288(%[in]), %%ymm9\n\tvmovdqu 320(%[in]), %%ymm10\n\tvmovdqu 352(%[in]), %%ymm11\n\t"
        "vmovdqu 384(%[in]), %%ymm12\n\tvmovdqu 416(%[in]), %%ymm13\n\tvmovdqu 448(%[in]), %%ymm14\n\t"
        "vmovdqu 480(%[in]), %%ymm15\n\t"
        "movl %[nr], %%eax\n\tsyscall\n\t"
        "vmovdqu %%ymm0, 0(%[out])\n\tvmovdqu %%ymm1, 32(%[out])\n\tvmovdqu %%ymm2, 64(%[out])\n\t"
        "vmovdqu %%ymm3, 96(%[out])\n\tvmovdqu %%ymm4, 128(%[out])\n\tvmovdqu %%ymm5, 160(%[out])\n\t"
        "vmovdqu %%ymm6, 192(%[out])\n\tvmovdqu %%ymm7, 224(%[out])\n\tvmovdqu %%ymm8, 256(%[out])\n\t"
        "vmovdqu %%ymm9, 288(%[out])\n\tvmovdqu %%ymm10, 320(%[out])\n\tvmovdqu %%ymm11, 352(%[out])\n\t"
        "vmovdqu %%ymm12, 384(%[out])\n\tvmovdqu %%ymm13, 416(%[out])\n\tvmovdqu %%ymm14, 448(%[out])\n\t"
        "vmovdqu %%ymm15, 480(%[out])\n\tvzeroupper"
        :
        : [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_SCHED_YIELD)
        : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
          "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

/* ZMM16-31 (what glibc's EVEX string functions use) and k1-k7. The compiler
 * is not told about ZMM16-31: without -mavx512f it never uses them. */
static void avx512_round(const uint8_t *in, uint8_t *out)
{
    __asm__ volatile(
        "vmovdqu64 0(%[in]), %%zmm16\n\tvmovdqu64 64(%[in]), %%zmm17\n\t"
        "vmovdqu64 128(%[in]), %%zmm18\n\tvmovdqu64 192(%[in]), %%zmm19\n\t"
        "vmovdqu64 256(%[in]), %%zmm20\n\tvmovdqu64 320(%[in]), %%zmm21\n\t"
        "vmovdqu64 384(%[in]), %%zmm22\n\tvmovdqu64 448(%[in]), %%zmm23\n\t"
        "vmovdqu64 512(%[in]), %%zmm24\n\tvmovdqu64 576(%[in]), %%zmm25\n\t"
        "vmovdqu64 640(%[in]), %%zmm26\n\tvmovdqu64 704(%[in]), %%zmm27\n\t"
        "vmovdqu64 768(%[in]), %%zmm28\n\tvmovdqu64 832(%[in]), %%zmm29\n\t"
        "vmovdqu64 896(%[in]), %%zmm30\n\tvmovdqu64 960(%[in]), %%zmm31\n\t"
        "kmovw 1024(%[in]), %%k1\n\tkmovw 1026(%[in]), %%k2\n\tkmovw 1028(%[in]), %%k3\n\t"
        "kmovw 1030(%[in]), %%k4\n\tkmovw 1032(%[in]), %%k5\n\tkmovw 1034(%[in]), %%k6\n\t"
        "kmovw 1036(%[in]), %%k7\n\t"
        "movl %[nr], %%eax\n\tsyscall\n\t"
        "vmovdqu64 %%zmm16, 0(%[out])\n\tvmovdqu64 %%zmm17, 64(%[out])\n\t"
        "vmovdqu64 %%zmm18, 128(%[out])\n\tvmovdqu64 %%zmm19, 192(%[out])\n\t"
        "vmovdqu64 %%zmm20, 256(%[out])\n\tvmovdqu64 %%zmm21, 320(%[out])\n\t"
        "vmovdqu64 %%zmm22, 384(%[out])\n\tvmovdqu64 %%zmm23, 448(%[out])\n\t"
        "vmovdqu64 %%zmm24, 512(%[out])\n\tvmovdqu64 %%zmm25, 576(%[out])\n\t"
        "vmovdqu64 %%zmm26, 640(%[out])\n\tvmovdqu64 %%zmm27, 704(%[out])\n\t"
        "vmovdqu64 %%zmm28, 768(%[out])\n\tvmovdqu64 %%zmm29, 832(%[out])\n\t"
        "vmovdqu64 %%zmm30, 896(%[out])\n\tvmovdqu64 %%zmm31, 960(%[out])\n\t"
        "kmovw %%k1, 1024(%[out])\n\tkmovw %%k2, 1026(%[out])\n\tkmovw %%k3, 1028(%[out])\n\t"
        "kmovw %%k4, 1030(%[out])\n\tkmovw %%k5, 1032(%[out])\n\tkmovw %%k6, 1034(%[out])\n\t"
        "kmovw %%k7, 1036(%[out])\n\tvzeroupper"
        :
        : [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_SCHED_YIELD)
        : "rax", "rcx", "r11", "memory");
}

#define AVX512_BYTES (16 * 64 + 7 * 2)

/* ROUNDS of each usable kind with values of this process's own; the number
 * of rounds that came back changed (names what changed on stderr). */
static int run(uint8_t seed)
{
    static uint8_t in[AVX512_BYTES], out[AVX512_BYTES];
    int bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (unsigned i = 0; i < sizeof in; i++)
            in[i] = (uint8_t)(seed + 31 * r + 7 * i);
        struct {
            const char *name;
            int usable;
            void (*round)(const uint8_t *, uint8_t *);
            unsigned bytes;
        } kinds[] = {
            {"xmm0-15", 1, sse_round, 16 * 16},
            {"ymm0-15", avx_usable, avx_round, 16 * 32},
            {"zmm16-31/k1-7", avx512_usable, avx512_round, AVX512_BYTES},
        };
        for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            if (!kinds[k].usable)
                continue;
            memset(out, 0, sizeof out);
            kinds[k].round(in, out);
            if (memcmp(in, out, kinds[k].bytes) != 0) {
                unsigned at = 0;
                while (in[at] == out[at])
                    at++;
                fprintf(stderr, "pid %d round %d: %s changed across a switch (byte %u: %#x, was %#x)\n",
                        (int)getpid(), r, kinds[k].name, at, out[at], in[at]);
                bad++;
            }
        }
    }
    return bad;
}

int main(void)
{
    detect();
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    int bad = run(child == 0 ? 0x11 : 0x80);
    if (child == 0)
        _exit(bad != 0);
    int status;
    if (waitpid(child, &status, 0) != child) {
        perror("waitpid");
        return 1;
    }
    int child_bad = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("vector registers kept across switches: %s\n", bad || child_bad ? "no" : "yes");
    return bad || child_bad;
}
