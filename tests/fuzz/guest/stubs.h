/* C declarations of stubs.S (see there for why each exists). */
#ifndef GUEST_FUZZ_STUBS_H
#define GUEST_FUZZ_STUBS_H

#include <stdint.h>

long fuzz_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

enum fork_child_mode { CHILD_EXITS = 0, CHILD_RETURNS = 1, CHILD_EXECS = 2 };
long fuzz_fork_call(long nr, long a0, long a1, long a2, long a3, long a4, long child_mode);

void fuzz_sigreturn(uint64_t frame);

void fuzz_landing_resume(void);
void fuzz_landing_exit(void);
void fuzz_restorer(void);

/* The resume point: only fuzz_landing_resume in process fuzz_resume_pid uses it. */
extern uint64_t fuzz_resume_fs;
extern int32_t fuzz_resume_pid;
extern volatile int32_t fuzz_resume_valid;
extern volatile int32_t fuzz_resumed; /* how often a landing resumed */
/* execve arguments for a CHILD_EXECS child: path, argv, envp. */
extern uint64_t fuzz_fork_exec[3];

#endif
