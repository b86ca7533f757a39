#ifndef KERNEL_ARCH_IDT_H
#define KERNEL_ARCH_IDT_H

/* Loads the IDT: gates for all 256 vectors (idt_table.S, stubs in isr.S). */
void idt_init(void);

#endif
