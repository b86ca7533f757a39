#include "kernel/clock.h"

#include "arch/cpu.h"
#include "clock/clock_abi.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/mmio.h"
#include "mm/addr.h"

#define KVM_CPUID_SIGNATURE 0x40000000u
#define KVM_CPUID_FEATURES 0x40000001u
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u
#define HYPERVISOR_TIMING_LEAF 0x40000010u /* EAX = TSC kHz (VMware/KVM convention) */
#define FALLBACK_TSC_HZ 2000000000ull
/* How long the device's time is extrapolated before it is read again: the
 * TSC and the host clock drift apart by parts per million at most. */
#define RESYNC_NS 1000000000ull

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

/* The clock device, when there is one: its readings at the last anchor and
 * raw_ns() then. Between anchors time advances with raw_ns(), no VM exit. */
static volatile void *clock_device;
static uint64_t anchor_raw, anchor_realtime, anchor_monotonic;
static uint64_t last_monotonic; /* monotonic time never goes back over a resync */

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

/* Reads the device's clocks and restarts extrapolation from them (2 VM exits). */
static void anchor(void)
{
    anchor_realtime = mmio_read64(clock_device, CLOCK_REG_REALTIME_NS);
    anchor_monotonic = mmio_read64(clock_device, CLOCK_REG_MONOTONIC_NS);
    anchor_raw = raw_ns();
}

/* Nanoseconds since the last anchor, re-anchoring first when it is due. */
static uint64_t since_anchor(void)
{
    uint64_t since = raw_ns() - anchor_raw;
    if (since < RESYNC_NS)
        return since;
    anchor();
    return 0;
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
    clock_device = mmio_map_device(CLOCK_KIND, CLOCK_WINDOW_SIZE);
    if (clock_device != 0) {
        anchor();
        ktrace("clock: anchored to the clock device");
    }
}

uint64_t clock_monotonic_ns(void)
{
    if (clock_device == 0)
        return raw_ns() - raw_at_boot;
    uint64_t since = since_anchor();
    uint64_t now = anchor_monotonic + since;
    if (now < last_monotonic)
        now = last_monotonic;
    last_monotonic = now;
    return now;
}

uint64_t clock_realtime_ns(void)
{
    if (clock_device == 0)
        return boot_info()->boot_time_ns + clock_monotonic_ns();
    uint64_t since = since_anchor();
    return anchor_realtime + since;
}

void clock_delay_ns(uint64_t ns)
{
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < ns)
        cpu_relax();
}
