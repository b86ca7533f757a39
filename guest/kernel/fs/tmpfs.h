/*
 * tmpfs: a private, writable filesystem in guest memory (/tmp, /dev/shm),
 * whatever the root is. File data lives in memory objects (mm/vm_object.h),
 * so that MAP_SHARED mappings of a file and its read/write see the same
 * pages; everything is gone when the VM ends.
 */
#ifndef KERNEL_FS_TMPFS_H
#define KERNEL_FS_TMPFS_H

/* Mounts a new, empty tmpfs at `point`: 0 or -errno (mount_add's). */
int tmpfs_mount(const char *point);

#endif
