/*
 * "#!" scripts (Linux's binfmt_script): a file whose first line is
 * "#!INTERPRETER [ARGUMENT]" runs as INTERPRETER [ARGUMENT] SCRIPT ARGS...
 */
#ifndef KERNEL_PROC_EXEC_SCRIPT_H
#define KERNEL_PROC_EXEC_SCRIPT_H

#include <stdint.h>

struct file;

/* Linux reads this much of a file to find "#!" and the interpreter line. */
#define SCRIPT_LINE_MAX 256u

struct script_line {
    char interp[SCRIPT_LINE_MAX];
    char arg[SCRIPT_LINE_MAX]; /* "" when there is none */
};

/*
 * Looks at the start of `file` (`size` bytes): 1 and *line for a "#!"
 * script, 0 for anything else, -ENOEXEC for a "#!" line that names no
 * interpreter, -EIO when it cannot be read.
 */
int script_parse(struct file *file, uint64_t size, struct script_line *line);

#endif
