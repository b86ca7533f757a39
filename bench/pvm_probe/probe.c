/*
 * PVM probe: a stand-alone guest kernel for minivm that measures the cost of a
 * user-mode `syscall` answered by the guest kernel, with the kernel either
 * emulated (what this host's kvm_pvm does to today's guest kernel) or running
 * natively under kvm_pvm's paravirtual mode. docs/pvm.md explains the findings.
 *
 * Run (bench/pvm_probe/run.sh does it):
 *   minivm -c bench/pvm_probe/probe.ini --trace -- PROGRAM MODE N [FLAGS]
 * PROGRAM is any static ELF (minivm insists on one; the probe ignores it),
 * MODE is "native" (default), "emulated" or "info"; N the number of syscalls;
 * FLAGS (hex): bits 0-7 are written with the VIF address (default 0x1, the
 * PGD-pair flip); bit 0x100 makes the kernel return with SYSRETQ, not IRETQ.
 * MODE "isolation" is "native" plus a user-mode read of a kernel page at the
 * end, which must fault.
 * MODE "uexc" enters user mode with SYSRETQ and takes N user-mode page faults
 * (UEXC_* bits of FLAGS below pick the set-up); MODE "toggle" tries to leave
 * native mode again (VIF MSR = 0) and re-enter it N times. Both are the
 * experiments behind docs/pvm.md §6 ("Status").
 * The result is one trace line; the exit status is 0 on success.
 *
 * What the probe does, step by step:
 *  1. Starts where the boot contract puts a kernel: the upper half, CPL 0.
 *     Under kvm_pvm every instruction here is emulated (~1 us each).
 *  2. Builds its own page tables: an 8 KiB-aligned PGD pair (kernel PGD, and at
 *     +4 KiB the user PGD) with the first GiB of RAM at LOW_BASE (kernel alias)
 *     and at USER_BASE (user alias), both with the U bit: this kvm_pvm runs
 *     guest supervisor code natively at hardware CPL 3, so every page the
 *     kernel touches must be user-accessible in the guest's page tables. The
 *     user PGD maps only the user alias (KPTI-style isolation).
 *  3. Jumps to the lower-half alias: the upper half is the host kernel's, so
 *     native guest code can neither run nor read data there.
 *  4. Installs a Linux-layout GDT/TSS/IDT (selectors 0x10/0x18/0x2b/0x33,
 *     which are the host's user selectors that PVM runs the guest on).
 *  5. Detects kvm_pvm (MSR 0x4b564d11 reads "PVM") and, in native mode,
 *     writes the guest-physical address of a zeroed page (the "VIF" page: the
 *     virtual interrupt flag, pending bit and CR2 cell) to MSR 0x4b564d10,
 *     ORed with feature flags. From then on the kernel runs natively: CS reads
 *     0x33 (the hardware selector) and instructions cost what they cost.
 *  6. Enters user mode with IRETQ, runs N `syscall`s (getppid's number) and
 *     one exit syscall; the kernel answers each by counting and returning with
 *     IRETQ (native mode: no VM exit on the way back) or SYSRETQ.
 */
#include <minivm/boot_info.h>

#include "platform/platform_abi.h"

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define LOW_BASE 0x0000008000000000ul  /* PML4[1]: kernel alias of the first GiB */
#define USER_BASE 0x0000010000000000ul /* PML4[2]: user alias of the first GiB */
#define GIB (1ul << 30)

#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_SFMASK 0xc0000084u
/* kvm_pvm's paravirtual MSRs on this host (docs/pvm.md, found by probing). */
#define MSR_PVM_VIF 0x4b564d10u       /* GPA of the VIF page | feature flags */
#define MSR_PVM_SIGNATURE 0x4b564d11u /* reads 0x4d5650, "PVM" */
#define PVM_SIGNATURE 0x4d5650u

#define SEL_KERNEL_CODE 0x10
#define SEL_KERNEL_DATA 0x18
#define SEL_USER32_CODE 0x23
#define SEL_USER_DATA 0x2b
#define SEL_USER_CODE 0x33
#define SEL_TSS 0x40

#define NR_GETPPID 110
#define NR_EXIT 60
#define NR_ISOLATION_BROKEN 61 /* the probe's own: user mode could read kernel memory */

