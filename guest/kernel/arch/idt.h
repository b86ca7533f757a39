#ifndef KERNEL_ARCH_IDT_H
#define KERNEL_ARCH_IDT_H

/* Installs gates for all 256 vectors (isr.S) and loads the IDT. */
void idt_init(void);

#endif
