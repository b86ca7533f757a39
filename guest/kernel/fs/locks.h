/*
 * Advisory file locks between the processes of the VM, as Linux keeps them:
 * one lock table in the kernel, keyed by the file's identity (st_dev,
 * st_ino), so every descriptor and every process reaching the same file
 * sees the same locks. Nothing reaches the host: the VM's processes are the
 * only ones that take part.
 *
 * - Byte-range locks (fcntl F_SETLK & co.): POSIX locks belong to the
 *   process and go away when it closes *any* descriptor of the file, or
 *   exits; OFD locks (F_OFD_SETLK & co.) belong to the open file and go
 *   away with its last reference. A process's own locks never conflict
 *   with each other; setting one replaces, splits and merges what it held
 *   in that range.
 * - flock locks: whole-file, owned by the open file; POSIX and flock locks
 *   do not see each other (as on Linux).
 *
 * Waiting (F_SETLKW, flock without LOCK_NB) blocks until the conflict is
 * gone or a signal comes (-ERESTARTSYS: restarted under SA_RESTART, EINTR
 * otherwise); a POSIX wait that would close a cycle of waiting processes is
 * EDEADLK.
 */
#ifndef KERNEL_FS_LOCKS_H
#define KERNEL_FS_LOCKS_H

#include <stdbool.h>
#include <stdint.h>

struct file;
struct process;

/* Lock types (struct flock's l_type) and the end of a range "to EOF". */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define LOCK_OFFSET_MAX INT64_MAX

/* flock(2) operations. */
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

/* A byte range [start, end] (end inclusive; LOCK_OFFSET_MAX: to the end of
 * the file, however far it grows) and its type. */
struct lock_range {
    int16_t type;
    int64_t start, end;
};

/*
 * Sets, changes or removes (F_UNLCK) the lock of `p` on `f` over `r`: a
 * POSIX lock, or with `ofd` one of the open file `f`. 0, or -EAGAIN (a
 * conflict and !wait), -EDEADLK, -ERESTARTSYS, -ENOLCK (out of memory), or
 * the error of finding the file's identity.
 */
int locks_set_range(struct process *p, struct file *f, bool ofd, const struct lock_range *r,
                    bool wait);

/* F_GETLK: the first lock that would conflict with `r` into *r (and its
 * owner's pid into *pid: -1 for an OFD lock), or r->type = F_UNLCK. */
int locks_get_range(struct process *p, struct file *f, bool ofd, struct lock_range *r,
                    int32_t *pid);

/* flock(2): `op` LOCK_SH, LOCK_EX or LOCK_UN, maybe | LOCK_NB. 0, -EINVAL,
 * -EWOULDBLOCK, -ERESTARTSYS, -ENOLCK. */
int locks_flock(struct file *f, uint32_t op);

/* The current process closes a descriptor of `f` (close, dup2 over it,
 * close-on-exec, exit): its POSIX locks on the file are released. */
void locks_descriptor_closed(struct file *f);

/* The last reference to `f` goes: its OFD and flock locks are released. */
void locks_file_released(struct file *f);

#endif