/* ---- state (all reached RIP-relative, so valid from either alias) ---- */
static struct platform_args blk __attribute__((aligned(64)));
static char msg[512];
static int msg_len;
static u16 port;
static u64 tsc_khz;
static u64 iterations = 1000000;
static u64 pvm_flags = 0x1;
static int mode_native = 1, mode_info, mode_isolation;
/*
 * MODE "uexc": N user-mode loads that fault, each a #PF from user mode, handled
 * on the kernel PGD (the stub writes CR3) and skipped. By default the load hits
 * the kernel alias (so it also checks isolation), the IDT/GDT/TSS/stubs/stack
 * are used through the user alias (mapped in the user PGD) and the return is
 * IRETQ. FLAGS bits (besides the VIF bits 0-7):
 */
#define UEXC_RET_CR3 0x200            /* return: CR3 = user PGD, then IRETQ */
#define UEXC_RET_SYSRET 0x400         /* return: SYSRETQ to a trampoline restoring RCX/R11/RIP */
#define UEXC_STAY_ON_USER_PGD 0x800   /* no CR3 write in the stub, no kernel-alias read */
#define UEXC_UNMAPPED 0x1000          /* fault on UNMAPPED_VA instead of the kernel alias */
#define UEXC_USER_MAPS_KERNEL 0x2000  /* the user PGD maps the kernel alias too */
#define UEXC_KERNEL_ALIAS_IDT 0x4000  /* keep IDT/GDT/TSS/stack at the kernel alias */
#define UEXC_IRETQ_ENTRY 0x8000       /* enter user mode with IRETQ, not SYSRETQ */
#define UEXC_GS_BASES 0x10000         /* GS_BASE and KERNEL_GS_BASE set to kernel data */
#define UEXC_IST 0x20000              /* #PF and #DF on IST 1 */
#define UEXC_TOP_STACK 0x40000        /* RSP0/IST at an alias in PML4 slot 254 (0x7f00...) */
#define UEXC_SWAPGS 0x80000           /* SWAPGS before the first SYSRETQ, as Linux does */
#define UEXC_GATE_SEL 0x100000       /* IDT gates with selector UEXC_GATE_SELECTOR */
#define UEXC_GATE_SELECTOR 0x33
#define UEXC_KERNEL_FAULT 0x200000   /* also one kernel-mode #PF (on UNMAPPED_VA) before user mode */
#define UNMAPPED_VA 0x0000030000000000ul
static int kexc_seen;
static u64 kexc_cs;
static int mode_uexc, mode_toggle;
static u64 uexc_faults;
u64 kernel_cr3, user_cr3, cell_rcx, cell_r11, cell_rip;
u8 uexc_ret_mode;
static int on_pvm, native;
static u64 hw_cs_in_kernel;

__attribute__((aligned(16))) unsigned char kstack[16384];
__attribute__((aligned(16))) unsigned char ustack[16384];
__attribute__((aligned(8192))) static u64 pgd[1024]; /* [0..511] kernel, [512..] user */
__attribute__((aligned(4096))) static u64 low_pdpt[512], low_pd[512];
__attribute__((aligned(4096))) static u64 user_pdpt[512], user_pd[512];
__attribute__((aligned(4096))) static volatile u8 vif_page[4096];

/* Read by the assembly entry points. */
u64 saved_user_rsp, kernel_rsp, syscall_count;
u8 return_with_iret;

static u64 pa_of(const volatile void *p)
{
    u64 v = (u64)p;
    if (v >= MINIVM_KERNEL_VIRT_BASE)
        return v - MINIVM_KERNEL_VIRT_BASE;
    if (v >= MINIVM_PHYSMAP_BASE)
        return v - MINIVM_PHYSMAP_BASE;
    if (v >= USER_BASE)
        return v - USER_BASE;
    return v - LOW_BASE;
}

