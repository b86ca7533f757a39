/*
 * The global files of /proc: the machine (cpuinfo from CPUID, meminfo from
 * the page allocator), the system's counters (stat, uptime, loadavg), the
 * mount table, and /proc/sys/kernel's few names.
 */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "fs/mount.h"
#include "fs/object_io.h"
#include "kernel/boot_info.h"
#include "kernel/clock.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/pmm.h"
#include "kernel/identity.h"
#include "proc/procfs_node.h"
#include "proc/process.h"
#include "proc/thread.h"

/* --- links ----------------------------------------------------------------------- */

static int64_t self_link(struct process *p, char *buf, uint64_t size)
{
    (void)p;
    char pid[16];
    ksnprintf(pid, sizeof pid, "%d", current_process()->pid);
    return procfs_copy_link(pid, buf, size);
}

static int64_t thread_self_link(struct process *p, char *buf, uint64_t size)
{
    (void)p;
    return procfs_copy_link("self", buf, size); /* one thread per process: the process */
}

static int64_t mounts_link(struct process *p, char *buf, uint64_t size)
{
    (void)p;
    return procfs_copy_link("self/mounts", buf, size);
}

/* --- cpuinfo ------------------------------------------------------------------------- */

/* Linux's names for the CPUID feature bits it shows (NULL: not shown). */
static const char *const leaf1_edx[32] = {
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep", "mtrr",
    "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", 0, "dts", "acpi", "mmx", "fxsr",
    "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
static const char *const leaf1_ecx[32] = {
    "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
    "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid", "dca", "sse4_1", "sse4_2",
    "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", 0, "avx", "f16c",
    "rdrand", "hypervisor"};
static const char *const ext1_edx[32] = {
    [11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
    [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow"};
static const char *const ext1_ecx[32] = {
    "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
    "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", 0, "lwp", "fma4", "tce", 0,
    "nodeid_msr", 0, "tbm", "topoext", "perfctr_core", "perfctr_nb", 0, "bpext", "ptsc",
    "perfctr_llc", "mwaitx"};
static const char *const leaf7_ebx[32] = {
    "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", 0, "smep", "bmi2", "erms",
    "invpcid", "rtm", 0, 0, "mpx", 0, "avx512f", "avx512dq", "rdseed", "adx", "smap",
    "avx512ifma", "clflushopt", "clwb", 0, "avx512pf", "avx512er", "avx512cd", "sha_ni",
    "avx512bw", "avx512vl"};

static void add_flags(struct text *t, const char *const names[32], uint32_t bits)
{
    for (int i = 0; i < 32; i++) {
        if ((bits & (1u << i)) && names[i] != 0) {
            text_puts(t, " ");
            text_puts(t, names[i]);
        }
    }
}

static int fill_cpuinfo(struct process *p, struct text *t)
{
    (void)p;
    struct cpuid_regs v = cpuid(0, 0);
    char vendor[13];
    memcpy(vendor, &v.ebx, 4);
    memcpy(vendor + 4, &v.edx, 4);
    memcpy(vendor + 8, &v.ecx, 4);
    vendor[12] = 0;
    uint32_t max_leaf = v.eax;
    uint32_t max_ext = cpuid(0x80000000u, 0).eax;
    char model_name[49] = "unknown";
    if (max_ext >= 0x80000004u) {
        for (uint32_t i = 0; i < 3; i++) {
            struct cpuid_regs r = cpuid(0x80000002u + i, 0);
            memcpy(model_name + 16 * i, &r, 16);
        }
        model_name[48] = 0;
    }
    const char *name = model_name;
    while (*name == ' ')
        name++;
    struct cpuid_regs id = cpuid(1, 0);
    uint32_t family = (id.eax >> 8) & 0xf, model = (id.eax >> 4) & 0xf;
    if (family == 0xf)
        family += (id.eax >> 20) & 0xff;
    if (family >= 6)
        model |= ((id.eax >> 16) & 0xf) << 4;
    uint64_t khz = boot_info()->tsc_khz;
    text_printf(t, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
                   "model name\t: %s\nstepping\t: %u\n",
                vendor, family, model, name, id.eax & 0xf);
    text_printf(t, "cpu MHz\t\t: %lu.%03lu\ncache size\t: 512 KB\nphysical id\t: 0\n"
                   "siblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 0\n"
                   "initial apicid\t: 0\nfpu\t\t: yes\nfpu_exception\t: yes\n"
                   "cpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
                khz / 1000, khz % 1000, max_leaf);
    add_flags(t, leaf1_edx, id.edx);
    if (max_ext >= 0x80000001u)
        add_flags(t, ext1_edx, cpuid(0x80000001u, 0).edx);
    add_flags(t, leaf1_ecx, id.ecx);
    if (max_ext >= 0x80000001u)
        add_flags(t, ext1_ecx, cpuid(0x80000001u, 0).ecx);
    if (max_leaf >= 7)
        add_flags(t, leaf7_ebx, cpuid(7, 0).ebx);
    text_printf(t, "\nbogomips\t: %lu.%02lu\nclflush size\t: 64\ncache_alignment\t: 64\n"
                   "address sizes\t: 48 bits physical, 48 bits virtual\npower management:\n\n",
                khz * 2 / 1000, (khz * 2 / 10) % 100);
    return 0;
}

/* --- memory, time, counters ------------------------------------------------------------ */

static int fill_meminfo(struct process *p, struct text *t)
{
    (void)p;
    uint64_t kb = PAGE_SIZE / 1024;
    uint64_t total = pmm_total_pages() * kb, free = pmm_free_pages() * kb;
    text_printf(t, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n",
                total, free, free);
    static const char *const zero_lines[] = {
        "Buffers", "Cached", "SwapCached", "Active", "Inactive", "Unevictable", "Mlocked",
        "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem",
        "HugePages_Total", "HugePages_Free"};
    for (unsigned i = 0; i < sizeof zero_lines / sizeof zero_lines[0]; i++) {
        char label[24];
        ksnprintf(label, sizeof label, "%s:", zero_lines[i]);
        if (strncmp(zero_lines[i], "HugePages", 9) == 0)
            text_printf(t, "%-16s%8lu\n", label, 0ul);
        else
            text_printf(t, "%-16s%8lu kB\n", label, 0ul);
    }
    text_printf(t, "Hugepagesize:       2048 kB\n");
    return 0;
}

/* Seconds and hundredths since the VM started. */
static void uptime(uint64_t *sec, uint64_t *centi)
{
    uint64_t ns = clock_monotonic_ns();
    *sec = ns / 1000000000u;
    *centi = (ns / 10000000u) % 100;
}

static int fill_uptime(struct process *p, struct text *t)
{
    (void)p;
    uint64_t sec, centi;
    uptime(&sec, &centi);
    text_printf(t, "%lu.%02lu %lu.%02lu\n", sec, centi, sec, centi);
    return 0;
}

static unsigned process_count(int32_t *last_pid)
{
    unsigned n = 0;
    *last_pid = 0;
    for (int i = 0; i < process_table_end(); i++) {
        struct process *q = process_at(i);
        if (q == 0)
            continue;
        n++;
        if (q->pid > *last_pid)
            *last_pid = q->pid;
    }
    return n;
}

static int fill_loadavg(struct process *p, struct text *t)
{
    (void)p;
    int32_t last;
    unsigned n = process_count(&last);
    text_printf(t, "0.00 0.00 0.00 1/%u %d\n", n, last);
    return 0;
}

static int fill_stat(struct process *p, struct text *t)
{
    (void)p;
    uint64_t sec, centi;
    uptime(&sec, &centi);
    uint64_t ticks = sec * USER_HZ + centi;
    uint64_t boot = clock_realtime_ns() / 1000000000u - sec;
    int32_t last;
    unsigned n = process_count(&last);
    text_printf(t, "cpu  0 0 0 %lu 0 0 0 0 0 0\ncpu0 0 0 0 %lu 0 0 0 0 0 0\nintr 0\nctxt 0\n"
                   "btime %lu\nprocesses %d\nprocs_running 1\nprocs_blocked 0\nsoftirq 0\n",
                ticks, ticks, boot, last > (int32_t)n ? last : (int32_t)n);
    return 0;
}

static int fill_filesystems(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\thostfs\n");
    return 0;
}

static int fill_version(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, "Linux version " KERNEL_RELEASE " (minivm) " KERNEL_VERSION "\n");
    return 0;
}

int procfs_fill_mounts(struct process *p, struct text *t)
{
    (void)p;
    for (unsigned i = 0; i < mount_count(); i++) {
        const struct mount *m = mount_at(i);
        const char *type = m->ops->type != 0 ? m->ops->type : "none";
        const char *source = strcmp(type, "hostfs") == 0 ? "host" : type;
        text_printf(t, "%s %s %s %s,relatime 0 0\n", source, m->point, type,
                    m->writable ? "rw" : "ro");
    }
    return 0;
}

/* --- /proc/sys ----------------------------------------------------------------------- */

static int fill_ostype(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, "Linux\n");
    return 0;
}

static int fill_osrelease(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, KERNEL_RELEASE "\n");
    return 0;
}

static int fill_hostname(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, KERNEL_NODENAME "\n");
    return 0;
}

