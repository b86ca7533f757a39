#include "core/long_mode.h"

#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/log.h"
#include "minivm/boot_info.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_LARGE (1ull << 7)
#define PTE_GLOBAL (1ull << 8)
#define PTE_NO_EXECUTE (1ull << 63)

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define GIB (1ull << 30)
#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)

/*
 * Where each layout puts its page-table pages inside [MINIVM_PAGE_TABLES_GPA,
 * MINIVM_PAGE_TABLES_END), its two windows, and the bits every mapping gets.
 * The PVM layout keeps the page after the PML4 for the (empty) user PGD of the
 * 8 KiB-aligned pair, and has no global pages: the kernel's pages are U there,
 * so a global TLB entry would survive the host's switch to the user PGD.
 */
struct layout {
    uint64_t pml4_gpa, pdpt_physmap_gpa, pdpt_kernel_gpa, pd_kernel_gpa, pd_physmap_first_gpa;
    uint64_t physmap_base, kernel_base;
    uint64_t table_bits; /* on PML4/PDPT/PD entries */
    uint64_t page_bits;  /* on 2 MiB pages */
    uint64_t leaf_bits;  /* on the kernel's 4 KiB pages, besides P, W and NX */
};

static const struct layout layouts[] = {
    [LONG_MODE_LAYOUT_UPPER] = {
        .pml4_gpa = MINIVM_PAGE_TABLES_GPA,
        .pdpt_physmap_gpa = MINIVM_PAGE_TABLES_GPA + 0x1000,
        .pdpt_kernel_gpa = MINIVM_PAGE_TABLES_GPA + 0x2000,
        .pd_kernel_gpa = MINIVM_PAGE_TABLES_GPA + 0x3000,
        .pd_physmap_first_gpa = MINIVM_PAGE_TABLES_GPA + 0x4000,
        .physmap_base = MINIVM_PHYSMAP_BASE,
        .kernel_base = MINIVM_KERNEL_VIRT_BASE,
        .table_bits = PTE_PRESENT | PTE_WRITABLE,
        .page_bits = PTE_PRESENT | PTE_WRITABLE | PTE_LARGE | PTE_GLOBAL,
        .leaf_bits = PTE_GLOBAL,
    },
    [LONG_MODE_LAYOUT_PVM] = {
        .pml4_gpa = MINIVM_PAGE_TABLES_GPA,
        /* MINIVM_PVM_USER_PGD_GPA = MINIVM_PAGE_TABLES_GPA + 0x1000 */
        .pdpt_physmap_gpa = MINIVM_PAGE_TABLES_GPA + 0x2000,
        .pdpt_kernel_gpa = MINIVM_PAGE_TABLES_GPA + 0x3000,
        .pd_kernel_gpa = MINIVM_PAGE_TABLES_GPA + 0x4000,
        .pd_physmap_first_gpa = MINIVM_PAGE_TABLES_GPA + 0x5000,
        .physmap_base = MINIVM_PVM_PHYSMAP_BASE,
        .kernel_base = MINIVM_PVM_KERNEL_VIRT_BASE,
        .table_bits = PTE_PRESENT | PTE_WRITABLE | PTE_USER,
        .page_bits = PTE_PRESENT | PTE_WRITABLE | PTE_LARGE | PTE_USER,
        .leaf_bits = PTE_USER,
    },
};

_Static_assert(MINIVM_PAGE_TABLES_GPA % 0x2000 == 0, "PVM needs an 8 KiB-aligned PGD pair");

static uint64_t *table_at(const struct guest_memory *mem, uint64_t gpa)
{
    return guest_memory_ptr(mem, gpa, MINIVM_PAGE_SIZE);
}

/* True if the 2 MiB page at `pa` is guest RAM. */
static int is_ram(const struct guest_memory *mem, uint64_t pa)
{
    return guest_memory_ptr(mem, pa, MINIVM_LARGE_PAGE_SIZE) != NULL;
}

/* The number of 2 MiB regions of the kernel window that hold a segment's
 * pages (one page table each), or -1 if a segment lies outside the window's
 * first GiB (kernel_load refuses those). */
