#include "core/program.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/elf_image.h"
#include "core/exit_status.h"
#include "core/log.h"

#define PROGRAM_MAX_SIZE (1ull << 30)

/* Like execvp: a name with a '/' is a path; otherwise the first executable
 * regular file of that name in PATH (else the first regular file, which is
 * then reported as not executable). Directories are skipped. */
static char *find_program(const char *name)
{
    if (!*name)
        return NULL;
    if (strchr(name, '/'))
        return strdup(name);
    const char *search = getenv("PATH");
    if (!search || !*search)
        search = "/usr/local/bin:/usr/bin:/bin";
    char candidate[PATH_MAX];
    char *fallback = NULL;
    while (*search) {
        const char *colon = strchr(search, ':');
        size_t len = colon ? (size_t)(colon - search) : strlen(search);
        int n = len ? snprintf(candidate, sizeof candidate, "%.*s/%s", (int)len, search, name)
                    : snprintf(candidate, sizeof candidate, "%s", name);
        struct stat st;
        if (n > 0 && (size_t)n < sizeof candidate && stat(candidate, &st) == 0 &&
            S_ISREG(st.st_mode)) {
            if (access(candidate, X_OK) == 0) {
                free(fallback);
                return strdup(candidate);
            }
            if (!fallback)
                fallback = strdup(candidate);
        }
        search += len + (colon ? 1 : 0);
    }
    return fallback;
}

int program_open(struct program *program, const char *name)
{
    memset(program, 0, sizeof *program);
    program->path = find_program(name);
    if (!program->path) {
        log_error("%s: program not found", name);
        return EXIT_STATUS_NOT_FOUND;
    }
    int fd = open(program->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        log_error("%s: cannot open program: %s", program->path, strerror(err));
        return (err == ENOENT || err == ENOTDIR) ? EXIT_STATUS_NOT_FOUND : EXIT_STATUS_NOT_RUNNABLE;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        log_error("%s: not a regular file", program->path);
        close(fd);
        return EXIT_STATUS_NOT_RUNNABLE;
    }
    if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) || faccessat(AT_FDCWD, program->path, X_OK, AT_EACCESS)) {
        log_error("%s: permission denied (not executable)", program->path);
        close(fd);
        return EXIT_STATUS_NOT_RUNNABLE;
    }
    if (st.st_size == 0 || (uint64_t)st.st_size > PROGRAM_MAX_SIZE) {
        log_error("%s: not an x86-64 executable (%s)", program->path,
                  st.st_size == 0 ? "empty file" : "larger than 1 GiB");
        close(fd);
        return EXIT_STATUS_NOT_RUNNABLE;
    }
    void *data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (data == MAP_FAILED) {
        log_error("%s: cannot read program: %s", program->path, strerror(errno));
        return EXIT_STATUS_NOT_RUNNABLE;
    }
    program->data = data;
    program->size = (size_t)st.st_size;

    struct elf_image elf;
    char why[128];
    if (elf_image_parse(&elf, program->data, program->size, why, sizeof why)) {
        log_error("%s: not an x86-64 executable (%s)", program->path, why);
        return EXIT_STATUS_NOT_RUNNABLE;
    }
    program->interp = elf.has_interp ? elf.interp : NULL;
    return 0;
}

void program_close(struct program *program)
{
    if (program->data)
        munmap((void *)program->data, program->size);
    free(program->path);
    memset(program, 0, sizeof *program);
}
