/*
 * /proc/PID/: what a process is, generated from its struct process, its
 * VMAs and its own memory (argv, envp and auxv where execve put them).
 */
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/image_file.h"
#include "fs/object_io.h"
#include "kernel/clock.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/procfs_node.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/signal.h"
#include "proc/vdso.h"

/* --- links ----------------------------------------------------------------------- */

static int64_t exe_link(struct process *p, char *buf, uint64_t size)
{
    if (p->exe_path == 0 || p->mm == 0)
        return -ENOENT;
    return procfs_copy_link(p->exe_path, buf, size);
}

/* execve("/proc/self/exe") and open() reach the running program's file. */
static struct file *exe_file(struct process *p, int32_t fd)
{
    (void)fd;
    return p->mm != 0 ? p->exe_file : 0;
}

static int64_t cwd_link(struct process *p, char *buf, uint64_t size)
{
    /* The first process starts with no name for "/" (an empty cwd_path). */
    return procfs_copy_link(p->cwd_path[0] != 0 ? p->cwd_path : "/", buf, size);
}

static int64_t root_link(struct process *p, char *buf, uint64_t size)
{
    (void)p;
    return procfs_copy_link("/", buf, size);
}

/* The name Linux shows for a file without a path of its own. */
static const char *device_name(uint64_t rdev)
{
    static const char *const mem_devices[] = {
        [3] = "/dev/null", [5] = "/dev/zero", [7] = "/dev/full",
        [8] = "/dev/random", [9] = "/dev/urandom"};
    uint64_t major = rdev >> 8, minor = rdev & 0xff;
    if (major == 1 && minor < sizeof mem_devices / sizeof mem_devices[0] && mem_devices[minor])
        return mem_devices[minor];
    return "/dev/pts/0"; /* the console, when it is a terminal */
}

int64_t procfs_fd_link(struct process *p, int32_t fd, char *buf, uint64_t size)
{
    struct file *f = p->fds != 0 ? fd_get(p->fds, fd) : 0;
    if (f == 0)
        return -ENOENT;
    if (f->path != 0)
        return procfs_copy_link(f->path, buf, size);
    if (image_file_is(f) && p->exe_path != 0)
        return procfs_copy_link(p->exe_path, buf, size);
    struct fileio_stat st;
    if (f->ops->stat == 0 || f->ops->stat(f, &st) != 0)
        return procfs_copy_link("anon_inode:[unknown]", buf, size);
    char text[64];
    if ((st.mode & S_IFMT) == S_IFIFO)
        ksnprintf(text, sizeof text, "pipe:[%lu]", st.ino);
    else if ((st.mode & S_IFMT) == S_IFCHR)
        strlcpy(text, device_name(st.rdev), sizeof text);
    else
        strlcpy(text, "anon_inode:[unknown]", sizeof text);
    return procfs_copy_link(text, buf, size);
}

struct file *procfs_fd_file(struct process *p, int32_t fd)
{
    return p->fds != 0 ? fd_get(p->fds, fd) : 0;
}

/* --- memory of the process ----------------------------------------------------------- */

/* Bytes [start, end) of p's memory, as they are now. */
static int user_bytes(struct process *p, struct text *t, uint64_t start, uint64_t end)
{
    if (p->mm == 0 || end <= start)
        return 0; /* a zombie: nothing, as Linux shows */
    char chunk[256];
    for (uint64_t at = start; at < end && t->err == 0;) {
        uint64_t n = end - at < sizeof chunk ? end - at : sizeof chunk;
        int err = mm_copy_from(p->mm, chunk, at, n);
        if (err != 0)
            return 0; /* unmapped since: what was read so far */
        text_append(t, chunk, n);
        at += n;
    }
    return 0;
}

static int fill_cmdline(struct process *p, struct text *t)
{
    return user_bytes(p, t, p->layout.arg_start, p->layout.arg_end);
}

static int fill_environ(struct process *p, struct text *t)
{
    return user_bytes(p, t, p->layout.env_start, p->layout.env_end);
}

