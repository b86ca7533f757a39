#include "proc/exec_args.h"

#include "lib/errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "proc/user_stack.h"

/* One CPU, and execve never blocks between copying and using it. */
static char strings[EXEC_STRINGS_MAX];

/* Appends the strings of one user array; counts them in *count. */
static int copy_array(uint64_t uarray, uint64_t *used, uint32_t *count)
{
    if (uarray == 0)
        return 0;
    for (uint64_t i = 0;; i++) {
        uint64_t ptr;
        int err = copy_from_user(&ptr, uarray + i * sizeof ptr, sizeof ptr);
        if (err != 0)
            return err;
        if (ptr == 0)
            return 0;
        if (*used >= sizeof strings)
            return -E2BIG;
        int64_t len = strncpy_from_user(strings + *used, ptr, sizeof strings - *used);
        if (len == -ENAMETOOLONG)
            return -E2BIG;
        if (len < 0)
            return (int)len;
        *used += (uint64_t)len + 1;
        (*count)++;
    }
}

int exec_args_for_script(struct exec_strings *s, const char *interp, const char *arg,
                         const char *script)
{
    uint64_t old0 = s->argc > 0 ? strnlen(strings, s->size) + 1 : 0;
    uint64_t a = strlen(interp) + 1, b = arg[0] != 0 ? strlen(arg) + 1 : 0,
             c = strlen(script) + 1;
    uint64_t size = s->size - old0 + a + b + c;
    if (size > sizeof strings)
        return -E2BIG;
    memmove(strings + a + b + c, strings + old0, s->size - old0);
    memcpy(strings, interp, a);
    memcpy(strings + a, arg, b);
    memcpy(strings + a + b, script, c);
    s->size = size;
    s->argc = s->argc - (old0 > 0) + 2 + (b > 0);
    return 0;
}

int exec_args_copy(uint64_t uargv, uint64_t uenvp, struct exec_strings *out)
{
    uint64_t used = 0;
    uint32_t argc = 0, envc = 0;
    int err = copy_array(uargv, &used, &argc);
    if (err == 0 && argc == 0) {
        /* No argv[0]: the program gets "" as Linux (5.18+) gives it, so that
         * argv[1] is never read as the first environment string. */
        strings[used++] = 0;
        argc = 1;
    }
    if (err == 0)
        err = copy_array(uenvp, &used, &envc);
    if (err != 0)
        return err;
    *out = (struct exec_strings){.base = strings, .size = used, .argc = argc, .envc = envc};
    return 0;
}
