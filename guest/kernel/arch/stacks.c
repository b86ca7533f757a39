/* The statically allocated kernel stacks: boot (later the idle context) and IST stacks. */
#include "arch/stacks.h"

#include "arch/segments.h"

DEFINE_GUARDED_STACK(boot_stack, BOOT_STACK_SIZE);
static DEFINE_GUARDED_STACK(double_fault_stack, IST_STACK_SIZE);
static DEFINE_GUARDED_STACK(nmi_stack, IST_STACK_SIZE);
static DEFINE_GUARDED_STACK(machine_check_stack, IST_STACK_SIZE);

uint64_t boot_stack_top(void)
{
    return (uint64_t)(boot_stack.stack + sizeof boot_stack.stack);
}

uint64_t ist_stack_top(int ist)
{
    switch (ist) {
    case IST_DOUBLE_FAULT:
        return (uint64_t)(double_fault_stack.stack + sizeof double_fault_stack.stack);
    case IST_NMI:
        return (uint64_t)(nmi_stack.stack + sizeof nmi_stack.stack);
    case IST_MACHINE_CHECK:
        return (uint64_t)(machine_check_stack.stack + sizeof machine_check_stack.stack);
    default:
        return 0;
    }
}

unsigned static_stack_guards(uint64_t *out, unsigned max)
{
    const uint64_t guards[] = {
        (uint64_t)boot_stack.guard,
        (uint64_t)double_fault_stack.guard,
        (uint64_t)nmi_stack.guard,
        (uint64_t)machine_check_stack.guard,
    };
    unsigned n = 0;
    for (; n < sizeof guards / sizeof guards[0] && n < max; n++)
        out[n] = guards[n];
    return n;
}