static int fill_auxv(struct process *p, struct text *t)
{
    return user_bytes(p, t, p->layout.auxv_start, p->layout.auxv_end);
}

/* --- maps -------------------------------------------------------------------------- */

/* What the last column of a mapping shows. */
static const char *mapping_name(const struct process *p, const struct vma *v)
{
    const char *special = vdso_mapping_name(v->file);
    if (special != 0)
        return special;
    if (v->flags & VMA_STACK)
        return "[stack]";
    if (v->flags & VMA_HEAP)
        return "[heap]";
    if (v->file != 0 && v->file->path != 0)
        return v->file->path;
    if (v->file != 0 && image_file_is(v->file) && p->exe_path != 0)
        return p->exe_path; /* the program image */
    if (v->object != 0 && v->file == 0)
        return "/dev/zero (deleted)"; /* shared anonymous memory, as Linux names it */
    return "";
}

static int fill_maps(struct process *p, struct text *t)
{
    if (p->mm == 0)
        return 0;
    for (const struct vma *v = p->mm->vmas; v != 0 && t->err == 0; v = v->next) {
        uint64_t dev = 0, ino = 0;
        struct fileio_stat st;
        if (v->file != 0 && vdso_mapping_name(v->file) == 0 && v->file->ops->stat != 0 &&
            v->file->ops->stat(v->file, &st) == 0) {
            dev = st.dev;
            ino = st.ino;
        }
        char line[128];
        int n = ksnprintf(line, sizeof line, "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu ",
                          v->start, v->end, (v->prot & PROT_READ) ? 'r' : '-',
                          (v->prot & PROT_WRITE) ? 'w' : '-', (v->prot & PROT_EXEC) ? 'x' : '-',
                          (v->flags & VMA_SHARED) ? 's' : 'p', v->file != 0 ? v->offset : 0,
                          (dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00), ino);
        const char *name = mapping_name(p, v);
        text_append(t, line, (uint64_t)n);
        if (name[0] != 0) {
            /* Linux pads the names into one column. */
            static const char spaces[] = "                                                  ";
            if (n < 73)
                text_append(t, spaces, (uint64_t)(73 - n));
            text_puts(t, name);
        }
        text_puts(t, "\n");
    }
    return 0;
}

/* --- status, stat, statm --------------------------------------------------------------- */

struct vm_sizes {
    uint64_t total, data, stack, exec, rss; /* pages */
};

static struct vm_sizes vm_sizes(struct process *p)
{
    struct vm_sizes s = {0, 0, 0, 0, 0};
    if (p->mm == 0)
        return s;
    for (const struct vma *v = p->mm->vmas; v != 0; v = v->next) {
        uint64_t pages = (v->end - v->start) >> PAGE_SHIFT;
        s.total += pages;
        if (v->flags & VMA_STACK)
            s.stack += pages;
        else if ((v->prot & PROT_EXEC) && v->file != 0)
            s.exec += pages;
        else if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
            s.data += pages;
    }
    s.rss = mm_resident_pages(p->mm);
    return s;
}

/* Every thread waits (Linux shows the first thread's state; close enough). */
static bool process_sleeps(const struct process *p)
{
    for (const struct thread *t = p->threads; t != 0; t = t->next_in_group) {
        if (t->state == THREAD_RUNNABLE)
            return false;
    }
    return true;
}

/* The signals the first thread blocks (the leader's, as Linux shows). */
static uint64_t blocked_mask(const struct process *p)
{
    const struct thread *t = thread_in_process(p, p->pid);
    if (t == 0)
        t = p->threads;
    return t != 0 ? t->sigmask : 0;
}

static char state_letter(const struct process *p)
{
    return p->state == PROC_ZOMBIE ? 'Z' : process_sleeps(p) ? 'S' : 'R';
}

static const char *state_name(const struct process *p)
{
    return p->state == PROC_ZOMBIE ? "Z (zombie)" : process_sleeps(p) ? "S (sleeping)"
                                                                             : "R (running)";
}

