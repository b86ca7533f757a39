/*
 * Our own GDT: kernel code/data, user data/code in the order SYSRET requires
 * (segments.h), and a 64-bit TSS that supplies RSP0 for entries from user mode
 * and the IST stacks for double fault, NMI and machine check.
 */
#include "arch/gdt.h"

#include "arch/segments.h"
#include "arch/stacks.h"

#include <stddef.h>

/* Flat segments; in 64-bit mode base/limit are ignored except for the L/DPL/type
 * bits. The accessed bit is preset, so loading a selector never writes the GDT
 * (the kvm_pvm user PGD maps it read-only). */
#define GDT_KERNEL_CODE 0x00af9b000000ffffull /* P, DPL0, code exec/read, L */
#define GDT_KERNEL_DATA 0x00cf93000000ffffull /* P, DPL0, data read/write */
#define GDT_USER32_CODE 0x00cffb000000ffffull /* P, DPL3, code exec/read, D (32-bit) */
#define GDT_USER_DATA 0x00cff3000000ffffull   /* P, DPL3, data read/write */
#define GDT_USER_CODE 0x00affb000000ffffull   /* P, DPL3, code exec/read, L */

/* Both in the entry area (linker.ld.S): under kvm_pvm the host reads them
 * through the user PGD when it delivers an exception from user mode. */
static struct tss tss __attribute__((aligned(64), section(".entry.data")));

static uint64_t gdt[(SEL_TSS >> 3) + 2] __attribute__((aligned(16), section(".entry.data")));

extern char __entry_stack_end[];

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void set_tss_descriptor(uint64_t *slot, const struct tss *t)
{
    uint64_t base = (uint64_t)t;
    uint64_t limit = sizeof *t - 1;
    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) /* P, type 9 */ |
              (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

void gdt_init(void)
{
    gdt[SEL_KERNEL_CODE >> 3] = GDT_KERNEL_CODE;
    gdt[SEL_KERNEL_DATA >> 3] = GDT_KERNEL_DATA;
    gdt[SEL_USER32_CODE >> 3] = GDT_USER32_CODE;
    gdt[SEL_USER_DATA >> 3] = GDT_USER_DATA;
    gdt[SEL_USER_CODE >> 3] = GDT_USER_CODE;

    tss.ist[IST_DOUBLE_FAULT - 1] = ist_stack_top(IST_DOUBLE_FAULT);
    tss.ist[IST_NMI - 1] = ist_stack_top(IST_NMI);
    tss.ist[IST_MACHINE_CHECK - 1] = ist_stack_top(IST_MACHINE_CHECK);
#ifdef MINIVM_KERNEL_PVM
    /* Exceptions from user mode land on the entry stack, which the user PGD
     * maps; the entry code moves the frame to the process's kernel stack. */
    tss.rsp[0] = (uint64_t)__entry_stack_end;
#else
    tss.rsp[0] = boot_stack_top();
#endif
    /* No I/O permission bitmap: with IOPL 0 every user in/out raises #GP. */
    tss.iomap_base = sizeof tss;
    set_tss_descriptor(&gdt[SEL_TSS >> 3], &tss);

    struct descriptor_pointer gdtr = {.limit = sizeof gdt - 1, .base = (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     /* reload CS with a far return */
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     "movw %w3, %%ax\n\t"
                     "ltr %%ax\n\t"
                     :
                     : "m"(gdtr), "i"((uint64_t)SEL_KERNEL_CODE), "i"(SEL_KERNEL_DATA),
                       "i"(SEL_TSS)
                     : "rax", "memory");
}

struct tss *gdt_tss(void)
{
    return &tss;
}
