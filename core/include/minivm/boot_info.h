/*
 * The contract between the VMM and the guest kernel at boot: the guest-physical
 * memory layout, the page tables the VMM builds, and the boot-info block.
 * Included by the core (host) and by the freestanding guest kernel, so it uses
 * only fixed-width types and no host headers beyond <stdint.h>.
 *
 * Guest-physical map (PC-like, so MMIO never collides with RAM):
 *   [0, low_ram_end)                         RAM, low_ram_end = min(ram, 3 GiB)
 *   [MINIVM_MMIO_HOLE_START, _END)           MMIO windows of plugins (3 GiB .. 4 GiB)
 *   [4 GiB, 4 GiB + ram - low_ram_end)       the rest of RAM, if any
 *
 * Inside low RAM the VMM places, at fixed addresses:
 *   MINIVM_BOOT_INFO_GPA      struct minivm_boot_info (+ device table)
 *   MINIVM_BOOT_GDT_GPA       a minimal GDT matching the segments loaded at entry
 *   MINIVM_PAGE_TABLES_GPA..  PML4, PDPTs, PDs (2 MiB physmap pages) and the
 *                             kernel window's page tables (4 KiB pages)
 *   MINIVM_KERNEL_PHYS_BASE   the guest kernel image (ELF segments by p_paddr),
 *                             then its .symtab and .strtab (page-aligned)
 * and at the top of low RAM: the user program image and the argv/envp strings.
 *
 * Virtual map set up by the VMM before the first instruction (all supervisor-only):
 *   MINIVM_PHYSMAP_BASE + pa  -> pa for all RAM, read/write, no-execute
 *   MINIVM_KERNEL_VIRT_BASE + pa -> pa for each page of the kernel ELF's PT_LOAD
 *       segments (inside the first GiB), with the segment's permissions: read,
 *       write if PF_W, execute if PF_X (a page two segments share gets both);
 *       4 KiB pages, global; nothing else in the window
 * The lower half is empty: it belongs to user programs, managed by the guest kernel.
 *
 * Second layout, for PVM's native mode (MINIVM_BOOT_FLAG_PVM set; chosen when the
 * VMM detected this host's kvm_pvm and the kernel ELF is linked in the lower-half
 * window, see docs/pvm.md). The upper half is the host's there, and the guest
 * kernel runs at hardware CPL 3, so everything moves into the top two PML4 slots
 * of the lower half and every kernel mapping carries the U bit:
 *   MINIVM_PVM_PHYSMAP_BASE + pa     -> pa for all RAM, read/write, no-execute, U
 *   MINIVM_PVM_KERNEL_VIRT_BASE + pa -> pa for the kernel's segments as above, U, not global
 *   [0, MINIVM_PVM_USER_END)         user programs (the guest kernel's to manage)
 * CR3 = MINIVM_PAGE_TABLES_GPA is the kernel PGD of an 8 KiB-aligned pair; the
 * user PGD at +4 KiB (MINIVM_PVM_USER_PGD_GPA) is left empty: user isolation
 * starts when the kernel fills its own pairs. RIP = e_entry (linked in the PVM
 * window), GDTR points into the PVM physmap; the rest of the entry state is the
 * same as below.
 *
 * Entry state: 64-bit mode, CPL 0, paging with PAE/NXE, interrupts off,
 * CS = MINIVM_BOOT_SEL_CODE, DS/ES/SS/FS/GS = MINIVM_BOOT_SEL_DATA,
 * RIP = kernel ELF e_entry, RSP = 0 (the kernel sets its own stack),
 * RDI = MINIVM_BOOT_INFO_GPA (physical; read it through the physmap).
 * EFER: LME|LMA|SCE|NXE. CR0: PE|MP|ET|NE|WP|AM|PG. CR4: PAE|PGE|OSFXSR|OSXMMEXCPT
 * (+OSXSAVE when the CPU has XSAVE). CPUID is what KVM supports.
 */
#ifndef MINIVM_BOOT_INFO_H
#define MINIVM_BOOT_INFO_H

#include <stdint.h>

#define MINIVM_PAGE_SIZE 0x1000ull
#define MINIVM_LARGE_PAGE_SIZE 0x200000ull

#define MINIVM_MMIO_HOLE_START 0xC0000000ull
/* The hole ends below 4 GiB: the top pages are KVM's (Intel TSS, identity map). */
#define MINIVM_MMIO_HOLE_END 0xFE000000ull
#define MINIVM_HIGH_RAM_START 0x100000000ull
/* One PDPT of physmap: 512 GiB of guest-physical space. */
#define MINIVM_MAX_GPA 0x8000000000ull

#define MINIVM_BOOT_INFO_GPA 0x1000ull  /* 2 pages */
#define MINIVM_BOOT_GDT_GPA 0x3000ull   /* 1 page */
#define MINIVM_PAGE_TABLES_GPA 0x10000ull
#define MINIVM_PAGE_TABLES_END 0x100000ull
#define MINIVM_KERNEL_PHYS_BASE 0x100000ull

#define MINIVM_PHYSMAP_BASE 0xffff800000000000ull
#define MINIVM_KERNEL_VIRT_BASE 0xffffffff80000000ull

/* The PVM layout (lower half). Slots 254 and 255 of the PML4, 512 GiB each. */
#define MINIVM_PVM_KERNEL_VIRT_BASE 0x00007f0000000000ull
#define MINIVM_PVM_PHYSMAP_BASE 0x00007f8000000000ull
#define MINIVM_PVM_USER_END MINIVM_PVM_KERNEL_VIRT_BASE
#define MINIVM_PVM_USER_PGD_GPA (MINIVM_PAGE_TABLES_GPA + MINIVM_PAGE_SIZE)
/* kvm_pvm's paravirtual MSRs (docs/pvm.md, found by probing this host). */
#define MINIVM_PVM_MSR_VIF 0x4b564d10u       /* guest writes: VIF page GPA | feature bits */
#define MINIVM_PVM_MSR_SIGNATURE 0x4b564d11u /* reads MINIVM_PVM_SIGNATURE */
#define MINIVM_PVM_SIGNATURE 0x4d5650ull    /* "PVM" */

