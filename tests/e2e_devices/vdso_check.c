/* The guest kernel's vDSO: the auxv has AT_SYSINFO_EHDR, __vdso_clock_gettime
 * & co. resolve in it the way the C libraries look them up (LINUX_2.6), they
 * agree with the system calls, MONOTONIC never goes back over 100,000 libc
 * calls, and those calls stay in user mode (far too fast for system calls).
 * The kernel's pages stay the kernel's: writing to them is SIGSEGV, and a
 * process that makes its vvar mapping writable (Linux refuses that) only
 * scribbles on a private copy. Then the checks again in a forked child and after execve. Prints "ok"
 * lines or what went wrong. */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CALLS 100000

typedef long (*gettime_fn)(clockid_t, struct timespec *);
typedef long (*gettimeofday_fn)(struct timeval *, void *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static const Elf64_Ehdr *vdso;
static uintptr_t base; /* load bias */
static const Elf64_Sym *syms;
static const char *strings;
static const uint32_t *hash;
static const uint16_t *versym;
static const Elf64_Verdef *verdef;

static int fail(const char *what)
{
    printf("FAIL: %s\n", what);
    return 1;
}

/* The dynamic tables, found as musl's __vdsosym finds them. */
static int parse_vdso(void)
{
    vdso = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
    if (vdso == NULL)
        return fail("no AT_SYSINFO_EHDR");
    if (memcmp(vdso->e_ident, ELFMAG, SELFMAG) != 0 || vdso->e_type != ET_DYN)
        return fail("AT_SYSINFO_EHDR is not an ELF shared object");
    const Elf64_Phdr *ph = (const void *)((const char *)vdso + vdso->e_phoff);
    const Elf64_Dyn *dyn = NULL;
    base = 0;
    for (int i = 0; i < vdso->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && base == 0)
            base = (uintptr_t)vdso + ph[i].p_offset - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const void *)((const char *)vdso + ph[i].p_offset);
    }
    if (dyn == NULL || base == 0)
        return fail("no PT_DYNAMIC or PT_LOAD");
    int gnu_hash = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        const void *p = (const void *)(base + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_SYMTAB: syms = p; break;
        case DT_STRTAB: strings = p; break;
        case DT_HASH: hash = p; break;
        case DT_GNU_HASH: gnu_hash = 1; break;
        case DT_VERSYM: versym = p; break;
        case DT_VERDEF: verdef = p; break;
        }
    }
    if (syms == NULL || strings == NULL || hash == NULL || !gnu_hash || versym == NULL ||
        verdef == NULL)
        return fail("missing DT_SYMTAB/STRTAB/HASH/GNU_HASH/VERSYM/VERDEF");
    return 0;
}

static const char *version_name(uint16_t index)
{
    for (const Elf64_Verdef *d = verdef;; d = (const void *)((const char *)d + d->vd_next)) {
        if (!(d->vd_flags & VER_FLG_BASE) && d->vd_ndx == (index & 0x7fff))
            return strings + ((const Elf64_Verdaux *)((const char *)d + d->vd_aux))->vda_name;
        if (d->vd_next == 0)
            return "";
    }
}

/* `name` in version LINUX_2.6, or NULL. */
static void *lookup(const char *name)
{
    for (uint32_t i = 0; i < hash[1]; i++) {
        if (syms[i].st_shndx == SHN_UNDEF || strcmp(strings + syms[i].st_name, name) != 0)
            continue;
        if (strcmp(version_name(versym[i]), "LINUX_2.6") == 0)
            return (void *)(base + syms[i].st_value);
    }
    return NULL;
}

