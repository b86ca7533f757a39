/*
 * The vDSO and its vvar page in a process (guest/kernel/vdso/, kernel/vvar.h):
 * time system calls answered in user mode.
 */
#ifndef KERNEL_PROC_VDSO_H
#define KERNEL_PROC_VDSO_H

#include <stdint.h>

struct mm;
struct file;

/*
 * Maps the vvar page (read-only) and the vDSO image right above it (read +
 * execute) into `mm`, both shared with the kernel's copies. Puts the vDSO's
 * address (its ELF header: AT_SYSINFO_EHDR) in *base. 0 or -ENOMEM.
 */
int vdso_map(struct mm *mm, uint64_t *base);

/* "[vvar]" or "[vdso]" for a mapping of `f`, else NULL (/proc/PID/maps). */
const char *vdso_mapping_name(const struct file *f);

#endif
