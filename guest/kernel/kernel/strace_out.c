#include "kernel/strace_out.h"

#include "kernel/boot_info.h"
#include "kernel/platform.h"
#include "lib/format.h"
#include "lib/string.h"
#include "platform/platform_abi.h"
#include "kernel/identity.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/signal_names.h"

#include <stdarg.h>

/* Longest line kept (strace's own lines are far shorter: strings are cut at
 * 32 bytes); two always fit the page, so a half line never blocks a flush. */
#define STRACE_LINE_MAX 1024u
/* strace aligns " = result" at this column (its default, -a 40). */
#define STRACE_RESULT_COLUMN 40u
#define NO_TASK (-1)

bool strace_on;

/* One page, in the kernel image: its physical address is what the host reads. */
static char batch[PLATFORM_STRACE_MAX] __attribute__((aligned(4096)));
static size_t used;       /* bytes in `batch` */
static size_t line_start; /* where the current (or open) line starts in `batch` */
static int32_t open_tid = NO_TASK; /* the task whose line is not ended yet */

void strace_out_init(void)
{
    strace_on = (boot_info()->flags & MINIVM_BOOT_FLAG_STRACE) != 0;
}

void strace_out_flush(void)
{
    /* Whole lines only: the open line (if any) starts at line_start. */
    size_t whole = open_tid == NO_TASK ? used : line_start;
    if (whole == 0)
        return;
    platform_strace_write(batch, whole);
    memmove(batch, batch + whole, used - whole);
    used -= whole;
    line_start -= whole;
}

void strace_putn(const char *s, size_t n)
{
    size_t line_len = used - line_start;
    if (line_len + n > STRACE_LINE_MAX)
        n = line_len < STRACE_LINE_MAX ? STRACE_LINE_MAX - line_len : 0;
    if (used + n + 1 > sizeof batch) /* + 1: room for the line's '\n' */
        strace_out_flush();
    memcpy(batch + used, s, n);
    used += n;
}

void strace_puts(const char *s)
{
    strace_putn(s, strlen(s));
}

void strace_printf(const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        strace_putn(tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The '\n' always fits: strace_putn keeps a byte for it. */
static void end_line(void)
{
    batch[used++] = '\n';
    line_start = used;
    open_tid = NO_TASK;
}

void strace_line_end(void)
{
    end_line();
    if (used + STRACE_LINE_MAX + 1 > sizeof batch)
        strace_out_flush(); /* the next line would not fit whole */
}

static void start_line(int32_t tid, bool several)
{
    if (open_tid != NO_TASK) {
        strace_puts(" <unfinished ...>");
        strace_line_end();
    }
    line_start = used;
    open_tid = tid;
    if (several)
        strace_printf("[pid %5d] ", tid); /* strace -f pads to 5 */
}

void strace_line_begin(int32_t tid, bool several)
{
    start_line(tid, several);
}

void strace_line_resume(int32_t tid, bool several, const char *name)
{
    if (open_tid == tid)
        return;
    start_line(tid, several);
    strace_printf("<... %s resumed>", name);
}

void strace_result_column(void)
{
    static const char spaces[STRACE_RESULT_COLUMN] = {[0 ... STRACE_RESULT_COLUMN - 1] = ' '};
    size_t col = used - line_start;
    if (col + 1 < STRACE_RESULT_COLUMN)
        strace_putn(spaces, STRACE_RESULT_COLUMN - 1 - col);
    strace_puts(" = ");
}

static bool is_fault_signal(int signo)
{
    return signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE || signo == SIGILL ||
           signo == SIGTRAP;
}

void strace_signal_line(int32_t tid, bool several, int signo, const struct pending_info *info)
{
    char buf[12];
    const char *name = signal_name(signo, buf);
    start_line(tid, several);
    strace_printf("--- %s {si_signo=%s, si_code=", name, name);
    const char *code = signal_code_name(signo, info->code);
    if (code != 0)
        strace_puts(code);
    else
        strace_printf("%d", info->code);
    if (info->code == SI_USER || info->code == SI_TKILL) {
        strace_printf(", si_pid=%d, si_uid=%d", info->pid, PROCESS_UID);
    } else if (signo == SIGCHLD && (info->code == CLD_EXITED || info->code == CLD_KILLED)) {
        char sbuf[12];
        strace_printf(", si_pid=%d, si_uid=%d, si_status=", info->pid, PROCESS_UID);
        if (info->code == CLD_KILLED)
            strace_puts(signal_name(info->status, sbuf));
        else
            strace_printf("%d", info->status);
        strace_puts(", si_utime=0, si_stime=0");
    } else if (is_fault_signal(signo)) {
        if (info->addr == 0)
            strace_puts(", si_addr=NULL");
        else
            strace_printf(", si_addr=%#lx", info->addr);
    }
    strace_puts("} ---");
    strace_line_end();
}

void strace_exit_line(int32_t tid, bool several, int32_t wait_status)
{
    start_line(tid, several);
    if ((wait_status & 0x7f) != 0) {
        char buf[12];
        strace_printf("+++ killed by %s +++", signal_name(wait_status & 0x7f, buf));
    } else {
        strace_printf("+++ exited with %d +++", (wait_status >> 8) & 0xff);
    }
    strace_line_end();
}
