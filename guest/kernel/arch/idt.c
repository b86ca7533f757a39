/* Loads the IDT (arch/idt_table.S, which says what each gate does). */
#include "arch/idt.h"

#include <stdint.h>

extern const char idt_table[], idt_table_end[];

void idt_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {.limit = (uint16_t)(idt_table_end - idt_table - 1),
                                      .base = (uint64_t)idt_table};
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}
