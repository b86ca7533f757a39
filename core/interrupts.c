#include "core/interrupts.h"

#include <linux/kvm.h>
#include <sys/ioctl.h>

int interrupts_raise(struct pending_interrupts *p, uint32_t vector)
{
    if (vector < INTERRUPT_VECTOR_MIN || vector > INTERRUPT_VECTOR_MAX)
        return -1;
    p->bits[vector / 64] |= 1ull << (vector % 64);
    return 0;
}

int interrupts_highest(const struct pending_interrupts *p)
{
    for (int word = 3; word >= 0; word--) {
        if (p->bits[word] != 0)
            return word * 64 + 63 - __builtin_clzll(p->bits[word]);
    }
    return -1;
}

void interrupts_clear(struct pending_interrupts *p, uint32_t vector)
{
    if (vector <= INTERRUPT_VECTOR_MAX)
        p->bits[vector / 64] &= ~(1ull << (vector % 64));
}

int interrupts_decide(struct pending_interrupts *p, bool ready, bool if_flag,
                      bool *request_window)
{
    int vector = interrupts_highest(p);
    if (vector >= 0 && ready && if_flag)
        interrupts_clear(p, (uint32_t)vector);
    else
        vector = -1;
    *request_window = interrupts_highest(p) >= 0;
    return vector;
}

int interrupts_before_run(struct pending_interrupts *p, int vcpu_fd, struct kvm_run *run)
{
    bool request_window;
    int vector = interrupts_decide(p, run->ready_for_interrupt_injection != 0,
                                   run->if_flag != 0, &request_window);
    run->request_interrupt_window = request_window ? 1 : 0;
    if (vector < 0)
        return 0;
    struct kvm_interrupt irq = {.irq = (uint32_t)vector};
    if (ioctl(vcpu_fd, KVM_INTERRUPT, &irq) < 0)
        return -1;
    /* KVM holds the vector until the guest takes it and refreshes this flag at
     * the next exit; until then nothing more may be injected. */
    run->ready_for_interrupt_injection = 0;
    return 0;
}
