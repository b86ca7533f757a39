#include "proc/exec_script.h"

#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

int script_parse(struct file *file, uint64_t size, struct script_line *line)
{
    /* In the kernel image: physically contiguous, read straight into. */
    static char head[SCRIPT_LINE_MAX];
    uint64_t want = size < sizeof head ? size : sizeof head;
    if (want < 2)
        return 0;
    int64_t n = file_read_into_phys(file, virt_to_phys(head), want, 0);
    if (n < 0)
        return -EIO;
    if (n < 2 || head[0] != '#' || head[1] != '!')
        return 0;
    /* The line ends at a newline or, as on Linux, where the bytes read end. */
    uint64_t end = 2;
    while (end < (uint64_t)n && head[end] != '\n')
        end++;
    uint64_t i = 2;
    while (i < end && blank(head[i]))
        i++;
    uint64_t interp_start = i;
    while (i < end && !blank(head[i]) && head[i] != 0)
        i++;
    if (i == interp_start)
        return -ENOEXEC;
    memcpy(line->interp, head + interp_start, i - interp_start);
    line->interp[i - interp_start] = 0;
    /* The rest of the line, trimmed, is one argument (spaces included). */
    while (i < end && blank(head[i]))
        i++;
    uint64_t arg_end = end;
    while (arg_end > i && (blank(head[arg_end - 1]) || head[arg_end - 1] == '\r'))
        arg_end--;
    memcpy(line->arg, head + i, arg_end - i);
    line->arg[arg_end - i] = 0;
    if (memchr(line->arg, 0, arg_end - i) != 0)
        line->arg[0] = 0; /* a NUL in the line: Linux stops the argument there too */
    return 1;
}
