/*
 * --strace output: the line buffer that sys/ (syscall lines) and proc/
 * (signal and exit lines) both write, in strace's own format, and its way
 * out through the platform device (PLATFORM_OP_STRACE). Here, below both,
 * so proc/ never reaches up into sys/.
 *
 * Lines are batched in one page and written out when it fills, before the
 * program's console output (so the order on a shared terminal reads as it
 * happened), before the vCPU sleeps, and when the VM ends. A batch carries
 * only whole lines: a syscall still in progress keeps its half line here.
 *
 * strace -f's conventions for several tasks are kept: a "[pid N] " prefix
 * while more than one thread exists, and a line left open by a task whose
 * call has not returned is closed with " <unfinished ...>" when another line
 * starts; the call's end then prints "<... NAME resumed>" and the rest.
 */
#ifndef KERNEL_STRACE_OUT_H
#define KERNEL_STRACE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pending_info;

/* Read once at boot from MINIVM_BOOT_FLAG_STRACE; never changes after. */
extern bool strace_on;

/* The one branch every syscall pays when --strace is off. */
static inline bool strace_enabled(void)
{
    return __builtin_expect(strace_on, 0);
}

void strace_out_init(void);

/* Starts a line for task `tid` (closing another open line as unfinished);
 * `several`: more than one thread exists, so the line gets "[pid N] ". */
void strace_line_begin(int32_t tid, bool several);

/* The end of `tid`'s call `name`: continues its line when it is still the
 * open one, else starts a new line "<... NAME resumed>". */
void strace_line_resume(int32_t tid, bool several, const char *name);

/* Appends to the current line (cut at STRACE_LINE_MAX). */
void strace_puts(const char *s);
void strace_putn(const char *s, size_t n);
void strace_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Pads with spaces to strace's result column (40), then "= ". */
void strace_result_column(void);

/* Ends the current line. */
void strace_line_end(void);

/* Writes out every whole line buffered. */
void strace_out_flush(void);

/* "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---" for task
 * `tid` receiving `signo`. */
void strace_signal_line(int32_t tid, bool several, int signo, const struct pending_info *info);

/* "+++ exited with N +++" / "+++ killed by SIGX +++" for `wait_status`
 * (WAIT_STATUS_* form: status << 8, or the signal number). */
void strace_exit_line(int32_t tid, bool several, int32_t wait_status);

#endif
