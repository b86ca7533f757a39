#include "core/workdir.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *workdir_for_guest(const struct vm_config *config)
{
    if (config->workdir != NULL)
        return strdup(config->workdir);
    char *root = realpath(config->root, NULL);
    char *cwd = getcwd(NULL, 0);
    char *real_cwd = cwd != NULL ? realpath(cwd, NULL) : NULL;
    char *result = NULL;
    if (root != NULL && real_cwd != NULL) {
        size_t n = strlen(root);
        if (strcmp(root, "/") == 0)
            result = strdup(real_cwd);
        else if (strncmp(real_cwd, root, n) == 0 && real_cwd[n] == '/')
            result = strdup(real_cwd + n);
    }
    free(root);
    free(cwd);
    free(real_cwd);
    return result != NULL ? result : strdup("/");
}
