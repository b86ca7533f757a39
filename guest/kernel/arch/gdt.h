#ifndef KERNEL_ARCH_GDT_H
#define KERNEL_ARCH_GDT_H

#include <stdint.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

/* Loads our GDT (replacing the VMM's boot GDT), reloads every segment
 * register and the task register. */
void gdt_init(void);

struct tss *gdt_tss(void);

#endif