static long long ts_ns(struct timespec ts)
{
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long sys_ns(clockid_t id)
{
    struct timespec ts;
    syscall(SYS_clock_gettime, id, &ts);
    return ts_ns(ts);
}

/* The vDSO and the kernel compute time from the same data: a system call
 * between two vDSO reads lies between them (exactly, for MONOTONIC). */
static int check_agreement(gettime_fn gettime)
{
    struct timespec a, b;
    gettime(CLOCK_MONOTONIC, &a);
    long long k = sys_ns(CLOCK_MONOTONIC);
    gettime(CLOCK_MONOTONIC, &b);
    if (!(ts_ns(a) <= k && k <= ts_ns(b)))
        return fail("vDSO and kernel MONOTONIC out of order");
    gettime(CLOCK_REALTIME, &a);
    long long d = sys_ns(CLOCK_REALTIME) - ts_ns(a); /* may re-anchor: a small step back */
    if (d < -50000000LL || d > 1000000000LL)
        return fail("vDSO and kernel REALTIME disagree");
    return 0;
}

static int check_symbols(void)
{
    gettime_fn gettime = (gettime_fn)lookup("__vdso_clock_gettime");
    gettime_fn getres = (gettime_fn)lookup("__vdso_clock_getres");
    gettimeofday_fn gtod = (gettimeofday_fn)lookup("__vdso_gettimeofday");
    time_fn vtime = (time_fn)lookup("__vdso_time");
    getcpu_fn getcpu = (getcpu_fn)lookup("__vdso_getcpu");
    if (!gettime || !getres || !gtod || !vtime || !getcpu || !lookup("clock_gettime"))
        return fail("a LINUX_2.6 symbol does not resolve");
    if (check_agreement(gettime) != 0)
        return 1;
    struct timespec ts;
    if (gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return fail("CPU-time clock (answered by the kernel)");
    if (gettime(12345, &ts) != -EINVAL)
        return fail("unknown clock is not -EINVAL");
    if (getres(CLOCK_MONOTONIC, &ts) != 0 || ts.tv_sec != 0 || ts.tv_nsec <= 0)
        return fail("clock_getres");
    struct timeval tv;
    long t = 0;
    gettime(CLOCK_REALTIME, &ts);
    if (gtod(&tv, NULL) != 0 || tv.tv_sec < ts.tv_sec || vtime(&t) < ts.tv_sec || t < ts.tv_sec)
        return fail("gettimeofday/time");
    unsigned cpu = 99, node = 99;
    if (getcpu(&cpu, &node, NULL) != 0 || cpu != 0 || node != 0)
        return fail("getcpu");
    return 0;
}

/* Through the C library, which uses the vDSO by itself. */
static int check_libc_calls(void)
{
    struct timespec start, prev, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    prev = start;
    for (int i = 0; i < CALLS; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (ts_ns(now) < ts_ns(prev))
            return fail("MONOTONIC went back");
        prev = now;
    }
    /* 100,000 system calls take tens of seconds in this guest; in user mode
     * they take milliseconds. */
    if (ts_ns(prev) - ts_ns(start) > 2000000000LL)
        return fail("100,000 clock_gettime calls took over 2 s: not served in user mode");
    return 0;
}

/* What `child` does to the process ends it with: a signal number, or 0 for a
 * normal exit. */
static int child_ends_with(void (*child)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        child();
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void write_vvar(void)
{
    *(volatile char *)((uintptr_t)vdso - 4096) = 1;
}

static void write_vdso(void)
{
    *(volatile char *)vdso = 1;
}

static void scribble_on_writable_vvar(void)
{
    void *vvar = (void *)((uintptr_t)vdso - 4096);
    if (mprotect(vvar, 4096, PROT_READ | PROT_WRITE) != 0)
        _exit(errno == EACCES ? 0 : 2); /* Linux refuses; this kernel gives a copy */
    memset(vvar, 0x55, 4096);
}

static int check_isolation(void)
{
    if (child_ends_with(write_vvar) != SIGSEGV || child_ends_with(write_vdso) != SIGSEGV)
        return fail("a write to the vvar page or the vDSO did not raise SIGSEGV");
    if (child_ends_with(scribble_on_writable_vvar) != 0)
        return fail("mprotect of the vvar page");
    if (check_agreement((gettime_fn)lookup("__vdso_clock_gettime")) != 0)
        return fail("a child's writes reached the kernel's vvar page");
    return 0;
}

static int checks(const char *who)
{
    if (parse_vdso() != 0 || check_symbols() != 0 || check_libc_calls() != 0)
        return 1;
    printf("%s ok\n", who);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) /* re-executed: a fresh image must have the vDSO too */
        return checks(argv[1]);
    if (checks("start") != 0 || check_isolation() != 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (checks("fork") != 0)
            _exit(1);
        fflush(stdout);
        execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
        _exit(fail("execve"));
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return fail("child");
    return 0;
}
