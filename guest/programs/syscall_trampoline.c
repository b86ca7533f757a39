/* The way kvm_pvm's emulated guest kernel sees every SYSCALL (a user fetch
 * fault on the trampoline page LSTAR names: guest/kernel/arch/user_entry.h),
 * taken on purpose on any KVM: RCX = where to return, then a jump to the
 * trampoline. minivm-only (natively the jump is a SIGSEGV). Checks that
 * calls, their results, a signal delivered on the way out and a restart
 * work through that entry; `loop N` makes N getppid calls that way (for
 * bench/per_op.sh), `bad-return` asks to return to a kernel address (the
 * kernel must end the program with SIGSEGV, never return there). Exit
 * status 0 when all checks hold. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define TRAMPOLINE 0x7ffffffff000ul

static long trampoline_call(long nr, long a1, long a2, long a3)
{
    register long rax __asm__("rax") = nr;
    register long rdi __asm__("rdi") = a1;
    register long rsi __asm__("rsi") = a2;
    register long rdx __asm__("rdx") = a3;
    __asm__ volatile("lea 1f(%%rip), %%rcx\n\t"
                     "mov $0x202, %%r11d\n\t"
                     "movabs %[t], %%r9\n\t"
                     "jmp *%%r9\n"
                     "1:"
                     : "+r"(rax)
                     : "r"(rdi), "r"(rsi), "r"(rdx), [t] "i"(TRAMPOLINE)
                     : "rcx", "r11", "r9", "memory", "cc");
    return rax;
}

static volatile sig_atomic_t usr1_count, alarm_count;
static void on_usr1(int signo) { (void)signo; usr1_count++; }
static void on_alarm(int signo) { (void)signo; alarm_count++; }

static int check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "loop") == 0) {
        long n = atol(argv[2]), ppid = getppid();
        for (long i = 0; i < n; i++)
            if (trampoline_call(SYS_getppid, 0, 0, 0) != ppid)
                return 1;
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "bad-return") == 0) {
        __asm__ volatile("movabs $0xffff800000001000, %%rcx\n\t"
                         "mov $39, %%eax\n\t" /* getppid */
                         "movabs %[t], %%r9\n\t"
                         "jmp *%%r9"
                         :
                         : [t] "i"(TRAMPOLINE)
                         : "rax", "rcx", "r9", "memory");
        return 3; /* not reached */
    }
    int failed = 0;
    failed += check("getppid", trampoline_call(SYS_getppid, 0, 0, 0) == getppid());
    static const char text[] = "written through the trampoline\n";
    fflush(stdout);
    failed += check("write", trampoline_call(SYS_write, 1, (long)text, sizeof text - 1) ==
                                 (long)sizeof text - 1);
    failed += check("bad fd is EBADF", trampoline_call(SYS_close, 12345, 0, 0) == -EBADF);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    trampoline_call(SYS_kill, getpid(), SIGUSR1, 0);
    failed += check("kill to self delivered on return", usr1_count == 1);

    /* A read interrupted by a handler without SA_RESTART: EINTR. */
    int fds[2];
    if (pipe(fds) != 0)
        return 2;
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {.it_value = {.tv_sec = 0, .tv_usec = 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    char byte;
    long n = trampoline_call(SYS_read, fds[0], (long)&byte, 1);
    failed += check("interrupted read is EINTR", n == -EINTR && alarm_count == 1);
    return failed == 0 ? 0 : 1;
}