/* ---- output through the platform device ---- */
static void outl(u16 p, u32 v) { __asm__ volatile("outl %0,%1" : : "a"(v), "Nd"(p) : "memory"); }
static void put(const char *s)
{
    while (*s && msg_len < (int)sizeof msg - 1)
        msg[msg_len++] = *s++;
}
static void put_hex(u64 v)
{
    char b[19];
    int i = 18;
    b[18] = 0;
    do {
        b[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    b[--i] = 'x';
    b[--i] = '0';
    put(b + i);
}
static void put_dec(u64 v)
{
    char b[21];
    int i = 20;
    b[20] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(b + i);
}
static void flush(void)
{
    blk.hdr.op = PLATFORM_OP_TRACE;
    blk.msg_gpa = pa_of(msg);
    blk.msg_len = (u64)msg_len;
    outl(port, (u32)pa_of(&blk));
    msg_len = 0;
}
__attribute__((noreturn)) static void finish(int status)
{
    blk.hdr.op = PLATFORM_OP_EXIT;
    blk.status = status;
    outl(port, (u32)pa_of(&blk));
    for (;;)
        __asm__ volatile("hlt");
}

/* ---- small CPU helpers ---- */
static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 m, u64 v)
{
    __asm__ volatile("wrmsr" : : "c"(m), "a"((u32)v), "d"((u32)(v >> 32)));
}
static inline u64 read_cs(void)
{
    u64 cs;
    __asm__ volatile("mov %%cs,%0" : "=r"(cs));
    return cs;
}
static u64 ns_of(u64 cycles) { return tsc_khz ? cycles * 1000000 / tsc_khz : 0; }

/* ---- GDT, TSS, IDT (Linux layout) ---- */
struct tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3, iomap_base;
} __attribute__((packed));
struct gate {
    u16 off0, sel;
    u8 ist, type;
    u16 off1;
    u32 off2, reserved;
};
static u64 gdt[(SEL_TSS >> 3) + 2] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static struct gate idt[256] __attribute__((aligned(16)));
extern char isr_stubs[]; /* 256 stubs, 16 bytes apart (below) */
extern char syscall_entry[];

static volatile int msr_probe_armed, msr_probe_faulted;
static int syscall_via_fault;

/* Called by every exception stub with the saved registers (15 GPRs, then the
 * vector, error code and the CPU's frame). Returns to retry, or ends the run. */
__attribute__((noreturn, used)) void report(u64 t0, u64 t1);
__attribute__((used)) void trap(u64 *frame)
{
    u64 vector = frame[15], error = frame[16], rip = frame[17], cs = frame[18];
    /* Emulated mode: kvm_pvm moves a user SYSCALL to MSR_LSTAR without leaving
     * user mode, so the fetch of the supervisor-only entry faults; that #PF is
     * the system call (what guest/kernel does today, syscall_trampoline.h).
     * frame: r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax. */
    if (vector == 14 && (cs & 3) == 3 && rip == (u64)syscall_entry) {
        syscall_via_fault = 1;
        if (frame[14] == NR_EXIT)
            report(frame[9], frame[10]);
        syscall_count++;
        frame[14] = 0;          /* rax: getppid() = 0 */
        frame[17] = frame[12];  /* rip = rcx */
        frame[19] = frame[4];   /* rflags = r11 */
        return;
    }
    if (msr_probe_armed && vector == 13) { /* rdmsr of an MSR this KVM lacks */
        msr_probe_faulted = 1;
        frame[17] += 2;
        return;
    }
    u64 cr2;
    __asm__ volatile("mov %%cr2,%0" : "=r"(cr2));
    if (mode_uexc && vector == 14 && (cs & 3) == 3 &&
        ((cr2 >= LOW_BASE && cr2 < LOW_BASE + GIB) || cr2 == UNMAPPED_VA)) {
        /* Faults (nested #PF from the kernel) unless the stub's CR3 write put
         * the kernel PGD back. */
        if (pvm_flags & UEXC_STAY_ON_USER_PGD)
            uexc_faults++;
        else
            uexc_faults = *(volatile u64 *)(LOW_BASE + pa_of(&uexc_faults)) + 1;
        frame[17] += 3; /* skip the 3-byte load */
        return;
    }
    if (mode_uexc && vector == 14 && (cs & 3) == 0 && cr2 == UNMAPPED_VA) {
        kexc_seen++;
        kexc_cs = cs;
        frame[17] += 3;
        return;
    }
    if (mode_isolation && vector == 14 && (cs & 3) == 3 && cr2 >= LOW_BASE && cr2 < LOW_BASE + GIB) {
        put("pvm_probe: isolation ok: user-mode read of kernel page ");
        put_hex(cr2);
        put(" faulted (error ");
        put_hex(error);
        put(") after ");
        put_dec(syscall_count);
        put(" syscalls");
        flush();
        finish(syscall_count == iterations ? 0 : 1);
    }
    put("pvm_probe: unexpected exception ");
    put_dec(vector);
    put(" error ");
    put_hex(error);
    put(" rip ");
    put_hex(rip);
    put(" cs ");
    put_hex(cs);
    put(" cr2 ");
    put_hex(cr2);
    if (mode_uexc) {
        put(" after user_faults=");
        put_dec(uexc_faults);
    }
    flush();
    finish(100 + (int)vector);
}

