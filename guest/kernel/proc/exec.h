/* execve: replacing a process's program. */
#ifndef KERNEL_PROC_EXEC_H
#define KERNEL_PROC_EXEC_H

#include <stdint.h>

struct process;
struct trap_frame;
struct exec_strings;
struct file;

/*
 * The program file execve(path) names: the program image the VMM started
 * with for the exact argv[0] minivm was given (programs re-execute
 * themselves by it; the file need not be beneath the guest root); any other
 * path is opened through the mounts ("/proc/self/exe" gives the caller's
 * own program: proc/procfs_pid.c). Takes a reference into *file and gives its size and the path
 * /proc/self/exe will read as (FILEIO_PATH_MAX bytes at exe_path).
 * 0 or -errno (-ENOENT, -EACCES, ...).
 */
int exec_open(struct process *p, const char *path, struct file **file, uint64_t *size,
              char *exe_path);

/*
 * execve(path, strings): opens `path` (exec_open), follows "#!" lines to
 * the interpreter (at most 4 deep, rewriting argv as Linux does) and
 * replaces p's program with it (process_exec). 0, or -errno with p intact.
 */
int exec_path(struct process *p, struct trap_frame *tf, const char *path,
              struct exec_strings *strings);

/*
 * Replaces p's program (p is the current process, *tf its user frame) with
 * the ELF `file` of `size` bytes (and its interpreter). On failure p is untouched: -ENOEXEC,
 * -ENOMEM, -E2BIG. On success *tf enters the new program.
 */
int process_exec(struct process *p, struct trap_frame *tf, struct file *file, uint64_t size,
                 const char *exe_path, const struct exec_strings *strings);

#endif