static int fill_kernel_version(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, KERNEL_VERSION "\n");
    return 0;
}

static int fill_pid_max(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, "32768\n");
    return 0;
}

static int fill_zero(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, "0\n");
    return 0;
}

static int fill_domainname(struct process *p, struct text *t)
{
    (void)p;
    text_puts(t, "(none)\n"); /* uname's domainname */
    return 0;
}

static const struct procfs_entry sys_kernel_entries[] = {
    {.name = "domainname", .fill = fill_domainname},
    {.name = "hostname", .fill = fill_hostname},
    {.name = "osrelease", .fill = fill_osrelease},
    {.name = "ostype", .fill = fill_ostype},
    {.name = "pid_max", .fill = fill_pid_max},
    {.name = "tainted", .fill = fill_zero},
    {.name = "version", .fill = fill_kernel_version},
};

static const struct procfs_entry sys_vm_entries[] = {
    {.name = "overcommit_memory", .fill = fill_zero},
};

static const struct procfs_entry sys_entries[] = {
    {.name = "kernel", .dir = sys_kernel_entries,
     .dir_count = sizeof sys_kernel_entries / sizeof sys_kernel_entries[0]},
    {.name = "vm", .dir = sys_vm_entries,
     .dir_count = sizeof sys_vm_entries / sizeof sys_vm_entries[0]},
};

const struct procfs_entry procfs_root_entries[] = {
    {.name = "cpuinfo", .fill = fill_cpuinfo},
    {.name = "filesystems", .fill = fill_filesystems},
    {.name = "loadavg", .fill = fill_loadavg},
    {.name = "meminfo", .fill = fill_meminfo},
    {.name = "mounts", .link = mounts_link},
    {.name = "self", .link = self_link},
    {.name = "stat", .fill = fill_stat},
    {.name = "sys", .dir = sys_entries, .dir_count = sizeof sys_entries / sizeof sys_entries[0]},
    {.name = "thread-self", .link = thread_self_link},
    {.name = "uptime", .fill = fill_uptime},
    {.name = "version", .fill = fill_version},
};
const uint32_t procfs_root_count = sizeof procfs_root_entries / sizeof procfs_root_entries[0];
