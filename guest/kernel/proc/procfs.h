/*
 * /proc: a read-only filesystem whose files are generated when opened
 * (fs/gen_file.h) from the kernel's state: /proc/self, /proc/PID/ for every
 * process (proc/procfs_pid.c) and the global files (proc/procfs_files.c).
 * It lives in proc/ because it reads processes; it reaches the file layer
 * only through fs/'s interfaces (mount_ops, generated files, vfs_open), so
 * the layers stay sys -> proc -> fs -> mm.
 */
#ifndef KERNEL_PROC_PROCFS_H
#define KERNEL_PROC_PROCFS_H

/* Mounts it at `point`: 0 or -errno (mount_add's). */
int procfs_mount(const char *point);

#endif
