/* The identity programs see: an ordinary user, consistently everywhere
 * (getuid & co., AT_UID & co., the owner of tmpfs and /proc files). Host
 * files keep the owners the host reports. */
#ifndef KERNEL_KERNEL_IDENTITY_H
#define KERNEL_KERNEL_IDENTITY_H

#define PROCESS_UID 1000
#define PROCESS_GID 1000

#endif
