#include "kernel/clock.h"

#include "arch/cpu.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "mm/addr.h"

#define KVM_CPUID_SIGNATURE 0x40000000u
#define KVM_CPUID_FEATURES 0x40000001u
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u
#define HYPERVISOR_TIMING_LEAF 0x40000010u /* EAX = TSC kHz (VMware/KVM convention) */
#define FALLBACK_TSC_HZ 2000000000ull

/* KVM's per-vCPU time info (Documentation/virt/kvm/x86/msr.rst). */
struct pvclock_vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad[2];
} __attribute__((packed));

static volatile struct pvclock_vcpu_time_info kvmclock __attribute__((aligned(64)));
static int use_kvmclock;
static uint64_t tsc_mult; /* ns = (tsc_delta * tsc_mult) >> 32 */
static uint64_t tsc_at_boot;
static uint64_t raw_at_boot;

static int has_kvmclock(void)
{
    struct cpuid_regs sig = cpuid(KVM_CPUID_SIGNATURE, 0);
    /* "KVMKVMKVM\0\0\0" */
    if (sig.ebx != 0x4b4d564b || sig.ecx != 0x564b4d56 || sig.edx != 0x4d)
        return 0;
    if (sig.eax < KVM_CPUID_FEATURES)
        return 0;
    return (cpuid(KVM_CPUID_FEATURES, 0).eax & KVM_FEATURE_CLOCKSOURCE2) != 0;
}

static uint64_t kvmclock_read(void)
{
    uint32_t version;
    uint64_t ns;
    do {
        version = kvmclock.version;
        __asm__ volatile("" ::: "memory");
        uint64_t delta = rdtsc() - kvmclock.tsc_timestamp;
        int8_t shift = kvmclock.tsc_shift;
        if (shift >= 0)
            delta <<= shift;
        else
            delta >>= -shift;
        ns = kvmclock.system_time +
             (uint64_t)(((unsigned __int128)delta * kvmclock.tsc_to_system_mul) >> 32);
        __asm__ volatile("" ::: "memory");
    } while ((version & 1) || version != kvmclock.version);
    return ns;
}

static uint64_t tsc_frequency_hz(void)
{
    if (boot_info()->tsc_khz != 0)
        return boot_info()->tsc_khz * 1000; /* what KVM itself says (KVM_GET_TSC_KHZ) */
    uint32_t max_leaf = cpuid(0, 0).eax;
    if (max_leaf >= 0x15) {
        struct cpuid_regs r = cpuid(0x15, 0);
        if (r.eax != 0 && r.ebx != 0 && r.ecx != 0)
            return (uint64_t)r.ecx * r.ebx / r.eax;
    }
    uint32_t hv_max = cpuid(KVM_CPUID_SIGNATURE, 0).eax;
    if (hv_max >= HYPERVISOR_TIMING_LEAF && hv_max < 0x40000100u) {
        uint32_t khz = cpuid(HYPERVISOR_TIMING_LEAF, 0).eax;
        if (khz != 0)
            return (uint64_t)khz * 1000;
    }
    if (max_leaf >= 0x16) {
        uint32_t mhz = cpuid(0x16, 0).eax & 0xffff;
        if (mhz != 0)
            return (uint64_t)mhz * 1000000;
    }
    return FALLBACK_TSC_HZ;
}

static uint64_t raw_ns(void)
{
    if (use_kvmclock)
        return kvmclock_read();
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_at_boot) * tsc_mult) >> 32);
}

void clock_init(void)
{
    if (has_kvmclock()) {
        wrmsr(MSR_KVM_SYSTEM_TIME_NEW, virt_to_phys((const void *)&kvmclock) | 1);
        use_kvmclock = kvmclock.tsc_to_system_mul != 0;
    }
    if (!use_kvmclock) {
        uint64_t hz = tsc_frequency_hz();
        tsc_mult = (1000000000ull << 32) / hz;
        tsc_at_boot = rdtsc();
        ktrace("clock: TSC at %lu Hz", hz);
    }
    raw_at_boot = raw_ns();
}

uint64_t clock_monotonic_ns(void)
{
    return raw_ns() - raw_at_boot;
}

uint64_t clock_realtime_ns(void)
{
    return boot_info()->boot_time_ns + clock_monotonic_ns();
}

void clock_delay_ns(uint64_t ns)
{
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < ns)
        cpu_relax();
}