static void load_descriptors(void)
{
    gdt[SEL_KERNEL_CODE >> 3] = 0x00af9b000000ffffUL;
    gdt[SEL_KERNEL_DATA >> 3] = 0x00cf93000000ffffUL;
    gdt[SEL_USER32_CODE >> 3] = 0x00cffb000000ffffUL;
    gdt[SEL_USER_DATA >> 3] = 0x00cff3000000ffffUL;
    gdt[SEL_USER_CODE >> 3] = 0x00affb000000ffffUL;
    u64 base = (u64)&tss;
    tss.iomap_base = sizeof tss;
    tss.rsp[0] = (u64)&kstack[sizeof kstack];
    gdt[SEL_TSS >> 3] = (sizeof tss - 1) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
                        (((base >> 24) & 0xff) << 56);
    gdt[(SEL_TSS >> 3) + 1] = base >> 32;
    for (int v = 0; v < 256; v++) {
        u64 a = (u64)isr_stubs + (u64)v * 16;
        idt[v] = (struct gate){(u16)a, SEL_KERNEL_CODE, 0, 0x8e, (u16)(a >> 16), (u32)(a >> 32), 0};
    }
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) gdtr = {sizeof gdt - 1, (u64)gdt}, idtr = {sizeof idt - 1, (u64)idt};
    __asm__ volatile("lgdt %0\n\t"
                     "lidt %1\n\t"
                     "pushq %2\n\t"
                     "leaq 1f(%%rip),%%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1: movl %3,%%eax\n\t"
                     "movl %%eax,%%ss\n\t"
                     "movl %%eax,%%ds\n\t"
                     "movl %%eax,%%es\n\t"
                     "xorl %%eax,%%eax\n\t"
                     "movl %%eax,%%fs\n\t"
                     "movl %%eax,%%gs\n\t"
                     "movl %4,%%eax\n\t"
                     "ltr %%ax"
                     :
                     : "m"(gdtr), "m"(idtr), "i"((u64)SEL_KERNEL_CODE), "i"(SEL_KERNEL_DATA),
                       "i"(SEL_TSS)
                     : "rax", "memory");
}

/* uexc: the IDT, GDT, TSS, stubs and the kernel stack used through the user
 * alias, which the user PGD maps, so a user-mode exception can be delivered. */
static void descriptors_to_user_alias(void)
{
    const u64 delta = USER_BASE - LOW_BASE;
    for (int v = 0; v < 256; v++) {
        u64 a = (u64)isr_stubs + (u64)v * 16 + delta;
        idt[v] = (struct gate){(u16)a, SEL_KERNEL_CODE, 0, 0x8e, (u16)(a >> 16), (u32)(a >> 32), 0};
    }
    u64 base = (u64)&tss + delta;
    tss.rsp[0] = (u64)&kstack[sizeof kstack] + delta;
    gdt[SEL_TSS >> 3] = (sizeof tss - 1) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
                        (((base >> 24) & 0xff) << 56);
    gdt[(SEL_TSS >> 3) + 1] = base >> 32;
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) gdtr = {sizeof gdt - 1, (u64)gdt + delta},
                              idtr = {sizeof idt - 1, (u64)idt + delta};
    __asm__ volatile("lgdt %0\n\t"
                     "lidt %1\n\t"
                     "movl %2,%%eax\n\t"
                     "ltr %%ax"
                     :
                     : "m"(gdtr), "m"(idtr), "i"(SEL_TSS)
                     : "rax", "memory");
}

