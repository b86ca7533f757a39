/* fcntl's lock commands, served by sys_lock.c for sys_fcntl (sys_io.c). */
#ifndef KERNEL_SYS_SYS_LOCK_H
#define KERNEL_SYS_SYS_LOCK_H

#include <stdbool.h>
#include <stdint.h>

struct file;
struct syscall_call;

#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38

bool fcntl_is_lock_command(int32_t cmd);
/* F_GETLK/F_SETLK/F_SETLKW and their F_OFD_ forms on `f` with the user's
 * struct flock at `uflock`. */
int64_t fcntl_lock(struct syscall_call *c, struct file *f, int32_t cmd, uint64_t uflock);

#endif
