#ifndef KERNEL_PROC_EXEC_ARGS_H
#define KERNEL_PROC_EXEC_ARGS_H

#include <stdint.h>

struct exec_strings;

/* execve's argument and environment strings may take this much together. */
#define EXEC_STRINGS_MAX (256u * 1024u)

/*
 * Copies the NULL-terminated user arrays argv and envp (either may be 0: empty)
 * and their strings into a kernel buffer, back to back, as user_stack_build
 * takes them. The buffer is reused by the next call. 0, -EFAULT or -E2BIG.
 */
int exec_args_copy(uint64_t uargv, uint64_t uenvp, struct exec_strings *out);

/*
 * For a "#!" script: argv[0] of `s` (the copy exec_args_copy made) becomes
 * INTERPRETER, ARGUMENT (when not empty) and SCRIPT, the script's path as
 * execve was given it; the other strings stay. 0 or -E2BIG.
 */
int exec_args_for_script(struct exec_strings *s, const char *interp, const char *arg,
                         const char *script);

#endif