/* rdmsr that survives a #GP (on hardware KVM the PVM MSRs do not exist). */
static int rdmsr_safe(u32 m, u64 *value)
{
    u32 lo = 0, hi = 0;
    msr_probe_faulted = 0;
    msr_probe_armed = 1;
    __asm__ volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(m) : "memory");
    msr_probe_armed = 0;
    *value = ((u64)hi << 32) | lo;
    return msr_probe_faulted ? -1 : 0;
}

/* ---- user mode ---- */
__attribute__((used, noinline)) void user_main(void)
{
    u64 n = iterations; /* read through the user alias */
    u64 t0 = rdtsc();
    if (mode_uexc) {
        u64 kernel_word = (pvm_flags & UEXC_UNMAPPED) ? UNMAPPED_VA : pa_of(&syscall_count) + LOW_BASE;
        for (u64 i = 0; i < n; i++)
            __asm__ volatile(".byte 0x48, 0x8b, 0x03" /* movq (%%rbx), %%rax */
                             : : "b"(kernel_word) : "rax", "memory");
        n = 0;
    }
    for (u64 i = 0; i < n; i++) {
        u64 rax = NR_GETPPID;
        __asm__ volatile("syscall" : "+a"(rax) : : "rcx", "r11", "memory");
    }
    u64 t1 = rdtsc();
    if (mode_isolation) {
        /* Read the kernel's own copy of syscall_count through the kernel alias:
         * must fault, as the user PGD does not map it. */
        volatile u64 *kernel_word = (volatile u64 *)(pa_of(&syscall_count) + LOW_BASE);
        u64 leaked = *kernel_word;
        __asm__ volatile("syscall" : : "a"(NR_ISOLATION_BROKEN), "D"(leaked) : "rcx", "r11", "memory");
    }
    __asm__ volatile("syscall" : : "a"(NR_EXIT), "D"(t0), "S"(t1) : "rcx", "r11", "memory");
    for (;;)
        ;
}

/* NR_EXIT lands here (on the kernel stack) with the user's timestamps. */
__attribute__((used, noreturn)) void report(u64 t0, u64 t1)
{
    u64 ns = ns_of(t1 - t0);
    put("pvm_probe: mode=");
    put(native ? "native" : (on_pvm ? "emulated" : "hardware"));
    put(" pvm=");
    put_dec((u64)on_pvm);
    put(" flags=");
    put_hex(native ? pvm_flags : 0);
    put(" kernel_hw_cs=");
    put_hex(hw_cs_in_kernel);
    put(" entry=");
    put(syscall_via_fault ? "#PF-at-LSTAR" : "LSTAR");
    put(" return=");
    put(syscall_via_fault ? "iretq-from-#PF" : return_with_iret ? "iretq" : "sysretq");
    put(" syscalls=");
    put_dec(syscall_count);
    if (mode_uexc) {
        put(" user_faults=");
        put_dec(uexc_faults);
        put(" kernel_faults=");
        put_dec((u64)kexc_seen);
        put(" kernel_fault_cs=");
        put_hex(kexc_cs);
        put(" return=");
        put(uexc_ret_mode == 1 ? "cr3+iretq" : uexc_ret_mode == 2 ? "sysretq+trampoline" : "iretq");
        syscall_count = uexc_faults;
    }
    put(" total_us=");
    put_dec(ns / 1000);
    put(" ns_per_syscall=");
    put_dec(iterations ? ns / iterations : 0);
    flush();
    finish(syscall_count == iterations ? 0 : 1);
}

__attribute__((used, noreturn)) void isolation_broken(u64 leaked)
{
    put("pvm_probe: isolation BROKEN: user mode read kernel memory (value ");
    put_dec(leaked);
    put(")");
    flush();
    finish(1);
}

