/*
 * /sys: the little of Linux's sysfs that programs read to size themselves:
 * /sys/devices/system/cpu/{online,possible,present} ("0": one vCPU) and the
 * directories above them, read-only.
 */
#ifndef KERNEL_FS_SYSFS_H
#define KERNEL_FS_SYSFS_H

/* Mounts it at `point`: 0 or -errno (mount_add's). */
int sysfs_mount(const char *point);

#endif
