/* The program's working directory in the guest (--workdir, design.md §11). */
#ifndef MINIVM_CORE_WORKDIR_H
#define MINIVM_CORE_WORKDIR_H

#include "core/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The guest path the program starts in: config->workdir when set; else the
 * host's current directory seen through the root when it lies inside it (the
 * root itself is "/"), else "/". Caller frees; NULL when out of memory.
 */
char *workdir_for_guest(const struct vm_config *config);

#ifdef __cplusplus
}
#endif

#endif
