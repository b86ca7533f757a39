/*
 * The kernel's own filesystems and where they are mounted: one table of
 * (mount point, filesystem type), so that a configuration can later drive
 * it. Today's fixed defaults: tmpfs at /tmp and /dev/shm, proc at /proc,
 * sysfs at /sys.
 */
#ifndef KERNEL_KERNEL_KERNEL_MOUNTS_H
#define KERNEL_KERNEL_KERNEL_MOUNTS_H

/* Mounts every entry of the table; one that fails is reported and skipped.
 * After host_mounts_init: a host mount at the same point wins. */
void kernel_mounts_init(void);

#endif