/* Signals with a handler, and ignored ones, as masks (bit signo - 1). */
static void signal_masks(const struct process *p, uint64_t *ignored, uint64_t *caught)
{
    *ignored = *caught = 0;
    for (int i = 0; i < NSIG; i++) {
        uint64_t h = p->sigactions[i].handler;
        if (h == SIG_IGN)
            *ignored |= 1ull << i;
        else if (h != SIG_DFL)
            *caught |= 1ull << i;
    }
}

static uint32_t fd_table_size(const struct process *p)
{
    if (p->fds == 0)
        return 0;
    uint32_t size = 64; /* Linux grows its table in powers of two from 64 */
    while (size < p->fds->end)
        size *= 2;
    return size;
}

static int fill_status(struct process *p, struct text *t)
{
    struct vm_sizes vm = vm_sizes(p);
    uint64_t ignored, caught;
    signal_masks(p, &ignored, &caught);
    uint64_t kb = PAGE_SIZE / 1024;
    char umask[5] = {(char)('0' + ((p->umask >> 9) & 7)), (char)('0' + ((p->umask >> 6) & 7)),
                     (char)('0' + ((p->umask >> 3) & 7)), (char)('0' + (p->umask & 7)), 0};
    text_printf(t, "Name:\t%s\nUmask:\t%s\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
                   "PPid:\t%d\nTracerPid:\t0\n",
                p->comm, umask, state_name(p), p->pid, p->pid, p->ppid);
    text_printf(t, "Uid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nFDSize:\t%u\nGroups:\t\n",
                PROCESS_UID, PROCESS_UID, PROCESS_UID, PROCESS_UID, PROCESS_GID, PROCESS_GID,
                PROCESS_GID, PROCESS_GID, fd_table_size(p));
    text_printf(t, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, p->pid, p->pgid,
                p->sid);
    if (p->mm != 0) {
        text_printf(t, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n"
                       "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n",
                    vm.total * kb, vm.total * kb, 0ul, 0ul, vm.rss * kb, vm.rss * kb);
        text_printf(t, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
                       "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\n"
                       "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n",
                    vm.rss * kb, 0ul, 0ul, vm.data * kb, vm.stack * kb, vm.exec * kb, 0ul, 0ul,
                    0ul);
    }
    text_printf(t, "Threads:\t%d\nSigQ:\t0/%lu\nSigPnd:\t%016lx\nShdPnd:\t%016lx\n"
                   "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
                p->live_threads, p->rlimits[15 /* RLIMIT_SIGPENDING */].cur == ~0ull ? 0ul
                                                                    : p->rlimits[15].cur,
                0ul, p->sig_pending, blocked_mask(p), ignored, caught);
    text_puts(t, "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
                 "CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n"
                 "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n"
                 "Seccomp_filters:\t0\nSpeculation_Store_Bypass:\tunknown\n"
                 "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\n"
                 "Mems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
                 "nonvoluntary_ctxt_switches:\t0\n");
    return 0;
}

/* The first and last address of the program's executable file mappings. */
static void code_range(const struct process *p, uint64_t *start, uint64_t *end)
{
    *start = *end = 0;
    for (const struct vma *v = p->mm != 0 ? p->mm->vmas : 0; v != 0; v = v->next) {
        if (v->file == p->exe_file && (v->prot & PROT_EXEC)) {
            if (*start == 0)
                *start = v->start;
            *end = v->end;
        }
    }
}

