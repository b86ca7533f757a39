#include "kernel/clock.h"

#include "arch/cpu.h"
#include "clock/clock_abi.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/mmio.h"
#include "kernel/vvar.h"
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

/* The clock device, when there is one. */
static volatile void *clock_device;

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

/*
 * The TSC's rate as vvar.h wants it (ns = cycles * mult >> shift): KVM's own
 * scale from kvmclock when the host offers it, else the TSC frequency. Only
 * the rate is taken from kvmclock: time itself is extrapolated from the vvar
 * anchor, the same way the vDSO does it in user mode.
 */
static void tsc_rate(struct vvar_clock *c)
{
    if (has_kvmclock()) {
        wrmsr(MSR_KVM_SYSTEM_TIME_NEW, virt_to_phys((const void *)&kvmclock) | 1);
        /* ns = ((cycles << s) * mul) >> 32, i.e. cycles * mul >> (32 - s) */
        uint32_t mul = kvmclock.tsc_to_system_mul;
        int8_t s = kvmclock.tsc_shift;
        if (mul != 0 && s > -32 && s < 32) {
            c->mult = mul;
            c->shift = (uint32_t)(32 - s);
            return;
        }
    }
    uint64_t hz = tsc_frequency_hz();
    c->mult = (1000000000ull << 32) / hz;
    c->shift = 32;
    ktrace("clock: TSC at %lu Hz", hz);
}

/* Reads the device's clocks (2 VM exits) and publishes them as the new
 * anchor. `first`: no earlier anchor whose monotonic time must be kept. */
static void anchor(bool first)
{
    const struct vvar_clock *old = vvar_clock();
    struct vvar_clock next = *old;
    next.realtime_ns = mmio_read64(clock_device, CLOCK_REG_REALTIME_NS);
    next.monotonic_ns = mmio_read64(clock_device, CLOCK_REG_MONOTONIC_NS);
    next.tsc_base = rdtsc();
    next.monotonic_floor = first ? 0 : vvar_monotonic_ns(old, next.tsc_base);
    next.valid_ns = RESYNC_NS;
    vvar_clock_publish(&next);
}

void clock_init(void)
{
    struct vvar_clock c = {0};
    tsc_rate(&c);
    clock_device = mmio_map_device(CLOCK_KIND, CLOCK_WINDOW_SIZE);
    if (clock_device != 0) {
        vvar_clock_publish(&c); /* the rate, for anchor() */
        anchor(true);
        ktrace("clock: anchored to the clock device");
        return;
    }
    /* Without the device: monotonic time from now on, wall-clock time from
     * the VMM's boot time, never re-anchored. */
    c.tsc_base = rdtsc();
    c.valid_ns = ~0ull;
    c.realtime_ns = boot_info()->boot_time_ns;
    vvar_clock_publish(&c);
}

/* The TSC now, after re-anchoring if the anchor is a second old. */
static uint64_t fresh_tsc(void)
{
    uint64_t tsc = rdtsc();
    if (vvar_fresh(vvar_clock(), tsc))
        return tsc;
    anchor(false);
    return rdtsc();
}

uint64_t clock_monotonic_ns(void)
{
    uint64_t tsc = fresh_tsc();
    return vvar_monotonic_ns(vvar_clock(), tsc);
}

uint64_t clock_realtime_ns(void)
{
    uint64_t tsc = fresh_tsc();
    return vvar_realtime_ns(vvar_clock(), tsc);
}

void clock_delay_ns(uint64_t ns)
{
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < ns)
        cpu_relax();
}
