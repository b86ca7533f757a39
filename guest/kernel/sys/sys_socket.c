/*
 * Sockets: the VM has no network and no socket family yet, AF_UNIX included
 * (a later issue), so socket() and socketpair() answer EAFNOSUPPORT, as
 * Linux does for a family it was built without; glibc's name service then
 * skips nscd, and programs that need a socket report it. The calls on a
 * socket descriptor see none: ENOTSOCK (EBADF for a closed fd).
 */
#include "fs/fd.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "lib/errno.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define NPROTO 46     /* families Linux knows: AF_UNSPEC .. AF_MCTP */
#define SOCK_MAX 11   /* types: SOCK_STREAM .. SOCK_PACKET */
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000

/* Families already named under --trace (each once). */
static uint64_t traced_families;

/* socket() and socketpair(): Linux's argument checks, then EAFNOSUPPORT. */
static int64_t no_family(const char *call, int32_t family, int32_t type)
{
    if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (family < 0 || family >= NPROTO)
        return -EAFNOSUPPORT;
    if ((type & SOCK_TYPE_MASK) >= SOCK_MAX)
        return -EINVAL;
    if (boot_trace_enabled() && !(traced_families & (1ull << family))) {
        traced_families |= 1ull << family;
        ktrace("%s: address family %d: no sockets in the VM, returning EAFNOSUPPORT", call,
               family);
    }
    return -EAFNOSUPPORT;
}

int64_t sys_socket(struct syscall_call *c)
{
    return no_family("socket", arg_int(c->arg[0]), arg_int(c->arg[1]));
}

int64_t sys_socketpair(struct syscall_call *c)
{
    return no_family("socketpair", arg_int(c->arg[0]), arg_int(c->arg[1]));
}

/* Every call on a socket descriptor: no descriptor in the VM is one. */
static int64_t not_a_socket(struct syscall_call *c)
{
    return fd_get(c->proc->fds, arg_int(c->arg[0])) != 0 ? -ENOTSOCK : -EBADF;
}

#define ON_SOCKET_FD(name)                        \
    int64_t sys_##name(struct syscall_call *c)    \
    {                                             \
        return not_a_socket(c);                   \
    }

ON_SOCKET_FD(connect)
ON_SOCKET_FD(accept)
ON_SOCKET_FD(accept4)
ON_SOCKET_FD(sendto)
ON_SOCKET_FD(recvfrom)
ON_SOCKET_FD(sendmsg)
ON_SOCKET_FD(recvmsg)
ON_SOCKET_FD(sendmmsg)
ON_SOCKET_FD(recvmmsg)
ON_SOCKET_FD(shutdown)
ON_SOCKET_FD(bind)
ON_SOCKET_FD(listen)
ON_SOCKET_FD(getsockname)
ON_SOCKET_FD(getpeername)
ON_SOCKET_FD(setsockopt)
ON_SOCKET_FD(getsockopt)