static int fill_stat(struct process *p, struct text *t)
{
    struct vm_sizes vm = vm_sizes(p);
    uint64_t ignored, caught;
    signal_masks(p, &ignored, &caught);
    uint64_t start_code, end_code;
    code_range(p, &start_code, &end_code);
    uint64_t start_ticks = p->start_ns / (1000000000u / USER_HZ);
    uint64_t brk_start = p->mm != 0 ? p->mm->brk_start : 0;
    uint64_t brk = p->mm != 0 ? p->mm->brk : 0;
    int exit_code = p->state == PROC_ZOMBIE ? p->wait_status : 0;
    /* Fields 1-13: identity, state, terminal, flags and fault counts. */
    text_printf(t, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 ", p->pid, p->comm,
                state_letter(p), p->ppid, p->pgid, p->sid);
    /* 14-25: times, priority, threads, start time, sizes, rlimit of rss. */
    text_printf(t, "0 0 0 0 20 0 %d 0 %lu %lu %lu 18446744073709551615 ", p->live_threads,
                start_ticks,
                (uint64_t)(vm.total * PAGE_SIZE), vm.rss);
    /* 26-38: code, stack, registers, signals, wait channel, exit signal. */
    text_printf(t, "%lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d ", start_code, end_code,
                p->layout.arg_start, p->sig_pending, blocked_mask(p), ignored, caught,
                p->exit_signal);
    /* 39-52: CPU, scheduling, data, heap, argv/envp, exit code. */
    text_printf(t, "0 0 0 0 0 0 %lu %lu %lu %lu %lu %lu %lu %d\n", end_code, brk_start,
                brk > brk_start ? brk : brk_start, p->layout.arg_start, p->layout.arg_end,
                p->layout.env_start, p->layout.env_end, exit_code);
    return 0;
}

static int fill_statm(struct process *p, struct text *t)
{
    struct vm_sizes vm = vm_sizes(p);
    text_printf(t, "%lu %lu 0 %lu 0 %lu 0\n", vm.total, vm.rss, vm.exec, vm.data + vm.stack);
    return 0;
}

static int fill_comm(struct process *p, struct text *t)
{
    text_printf(t, "%s\n", p->comm);
    return 0;
}

static int fill_limits(struct process *p, struct text *t)
{
    static const char *const names[] = {
        "Max cpu time", "Max file size", "Max data size", "Max stack size",
        "Max core file size", "Max resident set", "Max processes", "Max open files",
        "Max locked memory", "Max address space", "Max file locks", "Max pending signals",
        "Max msgqueue size", "Max nice priority", "Max realtime priority",
        "Max realtime timeout"};
    static const char *const units[] = {"seconds", "bytes", "bytes", "bytes", "bytes", "bytes",
                                        "processes", "files", "bytes", "bytes", "locks",
                                        "signals", "bytes", "", "", "us"};
    text_printf(t, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    for (int i = 0; i < RLIM_NLIMITS; i++) {
        char soft[24], hard[24];
        const struct rlimit64 *r = &p->rlimits[i];
        if (r->cur == RLIM_INFINITY)
            strlcpy(soft, "unlimited", sizeof soft);
        else
            ksnprintf(soft, sizeof soft, "%lu", r->cur);
        if (r->max == RLIM_INFINITY)
            strlcpy(hard, "unlimited", sizeof hard);
        else
            ksnprintf(hard, sizeof hard, "%lu", r->max);
        text_printf(t, "%-25s %-20s %-20s %-10s\n", names[i], soft, hard, units[i]);
    }
    return 0;
}

const struct procfs_entry procfs_pid_entries[] = {
    {.name = "auxv", .fill = fill_auxv},
    {.name = "cmdline", .fill = fill_cmdline},
    {.name = "comm", .fill = fill_comm},
    {.name = "cwd", .link = cwd_link},
    {.name = "environ", .fill = fill_environ},
    {.name = "exe", .link = exe_link, .magic = exe_file},
    {.name = "limits", .fill = fill_limits},
    {.name = "maps", .fill = fill_maps},
    {.name = "mounts", .fill = procfs_fill_mounts},
    {.name = "root", .link = root_link},
    {.name = "stat", .fill = fill_stat},
    {.name = "statm", .fill = fill_statm},
    {.name = "status", .fill = fill_status},
};
const uint32_t procfs_pid_count = sizeof procfs_pid_entries / sizeof procfs_pid_entries[0];
