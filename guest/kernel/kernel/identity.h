/* The identity programs see: an ordinary user, consistently everywhere
 * (getuid & co., AT_UID & co., the owner of tmpfs and /proc files), on one
 * kernel release. Host files keep the owners the host reports. */
#ifndef KERNEL_KERNEL_IDENTITY_H
#define KERNEL_KERNEL_IDENTITY_H

#define PROCESS_UID 1000
#define PROCESS_GID 1000

/* The kernel as uname(2) and /proc/sys/kernel name it. */
#define KERNEL_NODENAME "minivm"
#define KERNEL_RELEASE "6.1.0-minivm"
#define KERNEL_VERSION "#1 SMP minivm"

#endif
