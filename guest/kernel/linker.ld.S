/*
 * The guest kernel is linked at KERNEL_VIRT_BASE + MINIVM_KERNEL_PHYS_BASE and
 * loaded (p_paddr) at MINIVM_KERNEL_PHYS_BASE. The VMM maps each PT_LOAD
 * segment at KERNEL_VIRT_BASE + p_paddr (boot_info.h: MINIVM_KERNEL_VIRT_BASE,
 * or MINIVM_PVM_KERNEL_VIRT_BASE for the kvm_pvm build) with 4 KiB pages and
 * the segment's permissions, so the three segments below, page-aligned per
 * permission class, give text RX, rodata R+NX and data/bss RW+NX from the
 * first instruction. The build runs this file through the C preprocessor.
 *
 * The entry area (arch/user_entry.h) opens each class, page-aligned: what an
 * exception from user mode needs before it reaches the kernel's own page
 * tables (stubs, IDT, GDT, TSS, and the kvm_pvm build's entry stack). That kernel maps exactly
 * these pages into every user PGD; they hold nothing secret.
 */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start)

#ifdef MINIVM_KERNEL_PVM
KERNEL_VIRT_BASE = 0x00007f0000000000;
#else
KERNEL_VIRT_BASE = 0xffffffff80000000;
#endif
KERNEL_PHYS_BASE = 0x100000;

PHDRS
{
    text PT_LOAD FLAGS(5);   /* R X */
    rodata PT_LOAD FLAGS(4); /* R   */
    data PT_LOAD FLAGS(6);   /* R W */
}

SECTIONS
{
    . = KERNEL_VIRT_BASE + KERNEL_PHYS_BASE;
    __kernel_start = .;

    .text ALIGN(4096) : AT(ADDR(.text) - KERNEL_VIRT_BASE)
    {
        __entry_text_start = .;
        *(.entry.text)
        . = ALIGN(4096);
        __entry_text_end = .;
        *(.text.boot)
        *(.text .text.*)
    } :text
    . = ALIGN(4096);
    __text_end = .;

    .rodata ALIGN(4096) : AT(ADDR(.rodata) - KERNEL_VIRT_BASE)
    {
        __entry_rodata_start = .;
        *(.entry.rodata)
        . = ALIGN(4096);
        __entry_rodata_end = .;
        *(.rodata .rodata.*)
    } :rodata
    . = ALIGN(4096);
    __rodata_end = .;

    .data ALIGN(4096) : AT(ADDR(.data) - KERNEL_VIRT_BASE)
    {
        __entry_data_start = .;
        *(.entry.data)
        . = ALIGN(4096);
        __entry_data_end = .;
        *(.data .data.*)
    } :data

    .bss ALIGN(4096) : AT(ADDR(.bss) - KERNEL_VIRT_BASE)
    {
        __bss_start = .;
        __entry_stack_start = .;
        *(.entry.stack)
        __entry_stack_end = .;
        *(.bss.page_aligned)
        *(.bss .bss.*)
        *(COMMON)
    } :data
    . = ALIGN(4096);
    __kernel_end = .;

    /* The IDT's gates (arch/idt_table.S): the stubs' address split into the
     * gate's fields. The stubs (256 x 16 bytes) must not cross a 64 KiB line. */
    __isr_gate_low = (isr_stubs & 0xffff) | (((isr_stubs >> 16) & 0xffff) << 48);
    __isr_gate_high = isr_stubs >> 32;
    ASSERT((isr_stubs & 0xfff) == 0, "isr_stubs must be 4 KiB-aligned (arch/idt_table.S)")

    /DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) *(.eh_frame_hdr) }
}