static int kernel_table_regions(const struct kernel_image *kernel)
{
    uint64_t used[GIB / MINIVM_LARGE_PAGE_SIZE / 64] = {0}; /* a bit per region */
    int count = 0;
    if (kernel->segment_count > KERNEL_MAX_SEGMENTS)
        return -1;
    for (unsigned i = 0; i < kernel->segment_count; i++) {
        const struct kernel_segment *seg = &kernel->segments[i];
        if (seg->size == 0 || seg->paddr >= GIB || seg->size > GIB - seg->paddr)
            return -1;
        uint64_t last = (seg->paddr + seg->size - 1) / MINIVM_LARGE_PAGE_SIZE;
        for (uint64_t r = seg->paddr / MINIVM_LARGE_PAGE_SIZE; r <= last; r++) {
            if (!(used[r / 64] & (1ull << (r % 64))))
                count++;
            used[r / 64] |= 1ull << (r % 64);
        }
    }
    return count;
}

/*
 * Maps each page of the kernel's segments at kernel_base + pa with what the
 * ELF grants it (read always, write if PF_W, execute if PF_X), so the kernel
 * runs W^X from its first instruction and need not build its own image
 * mappings. A page two segments share gets both permissions.
 */
static void map_kernel_segments(const struct guest_memory *mem, const struct layout *l,
                                uint64_t *pd_kernel, const struct kernel_image *kernel,
                                uint64_t tables_gpa)
{
    for (unsigned i = 0; i < kernel->segment_count; i++) {
        const struct kernel_segment *seg = &kernel->segments[i];
        uint64_t end = seg->paddr + seg->size;
        for (uint64_t pa = seg->paddr & ~(MINIVM_PAGE_SIZE - 1); pa < end;
             pa += MINIVM_PAGE_SIZE) {
            uint64_t *pde = &pd_kernel[pa / MINIVM_LARGE_PAGE_SIZE];
            if (*pde == 0) {
                *pde = tables_gpa | l->table_bits;
                tables_gpa += MINIVM_PAGE_SIZE;
            }
            uint64_t *pte = &table_at(mem, *pde & ~(MINIVM_PAGE_SIZE - 1))[(pa >> 12) & 511];
            uint64_t old = *pte;
            uint64_t pte_value = pa | PTE_PRESENT | l->leaf_bits;
            if ((seg->flags & PF_W) || (old & PTE_WRITABLE))
                pte_value |= PTE_WRITABLE;
            if (!(seg->flags & PF_X) && (old == 0 || (old & PTE_NO_EXECUTE)))
                pte_value |= PTE_NO_EXECUTE;
            *pte = pte_value;
        }
    }
}

int long_mode_build_page_tables(const struct guest_memory *mem, enum long_mode_layout which,
                                const struct kernel_image *kernel)
{
    const struct layout *l = &layouts[which];
    uint64_t top = mem->high_size ? MINIVM_HIGH_RAM_START + mem->high_size : mem->low_size;
    uint64_t gib_count = (top + GIB - 1) / GIB;
    int kernel_tables = kernel_table_regions(kernel);
    if (kernel_tables < 0) {
        log_error("guest kernel segment outside the first GiB of the kernel window");
        return -1;
    }
    uint64_t kernel_tables_gpa = l->pd_physmap_first_gpa + gib_count * MINIVM_PAGE_SIZE;
    uint64_t tables_end = kernel_tables_gpa + (uint64_t)kernel_tables * MINIVM_PAGE_SIZE;
    if (tables_end > MINIVM_PAGE_TABLES_END) {
        log_error("guest memory of %llu MiB and a kernel image of %llu KiB need more page "
                  "tables than fit below 1 MiB",
                  (unsigned long long)(mem->size >> 20),
                  (unsigned long long)((kernel->phys_end - MINIVM_KERNEL_PHYS_BASE) >> 10));
        return -1;
    }
    uint8_t *area = guest_memory_ptr(mem, MINIVM_PAGE_TABLES_GPA,
                                     tables_end - MINIVM_PAGE_TABLES_GPA);
    if (!area)
        return -1;
    memset(area, 0, tables_end - MINIVM_PAGE_TABLES_GPA);

    uint64_t *pml4 = table_at(mem, l->pml4_gpa);
    uint64_t *pdpt_physmap = table_at(mem, l->pdpt_physmap_gpa);
    uint64_t *pdpt_kernel = table_at(mem, l->pdpt_kernel_gpa);
    uint64_t *pd_kernel = table_at(mem, l->pd_kernel_gpa);
    pml4[PML4_INDEX(l->physmap_base)] = l->pdpt_physmap_gpa | l->table_bits;
    pml4[PML4_INDEX(l->kernel_base)] = l->pdpt_kernel_gpa | l->table_bits;
    pdpt_kernel[PDPT_INDEX(l->kernel_base)] = l->pd_kernel_gpa | l->table_bits;
    map_kernel_segments(mem, l, pd_kernel, kernel, kernel_tables_gpa);

    /* Physmap: every RAM page, never executable. The MMIO hole stays unmapped;
     * the guest kernel maps device windows itself with the caching it wants. */
    for (uint64_t gib = 0; gib < gib_count; gib++) {
        uint64_t pd_gpa = l->pd_physmap_first_gpa + gib * MINIVM_PAGE_SIZE;
        uint64_t *pd = table_at(mem, pd_gpa);
        int any = 0;
        for (uint64_t i = 0; i < 512; i++) {
            uint64_t pa = gib * GIB + i * MINIVM_LARGE_PAGE_SIZE;
            if (is_ram(mem, pa)) {
                pd[i] = pa | l->page_bits | PTE_NO_EXECUTE;
                any = 1;
            }
        }
        if (any)
            pdpt_physmap[gib] = pd_gpa | l->table_bits;
    }

    /* Boot GDT: null, 64-bit code (0x08), data (0x10). */
    uint64_t *gdt = guest_memory_ptr(mem, MINIVM_BOOT_GDT_GPA, 3 * sizeof(uint64_t));
    if (!gdt)
        return -1;
    gdt[0] = 0;
    gdt[1] = 0x00af9b000000ffffull;
    gdt[2] = 0x00cf93000000ffffull;
    return 0;
}

