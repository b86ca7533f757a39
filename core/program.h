/*
 * The user program: found on the host like execvp would (a name without '/'
 * is searched in the host's PATH), checked to be an x86-64 ELF executable,
 * and handed to the guest kernel as file contents. A dynamically linked one
 * names its interpreter, which the guest kernel loads from the guest's
 * filesystem.
 */
#ifndef MINIVM_CORE_PROGRAM_H
#define MINIVM_CORE_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct program {
    char *path;           /* the file opened */
    const uint8_t *data;  /* read-only private mapping of the whole file */
    size_t size;
    const char *interp;   /* PT_INTERP's path (inside data), or NULL: static */
};

/*
 * Opens and checks `name`. Returns 0, or the exit status to end with after
 * printing why: 127 (not found), 126 (not runnable: not a regular file, no
 * permission, not an x86-64 ELF executable).
 */
int program_open(struct program *program, const char *name);
void program_close(struct program *program);

#ifdef __cplusplus
}
#endif

#endif