__attribute__((noreturn)) static void enter_user(void)
{
    wrmsr(MSR_STAR, ((u64)SEL_USER32_CODE << 48) | ((u64)SEL_KERNEL_CODE << 32));
    wrmsr(MSR_LSTAR, (u64)syscall_entry);
    wrmsr(MSR_SFMASK, 0x47700); /* TF DF IF IOPL AC NT, as Linux */
    kernel_rsp = (u64)&kstack[sizeof kstack];
    u64 rip = pa_of((void *)user_main) + USER_BASE;
    u64 rsp = pa_of(&ustack[sizeof ustack]) + USER_BASE;
    if (mode_uexc && (pvm_flags & UEXC_GS_BASES)) {
        wrmsr(0xc0000101u, (u64)&blk);
        wrmsr(0xc0000102u, (u64)&blk);
    }
    if (mode_uexc && (pvm_flags & UEXC_IST)) {
        tss.ist[0] = (u64)&kstack[sizeof kstack] + ((pvm_flags & UEXC_KERNEL_ALIAS_IDT) ? 0 : USER_BASE - LOW_BASE);
        idt[14].ist = 1;
        idt[8].ist = 1;
    }
    if (mode_uexc && (pvm_flags & UEXC_TOP_STACK)) {
        const u64 top_alias = 0x00007f0000000000ul;
        pgd[254] = pa_of(low_pdpt) | 7;
        pgd[512 + 254] = pa_of(low_pdpt) | 7;
        __asm__ volatile("mov %%cr3,%%rax; mov %%rax,%%cr3" : : : "rax", "memory");
        tss.rsp[0] = pa_of(&kstack[sizeof kstack]) + top_alias;
        tss.ist[0] = tss.rsp[0];
    }
    if (mode_uexc && (pvm_flags & UEXC_GATE_SEL)) {
        for (int v = 0; v < 256; v++)
            idt[v].sel = UEXC_GATE_SELECTOR;
    }
    if (mode_uexc && (pvm_flags & UEXC_KERNEL_FAULT))
        __asm__ volatile(".byte 0x48, 0x8b, 0x03" : : "b"(UNMAPPED_VA) : "rax", "memory");
    if (mode_uexc && (pvm_flags & UEXC_SWAPGS))
        __asm__ volatile("swapgs" : : : "memory");
    if (mode_uexc && !(pvm_flags & UEXC_IRETQ_ENTRY)) /* with VIF bit 0 the host flips to the user PGD */
        __asm__ volatile("mov $0x202, %%r11\n\t"
                         "mov %1, %%rsp\n\t"
                         "sysretq"
                         :
                         : "c"(rip), "r"(rsp)
                         : "r11", "memory");
    __asm__ volatile("pushq %2\n\t"
                     "pushq %1\n\t"
                     "pushq $0x202\n\t"
                     "pushq %3\n\t"
                     "pushq %0\n\t"
                     "iretq"
                     :
                     : "r"(rip), "r"(rsp), "i"((u64)SEL_USER_DATA), "i"((u64)SEL_USER_CODE));
    __builtin_unreachable();
}

/* Runs at the lower-half alias. */
__attribute__((noreturn, used)) void low_main(void)
{
    load_descriptors();
    u64 sig = 0;
    on_pvm = rdmsr_safe(MSR_PVM_SIGNATURE, &sig) == 0 && sig == PVM_SIGNATURE;
    if (mode_info) {
        u64 v;
        for (u32 m = 0x4b564d10; m < 0x4b564d14; m++) {
            put("pvm_probe: msr ");
            put_hex(m);
            if (rdmsr_safe(m, &v))
                put(" #GP");
            else {
                put(" = ");
                put_hex(v);
            }
            flush();
        }
    }
    if (on_pvm && mode_native) {
        /* Native guest supervisor code runs at hardware CPL 3: the kernel's
         * pages must carry the U bit (the user PGD still does not map them). */
        for (int i = 0; i < 512; i++)
            low_pd[i] |= 4;
        u64 cr3;
        __asm__ volatile("mov %%cr3,%0; mov %0,%%cr3" : "=r"(cr3) : : "memory");
        wrmsr(MSR_PVM_VIF, pa_of(vif_page) | (pvm_flags & 0xff));
        native = 1;
        if (mode_uexc && (pvm_flags & UEXC_USER_MAPS_KERNEL))
            pgd[512 + ((LOW_BASE >> 39) & 511)] = pa_of(low_pdpt) | 7;
        if (mode_uexc && !(pvm_flags & UEXC_KERNEL_ALIAS_IDT))
            descriptors_to_user_alias();
        if (mode_uexc) {
            kernel_cr3 = (pvm_flags & UEXC_STAY_ON_USER_PGD) ? 0 : pa_of(pgd);
            user_cr3 = pa_of(pgd) + 0x1000;
            uexc_ret_mode = (pvm_flags & UEXC_RET_CR3) ? 1 : (pvm_flags & UEXC_RET_SYSRET) ? 2 : 0;
        }
        /* IRETQ to user is a direct switch (no exit) but leaves the kernel PGD
         * loaded; SYSRETQ exits, and with flag 0x1 the host flips to the user
         * PGD. FLAGS bit 0x100 (the probe's own) picks SYSRETQ. */
        return_with_iret = !(pvm_flags & 0x100);
    }
    hw_cs_in_kernel = read_cs(); /* 0x33 when running natively at hardware CPL 3 */
    if (mode_toggle) {
        /* Can native mode be left and re-entered? CS reads 0x10 when emulated. */
        u64 cs_off = 0, cs_on = 0, t0 = rdtsc();
        for (u64 i = 0; i < iterations; i++) {
            wrmsr(MSR_PVM_VIF, 0);
            cs_off = read_cs();
            wrmsr(MSR_PVM_VIF, pa_of(vif_page) | (pvm_flags & 0xff));
            cs_on = read_cs();
        }
        u64 t1 = rdtsc();
        put("pvm_probe: toggle cs_off=");
        put_hex(cs_off);
        put(" cs_on=");
        put_hex(cs_on);
        put(" ns_per_round_trip=");
        put_dec(iterations ? ns_of(t1 - t0) / iterations : 0);
        flush();
        finish(0);
    }
    enter_user();
}

