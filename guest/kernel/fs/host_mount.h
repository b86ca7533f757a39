/* Host directories as mounts: one fileio device each (the root, --mount). */
#ifndef KERNEL_FS_HOST_MOUNT_H
#define KERNEL_FS_HOST_MOUNT_H

/* Mounts every fileio device of the boot info at the mount point it names
 * (MOUNT_INFO). A device that cannot be mounted is reported and skipped. */
void host_mounts_init(void);

#endif
