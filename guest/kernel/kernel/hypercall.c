#include "kernel/hypercall.h"

#include "arch/cpu.h"
#include "fs/console_ring.h"
#include "kernel/devices.h"
#include "kernel/panic.h"
#include "mm/addr.h"

int64_t hypercall(uint16_t port, struct minivm_hc_header *block)
{
    /* Output the program wrote before this call reaches the host before it:
     * a file written after a message, an exit after the last line. */
    if (port != devices()->console)
        console_ring_flush();
    uint64_t pa = virt_to_phys(block);
    if (pa >= (1ull << 32))
        panic("hypercall block %p above 4 GiB", (void *)block);
    block->result = 0;
    outl(port, (uint32_t)pa);
    /* The host wrote the result into guest memory during the exit; the
     * "memory" clobber on outl makes the compiler read it afresh. */
    return *(volatile int64_t *)&block->result;
}
