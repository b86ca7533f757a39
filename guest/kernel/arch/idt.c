/*
 * The IDT: interrupt gates (IF cleared on entry) for every vector. Double
 * fault, NMI and machine check run on their own IST stacks so they work even
 * when the kernel stack is gone. #BP and #OF are reachable from user mode
 * (DPL 3) so `int3`/`into` give SIGTRAP/SIGSEGV like on Linux; every other
 * `int n` from user mode is a #GP.
 */
#include "arch/idt.h"

#include "arch/segments.h"

#include <stdint.h>

#define VECTOR_BP 3
#define VECTOR_OF 4
#define VECTOR_NMI 2
#define VECTOR_DF 8
#define VECTOR_MC 18

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

extern const char isr_stubs[];

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(unsigned vector, uint8_t ist, uint8_t dpl)
{
    uint64_t handler = (uint64_t)(isr_stubs + 16 * vector);
    idt[vector] = (struct idt_gate){
        .offset_low = handler & 0xffff,
        .selector = SEL_KERNEL_CODE,
        .ist = ist,
        .type_attr = (uint8_t)(0x80 | (dpl << 5) | 0xe), /* present, 64-bit interrupt gate */
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = (uint32_t)(handler >> 32),
        .reserved = 0,
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, 0, 0);
    set_gate(VECTOR_BP, 0, 3);
    set_gate(VECTOR_OF, 0, 3);
    set_gate(VECTOR_DF, IST_DOUBLE_FAULT, 0);
    set_gate(VECTOR_NMI, IST_NMI, 0);
    set_gate(VECTOR_MC, IST_MACHINE_CHECK, 0);

    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {.limit = sizeof idt - 1, .base = (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}