static int cpu_has_xsave(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return 0;
    return (ecx >> 26) & 1;
}

/* XCR0 as the guest kernel will set it (x87, SSE, and AVX where the host has
 * it), given to KVM with the rest of the CPU state: a hypervisor that misses
 * the guest's own XSETBV (QEMU's emulated SVM does) then still saves and
 * restores the guest's vector state as the guest believes it is. */
static void set_initial_xcr0(struct kvm_vm *vm)
{
    unsigned eax, ebx, ecx, edx;
    if (!cpu_has_xsave() || !__get_cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx))
        return;
    uint64_t want = 0x3; /* x87 | SSE */
    unsigned l1a, l1b, l1c, l1d;
    if (__get_cpuid(1, &l1a, &l1b, &l1c, &l1d) && (l1c & (1u << 28)))
        want |= 0x4; /* AVX */
    struct kvm_xcrs xcrs;
    memset(&xcrs, 0, sizeof xcrs);
    xcrs.nr_xcrs = 1;
    xcrs.xcrs[0].xcr = 0;
    xcrs.xcrs[0].value = want & eax;
    /* The guest kernel sets XCR0 itself too: a refusal here costs nothing. */
    if (ioctl(vm->vcpu_fd, KVM_SET_XCRS, &xcrs) < 0)
        log_trace("KVM_SET_XCRS (XCR0 %#llx) refused: %s", (unsigned long long)xcrs.xcrs[0].value,
                  strerror(errno));
}

int long_mode_enter(struct kvm_vm *vm, enum long_mode_layout which, uint64_t rip, uint64_t rdi)
{
    const struct layout *l = &layouts[which];
    struct kvm_sregs sregs;
    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
        log_error("KVM_GET_SREGS failed: %s", strerror(errno));
        return -1;
    }
    struct kvm_segment code = {
        .base = 0, .limit = 0xffffffff, .selector = MINIVM_BOOT_SEL_CODE,
        .type = 11, .present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
    };
    struct kvm_segment data = code;
    data.selector = MINIVM_BOOT_SEL_DATA;
    data.type = 3;
    data.l = 0;
    data.db = 1;
    sregs.cs = code;
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
    sregs.gdt.base = l->physmap_base + MINIVM_BOOT_GDT_GPA;
    sregs.gdt.limit = 3 * 8 - 1;
    sregs.cr3 = l->pml4_gpa;
    sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
    /* The host's CPUID answers for the guest too: KVM_SET_CPUID2 gave the guest
     * what KVM supports, which includes XSAVE whenever the host has it. */
    sregs.cr4 = CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (cpu_has_xsave())
        sregs.cr4 |= CR4_OSXSAVE;
    sregs.efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0) {
        log_error("KVM_SET_SREGS failed: %s", strerror(errno));
        return -1;
    }
    if (sregs.cr4 & CR4_OSXSAVE)
        set_initial_xcr0(vm);
    struct kvm_regs regs;
    memset(&regs, 0, sizeof regs);
    regs.rflags = 0x2;
    regs.rip = rip;
    regs.rdi = rdi;
    if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0) {
        log_error("KVM_SET_REGS failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}