#define MINIVM_BOOT_SEL_CODE 0x08
#define MINIVM_BOOT_SEL_DATA 0x10

#define MINIVM_BOOT_INFO_MAGIC 0x4f4f424d564e494dull /* "MINVMBOO" */
/* 3: the kernel symbol table fields appended at the end. */
#define MINIVM_BOOT_INFO_VERSION 3u

#define MINIVM_BOOT_MAX_DEVICES 32u
#define MINIVM_BOOT_MAX_RAM_RANGES 4u
#define MINIVM_DEVICE_KIND_LEN 16u

/* Flags in minivm_boot_info.flags */
#define MINIVM_BOOT_FLAG_TRACE 0x1u /* --trace: the kernel reports unknown syscalls etc. */
/* The host is kvm_pvm with native mode and the VMM built the PVM layout above
 * (the kernel checks the signature MSR itself before relying on it). */
#define MINIVM_BOOT_FLAG_PVM 0x2u
/* The working directory was asked for (--workdir): it must exist. Without the
 * flag it is where minivm was started, and "/" stands in when the guest's
 * tree has no such directory (e.g. under the guest's own /tmp). */
#define MINIVM_BOOT_FLAG_WORKDIR_GIVEN 0x4u
/* The host emulates the guest kernel's instructions (kvm_pvm without native
 * mode): XSAVE/XRSTOR are beyond its emulator, so the kernel enables no
 * state component FXSAVE cannot switch (no AVX for user programs). */
#define MINIVM_BOOT_FLAG_EMULATED_KERNEL 0x8u
/* --strace: the kernel writes one strace-format line per system call, signal
 * and exit to the platform device (PLATFORM_OP_STRACE). */
#define MINIVM_BOOT_FLAG_STRACE 0x10u
/* --gdb: the kernel reports process start and exit to the core's "gdb" device
 * (minivm/gdb_events.h) so the stub can stop before the first instruction. */
#define MINIVM_BOOT_FLAG_GDB 0x20u

/* A device as the guest sees it: either a port range or an MMIO window. */
struct minivm_boot_device {
    char kind[MINIVM_DEVICE_KIND_LEN]; /* NUL-terminated, e.g. "console" */
    uint16_t port_base;                /* 0 when the device has no ports */
    uint16_t port_count;
    uint32_t reserved;
    uint64_t mmio_base; /* 0 when the device has no MMIO window */
    uint64_t mmio_size;
};

struct minivm_ram_range {
    uint64_t start; /* guest-physical */
    uint64_t size;
};

struct minivm_boot_info {
    uint64_t magic;   /* MINIVM_BOOT_INFO_MAGIC */
    uint32_t version; /* MINIVM_BOOT_INFO_VERSION */
    uint32_t size;    /* sizeof(struct minivm_boot_info) */

    /* All guest RAM, and the part of it the kernel may hand out as pages
     * (everything not used by boot data, page tables, kernel, program, strings). */
    uint32_t ram_range_count;
    uint32_t flags;
    struct minivm_ram_range ram[MINIVM_BOOT_MAX_RAM_RANGES];
    struct minivm_ram_range free[MINIVM_BOOT_MAX_RAM_RANGES];
    uint32_t free_range_count;
    uint32_t device_count;

    /* The user program's file contents, as read by the VMM (not yet validated
     * beyond "static x86-64 ELF executable"). */
    uint64_t program_gpa;
    uint64_t program_size;

    /* argv then envp, each string NUL-terminated, back to back. The first argv
     * string is argv[0]. AT_EXECFN is argv[0] too. */
    uint64_t strings_gpa;
    uint64_t strings_size;
    uint32_t argc;
    uint32_t envc;

    /* 16 bytes from the host's getrandom for AT_RANDOM and the kernel's own use. */
    uint8_t random[16];

    /* Wall-clock time at boot (ns since the epoch) for a guest without a clock device. */
    uint64_t boot_time_ns;

    struct minivm_boot_device devices[MINIVM_BOOT_MAX_DEVICES];

    /* The vCPU's TSC frequency in kHz (KVM_GET_TSC_KHZ), 0 if unknown: lets the
     * guest turn RDTSC deltas into time without a VM exit. */
    uint64_t tsc_khz;

    /* The program's working directory: an absolute guest path, NUL-terminated
     * (cwd_size bytes with the NUL), right after the argv/envp strings. */
    uint64_t cwd_gpa;
    uint64_t cwd_size;

    /* Where the guest kernel mounts a tmpfs of its own: absolute guest paths,
     * each NUL-terminated, back to back (tmpfs_size bytes in all, 0 for none),
     * right after the working directory. */
    uint64_t tmpfs_gpa;
    uint64_t tmpfs_size;

    /* The guest kernel's own symbol table (its ELF .symtab: Elf64_Sym
     * entries) and the string table it names, copied by the VMM into RAM
     * right after the kernel image, so a kernel panic can name the functions
     * of its backtrace. Sizes are 0 when the kernel ELF has no .symtab. */
    uint64_t kernel_symtab_gpa;
    uint64_t kernel_symtab_size;
    uint64_t kernel_strtab_gpa;
    uint64_t kernel_strtab_size;
};

#endif /* MINIVM_BOOT_INFO_H */