/* ---- boot: upper half, CPL 0 ---- */
static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}
static u64 parse_number(const char *s, int base)
{
    u64 v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2, base = 16;
    for (; *s; s++) {
        int d = (*s >= '0' && *s <= '9')   ? *s - '0'
                : (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
                : (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10
                                           : 99;
        if (d >= base)
            break;
        v = v * (u64)base + (u64)d;
    }
    return v;
}

__attribute__((noreturn, used)) void probe_main(u64 boot_info_pa)
{
    const struct minivm_boot_info *info =
        (const struct minivm_boot_info *)(MINIVM_PHYSMAP_BASE + boot_info_pa);
    for (u32 i = 0; i < info->device_count && i < MINIVM_BOOT_MAX_DEVICES; i++)
        if (streq(info->devices[i].kind, PLATFORM_KIND))
            port = info->devices[i].port_base;
    if (info->magic != MINIVM_BOOT_INFO_MAGIC || !port)
        for (;;)
            __asm__ volatile("hlt");
    tsc_khz = info->tsc_khz;
    /* argv: PROGRAM MODE N FLAGS */
    const char *s = (const char *)(MINIVM_PHYSMAP_BASE + info->strings_gpa);
    for (u32 i = 0; i < info->argc; i++) {
        if (i == 1) {
            mode_native = !streq(s, "emulated");
            mode_info = streq(s, "info");
            mode_isolation = streq(s, "isolation");
            mode_uexc = streq(s, "uexc");
            mode_toggle = streq(s, "toggle");
        } else if (i == 2) {
            iterations = parse_number(s, 10);
        } else if (i == 3) {
            pvm_flags = parse_number(s, 16) & 0xffffff;
        }
        while (*s)
            s++;
        s++;
    }

    /* Page tables: the VMM's upper-half entries (to keep running here until the
     * jump) plus the two lower-half aliases, all of RAM's first GiB. */
    u64 cr3;
    __asm__ volatile("mov %%cr3,%0" : "=r"(cr3));
    const u64 *vmm_pml4 = (const u64 *)(MINIVM_PHYSMAP_BASE + (cr3 & ~0xfffUL));
    for (int i = 0; i < 512; i++) {
        pgd[i] = vmm_pml4[i];
        low_pd[i] = ((u64)i << 21) | 0x83;  /* present, writable, 2 MiB, supervisor */
        user_pd[i] = ((u64)i << 21) | 0x87;
    }
    low_pdpt[0] = pa_of(low_pd) | 7;
    user_pdpt[0] = pa_of(user_pd) | 7;
    pgd[(LOW_BASE >> 39) & 511] = pa_of(low_pdpt) | 7;
    pgd[(USER_BASE >> 39) & 511] = pa_of(user_pdpt) | 7;
    pgd[512 + ((USER_BASE >> 39) & 511)] = pa_of(user_pdpt) | 7; /* the user PGD */
    __asm__ volatile("mov %0,%%cr3" : : "r"(pa_of(pgd)) : "memory");

    u64 target = pa_of((void *)low_main) + LOW_BASE;
    u64 stack = pa_of(&kstack[sizeof kstack]) + LOW_BASE;
    __asm__ volatile("mov %0,%%rsp\n\t"
                     "jmp *%1"
                     :
                     : "r"(stack), "r"(target)
                     : "memory");
    __builtin_unreachable();
}

/* Entry, exception stubs and the SYSCALL entry. */
__asm__(".section .text.entry,\"ax\"\n"
        ".globl probe_entry\n"
        "probe_entry:\n"
        "    leaq kstack+16384(%rip), %rsp\n"
        "    call probe_main\n"
        ".text\n"
        ".align 16\n"
        ".globl isr_stubs\n"
        "isr_stubs:\n"
        ".set vec, 0\n"
        ".rept 256\n"
        ".align 16\n"
        ".if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17)\n"
        "    pushq $vec\n"
        ".else\n"
        "    pushq $0\n"
        "    pushq $vec\n"
        ".endif\n"
        "    jmp isr_common\n"
        ".set vec, vec + 1\n"
        ".endr\n"
        "isr_common:\n"
        "    push %rax; push %rbx; push %rcx; push %rdx; push %rsi; push %rdi; push %rbp\n"
        "    push %r8; push %r9; push %r10; push %r11; push %r12; push %r13; push %r14; push %r15\n"
        "    testb $3, 18*8(%rsp)\n"
        "    jz 4f\n"
        "    mov kernel_cr3(%rip), %rax\n"
        "    test %rax, %rax\n"
        "    jz 4f\n"
        "    mov %rax, %cr3\n"
        "4:  mov %rsp, %rdi\n"
        "    mov %rsp, %rbx\n"
        "    and $-16, %rsp\n"
        "    call trap\n"
        "    mov %rbx, %rsp\n"
        "    pop %r15; pop %r14; pop %r13; pop %r12; pop %r11; pop %r10; pop %r9; pop %r8\n"
        "    pop %rbp; pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rbx; pop %rax\n"
        "    add $16, %rsp\n"
        "    testb $3, 8(%rsp)\n"
        "    jz 9f\n"
        "    cmpb $1, uexc_ret_mode(%rip)\n"
        "    je 7f\n"
        "    cmpb $2, uexc_ret_mode(%rip)\n"
        "    je 8f\n"
        "9:  iretq\n"
        "7:  push %rax\n"
        "    mov user_cr3(%rip), %rax\n"
        "    mov %rax, %cr3\n"
        "    pop %rax\n"
        "    iretq\n"
        "8:  mov %rcx, cell_rcx(%rip)\n"
        "    mov %r11, cell_r11(%rip)\n"
        "    mov (%rsp), %rcx\n"
        "    mov %rcx, cell_rip(%rip)\n"
        "    mov 16(%rsp), %r11\n"
        "    mov 24(%rsp), %rsp\n"
        "    lea uexc_tramp(%rip), %rcx\n"
        "    sysretq\n"
        "uexc_tramp:\n"
        "    mov cell_rcx(%rip), %rcx\n"
        "    mov cell_r11(%rip), %r11\n"
        "    jmp *cell_rip(%rip)\n"
        /* SYSCALL: RCX = user RIP, R11 = user RFLAGS, RSP still the user's. */
        ".globl syscall_entry\n"
        "syscall_entry:\n"
        "    mov %rsp, saved_user_rsp(%rip)\n"
        "    mov kernel_rsp(%rip), %rsp\n"
        "    cmp $60, %eax\n"
        "    je 2f\n"
        "    cmp $61, %eax\n"
        "    je 3f\n"
        "    incq syscall_count(%rip)\n"
        "    xor %eax, %eax\n" /* getppid() = 0 */
        "    cmpb $0, return_with_iret(%rip)\n"
        "    jne 1f\n"
        "    mov saved_user_rsp(%rip), %rsp\n"
        "    sysretq\n"
        "1:  pushq $0x2b\n"
        "    pushq saved_user_rsp(%rip)\n"
        "    push %r11\n"
        "    pushq $0x33\n"
        "    push %rcx\n"
        "    iretq\n"
        "2:  call report\n"
        "3:  call isolation_broken\n");
