#include "kernel/tick.h"

#include "kernel/devices.h"
#include "kernel/hypercall.h"
#include "kernel/log.h"
#include "mm/addr.h"
#include "timer/timer_abi.h"

/* Read by the host on every one of its ticks: 4-byte aligned, in RAM. */
static volatile uint32_t ticks_wanted __attribute__((aligned(4)));
static bool available;

void tick_init(void)
{
#ifdef MINIVM_KERNEL_PVM
    /* PVM's native mode delivers events its own way; not set up there yet. */
    return;
#else
    if (!devices()->has_timer)
        return;
    static struct timer_args setup __attribute__((aligned(64)));
    setup = (struct timer_args){.hdr.op = TIMER_OP_SETUP,
                                .request_gpa = virt_to_phys((const void *)&ticks_wanted),
                                .vector = TICK_VECTOR};
    int64_t period_us = hypercall(devices()->timer, &setup.hdr);
    if (period_us <= 0) {
        ktrace("timer device refused its set-up (%ld): scheduling stays cooperative", period_us);
        return;
    }
    available = true;
    ktrace("preemption tick every %ld us", period_us);
#endif
}

bool tick_available(void)
{
    return available;
}

void tick_request(bool wanted)
{
    uint32_t value = wanted && available;
    if (ticks_wanted != value)
        ticks_wanted = value;
}
