#include "kernel/hypercall.h"

#include "arch/cpu.h"
#include "kernel/panic.h"
#include "mm/addr.h"

static void (*before_others)(void);
static uint16_t before_others_port;

void hypercall_before_other_devices(uint16_t own_port, void (*fn)(void))
{
    before_others_port = own_port;
    before_others = fn;
}

int64_t hypercall(uint16_t port, struct minivm_hc_header *block)
{
    if (before_others != 0 && port != before_others_port)
        before_others();
    uint64_t pa = virt_to_phys(block);
    if (pa >= (1ull << 32))
        panic("hypercall block %p above 4 GiB", (void *)block);
    block->result = 0;
    outl(port, (uint32_t)pa);
    /* The host wrote the result into guest memory during the exit; the
     * "memory" clobber on outl makes the compiler read it afresh. */
    return *(volatile int64_t *)&block->result;
}
